"""A company folder: what the engine reads for one company, and ``scorecard init``'s scaffold.

No Dagster here: the CLI calls ``scaffold_company``.
"""

from orchestration.company.scaffold import CompanyExistsError, ScaffoldResult, scaffold_company

__all__ = ["CompanyExistsError", "ScaffoldResult", "scaffold_company"]
