{#
    Grain expansion: join monthly facts (a month_start column) to every period that contains the
    month, at month, fiscal quarter and fiscal year grain. The aggregation helpers then group by
    (period_grain, period_start), so each grain comes from the same definition. In an incremental
    build of the model it is called from, only the periods of the restatement window (macro
    in_restatement_window): the months of older periods are not aggregated at all.
#}
{% macro expand_to_periods(facts) -%}
    select
        facts.*,
        periods.period_grain,
        periods.period_start,
        periods.is_first_month,
        periods.is_last_month
    from {{ facts }} as facts
    inner join {{ ref('int_fiscal_periods') }} as periods
        on facts.month_start = periods.month_start
    where {{ scorecard_engine.in_restatement_window('periods.period_end') }}
{%- endmacro %}
