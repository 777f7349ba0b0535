"""Per-month Parquet and CSV exports of the published tables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.export import ExportError, export_period

pytestmark = pytest.mark.slow  # reads a demo warehouse built by the real pipeline
PERIOD_TABLES_WITHOUT_ROWS_ALLOWED = {"restatements"}


@pytest.fixture(scope="module")
def latest_month(bi_db: Path) -> date:
    with duckdb.connect(str(bi_db), read_only=True) as con:
        (month,) = con.execute(
            "select max(period_start) from scorecard.balance_report where period_grain = 'month'"
        ).fetchone()
    return month


@pytest.fixture(scope="module")
def exported(bi_db: Path, latest_month: date, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return export_period(bi_db, f"{latest_month:%Y-%m}", tmp_path_factory.mktemp("export"))


def _published_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        """
        select table_name, list(column_name order by ordinal_position)
        from information_schema.columns
        where table_schema = 'scorecard' and table_catalog = current_database()
        group by table_name
        """
    ).fetchall()
    return {table: list(columns) for table, columns in rows}


def test_one_parquet_and_one_csv_per_published_table(exported: list[Path], bi_con) -> None:
    tables = _published_tables(bi_con)
    assert sorted(path.name for path in exported) == sorted(
        f"{table}.{fmt}" for table in tables for fmt in ("parquet", "csv")
    )
    assert not list(exported[0].parent.glob(".*")), "no partial files are left behind"


def test_period_tables_hold_the_month_and_the_quarter_and_year_containing_it(
    exported: list[Path], latest_month: date, bi_con
) -> None:

    for table, columns in _published_tables(bi_con).items():
        parquet = exported[0].parent / f"{table}.parquet"
        if not {"period_grain", "period_start"} <= set(columns):
            continue
        grains = duckdb.sql(
            f"select period_grain, count(distinct period_start), min(period_start), max(period_start) "
            f"from '{parquet}' group by all"
        ).fetchall()
        if table not in PERIOD_TABLES_WITHOUT_ROWS_ALLOWED:
            assert any(grain == "month" for grain, *_ in grains), f"{table} has no row for the month"
        for grain, periods, first, _last in grains:
            assert periods == 1, (
                f"{table}: {periods} {grain} periods exported, expected the one containing it"
            )
            assert first <= latest_month
            if grain == "month":
                assert first == latest_month
        if "period_end" in columns:
            [(outside,)] = duckdb.sql(
                f"select count(*) from '{parquet}' where not (period_start <= date '{latest_month}' "
                f"and period_end >= date '{latest_month}')"
            ).fetchall()
            assert outside == 0, f"{table}: exported rows whose period does not contain {latest_month:%Y-%m}"


def test_exported_rows_are_the_published_rows_unchanged(
    exported: list[Path], latest_month: date, bi_db: Path, bi_con
) -> None:
    folder = exported[0].parent
    for table, columns in _published_tables(bi_con).items():
        parquet = folder / f"{table}.parquet"
        if {"period_grain", "period_start"} <= set(columns):
            # Independently of the exporter: the published rows of every period containing the month.
            where = (
                f"where period_start <= date '{latest_month}' and (period_grain, period_start) in "
                f"(select period_grain, max(period_start) from bsc.scorecard.{table} "
                f"where period_start <= date '{latest_month}' group by period_grain)"
            )
        else:
            where = ""
        con = duckdb.connect(":memory:")
        try:
            con.execute("ATTACH ? AS bsc (READ_ONLY)", [str(bi_db)])
            published = f"select * from bsc.scorecard.{table} {where}"
            (missing,) = con.execute(
                f"select count(*) from ({published} except all select * from '{parquet}')"
            ).fetchone()
            (extra,) = con.execute(
                f"select count(*) from (select * from '{parquet}' except all {published})"
            ).fetchone()
            (csv_rows,) = con.execute(
                f"select count(*) from read_csv('{folder / f'{table}.csv'}')"
            ).fetchone()
            (parquet_rows,) = con.execute(f"select count(*) from '{parquet}'").fetchone()
            header = con.execute(f"select * from read_csv('{folder / f'{table}.csv'}') limit 0").description
        finally:
            con.close()
        assert (missing, extra) == (0, 0), f"{table}: export differs from the published rows"
        assert csv_rows == parquet_rows
        assert [column[0] for column in header] == columns


def test_tables_without_period_columns_are_exported_whole(exported: list[Path], bi_con) -> None:
    folder = exported[0].parent
    for table, columns in _published_tables(bi_con).items():
        if {"period_grain", "period_start"} <= set(columns):
            continue
        (published,) = bi_con.execute(f"select count(*) from scorecard.{table}").fetchone()
        [(written,)] = duckdb.sql(f"select count(*) from '{folder / f'{table}.parquet'}'").fetchall()
        assert written == published


def test_exports_are_repeatable_byte_for_byte(bi_db: Path, latest_month: date, tmp_path: Path) -> None:
    first = export_period(bi_db, f"{latest_month:%Y-%m}", tmp_path / "a", formats=("csv",))
    second = export_period(bi_db, f"{latest_month:%Y-%m}", tmp_path / "b", formats=("csv",))
    assert [path.read_bytes() for path in first] == [path.read_bytes() for path in second]
    assert all(path.suffix == ".csv" for path in first)


@pytest.mark.parametrize("period", ["2025-13", "May 2025", "2025-5", ""])
def test_a_malformed_period_says_the_expected_form(bi_db: Path, tmp_path: Path, period: str) -> None:
    with pytest.raises(ExportError, match="YYYY-MM"):
        export_period(bi_db, period, tmp_path)


def test_a_month_the_file_does_not_publish_lists_the_months_it_has(
    bi_db: Path, latest_month: date, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match=rf"no rows for 1999-01 .*…{latest_month:%Y-%m}"):
        export_period(bi_db, "1999-01", tmp_path / "out")
    assert not (tmp_path / "out").exists(), "nothing is written for a refused month"


def test_a_missing_file_says_to_run_the_pipeline(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="scorecard run"):
        export_period(tmp_path / "bsc_published.duckdb", "2025-05", tmp_path)


def test_a_file_without_the_scorecard_schema_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("create table t as select 1 as a")
    with pytest.raises(ExportError, match="no tables in schema scorecard"):
        export_period(other, "2025-05", tmp_path / "out")


def test_an_unknown_format_is_refused(bi_db: Path, latest_month: date, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="choose from parquet, csv"):
        export_period(bi_db, f"{latest_month:%Y-%m}", tmp_path, formats=("xlsx",))
