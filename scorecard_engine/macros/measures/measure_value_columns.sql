{#
    The columns that name one value of the measure shape (_measure_shape__docs.md), in their published
    order: which measure, which period (grain, start, end, label) and which segment (dimension and
    value). Models that carry measure values on (measure_values' union, the measure_value_history
    snapshot, restatements, the plausibility check) select them through this list, one per line;
    `relation` qualifies each (`measure_values.period_start`).
#}
{% macro measure_value_columns(relation=none) -%}
    {%- set qualified = [] -%}
    {%- for column in [
        'measure_id', 'period_grain', 'period_start', 'period_end', 'period_label',
        'segment_dimension', 'segment_value'
    ] -%}
        {%- do qualified.append((relation ~ '.' if relation else '') ~ column) -%}
    {%- endfor -%}
    {{ qualified | join(',\n') }}
{%- endmacro %}
