"""Sample exports of Scrumptious Sweets: how the committed CSVs under landing/ were made.

    python examples/scrumptious_sweets/landing/generate.py

rewrites every landing/<system>/<table>/<YYYY-MM>.csv byte-identically (standard library only, one
fixed seed; run it from anywhere). The company itself needs no Python: the CSVs are committed and
this script is only the record of how they were made. Their columns are exactly those of
scorecard_config/sources.yml.

What the data shows, 2024-11 … 2026-10, for three store fronts (retail division) and the central
bakery (wholesale division): values drift by a yearly rate per location, so that against the
targets (revenue +5% and costs -3% on the same period last year, satisfaction 95%, sell-through
90%, queue 4 minutes, suggestions +40%, 8 training hours) the downtown store is mostly on track,
riverside mostly at risk and the airport store mostly off track, with month-to-month noise. Shares
(repeat visits, satisfied surveys) are drawn as quotas, not coin flips, so a month's share is close
to its planned value and statuses are not decided by sampling noise alone.

Each row is written to one file only, as the quality gates require of a load: employees in the
file of their hire month (the first file holds everyone on staff then), leavers in hr/terminations,
the four locations once, in finance/locations/2024-11.csv.
"""

from __future__ import annotations

import csv
import io
import math
import random
from datetime import date, datetime, timedelta
from pathlib import Path

LANDING = Path(__file__).resolve().parent
SEED = 20241101
FIRST_MONTH = date(2024, 11, 1)
MONTH_COUNT = 24  # 2024-11 … 2026-10

# location_id, name, type, division, opened_on, short code used in ids
LOCATIONS = [
    ("downtown_store", "Downtown", "store_front", "retail_division", "2012-04-02", "DT"),
    ("riverside_store", "Riverside", "store_front", "retail_division", "2016-09-15", "RV"),
    ("airport_store", "Airport", "store_front", "retail_division", "2019-03-01", "AP"),
    ("central_bakery", "Central bakery", "central_bakery", "wholesale_division", "2014-01-06", "CB"),
]
STORES = [loc for loc in LOCATIONS if loc[2] == "store_front"]

# Per location: monthly base and yearly drift (0.08 = +8% a year).
REVENUE = {"DT": (96_000, 0.08), "RV": (71_000, 0.005), "AP": (58_000, -0.07), "CB": (84_000, 0.06)}
COSTS = {"DT": (78_000, -0.045), "RV": (62_000, 0.02), "AP": (51_000, 0.09), "CB": (66_000, -0.035)}
COST_SPLIT = [
    ("staff", 0.45),
    ("ingredients", 0.28),
    ("rent", 0.14),
    ("utilities", 0.06),
    ("packaging", 0.07),
]
AVERAGE_TICKET = {"DT": 9.40, "RV": 8.70, "AP": 11.20, "CB": 305.0}
SEASON = {
    1: 0.92,
    2: 0.90,
    3: 0.98,
    4: 1.03,
    5: 1.00,
    6: 0.97,
    7: 0.95,
    8: 0.94,
    9: 0.99,
    10: 1.02,
    11: 1.04,
    12: 1.26,
}
AIRPORT_SEASON = {
    1: 0.90,
    2: 0.88,
    3: 0.97,
    4: 1.02,
    5: 1.00,
    6: 1.06,
    7: 1.13,
    8: 1.12,
    9: 1.00,
    10: 0.98,
    11: 0.97,
    12: 1.10,
}
# Weekday factors (Monday = 0) of daily sales; the central bakery does not deliver on Sundays.
WEEKDAY = {
    "store": [0.92, 0.90, 0.93, 0.97, 1.08, 1.30, 0.90],
    "AP": [1.0, 0.96, 0.96, 1.0, 1.08, 1.0, 1.0],
    "CB": [1.05, 1.0, 1.0, 1.0, 1.08, 0.87, 0.0],
}

# Store fronts only: loyalty visits a month, repeat share (start, drift a year), median queue minutes.
VISITS = {"DT": 130, "RV": 110, "AP": 100}
REPEAT_SHARE = {"DT": (0.56, 0.045), "RV": (0.52, 0.0), "AP": (0.30, -0.03)}
QUEUE_MEDIAN = {"DT": (3.75, -0.20), "RV": (4.15, 0.08), "AP": (5.40, -0.10)}
# Survey answers a month and satisfied share (start, drift a year).
SURVEYS = {"DT": 55, "RV": 45, "AP": 50, "CB": 25}
SATISFIED = {"DT": (0.945, 0.01), "RV": (0.905, 0.0), "AP": (0.865, -0.02), "CB": (0.962, 0.0)}
# Units baked a day and the share sold fresh; downtown adopts demand-based batch planning in 2025-06.
UNITS_BAKED = {"DT": 420, "RV": 320, "AP": 300, "CB": 1400}
SELL_THROUGH = {"DT": (0.870, 0.0), "RV": (0.860, 0.01), "AP": (0.800, -0.01), "CB": (0.936, 0.0)}
BATCH_PLANNING = ("DT", date(2025, 6, 1), 0.05)
# Staff by role, suggestions a month (start, drift a year), training hours a year per employee.
ROSTER = {
    "DT": {"store_manager": 1, "shift_lead": 2, "baker": 3, "counter_staff": 8},
    "RV": {"store_manager": 1, "shift_lead": 1, "baker": 2, "counter_staff": 7},
    "AP": {"store_manager": 1, "shift_lead": 1, "baker": 2, "counter_staff": 6},
    "CB": {"bakery_manager": 1, "baker": 10, "packer": 3, "driver": 3, "account_manager": 1},
}
SUGGESTIONS = {"DT": (5.0, 0.55), "RV": (4.0, 0.30), "AP": (3.5, 0.05), "CB": (6.0, 0.45)}
TRAINING_HOURS = {"DT": 10.6, "RV": 8.9, "AP": 7.6, "CB": 10.0}
COURSES = [
    ("food_safety", 3.0),
    ("allergen_awareness", 2.0),
    ("customer_service", 2.5),
    ("barista_basics", 2.0),
    ("lamination_techniques", 4.0),
    ("first_aid", 3.5),
]

rng = random.Random(SEED)


def months() -> list[date]:
    result = []
    year, month = FIRST_MONTH.year, FIRST_MONTH.month
    for _ in range(MONTH_COUNT):
        result.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def month_end(month: date) -> date:
    following = date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)
    return following - timedelta(days=1)


def days_of(month: date) -> list[date]:
    return [month + timedelta(days=offset) for offset in range((month_end(month) - month).days + 1)]


def years_since_start(day: date) -> float:
    return (day - FIRST_MONTH).days / 365.25


def drifted(start: float, drift: float, day: date, multiplicative: bool = True) -> float:
    years = years_since_start(day)
    return start * (1 + drift) ** years if multiplicative else start + drift * years


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def money(value: float) -> str:
    return f"{value:.2f}"


def write(system: str, table: str, month: date, header: list[str], rows: list[list[object]]) -> None:
    path = LANDING / system / table / f"{month:%Y-%m}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def quota(count: int, share: float) -> list[bool]:
    """`count` flags, round(count * share) of them true, in random order."""
    hits = min(count, max(0, round(count * share)))
    flags = [True] * hits + [False] * (count - hits)
    rng.shuffle(flags)
    return flags


def random_moment(day: date, first_hour: int, last_hour: int) -> datetime:
    minute = rng.randrange(first_hour * 60, last_hour * 60)
    return datetime(day.year, day.month, day.day, minute // 60, minute % 60, rng.randrange(60))


def locations(month: date) -> None:
    """The cost centres: one file, as no location has opened or changed since the first export."""
    header = ["location_id", "location_name", "location_type", "division", "opened_on"]
    write("finance", "locations", month, header, [list(loc[:5]) for loc in LOCATIONS])


def sales(month: date) -> None:
    rows = []
    for location_id, _, _, _, _, code in LOCATIONS:
        base, drift = REVENUE[code]
        season = (AIRPORT_SEASON if code == "AP" else SEASON)[month.month]
        month_shock = rng.gauss(1.0, 0.02)
        weekdays = WEEKDAY.get(code, WEEKDAY["store"])
        for day in days_of(month):
            weekday = weekdays[day.weekday()]
            if weekday == 0:
                continue
            daily = drifted(base, drift, day) * 12 / 365.25 * season * weekday * month_shock
            amount = daily * rng.gauss(1.0, 0.05)
            transactions = max(1, round(amount / (AVERAGE_TICKET[code] * rng.gauss(1.0, 0.03))))
            rows.append(
                [f"DS-{code}-{day:%Y%m%d}", location_id, day.isoformat(), transactions, money(amount)]
            )
    write(
        "pos",
        "sales",
        month,
        ["sales_report_id", "location_id", "business_date", "transactions", "net_amount"],
        rows,
    )


def operating_costs(month: date, sequence: list[int]) -> None:
    rows = []
    posted_on = month_end(month)
    for location_id, _, _, _, _, code in LOCATIONS:
        base, drift = COSTS[code]
        season = 1 + ((AIRPORT_SEASON if code == "AP" else SEASON)[month.month] - 1) * 0.4
        total = drifted(base, drift, month) * season * rng.gauss(1.0, 0.015)
        for category, share in COST_SPLIT:
            sequence[0] += 1
            amount = total * share * rng.gauss(1.0, 0.02)
            rows.append([f"OC{sequence[0]:06d}", location_id, posted_on.isoformat(), category, money(amount)])
    write(
        "finance",
        "operating_costs",
        month,
        ["cost_line_id", "location_id", "posted_on", "category", "amount"],
        rows,
    )


class LoyaltyVisits:
    """Visits of each store's loyalty members, choosing repeat customers by quota."""

    def __init__(self) -> None:
        self.last_visit: dict[str, dict[str, datetime]] = {code: {} for code in VISITS}
        self.members = 0
        self.visits = 0

    def month(self, month: date) -> None:
        rows = []
        for location_id, _, _, _, _, code in STORES:
            season = 1 + (SEASON[month.month] - 1) * 0.5
            count = round(VISITS[code] * season * rng.gauss(1.0, 0.04))
            start, drift = REPEAT_SHARE[code]
            share = drifted(start, drift, month, multiplicative=False) + rng.gauss(0, 0.008)
            median_start, median_drift = QUEUE_MEDIAN[code]
            median = drifted(median_start, median_drift, month, multiplicative=False)
            days = days_of(month)
            moments = sorted(random_moment(rng.choice(days), 7, 19) for _ in range(count))
            members = self.last_visit[code]
            for moment, repeat in zip(moments, quota(count, share), strict=True):
                window_start = moment - timedelta(days=90)
                if repeat:
                    candidates = [m for m, last in members.items() if window_start <= last < moment]
                else:
                    candidates = [m for m, last in members.items() if last < window_start]
                if candidates and (repeat or rng.random() < 0.35):
                    member = rng.choice(candidates)
                else:
                    self.members += 1
                    member = f"L{self.members:06d}"
                members[member] = moment
                self.visits += 1
                # The queue sensor stops counting at 30 minutes.
                queue = min(30.0, max(0.2, round(median * math.exp(rng.gauss(0, 0.42)), 1)))
                rows.append([f"V{self.visits:07d}", location_id, member, stamp(moment), queue])
        write(
            "pos",
            "customer_visits",
            month,
            ["visit_id", "location_id", "loyalty_id", "visited_at", "queue_minutes"],
            rows,
        )


def survey_responses(month: date, sequence: list[int]) -> None:
    rows = []
    for location_id, _, location_type, _, _, code in LOCATIONS:
        count = round(SURVEYS[code] * rng.gauss(1.0, 0.08))
        start, drift = SATISFIED[code]
        share = drifted(start, drift, month, multiplicative=False) + rng.gauss(0, 0.01)
        channel = "receipt_qr" if location_type == "store_front" else "delivery_follow_up"
        moments = sorted(random_moment(rng.choice(days_of(month)), 8, 22) for _ in range(count))
        for moment, satisfied in zip(moments, quota(count, share), strict=True):
            sequence[0] += 1
            rows.append([f"R{sequence[0]:06d}", location_id, channel, stamp(moment), str(satisfied).lower()])
    write(
        "surveys",
        "responses",
        month,
        ["response_id", "location_id", "channel", "answered_at", "satisfied"],
        rows,
    )


def batches(month: date, sequence: list[int]) -> None:
    rows = []
    for location_id, _, _, _, _, code in LOCATIONS:
        start, drift = SELL_THROUGH[code]
        share = drifted(start, drift, month, multiplicative=False) + rng.gauss(0, 0.006)
        if code == BATCH_PLANNING[0] and month >= BATCH_PLANNING[1]:
            share += BATCH_PLANNING[2]
        weekdays = WEEKDAY.get(code, WEEKDAY["store"])
        for day in days_of(month):
            if weekdays[day.weekday()] == 0:
                continue
            daily = UNITS_BAKED[code] * weekdays[day.weekday()]
            for hour, part in ((5, 0.6), (12, 0.4)):
                sequence[0] += 1
                baked = max(1, round(daily * part * rng.gauss(1.0, 0.06)))
                sold = min(baked, round(baked * min(0.995, share * rng.gauss(1.0, 0.02))))
                # Of what is left, some is sold the next day at a discount; the rest is discarded.
                discarded = round((baked - sold) * 0.45)
                moment = datetime(day.year, day.month, day.day, hour, rng.randrange(0, 45))
                rows.append([f"B{sequence[0]:06d}", location_id, stamp(moment), baked, sold, discarded])
    write(
        "bakery_ops",
        "batches",
        month,
        ["batch_id", "location_id", "baked_at", "units_baked", "units_sold_fresh", "units_discarded"],
        rows,
    )


class Workforce:
    """Employees (hires, leavers), their suggestions and their training."""

    def __init__(self) -> None:
        self.employees: list[dict[str, object]] = []
        self.suggestions = 0
        self.attendances = 0
        self.trainings: list[tuple[str, date, float]] = []
        self.suggestion_carry = {code: 0.0 for code in SUGGESTIONS}
        self.training_carry = {code: 0.0 for code in TRAINING_HOURS}
        for _, _, _, _, opened_on, code in LOCATIONS:
            opened = date.fromisoformat(opened_on)
            for role, count in ROSTER[code].items():
                for _ in range(count):
                    hired = opened + timedelta(days=rng.randrange((FIRST_MONTH - opened).days - 30))
                    self._hire(code, role, hired)

    def _hire(self, code: str, role: str, hired: date) -> dict[str, object]:
        employee = {
            "employee_id": f"E{len(self.employees) + 1:04d}",
            "code": code,
            "role": role,
            "hire_date": hired,
            "termination_date": None,
            "termination_reason": None,
        }
        self.employees.append(employee)
        return employee

    def on_staff(self, code: str, day: date) -> list[dict[str, object]]:
        return [
            e
            for e in self.employees
            if e["code"] == code
            and e["hire_date"] <= day
            and (e["termination_date"] is None or e["termination_date"] > day)
        ]

    def month(self, month: date) -> None:
        days = days_of(month)
        hires: list[dict[str, object]] = list(self.employees) if month == FIRST_MONTH else []
        leavers: list[dict[str, object]] = []
        # One or two leavers a month, each replaced by a hire in the same role a few days later.
        for _ in range(1 if rng.random() < 0.6 else 2):
            code = rng.choice([loc[5] for loc in LOCATIONS])
            leaver = rng.choice(self.on_staff(code, month))
            leaver["termination_date"] = rng.choice(days[:-7])
            leaver["termination_reason"] = "voluntary" if rng.random() < 0.8 else "involuntary"
            leavers.append(leaver)
            hired = leaver["termination_date"] + timedelta(days=rng.randrange(1, 7))
            hires.append(self._hire(code, str(leaver["role"]), hired))
        location_of = {loc[5]: loc[0] for loc in LOCATIONS}
        write(
            "hr",
            "employees",
            month,
            ["employee_id", "location_id", "job_role", "hire_date"],
            [
                [e["employee_id"], location_of[e["code"]], e["role"], e["hire_date"].isoformat()]
                for e in hires
            ],
        )
        leavers.sort(key=lambda e: (e["termination_date"], e["employee_id"]))
        write(
            "hr",
            "terminations",
            month,
            ["employee_id", "termination_date", "termination_reason"],
            [[e["employee_id"], e["termination_date"].isoformat(), e["termination_reason"]] for e in leavers],
        )
        self._suggestions(month, days)
        self._training(month, days)

    def _suggestions(self, month: date, days: list[date]) -> None:
        rows = []
        for code, (start, drift) in SUGGESTIONS.items():
            wanted = drifted(start, drift, month) + self.suggestion_carry[code]
            count = max(0, round(wanted + rng.uniform(-0.6, 0.6)))
            self.suggestion_carry[code] = wanted - count
            for _ in range(count):
                day = rng.choice(days)
                staff = self.on_staff(code, day)
                self.suggestions += 1
                rows.append(
                    [
                        f"S{self.suggestions:05d}",
                        rng.choice(staff)["employee_id"],
                        stamp(random_moment(day, 6, 20)),
                        str(rng.random() < 0.3).lower(),
                    ]
                )
        rows.sort(key=lambda row: (row[2], row[0]))
        write("hr", "suggestions", month, ["suggestion_id", "employee_id", "submitted_at", "adopted"], rows)

    def _training(self, month: date, days: list[date]) -> None:
        """Each location's training hours go to whoever has trained least in the last 12 months."""
        rows = []
        window_start = date(month.year - 1, month.month, 1)
        for code, hours_a_year in TRAINING_HOURS.items():
            staff = self.on_staff(code, month_end(month))
            wanted = len(staff) * hours_a_year / 12 + self.training_carry[code]
            while wanted > 1.0:
                course, hours = rng.choice(COURSES)
                day = rng.choice([d for d in days if d.weekday() < 5])
                trained = {
                    e["employee_id"]: sum(
                        h
                        for employee_id, on, h in self.trainings
                        if employee_id == e["employee_id"] and on >= window_start
                    )
                    for e in staff
                }
                fewest = min(trained.values())
                attendee = rng.choice([e for e in staff if trained[e["employee_id"]] == fewest])
                self.trainings.append((attendee["employee_id"], day, hours))
                self.attendances += 1
                rows.append(
                    [f"T{self.attendances:05d}", attendee["employee_id"], course, day.isoformat(), hours]
                )
                wanted -= hours
            self.training_carry[code] = wanted
        rows.sort(key=lambda row: (row[3], row[0]))
        write(
            "hr",
            "training_sessions",
            month,
            ["attendance_id", "employee_id", "course", "attended_on", "hours"],
            rows,
        )


def main() -> None:
    visits = LoyaltyVisits()
    workforce = Workforce()
    cost_lines, responses, batch_ids = [0], [0], [0]
    locations(FIRST_MONTH)
    for month in months():
        sales(month)
        operating_costs(month, cost_lines)
        visits.month(month)
        survey_responses(month, responses)
        batches(month, batch_ids)
        workforce.month(month)


if __name__ == "__main__":
    main()
