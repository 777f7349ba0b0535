{#
    Schemas are the layer names themselves (staging, intermediate, measures, scorecard, config):
    BI tools and the orchestration address them by these exact names, so dbt must not prefix them
    with the target schema. Models without a custom schema fall back to the target schema.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
