{#
    How the tables a run reads reach an engine that does not hold them, and how what it builds comes
    back. On DuckDB both are no-ops: ingestion writes the raw schema into the same file dbt builds.
    On Spark (`scorecard run --engine spark`) the orchestration exports every source table dbt reads
    from the DuckDB warehouse as Parquet before the build, and reads every relation the build made
    back from Parquet after it, so checks, publishing and BI see the same DuckDB tables either way.

    The directories come from the environment while dbt executes (never while it parses, like
    macro build_var), so a new run directory does not make dbt re-parse:
      SCORECARD_EXCHANGE_SOURCES   <dir>/<schema>/<identifier>/ per exported source table
      SCORECARD_EXCHANGE_RESULTS   <dir>/<schema>/<identifier>/ per relation the build wrote
#}

{#- on-run-start: every exported source table as an external table of the engine. -#}
{% macro register_exchanged_sources() -%}
    {{ return(adapter.dispatch('register_exchanged_sources', 'scorecard_engine')()) }}
{%- endmacro %}

{% macro default__register_exchanged_sources() -%}

{%- endmacro %}

{% macro spark__register_exchanged_sources() -%}
    {%- set directory = env_var('SCORECARD_EXCHANGE_SOURCES', '') if execute else '' -%}
    {%- set tables = (env_var('SCORECARD_EXCHANGE_SOURCE_TABLES', '') if execute else '').split(',') -%}
    {%- set schemas = [] -%}
    {%- for table in tables if directory and table -%}
        {%- set schema, identifier = table.split('.') -%}
        {%- if schema not in schemas -%}
            {%- do schemas.append(schema) -%}
            {%- do run_query('create schema if not exists ' ~ schema) -%}
        {%- endif -%}
        {#- Recreated every run: an external table's schema is read when it is created. -#}
        {%- do run_query('drop table if exists ' ~ table) -%}
        {%- do run_query(
            'create table ' ~ table ~ " using parquet location '" ~ directory ~ '/' ~ schema ~ '/' ~ identifier ~ "'"
        ) -%}
    {%- endfor -%}
{%- endmacro %}

{#- on-run-end: every relation this build wrote, as Parquet the orchestration reads back. -#}
{% macro export_built_relations(results) -%}
    {{ return(adapter.dispatch('export_built_relations', 'scorecard_engine')(results)) }}
{%- endmacro %}

{% macro default__export_built_relations(results) -%}

{%- endmacro %}

{% macro spark__export_built_relations(results) -%}
    {%- set directory = env_var('SCORECARD_EXCHANGE_RESULTS', '') if execute else '' -%}
    {%- if directory -%}
        {%- for result in results
            if result.status == 'success' and result.node.resource_type in ('model', 'seed', 'snapshot')
            and result.node.config.materialized != 'ephemeral' -%}
            {%- set node = result.node -%}
            {%- do run_query(
                "insert overwrite directory '" ~ directory ~ '/' ~ node.schema ~ '/' ~ (node.alias or node.name)
                ~ "' using parquet select * from " ~ node.schema ~ '.' ~ (node.alias or node.name)
            ) -%}
        {%- endfor -%}
    {%- endif -%}

{%- endmacro %}
