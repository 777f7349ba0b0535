"""The customer side of the demo company: accounts, onboarding, subscriptions, invoices and support.

Everything is simulated as numpy arrays (one element per account, event, invoice or ticket) from the
run's single random Generator. The subscription lifecycle is stepped month by month, vectorised over
all accounts; nothing loops over rows. Times are epoch seconds (UTC); ``MISSING`` marks a null.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from orchestration.demo.timeline import (
    SECONDS_PER_DAY,
    TRAINING_BASELINE,
    Window,
    onboarding_completion,
    onboarding_progress,
    training_on_time,
)

MISSING = -1
Columns = dict[str, np.ndarray]

SEGMENTS = ("smb", "mid_market", "enterprise")
SEGMENT_SHARE = (0.60, 0.30, 0.10)
REGIONS = ("north_america", "emea", "apac", "latam")
REGION_SHARE = (0.45, 0.30, 0.15, 0.10)
# UTC offsets (minutes) users work in, per region, and how common each is.
REGION_OFFSETS = np.array([[-300, -360, -480], [0, 60, 120], [330, 480, 600], [-180, -300, 0]])
REGION_OFFSET_SHARE = np.array([[0.5, 0.25, 0.25], [0.35, 0.5, 0.15], [0.3, 0.4, 0.3], [0.7, 0.3, 0.0]])

TIERS = ("starter", "growth", "business", "enterprise")
PLAN_PRICE_CENTS = np.array([4_900, 14_900, 39_900, 120_000], dtype=np.int64)  # per seat per month
SEGMENT_TIER_SHARE = np.array([[0.7, 0.3, 0.0, 0.0], [0.0, 0.6, 0.4, 0.0], [0.0, 0.0, 0.3, 0.7]])
SEGMENT_BASE_SEATS = np.array([1, 2, 3])
SEGMENT_EXTRA_SEATS = np.array([0.5, 2.0, 5.0])
OVERAGE_SHARE_BY_TIER = np.array([0.05, 0.12, 0.20, 0.25])
OVERAGE_BLOCK_CENTS = np.array([1_500, 2_500, 4_000, 6_000], dtype=np.int64)
DISCOUNT_SHARE = 0.08
DISCOUNT_PERCENTS = np.array([10, 15, 20])

MILESTONES = (
    "account_created",
    "workspace_configured",
    "data_source_connected",
    "teammate_invited",
    "first_dashboard_built",
)
EVENT_TYPES = ("start", "upgrade", "downgrade", "cancel", "reactivate")
START, UPGRADE, DOWNGRADE, CANCEL, REACTIVATE = range(5)
LINE_TYPES = ("subscription_fee", "overage", "discount")
CHANNELS = ("email", "chat", "phone")
PRIORITIES = ("low", "normal", "high", "urgent")

# Signups: ~3,000 accounts over 36 months at scale 1, growing ~2.5% a month, peaking in January and
# September-October with a summer dip (index = calendar month - 1).
BASE_SIGNUPS_PER_MONTH = 50.0
SIGNUP_GROWTH = 1.025
LATE_SIGNUP_GROWTH = 1.01
SIGNUP_SEASONALITY = np.array([1.30, 1.05, 1.00, 1.00, 0.95, 0.80, 0.70, 0.75, 1.25, 1.30, 1.00, 0.85])

# Monthly churn hazard by segment (enterprise stickier), scaled by account age, onboarding and the
# support experience of recent months.
CHURN_HAZARD = np.array([0.030, 0.018, 0.007])
CHURN_IF_ONBOARDED, CHURN_IF_NOT_ONBOARDED = 0.40, 1.45
UPGRADE_RATE = np.array([0.012, 0.020, 0.025])
DOWNGRADE_RATE = 0.006
REACTIVATION_RATE = 0.02
TICKETS_PER_ACCOUNT_MONTH = np.array([0.30, 0.60, 1.30])
CSAT_RESPONSE_SHARE = 0.30
FIRST_RESPONSE_MEDIAN_HOURS = np.array([4.0, 0.15, 0.05])  # email, chat, phone


@dataclass(frozen=True)
class CustomerData:
    """Simulated customer-side tables (columns as arrays) and the monthly aggregates HR planning needs."""

    accounts: Columns
    onboarding_events: Columns
    first_value_events: Columns
    subscription_events: Columns
    invoices: Columns
    invoice_lines: Columns
    tickets: Columns
    csat_responses: Columns
    active_by_segment: np.ndarray  # (months, 3): active accounts at each month end
    new_accounts: np.ndarray  # (months,): accounts whose subscription started in the month
    tickets_per_month: np.ndarray  # (months,)


def _pick(rng: np.random.Generator, shares: np.ndarray) -> np.ndarray:
    """Draw one column index per row of ``shares`` (rows are probability vectors), vectorised."""
    cumulative = np.cumsum(shares, axis=1)
    cumulative[:, -1] = 1.0
    return (rng.random(len(shares))[:, None] >= cumulative).sum(axis=1)


def _uniform_between(rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Uniform integer seconds in [low, high)."""
    return low + (rng.random(len(low)) * (high - low)).astype(np.int64)


def simulate_customers(rng: np.random.Generator, window: Window, scale: float) -> CustomerData:
    """Simulate every customer-side table for the window (CS owners and agents are added later)."""
    accounts = _accounts(rng, window, scale)
    onboarding, first_value, onboarded = _onboarding(rng, window, accounts)
    lifecycle = _lifecycle(rng, window, accounts, onboarded)
    invoices, lines = _invoices(rng, window, accounts, lifecycle["invoice_base"])
    tickets, csat = _support(rng, window, accounts, lifecycle["ticket_base"])
    return CustomerData(
        accounts=accounts,
        onboarding_events=onboarding,
        first_value_events=first_value,
        subscription_events=lifecycle["events"],
        invoices=invoices,
        invoice_lines=lines,
        tickets=tickets,
        csat_responses=csat,
        active_by_segment=lifecycle["active_by_segment"],
        new_accounts=lifecycle["new_accounts"],
        tickets_per_month=np.bincount(tickets["month"], minlength=window.months),
    )


def _accounts(rng: np.random.Generator, window: Window, scale: float) -> Columns:
    months = np.arange(window.months)
    # Growth slows to 1% a month after three years, so long windows stay plausible.
    growth = SIGNUP_GROWTH ** np.minimum(months, 36) * LATE_SIGNUP_GROWTH ** np.maximum(months - 36, 0)
    expected = scale * BASE_SIGNUPS_PER_MONTH * growth * SIGNUP_SEASONALITY[window.calendar_month(months) - 1]
    month = np.repeat(months, rng.poisson(expected))
    created = window.month_starts[month] + (rng.random(len(month)) * window.month_seconds[month]).astype(
        np.int64
    )
    order = np.argsort(created, kind="stable")
    month, created = month[order], created[order]
    n = len(month)
    segment = rng.choice(3, size=n, p=SEGMENT_SHARE)
    region = rng.choice(4, size=n, p=REGION_SHARE)
    offset = REGION_OFFSETS[region, _pick(rng, REGION_OFFSET_SHARE[region])]
    return {
        "account_number": np.arange(1, n + 1),
        "month": month,
        "created_at": created,
        "segment": segment,
        "region": region,
        "utc_offset_minutes": offset,
        "name_first": rng.integers(0, 1 << 16, n),
        "name_second": rng.integers(0, 1 << 16, n),
        "name_suffix": rng.integers(0, 1 << 16, n),
    }


def _onboarding(
    rng: np.random.Generator, window: Window, accounts: Columns
) -> tuple[Columns, Columns, np.ndarray]:
    """Milestones and first value per account; returns the events and who completes onboarding.

    Completing matters for churn and upgrades; finishing late (after 30 days) does not change that.
    """
    n = len(accounts["month"])
    created = accounts["created_at"]
    fraction = window.fraction(accounts["month"])
    # CS capability feeds onboarding with a one-month lag (strategy map: build_cs_capability → onboard).
    training_gap = TRAINING_BASELINE - training_on_time(window.fraction(accounts["month"] - 1))
    p_complete = onboarding_completion(fraction) - 0.15 * training_gap + 0.05 * (accounts["segment"] == 2)
    draw = rng.random(n)
    completed = draw < p_complete
    late = ~completed & (rng.random(n) < 0.3)
    # A training lapse also delays completions past the 30-day mark: ~1.05 more accounts in 100 per
    # point of the gap finish late. Together 1.2 points of 30-day completion per point of training,
    # enough for the link to show above the initiative's ramp and sampling noise (at 0.15 alone it
    # was lost in them). Delayed accounts still complete onboarding, so their subscriptions (and
    # every later random draw) are what they were without the delay.
    delayed = completed & (draw >= p_complete - 1.05 * training_gap)
    in_30_days = completed & ~delayed
    reached = np.where(completed | late, 4, rng.choice(4, size=n, p=[0.15, 0.30, 0.30, 0.25]))
    # Guided onboarding also makes the whole journey faster (median 14 days before, 7 after).
    median_days = 14.0 - 7.0 * onboarding_progress(fraction)
    journey_days = np.where(
        in_30_days,
        np.clip(median_days * rng.lognormal(0.0, 0.45, n), 0.5, 29.5),
        np.where(late | delayed, 31.0 + rng.exponential(18.0, n), 20.0 * rng.lognormal(0.0, 0.5, n)),
    )
    steps = np.sort(rng.random((n, 3)), axis=1)
    offsets_days = np.column_stack([steps * journey_days[:, None], journey_days])
    milestone_at = created[:, None] + (offsets_days * SECONDS_PER_DAY).astype(np.int64)

    account_index = np.arange(n)
    reached_masks = [reached > step for step in range(4)]
    event_account = np.concatenate([account_index] + [account_index[mask] for mask in reached_masks])
    event_milestone = np.concatenate(
        [np.zeros(n, dtype=np.int64)]
        + [np.full(mask.sum(), step + 1) for step, mask in enumerate(reached_masks)]
    )
    event_at = np.concatenate(
        [created] + [milestone_at[mask, step] for step, mask in enumerate(reached_masks)]
    )
    # The account's admin (user 1) does most steps; a teammate may connect data or build the dashboard.
    user = np.where(np.isin(event_milestone, (2, 4)), rng.integers(1, 4, len(event_account)), 1)
    onboarding = _events_in_window(
        window, event_account, event_at, accounts, milestone=event_milestone, user=user
    )

    has_dashboard = reached == 4
    gets_value = rng.random(n) < np.where(has_dashboard, 0.95, 0.40)
    value_at = np.where(
        has_dashboard,
        milestone_at[:, 3] + ((0.05 + rng.exponential(1.5, n)) * SECONDS_PER_DAY).astype(np.int64),
        created + (35.0 * rng.lognormal(0.0, 0.5, n) * SECONDS_PER_DAY).astype(np.int64),
    )
    value_user = rng.integers(1, 4, n)
    first_value = _events_in_window(
        window, account_index[gets_value], value_at[gets_value], accounts, user=value_user[gets_value]
    )
    return onboarding, first_value, completed


def _events_in_window(
    window: Window, account: np.ndarray, at: np.ndarray, accounts: Columns, **extra: np.ndarray
) -> Columns:
    """Keep events that happened before the window ends, ordered by time, with their UTC month."""
    keep = at < window.end_ts
    order = np.lexsort((account[keep], at[keep]))
    account, at = account[keep][order], at[keep][order]
    columns = {
        "event_number": np.arange(1, len(at) + 1),
        "account": account,
        "occurred_at": at,
        "utc_offset_minutes": accounts["utc_offset_minutes"][account],
        "month": window.month_of(at),
    }
    columns.update({name: values[keep][order] for name, values in extra.items()})
    return columns


@dataclass
class _Book:
    """Every account's subscription as the months go by, and what happened to it.

    ``status`` is 0 before the subscription starts, 1 while active, 2 once cancelled. ``events``,
    ``invoice_base`` and ``ticket_base`` collect, month by month, the subscription events
    (account, type, at, tier, mrr), the billable subscription-months (account, issued at, tier,
    seats) and the spans in which an account may open tickets (account, from, until).
    """

    tier: np.ndarray
    seats: np.ndarray
    status: np.ndarray
    cancel_month: np.ndarray
    events: list[tuple[np.ndarray, ...]] = field(default_factory=list)
    invoice_base: list[tuple[np.ndarray, ...]] = field(default_factory=list)
    ticket_base: list[tuple[np.ndarray, ...]] = field(default_factory=list)

    def record(self, kind: int, who: np.ndarray, at: np.ndarray, mrr: np.ndarray) -> None:
        self.events.append((who, np.full(len(who), kind), at, self.tier[who].copy(), mrr))

    def mrr(self, who: np.ndarray) -> np.ndarray:
        return PLAN_PRICE_CENTS[self.tier[who]] * self.seats[who]

    def changes(
        self,
        rng: np.random.Generator,
        active: np.ndarray,
        m: int,
        chances: tuple[np.ndarray, np.ndarray],
        bounds: tuple[int, int],
    ) -> tuple[np.ndarray, np.ndarray]:
        """Cancellations, upgrades and downgrades among the accounts active at the month's start;
        ``chances`` are each one's hazard of cancelling and chance of upgrading. Returns which of
        them cancelled and when each change happened."""
        hazard, p_upgrade = chances
        draw = rng.random(len(active))
        event_at = _uniform_between(rng, np.full(len(active), bounds[0]), np.full(len(active), bounds[1]))
        cancels = draw < hazard
        upgrades = ~cancels & (draw < hazard + p_upgrade)
        downgrades = ~cancels & ~upgrades & (draw < hazard + p_upgrade + DOWNGRADE_RATE)

        who = active[cancels]
        self.status[who], self.cancel_month[who] = 2, m
        self.record(CANCEL, who, event_at[cancels], np.zeros(len(who), dtype=np.int64))

        who = active[upgrades]
        to_next_tier = (rng.random(len(who)) < 0.3) & (self.tier[who] < 3)
        self.tier[who[to_next_tier]] += 1
        more = who[~to_next_tier]
        self.seats[more] += 1 + rng.poisson(0.15 * self.seats[more])
        self.record(UPGRADE, who, event_at[upgrades], self.mrr(who))

        who, at = active[downgrades], event_at[downgrades]
        fewer_seats = self.seats[who] > 1
        lower_tier = ~fewer_seats & (self.tier[who] > 0)
        self.seats[who[fewer_seats]] -= 1
        self.tier[who[lower_tier]] -= 1
        changed = fewer_seats | lower_tier
        self.record(DOWNGRADE, who[changed], at[changed], self.mrr(who[changed]))
        return cancels, event_at

    def reactivations(
        self, rng: np.random.Generator, m: int, bounds: tuple[int, int]
    ) -> tuple[np.ndarray, ...]:
        """A few accounts cancelled two to twelve months ago come back; returns who and when."""
        lapsed = np.flatnonzero(
            (self.status == 2) & (self.cancel_month <= m - 2) & (self.cancel_month >= m - 12)
        )
        back = lapsed[rng.random(len(lapsed)) < REACTIVATION_RATE]
        back_at = _uniform_between(rng, np.full(len(back), bounds[0]), np.full(len(back), bounds[1]))
        self.status[back] = 1
        self.record(REACTIVATE, back, back_at, self.mrr(back))
        self.invoice_base.append((back, back_at, self.tier[back], self.seats[back]))
        return back, back_at

    def starts(self, who: np.ndarray, at: np.ndarray) -> None:
        """New subscriptions starting this month."""
        self.status[who] = 1
        self.record(START, who, at, self.mrr(who))
        self.invoice_base.append((who, at, self.tier[who], self.seats[who]))

    def event_columns(self, window: Window) -> Columns:
        account, kind, at, ev_tier, mrr = (np.concatenate(parts) for parts in zip(*self.events, strict=True))
        order = np.lexsort((kind, account, at))
        return {
            "event_number": np.arange(1, len(order) + 1),
            "account": account[order],
            "event_type": kind[order],
            "event_at": at[order],
            "tier": ev_tier[order],
            "mrr_cents": mrr[order],
            "month": window.month_of(at[order]),
        }


def _lifecycle(rng: np.random.Generator, window: Window, accounts: Columns, onboarded: np.ndarray) -> dict:
    """Step every subscription through the window month by month (vectorised over accounts)."""
    n = len(accounts["month"])
    segment = accounts["segment"]
    start_at = accounts["created_at"] + (rng.random(n) * 3 * SECONDS_PER_DAY).astype(np.int64)
    start_month = np.where(start_at < window.end_ts, window.month_of(start_at), -1)
    tier = _pick(rng, SEGMENT_TIER_SHARE[segment])
    seats = SEGMENT_BASE_SEATS[segment] + rng.poisson(SEGMENT_EXTRA_SEATS[segment])
    book = _Book(tier=tier, seats=seats, status=np.zeros(n, dtype=np.int8), cancel_month=np.full(n, -999))
    active_by_segment = np.zeros((window.months, 3), dtype=np.int64)
    new_accounts = np.zeros(window.months, dtype=np.int64)

    for m in range(window.months):
        bounds = (window.month_starts[m], window.month_starts[m + 1])
        active = np.flatnonzero(book.status == 1)
        book.invoice_base.append(
            (active, np.full(len(active), bounds[0]), book.tier[active], book.seats[active])
        )
        hazard = _churn_hazard(window, m, segment[active], start_month[active], onboarded[active])
        p_upgrade = UPGRADE_RATE[segment[active]] * np.where(onboarded[active], 1.3, 0.7)
        cancels, event_at = book.changes(rng, active, m, (hazard, p_upgrade), bounds)
        back, back_at = book.reactivations(rng, m, bounds)
        starts = np.flatnonzero(start_month == m)
        book.starts(starts, start_at[starts])
        new_accounts[m] = len(starts)
        # Tickets can be opened while the account is a customer during the month.
        ticket_to = np.full(len(active), bounds[1])
        ticket_to[cancels] = event_at[cancels]
        book.ticket_base.append(
            (
                np.concatenate([active, back, starts]),
                np.concatenate([np.full(len(active), bounds[0]), back_at, start_at[starts]]),
                np.concatenate([ticket_to, np.full(len(back) + len(starts), bounds[1])]),
            )
        )
        active_by_segment[m] = np.bincount(segment[book.status == 1], minlength=3)

    return {
        "events": book.event_columns(window),
        "invoice_base": tuple(np.concatenate(parts) for parts in zip(*book.invoice_base, strict=True)),
        "ticket_base": tuple(np.concatenate(parts) for parts in zip(*book.ticket_base, strict=True)),
        "active_by_segment": active_by_segment,
        "new_accounts": new_accounts,
    }


def _churn_hazard(
    window: Window, m: int, segment: np.ndarray, start_month: np.ndarray, onboarded: np.ndarray
) -> np.ndarray:
    """Each active account's chance to cancel in month ``m``: its segment's base rate, higher in the
    first half year, lower for onboarded accounts, and up after a poor support experience two months
    back (training two months before that)."""
    age = m - start_month
    age_factor = np.select([age <= 6, age <= 12], [1.6, 1.0], 0.7)
    support_factor = 1.0 + 0.6 * (TRAINING_BASELINE - training_on_time(window.fraction(m - 4)))
    return (
        CHURN_HAZARD[segment]
        * age_factor
        * np.where(onboarded, CHURN_IF_ONBOARDED, CHURN_IF_NOT_ONBOARDED)
        * support_factor
    )


def _invoices(
    rng: np.random.Generator, window: Window, accounts: Columns, base: tuple[np.ndarray, ...]
) -> tuple[Columns, Columns]:
    """One invoice per billable subscription-month: a fee line, sometimes overage, sometimes a discount."""
    account, issued_at, tier, seats = base
    issued_day = issued_at // SECONDS_PER_DAY
    order = np.lexsort((account, issued_day))
    account, issued_day, tier, seats = account[order], issued_day[order], tier[order], seats[order]
    month = window.month_of(issued_day * SECONDS_PER_DAY)
    month_first_day = window.month_starts[month] // SECONDS_PER_DAY
    month_days = window.month_seconds[month] // SECONDS_PER_DAY
    period_end_day = month_first_day + month_days - 1
    # Invoiced in advance for the rest of the month: a mid-month start is prorated by days.
    remaining = (period_end_day - issued_day + 1) / month_days
    unit_cents = np.rint(PLAN_PRICE_CENTS[tier] * remaining).astype(np.int64)
    fee_cents = unit_cents * seats

    n = len(account)
    has_overage = rng.random(n) < OVERAGE_SHARE_BY_TIER[tier]
    overage_blocks = 1 + rng.poisson(2.0, n)
    overage_unit = OVERAGE_BLOCK_CENTS[tier]
    has_discount = rng.random(n) < DISCOUNT_SHARE
    discount_percent = DISCOUNT_PERCENTS[rng.integers(0, len(DISCOUNT_PERCENTS), n)]
    discount_cents = np.rint(fee_cents * discount_percent / 100).astype(np.int64)
    total = (
        fee_cents
        + np.where(has_overage, overage_blocks * overage_unit, 0)
        - np.where(has_discount, discount_cents, 0)
    )

    last_month = month == window.months - 1
    status_draw = rng.random(n)
    status = np.where(last_month, np.where(status_draw < 0.55, 1, 0), np.where(status_draw < 0.975, 0, 2))
    invoice_number = np.arange(1, n + 1)
    invoices = {
        "invoice_number": invoice_number,
        "account": account,
        "issued_day": issued_day,
        "period_end_day": period_end_day,
        "total_cents": total,
        "status": status,  # index into INVOICE_STATUSES
        "month": month,
    }

    line_invoice = np.concatenate([invoice_number, invoice_number[has_overage], invoice_number[has_discount]])
    line_type = np.concatenate(
        [np.zeros(n, dtype=np.int64), np.ones(has_overage.sum()), np.full(has_discount.sum(), 2)]
    )
    quantity = np.concatenate(
        [seats, overage_blocks[has_overage], np.ones(has_discount.sum(), dtype=np.int64)]
    )
    line_unit = np.concatenate([unit_cents, overage_unit[has_overage], -discount_cents[has_discount]])
    line_detail = np.concatenate([tier, tier[has_overage], discount_percent[has_discount]])
    line_order = np.lexsort((line_type, line_invoice))
    source = line_invoice[line_order] - 1
    lines = {
        "line_number": np.arange(1, len(line_order) + 1),
        "invoice_number": line_invoice[line_order],
        "issued_day": issued_day[source],
        "line_type": line_type[line_order].astype(np.int64),
        "detail": line_detail[line_order],
        "quantity": quantity[line_order],
        "unit_cents": line_unit[line_order],
        "amount_cents": quantity[line_order] * line_unit[line_order],
        "segment": accounts["segment"][account[source]],
        "month": month[source],
    }
    return invoices, lines


INVOICE_STATUSES = ("paid", "open", "past_due")


def _support(
    rng: np.random.Generator, window: Window, accounts: Columns, base: tuple[np.ndarray, ...]
) -> tuple[Columns, Columns]:
    """Tickets whose first-contact resolution and CSAT follow CS/support training with a ~2-month lag."""
    account, open_from, open_to = base
    month = window.month_of(open_from)
    segment = accounts["segment"][account]
    age = month - accounts["month"][account]
    rate = TICKETS_PER_ACCOUNT_MONTH[segment] * np.where(age < 2, 1.8, 1.0)
    count = rng.poisson(rate)
    source = np.repeat(np.arange(len(account)), count)
    opened_at = _uniform_between(rng, open_from[source], open_to[source])
    order = np.argsort(opened_at, kind="stable")
    source, opened_at = source[order], opened_at[order]
    account, segment = account[source], segment[source]
    month = window.month_of(opened_at)
    n = len(opened_at)

    channel = rng.choice(3, size=n, p=[0.50, 0.35, 0.15])
    priority = rng.choice(4, size=n, p=[0.30, 0.45, 0.20, 0.05])
    priority = np.where((segment == 2) & (rng.random(n) < 0.3), np.maximum(priority, 2), priority)
    skill_now = training_on_time(window.fraction(month))
    skill_lagged = training_on_time(window.fraction(month - 2))
    # Undertrained newcomers answer more slowly; how well they resolve follows training two months back.
    response_hours = FIRST_RESPONSE_MEDIAN_HOURS[channel] * (1 + 2.5 * (TRAINING_BASELINE - skill_now))
    first_response_at = opened_at + np.maximum(60, response_hours * rng.lognormal(0.0, 0.8, n) * 3600).astype(
        np.int64
    )
    single_contact = rng.random(n) < 0.20 + 0.65 * skill_lagged
    contacts = np.where(single_contact, 1, 2 + rng.poisson(0.8, n))
    reopened = rng.random(n) < 0.16 - 0.12 * skill_lagged
    resolve_hours = 5.0 * contacts * rng.lognormal(0.0, 0.7, n) + np.where(
        reopened, 48.0 * rng.lognormal(0.0, 0.5, n), 0
    )
    resolved_at = first_response_at + (resolve_hours * 3600).astype(np.int64)
    responded = first_response_at < window.end_ts
    resolved = resolved_at < window.end_ts
    tickets = {
        "ticket_number": np.arange(1, n + 1),
        "account": account,
        "segment": segment,
        "channel": channel,
        "priority": priority,
        "opened_at": opened_at,
        "first_response_at": np.where(responded, first_response_at, MISSING),
        "resolved_at": np.where(resolved, resolved_at, MISSING),
        "contacts": contacts,
        "reopened": reopened & resolved,
        "month": month,
    }

    surveyed = resolved & (rng.random(n) < CSAT_RESPONSE_SHARE)
    responded_at = resolved_at + (5.0 * rng.lognormal(0.0, 1.0, n) * 3600).astype(np.int64)
    surveyed &= responded_at < window.end_ts
    first_contact = single_contact & ~reopened
    # Satisfaction follows whether the ticket was fixed first time, and how skilled the team was.
    satisfied = rng.random(n) < np.where(first_contact, 0.90, 0.50) - 0.4 * (TRAINING_BASELINE - skill_lagged)
    score = np.where(
        satisfied,
        np.where(rng.random(n) < 0.55, 5, 4),
        rng.choice(np.array([1, 2, 3]), size=n, p=[0.2, 0.3, 0.5]),
    )
    csat_order = np.argsort(responded_at[surveyed], kind="stable")
    csat = {
        "response_number": np.arange(1, surveyed.sum() + 1),
        "ticket_number": tickets["ticket_number"][surveyed][csat_order],
        "responded_at": responded_at[surveyed][csat_order],
        "score": score[surveyed][csat_order],
        "month": window.month_of(responded_at[surveyed][csat_order]),
    }
    return tickets, csat
