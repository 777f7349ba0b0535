{#
    +1 when higher is better, −1 when lower is better: multiplying a change by it gives the
    direction-adjusted change (positive = improving) for either direction.
#}
{% macro direction_sign(direction) -%}
    case when {{ direction }} = 'lower_is_better' then -1 else 1 end
{%- endmacro %}
