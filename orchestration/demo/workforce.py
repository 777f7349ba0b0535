"""The people side of the demo company: employees, team history, training and engagement.

Headcount follows the customer base (CSMs per active account of their segment, support agents per
ticket volume), attrition rises when engagement sags, some staff change team (a CSM promoted from
cs_smb to cs_mid_market, a tier-1 agent moving to tier 2). Training on-time completion of CS and
support staff follows the designed dip in ``timeline.training_on_time``. Dates are epoch days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.demo.customers import MISSING, Columns, CustomerData
from orchestration.demo.timeline import (
    SECONDS_PER_DAY,
    Window,
    engagement_dip,
    engagement_mean,
    training_on_time,
)

# (department, team, job title)
TEAMS = (
    ("customer_success", "cs_smb", "Customer Success Manager"),
    ("customer_success", "cs_mid_market", "Customer Success Manager"),
    ("customer_success", "cs_enterprise", "Senior Customer Success Manager"),
    ("support", "support_tier1", "Support Specialist"),
    ("support", "support_tier2", "Support Engineer"),
    ("sales", "sales", "Account Executive"),
    ("engineering", "engineering", "Software Engineer"),
    ("finance", "finance", "Financial Analyst"),
    ("people", "people", "People Partner"),
)
CS_TEAMS = (0, 1, 2)  # index = customer segment (smb, mid_market, enterprise)
SUPPORT_TIER1, SUPPORT_TIER2 = 3, 4
SKILLED_TEAMS = (0, 1, 2, 3, 4)  # customer-success and support staff follow the training curve
ACCOUNTS_PER_CSM = np.array([120, 50, 15])
# Team moves per month for staff with 6+ months' tenure: (from, to, monthly probability).
TEAM_MOVES = ((0, 1, 0.020), (1, 2, 0.012), (SUPPORT_TIER1, SUPPORT_TIER2, 0.020), (SUPPORT_TIER2, 0, 0.006))
PROMOTION_MONTH = 3
INVOLUNTARY_RATE = 0.003
VOLUNTARY_RATE, VOLUNTARY_RATE_IN_DIP = 0.009, 0.012
TERMINATION_REASONS = ("voluntary", "involuntary")

SKILLED_COURSES = (
    ("CS-101", "Guided onboarding playbook"),
    ("CS-110", "Account health scores"),
    ("CS-120", "Renewal conversations"),
    ("SUP-201", "Troubleshooting data connectors"),
    ("SUP-210", "Writing resolutions that stick"),
    ("SUP-220", "Escalation handling"),
)
COMPLIANCE_COURSE = ("SEC-100", "Security awareness")
COURSES = (*SKILLED_COURSES, COMPLIANCE_COURSE)
COURSES_PER_MONTH_SKILLED = 3
OTHER_STAFF_ON_TIME = 0.90
SURVEY_RESPONSE_SHARE = 0.80


@dataclass(frozen=True)
class WorkforceData:
    """Simulated HR tables plus the team spells other simulations pick people from."""

    employees: Columns
    team_assignments: Columns
    training_assignments: Columns
    training_completions: Columns
    engagement_survey: Columns
    headcount_by_team: np.ndarray  # (months, len(TEAMS)) at each month end

    def members_on(self, day: int, teams: tuple[int, ...]) -> np.ndarray:
        """Employee numbers assigned to one of ``teams`` on epoch day ``day`` (sorted)."""
        spells = self.team_assignments
        open_until = np.where(spells["valid_to"] == MISSING, np.iinfo(np.int64).max, spells["valid_to"])
        on_team = (spells["valid_from"] <= day) & (day < open_until) & np.isin(spells["team"], teams)
        return np.unique(spells["employee_number"][on_team])


def headcount_targets(customers: CustomerData) -> np.ndarray:
    """Planned headcount per team at each month end, derived from the customer base it serves."""
    active = customers.active_by_segment
    total_active = active.sum(axis=1)
    tickets = customers.tickets_per_month
    targets = np.column_stack(
        [
            np.maximum(1, np.ceil(active / ACCOUNTS_PER_CSM)),
            np.maximum(2, np.ceil(tickets * 0.75 / 110)),
            np.maximum(1, np.ceil(tickets * 0.25 / 70)),
            2 + np.ceil(customers.new_accounts / 12),
            6 + np.ceil(total_active / 90),
            1 + np.ceil(total_active / 500),
            np.zeros(len(total_active)),
        ]
    ).astype(np.int64)
    targets[:, 8] = 1 + np.ceil(targets[:, :8].sum(axis=1) / 45)
    return targets


@dataclass
class _Staff:
    """Everyone employed at some point, by internal id (array index), and their team spells.

    ``team`` is the current team (-1 once gone); a spell is one employee's time in one team
    (``spell_to`` MISSING while it lasts), ``open_spell`` each employee's current or last spell.
    """

    team: np.ndarray
    hire_day: np.ndarray
    term_day: np.ndarray
    reason: np.ndarray
    spell_employee: np.ndarray
    spell_team: np.ndarray
    spell_from: np.ndarray
    spell_to: np.ndarray
    open_spell: np.ndarray

    @classmethod
    def initial(cls, rng: np.random.Generator, targets: np.ndarray, first_day: int) -> _Staff:
        """Staff in place when the window opens, hired over the previous five years."""
        team = np.repeat(np.arange(len(TEAMS)), targets[0])
        hire_day = first_day - rng.integers(30, 5 * 365, len(team))
        return cls(
            team=team.copy(),
            hire_day=hire_day,
            term_day=np.full(len(team), MISSING),
            reason=np.full(len(team), MISSING),
            spell_employee=np.arange(len(team)),
            spell_team=team.copy(),
            spell_from=hire_day.copy(),
            spell_to=np.full(len(team), MISSING),
            open_spell=np.arange(len(team)),
        )

    def leave(self, rng: np.random.Generator, day0: int, days: int, voluntary_rate: float) -> np.ndarray:
        """This month's leavers (voluntary or not) go; returns the ids of those who stay."""
        active = np.flatnonzero(self.team >= 0)
        draw = rng.random(len(active))
        leaves = draw < voluntary_rate + INVOLUNTARY_RATE
        leavers = active[leaves]
        self.term_day[leavers] = day0 + rng.integers(0, days, len(leavers))
        self.reason[leavers] = np.where(draw[leaves] < voluntary_rate, 0, 1)
        self.spell_to[self.open_spell[leavers]] = self.term_day[leavers]
        self.team[leavers] = -1
        return active[~leaves]

    def move(
        self, rng: np.random.Generator, stayers: np.ndarray, day0: int, days: int, promote: bool
    ) -> None:
        """Team moves of staff with six months' tenure (TEAM_MOVES), and the annual promotion, which
        moves the longest-serving SMB CSM to the mid-market team."""
        tenured = stayers[self.hire_day[stayers] <= day0 - 180]
        move_draw = rng.random(len(tenured))
        move_day = day0 + rng.integers(1, days, len(tenured))
        new_team = self.team[tenured].copy()
        for source, target, probability in TEAM_MOVES:
            new_team[(self.team[tenured] == source) & (move_draw < probability)] = target
        if promote:
            smb = np.flatnonzero(self.team[tenured] == CS_TEAMS[0])
            if len(smb):
                new_team[smb[np.argmin(self.hire_day[tenured[smb]])]] = CS_TEAMS[1]
        movers = new_team != self.team[tenured]
        who, when = tenured[movers], move_day[movers]
        self.spell_to[self.open_spell[who]] = when
        self.open_spell[who] = len(self.spell_employee) + np.arange(len(who))
        self._open_spells(who, new_team[movers], when)
        self.team[who] = new_team[movers]

    def hire(self, rng: np.random.Generator, target: np.ndarray, day0: int, days: int) -> None:
        """Hire up to this month's target headcount of every team."""
        current = np.bincount(self.team[self.team >= 0], minlength=len(TEAMS))
        hires_team = np.repeat(np.arange(len(TEAMS)), np.maximum(0, target - current))
        new_ids = len(self.team) + np.arange(len(hires_team))
        new_hire_day = day0 + rng.integers(0, days, len(hires_team))
        self.team = np.concatenate([self.team, hires_team])
        self.hire_day = np.concatenate([self.hire_day, new_hire_day])
        self.term_day = np.concatenate([self.term_day, np.full(len(new_ids), MISSING)])
        self.reason = np.concatenate([self.reason, np.full(len(new_ids), MISSING)])
        self.open_spell = np.concatenate(
            [self.open_spell, len(self.spell_employee) + np.arange(len(new_ids))]
        )
        self._open_spells(new_ids, hires_team, new_hire_day)

    def _open_spells(self, who: np.ndarray, teams: np.ndarray, start_day: np.ndarray) -> None:
        self.spell_employee = np.concatenate([self.spell_employee, who])
        self.spell_team = np.concatenate([self.spell_team, teams])
        self.spell_from = np.concatenate([self.spell_from, start_day])
        self.spell_to = np.concatenate([self.spell_to, np.full(len(who), MISSING)])

    def headcount(self) -> np.ndarray:
        return np.bincount(self.team[self.team >= 0], minlength=len(TEAMS))


def simulate_workforce(rng: np.random.Generator, window: Window, customers: CustomerData) -> WorkforceData:
    """Hire, move and lose staff month by month, then generate their training and survey answers."""
    targets = headcount_targets(customers)
    first_day = window.start_ts // SECONDS_PER_DAY
    staff = _Staff.initial(rng, targets, first_day)
    headcount = np.zeros_like(targets)
    for m in range(window.months):
        day0 = window.month_starts[m] // SECONDS_PER_DAY
        days = window.month_seconds[m] // SECONDS_PER_DAY
        voluntary_rate = VOLUNTARY_RATE + VOLUNTARY_RATE_IN_DIP * engagement_dip(window.fraction(m))
        stayers = staff.leave(rng, day0, days, voluntary_rate)
        staff.move(rng, stayers, day0, days, promote=window.calendar_month(m) == PROMOTION_MONTH)
        staff.hire(rng, targets[m], day0, days)
        headcount[m] = staff.headcount()
    employees, team_assignments, number_of = _employee_tables(rng, window, staff, first_day)
    workforce = WorkforceData(
        employees=employees,
        team_assignments=team_assignments,
        training_assignments={},
        training_completions={},
        engagement_survey={},
        headcount_by_team=headcount,
    )
    term_by_number = np.full(len(staff.hire_day) + 1, MISSING)
    term_by_number[number_of] = staff.term_day
    assignments, completions = _training(rng, window, workforce, term_by_number)
    survey = _engagement(rng, window, workforce, window.end_ts // SECONDS_PER_DAY)
    return WorkforceData(
        employees=employees,
        team_assignments=team_assignments,
        training_assignments=assignments,
        training_completions=completions,
        engagement_survey=survey,
        headcount_by_team=headcount,
    )


def _employee_tables(
    rng: np.random.Generator, window: Window, staff: _Staff, first_day: int
) -> tuple[Columns, Columns, np.ndarray]:
    """The employees and team-assignment columns, numbered in order of hire (so ids read
    chronologically); also each internal id's employee number."""
    hire_day, term_day, open_spell = staff.hire_day, staff.term_day, staff.open_spell
    by_hire = np.lexsort((np.arange(len(hire_day)), hire_day))
    number_of = np.empty(len(hire_day), dtype=np.int64)
    number_of[by_hire] = np.arange(1, len(hire_day) + 1)
    last_change = np.maximum(hire_day, staff.spell_from[open_spell])
    last_change = np.where(term_day != MISSING, term_day, last_change)
    updated_at = np.minimum(
        np.maximum(last_change, first_day - 400) * SECONDS_PER_DAY
        + rng.integers(8 * 3600, 18 * 3600, len(hire_day)),
        window.end_ts - 1,
    )
    n = len(hire_day)
    employees = {
        "employee_number": number_of[by_hire],
        "hire_day": hire_day[by_hire],
        "term_day": term_day[by_hire],
        "reason": staff.reason[by_hire],
        "last_team": staff.spell_team[open_spell][by_hire],
        "updated_at": updated_at[by_hire],
        "name_first": rng.integers(0, 1 << 16, n),
        "name_last": rng.integers(0, 1 << 16, n),
    }
    spell_order = np.lexsort((staff.spell_from, number_of[staff.spell_employee]))
    team_assignments = {
        "assignment_number": np.arange(1, len(spell_order) + 1),
        "employee_number": number_of[staff.spell_employee][spell_order],
        "team": staff.spell_team[spell_order],
        "valid_from": staff.spell_from[spell_order],
        "valid_to": staff.spell_to[spell_order],
    }
    return employees, team_assignments, number_of


def _training(
    rng: np.random.Generator, window: Window, workforce: WorkforceData, term_by_number: np.ndarray
) -> tuple[Columns, Columns]:
    """Monthly courses for CS/support staff, a quarterly security course for everyone."""
    everyone = tuple(range(len(TEAMS)))
    parts: list[tuple[np.ndarray, ...]] = []  # (employee, course, assigned_day, skilled, month)
    for m in range(window.months):
        day0 = int(window.month_starts[m] // SECONDS_PER_DAY)
        skilled = workforce.members_on(day0, SKILLED_TEAMS)
        who = np.repeat(skilled, COURSES_PER_MONTH_SKILLED)
        # Distinct courses per person and month: the first few columns of a random permutation.
        permutation = np.argsort(rng.random((len(skilled), len(SKILLED_COURSES))), axis=1)
        course = permutation[:, :COURSES_PER_MONTH_SKILLED].ravel()
        flags = np.ones(len(who), dtype=bool)
        if window.calendar_month(m) in (1, 4, 7, 10):
            staff = workforce.members_on(day0, everyone)
            who = np.concatenate([who, staff])
            course = np.concatenate([course, np.full(len(staff), len(COURSES) - 1)])
            flags = np.concatenate([flags, np.isin(staff, skilled)])
        parts.append((who, course, day0 + rng.integers(0, 5, len(who)), flags, np.full(len(who), m)))
    employee, course, assigned_day, skilled, month = (np.concatenate(p) for p in zip(*parts, strict=True))
    order = np.lexsort((course, employee, assigned_day))
    employee, course, assigned_day, skilled, month = (
        a[order] for a in (employee, course, assigned_day, skilled, month)
    )
    due_day = assigned_day + 20  # always due in the month it was assigned
    n = len(employee)
    assignments = {
        "assignment_number": np.arange(1, n + 1),
        "employee_number": employee,
        "course": course,
        "assigned_day": assigned_day,
        "due_day": due_day,
        "month": month,
    }

    p_on_time = np.where(skilled, training_on_time(window.fraction(month)), OTHER_STAFF_ON_TIME)
    draw = rng.random(n)
    on_time = draw < p_on_time
    late = ~on_time & (draw < p_on_time + (1 - p_on_time) * 0.55)
    window_days = due_day - assigned_day + 1
    on_time_at = assigned_day * SECONDS_PER_DAY + (rng.random(n) * window_days * SECONDS_PER_DAY).astype(
        np.int64
    )
    late_at = (due_day + 1 + rng.integers(0, 40, n)) * SECONDS_PER_DAY + rng.integers(0, SECONDS_PER_DAY, n)
    completed_at = np.where(on_time, on_time_at, late_at)
    left_day = term_by_number[employee]
    still_there = (left_day == MISSING) | (completed_at < left_day * SECONDS_PER_DAY)
    done = (on_time | late) & still_there & (completed_at < window.end_ts)
    done_order = np.argsort(completed_at[done], kind="stable")
    completed = completed_at[done][done_order]
    completions = {
        "completion_number": np.arange(1, done.sum() + 1),
        "assignment_number": assignments["assignment_number"][done][done_order],
        "completed_at": completed,
        "score": np.round(60 + 40 * rng.beta(5, 2, n)[done][done_order], 1),
        "month": window.month_of(completed),
    }
    return assignments, completions


def _engagement(rng: np.random.Generator, window: Window, workforce: WorkforceData, end_day: int) -> Columns:
    """A quarterly survey opening on the 10th of each quarter's middle month, answered over two weeks."""
    everyone = tuple(range(len(TEAMS)))
    parts: list[tuple[np.ndarray, ...]] = []
    for m in range(window.months):
        if window.calendar_month(m) not in (2, 5, 8, 11):
            continue
        open_day = int(window.month_starts[m] // SECONDS_PER_DAY) + 9
        staff = workforce.members_on(open_day, everyone)
        answering = staff[rng.random(len(staff)) < SURVEY_RESPONSE_SHARE]
        submitted = open_day * SECONDS_PER_DAY + rng.integers(0, 14 * SECONDS_PER_DAY, len(answering))
        score = np.clip(np.rint(rng.normal(engagement_mean(window.fraction(m)), 0.85, len(answering))), 1, 5)
        parts.append((answering, submitted, score.astype(np.int64), np.full(len(answering), m)))
    if not parts:
        return {
            name: np.zeros(0, dtype=np.int64)
            for name in ("response_number", "employee_number", "submitted_at", "score", "month")
        }
    employee, submitted, score, month = (np.concatenate(p) for p in zip(*parts, strict=True))
    keep = submitted < end_day * SECONDS_PER_DAY
    order = np.lexsort((employee[keep], submitted[keep]))
    return {
        "response_number": np.arange(1, keep.sum() + 1),
        "employee_number": employee[keep][order],
        "submitted_at": submitted[keep][order],
        "score": score[keep][order],
        "month": month[keep][order],
    }
