{#
    The body of a staging model's `source` CTE for a table the orchestration writes outside dbt and
    that may not exist yet in a warehouse (nothing published, quality gates never run): every row of
    source(source_name, table_name) when the table exists; otherwise no row, in the columns the
    source's YAML declares (null, for `renamed` to cast), and `missing_message` as a warning in the
    dbt log. The scorecard then still builds, rather than the whole project failing on a missing
    upstream table. While dbt only parses, the table counts as present.
#}
{% macro optional_source(source_name, table_name, missing_message) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set exists = true -%}
    {%- if execute -%}
        {%- set exists = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier
        ) is not none -%}
    {%- endif -%}
    {%- if exists -%}
        select * from {{ relation }}
    {%- else -%}
        {%- do exceptions.warn(missing_message) -%}
        {%- set columns = [] -%}
        {%- for node in graph.sources.values() -%}
            {%- if node.package_name == model.package_name and node.source_name == source_name and node.name == table_name -%}
                {%- do columns.extend(node.columns.keys()) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if not columns -%}
            {%- do exceptions.raise_compiler_error(
                "Source " ~ source_name ~ "." ~ table_name ~ " declares no columns in its YAML, so an empty "
                ~ "stand-in for the missing table has none: list them under the source's columns."
            ) -%}
        {%- endif -%}
        select
        {%- for column in columns %}
            null as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
        where 1 = 0
    {%- endif -%}
{%- endmacro %}
