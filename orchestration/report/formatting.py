"""How values, statuses and findings look to a reader: number formats per unit, status labels and colours.

Formatting only: every value shown was computed by the warehouse. A status is shown with a colour
*and* a symbol and a text label, so the report reads the same without colour (colour-blind readers,
black-and-white print).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

# The palette is shared with the Mermaid strategy map; the report's modules and templates reach it here.
from orchestration.status_styles import SCORED_STATUSES as SCORED_STATUSES
from orchestration.status_styles import STATUS_ORDER as STATUS_ORDER
from orchestration.status_styles import STATUS_STYLES as STATUS_STYLES
from orchestration.status_styles import StatusStyle

# Typographic signs, spelled as escapes so they are not mistaken for ASCII look-alikes in the source.
MINUS = "\u2212"
EN_DASH = "\u2013"

_UNKNOWN_STATUS = StatusStyle("Unknown", "·", "#ffffff", "#999999", "#333333", "")

SEVERITY_ORDER: tuple[str, ...] = ("critical", "warning", "info")
SEVERITY_LABELS: dict[str, str] = {"critical": "Critical", "warning": "Warning", "info": "Info"}
SEVERITY_RICH: dict[str, str] = {"critical": "bold red", "warning": "dark_orange", "info": "dim"}

FINDING_TYPE_LABELS: dict[str, str] = {
    "imbalance": "Imbalance",
    "early_warning": "Early warning",
    "off_track_measure": "Off-track measure",
    "missing_data": "Missing data",
    "missing_target": "Missing target",
    "untrusted_data": "Untrusted data",
    "overdue_action": "Overdue action",
    "overdue_milestone": "Overdue milestone",
    "failed_assumption": "Failed assumption",
    "contradicted_assumption": "Assumption contradicted by the data",
    "forecast_miss": "Projected to miss the annual target",
}

EVIDENCE_LABELS: dict[str, str] = {
    "supported": "Supported",
    "contradicted": "Contradicted",
    "inconclusive": "Inconclusive",
    "not_enough_data": "Not enough data",
}

FORECAST_METHOD_LABELS: dict[str, str] = {
    "run_rate": "run-rate",
    "linear_trend": "linear trend",
}

DIRECTION_LABELS: dict[str, str] = {
    "higher_is_better": "higher is better",
    "lower_is_better": "lower is better",
}

TREND_LABELS: dict[str, str] = {
    "improving": "↗ improving",
    "declining": "↘ declining",
    "flat": "→ flat",
    "unknown": "trend unknown",
}

# How often a measure is reported, by the grain of its rows.
GRAIN_ADJECTIVES: dict[str, str] = {"month": "monthly", "quarter": "quarterly", "year": "yearly"}

UNIT_LABELS: dict[str, str] = {
    "usd": "US dollars",
    "percent": "percent",
    "count": "count",
    "days": "days",
    "hours": "hours",
    "score": "score (points)",
}


def status_style(status: str | None) -> StatusStyle:
    """The style of a status; an unexpected value still renders (as "Unknown") instead of failing."""
    return STATUS_STYLES.get(status or "", _UNKNOWN_STATUS)


def status_label(status: str | None) -> str:
    """'On track', 'Off track', … for a status value."""
    return status_style(status).label if status in STATUS_STYLES else str(status or "Unknown")


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _compact(value: float) -> str:
    """12 400 000 → '12.4M', 845 000 → '845K', 950 → '950'."""
    magnitude = abs(value)
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if magnitude >= threshold:
            scaled = value / threshold
            digits = 1 if abs(scaled) < 100 else 0
            return f"{scaled:,.{digits}f}{suffix}"
    return f"{value:,.0f}"


def _number(value: float, decimals: int) -> str:
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{decimals}f}"


def format_value(value: object, unit: str | None, *, precise: bool = False) -> str:
    """A measure value in its unit, as a reader expects: '$12.4M', '87.3%', '7.2 days', '1,234'.

    Percent measures are stored as fractions (0.873), so they are shown multiplied by 100.
    ``precise`` shows what a restatement needs ('$11,845,000', '87.32%', '7.25 days'): the compact
    form hides what changed, as $11.80M restated as $11.85M reads '$11.8M' twice.
    """
    if _is_missing(value):
        return "—"
    number = float(value)  # type: ignore[arg-type]
    decimals = 2 if precise else 1
    match unit:
        case "usd":
            amount = f"{abs(number):,.0f}" if precise else _compact(abs(number))
            return (MINUS + "$" if number < 0 else "$") + amount
        case "percent":
            return f"{number * 100:.{decimals}f}%"
        case "days":
            return f"{number:,.{decimals}f} days"
        case "hours":
            return f"{number:,.{decimals}f} h"
        case "score":
            return f"{number:,.{decimals}f}"
        case "count":
            return _number(number, 1)
        case _:
            return _number(number, 2) + (f" {unit}" if unit else "")


def format_change(value: object, unit: str | None) -> str:
    """A signed difference in the measure's unit; percent differences are percentage points."""
    if _is_missing(value):
        return "—"
    number = float(value)  # type: ignore[arg-type]
    sign = "+" if number > 0 else (MINUS if number < 0 else "±")
    magnitude = abs(number)
    if unit == "percent":
        return f"{sign}{magnitude * 100:.1f} pp"
    return sign + format_value(magnitude, unit)


def format_score(value: object) -> str:
    """A 0-100 score as a whole number; '—' when there is none."""
    return "—" if _is_missing(value) else f"{float(value):.0f}"  # type: ignore[arg-type]


def format_ratio(value: object) -> str:
    """Attainment (actual vs target, direction-adjusted) as a percentage of target."""
    return "—" if _is_missing(value) else f"{float(value) * 100:.0f}% of target"  # type: ignore[arg-type]


def format_date(value: date | None) -> str:
    """'30 Sep 2026'."""
    return "—" if value is None else f"{value.day} {value:%b %Y}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 measure', '3 measures'."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def format_grains(by_grain: Mapping[str, int]) -> str:
    """'16 monthly + 3 quarterly' for measures reported at more than one grain; '' when all share one."""
    present = {grain: count for grain, count in by_grain.items() if count}
    if len(present) < 2:
        return ""
    return " + ".join(f"{count} {GRAIN_ADJECTIVES.get(grain, grain)}" for grain, count in present.items())


def format_segment(row: Mapping[str, object]) -> str:
    """A cascade segment as words: 'company' for the all/all row, else e.g. 'country: fr'."""
    dimension, value = row.get("segment_dimension"), row.get("segment_value")
    if dimension in (None, "all"):
        return "company"
    return f"{str(dimension).replace('_', ' ')}: {str(value).replace('_', ' ')}"


RESTATEMENT_REASON_LABELS = {
    "matured": "provisional value matured",
    "data_changed": "late or corrected data",
    "definition_changed": "measure definition changed",
}


def _signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", MINUS)


def format_evidence(link: Mapping[str, object]) -> str:
    """A strategy-map link's verdict from the data, with the statistic it rests on.

    'Supported: r +0.71 (95% +0.27 to +0.90), 33 pairs, lag 3 months' — the interval is the
    warehouse's, already adjusted for the lags and measure pairs searched.
    """
    verdict = str(link.get("evidence_verdict") or "not_enough_data")
    label = EVIDENCE_LABELS.get(verdict, verdict)
    correlation = link.get("evidence_detrended_correlation")
    if _is_missing(correlation):
        return label
    low, high = link.get("evidence_correlation_low"), link.get("evidence_correlation_high")
    lag = int(link.get("evidence_lag_months") or 0)  # type: ignore[call-overload]
    return (
        f"{label}: r {_signed(float(correlation))} "  # type: ignore[arg-type]
        f"(95% {_signed(float(low))} to {_signed(float(high))}), "  # type: ignore[arg-type]
        f"{plural(int(link.get('evidence_pairs') or 0), 'pair')}, lag {plural(lag, 'month')}"  # type: ignore[call-overload]
    )


def format_forecast(forecast: Mapping[str, object] | None, unit: str | None) -> str:
    """'FY2027 projected $43.8M (linear trend) vs target $44.9M' — '' without a projection."""
    if not forecast or _is_missing(forecast.get("projected_value")):
        return ""
    method = FORECAST_METHOD_LABELS.get(
        str(forecast.get("forecast_method")), str(forecast.get("forecast_method"))
    )
    projected = format_value(forecast.get("projected_value"), unit)
    target = format_value(forecast.get("annual_target"), unit)
    return f"{forecast.get('fiscal_year_label')} projected {projected} ({method}) vs target {target}"
