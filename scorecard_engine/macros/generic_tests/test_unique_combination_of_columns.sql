{#
    Multi-column uniqueness (dbt_utils is unavailable offline): fails with one row per duplicated
    combination of the given columns, with how often it occurs.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}
