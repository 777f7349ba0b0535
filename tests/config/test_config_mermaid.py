"""The strategy map as Mermaid text."""

from __future__ import annotations

import pytest

from orchestration.config import load_config
from orchestration.config.mermaid import mermaid_id, mermaid_label, render_strategy_map_mermaid
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
        "    classDef on_track fill:#c8e6c9,stroke:#2e7d32,color:#1b5e20\n"
        "    classDef off_track fill:#ffcdd2,stroke:#c62828,color:#b71c1c\n"
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
