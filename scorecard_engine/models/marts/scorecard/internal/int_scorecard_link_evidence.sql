{#
    Evidence from the data for every strategy-map link, as known at the end of every scorecard
    month: did a change in the cause objective's measures come before a change in the effect's?

    1. Series: each measure's company value (segment 'all') per whole, final period: months for
       monthly measures, fiscal quarters when either end of a measure pair is quarterly. Period-to-date
       and provisional values (a cohort still maturing) are left out.
    2. Rates: a stock (customers, recurring revenue, headcount) enters as its change over the period, its
       net flow; flows, ratios and distributions as their value. A growth curve is no evidence of
       anything, what drives it is.
    3. Levels with the time trend taken out: the partial correlation of the cause's value with the
       effect's value lag months later, controlling for time (the effect period's month index):
       r = (r_ce − r_ct·r_et) / sqrt((1 − r_ct²)(1 − r_et²)). Two measures that both grow (revenue and
       headcount) correlate in levels whatever the cause; their detrended levels do not. Changes
       (month on month) were tried and rejected: drivers move over several months (a training dip,
       a rollout), so a month's change is mostly sampling noise and real links read inconclusive.
    4. Direction: values are signed by the measure's direction (higher or lower is better), so a
       positive correlation always reads "the cause was better, then the effect was better".
    5. Candidates: every cause measure × effect measure of the link's two objectives × every lag in
       the window lag_months ± link_evidence_lag_window (at least 0; whole quarters on a quarterly
       pair), over the pairs whose effect period ends by the as-of month.
    6. The best candidate: among those with at least link_evidence_min_pairs pairs, the one with the
       largest |Fisher z| × sqrt(n − 4) (the smallest p-value; n − 4, not n − 3, because time is
       controlled for); ties go to the lag nearest the declared one. Its 95% confidence interval is
       Fisher's, Bonferroni-adjusted for the candidates searched: z ± q(0.025 / tests) / sqrt(n − 4),
       back-transformed with tanh. Searching lags and measure pairs and keeping the best would
       otherwise find "support" in noise. Neighbouring months are not independent, so the interval
       is still optimistic for very smooth series; the adjustment and the minimum pairs temper it.
    7. Verdict: supported (interval above 0), contradicted (below 0), inconclusive (contains 0),
       not_enough_data (no candidate with the minimum pairs, or no variation).
#}
{%- set lag_window = numeric_var('link_evidence_lag_window', 2, whole_number=true, minimum=0) | int -%}
{%- set min_pairs = numeric_var('link_evidence_min_pairs', 12, whole_number=true, minimum=5) | int -%}

with links as (
    select * from {{ ref(project_name, 'cfg_strategy_links') }}
),

measures as (
    select * from {{ ref(project_name, 'cfg_measures') }}
),

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

series as (
    select
        measure_id,
        period_grain,
        period_start,
        period_end,
        value
    from {{ ref('measure_values') }}
    where segment_dimension = 'all'
        and period_grain in ('month', 'quarter')
        and value is not null
        and {{ is_complete_period('period_start', 'period_end') }}
        and not {{ is_provisional('matures_on') }}
),

-- A stock enters as its change over the period (its net flow), everything else as its value.
rates as (
    select
        series.measure_id,
        series.period_grain,
        series.period_start,
        series.period_end,
        case
            when measures.measure_type = 'stock' then series.value - previous_period.value
            else series.value
        end as value
    from series
    inner join measures
        on series.measure_id = measures.measure_id
    left join series as previous_period
        on series.measure_id = previous_period.measure_id
        and series.period_grain = previous_period.period_grain
        and previous_period.period_start = {{ shift_months(
            'series.period_start', '0 - ' ~ months_in_grain('series.period_grain')
        ) }}
),

indexed as (
    select
        rates.*,
        {{ scorecard_engine.datediff("cast('2000-01-01' as date)", 'rates.period_start', 'month') }} as month_index
    from rates
    where rates.value is not null
),

measure_pairs as (
    select
        links.link_id,
        links.lag_months as declared_lag_months,
        causes.measure_id as cause_measure_id,
        effects.measure_id as effect_measure_id,
        case
            when causes.frequency = 'quarterly' or effects.frequency = 'quarterly' then 'quarter'
            else 'month'
        end as pair_grain,
        causes.direction as cause_direction,
        effects.direction as effect_direction
    from links
    inner join measures as causes
        on links.cause_objective_id = causes.objective_id
    inner join measures as effects
        on links.effect_objective_id = effects.objective_id
),

lag_offsets as (
    {%- for offset in range(0 - lag_window, lag_window + 1) %}
        select {{ offset }} as lag_offset
        {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
),

candidates as (
    select
        measure_pairs.*,
        measure_pairs.declared_lag_months + lag_offsets.lag_offset as lag_months
    from measure_pairs
    cross join lag_offsets
    where measure_pairs.declared_lag_months + lag_offsets.lag_offset >= 0
        and mod(
            measure_pairs.declared_lag_months + lag_offsets.lag_offset,
            {{ months_in_grain('measure_pairs.pair_grain') }}
        ) = 0
),

pairs as (
    select
        candidates.link_id,
        candidates.cause_measure_id,
        candidates.effect_measure_id,
        candidates.lag_months,
        effect_values.period_end as effect_period_end,
        cause_values.value * {{ direction_sign('candidates.cause_direction') }} as cause_value,
        effect_values.value * {{ direction_sign('candidates.effect_direction') }} as effect_value,
        cast(effect_values.month_index as {{ type_double() }}) as month_index
    from candidates
    inner join indexed as cause_values
        on candidates.cause_measure_id = cause_values.measure_id
        and candidates.pair_grain = cause_values.period_grain
    inner join indexed as effect_values
        on candidates.effect_measure_id = effect_values.measure_id
        and candidates.pair_grain = effect_values.period_grain
        and effect_values.period_start = {{ shift_months('cause_values.period_start', 'candidates.lag_months') }}
),

as_of_months as (
    select
        month_start as as_of_month_start,
        month_end as as_of_month_end
    from calendar_months
    where month_start >= {{ scorecard_first_month() }}
),

candidate_statistics as (
    select
        as_of_months.as_of_month_start,
        candidates.link_id,
        candidates.declared_lag_months,
        candidates.cause_measure_id,
        candidates.effect_measure_id,
        candidates.pair_grain,
        candidates.lag_months,
        count(pairs.cause_value) as pair_count,
        var_samp(pairs.cause_value) as cause_variance,
        var_samp(pairs.effect_value) as effect_variance,
        corr(pairs.cause_value, pairs.effect_value) as level_correlation,
        corr(pairs.cause_value, pairs.month_index) as cause_time_correlation,
        corr(pairs.effect_value, pairs.month_index) as effect_time_correlation
    from as_of_months
    cross join candidates
    left join pairs
        on candidates.link_id = pairs.link_id
        and candidates.cause_measure_id = pairs.cause_measure_id
        and candidates.effect_measure_id = pairs.effect_measure_id
        and candidates.lag_months = pairs.lag_months
        and pairs.effect_period_end <= as_of_months.as_of_month_end
    group by
        as_of_months.as_of_month_start,
        candidates.link_id,
        candidates.declared_lag_months,
        candidates.cause_measure_id,
        candidates.effect_measure_id,
        candidates.pair_grain,
        candidates.lag_months
),

-- Partial correlation controlling for time; undefined when either series is a straight line in time.
detrended as (
    select
        candidate_statistics.*,
        (level_correlation - cause_time_correlation * effect_time_correlation)
        / sqrt((1 - cause_time_correlation * cause_time_correlation) * (1 - effect_time_correlation * effect_time_correlation))
            as correlation
    from candidate_statistics
    where pair_count >= {{ min_pairs }}
        and cause_variance > 0
        and effect_variance > 0
        and abs(cause_time_correlation) < 0.999999
        and abs(effect_time_correlation) < 0.999999
),

testable as (
    select
        detrended.*,
        {{ fisher_z('detrended.correlation') }} as fisher_z
    from detrended
    where correlation is not null
),

ranked as (
    select
        testable.*,
        count(*) over (partition by as_of_month_start, link_id) as tests_searched,
        row_number() over (
            partition by as_of_month_start, link_id
            order by
                abs(fisher_z) * sqrt(pair_count - 4) desc,
                abs(lag_months - declared_lag_months) asc,
                lag_months asc,
                cause_measure_id asc,
                effect_measure_id asc
        ) as rank_in_link
    from testable
),

best as (
    select
        ranked.*,
        {{ normal_upper_quantile('0.025 / ranked.tests_searched') }} / sqrt(ranked.pair_count - 4) as half_width
    from ranked
    where rank_in_link = 1
),

link_months as (
    select
        as_of_months.as_of_month_start,
        as_of_months.as_of_month_end,
        links.link_id
    from as_of_months
    cross join links
)

select
    cast(link_months.link_id as {{ dbt.type_string() }}) as link_id,
    cast(link_months.as_of_month_start as date) as as_of_month_start,
    cast(link_months.as_of_month_end as date) as as_of_month_end,
    cast(best.cause_measure_id as {{ dbt.type_string() }}) as cause_measure_id,
    cast(best.effect_measure_id as {{ dbt.type_string() }}) as effect_measure_id,
    cast(best.pair_grain as {{ dbt.type_string() }}) as pair_grain,
    cast(best.lag_months as integer) as lag_months,
    cast(best.pair_count as integer) as pair_count,
    cast(best.tests_searched as integer) as tests_searched,
    cast(best.correlation as {{ type_double() }}) as correlation,
    cast({{ inverse_fisher_z('best.fisher_z - best.half_width') }} as {{ type_double() }}) as correlation_low,
    cast({{ inverse_fisher_z('best.fisher_z + best.half_width') }} as {{ type_double() }}) as correlation_high,
    cast(case
        when best.link_id is null then 'not_enough_data'
        when best.fisher_z - best.half_width > 0 then 'supported'
        when best.fisher_z + best.half_width < 0 then 'contradicted'
        else 'inconclusive'
    end as {{ dbt.type_string() }}) as verdict
from link_months
left join best
    on link_months.link_id = best.link_id
    and link_months.as_of_month_start = best.as_of_month_start
