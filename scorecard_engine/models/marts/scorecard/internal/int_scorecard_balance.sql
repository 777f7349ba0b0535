{#
    One row per scorecard × period grain × period: the overall weighted score of all its scored
    measures (measures, not perspectives, so weights mean the same everywhere; each measure counts
    with its weight times its objective's and its perspective's weights, macro weighted_scorecard_rows,
    default 1), its status, and the balance index = 100 − (highest − lowest) of the scored
    perspective scores, with the perspectives at both ends. The index is null when fewer than two
    perspectives are scored.
#}
with scorecard_rows as (
    select * from {{ ref('scorecard') }}
),

weighted_rows as (
    {{ weighted_scorecard_rows('scorecard_rows', ['objective', 'perspective']) }}
),

perspective_rows as (
    select * from {{ ref('perspective_scores') }}
),

-- The same roll-up as objectives and perspectives (score, untrusted share, completeness, counts by
-- status), over all the scorecard's measures.
overall as (
    {{ rollup_scorecard_rows('weighted_rows', weight='rollup_weight') }}
),

ranked_perspectives as (
    select
        scorecard_id,
        period_grain,
        period_start,
        perspective_id,
        perspective_name,
        score,
        row_number() over (
            partition by scorecard_id, period_grain, period_start order by score desc, display_order
        ) as rank_from_top,
        row_number() over (
            partition by scorecard_id, period_grain, period_start order by score asc, display_order
        ) as rank_from_bottom
    from perspective_rows
    where score is not null
),

spread as (
    select
        scorecard_id,
        period_grain,
        period_start,
        count(*) as perspectives_scored,
        max(score) - min(score) as score_range,
        max(case when rank_from_top = 1 then perspective_id end) as highest_perspective_id,
        max(case when rank_from_top = 1 then perspective_name end) as highest_perspective_name,
        max(case when rank_from_top = 1 then score end) as highest_score,
        max(case when rank_from_bottom = 1 then perspective_id end) as lowest_perspective_id,
        max(case when rank_from_bottom = 1 then perspective_name end) as lowest_perspective_name,
        max(case when rank_from_bottom = 1 then score end) as lowest_score
    from ranked_perspectives
    group by scorecard_id, period_grain, period_start
)

select
    overall.scorecard_id,
    overall.scorecard_name,
    overall.period_grain,
    overall.period_start,
    overall.period_end,
    overall.period_label,
    overall.score as overall_score,
    {{ rollup_status(
        'overall.score', 'overall.untrusted_weight_share', 'overall.measures_provisional'
    ) }} as overall_status,
    overall.untrusted_weight_share,
    overall.is_complete_period,
    overall.measures_total,
    overall.measures_off_track,
    overall.measures_untrusted,
    coalesce(spread.perspectives_scored, 0) as perspectives_scored,
    case when spread.perspectives_scored >= 2 then 100 - spread.score_range end as balance_index,
    spread.highest_perspective_id,
    spread.highest_perspective_name,
    spread.highest_score,
    spread.lowest_perspective_id,
    spread.lowest_perspective_name,
    spread.lowest_score
from overall
left join spread
    on {{ same_scorecard_period('overall', 'spread') }}
