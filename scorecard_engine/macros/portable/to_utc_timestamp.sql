{#
    A timestamp with time zone → the naive timestamp of the same instant in UTC. Every period in
    the scorecard is a UTC calendar month, so events are compared in UTC from staging on.
#}
{% macro to_utc_timestamp(column) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'scorecard_engine')(column)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(column) -%}
    cast(({{ column }} at time zone 'UTC') as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro spark__to_utc_timestamp(column) -%}
    to_utc_timestamp({{ column }}, 'UTC')
{%- endmacro %}
