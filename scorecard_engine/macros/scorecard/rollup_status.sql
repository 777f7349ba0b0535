{#
    Status of a roll-up (objective, perspective, whole scorecard) from its weighted score:
      untrusted  at least var rollup_untrusted_share_max (default 0.5) of its measure weight is
                 untrusted: the score of the trusted rest cannot speak for the whole (3 untrusted
                 measures of 4 no longer show "on track 100");
      provisional  no measure under it is scored but some are provisional (their observation
                 window is still open): the roll-up waits for them rather than read "no data";
      no_data    no measure under it is scored (the weighted score is null);
      on_track   score ≥ var score_on_track_min (default 95);
      at_risk    score ≥ var score_at_risk_min (default 85);
      off_track  otherwise.
    The vars are checked to be numbers (macro numeric_var), so they cannot inject SQL. Counts by status sit beside every
    roll-up, so a green average never hides red children.
#}
{% macro rollup_status(score, untrusted_weight_share, measures_provisional='0') -%}
    {%- set on_track_min = scorecard_engine.numeric_var('score_on_track_min', 95, minimum=0) -%}
    {%- set at_risk_min = scorecard_engine.numeric_var('score_at_risk_min', 85, minimum=0) -%}
    {%- set untrusted_max = scorecard_engine.numeric_var('rollup_untrusted_share_max', 0.5, minimum=0) -%}
    case
        when {{ untrusted_weight_share }} >= {{ untrusted_max }} - 1e-9 then 'untrusted'
        when {{ score }} is null and {{ measures_provisional }} > 0 then 'provisional'
        when {{ score }} is null then 'no_data'
        {{ scorecard_engine.graded_status(score, on_track_min, at_risk_min) }}
    end
{%- endmacro %}

{#
    Weighted average of measure scores over the scored measures only (score not null); null when
    none is scored or their weights sum to 0. For use inside a group by.
#}
{% macro weighted_score(score, weight) -%}
    sum(case when {{ score }} is not null then {{ weight }} * {{ score }} end)
    / nullif(sum(case when {{ score }} is not null then {{ weight }} end), 0)
{%- endmacro %}

{#
    Share of a roll-up's measure weight (0 to 1) that rests on untrusted measures. For use inside a
    group by.
#}
{% macro untrusted_weight_share(status, weight) -%}
    coalesce(
        sum(case when {{ status }} = 'untrusted' then {{ weight }} else 0 end) / nullif(sum({{ weight }}), 0),
        0
    )
{%- endmacro %}

{#
    Whether every row of a group belongs to a complete period (for use inside a group by): a
    roll-up of a to-date quarter is to-date. Portable, unlike bool_and.
#}
{% macro all_complete(is_complete_period) -%}
    (min(case when {{ is_complete_period }} then 1 else 0 end) = 1)
{%- endmacro %}

{#
    The measure statuses a roll-up counts, in column order: the one list status_counts and
    rollup_result_columns both follow.
#}
{% macro rollup_counted_statuses() -%}
    {{ return(['on_track', 'at_risk', 'off_track', 'no_data', 'no_target', 'untrusted', 'provisional']) }}
{%- endmacro %}

{#
    The count columns a roll-up carries (for use inside a group by): <prefix>_total, then
    <prefix>_<value> for each of statuses, the rows whose status column holds that value. Defaults:
    the measure statuses every scorecard roll-up counts (rollup_counted_statuses) as measures_*; an
    OKR counts its key results (key_results_*), a perspective its off-track objectives
    (objectives_*), the balance report its critical findings (findings_*, by severity).
#}
{% macro status_counts(status, statuses=none, prefix='measures') -%}
    {%- set statuses = scorecard_engine.rollup_counted_statuses() if statuses is none else statuses -%}
    count(*) as {{ prefix }}_total,
    {%- for counted in statuses %}
    sum(case when {{ status }} = '{{ counted }}' then 1 else 0 end) as {{ prefix }}_{{ counted }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#
    A roll-up of scorecard rows: one row per scorecard period (scorecard_id, scorecard_name and the
    period's four columns) and level_columns (the objective's or the perspective's; none for the
    overall score), with the weighted score and the counts by measure status. The shared body of
    objective_scores, perspective_scores and the overall score, so a roll-up means the same at every
    level. weight: the column holding each measure's weight at this level (its own weight, times its
    objective's weight above the objective, times its perspective's weight in the overall score: see
    rollup_weight).
#}
{% macro rollup_scorecard_rows(rows, level_columns=[], weight='weight') -%}
    {%- set group_columns = [
        'scorecard_id', 'scorecard_name', 'period_grain', 'period_start', 'period_end', 'period_label'
    ] + level_columns -%}
    select
        {{ group_columns | join(',\n        ') }},
        {{ scorecard_engine.weighted_score('score', weight) }} as score,
        {{ scorecard_engine.untrusted_weight_share('status', weight) }} as untrusted_weight_share,
        {{ scorecard_engine.all_complete('is_complete_period') }} as is_complete_period,
        {{ scorecard_engine.status_counts('status') }}
    from {{ rows }}
    group by
        {{ group_columns | join(',\n        ') }}
{%- endmacro %}

{#
    The published columns of a roll-up made by rollup_scorecard_rows (alias: its relation): score,
    status (macro rollup_status), the untrusted share of its weight and the counts by measure status,
    cast to their contract types.
#}
{% macro rollup_result_columns(alias) -%}
    cast({{ alias }}.score as {{ scorecard_engine.type_double() }}) as score,
    cast({{ scorecard_engine.rollup_status(
        alias ~ '.score', alias ~ '.untrusted_weight_share', alias ~ '.measures_provisional'
    ) }} as {{ dbt.type_string() }}) as status,
    cast({{ alias }}.untrusted_weight_share as {{ scorecard_engine.type_double() }}) as untrusted_weight_share,
    {%- for counted in ['total'] + scorecard_engine.rollup_counted_statuses() %}
    cast({{ alias }}.measures_{{ counted }} as integer) as measures_{{ counted }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#
    A measure's weight in a roll-up above its objective: its own (scorecard) weight times the
    configured weights of the levels between (strategy.yml objectives[].weight and, for the overall
    score, perspectives[].weight; both default to 1, which leaves the measure weights as they are).
    Weights multiply down the tree, so a roll-up stays an average over measures: an objective of
    weight 2 counts each of its measures twice in its perspective and overall.
#}
{% macro rollup_weight(measure_weight, level_weights) -%}
    {{ measure_weight }}{% for level_weight in level_weights %} * {{ level_weight }}{% endfor %}
{%- endmacro %}

{#
    Scorecard rows (rows: the scorecard, or a CTE over it) with rollup_weight, each measure's weight
    in a roll-up above its objective (macro rollup_weight): its own weight times the configured weight
    of each of levels, 'objective' (cfg_objectives) for a perspective's roll-up, 'objective' and
    'perspective' (cfg_perspectives) for the overall score. The one join perspective_scores and
    int_scorecard_balance weigh their rows by.
#}
{% macro weighted_scorecard_rows(rows, levels) -%}
    {%- set level_weights = [] -%}
    {%- for level in levels -%}
        {%- do level_weights.append(level ~ 's.weight') -%}
    {%- endfor -%}
    select
        {{ rows }}.*,
        {{ scorecard_engine.rollup_weight(rows ~ '.weight', level_weights) }} as rollup_weight
    from {{ rows }}
    {%- for level in levels %}
    inner join {{ ref(project_name, 'cfg_' ~ level ~ 's') }} as {{ level }}s
        on {{ rows }}.{{ level }}_id = {{ level }}s.{{ level }}_id
    {%- endfor %}
{%- endmacro %}
