"""The strategy map as Mermaid text."""

from __future__ import annotations

import pytest

from orchestration.config import load_config
from orchestration.config.mermaid import class_style, mermaid_id, mermaid_label, render_strategy_map_mermaid
from orchestration.config.models import Status
from orchestration.status_styles import STATUS_STYLES, UNSCORED_STATUSES
from tests.config.helpers import SMALL_CONFIG, ConfigDir

EXPECTED = """\
flowchart BT
    subgraph p_learning_growth["Learning and growth"]
        direction LR
        o_skilled_staff["Skilled staff"]
    end
    subgraph p_internal_process["Internal process"]
        direction LR
        o_fast_delivery["Fast delivery"]
    end
    subgraph p_customer["Customer"]
        direction LR
        o_happy_customers["Happy customers"]
    end
    subgraph p_financial["Financial"]
        direction LR
        o_grow_sales["Grow sales"]
    end
    o_skilled_staff -->|"1 month"| o_fast_delivery
    o_fast_delivery -->|"2 months"| o_happy_customers
    o_happy_customers -->|"1 month"| o_grow_sales
"""


def test_small_config_renders_the_expected_mermaid() -> None:
    assert render_strategy_map_mermaid(load_config(SMALL_CONFIG)) == EXPECTED


def test_statuses_colour_objectives_with_one_class_per_status() -> None:
    text = render_strategy_map_mermaid(
        load_config(SMALL_CONFIG),
        {"grow_sales": "on_track", "happy_customers": "off_track", "fast_delivery": "off_track"},
    )
    assert text == EXPECTED + (
        "    classDef on_track fill:#d7ecd9,stroke:#1b7a3d,color:#0f4d25\n"
        "    classDef off_track fill:#f9d0d0,stroke:#c62828,color:#7f1010\n"
        "    class o_grow_sales on_track\n"
        "    class o_happy_customers,o_fast_delivery off_track\n"
    )


def test_labels_are_escaped_so_config_text_cannot_break_the_diagram(small: ConfigDir) -> None:
    small.replace("strategy.yml", "name: Grow sales,", 'name: "Grow \\"sales\\" #1 <b>&</b>\\nend",')
    text = render_strategy_map_mermaid(load_config(small.path))
    assert '        o_grow_sales["Grow #quot;sales#quot; #35;1 #lt;b#gt;#amp;#lt;/b#gt; end"]\n' in text
    assert mermaid_label('a"b') == '"a#quot;b"'
    assert mermaid_id("o", "end") == "o_end"


def test_unknown_objective_or_status_is_refused() -> None:
    config = load_config(SMALL_CONFIG)
    with pytest.raises(ValueError, match="status given for `nope`, which is not an objective"):
        render_strategy_map_mermaid(config, {"nope": "on_track"})
    with pytest.raises(ValueError, match="`green` \\(for `grow_sales`\\) is not a status"):
        render_strategy_map_mermaid(config, {"grow_sales": "green"})


def test_status_colours_are_the_report_palette() -> None:
    # One palette: the Mermaid map shows a status in the colours of the report's legend.
    for status in Status:
        style = STATUS_STYLES[status.value]
        expected = f"fill:{style.fill},stroke:{style.stroke},color:{style.text}"
        dashed = status.value in UNSCORED_STATUSES
        assert class_style(status.value) == expected + (",stroke-dasharray:5 3" if dashed else "")
