{#
    A project var that must be a number, checked where it is read: vars become SQL text, so only a
    plain number is accepted, and a bad value stops the run with the var's name and an example
    instead of producing wrong SQL. Outside execution (dbt parse, lint) the default is returned.
#}
{% macro numeric_var(name, default, whole_number=false, minimum=none) -%}
    {%- if not execute -%}
        {{ return(default) }}
    {%- endif -%}
    {%- set text = var(name, default) | string | trim -%}
    {%- set pattern = '^[0-9]+$' if whole_number else '^-?[0-9]+([.][0-9]+)?$' -%}
    {%- if not modules.re.match(pattern, text) -%}
        {{ exceptions.raise_compiler_error(
            "dbt var '" ~ name ~ "' is '" ~ text ~ "'; expected " ~ ("a whole number" if whole_number else "a number")
            ~ " (e.g. --vars '{" ~ name ~ ": " ~ default ~ "}')."
        ) }}
    {%- endif -%}
    {%- set value = (text | int) if whole_number else (text | float) -%}
    {%- if minimum is not none and value < minimum -%}
        {{ exceptions.raise_compiler_error(
            "dbt var '" ~ name ~ "' is " ~ text ~ "; it must be at least " ~ minimum ~ "."
        ) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}
