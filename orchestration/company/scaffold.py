"""``scorecard init DIR``: a new company folder that validates and publishes as it is.

The template (``template/``, package data) is the smallest complete company: the four perspectives,
one objective, one measure with a target and a cascade on the company's own segment dimension, a
source registry for one CSV table, its staging and measure model with YAML and a unit test, a Great
Expectations suite, and a few months of sample orders. Placeholders are ``${name}`` (string.Template),
so the dbt Jinja in the template passes through untouched.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from string import Template

from orchestration.config.periods import add_months
from orchestration.settings import ENGINE_DBT_DIR

TEMPLATE_DIR = Path(__file__).parent / "template"
SAMPLE_MONTHS = 6
_DBT_NAME = re.compile(r"[^a-z0-9_]+")


class CompanyExistsError(ValueError):
    """The target folder already holds files; ``scorecard init`` never overwrites a company."""


@dataclass(frozen=True)
class ScaffoldResult:
    company_dir: Path
    files: tuple[Path, ...]
    first_month: date
    last_month: date


def _dbt_project_name(company_dir: Path) -> str:
    name = _DBT_NAME.sub("_", company_dir.name.lower()).strip("_") or "company"
    return name if name[0].isalpha() else f"company_{name}"


def _sample_orders(month: date, index: int, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """One month of orders: online grows ~4% a month from ~5,400, retail holds ~4,000."""
    rows = []
    for channel, base, growth, count in (("online", 5400.0, 0.04, 18), ("retail", 4000.0, 0.0, 16)):
        total = base * (1 + growth) ** index
        for number in range(1, count + 1):
            day = 1 + (number * 7 + index) % 27
            amount = total / count * rng.uniform(0.8, 1.2)
            rows.append(
                (
                    f"{month:%Y%m}-{channel[0]}{number:03d}",
                    f"{month.year:04d}-{month.month:02d}-{day:02d} {9 + number % 9:02d}:15:00",
                    channel,
                    f"{amount:.2f}",
                )
            )
    return rows


def _orders_csv(rows: list[tuple[str, str, str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["order_id", "ordered_at", "channel", "amount"])
    writer.writerows(rows)
    return buffer.getvalue()


def scaffold_company(
    company_dir: Path, *, company_name: str | None = None, last_month: date | None = None
) -> ScaffoldResult:
    """Write a new company folder at ``company_dir`` (which must be missing or empty).

    ``last_month`` is the last month of sample data (default: the last closed month), so the
    scaffold publishes with the engine's default partitions; the sample is deterministic for a month.
    """
    company_dir = Path(company_dir).expanduser().resolve()
    if company_dir.exists() and any(company_dir.iterdir()):
        raise CompanyExistsError(
            f"{company_dir} is not empty; `scorecard init` writes a new company folder and never "
            "overwrites one. Pick a new folder, or remove this one first."
        )
    today = date.today()
    last = (last_month or add_months(date(today.year, today.month, 1), -1)).replace(day=1)
    first = add_months(last, 1 - SAMPLE_MONTHS)
    dbt_dir = company_dir / "dbt_project"
    values = {
        "company_name": company_name or company_dir.name.replace("_", " ").replace("-", " ").title(),
        "dbt_name": _dbt_project_name(company_dir),
        "engine_dir": os.path.relpath(ENGINE_DBT_DIR, dbt_dir),
        "first_month": f"{first:%Y-%m}",
        "target_to": f"{last.year + 1}-12",
        "company_dir": str(company_dir),
    }
    written: list[Path] = []
    for source in sorted(TEMPLATE_DIR.rglob("*")):
        if not source.is_file():
            continue
        target = company_dir / source.relative_to(TEMPLATE_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(Template(source.read_text(encoding="utf-8")).substitute(values), encoding="utf-8")
        written.append(target)
    rng = random.Random(f"{values['dbt_name']}:{last:%Y-%m}")
    for index in range(SAMPLE_MONTHS):
        month = add_months(first, index)
        target = company_dir / "landing" / "shop" / "orders" / f"{month:%Y-%m}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_orders_csv(_sample_orders(month, index, rng)), encoding="utf-8")
        written.append(target)
    return ScaffoldResult(company_dir, tuple(written), first, last)
