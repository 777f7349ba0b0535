"""okrs.yml: unique ids, the objective each OKR serves, its fiscal quarter and key results due in it."""

from __future__ import annotations

from orchestration.config.models import Okr
from orchestration.config.periods import Grain, parse_period
from orchestration.config.validation.core import OKRS, Located, Parsed, State
from orchestration.config.validation.references import check_references


def check(state: State, parsed: Parsed) -> None:
    """Each OKR's objective and key results; its quarter once strategy.yml gives the fiscal year."""
    state.check_ids(parsed.okrs, "OKR")
    for located in parsed.okrs:
        check_references(state, parsed, located, ("okrs",))
        key_results = located.entries("key_results")
        state.check_ids(key_results, "key result")
        if parsed.company is not None:
            _check_quarter(state, located, key_results, parsed.company.fiscal_year_start_month)


def _check_quarter(state: State, located: Located, key_results: list[Located], fy_start: int) -> None:
    """The OKR names a fiscal quarter, and each key result is due inside it."""
    okr: Okr = located.model
    try:
        quarter = parse_period(okr.quarter, fy_start)
    except ValueError as error:
        quarter = None
        message = f"{error}."
    else:
        message = f"`{okr.quarter}` is a {quarter.grain.value}, not a fiscal quarter."
    if quarter is None or quarter.grain is not Grain.quarter:
        state.error(
            OKRS,
            (*located.path, "quarter"),
            message,
            "write the fiscal quarter the OKR runs in, e.g. `quarter: FY2027-Q3`",
            "invalid_period",
        )
        return
    for key_result in key_results:
        due = key_result.model.due_date
        if not quarter.start <= due <= quarter.end:
            state.error(
                OKRS,
                (*key_result.path, "due_date"),
                f"key result `{key_result.model.id}` is due {due}, outside its OKR's quarter "
                f"{quarter.label} ({quarter.start} … {quarter.end}).",
                "give it a due date inside the quarter, or move the OKR to the quarter it is due in",
                "invalid_period",
            )
