"""``generate_demo``: write the demo company's source-system exports into a landing directory."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np

from orchestration.demo.customers import CustomerData, simulate_customers
from orchestration.demo.defects import DEFECTS, inject_defects
from orchestration.demo.finance import simulate_finance
from orchestration.demo.tables import build_tables
from orchestration.demo.timeline import SECONDS_PER_DAY, Window
from orchestration.demo.workforce import (
    CS_TEAMS,
    SUPPORT_TIER1,
    SUPPORT_TIER2,
    WorkforceData,
    simulate_workforce,
)
from orchestration.demo.writer import write_table

# The landing sub-folders this generator owns and replaces on every run.
SYSTEMS = ("billing", "crm", "product", "support", "hr", "finance")
MAX_MONTHS = 240
MAX_SCALE = 1000.0


@dataclass(frozen=True)
class TableOutput:
    """What one run wrote for one ``system.table``."""

    files: int
    rows: int


@dataclass(frozen=True)
class DemoSummary:
    """The result of ``generate_demo``: arguments used and files/rows written per ``system.table``."""

    landing_dir: Path
    start_month: date
    end_month: date
    months: int
    seed: int
    scale: float
    defects: frozenset[str]
    tables: dict[str, TableOutput]

    @property
    def total_files(self) -> int:
        return sum(output.files for output in self.tables.values())

    @property
    def total_rows(self) -> int:
        return sum(output.rows for output in self.tables.values())


def last_closed_month(today: date | None = None) -> date:
    """The first day of the month before ``today``'s month (the last month whose books are closed)."""
    today = today or date.today()
    return date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)


def _validate(
    seed: int, months: int, scale: float, end_month: date | None, defects: frozenset[str]
) -> tuple[date, frozenset[str]]:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}.")
    if isinstance(months, bool) or not isinstance(months, int | np.integer) or not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"months must be an integer from 1 to {MAX_MONTHS}, got {months!r}.")
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not 0 < scale <= MAX_SCALE:
        raise ValueError(f"scale must be a number above 0 and at most {MAX_SCALE:g}, got {scale!r}.")
    if end_month is None:
        end_month = last_closed_month()
    elif not isinstance(end_month, date) or end_month.day != 1:
        raise ValueError(f"end_month must be the first day of a month (e.g. 2025-06-01), got {end_month!r}.")
    if isinstance(defects, str):
        raise ValueError(f"defects must be a set of defect names, not the string {defects!r}.")
    requested = frozenset(defects)
    unknown = sorted(requested - DEFECTS.keys())
    if unknown:
        raise ValueError(f"Unknown defect name(s) {', '.join(unknown)}; choose from: {', '.join(DEFECTS)}.")
    return end_month, requested


def _start_month(end_month: date, months: int) -> date:
    index = end_month.year * 12 + end_month.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def _clear_landing(landing_dir: Path) -> None:
    """Remove the folders a previous demo run wrote, and nothing else in the landing directory."""
    for system in SYSTEMS:
        path = landing_dir / system
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)


def _cs_owners(
    rng: np.random.Generator, window: Window, customers: CustomerData, workforce: WorkforceData
) -> np.ndarray:
    """Each account's owner: a CSM on the team serving the account's segment on the window's last day."""
    last_day = window.end_ts // SECONDS_PER_DAY - 1
    segment = customers.accounts["segment"]
    owner = np.zeros(len(segment), dtype=np.int64)
    for seg, team in enumerate(CS_TEAMS):
        accounts = np.flatnonzero(segment == seg)
        if not len(accounts):
            continue
        members = workforce.members_on(last_day, (team,))
        if not len(members):
            raise RuntimeError(
                f"No CSM on team {team} at the end of the window; headcount planning is broken."
            )
        owner[accounts] = members[rng.integers(0, len(members), len(accounts))]
    return owner


def _agents(
    rng: np.random.Generator, window: Window, customers: CustomerData, workforce: WorkforceData
) -> np.ndarray:
    """The agent of each ticket, on the support team the day it opened: tier 2 takes high and urgent ones."""
    tickets = customers.tickets
    opened_day = tickets["opened_at"] // SECONDS_PER_DAY  # tickets are sorted by opening time
    escalated = tickets["priority"] >= 2
    agent = np.zeros(len(opened_day), dtype=np.int64)
    # A loop over days (not tickets): whoever is on the team that day can take that day's tickets.
    for day in range(window.start_ts // SECONDS_PER_DAY, window.end_ts // SECONDS_PER_DAY):
        low, high = np.searchsorted(opened_day, [day, day + 1])
        if low == high:
            continue
        tier1 = workforce.members_on(day, (SUPPORT_TIER1,))
        tier2 = workforce.members_on(day, (SUPPORT_TIER2,))
        everyone = np.union1d(tier1, tier2)
        if not len(everyone):
            raise RuntimeError(f"No support agent on day {day}; headcount planning is broken.")
        for pool, wanted in ((tier1, ~escalated[low:high]), (tier2, escalated[low:high])):
            rows = low + np.flatnonzero(wanted)
            pool = pool if len(pool) else everyone
            agent[rows] = pool[rng.integers(0, len(pool), len(rows))]
    return agent


def generate_demo(
    landing_dir: Path,
    *,
    seed: int = 42,
    months: int = 36,
    scale: float = 1.0,
    end_month: date | None = None,
    defects: frozenset[str] = frozenset(),
) -> DemoSummary:
    """Write the demo company's exports for ``months`` months ending with ``end_month`` into ``landing_dir``.

    ``end_month`` is the first day of the last month (default: the last closed month, today's month - 1).
    ``scale`` multiplies every volume (scale 1 is ~3,000 accounts over 36 months). ``defects`` names
    entries of ``DEFECTS`` to inject. The six system folders are replaced; the same arguments always
    produce byte-identical files.
    """
    end_month, requested = _validate(seed, months, scale, end_month, defects)
    window = Window(start_month=_start_month(end_month, months), months=int(months))
    simulation_seed, defect_seed = np.random.SeedSequence(int(seed)).spawn(2)
    rng = np.random.default_rng(simulation_seed)

    customers = simulate_customers(rng, window, float(scale))
    workforce = simulate_workforce(rng, window, customers)
    finance = simulate_finance(rng, window, customers, workforce)
    cs_owner = _cs_owners(rng, window, customers, workforce)
    agent = _agents(rng, window, customers, workforce)
    specs = build_tables(window, customers, workforce, finance, cs_owner, agent)
    inject_defects(np.random.default_rng(defect_seed), specs, requested)

    landing_dir = Path(landing_dir)
    landing_dir.mkdir(parents=True, exist_ok=True)
    _clear_landing(landing_dir)
    outputs: dict[str, TableOutput] = {}
    with duckdb.connect() as con:
        for spec in specs:
            files, rows = write_table(con, landing_dir, spec)
            outputs[spec.name] = TableOutput(files=files, rows=rows)
    return DemoSummary(
        landing_dir=landing_dir,
        start_month=window.start_month,
        end_month=end_month,
        months=int(months),
        seed=int(seed),
        scale=float(scale),
        defects=requested,
        tables=outputs,
    )
