"""initiatives.yml: unique ids, milestones due inside their initiative, objectives that exist."""

from __future__ import annotations

from orchestration.config.models import Initiative
from orchestration.config.validation.core import INITIATIVES, Parsed, State
from orchestration.config.validation.references import check_references


def check(state: State, parsed: Parsed) -> None:
    """Each initiative's milestones and the objectives it serves."""
    state.check_ids(parsed.initiatives, "initiative")
    for located in parsed.initiatives:
        initiative: Initiative = located.model
        milestones = located.entries("milestones")
        state.check_ids(milestones, "milestone")
        for milestone in milestones:
            due = milestone.model.due_date
            if not initiative.start_date <= due <= initiative.end_date:
                side = "after its end_date" if due > initiative.end_date else "before its start_date"
                state.error(
                    INITIATIVES,
                    (*milestone.path, "due_date"),
                    f"milestone `{milestone.model.id}` is due {due}, {side} "
                    f"({initiative.start_date} … {initiative.end_date}) of initiative `{initiative.id}`.",
                    "move the due_date inside the initiative's dates, or extend its `end_date` if the "
                    "initiative now runs longer",
                    "milestone_outside_initiative",
                )
        check_references(state, parsed, located, ("initiatives",))
