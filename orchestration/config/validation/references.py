"""Cross-file references as data: which field of which entries names an id of which collection.

Each row of ``REFERENCES`` says: in ``file``, the entries at ``collection`` (a path of list sections,
``("reviews", "decisions")`` for the decisions of every review) name in ``field`` an id of the
``target`` collection; a value that is not there is reported with the target's message. A field holds
one id, ``None`` (nothing referenced) or a list of ids (each reported at its index). One checker,
``check_references``, reads the rows, so a new reference is a new row, not a new loop.

References to entries that exist but failed validation (``State.broken_ids``), or to a file that could
not be read at all, are not reported: their own errors say what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from orchestration.config.validation.core import (
    INITIATIVES,
    MEASURES,
    OKRS,
    REVIEWS,
    SCORECARDS,
    STRATEGY,
    TARGETS,
    Located,
    Parsed,
    State,
)
from orchestration.issues import PathKey, did_you_mean


@dataclass(frozen=True)
class Collection:
    """What a reference can point at: its entries' ids, and how a message names them."""

    what: str  # one entry, as a message names it: "objective"
    where: str  # where the ids are defined: "strategy.yml objectives"
    kind: str  # the model whose broken entries are not reported again (State.broken_ids)
    ids: Callable[[Parsed], set[str]]

    message: str = "{what} `{value}` is not defined in {where}."
    hint: str = "use one of the {what} ids in {where}{suggestion}, or add `{value}` there"


def _ids(entries: list[Located]) -> set[str]:
    return {located.model.id for located in entries}


PERSPECTIVE = Collection(
    "perspective", "strategy.yml perspectives", "Perspective", lambda p: _ids(p.perspectives)
)
OBJECTIVE = Collection("objective", "strategy.yml objectives", "Objective", lambda p: _ids(p.objectives))
MEASURE = Collection("measure", "measures.yml", "Measure", lambda p: _ids(p.measures))
SCORECARD = Collection("scorecard", "scorecards.yml", "Scorecard", lambda p: _ids(p.scorecards))


@dataclass(frozen=True)
class Reference:
    """One row of the table: entries at ``collection`` of ``file`` name a ``target`` id in ``field``.

    ``field`` ``None``: the entry is the id itself (a key of ``targets:`` or ``thresholds.measures``).
    """

    file: str
    collection: tuple[str, ...]
    field: str | None
    target: Collection


REFERENCES: tuple[Reference, ...] = (
    Reference(STRATEGY, ("objectives",), "perspective", PERSPECTIVE),
    Reference(STRATEGY, ("strategy_map",), "cause", OBJECTIVE),
    Reference(STRATEGY, ("strategy_map",), "effect", OBJECTIVE),
    Reference(MEASURES, ("measures",), "objective", OBJECTIVE),
    Reference(TARGETS, ("targets",), None, MEASURE),
    Reference(TARGETS, ("thresholds", "measures"), None, MEASURE),
    Reference(INITIATIVES, ("initiatives",), "objectives", OBJECTIVE),
    Reference(OKRS, ("okrs",), "objective", OBJECTIVE),
    Reference(SCORECARDS, ("scorecards",), "parent", SCORECARD),
    # `measures: all` names no id; scorecards.py checks the listed ones with check_reference.
    Reference(SCORECARDS, ("scorecards", "measures"), None, MEASURE),
    Reference(REVIEWS, ("reviews",), "scorecard", SCORECARD),
    Reference(REVIEWS, ("reviews", "decisions"), "objective", OBJECTIVE),
    Reference(REVIEWS, ("reviews", "decisions"), "measure", MEASURE),
    Reference(REVIEWS, ("reviews", "actions"), "objective", OBJECTIVE),
    Reference(REVIEWS, ("reviews", "actions"), "measure", MEASURE),
)


def reference(file: str, collection: tuple[str, ...], field: str | None = None) -> Reference:
    """The row for ``field`` of the entries at ``collection`` in ``file``."""
    return next(
        row for row in REFERENCES if (row.file, row.collection, row.field) == (file, collection, field)
    )


def check_references(state: State, parsed: Parsed, located: Located, collection: tuple[str, ...]) -> bool:
    """Check every reference one entry makes, by the rows for its file and ``collection``, in table
    order; list fields id by id. True when each named id exists (or is not checkable)."""
    ok = True
    for row in REFERENCES:
        if (row.file, row.collection) != (located.file, collection):
            continue
        if row.field is None:
            ok = check_reference(state, parsed, row, located.path, located.model) and ok
            continue
        value = getattr(located.model, row.field)
        if isinstance(value, list):
            for index, item in enumerate(value):
                ok = check_reference(state, parsed, row, (*located.path, row.field, index), item) and ok
        else:
            ok = check_reference(state, parsed, row, (*located.path, row.field), value) and ok
    return ok


def check_reference(state: State, parsed: Parsed, row: Reference, path: PathKey, value: str | None) -> bool:
    """One id at ``path``: an error unless it is ``None``, defined, or defined but broken."""
    target = row.target
    known = target.ids(parsed)
    broken = state.broken_ids[target.kind]
    # "*" in broken: the whole file of the referenced kind could not be read, so nothing is checkable.
    if value is None or value in known or "*" in broken or value in broken:
        return True
    state.error(
        row.file,
        path,
        target.message.format(what=target.what, value=value, where=target.where),
        target.hint.format(
            what=target.what, where=target.where, value=value, suggestion=did_you_mean(value, known)
        ),
        "unknown_reference",
    )
    return False
