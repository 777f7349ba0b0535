"""The published contract is read from the dbt manifest: which tables, their keys, which may be empty."""

from __future__ import annotations

import json

from orchestration.publish import PublishedTable, contract_tables
from orchestration.transform.project import prepare_dbt_project
from tests.dbt.helpers import copy_project


def _node(resource_type: str, name: str, schema: str = "scorecard", **config) -> dict:
    return {
        "resource_type": resource_type,
        "name": name,
        "schema": schema,
        "config": {"enabled": True, **config},
    }


def _test(name: str, attached: str, **kwargs) -> dict:
    return {
        "resource_type": "test",
        "attached_node": attached,
        "test_metadata": {"name": name, "kwargs": kwargs},
    }


def test_tables_and_keys_come_from_the_nodes_and_their_uniqueness_tests():
    manifest = {
        "nodes": {
            "model.p.values": _node("model", "values", materialized="incremental"),
            "model.p.findings": _node("model", "findings", materialized="table"),
            "model.p.changes": _node(
                "model", "changes", materialized="table", meta={"publish_allow_empty": True}
            ),
            "snapshot.p.history": _node("snapshot", "history", unique_key=["measure_id", "period_start"]),
            "model.p.stg": _node("model", "stg", schema="staging"),
            "model.p.off": _node("model", "off", enabled=False),
            "model.p.inline": _node("model", "inline", materialized="ephemeral"),
            "test.p.a": _test(
                "unique_combination_of_columns", "model.p.values", combination_of_columns=["m", "p"]
            ),
            "test.p.b": _test("unique", "model.p.values", column_name="m"),
            "test.p.c": _test("unique", "model.p.findings", column_name="finding_id"),
            "test.p.d": _test("not_null", "model.p.changes", column_name="change_id"),
        }
    }
    assert contract_tables(manifest) == [
        PublishedTable("changes", (), allow_empty=True),
        PublishedTable("findings", ("finding_id",)),
        PublishedTable("history", ("measure_id", "period_start", "dbt_valid_from")),
        PublishedTable("values", ("m", "p")),
    ]


def test_every_table_dbt_builds_in_scorecard_is_published_with_a_key(isolated_dirs):
    # The company's project as a real run prepares it (config compiled, engine linked, parsed), in a copy.
    settings = copy_project(isolated_dirs).settings
    project = prepare_dbt_project(settings)
    tables = {table.name: table for table in contract_tables(json.loads(project.manifest_path.read_text()))}
    # Long-form segments: the same key for every company, whatever its segment dimensions.
    assert tables["measure_values"].key_columns == (
        "measure_id",
        "period_grain",
        "period_start",
        "segment_dimension",
        "segment_value",
    )
    assert tables["measure_value_history"].key_columns == (
        *tables["measure_values"].key_columns,
        "dbt_valid_from",
    )
    assert tables["restatements"] == PublishedTable("restatements", ("restatement_id",), allow_empty=True)
    unkeyed = sorted(name for name, table in tables.items() if not table.key_columns)
    assert not unkeyed, f"published tables without a uniqueness test (the audit would refuse them): {unkeyed}"
