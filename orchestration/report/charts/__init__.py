"""Pictures for the report, as inline SVG: trend charts, the strategy map and status bars.

Three steps, one module each: ``trend_spec`` writes a measure's Vega-Lite chart spec (its y axis laid
out in Python), ``map_layout`` places the strategy map's bands, objectives and arrows, and ``svg``
draws both as ``<svg>`` elements, so nothing is fetched by a browser.
"""

from orchestration.report.charts.svg import render_strategy_map, render_trend_chart, status_bar

__all__ = ["render_strategy_map", "render_trend_chart", "status_bar"]
