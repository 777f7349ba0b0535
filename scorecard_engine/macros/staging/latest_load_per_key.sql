{#
    Keep one row per primary key: the latest load wins (a re-export of a row replaces it), and
    within one load the last row in the file. Used by every staging model.
#}
{% macro latest_load_per_key(relation, primary_key) -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ primary_key | join(', ') }}
                order by _loaded_at desc, _load_id desc, _source_row_number desc
            ) as _load_rank
        from {{ relation }}
    ) as ranked
    where _load_rank = 1
{%- endmacro %}
