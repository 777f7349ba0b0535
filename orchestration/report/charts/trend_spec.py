"""Chart specs: the Vega-Lite spec of a measure's trend chart, with its y axis laid out in Python.

Only data and spec here, no drawing: ``orchestration.report.charts.svg`` turns the spec into inline
SVG with vl-convert.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from orchestration.report.formatting import status_style
from orchestration.status_styles import STATUS_ORDER, STATUS_STYLES

# How a unit's axis labels are written (d3-format types): an SI prefix ("$20M", "1.5k"), a percentage
# of a fraction, or a fixed-point number. The precision is not fixed per unit: it follows each
# chart's tick step (see ``y_axis_ticks``), so distinct ticks never print alike ("3.9, 4.0, 4.1",
# never "4, 4, 4"). Units not listed (a company's own, e.g. "minutes") read as SI numbers.
_AXIS_STYLES: dict[str, str] = {
    "usd": "currency",
    "percent": "percent",
    "count": "si",
    "days": "fixed",
    "hours": "fixed",
    "score": "fixed",
}
# At most this many y ticks on an 80 px high small multiple: labels stay readable and apart.
_MAX_Y_TICKS = 4
_TOOLTIP_FORMATS: dict[str, str] = {
    "usd": "$,.0f",
    "percent": ".1%",
    "count": ",.1~f",
    "days": ".1f",
    "hours": ".1f",
    "score": ".1f",
}
_ACTUAL_COLOUR = "#1f4e79"
_TARGET_COLOUR = "#8a8a8a"


@dataclass(frozen=True)
class AxisTicks:
    """A y axis laid out in Python: its nice domain, every tick value and the d3 format of their labels."""

    domain: tuple[float, float]
    values: tuple[float, ...]
    label_format: str


def _exponent(value: float) -> int:
    """The decimal exponent of ``value``: 3 for 1,234, -2 for 0.05."""
    return math.floor(math.log10(abs(value)))


def _label_format(unit: str | None, ticks: Sequence[float], power: int) -> str:
    """The d3 format that writes each tick with just the digits its step needs, in the unit's style.

    A step of ``f * 10**power`` needs ``-power`` decimals as a plain number, two fewer as a percentage
    of a fraction, and, with an SI prefix, as many significant digits as separate the largest tick's
    exponent from the step's: ticks 1.20M, 1.25M, 1.30M need three.
    """
    style = _AXIS_STYLES.get(unit or "", "si")
    if style == "fixed":
        return f".{max(0, -power)}f"
    if style == "percent":
        return f".{max(0, -power - 2)}%"
    largest = max((abs(tick) for tick in ticks), default=0.0)
    digits = _exponent(largest) - power + 1 if largest else 1
    prefix = "$" if style == "currency" else ""
    return f"{prefix}.{min(21, max(1, digits))}~s"


def y_axis_ticks(
    values: Iterable[object], unit: str | None, *, max_ticks: int = _MAX_Y_TICKS
) -> AxisTicks | None:
    """Nice y ticks for a trend chart's ``values`` (None ignored), labelled so that no two read alike.

    The step is the finest of 1, 2 or 5 times a power of ten that covers the values in at most
    ``max_ticks`` ticks; the domain runs from the tick below the lowest value to the tick above the
    highest (Vega-Lite's ``nice``). The label precision follows the step (``_label_format``). None
    when there is no value to plot.
    """
    numbers = [float(value) for value in values if value is not None and not math.isnan(float(value))]
    if not numbers:
        return None
    low, high = min(numbers), max(numbers)
    if high == low:
        # A flat line: a band around it, so the axis still shows a scale.
        pad = abs(low) * 0.05 or (0.01 if unit == "percent" else 1.0)
        low, high = low - pad, high + pad
    power = math.floor(math.log10((high - low) / (max_ticks - 1)))
    factors = itertools.cycle((1, 2, 5))
    while True:
        factor = next(factors)
        size = factor * 10.0**power
        # A whisker of tolerance: 0.3 / 0.1 is 2.9999999999999996 in floating point.
        first, last = math.floor(low / size + 1e-9), math.ceil(high / size - 1e-9)
        if last - first < max_ticks:
            break
        if factor == 5:
            power += 1
    decimals = max(0, -power)
    ticks = tuple(round(index * factor * 10.0**power, decimals) + 0.0 for index in range(first, last + 1))
    return AxisTicks(
        domain=(ticks[0], ticks[-1]), values=ticks, label_format=_label_format(unit, ticks, power)
    )


def _y_axis_and_scale(
    history: Sequence[dict[str, Any]], unit: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The y axis and scale of a trend chart: ticks chosen in Python when there is a value to plot."""
    ticks = y_axis_ticks([value for row in history for value in (row["actual"], row["target"])], unit)
    y_axis: dict[str, Any] = {"labelColor": "#555", "gridColor": "#eee"}
    # Movement matters more than distance from zero in a small multiple.
    y_scale: dict[str, Any] = {"zero": False, "nice": True}
    if ticks is None:
        y_axis |= {"tickCount": _MAX_Y_TICKS - 1, "format": _label_format(unit, (), 0)}
    else:
        # The ticks and their precision are chosen here, not by Vega, so the labels are exact.
        # tickCount too: Vega thins explicit values down to its count (2 for a chart this high).
        y_axis |= {
            "values": list(ticks.values),
            "tickCount": len(ticks.values),
            "format": ticks.label_format,
        }
        y_scale = {"zero": False, "nice": False, "domain": list(ticks.domain)}
    return y_axis, y_scale


def _status_points(tooltip_format: str) -> dict[str, Any]:
    """The layer of actual values as points, coloured and shaped by status, with a tooltip."""
    status_scale = {
        "domain": [STATUS_STYLES[name].label for name in STATUS_ORDER],
        "range": [STATUS_STYLES[name].stroke for name in STATUS_ORDER],
    }
    status_shapes = {
        "domain": [STATUS_STYLES[name].label for name in STATUS_ORDER],
        "range": ["circle", "triangle-up", "cross", "square", "diamond", "triangle-down"],
    }
    tooltip = [
        {"field": "label", "title": "period"},
        {"field": "actual", "format": tooltip_format},
        {"field": "target", "format": tooltip_format},
        {"field": "status"},
    ]
    return {
        "mark": {"type": "point", "filled": True, "size": 36, "opacity": 1},
        "encoding": {
            "y": {"field": "actual", "type": "quantitative", "title": None},
            "color": {"field": "status", "type": "nominal", "scale": status_scale, "legend": None},
            "shape": {"field": "status", "type": "nominal", "scale": status_shapes, "legend": None},
            "tooltip": tooltip,
        },
    }


def trend_chart_spec(history: Sequence[dict[str, Any]], unit: str | None, *, title: str) -> dict[str, Any]:
    """A small Vega-Lite chart: actual (solid, points coloured by status) against target (dashed)."""
    values = [
        {
            "period": row["period_start"].isoformat(),
            "label": row["period_label"],
            "actual": row["actual"],
            "target": row["target"],
            "status": status_style(row["status"]).label,
        }
        for row in history
    ]
    x = {
        "field": "period",
        "type": "temporal",
        "timeUnit": "utcyearmonth",
        "title": None,
        "axis": {"format": "%b %y", "labelAngle": 0, "tickCount": 4, "grid": False, "labelColor": "#555"},
    }
    y_axis, y_scale = _y_axis_and_scale(history, unit)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": title,
        "width": 250,
        "height": 80,
        "padding": 4,
        "background": "white",
        "config": {"view": {"stroke": None}, "font": "Liberation Sans, DejaVu Sans, Arial, sans-serif"},
        "data": {"values": values},
        "encoding": {"x": x},
        "layer": [
            {
                "mark": {"type": "line", "strokeDash": [5, 3], "color": _TARGET_COLOUR, "strokeWidth": 1.5},
                "encoding": {
                    "y": {
                        "field": "target",
                        "type": "quantitative",
                        "title": None,
                        "axis": y_axis,
                        "scale": y_scale,
                    },
                },
            },
            {
                "mark": {"type": "line", "color": _ACTUAL_COLOUR, "strokeWidth": 2},
                "encoding": {"y": {"field": "actual", "type": "quantitative", "title": None}},
            },
            _status_points(_TOOLTIP_FORMATS.get(unit or "", ",.2~f")),
        ],
        "resolve": {"scale": {"y": "shared"}},
    }
