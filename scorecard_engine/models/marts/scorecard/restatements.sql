{#
    Every change to a published measure value of a complete period: a provisional value maturing
    (its observation window closed), a value withdrawn because its measure was retired from the
    period or removed from the config (restated_value null), late or corrected data, or a change of
    definition. Built from the measure_value_history snapshot.

    Only published versions count. A version is published when some publication (publish.publications,
    written by the publish step) happened while it was the current version, i.e. by a run numbered
    from the run that computed it up to the run that replaced it; the current version counts too, as
    this build is about to be published (and if it is not, neither is this table). Without a
    publication log (dbt run on its own, nothing ever published) no earlier version was published,
    so nothing is a restatement.

    A preliminary value (a quarter or fiscal year still in progress) is not "as reported": only a
    change after the period was complete when last published is a restatement. Values are compared
    at dbt.type_numeric() precision, like the snapshot, so floating-point noise is not a change.
#}
{{ config(
    materialized='table',
    contract={'enforced': true},
    meta={'publish_allow_empty': true},
) }}

with history as (
    select
        dbt_scd_id,
        {{ scorecard_engine.measure_value_columns() | indent(8) }},
        value,
        cast(value as {{ dbt.type_numeric() }}) as comparable_value,
        config_version,
        is_period_complete,
        coalesce(is_provisional, false) as is_provisional,
        coalesce(is_withdrawn, false) as is_withdrawn,
        computed_at,
        run_id,
        run_seq,
        dbt_valid_from,
        dbt_valid_to,
        lead(run_seq) over versions as replaced_by_run_seq
    from {{ ref('measure_value_history') }}
    window versions as (
        partition by measure_id, period_grain, period_start, segment_dimension, segment_value
        order by dbt_valid_from
    )
),

published_versions as (
    select
        history.*,
        measures.retired_on
    from history
    left join {{ ref(project_name, 'cfg_measures') }} as measures
        on history.measure_id = measures.measure_id
    where
        history.dbt_valid_to is null
        or exists (
            select 1
            from {{ ref('stg_publish__publications') }} as publications
            where
                publications.run_seq >= history.run_seq
                and publications.run_seq < history.replaced_by_run_seq
        )
),

sequenced as (
    select
        published_versions.*,
        lag(dbt_scd_id) over versions as previous_scd_id,
        lag(value) over versions as previous_value,
        lag(comparable_value) over versions as previous_comparable_value,
        lag(is_period_complete) over versions as previous_is_complete,
        lag(is_provisional) over versions as previous_is_provisional,
        lag(is_withdrawn) over versions as previous_is_withdrawn,
        lag(config_version) over versions as previous_config_version,
        lag(computed_at) over versions as previous_computed_at,
        lag(run_id) over versions as previous_run_id
    from published_versions
    window versions as (
        partition by measure_id, period_grain, period_start, segment_dimension, segment_value
        order by dbt_valid_from
    )
)

select
    cast(dbt_scd_id as {{ dbt.type_string() }}) as restatement_id,
    cast(measure_id as {{ dbt.type_string() }}) as measure_id,
    {{ period_columns() }},
    cast(segment_dimension as {{ dbt.type_string() }}) as segment_dimension,
    cast(segment_value as {{ dbt.type_string() }}) as segment_value,
    cast(previous_value as {{ type_double() }}) as as_reported_value,
    cast(value as {{ type_double() }}) as restated_value,
    cast(value - previous_value as {{ type_double() }}) as change,
    cast(previous_computed_at as {{ dbt.type_timestamp() }}) as as_reported_at,
    cast(computed_at as {{ dbt.type_timestamp() }}) as restated_at,
    cast(previous_run_id as {{ dbt.type_string() }}) as as_reported_run_id,
    cast(run_id as {{ dbt.type_string() }}) as restated_run_id,
    cast(previous_config_version as {{ dbt.type_string() }}) as as_reported_config_version,
    cast(config_version as {{ dbt.type_string() }}) as restated_config_version,
    cast(
        case
            when previous_is_provisional and not is_provisional and not is_withdrawn then 'matured'
            when retired_on is not null and period_end >= cast(retired_on as date)
                and (is_withdrawn or previous_config_version <> config_version) then 'retired'
            when is_withdrawn then 'removed'
            when previous_config_version <> config_version then 'definition_changed'
            else 'data_changed'
        end as {{ dbt.type_string() }}
    ) as reason
from sequenced
where
    previous_scd_id is not null
    and previous_is_complete
    and (
        (is_withdrawn and not previous_is_withdrawn)
        or comparable_value <> previous_comparable_value
        or (comparable_value is null and previous_comparable_value is not null)
        or (comparable_value is not null and previous_comparable_value is null)
    )
