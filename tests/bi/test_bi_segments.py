"""Segments reach BI tools in long form: one stable shape whatever dimensions a company declares."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.config import load_config
from orchestration.export import documented_columns
from orchestration.settings import REPO_ROOT, get_settings

pytestmark = pytest.mark.slow  # reads a demo warehouse built by the real pipeline

GUIDE = REPO_ROOT / "docs" / "bi-guide.md"
SEGMENTED = ("measure_values", "scorecard", "measure_value_history", "restatements")


def test_the_guide_documents_the_two_segment_columns_and_no_dimension_columns() -> None:
    text = GUIDE.read_text()
    documented = documented_columns(text)
    for table in SEGMENTED:
        columns = documented[table]
        assert "segment_dimension" in columns and "segment_value" in columns, table
        assert columns.index("segment_value") == columns.index("segment_dimension") + 1, table
        # No company's dimension is ever a column of a published table.
        assert not {"team", "region", "customer_segment"} & set(columns), table
    assert "`segment_dimension = 'all'` and `segment_value = 'all'`" in text
    assert "One shape for every company" in text


@pytest.mark.parametrize("table", SEGMENTED)
def test_all_is_the_company_row_and_only_the_company_row(
    table: str, bi_con: duckdb.DuckDBPyConnection
) -> None:
    mixed = bi_con.execute(
        f"select count(*) from scorecard.{table} "
        "where (segment_dimension = 'all') <> (segment_value = 'all') "
        "or segment_dimension is null or segment_value is null"
    ).fetchone()
    assert mixed == (0,), f"{table}: 'all' must be both columns (the company row) or neither"


def test_every_measure_and_period_has_one_company_row_and_segment_rows_by_dimension(
    bi_con: duckdb.DuckDBPyConnection,
) -> None:
    company_rows = bi_con.execute(
        """
        select count(*) from (
            select measure_id, period_grain, period_start,
                count(*) filter (where segment_dimension = 'all') as company_rows
            from scorecard.measure_values
            group by all
        ) where company_rows <> 1
        """
    ).fetchone()
    assert company_rows == (0,)
    dimensions = {
        row[0]
        for row in bi_con.execute(
            "select distinct segment_dimension from scorecard.measure_values"
        ).fetchall()
    }
    # The dimensions the company declares (strategy.yml segments), whatever they are called.
    assert dimensions == {"all", *load_config(get_settings().config_dir).segments}


def test_each_scorecard_shows_one_segment(bi_con: duckdb.DuckDBPyConnection) -> None:
    segments = bi_con.execute(
        "select scorecard_id, segment_dimension, segment_value from scorecard.scorecard group by all "
        "order by scorecard_id"
    ).fetchall()
    assert len({scorecard_id for scorecard_id, _, _ in segments}) == len(segments)
    config = load_config(get_settings().config_dir)
    assert segments == sorted(
        (scorecard.id, *(next(iter(scorecard.segment.items())) if scorecard.segment else ("all", "all")))
        for scorecard in config.scorecards
    )
