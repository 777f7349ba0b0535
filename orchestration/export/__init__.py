"""What BI tools and file consumers get: per-period Parquet/CSV exports and the BI guide.

- ``export_period`` writes every published table for one month as Parquet and CSV.
- ``write_bi_guide`` (``scorecard bi-guide``), ``render_bi_guide`` and ``documented_columns``
  generate and read back docs/bi-guide.md, the contract of the published tables, from the dbt
  manifest.

Nothing here imports Dagster or computes a business value: exports copy published rows as they are.
"""

from orchestration.export.bi_guide import (
    BiGuideError,
    GuideColumn,
    GuideTable,
    documented_columns,
    published_tables,
    render_bi_guide,
    write_bi_guide,
)
from orchestration.export.files import SUPPORTED_FORMATS, ExportError, export_period, parse_period

__all__ = [
    "SUPPORTED_FORMATS",
    "BiGuideError",
    "ExportError",
    "GuideColumn",
    "GuideTable",
    "documented_columns",
    "export_period",
    "parse_period",
    "published_tables",
    "render_bi_guide",
    "write_bi_guide",
]
