"""measures.yml: unique ids, the objective and data sources named, slice_by, definition history and
target roll-up."""

from __future__ import annotations

from orchestration.config.models import Measure
from orchestration.config.validation.core import (
    MEASURES,
    Located,
    Parsed,
    State,
    effective_range,
)
from orchestration.config.validation.references import check_references
from orchestration.config.validation.segments import check_dimension
from orchestration.config.vocabulary import MeasureType, TargetRollup
from orchestration.issues import did_you_mean


def check(state: State, parsed: Parsed) -> None:
    """Every measure on its own and against strategy.yml and sources.yml, entry by entry."""
    state.check_ids(parsed.measures, "measure")
    for located in parsed.measures:
        measure: Measure = located.model
        check_references(state, parsed, located, ("measures",))
        if parsed.data_sources is not None:
            for index, source in enumerate(measure.data_sources):
                if source not in parsed.data_sources:
                    state.error(
                        MEASURES,
                        (*located.path, "data_sources", index),
                        f"data source `{source}` is not a table in sources.yml.",
                        "use a `system.table` registered in sources.yml"
                        + did_you_mean(source, parsed.data_sources)
                        + ", or register the table there first",
                        "unknown_data_source",
                    )
        for index, dimension in enumerate(measure.slice_by or []):
            check_dimension(
                state,
                MEASURES,
                (*located.path, "slice_by", index),
                dimension,
                parsed,
                "remove it from slice_by",
            )
        _check_measure_versions(state, located)
        _check_target_rollup(state, located)


def _check_target_rollup(state: State, located: Located) -> None:
    """A declared target_rollup must fit the measure: a level cannot be summed, only a share compounds."""
    measure: Measure = located.model
    rollup = measure.target_rollup
    path = (*located.path, "target_rollup")
    if rollup is TargetRollup.sum and measure.measure_type is MeasureType.stock:
        state.error(
            MEASURES,
            path,
            "a stock is a level read at the period's end; summing its monthly targets gives a quarter "
            "target three times the level.",
            "use `target_rollup: last` (the default for a stock), or remove the line",
            "invalid_target_rollup",
        )
    if rollup is TargetRollup.compound and measure.unit != "percent":
        state.error(
            MEASURES,
            path,
            f"`compound` treats each monthly target as a share lost (1 - Π(1 - target)), which needs "
            f"unit percent (a fraction 0…1); this measure's unit is `{measure.unit}`.",
            "use `sum`, `last` or `average` for this unit, or express the measure as a percent fraction",
            "invalid_target_rollup",
        )


def _check_measure_versions(state: State, located: Located) -> None:
    """Earlier definitions lie inside the measure's range and do not overlap each other."""
    measure: Measure = located.model
    versions = sorted(enumerate(measure.previous_versions), key=lambda item: item[1].effective_from)
    for position, (index, version) in enumerate(versions):
        path = (*located.path, "previous_versions", index)
        if version.effective_from < measure.effective_from or (
            measure.retired_on is not None and version.effective_to >= measure.retired_on
        ):
            state.error(
                MEASURES,
                path,
                f"this version ({version.effective_from} … {version.effective_to}) lies outside the "
                "measure's effective range " + effective_range(measure.effective_from, measure.retired_on),
                "move the version's dates inside the measure's range, or move the measure's effective_from",
                "overlapping_effective_dates",
            )
        if position > 0:
            previous_index, previous = versions[position - 1]
            if version.effective_from <= previous.effective_to:
                state.error(
                    MEASURES,
                    path,
                    f"this version ({version.effective_from} … {version.effective_to}) overlaps "
                    f"previous_versions[{previous_index}] ({previous.effective_from} … "
                    f"{previous.effective_to}).",
                    "each day has exactly one definition: end the earlier version the day before the "
                    "later starts",
                    "overlapping_effective_dates",
                )
