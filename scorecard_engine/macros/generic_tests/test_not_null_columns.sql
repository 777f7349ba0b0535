{#
    The engine's not-null test: every listed column of the model holds a value on every row, checked
    in one scan of the model instead of one query (and one dbt node, one Dagster check) per column.
    Fails with one row per column that has nulls: the column's name and how many rows miss it.

    Declared once per model, beside the model's other model-level tests:

        data_tests:
          - not_null_columns:
              arguments:
                column_names: [measure_id, period_grain, period_start]

    A `where` config on the test narrows the scan as for any generic test ({{ model }} is dbt's
    filtered relation then).
#}
{% test not_null_columns(model, column_names) %}
    {%- if column_names is string or not column_names -%}
        {{ exceptions.raise_compiler_error("not_null_columns on " ~ model ~ ": column_names must be a non-empty list of column names, got " ~ column_names) }}
    {%- endif %}
    with null_counts as (
        select
        {%- for column_name in column_names %}
            sum(case when {{ column_name }} is null then 1 else 0 end) as nulls_{{ loop.index }}
            {{- "," if not loop.last }}
        {%- endfor %}
        from {{ model }}
    )

    {%- for column_name in column_names %}
    select
        cast('{{ column_name }}' as {{ dbt.type_string() }}) as column_name,
        nulls_{{ loop.index }} as null_rows
    from null_counts
    where nulls_{{ loop.index }} > 0
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endtest %}
