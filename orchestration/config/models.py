"""Typed models of ``scorecard_config/*.yml``.

One model per YAML entry kind. The models check what one entry can check on its own (types, enums,
identifiers, required fields, internal consistency); everything that needs several entries or files
(references, duplicates, cycles, overlaps, periods) lives in the ``validation`` package, so that every
problem is reported at once with the file and the entry it concerns. Files are read section by
section there, so no model describes a whole file.

Free text stays text: nothing here is ever interpolated into SQL. The compiler writes CSV data only,
and every id is a lowercase snake_case identifier.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from orchestration.config.vocabulary import (
    DEFAULT_TARGET_ROLLUP,
    ActionStatus,
    AgendaKind,
    Baseline,
    ChangeType,
    Direction,
    Frequency,
    IndicatorType,
    InitiativeStatus,
    MeasureType,
    OnImplausible,
    Phasing,
    TargetKind,
    TargetRollup,
)

# Not used here; re-exported so `from orchestration.config.models import Status` keeps working.
from orchestration.config.vocabulary import Status as Status

IDENTIFIER_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
DATA_SOURCE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


def _check_identifier(value: str) -> str:
    if not IDENTIFIER_PATTERN.match(value):
        raise ValueError(
            f"`{value}` is not a valid id: use lowercase snake_case (a letter, then letters, digits or "
            "underscores, at most 63 characters)"
        )
    return value


def _check_data_source(value: str) -> str:
    if not DATA_SOURCE_PATTERN.match(value):
        raise ValueError(f"`{value}` is not a data source: write it as `system.table`, as in sources.yml")
    return value


def _check_currency(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise ValueError(f"`{value}` is not an ISO 4217 currency code: write three capital letters, e.g. USD")
    return value


Identifier = Annotated[str, AfterValidator(_check_identifier)]
DataSourceRef = Annotated[str, AfterValidator(_check_data_source)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True)]


# A segment dimension is the company's own (channel, country, brand, branch …): declared with
# its values in strategy.yml ``segments``, chosen per measure with ``slice_by``. Measure values carry
# it in long form (segment_dimension, segment_value), so any number of dimensions fit one table.
SegmentDimension = Identifier


class ConfigModel(BaseModel):
    """Strict base: unknown keys are errors (they are usually typos), values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# --- strategy.yml ---------------------------------------------------------------------------------


class Company(ConfigModel):
    name: Text
    strategy_statement: Text
    fiscal_year_start_month: int = Field(ge=1, le=12)
    reporting_currency: Annotated[str, AfterValidator(_check_currency)]


class Perspective(ConfigModel):
    id: Identifier
    name: Text
    description: OptionalText = ""
    # Relative weight in the overall score: multiplies the weight of each of its measures there.
    weight: float = Field(default=1.0, gt=0)


class Objective(ConfigModel):
    id: Identifier
    name: Text
    perspective: Identifier
    owner: Text
    description: OptionalText = ""
    # Relative weight in its perspective's and the overall score: multiplies its measures' weights.
    weight: float = Field(default=1.0, gt=0)


class StrategyLink(ConfigModel):
    """A cause-and-effect assumption between two objectives of the strategy map."""

    cause: Identifier
    effect: Identifier
    assumption: Text
    lag_months: int = Field(ge=0, le=36)

    @property
    def link_id(self) -> str:
        """Stable id of the link, used by review records and the warehouse."""
        return f"{self.cause}__to__{self.effect}"


DEFAULT_PERSPECTIVES = (
    Perspective(id="financial", name="Financial", description="How do we look to shareholders?"),
    Perspective(id="customer", name="Customer", description="How do customers see us?"),
    Perspective(id="internal_process", name="Internal process", description="What must we excel at?"),
    Perspective(
        id="learning_growth",
        name="Learning and growth",
        description="Can we continue to improve and create value?",
    ),
)


# --- measures.yml ---------------------------------------------------------------------------------


# Bounds a value cannot leave, by unit, unless the measure declares its own: a percent is a fraction of
# a whole, a count or a duration is never negative. Other units (currencies, scores) have none.
UNIT_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "percent": (0.0, 1.0),
    "count": (0.0, None),
    "days": (0.0, None),
    "hours": (0.0, None),
    "minutes": (0.0, None),
}
# How far a period's change may lie from the measure's usual change, in robust standard deviations
# (1.4826 times the median absolute deviation of the 24 changes before the period). The demo's
# history peaks at 5.3 (8.8 in the tests' 15-month ramp-up); one invoice line of 1e15 scores 24.
DEFAULT_MAX_JUMP = 10.0


class Plausibility(ConfigModel):
    """The plausibility gate of one measure (measures.yml ``plausibility:``); every key is optional.

    ``min``/``max``: bounds every value of the measure (any period, any segment) must lie within;
    omitted, they come from the unit (UNIT_BOUNDS); ``null`` removes the unit's bound. ``max_jump``:
    the largest change from the previous period, in robust standard deviations of the measure's own
    earlier changes (``null`` turns the jump test off). ``on_fail``: ``block`` (default) or ``untrust``.
    """

    min: float | None = None
    max: float | None = None
    max_jump: float | None = Field(default=DEFAULT_MAX_JUMP, gt=0)
    on_fail: OnImplausible = OnImplausible.block

    @model_validator(mode="after")
    def _ordered(self) -> Plausibility:
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError(f"min {self.min:g} is not below max {self.max:g}")
        return self


class MeasureVersion(ConfigModel):
    """An earlier definition of a measure, kept so history is reported with the definition in force.

    ``change_note`` says why this definition was replaced by the next one.
    """

    effective_from: date
    effective_to: date
    definition: Text
    change_note: Text

    @model_validator(mode="after")
    def _ordered(self) -> MeasureVersion:
        if self.effective_to < self.effective_from:
            raise ValueError(
                f"effective_to {self.effective_to} is before effective_from {self.effective_from}"
            )
        return self


class Measure(ConfigModel):
    id: Identifier
    name: Text
    definition: Text
    objective: Identifier
    owner: Text
    unit: Identifier
    direction: Direction
    indicator_type: IndicatorType
    frequency: Frequency
    measure_type: MeasureType
    data_sources: list[DataSourceRef] = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0)
    effective_from: date
    retired_on: date | None = None
    # None: every dimension declared in strategy.yml segments (resolved when the config is assembled).
    slice_by: list[SegmentDimension] | None = None
    previous_versions: list[MeasureVersion] = Field(default_factory=list)
    # None: the default for the measure type (DEFAULT_TARGET_ROLLUP); see TargetRollup.
    target_rollup: TargetRollup | None = None
    # Observation window of a cohort measure: a period's value is provisional until this many days
    # after the period ends (e.g. 30 for "completed within 30 days of sign-up"). None: final at once.
    matures_after_days: int | None = Field(default=None, ge=1, le=366)
    # None: the unit's bounds, a jump test at DEFAULT_MAX_JUMP, blocking (see Plausibility).
    plausibility: Plausibility | None = None

    @property
    def resolved_target_rollup(self) -> TargetRollup:
        """The declared ``target_rollup``, or the measure type's default."""
        return self.target_rollup or DEFAULT_TARGET_ROLLUP[self.measure_type]

    @property
    def plausibility_gate(self) -> Plausibility:
        """The declared plausibility gate, or the default one (jump test on, blocking)."""
        return self.plausibility or Plausibility()

    @property
    def plausible_bounds(self) -> tuple[float | None, float | None]:
        """(min, max) every value must lie within: the declared ones, else the unit's (UNIT_BOUNDS)."""
        unit_min, unit_max = UNIT_BOUNDS.get(self.unit, (None, None))
        declared = self.plausibility
        if declared is None:
            return unit_min, unit_max
        # A key written as `null` removes the unit's bound; an omitted key keeps it.
        given = declared.model_fields_set
        return (
            declared.min if "min" in given else unit_min,
            declared.max if "max" in given else unit_max,
        )

    @model_validator(mode="after")
    def _bounds_ordered(self) -> Measure:
        low, high = self.plausible_bounds
        if low is not None and high is not None and low >= high:
            raise ValueError(
                f"plausibility bounds are empty: min {low:g} is not below max {high:g} (a bound not "
                f"written comes from the unit `{self.unit}`; write both, or `null` to drop one)"
            )
        return self

    @model_validator(mode="after")
    def _retired_after_start(self) -> Measure:
        if self.retired_on is not None and self.retired_on <= self.effective_from:
            raise ValueError(
                f"retired_on {self.retired_on} is not after effective_from {self.effective_from}"
            )
        return self


# --- targets.yml ----------------------------------------------------------------------------------


class ThresholdRule(ConfigModel):
    """Attainment below which a measure is at risk / off track.

    Attainment is direction-aware: actual ÷ target when higher is better, target ÷ actual when lower
    is better; so 0.95 means "5% worse than target" in both directions.
    """

    at_risk_below: float = Field(gt=0, le=1.5)
    off_track_below: float = Field(gt=0, le=1.5)

    @model_validator(mode="after")
    def _ordered(self) -> ThresholdRule:
        if self.off_track_below >= self.at_risk_below:
            raise ValueError(
                f"off_track_below ({self.off_track_below}) must be lower than at_risk_below "
                f"({self.at_risk_below})"
            )
        return self


class Thresholds(ConfigModel):
    default: ThresholdRule
    measures: dict[Identifier, ThresholdRule] = Field(default_factory=dict)


class _TargetBase(ConfigModel):
    segment: dict[SegmentDimension, Identifier] = Field(default_factory=dict)
    rationale: OptionalText = ""


class AbsoluteTarget(_TargetBase):
    """Either one ``value`` for every period ``from`` … ``to``, or a ``values`` map period → value."""

    kind: Literal[TargetKind.absolute]
    value: float | None = None
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    values: dict[str, float] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> AbsoluteTarget:
        ranged = self.value is not None or self.from_ is not None or self.to is not None
        if ranged and self.values is not None:
            raise ValueError("give either `value` with `from` and `to`, or a `values` map, not both")
        if not ranged and self.values is None:
            raise ValueError("give either `value` with `from` and `to`, or a `values` map of period: value")
        if ranged and (self.value is None or self.from_ is None or self.to is None):
            raise ValueError("a ranged absolute target needs all of `value`, `from` and `to`")
        if self.values is not None and not self.values:
            raise ValueError("`values` is empty: list at least one period: value")
        return self


class AnnualTarget(_TargetBase):
    """A fiscal-year target phased into the measure's periods."""

    kind: Literal[TargetKind.annual]
    fiscal_year: str
    value: float
    phasing: Phasing
    weights: list[float] | None = None
    start_value: float | None = None

    @model_validator(mode="after")
    def _phasing_inputs(self) -> AnnualTarget:
        if (self.phasing is Phasing.weights) != (self.weights is not None):
            raise ValueError("`weights` is required with `phasing: weights` and only allowed with it")
        if (self.phasing is Phasing.linear) != (self.start_value is not None):
            raise ValueError("`start_value` is required with `phasing: linear` and only allowed with it")
        if self.weights is not None and (any(w < 0 for w in self.weights) or sum(self.weights) <= 0):
            raise ValueError("`weights` must be non-negative and add up to more than zero")
        return self


class RelativeTarget(_TargetBase):
    """A rule the warehouse evaluates: the baseline period's actual, changed by ``change``."""

    kind: Literal[TargetKind.relative]
    baseline: Baseline
    change: float
    change_type: ChangeType = ChangeType.relative
    from_: str = Field(alias="from")
    to: str | None = None


Target = Annotated[AbsoluteTarget | AnnualTarget | RelativeTarget, Field(discriminator="kind")]


# --- initiatives.yml ------------------------------------------------------------------------------


class Milestone(ConfigModel):
    """A dated step of an initiative. Its status uses the review actions' vocabulary, so "overdue"
    means the same for both: not done (open or in_progress) and due before the day judged on."""

    id: Identifier
    name: Text
    due_date: date
    status: ActionStatus
    # Empty: the initiative's owner.
    owner: OptionalText = ""


class Initiative(ConfigModel):
    id: Identifier
    name: Text
    objectives: list[Identifier] = Field(min_length=1)
    owner: Text
    start_date: date
    end_date: date
    status: InitiativeStatus
    budget: float | None = Field(default=None, ge=0)
    # Spent so far, in the reporting currency: compared with the budget in the report.
    actual_cost: float | None = Field(default=None, ge=0)
    description: OptionalText = ""
    milestones: list[Milestone] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> Initiative:
        if self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        return self


# --- okrs.yml -------------------------------------------------------------------------------------


class KeyResult(ConfigModel):
    """A measurable result of an OKR: progress = (current - start) / (target - start)."""

    id: Identifier
    name: Text
    start: float
    target: float
    # None: not checked in yet (no_data).
    current: float | None = None
    due_date: date

    @model_validator(mode="after")
    def _moves(self) -> KeyResult:
        if self.target == self.start:
            raise ValueError(f"target {self.target:g} equals start: a key result must move from its start")
        return self


class Okr(ConfigModel):
    """A short-cycle objective for one fiscal quarter, linked to a strategic objective."""

    id: Identifier
    name: Text
    quarter: str
    objective: Identifier
    owner: Text
    key_results: list[KeyResult] = Field(min_length=1, max_length=5)


# --- scorecards.yml -------------------------------------------------------------------------------


class Scorecard(ConfigModel):
    """The corporate scorecard (no parent) or a cascade reusing governed measures on a segment."""

    id: Identifier
    name: Text
    owner: Text
    level: Identifier
    description: OptionalText = ""
    parent: Identifier | None = None
    segment: dict[SegmentDimension, Identifier] = Field(default_factory=dict)
    measures: Literal["all"] | list[Identifier]


# --- reviews.yml ----------------------------------------------------------------------------------


class ReviewCadence(ConfigModel):
    frequency: Frequency
    description: OptionalText = ""


class Decision(ConfigModel):
    decision: Text
    owner: OptionalText = ""
    objective: Identifier | None = None
    measure: Identifier | None = None


class FailedAssumption(ConfigModel):
    """A strategy-map link the review judged not to hold (yet), with the evidence in words."""

    cause: Identifier
    effect: Identifier
    note: Text

    @property
    def link_id(self) -> str:
        return f"{self.cause}__to__{self.effect}"


class Action(ConfigModel):
    id: Identifier
    action: Text
    owner: Text
    due_date: date
    status: ActionStatus
    objective: Identifier | None = None
    measure: Identifier | None = None


class AgendaItem(ConfigModel):
    """One point for the meeting, as `scorecard review prepare` drafts it from the published
    scorecard: what kind of item, what it is about (the finding's subject: a measure, link, action
    or milestone id), who owns it and the published message."""

    kind: AgendaKind
    subject: Text
    owner: OptionalText = ""
    detail: OptionalText = ""


class Review(ConfigModel):
    id: Identifier
    scorecard: Identifier
    period: str
    # None: the meeting has not been held yet (a draft from `scorecard review prepare`).
    review_date: date | None = None
    chair: OptionalText = ""
    summary: OptionalText = ""
    agenda: list[AgendaItem] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    failed_assumptions: list[FailedAssumption] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)


# --- the whole config -----------------------------------------------------------------------------


class ScorecardConfig(ConfigModel):
    """A validated scorecard configuration: what ``load_config`` returns and the compiler reads."""

    company: Company
    perspectives: list[Perspective]
    segments: dict[SegmentDimension, list[Identifier]] = Field(default_factory=dict)
    objectives: list[Objective]
    strategy_map: list[StrategyLink]
    measures: list[Measure]
    thresholds: Thresholds
    targets: dict[Identifier, list[Target]]
    initiatives: list[Initiative] = Field(default_factory=list)
    okrs: list[Okr] = Field(default_factory=list)
    scorecards: list[Scorecard]
    review_cadence: ReviewCadence
    reviews: list[Review] = Field(default_factory=list)

    @property
    def config_version(self) -> str:
        """sha256 of the canonical JSON of the validated config: same config, same version."""
        canonical = json.dumps(
            self.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def measure(self, measure_id: str) -> Measure:
        """The measure with this id (``KeyError`` if it is not configured)."""
        for measure in self.measures:
            if measure.id == measure_id:
                return measure
        raise KeyError(measure_id)

    def objective(self, objective_id: str) -> Objective:
        """The objective with this id (``KeyError`` if it is not configured)."""
        for objective in self.objectives:
            if objective.id == objective_id:
                return objective
        raise KeyError(objective_id)

    @property
    def top_scorecard(self) -> Scorecard:
        """The company's own scorecard: the first without a parent (the one cascades roll up to)."""
        return next((card for card in self.scorecards if card.parent is None), self.scorecards[0])

    def scorecard_measure_ids(self, scorecard: Scorecard) -> list[str]:
        """The measures of a scorecard in config order (``all`` expands to every measure)."""
        if scorecard.measures == "all":
            return [measure.id for measure in self.measures]
        return list(scorecard.measures)
