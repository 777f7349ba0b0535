{#
    The target of every measure × segment × period grain × period that has one.

    1. At the measure's own frequency (month for monthly measures, fiscal quarter for quarterly):
       the absolute and phased annual rows of cfg_targets, and relative rules evaluated.
    2. Relative rules are evaluated from the baseline period's actual in measure_values, same
       segment and grain: same_period_last_year (12 months earlier) or previous_period (one period
       of that grain earlier); change_type 'relative' multiplies the baseline by (1 + change),
       'absolute' adds the change. A rule covers the periods that start between its effective_from
       and effective_to. A baseline without an actual gives no target.
       Like is compared with like: at the own frequency, a period that is to-date (a quarterly
       measure's running quarter) or whose baseline is (cut at the start of history) gets no
       relative target, since a part-period would be judged against a whole one. At a coarser grain
       a rule applies directly only when it is same_period_last_year and both the period and its
       baseline are complete (FY2026-Q3 against FY2025-Q3 × 1.05). A previous_period rule states a
       change per own-frequency period ("3% month on month"), so quarters and years derive from
       those monthly targets (step 3), as do to-date periods: the months in range, each against the
       same month last year, is like-for-like quarter-to-date.
    3. A coarser period without a direct relative target derives its target from its own-frequency
       periods by the measure's target_rollup (macro rollup_target): sum, last, average or compound.
    Segment targets apply only to their segment: a cascade without its own target has none (no
    fallback to the company target).
    4. A measure whose unit is 'count' gets whole-number targets: a relative rule or an average can
       give 2,523.2 customers, which no one can reach; it becomes the whole number that meets it
       (2,524 when higher is better, 2,523 when lower is better).
#}
with targets as (
    select * from {{ ref(project_name, 'cfg_targets') }}
),

measures as (
    select
        measure_id,
        measure_type,
        unit,
        direction,
        target_rollup,
        {{ own_grain('frequency') }} as own_grain
    from {{ ref(project_name, 'cfg_measures') }}
),

fiscal_periods as (
    select * from {{ ref('int_fiscal_periods') }}
),

measure_values as (
    select
        measure_id,
        segment_dimension,
        segment_value,
        period_grain,
        period_start,
        value,
        {{ is_complete_period('period_start', 'period_end') }} as is_complete_period
    from {{ ref('measure_values') }}
),

fixed_targets as (
    select
        measure_id,
        segment_dimension,
        segment_value,
        grain as period_grain,
        cast(period_start as date) as period_start,
        cast(target_value as {{ type_double() }}) as target_value,
        target_kind as target_basis,
        target_id
    from targets
    where target_kind in ('absolute', 'annual')
),

relative_rules as (
    select
        target_id,
        measure_id,
        segment_dimension,
        segment_value,
        baseline,
        change_type,
        cast(change_value as {{ type_double() }}) as change_value,
        cast(effective_from as date) as effective_from,
        cast(effective_to as date) as effective_to
    from targets
    where target_kind = 'relative'
),

relative_targets as (
    select
        periods.measure_id,
        periods.segment_dimension,
        periods.segment_value,
        periods.period_grain,
        periods.period_start,
        {{ relative_target('baselines.value', 'rules.change_type', 'rules.change_value') }} as target_value,
        'relative' as target_basis,
        rules.target_id,
        rules.baseline,
        (
            periods.is_complete_period
            and baselines.period_start >= {{ scorecard_first_month() }}
        ) as is_like_for_like
    from measure_values as periods
    inner join relative_rules as rules
        on periods.measure_id = rules.measure_id
        and periods.segment_dimension = rules.segment_dimension
        and periods.segment_value = rules.segment_value
        and periods.period_start >= rules.effective_from
        and (rules.effective_to is null or periods.period_start <= rules.effective_to)
    left join measure_values as baselines
        on periods.measure_id = baselines.measure_id
        and periods.segment_dimension = baselines.segment_dimension
        and periods.segment_value = baselines.segment_value
        and periods.period_grain = baselines.period_grain
        and baselines.period_start = {{ shift_months(
            'periods.period_start',
            "case when rules.baseline = 'same_period_last_year' then -12 else 0 - "
                ~ months_in_grain('periods.period_grain') ~ " end"
        ) }}
),

-- The relative targets that apply directly: at the own frequency every month, and a quarter of a
-- quarterly measure when like-for-like; at a coarser grain only same period last year, both whole.
applied_relative_targets as (
    select
        relative_targets.measure_id,
        relative_targets.segment_dimension,
        relative_targets.segment_value,
        relative_targets.period_grain,
        relative_targets.period_start,
        relative_targets.target_value,
        relative_targets.target_basis,
        relative_targets.target_id
    from relative_targets
    inner join measures
        on relative_targets.measure_id = measures.measure_id
    where
        (
            relative_targets.period_grain = measures.own_grain
            and (relative_targets.period_grain = 'month' or relative_targets.is_like_for_like)
        )
        or (
            relative_targets.period_grain <> measures.own_grain
            and relative_targets.baseline = 'same_period_last_year'
            and relative_targets.is_like_for_like
        )
),

-- Targets set for the period itself: fixed rows at the own frequency, and applied relative rules.
direct_targets as (
    select fixed_targets.*
    from fixed_targets

    union all

    select applied_relative_targets.*
    from applied_relative_targets
),

-- The own-frequency periods inside each coarser period: months of quarters and years for monthly
-- measures, fiscal quarters of years for quarterly ones. Only months in the scorecard range count.
monthly_sub_periods as (
    select
        'month' as own_grain,
        period_grain,
        period_start,
        month_start as sub_period_start,
        is_last_month as is_last_sub_period
    from fiscal_periods
    where period_grain in ('quarter', 'year')
),

quarters_of_years as (
    select distinct
        years.period_start,
        quarters.period_start as sub_period_start
    from fiscal_periods as years
    inner join fiscal_periods as quarters
        on years.month_start = quarters.month_start
        and quarters.period_grain = 'quarter'
    where years.period_grain = 'year'
),

sub_periods as (
    select * from monthly_sub_periods

    union all

    select
        'quarter' as own_grain,
        'year' as period_grain,
        period_start,
        sub_period_start,
        sub_period_start = max(sub_period_start) over (partition by period_start) as is_last_sub_period
    from quarters_of_years
),

target_segments as (
    select distinct measure_id, segment_dimension, segment_value
    from direct_targets
),

sub_period_targets as (
    select
        target_segments.measure_id,
        target_segments.segment_dimension,
        target_segments.segment_value,
        measures.target_rollup,
        sub_periods.period_grain,
        sub_periods.period_start,
        count(*) as sub_periods_expected,
        count(direct_targets.target_value) as sub_periods_with_target,
        sum(direct_targets.target_value) as target_sum,
        avg(direct_targets.target_value) as target_avg,
        max(case when sub_periods.is_last_sub_period then direct_targets.target_value end) as target_last,
        {{ compound_share('direct_targets.target_value') }} as target_compound
    from target_segments
    inner join measures
        on target_segments.measure_id = measures.measure_id
    inner join sub_periods
        on measures.own_grain = sub_periods.own_grain
    left join direct_targets
        on target_segments.measure_id = direct_targets.measure_id
        and target_segments.segment_dimension = direct_targets.segment_dimension
        and target_segments.segment_value = direct_targets.segment_value
        and direct_targets.period_grain = measures.own_grain
        and direct_targets.period_start = sub_periods.sub_period_start
    group by
        target_segments.measure_id,
        target_segments.segment_dimension,
        target_segments.segment_value,
        measures.target_rollup,
        sub_periods.period_grain,
        sub_periods.period_start
),

derived_targets as (
    select
        sub_period_targets.measure_id,
        sub_period_targets.segment_dimension,
        sub_period_targets.segment_value,
        sub_period_targets.period_grain,
        sub_period_targets.period_start,
        {{ rollup_target(
            'sub_period_targets.target_rollup',
            'sub_period_targets.target_sum',
            'sub_period_targets.target_avg',
            'sub_period_targets.target_last',
            'sub_period_targets.target_compound',
            'sub_period_targets.sub_periods_with_target',
            'sub_period_targets.sub_periods_expected'
        ) }} as target_value,
        'derived' as target_basis,
        cast(null as {{ dbt.type_string() }}) as target_id
    from sub_period_targets
    -- a relative rule applied directly to the coarser period wins over deriving it
    left join direct_targets
        on {{ same_measure_value('sub_period_targets', 'direct_targets') }}
    where direct_targets.measure_id is null
),

all_targets as (
    select * from direct_targets
    union all
    select * from derived_targets
)

select
    cast(all_targets.measure_id as {{ dbt.type_string() }}) as measure_id,
    cast(all_targets.segment_dimension as {{ dbt.type_string() }}) as segment_dimension,
    cast(all_targets.segment_value as {{ dbt.type_string() }}) as segment_value,
    cast(all_targets.period_grain as {{ dbt.type_string() }}) as period_grain,
    cast(all_targets.period_start as date) as period_start,
    cast(
        case
            when measures.unit <> 'count' or measures.unit is null then all_targets.target_value
            when measures.direction = 'lower_is_better' then floor(all_targets.target_value + 1e-9)
            else ceil(all_targets.target_value - 1e-9)
        end as {{ type_double() }}
    ) as target_value,
    cast(all_targets.target_basis as {{ dbt.type_string() }}) as target_basis,
    cast(all_targets.target_id as {{ dbt.type_string() }}) as target_id
from all_targets
left join measures
    on all_targets.measure_id = measures.measure_id
