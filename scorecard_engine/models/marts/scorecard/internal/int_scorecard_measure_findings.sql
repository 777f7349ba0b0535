{#
    Findings about single measures, one per scorecard measure-period in one of these statuses:
      off_track  → off_track_measure (critical): actual against target;
      no_data    → missing_data (warning): names the data sources to check;
      no_target  → missing_target (info): where to add one;
      untrusted  → untrusted_data (critical when a quality gate flagged an error, else warning).
#}
with scorecard_rows as (
    select * from {{ ref('scorecard') }}
),

measures as (
    select measure_id, data_sources from {{ ref(project_name, 'cfg_measures') }}
),

trust as (
    select * from {{ ref('int_scorecard_measure_trust') }}
),

findings as (
    select
        scorecard_rows.scorecard_id,
        scorecard_rows.period_grain,
        scorecard_rows.period_start,
        scorecard_rows.period_label,
        case scorecard_rows.status
            when 'off_track' then 'off_track_measure'
            when 'no_data' then 'missing_data'
            when 'no_target' then 'missing_target'
            else 'untrusted_data'
        end as finding_type,
        case
            when scorecard_rows.status = 'off_track' then 'critical'
            when scorecard_rows.status = 'no_data' then 'warning'
            when scorecard_rows.status = 'no_target' then 'info'
            when trust.has_error_flag then 'critical'
            else 'warning'
        end as severity,
        scorecard_rows.measure_id as subject,
        scorecard_rows.perspective_id,
        scorecard_rows.objective_id,
        scorecard_rows.measure_id,
        scorecard_rows.owner,
        case scorecard_rows.status
            when 'off_track' then {{ dbt.concat([
                'scorecard_rows.measure_name',
                "' is off track in '",
                'scorecard_rows.period_label',
                "': '",
                format_measure_value('scorecard_rows.actual', 'scorecard_rows.unit'),
                "' against a target of '",
                format_measure_value('scorecard_rows.target', 'scorecard_rows.unit'),
                "case when scorecard_rows.direction = 'lower_is_better' then ' (lower is better' else ' (higher is better' end",
                "', score '",
                format_score('scorecard_rows.score'),
                "').'"
            ]) }}
            when 'no_data' then {{ dbt.concat([
                'scorecard_rows.measure_name',
                "' has no data for '",
                'scorecard_rows.period_label',
                "': check its sources ('",
                "replace(measures.data_sources, ',', ', ')",
                "').'"
            ]) }}
            when 'no_target' then {{ dbt.concat([
                'scorecard_rows.measure_name',
                "' has no target for '",
                'scorecard_rows.period_label',
                "': add one in targets.yml to judge it.'"
            ]) }}
            else {{ dbt.concat([
                'scorecard_rows.measure_name',
                "' cannot be trusted for '",
                'scorecard_rows.period_label',
                "': '",
                "coalesce(scorecard_rows.trust_note, 'a quality gate failed')",
                "'.'"
            ]) }}
        end as message
    from scorecard_rows
    inner join measures
        on scorecard_rows.measure_id = measures.measure_id
    left join trust
        on scorecard_rows.measure_id = trust.measure_id
        and scorecard_rows.period_grain = trust.period_grain
        and scorecard_rows.period_start = trust.period_start
    where scorecard_rows.status in ('off_track', 'no_data', 'no_target', 'untrusted')
)

select * from findings
