{#
    Numbers written for people inside finding messages (the report formats the numeric columns
    itself): percent units as "3.1%", usd as "$12.3M" / "$48.2k" / "$950", days and hours with the
    unit, whole counts without decimals, other numbers to one decimal. Built from floor, casts and
    concatenation only, so the text is the same on every adapter — except for magnitudes of 1e12 and
    more (only an implausible value gets there), written as the adapter casts a double to text
    rather than overflowing the decimal(18, 1) the rounding goes through.
#}
{% macro one_decimal_text(expression) -%}
    cast(cast(floor(({{ expression }}) * 10 + 0.5) / 10 as decimal(18, 1)) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro whole_number_text(expression) -%}
    cast(cast(floor(({{ expression }}) + 0.5) as bigint) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro number_text(expression) -%}
    case
        when abs({{ expression }}) >= 1e12 then cast({{ expression }} as {{ dbt.type_string() }})
        else {{ scorecard_engine.one_decimal_text(expression) }}
    end
{%- endmacro %}

{% macro format_measure_value(value, unit) -%}
    case
        when {{ value }} is null then 'no value'
        when abs({{ value }}) >= 1e12 then cast({{ value }} as {{ dbt.type_string() }})
        when {{ unit }} = 'percent' then {{ dbt.concat([scorecard_engine.one_decimal_text(value ~ ' * 100'), "'%'"]) }}
        when {{ unit }} = 'usd' and abs({{ value }}) >= 1000000
            then {{ dbt.concat(["'$'", scorecard_engine.one_decimal_text(value ~ ' / 1000000'), "'M'"]) }}
        when {{ unit }} = 'usd' and abs({{ value }}) >= 1000
            then {{ dbt.concat(["'$'", scorecard_engine.one_decimal_text(value ~ ' / 1000'), "'k'"]) }}
        when {{ unit }} = 'usd' then {{ dbt.concat(["'$'", scorecard_engine.whole_number_text(value)]) }}
        when {{ unit }} in ('days', 'hours') then {{ dbt.concat([scorecard_engine.one_decimal_text(value), "' '", unit]) }}
        when {{ unit }} = 'count' and {{ value }} = floor({{ value }}) then {{ scorecard_engine.whole_number_text(value) }}
        else {{ scorecard_engine.one_decimal_text(value) }}
    end
{%- endmacro %}

{% macro format_score(score) -%}
    {{ scorecard_engine.whole_number_text(score) }}
{%- endmacro %}

{# A correlation or other number on a −1…1 scale to two decimals, e.g. "-0.45". #}
{% macro two_decimal_text(expression) -%}
    cast(cast(floor(({{ expression }}) * 100 + 0.5) / 100 as decimal(18, 2)) as {{ dbt.type_string() }})
{%- endmacro %}
