"""scorecards.yml: one root, parents that exist and form no cycle, measures listed once that exist,
and segment filters the measures can be sliced by."""

from __future__ import annotations

from orchestration.config.models import Measure, Scorecard
from orchestration.config.validation.core import SCORECARDS, FileChecker, Located, Parsed, State, find_cycles
from orchestration.config.validation.references import check_reference, check_references, reference
from orchestration.config.validation.segments import check_segment

_LISTED_MEASURE = reference(SCORECARDS, ("scorecards", "measures"))


def parse(scorecards: FileChecker, parsed: Parsed) -> None:
    """Read scorecards.yml's entries into ``parsed``; a config needs at least one scorecard."""
    parsed.scorecards = scorecards.items("scorecards", Scorecard)
    if not parsed.scorecards and not scorecards.state.broken_ids["Scorecard"]:
        scorecards.state.error(
            SCORECARDS,
            ("scorecards",),
            "no scorecard is defined.",
            "add at least the corporate scorecard: `- id: corporate` with `measures: all`",
            "schema",
        )


def check(state: State, parsed: Parsed) -> None:
    """The cascade's shape, then each scorecard's parent, measures and segment."""
    state.check_ids(parsed.scorecards, "scorecard")
    roots = [located for located in parsed.scorecards if located.model.parent is None]
    if parsed.scorecards and len(roots) != 1:
        target = roots[1] if len(roots) > 1 else parsed.scorecards[0]
        state.error(
            SCORECARDS,
            target.path,
            f"{len(roots)} scorecards have no parent; exactly one (the corporate scorecard) must be the "
            "root.",
            "give every cascaded scorecard a `parent:` (the scorecard it rolls up to)",
            "scorecard_hierarchy",
        )
    for located in parsed.scorecards:
        scorecard: Scorecard = located.model
        check_references(state, parsed, located, ("scorecards",))
        members = _members(state, parsed, located)
        check_segment(state, SCORECARDS, (*located.path, "segment"), scorecard.segment, members, parsed)
    parents = {
        located.model.id: located.model.parent for located in parsed.scorecards if located.model.parent
    }
    for cycle in find_cycles(list(parents.items())):
        closing = next(located for located in parsed.scorecards if located.model.id == cycle[-2])
        state.error(
            SCORECARDS,
            (*closing.path, "parent"),
            "scorecard parents form a cycle: " + " → ".join(cycle) + ".",
            "every cascade must roll up to the corporate scorecard: fix one `parent:` in this cycle",
            "scorecard_hierarchy",
        )


def _members(state: State, parsed: Parsed, located: Located) -> list[Measure]:
    """The measures a scorecard shows (all, or those it lists that exist), reporting list errors."""
    measures = {entry.model.id: entry.model for entry in parsed.measures}
    scorecard: Scorecard = located.model
    if scorecard.measures == "all":
        return list(measures.values())
    members: list[Measure] = []
    seen: set[str] = set()
    for index, measure_id in enumerate(scorecard.measures):
        path = (*located.path, "measures", index)
        if measure_id in seen:
            state.error(
                SCORECARDS,
                path,
                f"measure `{measure_id}` is listed twice in this scorecard.",
                "list each measure once",
                "duplicate_id",
            )
        seen.add(measure_id)
        if check_reference(state, parsed, _LISTED_MEASURE, path, measure_id) and measure_id in measures:
            members.append(measures[measure_id])
    if not scorecard.measures:
        state.error(
            SCORECARDS,
            (*located.path, "measures"),
            "the scorecard lists no measures.",
            "list the governed measures it shows, or `measures: all`",
            "schema",
        )
    return members
