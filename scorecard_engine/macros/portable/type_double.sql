{#
    A 64-bit floating point type. dbt.type_float() is a 4-byte FLOAT on DuckDB, too coarse for
    money and ratios; 'double precision' is the standard spelling DuckDB and PostgreSQL share.
#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'scorecard_engine')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
