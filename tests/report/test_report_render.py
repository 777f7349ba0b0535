"""The rendered report: what a manager reads first, every status labelled, self-contained, escaped."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from orchestration.report import ReportFiles, render_report
from orchestration.report.data import load_report_data
from orchestration.report.formatting import EN_DASH, MINUS, STATUS_STYLES
from tests.report.helpers import (
    CASCADE_FIRST_PERIOD,
    FIRST_PERIOD,
    LATEST_PERIOD,
    markdown_section,
    measure_cards,
    parse_html,
    perspective_tiles,
    section,
    table_cells,
)

STATUS_LABELS = ("On track", "At risk", "Off track", "No data", "No target", "Untrusted data")


@pytest.fixture(scope="module")
def latest(marts_db: Path, tmp_path_factory: pytest.TempPathFactory) -> ReportFiles:
    return render_report(marts_db, period=LATEST_PERIOD, out_dir=tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def html(latest: ReportFiles) -> str:
    return latest.html.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def markdown(latest: ReportFiles) -> str:
    return latest.markdown.read_text(encoding="utf-8")


def test_files_are_named_after_scorecard_and_period(latest: ReportFiles) -> None:
    assert latest.html.name == "scorecard_corporate_2026-09.html"
    assert latest.markdown.name == "scorecard_corporate_2026-09.md"


def test_the_page_leads_with_what_needs_a_decision(html: str) -> None:
    sections = re.findall(r'<section id="([a-z-]+)">', html)
    assert sections == [
        "decisions",
        "perspectives",
        "strategy-map",
        "initiatives",
        "okrs",
        "measures",
        "findings",
        "restatements",
        "last-review",
        "actions",
        "glossary",
    ]
    decisions = parse_html(section(html, "decisions")).text
    # Red measures with owners.
    assert "Onboarding completion: 67.0% against a target of 85.0%" in decisions
    assert "CS training completion: 69.0% against a target of 90.0%" in decisions
    assert "owner: Maya Chen, VP Customer Success" in decisions
    # Early warning, failed assumption and overdue action, each with its owner.
    assert "CS training completion has declined for 3 months in a row" in decisions
    assert "owner: Grace Mbeki, Chief People Officer" in decisions
    assert '"Accounts that see value early complete onboarding" failed' in decisions
    assert "owner: Tomás Lindqvist, VP Product" in decisions
    assert "was due on 31 Jul 2026 and is still open" in decisions
    # Measures that are not off track stay out of the headline.
    assert "Annual recurring revenue" not in decisions
    assert "Gross margin" not in decisions


def test_perspectives_side_by_side_with_counts_that_show_red_children(html: str) -> None:
    page = parse_html(section(html, "perspectives"))
    cards = page.with_class("div", "perspective")
    assert len(cards) == 4
    text = page.text
    for name, score in [("Financial", "97"), ("Customer", "93"), ("Internal process", "93")]:
        assert f"{name}" in text and f"{score} / 100" in text
    assert "Learning and growth ✕ Off track 77 / 100" in text
    # Customer averages "at risk" yet holds an off-track and an untrusted measure: both are counted.
    assert "Customer ! At risk 93 / 100" in text
    counts = [
        parse_html(block).text
        for block in re.findall(r'<ul class="counts">(.*?)</ul>', section(html, "perspectives"), re.S)
    ]
    assert counts[1] == "✓ 1 on track ✕ 1 off track ? 1 untrusted data"
    assert "1 of 3 objectives off track" in text
    # Balance index and the reason in words.
    assert "Balance index 80 / 100" in text
    assert "Financial is on track (score 97) while Learning and growth is off track (score 77)" in text
    assert len(page.with_class("svg", "status-bar")) == 4


def test_perspective_tiles_count_the_measure_cards_shown_under_them(marts_db: Path, html: str) -> None:
    tiles, cards = perspective_tiles(html), measure_cards(html)
    assert set(tiles) == set(cards) == {"Financial", "Customer", "Internal process", "Learning and growth"}
    for name, (_facts, counted) in tiles.items():
        assert counted == cards[name], name
    # Learning and growth shows CS training (monthly) and employee engagement (quarterly only).
    assert (
        tiles["Learning and growth"][0] == "2 measures: 1 monthly + 1 quarterly · 1 of 1 objective off track"
    )
    assert tiles["Financial"][0] == "2 measures · 0 of 2 objectives off track"
    page = parse_html(section(html, "perspectives")).text
    assert "the 1 measure reported only quarterly count as of their latest closed period" in page
    assert "2 of 10 measures off track (9 monthly + 1 quarterly)" in page
    # The off-track count agrees with the headline's list of off-track measures.
    assert "Off-track measures2 " in parse_html(section(html, "decisions")).text
    # The monthly cards are exactly what the warehouse's month-grain roll-up counted.
    data = load_report_data(marts_db, period=LATEST_PERIOD, scorecard_id="corporate", schema="scorecard")
    for row in data.perspectives:
        assert data.tally(row["perspective_id"]).monthly == row["measures_total"], row["perspective_id"]
    assert data.tally().monthly == data.balance["measures_total"] == 9
    assert data.tally().total == sum(cards.values()) == 10


def test_every_status_has_a_symbol_and_a_text_label_not_only_a_colour(marts_db: Path, html: str) -> None:
    badge = re.compile(
        r'<span class="badge" style="[^"]*"><span class="sym" aria-hidden="true">(.)</span> ([^<]+)</span>'
    )
    found = badge.findall(html)
    symbols = {style.label: style.symbol for style in STATUS_STYLES.values()}
    for symbol, label in found:
        assert label in {*symbols, "Imbalanced", "Balanced"}, label
        assert symbol == symbols.get(label, symbol)
    assert {label for _, label in found} >= set(STATUS_LABELS)
    # Each measure card has exactly one status badge, naming the warehouse's status.
    data = load_report_data(marts_db, period=LATEST_PERIOD, scorecard_id="corporate", schema="scorecard")
    measures = section(html, "measures")
    for view in data.measures:
        card = re.search(rf'id="measure-{view.row["measure_id"]}".*?</article>', measures, re.S)
        assert card
        assert [label for _, label in badge.findall(card.group(0))] == [
            STATUS_STYLES[view.row["status"]].label
        ]


def test_the_strategy_map_colours_objectives_by_status(marts_db: Path, html: str) -> None:
    data = load_report_data(marts_db, period=LATEST_PERIOD, scorecard_id="corporate", schema="scorecard")
    page = parse_html(section(html, "strategy-map"))
    (strategy_map,) = page.with_class("svg", "strategy-map")
    nodes = page.with_class("g", "map-node")
    assert {node.attrs["data-objective"]: node.attrs["class"].split()[1] for node in nodes} == {
        row["objective_id"]: f"status-{row['status']}" for row in data.objectives
    }
    assert {row["status"] for row in data.objectives} == {
        "on_track",
        "at_risk",
        "off_track",
        "no_data",
        "untrusted",
    }
    links = page.with_class("g", "map-link")
    assert len(links) == len(data.links) == 8
    assert len(page.with_class("g", "failed")) == 1
    # Bands from financial at the top to learning and growth at the bottom.
    bands = [e for e in page.elements if e.tag == "text" and "band-label" in e.attrs.get("class", "")]
    assert len(bands) == 4
    assert page.text.index("Financial") < page.text.index("Customer") < page.text.index("Internal process")
    assert "Learning and" in page.text
    assert strategy_map.attrs["aria-label"].startswith("Strategy map: 8 objectives in 4 perspectives")


def test_each_measure_has_a_trend_chart_status_owner_and_definition(marts_db: Path, html: str) -> None:
    data = load_report_data(marts_db, period=LATEST_PERIOD, scorecard_id="corporate", schema="scorecard")
    measures = section(html, "measures")
    page = parse_html(measures)
    charts = page.with_class("svg", "trend-chart")
    assert len(charts) == len(data.measures) == 10
    assert {chart.attrs["aria-label"].split(":")[0] for chart in charts} == {
        view.row["measure_name"] for view in data.measures
    }
    cards = page.with_class("article", "measure")
    assert len(cards) == 10
    for view in data.measures:
        card = re.search(
            rf'<article class="measure" id="measure-{view.row["measure_id"]}".*?</article>', measures, re.S
        )
        assert card, view.row["measure_id"]
        card_text = parse_html(card.group(0)).text
        assert view.row["owner"] in card_text
        assert parse_html(view.row["definition"]).text in card_text
    text = page.text
    assert "$11.6M target $11.2M 103% of target" in text
    assert "1.7% target 1.8%" in text and "lower is better" in text
    assert "Reported quarterly: latest is FY2027-Q2" in text
    # A card that shows a quarter says so where its name is, not only in the small print.
    engagement = re.search(r'id="measure-employee_engagement_score".*?(<header>.*?</header>)', measures, re.S)
    assert engagement
    assert parse_html(engagement.group(1)).text == "Employee engagement Quarterly · FY2027-Q2 ✓ On track"
    assert [parse_html(str(tag)).text for tag in re.findall(r'<span class="grain">.*?</span>', measures)] == [
        "Quarterly · FY2027-Q2"
    ]
    assert "Data not trusted: support.csat_responses failed the freshness check" in text
    # Quarter rows of monthly measures never leak into a month's report.
    assert "$33.2M" not in html


def test_findings_and_open_actions(html: str) -> None:
    findings = parse_html(section(html, "findings"))
    rows = [e for e in findings.elements if e.tag == "tr"]
    assert len(rows) == 1 + 9
    text = findings.text
    assert text.index("Critical") < text.index("Warning") < text.index("Info")
    for label in ("Imbalance", "Early warning", "Off-track measure", "Missing data", "Missing target"):
        assert label in text
    for label in ("Untrusted data", "Overdue action", "Failed assumption"):
        assert label in text
    actions = parse_html(section(html, "actions")).text
    assert "Publish the protected-training-time policy" in actions and "61 days overdue" in actions
    assert "Analyse trial-to-paid conversion" in actions
    assert "Launch the support academy" not in actions  # done
    assert "low-scoring chat conversations" not in actions  # decided after the period


def test_initiatives_sit_beside_the_objectives_they_serve(html: str, markdown: str) -> None:
    initiatives = parse_html(section(html, "initiatives"))
    rows = [element for element in initiatives.elements if element.tag == "tr"]
    text = initiatives.text
    # Onboarding has one initiative; churn has two (the onboarding programme serves both).
    assert text.index("Onboard customers successfully") < text.index("Reduce avoidable churn")
    assert len(rows) == 1 + 3
    assert "1 of 3 done" in text and "1 overdue" in text and "next due 15 Sep 2026" in text
    assert "420,000" in text and "436,500" in text and "over budget" in text
    # An initiative serving no objective of this scorecard is not listed.
    assert "Hiring wave" not in text
    table = markdown_section(markdown, "Initiatives")
    assert (
        "| Reduce avoidable churn | On track | Churn rescue desk | Maya Chen, VP Customer Success "
        "| completed |" in table
    )
    assert "**1 overdue**" in table


def test_the_quarter_s_okrs_have_their_own_section(html: str, markdown: str) -> None:
    okrs = parse_html(section(html, "okrs"))
    text = okrs.text
    assert "Every new account onboarded in a week" in text and "FY2027-Q3" in text
    assert "Kickoff calls held <in week 1>" in text  # escaped in the HTML, shown as written
    assert "50.0%" in text and "65.9%" in text  # progress and the progress expected by now
    # Another quarter's OKR and one serving an objective this scorecard does not show are left out.
    assert "Next quarter" not in text and "Hidden OKR" not in text
    table = markdown_section(markdown, "OKRs this quarter")
    assert "| Every new account onboarded in a week (Off track) | FY2027-Q3 |" in table
    assert "| Checklists completed | 100 | 400 | — | — | 65.9% | 31 Oct 2026 | No data |" in table


def test_the_last_review_shows_its_record_and_todays_evidence(html: str, markdown: str) -> None:
    # The latest held review before 2026-09 is 2026-08's (2026-09's own is a draft, not held).
    last = parse_html(section(html, "last-review"))
    text = last.text
    assert "Review of 2026-08 held 15 Sep 2026, chaired by Elena Novak" in text
    assert "2 decisions" in text and "1 assumption judged failed" in text and "2 actions open" in text
    assert "Onboarding <recovers> & churn is on plan" in text  # escaped in the HTML, shown as written
    assert "Keep the onboarding targets" in text and "Time to first value" in text
    assert "Protect four hours" not in text  # an older review's decision
    # The judged link with what the data said then and says as of the latest month.
    assert "Deliver value fast → Onboard customers successfully" in text
    assert "Time to first value halved, but onboarding completion kept falling." in text
    assert "Evidence as of 2026-09" in text
    assert f"Contradicted: r {MINUS}0.22 (95% {MINUS}0.52 to {MINUS}0.02), 30 pairs, lag 1 month" in text
    # Its actions not done, not the other reviews'.
    assert "Analyse trial-to-paid conversion" in text and "Present a hiring plan" in text
    assert "Publish the protected-training-time policy" not in text
    table = markdown_section(markdown, "Last review")
    assert "Onboarding <recovers> & churn is on plan \\| new-customer growth has not picked up." in table
    assert (
        "| Deliver value fast → Onboard customers successfully | Time to first value halved, but "
        f"onboarding completion kept falling. | Contradicted | Contradicted: r {MINUS}0.22" in table
    )


def test_a_month_before_any_review_says_so(marts_db: Path, tmp_path: Path) -> None:
    files = render_report(marts_db, period="2026-04", out_dir=tmp_path)
    assert "No review of this scorecard before this month is recorded" in section(
        files.html.read_text(), "last-review"
    )


def test_the_glossary_uses_names_and_definitions_not_ids(marts_db: Path, html: str) -> None:
    data = load_report_data(marts_db, period=LATEST_PERIOD, scorecard_id="corporate", schema="scorecard")
    glossary = section(html, "glossary")
    names = re.findall(r"<dt>(.*?)</dt>", glossary)
    assert names == sorted((view.row["measure_name"] for view in data.measures), key=str.lower)
    for view in data.measures:
        assert view.row["measure_id"] not in glossary
        assert view.row["objective_id"] not in glossary


def test_the_page_is_self_contained(html: str) -> None:
    page = parse_html(html)
    assert page.tags["script"] == 0 and page.tags["link"] == 0 and page.tags["img"] == 0
    assert page.tags["iframe"] == 0 and page.tags["object"] == 0
    assert not any("src" in element.attrs for element in page.elements)
    urls = set(re.findall(r"(?:https?:)?//[\w.-]+[^\s\"')]*", html))
    assert {url for url in urls if not url.startswith("http://www.w3.org/")} == set()
    assert "@import" not in html and "url(http" not in html


def test_element_ids_are_unique_so_chart_clips_do_not_collide(html: str) -> None:
    ids = Counter(parse_html(html).ids)
    assert [name for name, count in ids.items() if count > 1] == []
    # Every reference points at an id of the page.
    assert set(re.findall(r"url\(#([^)]+)\)", html)) <= set(ids)


def test_free_text_is_escaped(html: str, markdown: str) -> None:
    assert "<b>new</b>" not in html and "&lt;b&gt;new&lt;/b&gt;" in html
    assert "<early>" not in html and "&lt;early&gt;" in html
    assert "accounts &amp; fix issues | fast" in html
    assert "accounts & fix issues \\| fast" in markdown
    assert "Present a hiring plan \\| keep accounts per CSM" in markdown


def test_markdown_has_the_same_sections_as_tables(markdown: str) -> None:
    headings = re.findall(r"^## (.+)$", markdown, re.M)
    assert headings == [
        "What needs a decision",
        "The perspectives side by side",
        "Strategy map",
        "Initiatives",
        "OKRs this quarter",
        "Measures",
        "Findings",
        "Restated since the last report",
        "Last review",
        "Open actions",
        "Glossary of measures",
    ]
    perspectives = markdown_section(markdown, "The perspectives side by side")
    # Employee engagement is reported quarterly: counted, and said to be, beside the monthly measure.
    learning = (
        "| Learning and growth | 77 | Off track | 2 (1 monthly + 1 quarterly) | 1 | 0 | 1 | 0 | 0 | 0 | 0 |"
    )
    assert f"{learning} 1 of 1 |" in perspectives
    assert "| Customer | 93 | At risk | 3 | 1 | 0 | 1 | 0 | 0 | 0 | 1 | 1 of 3 |" in perspectives
    assert "2 of 10 measures off track (9 monthly + 1 quarterly)." in perspectives
    measures = markdown_section(markdown, "Measures")
    assert "| Employee engagement (quarterly, FY2027-Q2) | On track | 76.0 | 75.0 |" in measures
    assert (
        f"| Onboarding completion | Off track | 67.0% | 85.0% | {MINUS}18.0 pp | {MINUS}1.2 pp |" in measures
    )
    decisions = markdown_section(markdown, "What needs a decision")
    assert "| CS training completion | Learning and growth | 69.0% | 90.0% | Grace Mbeki" in decisions
    assert "### Overdue actions (1)" in decisions


def test_restated_values_are_listed_as_reported_and_restated(html: str, markdown: str) -> None:
    rows = [
        re.sub(r"<[^>]+>", "|", row)
        for row in re.findall(r"<tr>(.*?)</tr>", section(html, "restatements"), re.S)
    ]
    cells = [[cell.strip() for cell in row.split("|") if cell.strip()] for row in rows[1:]]
    assert cells == [
        ["Annual recurring revenue", "FY2027-Q2", "company", "$11,800,000", "$11,845,000", "+$45.0K",
         "late or corrected data", "3 Oct 2026"],
        ["Annual recurring revenue", "2026-07", "company", "$11,800,000", "$11,845,000", "+$45.0K",
         "late or corrected data", "3 Oct 2026"],
    ]  # fmt: skip
    restated = markdown_section(markdown, "Restated since the last report")
    assert "| Annual recurring revenue | 2026-07 | company | $11,800,000 | $11,845,000 | +$45.0K |" in (
        restated
    )


def test_a_month_without_restatements_says_so(marts_db: Path, tmp_path: Path) -> None:
    files = render_report(marts_db, period="2026-08", out_dir=tmp_path)
    restated = markdown_section(files.markdown.read_text(encoding="utf-8"), "Restated since the last report")
    assert "No published value of an earlier period changed while 2026-08 was the latest month." in restated


def test_every_markdown_table_row_has_as_many_cells_as_its_header(markdown: str) -> None:
    width = None
    tables = 0
    for line in markdown.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        cells = table_cells(line)
        if width is None:
            width, tables = len(cells), tables + 1
        assert len(cells) == width, line
    assert tables >= 8


def test_markdown_carries_the_strategy_map_as_mermaid(markdown: str) -> None:
    block = re.search(r"```mermaid\n(.*?)```", markdown, re.S)
    assert block
    mermaid = block.group(1)
    assert mermaid.startswith("flowchart BT\n")
    # Bottom to top: learning and growth first, financial last.
    subgraphs = re.findall(r"subgraph (p_\w+)\[", mermaid)
    assert subgraphs == ["p_learning_growth", "p_internal_process", "p_customer", "p_financial"]
    assert (
        'o_deliver_value_fast -.->|"1 month, assumption failed"| o_onboard_customers_successfully' in mermaid
    )
    assert 'o_reduce_avoidable_churn -->|"1 month"| o_grow_recurring_revenue' in mermaid
    assert "class o_onboard_customers_successfully,o_build_cs_capability off_track" in mermaid
    assert "classDef untrusted" in mermaid
    # Labels carry the status in words too.
    assert '"Build customer-success capability (Off track)"' in mermaid


def test_a_cascade_report_shows_its_own_perspectives(marts_db: Path, tmp_path: Path) -> None:
    files = render_report(marts_db, period=LATEST_PERIOD, scorecard_id="cs_enterprise", out_dir=tmp_path)
    assert files.html.name == "scorecard_cs_enterprise_2026-09.html"
    html = files.html.read_text()
    page = parse_html(html)
    assert "Customer Success — Enterprise team" in page.text
    assert len(page.with_class("div", "perspective")) == 2
    assert len(page.with_class("svg", "trend-chart")) == 4
    assert "Financial" not in parse_html(section(html, "perspectives")).text


def test_every_month_of_both_scorecards_renders(marts_db: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(marts_db), read_only=True)
    periods = con.execute(
        "select scorecard_id, strftime(period_start, '%Y-%m') from scorecard.balance_report "
        "where period_grain = 'month' order by 1, 2"
    ).fetchall()
    con.close()
    assert len(periods) == 14 + 6
    assert (("corporate", FIRST_PERIOD) in periods) and (("cs_enterprise", CASCADE_FIRST_PERIOD) in periods)
    for scorecard_id, period in periods:
        files = render_report(marts_db, period=period, scorecard_id=scorecard_id, out_dir=tmp_path)
        data = load_report_data(marts_db, period=period, scorecard_id=scorecard_id, schema="scorecard")
        page = parse_html(files.html.read_text())
        assert len(page.with_class("svg", "trend-chart")) == len(data.measures) > 0
        assert len(page.with_class("g", "map-node")) == len(data.objectives)
        assert f"— {period}" in files.markdown.read_text().splitlines()[0]
    assert len(list(tmp_path.glob("*.html"))) == len(periods)


def test_an_older_month_says_where_the_latest_data_is(marts_db: Path, tmp_path: Path) -> None:
    files = render_report(marts_db, period="2026-06", out_dir=tmp_path)
    text = parse_html(files.html.read_text()).text
    assert f"Scorecard review for 2026-06 (1 Jun 2026 {EN_DASH} 30 Jun 2026) · latest data: 2026-09" in text


def test_a_calm_month_says_nothing_needs_a_decision(marts_copy: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(marts_copy))
    con.execute("update scorecard.scorecard set status = 'at_risk' where status = 'off_track'")
    con.execute(
        "delete from scorecard.balance_findings "
        "where finding_type in ('off_track_measure', 'early_warning', 'failed_assumption', 'overdue_action')"
    )
    con.close()
    files = render_report(marts_copy, period=LATEST_PERIOD, out_dir=tmp_path)
    decisions = parse_html(section(files.html.read_text(), "decisions")).text
    assert decisions.startswith("What needs a decision Nothing needs a decision this month")
    assert "Nothing needs a decision this month" in files.markdown.read_text()


def test_rendering_twice_gives_identical_files(marts_db: Path, tmp_path: Path, latest: ReportFiles) -> None:
    again = render_report(marts_db, period=LATEST_PERIOD, out_dir=tmp_path)
    assert again.html.read_bytes() == latest.html.read_bytes()
    assert again.markdown.read_bytes() == latest.markdown.read_bytes()
