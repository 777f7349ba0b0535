"""The words a scorecard config may use as values: the enums of ``models``.

Each is a ``StrEnum`` whose values are what a user writes in the YAML (``direction: higher_is_better``)
and what the compiler writes into the ``cfg_*`` seeds. A plain list of words is declared in one line
(each member's value is its name); a class where its members need explaining.
"""

from __future__ import annotations

from enum import StrEnum

# Whether a bigger value is good news (attainment actual ÷ target) or bad news (target ÷ actual).
Direction = StrEnum("Direction", "higher_is_better lower_is_better")

# A driver that moves first, or an outcome that shows later.
IndicatorType = StrEnum("IndicatorType", "leading lagging")

# What put an item on a review's agenda: the published finding or table `scorecard review prepare`
# drafted it from.
AgendaKind = StrEnum(
    "AgendaKind",
    "off_track_measure provisional_measure early_warning contradicted_assumption overdue_action "
    "overdue_milestone restatement",
)

# How often a measure is reported (quarters are fiscal), and how often reviews meet.
Frequency = StrEnum("Frequency", "monthly quarterly")

# How a measure's value behaves over a longer period (see TargetRollup).
MeasureType = StrEnum("MeasureType", "flow stock ratio distribution derived")


class TargetRollup(StrEnum):
    """How the target of a coarser period (fiscal quarter, year) follows from the measure's own targets.

    It must match how the measure's *value* behaves over a longer period, or the quarter and the year
    are judged against a target of another kind:

    ``sum``       a flow: the period's total is the sum of its months (revenue, new customers).
    ``last``      a level read at the period's end: a stock (ARR, headcount), or a rate over a trailing
                  window that ends with the period (net revenue retention over 12 months).
    ``average``   a rate whose value over the period stays on the monthly scale (gross margin, CSAT,
                  a median): the mean of the monthly targets.
    ``compound``  a cohort rate that accumulates over the period (churn, attrition: of those there at
                  the start, the share lost during it): 1 - Π(1 - monthly target), so 2% a month is
                  5.9% a quarter and 21.5% a year.
    """

    sum = "sum"
    last = "last"
    average = "average"
    compound = "compound"


DEFAULT_TARGET_ROLLUP = {
    MeasureType.flow: TargetRollup.sum,
    MeasureType.stock: TargetRollup.last,
    MeasureType.ratio: TargetRollup.average,
    MeasureType.distribution: TargetRollup.average,
    MeasureType.derived: TargetRollup.average,
}


# The three forms of a target in targets.yml (``kind:``).
TargetKind = StrEnum("TargetKind", "absolute annual relative")


class Phasing(StrEnum):
    """How an annual target becomes per-period targets.

    ``flat``: every period gets the annual value (ratios, levels). ``even``: the value is split equally
    (flows). ``weights``: split in proportion to one weight per period (seasonal flows). ``linear``:
    a straight path from ``start_value`` in the first period to the value in the last (stocks).
    """

    flat = "flat"
    even = "even"
    weights = "weights"
    linear = "linear"


# The period whose actual a relative target changes.
Baseline = StrEnum("Baseline", "same_period_last_year previous_period")


class ChangeType(StrEnum):
    """``relative``: target = baseline * (1 + change). ``absolute``: target = baseline + change."""

    relative = "relative"
    absolute = "absolute"


# Where an initiative stands.
InitiativeStatus = StrEnum("InitiativeStatus", "planned in_progress on_hold completed cancelled")

# Where a review action or an initiative milestone stands.
ActionStatus = StrEnum("ActionStatus", "open in_progress done cancelled")


class Status(StrEnum):
    """A measure's or objective's status as the warehouse reports it."""

    on_track = "on_track"
    at_risk = "at_risk"
    off_track = "off_track"
    no_data = "no_data"
    provisional = "provisional"
    no_target = "no_target"
    untrusted = "untrusted"


class OnImplausible(StrEnum):
    """What an implausible value does to its period: ``block`` stops the run before anything is
    published; ``untrust`` publishes it marked untrusted (shown, not scored), with the reason."""

    block = "block"
    untrust = "untrust"
