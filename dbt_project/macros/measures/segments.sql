{#
    Cascade segments. Every measure is computed at company level and per value of each segment
    column its population has, one column at a time: grouping sets ((), (team), (region),
    (customer_segment)). A column not in the current grouping set reads 'all'.
      account      facts about accounts: team of the CS owner, region, customer segment
      employee     facts about employees: their team
      cs_employee  facts about customer-success employees: their team
      company      no segments (e.g. gross margin: costs are not attributed to accounts)
#}

{% macro segment_columns(segment_dimension) -%}
    {%- set columns_by_dimension = {
        'account': ['team', 'region', 'customer_segment'],
        'employee': ['team'],
        'cs_employee': ['team'],
        'company': [],
    } -%}
    {%- if segment_dimension not in columns_by_dimension -%}
        {{ exceptions.raise_compiler_error(
            "Unknown segment dimension '" ~ segment_dimension ~ "'; use one of "
            ~ (columns_by_dimension.keys() | list | join(', ')) ~ "."
        ) }}
    {%- endif -%}
    {{ return(columns_by_dimension[segment_dimension]) }}
{%- endmacro %}

{#
    The three segment columns of the measure shape: 'all' where the column is not in the current
    grouping set (grouping() = 1), 'unassigned' for a fact whose own value is null, so a null in
    the data can never be mistaken for the company-level row.
#}
{% macro segment_select(segment_dimension) -%}
    {%- set grouped = segment_columns(segment_dimension) -%}
    {%- for column in ['team', 'region', 'customer_segment'] -%}
        {%- if column in grouped -%}
    case when grouping({{ column }}) = 1 then 'all' else coalesce({{ column }}, 'unassigned') end as {{ column }}
        {%- else -%}
    'all' as {{ column }}
        {%- endif -%}
        {%- if not loop.last %},
{% endif -%}
    {%- endfor -%}
{%- endmacro %}

{# group by the period keys, once for the company and once per segment column. #}
{% macro segment_group_by(segment_dimension, keys=['period_grain', 'period_start']) -%}
    {%- set grouped = segment_columns(segment_dimension) -%}
    {%- if grouped | length == 0 -%}
    group by {{ keys | join(', ') }}
    {%- else -%}
    group by grouping sets (
        ({{ keys | join(', ') }}),
        {%- for column in grouped %}
        ({{ keys | join(', ') }}, {{ column }}){% if not loop.last %},{% endif %}
        {%- endfor %}
    )
    {%- endif -%}
{%- endmacro %}
