"""The reference table of the config validation: every row names a field its entries really have.

A row is data, read only when a config has such an entry, so a misspelt field would surface as a
crash on some user's config; this checks every row against the models instead.
"""

from __future__ import annotations

from orchestration.config.models import (
    Action,
    Decision,
    Initiative,
    Measure,
    Objective,
    Okr,
    Review,
    Scorecard,
    StrategyLink,
)
from orchestration.config.validation import REFERENCES
from orchestration.config.validation.core import CONFIG_FILES

# The model of the entries at each collection path that holds entries (not bare ids).
ENTRY_MODELS = {
    ("objectives",): Objective,
    ("strategy_map",): StrategyLink,
    ("measures",): Measure,
    ("initiatives",): Initiative,
    ("okrs",): Okr,
    ("scorecards",): Scorecard,
    ("reviews",): Review,
    ("reviews", "decisions"): Decision,
    ("reviews", "actions"): Action,
}


def test_every_reference_row_names_a_field_of_its_entries() -> None:
    for row in REFERENCES:
        assert row.file in CONFIG_FILES
        if row.field is None:
            continue  # the entry is the id itself: a key of targets: or thresholds.measures, a listed measure
        model = ENTRY_MODELS[row.collection]
        assert row.field in model.model_fields, (row.file, row.collection, row.field)


def test_each_reference_is_listed_once() -> None:
    keys = [(row.file, row.collection, row.field) for row in REFERENCES]
    assert len(keys) == len(set(keys))
