{#
    Data tests on the rows that arrived: a company marks the tests that hold row by row (not_null,
    accepted_values, relationships from the child's side, unique on a latest-load-per-key staging
    view) with the `where` marker below, typically for all its staging tests at once:

        # dbt_project.yml of the company
        dispatch:
          - macro_namespace: dbt
            search_order: ['<company project>', 'scorecard_engine', 'dbt']
        data_tests:
          <company project>:
            staging:
              +where: "true /* scorecard_engine:new_rows */"

    While a build runs with SCORECARD_BUILD_TESTED_THROUGH (macro build_var 'tested_through'), such a
    test reads only the rows whose _loaded_at is later: `scorecard run` sets it to the start of the
    build behind the last publication when that build ran the same definitions (so the same tests
    passed on every row loaded before). A full refresh, a first build, a change to any config, test or
    model, and a hand-run dbt leave it unset: every row is tested. Without the dispatch entry the
    marker is plain SQL that keeps every row, so forgetting it costs time, never coverage.

    The marker is a literal (dbt_project.yml cannot call macros, and a where config is fixed when
    dbt parses); the moment is read at run time, here: dbt resolves `{{ model }}` in every generic
    test through get_where_subquery, dispatched to this package's default__ by the search order
    above. Other where configs keep dbt's own behaviour.
#}

{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where and 'scorecard_engine:new_rows' in where -%}
        {%- set since = scorecard_engine.build_var('tested_through') -%}
        {%- if since is none or (since | string | trim) == '' -%}
            {{ return(relation) }}
        {%- endif -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9:.]+$', since | string) -%}
            {{ exceptions.raise_compiler_error("SCORECARD_BUILD_TESTED_THROUGH is '" ~ since ~ "'; expected a UTC timestamp 'YYYY-MM-DD HH:MM:SS[.ffffff]'.") }}
        {%- endif -%}
        {%- set where = scorecard_engine.to_utc_timestamp('_loaded_at') ~ " > cast('" ~ since ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- endif -%}
    {%- if where -%}
        {{ return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
