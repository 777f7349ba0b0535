{#
    Keep one row per primary key: the latest load wins (a re-export of a row replaces it), and
    within one load the last row in the file. Every staging model reads its source through it, as
    the whole of its `source` CTE, so `renamed` then lists only the columns the model exposes (the
    loader's bookkeeping columns and the rank stay behind, with no column list to repeat):

        with source as (
            {{ scorecard_engine.latest_load_per_key(source('<system>', '<table>'), ['<key column>']) | indent(4) }}
        ),

    `relation` is the raw table (or any relation or CTE name carrying the loader's `_load_id`,
    `_loaded_at` and `_source_row_number`); `primary_key` names its key columns as the raw table
    does, the `primary_key` of the table in scorecard_config/sources.yml.

    Rows of withdrawn file versions never win: the loader records in raw._withdrawn_files every
    version a re-delivery replaced or whose file was removed from the landing zone, named by the
    (_load_id, _loaded_at) its rows carry. The rows stay in the raw table for audit. A warehouse
    without that ledger (raw tables written by hand) withdraws nothing.
#}
{% macro latest_load_per_key(relation, primary_key) -%}
    {%- set withdrawn = scorecard_engine.withdrawn_files_relation() -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ primary_key | join(', ') }}
                order by _loaded_at desc, _load_id desc, _source_row_number desc
            ) as _load_rank
        from {{ relation }} as loaded
        {%- if withdrawn is not none %}
            where not exists (
                select 1
                from {{ withdrawn }} as withdrawn
                where
                    withdrawn.load_id = loaded._load_id
                    and withdrawn.loaded_at = loaded._loaded_at
            )
        {%- endif %}
    ) as ranked
    where _load_rank = 1
{%- endmacro %}

{#
    The loader's ledger of withdrawn file versions (schema raw, beside the raw tables it describes),
    or none when it does not exist or while dbt only parses. Not a dbt source: it is written by every
    raw table's ingestion asset, which staging already depends on.
#}
{% macro withdrawn_files_relation() -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(database=target.database, schema='raw', identifier='_withdrawn_files')) }}
{%- endmacro %}
