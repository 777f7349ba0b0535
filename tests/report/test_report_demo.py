"""The report on a real demo warehouse: every month of the demo renders from the dbt-built marts.

Built the way a user builds it, with the real CLI in a temporary directory: ``scorecard demo --scale
0.3`` (36 months ending with the last closed month) then ``scorecard run``. Reports are rendered from
the published file and, for the latest month, from the working warehouse as well.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from rich.console import Console

from orchestration.report import latest_closed_period, print_balance_summary, render_report
from orchestration.report.data import load_report_data
from orchestration.settings import REPO_ROOT
from tests.report.helpers import (
    measure_cards,
    parse_html,
    perspective_tiles,
    section,
    table_cells,
    y_axis_labels,
)

pytestmark = pytest.mark.slow

DEMO_MONTHS = 36
# `scorecard run` on a new warehouse builds every month of history.
RUN_ARGS = ("run",)


def _scorecard(*args: str, env: dict[str, str]) -> None:
    executable = Path(sys.executable).with_name("scorecard")
    result = subprocess.run(
        [str(executable), *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"`scorecard {' '.join(args)}` failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


@pytest.fixture(scope="module")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse directory after `scorecard demo --scale 0.3` and `scorecard run`."""
    root = tmp_path_factory.mktemp("report_demo")
    env = {
        **os.environ,
        "SCORECARD_WAREHOUSE_DIR": str(root / "warehouse"),
        "SCORECARD_LANDING_DIR": str(root / "landing"),
        "DAGSTER_HOME": str(root / "dagster_home"),
        "DAGSTER_DISABLE_TELEMETRY": "true",
    }
    _scorecard("demo", "--scale", "0.3", "--months", str(DEMO_MONTHS), env=env)
    _scorecard(*RUN_ARGS, env=env)
    return root / "warehouse"


@pytest.fixture(scope="module")
def published(demo_warehouse: Path) -> Path:
    path = demo_warehouse / "published" / "bsc_published.duckdb"
    assert path.is_file(), "the run published no file"
    return path


def _months(db: Path, scorecard_id: str) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select strftime(period_start, '%Y-%m') from scorecard.balance_report "
            "where scorecard_id = ? and period_grain = 'month' order by period_start",
            [scorecard_id],
        ).fetchall()
    finally:
        con.close()
    return [month for (month,) in rows]


@pytest.mark.parametrize("scorecard_id", ["corporate", "cs_enterprise"])
def test_every_month_of_the_demo_renders(published: Path, tmp_path: Path, scorecard_id: str) -> None:
    months = _months(published, scorecard_id)
    assert len(months) == DEMO_MONTHS
    assert months[-1] == latest_closed_period(published)
    for period in months:
        files = render_report(published, period=period, scorecard_id=scorecard_id, out_dir=tmp_path)
        data = load_report_data(published, period=period, scorecard_id=scorecard_id, schema="scorecard")
        html = files.html.read_text(encoding="utf-8")
        page = parse_html(html)
        assert len(page.with_class("svg", "trend-chart")) == len(data.measures) > 0, period
        assert len(page.with_class("g", "map-node")) == len(data.objectives) > 0, period
        assert len(page.with_class("div", "perspective")) == len(data.perspectives) > 0, period
        findings_rows = [e for e in parse_html(section(html, "findings")).elements if e.tag == "tr"]
        assert len(findings_rows) == (
            data.balance["findings_total"] + 1 if data.balance["findings_total"] else 0
        )
        off_track = [view for view in data.measures if view.row["status"] == "off_track"]
        decisions = parse_html(section(html, "decisions")).text
        for view in off_track:
            assert view.row["measure_name"] in decisions and view.row["owner"] in decisions, period
        markdown = files.markdown.read_text(encoding="utf-8")
        assert markdown.startswith(f"# {data.balance['scorecard_name']} — {period}\n")
        width = None
        for line in markdown.splitlines():
            width = None if not line.startswith("|") else (width or len(table_cells(line)))
            assert width is None or len(table_cells(line)) == width, (period, line)
    assert len(list(tmp_path.glob(f"scorecard_{scorecard_id}_*.html"))) == DEMO_MONTHS


def test_the_latest_corporate_report_shows_every_governed_measure(published: Path, tmp_path: Path) -> None:
    period = latest_closed_period(published)
    data = load_report_data(published, period=period, scorecard_id="corporate", schema="scorecard")
    con = duckdb.connect(str(published), read_only=True)
    try:
        governed = {
            measure_id
            for (measure_id,) in con.execute(
                "select distinct measure_id from scorecard.scorecard where scorecard_id = 'corporate'"
            ).fetchall()
        }
    finally:
        con.close()
    # Monthly measures show the month, quarterly ones their latest closed quarter: none is missing.
    assert {view.row["measure_id"] for view in data.measures} == governed
    glossary = section(render_report(published, period=period, out_dir=tmp_path).html.read_text(), "glossary")
    assert len(re.findall(r"<dt>", glossary)) == len(governed)


def test_the_latest_report_counts_what_it_shows_and_labels_every_axis_honestly(
    published: Path, tmp_path: Path
) -> None:
    period = latest_closed_period(published)
    data = load_report_data(published, period=period, scorecard_id="corporate", schema="scorecard")
    html = render_report(published, period=period, out_dir=tmp_path).html.read_text()
    # The demo reports employee engagement, voluntary attrition and net revenue retention quarterly:
    # each tile counts the cards under it, and the overall panel all of them.
    tiles, cards = perspective_tiles(html), measure_cards(html)
    assert {name: counted for name, (_facts, counted) in tiles.items()} == cards
    quarterly = sum(1 for view in data.measures if view.row["period_grain"] == "quarter")
    assert quarterly >= 1
    monthly = len(data.measures) - quarterly
    overall = f"of {len(data.measures)} measures off track ({monthly} monthly + {quarterly} quarterly)"
    assert overall in parse_html(section(html, "perspectives")).text
    # Every trend chart labels its y ticks, no two alike.
    axes = y_axis_labels(section(html, "measures"))
    assert len(axes) == len(data.measures)
    for labels in axes:
        assert len(labels) >= 2 and len(set(labels)) == len(labels), labels


def test_the_working_warehouse_and_the_published_file_give_the_same_report(
    demo_warehouse: Path, published: Path, tmp_path: Path
) -> None:
    period = latest_closed_period(published)
    assert latest_closed_period(demo_warehouse / "warehouse.duckdb") == period
    from_published = render_report(published, period=period, out_dir=tmp_path / "published")
    from_warehouse = render_report(
        demo_warehouse / "warehouse.duckdb", period=period, out_dir=tmp_path / "working"
    )
    for published_file, working_file in [
        (from_published.html, from_warehouse.html),
        (from_published.markdown, from_warehouse.markdown),
    ]:
        published_text = published_file.read_text().replace("bsc_published.duckdb", "warehouse.duckdb")
        assert published_text == working_file.read_text()


def test_the_terminal_summary_of_the_latest_month(published: Path) -> None:
    console = Console(record=True, width=160, color_system=None)
    print_balance_summary(console, published)
    text = console.export_text()
    period = latest_closed_period(published)
    assert f"Northwind Analytics — corporate scorecard — {period}" in text
    for perspective in ("Financial", "Customer", "Internal process", "Learning and growth", "Overall"):
        assert f"│ {perspective} " in text
    assert "Balance index" in text
