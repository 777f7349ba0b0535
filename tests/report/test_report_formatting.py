"""Formats per unit, and the chart and map geometry helpers."""

from __future__ import annotations

import math
import re
from datetime import date

import pytest

from orchestration.config.models import Status
from orchestration.report.charts import render_strategy_map, render_trend_chart, status_bar
from orchestration.report.charts.map_layout import _detour_x
from orchestration.report.charts.svg import _prefix_ids
from orchestration.report.charts.trend_spec import trend_chart_spec, y_axis_ticks
from orchestration.report.formatting import (
    EN_DASH,
    MINUS,
    STATUS_STYLES,
    format_change,
    format_ratio,
    format_score,
    format_segment,
    format_value,
    status_label,
)
from tests.report.helpers import y_axis_labels


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (12_400_000.0, "usd", "$12.4M"),
        (845_000.0, "usd", "$845K"),
        (950.0, "usd", "$950"),
        (1_250_000_000.0, "usd", "$1.2B"),
        (-45_000.0, "usd", f"{MINUS}$45.0K"),
        (0.8731, "percent", "87.3%"),
        (0.0174, "percent", "1.7%"),
        (7.24, "days", "7.2 days"),
        (3.06, "hours", "3.1 h"),
        (76.0, "score", "76.0"),
        (1234.0, "count", "1,234"),
        (13.45, "count", "13.4"),
        (2.5, "widgets", "2.50 widgets"),
        (None, "usd", "—"),
        (math.nan, "percent", "—"),
    ],
)
def test_values_read_as_their_unit(value: float | None, unit: str, expected: str) -> None:
    assert format_value(value, unit) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (11_845_000.0, "usd", "$11,845,000"),
        (-45_000.4, "usd", f"{MINUS}$45,000"),
        (0.87321, "percent", "87.32%"),
        (7.254, "days", "7.25 days"),
        (3.061, "hours", "3.06 h"),
        (76.0, "score", "76.00"),
        (13.45, "count", "13.4"),
        (None, "usd", "—"),
    ],
)
def test_precise_values_show_what_a_restatement_changed(
    value: float | None, unit: str, expected: str
) -> None:
    assert format_value(value, unit, precise=True) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (-0.1802, "percent", f"{MINUS}18.0 pp"),
        (0.047, "percent", "+4.7 pp"),
        (120_000.0, "usd", "+$120K"),
        (-0.6, "days", f"{MINUS}0.6 days"),
        (0.0, "count", "±0"),
        (None, "count", "—"),
    ],
)
def test_changes_carry_a_sign_and_percent_points(value: float | None, unit: str, expected: str) -> None:
    assert format_change(value, unit) == expected


def test_scores_and_attainment() -> None:
    assert format_score(96.6) == "97"
    assert format_score(None) == "—"
    assert format_ratio(1.034) == "103% of target"
    assert format_ratio(None) == "—"


def test_statuses_have_distinct_colours_symbols_and_labels() -> None:
    assert len({style.stroke for style in STATUS_STYLES.values()}) == 7
    assert len({style.fill for style in STATUS_STYLES.values()}) == 7
    assert len({style.symbol for style in STATUS_STYLES.values()}) == 7
    assert set(STATUS_STYLES) == {status.value for status in Status}, "one vocabulary with the warehouse"
    assert STATUS_STYLES["no_data"].symbol == EN_DASH
    assert status_label("off_track") == "Off track"
    assert status_label("something_new") == "something_new"


def test_prefixing_ids_keeps_references_consistent() -> None:
    svg = '<svg><clipPath id="clip1"><rect/></clipPath><g clip-path="url(#clip1)"/><use href="#clip1"/></svg>'
    prefixed = _prefix_ids(svg, "trend3")
    assert 'id="trend3-clip1"' in prefixed
    assert "url(#trend3-clip1)" in prefixed and 'href="#trend3-clip1"' in prefixed
    assert "#clip1" not in prefixed


def _history(values: list[tuple[float | None, float | None, str]]) -> list[dict[str, object]]:
    return [
        {
            "period_start": date(2026, month, 1),
            "period_label": f"2026-{month:02d}",
            "actual": actual,
            "target": target,
            "status": status,
        }
        for month, (actual, target, status) in enumerate(values, start=1)
    ]


def test_the_trend_spec_plots_actual_against_target_by_status() -> None:
    history = _history([(0.8, 0.85, "at_risk"), (0.7, 0.85, "off_track"), (None, 0.85, "no_data")])
    spec = trend_chart_spec(history, "percent", title="Onboarding")
    assert [row["actual"] for row in spec["data"]["values"]] == [0.8, 0.7, None]
    assert [row["status"] for row in spec["data"]["values"]] == ["At risk", "Off track", "No data"]
    target_layer, actual_layer, points = spec["layer"]
    assert target_layer["encoding"]["y"]["field"] == "target"
    # The y ticks are laid out in Python: 70% to 85% in steps of 5 points, labelled without decimals.
    assert target_layer["encoding"]["y"]["axis"]["values"] == [0.7, 0.75, 0.8, 0.85]
    assert target_layer["encoding"]["y"]["axis"]["format"] == ".0%"
    assert target_layer["encoding"]["y"]["scale"]["domain"] == [0.7, 0.85]
    assert actual_layer["encoding"]["y"]["field"] == "actual"
    assert points["encoding"]["color"]["scale"]["range"] == [style.stroke for style in STATUS_STYLES.values()]


def test_a_trend_chart_renders_to_inline_svg_with_a_name() -> None:
    history = _history([(10.0, 8.0, "off_track"), (9.0, 8.0, "at_risk"), (7.5, 8.0, "on_track")])
    svg = str(render_trend_chart(history, "days", title="Time to <first> value", chart_id="t0"))
    assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>")
    opening = svg.split(">", 1)[0]
    assert len(re.findall(r"\sclass=", opening)) == 1 and "trend-chart" in opening
    assert 'aria-label="Time to &lt;first&gt; value"' in opening
    assert str(render_trend_chart([], "days", title="x", chart_id="t1")) == ""


# Histories that move little against their size, in every unit the report knows and one it does not:
# the employee engagement score went 3.9 -> 4.1 and its axis read "4, 4, 4".
_NARROW_HISTORIES = [
    ("score", [3.92, 4.0, 4.08, 4.03]),
    ("percent", [0.9712, 0.9731, 0.9755]),
    ("usd", [1_201_000.0, 1_223_000.0, 1_248_000.0]),
    ("count", [1002.0, 1004.0, 1007.0]),
    ("days", [8.42, 8.47, 8.55]),
    ("hours", [0.51, 0.56, 0.58]),
    ("minutes", [12.01, 12.02, 12.04]),
]


@pytest.mark.parametrize(("unit", "actuals"), _NARROW_HISTORIES, ids=[unit for unit, _ in _NARROW_HISTORIES])
def test_y_axis_labels_are_distinct_however_little_the_values_move(unit: str, actuals: list[float]) -> None:
    history = _history([(actual, None, "on_track") for actual in actuals])
    svg = str(render_trend_chart(history, unit, title="narrow", chart_id="n0"))
    (labels,) = y_axis_labels(svg)
    ticks = y_axis_ticks(actuals, unit)
    assert ticks is not None
    # Every tick the axis was given is drawn and labelled, each label differently.
    assert len(labels) == len(ticks.values) >= 2
    assert len(set(labels)) == len(labels), labels
    # At most four ticks, covering every value.
    assert len(ticks.values) <= 4
    assert ticks.values[0] <= min(actuals) and ticks.values[-1] >= max(actuals)


@pytest.mark.parametrize(
    ("unit", "values", "labels"),
    [
        ("score", [3.9, 4.1], ["3.9", "4.0", "4.1"]),
        ("score", [62.0, 81.0], ["60", "70", "80", "90"]),
        ("percent", [0.54, 0.6], ["54%", "56%", "58%", "60%"]),
        ("percent", [0.1001, 0.1004], ["10.01%", "10.02%", "10.03%", "10.04%"]),
        ("usd", [1_200_000.0, 1_300_000.0], ["$1.2M", "$1.25M", "$1.3M"]),
        ("usd", [0.0, 40_000.0], ["$0", "$20k", "$40k"]),
        ("count", [980.0, 1040.0], ["980", "1k", "1.02k", "1.04k"]),
        ("hours", [0.5, 1.5], ["0.5", "1.0", "1.5"]),
        ("days", [7.0, 7.0], ["6.5", "7.0", "7.5"]),
    ],
)
def test_tick_labels_read_as_the_unit_with_the_decimals_of_the_step(
    unit: str, values: list[float], labels: list[str]
) -> None:
    history = _history([(value, None, "on_track") for value in values])
    svg = str(render_trend_chart(history, unit, title="ticks", chart_id="k0"))
    assert [label.replace(MINUS, "-") for label in y_axis_labels(svg)[0]] == labels


def test_a_detour_moves_a_line_into_the_nearest_gap() -> None:
    spans = [(100.0, 300.0), (340.0, 540.0)]
    assert _detour_x(50.0, spans) == 50.0
    assert _detour_x(320.0, spans) == 320.0
    assert _detour_x(290.0, spans) == 320.0
    assert _detour_x(120.0, spans) == 80.0
    assert _detour_x(530.0, spans) == 560.0


def test_the_strategy_map_draws_every_objective_and_link() -> None:
    perspectives = [
        {"perspective_id": "financial", "perspective_name": "Financial"},
        {"perspective_id": "customer", "perspective_name": "Customer & <co>"},
    ]
    objectives = [
        {
            "objective_id": "grow",
            "objective_name": "Grow",
            "perspective_id": "financial",
            "status": "on_track",
            "score": 99.0,
            "owner": "CFO",
        },
        {
            "objective_id": "keep",
            "objective_name": "Keep customers",
            "perspective_id": "customer",
            "status": "untrusted",
            "score": None,
            "owner": "VP CS",
        },
    ]
    links = [
        {
            "cause_objective_id": "keep",
            "effect_objective_id": "grow",
            "cause_objective_name": "Keep customers",
            "effect_objective_name": "Grow",
            "assumption": "Kept customers pay",
            "assumption_failed": True,
        },
    ]
    svg = str(render_strategy_map(perspectives, objectives, links))
    assert svg.count('class="map-node') == 2
    assert 'class="map-node status-untrusted"' in svg
    assert svg.count('class="map-link failed"') == 1
    assert "Customer &amp; &lt;co&gt;" in svg
    assert "✓ On track · 99" in svg and "? Untrusted data" in svg
    # Financial (the first perspective) is the top band.
    assert svg.index(">Financial<") < svg.index(">Customer &amp;")


def test_the_status_bar_is_proportional_and_labelled() -> None:
    svg = str(status_bar({"on_track": 3, "off_track": 1}, width=200))
    widths = [float(w) for w in re.findall(r'<rect x="[^"]+" y="0" width="([^"]+)"', svg)]
    assert widths == [150.0, 50.0]
    assert 'aria-label="3 on track, 1 off track"' in svg
    assert str(status_bar({})) == ""


def test_segments_are_named_in_words_whatever_the_company_calls_its_dimensions() -> None:
    assert format_segment({"segment_dimension": "all", "segment_value": "all"}) == "company"
    assert format_segment({"segment_dimension": "team", "segment_value": "cs_enterprise"}) == (
        "team: cs enterprise"
    )
    # Dimensions are the company's own (declared in its strategy.yml), never a fixed list.
    assert format_segment({"segment_dimension": "store", "segment_value": "downtown_store"}) == (
        "store: downtown store"
    )
