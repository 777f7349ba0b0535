"""Bad arguments fail early with a message that says what to pass instead."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from orchestration.demo import DEFECTS, generate_demo, last_closed_month


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"defects": frozenset({"duplicates", "gremlins"})}, "Unknown defect name(s) gremlins; choose from"),
        ({"defects": "duplicates"}, "set of defect names"),
        ({"end_month": date(2025, 6, 15)}, "first day of a month"),
        ({"months": 0}, "months must be an integer from 1 to"),
        ({"months": 2.5}, "months must be an integer"),
        ({"scale": 0}, "scale must be a number above 0"),
        ({"scale": -1.0}, "scale must be a number above 0"),
        ({"seed": -3}, "seed must be a non-negative integer"),
    ],
)
def test_bad_arguments_raise_value_error(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError) as error:
        generate_demo(tmp_path / "landing", **({"end_month": date(2025, 6, 1)} | kwargs))
    assert message in str(error.value)
    assert not (tmp_path / "landing").exists(), "nothing may be written when the arguments are wrong"


def test_every_defect_is_described() -> None:
    assert set(DEFECTS) == {
        "duplicates",
        "late_rows",
        "null_keys",
        "bad_types",
        "renamed_column",
        "negative_amounts",
        "future_events",
    }
    assert all(len(description) > 30 for description in DEFECTS.values())


def test_last_closed_month_is_the_month_before_today() -> None:
    assert last_closed_month(date(2025, 1, 15)) == date(2024, 12, 1)
    assert last_closed_month(date(2025, 7, 1)) == date(2025, 6, 1)


def test_default_window_ends_with_the_last_closed_month(tmp_path: Path) -> None:
    summary = generate_demo(tmp_path / "landing", months=3, scale=0.1)
    assert summary.end_month == last_closed_month()
    assert summary.months == 3
    index = summary.end_month.year * 12 + summary.end_month.month - 3
    assert summary.start_month == date(index // 12, index % 12 + 1, 1)
    assert summary.defects == frozenset()
    assert summary.total_rows == sum(t.rows for t in summary.tables.values())
