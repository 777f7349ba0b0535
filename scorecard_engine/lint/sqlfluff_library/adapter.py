"""Lint-time stand-in for ``adapter.dispatch``: the default implementation of each dispatched macro."""

_DEFAULTS = {
    "type_double": lambda: "double precision",
    "median": lambda expression: f"percentile_cont(0.5) within group (order by {expression})",
    "to_utc_timestamp": lambda column: f"cast(({column} at time zone 'UTC') as timestamp)",
    "ordered_listagg": lambda expression, delimiter, order_by: (
        f"string_agg({expression}, {delimiter} order by {', '.join(order_by)})"
    ),
    "incremental_by_period": lambda pre_hook: {"materialized": "incremental", "pre_hook": pre_hook},
}


def dispatch(macro_name: str, macro_namespace: str | None = None):
    """Return the callable dbt would dispatch to on DuckDB."""
    return _DEFAULTS[macro_name]


def get_relation(database: str | None = None, schema: str | None = None, identifier: str | None = None):
    """At lint time every relation exists: models render the branch that reads it."""
    return f"{schema}.{identifier}"
