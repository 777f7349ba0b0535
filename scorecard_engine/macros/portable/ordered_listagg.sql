{#
    The values of a group joined into one string, in a stated order (nulls left out), e.g. the names
    of the measures behind an early warning. dbt.listagg takes an order-by clause, but dbt-spark
    ignores it (Spark's collect_list has no order), and the published text would then depend on how
    Spark happened to shuffle the rows. Spark sorts the collected (order keys…, value) structs instead.
      expression  the value to join
      delimiter   a SQL string literal, e.g. "', '"
      order_by    list of the expressions to sort by, ascending
#}
{% macro ordered_listagg(expression, delimiter, order_by) -%}
    {{ return(adapter.dispatch('ordered_listagg', 'scorecard_engine')(expression, delimiter, order_by)) }}
{%- endmacro %}

{% macro default__ordered_listagg(expression, delimiter, order_by) -%}
    {{ dbt.listagg(expression, delimiter, 'order by ' ~ order_by | join(', ')) }}
{%- endmacro %}

{% macro spark__ordered_listagg(expression, delimiter, order_by) -%}
    concat_ws(
        {{ delimiter }},
        transform(
            array_sort(collect_list(named_struct(
                {%- for key in order_by %}
                'key{{ loop.index }}', {{ key }},
                {%- endfor %}
                'value', {{ expression }}
            ))),
            entry -> entry.value
        )
    )
{%- endmacro %}
