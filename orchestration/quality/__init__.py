"""Quality gates: Great Expectations suites from ``expectations/`` as blocking Dagster asset checks.

Great Expectations is imported only when a check runs (it costs ~3 s), never when this package or
``Definitions`` load. ``build_quality_checks`` lives in ``orchestration.defs.quality`` (it imports
Dagster); the listing functions the CLI uses are here.
"""

from orchestration.quality.quarantine import QuarantinedRow, list_quarantine
from orchestration.quality.reports import QualityReport, list_quality_reports
from orchestration.quality.suites import SuiteError, SuiteFile, expectations_dir, load_suite_files

__all__ = [
    "QualityReport",
    "QuarantinedRow",
    "SuiteError",
    "SuiteFile",
    "expectations_dir",
    "list_quality_reports",
    "list_quarantine",
    "load_suite_files",
]
