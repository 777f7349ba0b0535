"""Deliberate data-quality defects for testing ingestion and quality gates.

Each defect edits the ``TableSpec`` of one or more tables before it is written, using its own
random stream, so the clean rows are identical with or without defects and every injection is
reproducible from the seed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from orchestration.demo.timeline import SECONDS_PER_DAY
from orchestration.demo.writer import TableSpec, sql_money, timestamps

DEFECTS: dict[str, str] = {
    "duplicates": (
        "About 1% of the rows of three monthly files (a quarter, half and three quarters into the window) "
        "of billing.invoices, billing.subscription_events, product.onboarding_events and support.tickets "
        "are written twice with the same primary key."
    ),
    "late_rows": (
        "About 5% of the tickets opened two and three months before the last month are moved out of their "
        "monthly files into support/tickets/<last month>_late.csv (late-arriving data)."
    ),
    "null_keys": (
        "About 0.5% of rows get an empty primary key or required column: support.tickets ticket_id and "
        "account_id, billing.invoices account_id, billing.subscription_events account_id, "
        "product.onboarding_events account_id."
    ),
    "bad_types": (
        "About 0.5% of billing.invoices total_amount values are written as text like '12,40 EUR', and of "
        "support.csat_responses score as 'n/a'."
    ),
    "renamed_column": (
        "In the last month's support/tickets file the column contacts_to_resolution is named contacts_count."
    ),
    "negative_amounts": "About 0.5% of billing.invoices have a negative total_amount.",
    "future_events": (
        "About 1% of the last month's product.onboarding_events and product.first_value_events are dated "
        "35 to 400 days after the end of the window."
    ),
}


def _sample(rng: np.random.Generator, rows: np.ndarray, share: float) -> np.ndarray:
    """A sorted sample of ``rows``: ``share`` of them, at least one when there are any."""
    if len(rows) == 0:
        return rows
    size = max(1, round(len(rows) * share))
    return np.sort(rng.choice(rows, size=size, replace=False))


def _mask(spec: TableSpec, rows: np.ndarray) -> np.ndarray:
    mask = np.zeros(spec.rows, dtype=bool)
    mask[rows] = True
    return mask


def _flag(spec: TableSpec, name: str, rows: np.ndarray) -> str:
    """Add a boolean input column marking ``rows`` and return its name."""
    spec.inputs[name] = pa.array(_mask(spec, rows))
    return name


def _duplicates(rng: np.random.Generator, specs: dict[str, TableSpec]) -> None:
    for name in (
        "billing.invoices",
        "billing.subscription_events",
        "product.onboarding_events",
        "support.tickets",
    ):
        spec = specs[name]
        months = len(spec.file_keys)
        chosen_files = sorted({months // 4, months // 2, (3 * months) // 4})
        rows = np.flatnonzero(np.isin(spec.file_index, chosen_files))
        picked = np.concatenate([_sample(rng, rows[spec.file_index[rows] == f], 0.01) for f in chosen_files])
        spec.duplicate = _mask(spec, picked.astype(np.int64))


def _late_rows(rng: np.random.Generator, specs: dict[str, TableSpec]) -> None:
    spec = specs["support.tickets"]
    last = len(spec.file_keys) - 1
    rows = np.flatnonzero(np.isin(spec.file_index, (last - 3, last - 2)))
    late = _sample(rng, rows, 0.05)
    spec.file_keys = [*spec.file_keys, f"{spec.file_keys[last]}_late"]
    spec.file_index = spec.file_index.copy()
    spec.file_index[late] = len(spec.file_keys) - 1


def _null_keys(rng: np.random.Generator, specs: dict[str, TableSpec]) -> None:
    targets = {
        "support.tickets": ("ticket_id", "account_id"),
        "billing.invoices": ("account_id",),
        "billing.subscription_events": ("account_id",),
        "product.onboarding_events": ("account_id",),
    }
    for name, columns in targets.items():
        spec = specs[name]
        for column in columns:
            flag = _flag(spec, f"_null_{column}", _sample(rng, np.arange(spec.rows), 0.005))
            spec.select[column] = f"CASE WHEN {flag} THEN NULL ELSE {spec.select[column]} END"


def _bad_types(rng: np.random.Generator, specs: dict[str, TableSpec]) -> None:
    spec = specs["billing.invoices"]
    flag = _flag(spec, "_bad_total", _sample(rng, np.arange(spec.rows), 0.005))
    euro_text = "replace(printf('%.2f', total_cents / 100), '.', ',') || ' EUR'"
    spec.select["total_amount"] = (
        f"CASE WHEN {flag} THEN {euro_text} ELSE CAST({sql_money('total_cents')} AS VARCHAR) END"
    )
    spec = specs["support.csat_responses"]
    flag = _flag(spec, "_bad_score", _sample(rng, np.arange(spec.rows), 0.005))
    spec.select["score"] = f"CASE WHEN {flag} THEN 'n/a' ELSE CAST(score AS VARCHAR) END"


def _renamed_column(_rng: np.random.Generator, specs: dict[str, TableSpec]) -> None:
    spec = specs["support.tickets"]
    last_month = max(key for key in spec.file_keys if not key.endswith("_late"))
    spec.renamed[last_month] = {"contacts_to_resolution": "contacts_count"}


def _negative_amounts(rng: np.random.Generator, specs: dict[str, TableSpec]) -> None:
    spec = specs["billing.invoices"]
    totals = np.asarray(spec.inputs["total_cents"]).copy()
    flipped = _sample(rng, np.flatnonzero(totals > 0), 0.005)
    totals[flipped] = -totals[flipped]
    spec.inputs["total_cents"] = pa.array(totals)


def _future_events(rng: np.random.Generator, specs: dict[str, TableSpec]) -> None:
    for name in ("product.onboarding_events", "product.first_value_events"):
        spec = specs[name]
        last_month = len(spec.file_keys) - 1
        shifted = _sample(rng, np.flatnonzero(spec.file_index == last_month), 0.01)
        occurred = (
            spec.inputs["occurred_at"].to_numpy(zero_copy_only=False).astype("datetime64[s]").astype(np.int64)
        )
        occurred[shifted] += rng.integers(35, 401, len(shifted)) * SECONDS_PER_DAY
        spec.inputs["occurred_at"] = timestamps(occurred)


_INJECTORS: dict[str, Callable[[np.random.Generator, dict[str, TableSpec]], None]] = {
    "duplicates": _duplicates,
    "late_rows": _late_rows,
    "null_keys": _null_keys,
    "bad_types": _bad_types,
    "renamed_column": _renamed_column,
    "negative_amounts": _negative_amounts,
    "future_events": _future_events,
}


def inject_defects(rng: np.random.Generator, specs: list[TableSpec], defects: frozenset[str]) -> None:
    """Apply the requested defects to ``specs`` in place, in a fixed order so runs are reproducible."""
    by_name = {spec.name: spec for spec in specs}
    for name in DEFECTS:
        if name in defects:
            _INJECTORS[name](rng, by_name)
