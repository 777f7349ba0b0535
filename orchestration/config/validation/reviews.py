"""reviews.yml: the cadence, and each review's scorecard, period, agenda, decisions, failed
assumptions and actions (a review without a date is a draft that records none of the last three)."""

from __future__ import annotations

from pydantic import TypeAdapter

from orchestration.config.models import Review, ReviewCadence
from orchestration.config.periods import Grain, parse_period
from orchestration.config.validation.core import REVIEWS, FileChecker, Located, Parsed, State
from orchestration.config.validation.references import check_references
from orchestration.config.vocabulary import Frequency


def parse(reviews: FileChecker, parsed: Parsed) -> None:
    """Read reviews.yml's cadence and reviews into ``parsed``."""
    parsed.cadence = reviews.one("cadence", TypeAdapter(ReviewCadence))
    parsed.reviews = reviews.items("reviews", Review)


def check(state: State, parsed: Parsed) -> None:
    """Unique review and action ids, then each review's references and period."""
    state.check_ids(parsed.reviews, "review")
    actions = [action for located in parsed.reviews for action in located.entries("actions")]
    state.check_ids(actions, "action")
    link_ids = {(located.model.cause, located.model.effect) for located in parsed.links}
    for located in parsed.reviews:
        review: Review = located.model
        check_references(state, parsed, located, ("reviews",))
        _check_period(state, parsed, located)
        _check_draft(state, located)
        for decision in located.entries("decisions"):
            check_references(state, parsed, decision, ("reviews", "decisions"))
        for index, failed in enumerate(review.failed_assumptions):
            if (failed.cause, failed.effect) not in link_ids:
                state.error(
                    REVIEWS,
                    (*located.path, "failed_assumptions", index),
                    f"there is no strategy-map link {failed.cause} → {failed.effect} in strategy.yml.",
                    "a failed assumption names an existing link by its `cause` and `effect` objectives",
                    "unknown_reference",
                )
        for action in located.entries("actions"):
            check_references(state, parsed, action, ("reviews", "actions"))


def _check_draft(state: State, located: Located) -> None:
    """A review without a review_date is a draft for a meeting not yet held: it records nothing."""
    review: Review = located.model
    recorded = [
        key
        for key, entries in (
            ("decisions", review.decisions),
            ("failed_assumptions", review.failed_assumptions),
            ("actions", review.actions),
        )
        if entries
    ]
    if review.review_date is None and recorded:
        state.error(
            REVIEWS,
            (*located.path, "review_date"),
            f"review {review.id} records {', '.join(recorded)} but has no review_date: only a "
            "draft for a meeting not yet held may leave it empty.",
            "write the date the meeting was held, e.g. `review_date: 2026-10-13`",
            "schema",
        )


def _check_period(state: State, parsed: Parsed, located: Located) -> None:
    """The reviewed period is one period of the cadence, and ended before the review met."""
    review: Review = located.model
    cadence = parsed.cadence
    expected = Grain.quarter if cadence and cadence.frequency is Frequency.quarterly else Grain.month
    try:
        period = parse_period(review.period, parsed.fy_start)
    except ValueError as error:
        state.error(
            REVIEWS,
            (*located.path, "period"),
            f"{error}.",
            "write the reviewed period as a month (`2026-09`) or a fiscal quarter (`FY2027-Q3`)",
            "invalid_period",
        )
        return
    if period.grain is not expected:
        state.error(
            REVIEWS,
            (*located.path, "period"),
            f"`{review.period}` is a {period.grain.value}, but the review cadence is "
            f"{cadence.frequency.value if cadence else 'monthly'}.",
            f"review one {expected.value} at a time, or change `cadence.frequency`",
            "invalid_period",
        )
    elif review.review_date is not None and review.review_date <= period.end:
        state.error(
            REVIEWS,
            (*located.path, "review_date"),
            f"the review of {period.label} is dated {review.review_date}, before that period ended "
            f"({period.end}).",
            "date the review after the period it reviews, or correct the period",
            "invalid_period",
        )
