{#
    Calendar months in one period of a grain: 1 for a month, 3 for a fiscal quarter, 12 for a year.
    Previous period = period_start − this many months; same period last year = − 12 months.
#}
{% macro months_in_grain(period_grain) -%}
    case {{ period_grain }} when 'month' then 1 when 'quarter' then 3 else 12 end
{%- endmacro %}

{#
    The grain a measure reports at, from cfg_measures.frequency: fiscal quarters for a quarterly
    measure, months for every other (its quarters and years are built from those).
#}
{% macro own_grain(frequency) -%}
    case when {{ frequency }} = 'quarterly' then 'quarter' else 'month' end
{%- endmacro %}

{#
    The four columns that name a period in every table at a period grain (period_grain, period_start,
    period_end, period_label), cast to their contract types and in contract order: one definition for
    the scorecard, the roll-ups, the balance report, the forecasts, the strategy map, measure_values
    and restatements. relation: the alias they are read from (none: unqualified).
#}
{% macro period_columns(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    cast({{ prefix }}period_grain as {{ dbt.type_string() }}) as period_grain,
    cast({{ prefix }}period_start as date) as period_start,
    cast({{ prefix }}period_end as date) as period_end,
    cast({{ prefix }}period_label as {{ dbt.type_string() }}) as period_label
{%- endmacro %}

{#
    A date shifted by a whole number of months (an integer SQL expression), as a date.
#}
{% macro shift_months(date_expression, months_expression) -%}
    cast({{ dbt.dateadd('month', months_expression, date_expression) }} as date)
{%- endmacro %}

{#
    Last day of the scorecard's last month (var scorecard_last_month): "now" for overdue actions.
#}
{% macro scorecard_last_day() -%}
    {{ scorecard_engine.last_day_after_months(scorecard_engine.scorecard_last_month(), 1) }}
{%- endmacro %}

{#
    Plain word for a period of a grain, for messages ("2 consecutive months").
#}
{% macro grain_plural(period_grain) -%}
    case {{ period_grain }} when 'month' then 'months' when 'quarter' then 'quarters' else 'years' end
{%- endmacro %}

{#
    Whether a period is complete: it lies wholly inside the scorecard's range. The quarter and year
    still running (cut by scorecard_last_month), and a fiscal year cut at the start of history, are
    to-date periods: their values cover only the months in range, and so do their targets.
#}
{% macro is_complete_period(period_start, period_end) -%}
    ({{ period_start }} >= {{ scorecard_engine.scorecard_first_month() }}
        and {{ period_end }} <= {{ scorecard_engine.scorecard_last_day() }})
{%- endmacro %}

{#
    The day a period's value becomes final under its measure's observation window
    (cfg_measures.matures_after_days): period_end + that many days. Null when the measure declares
    no window (its value is final when the period closes).
#}
{% macro matures_on(period_end, matures_after_days) -%}
    case
        when {{ matures_after_days }} is not null
            then cast({{ dbt.dateadd('day', matures_after_days, period_end) }} as date)
    end
{%- endmacro %}

{#
    Whether a period's value is still provisional: its observation window runs past the scorecard's
    last day, so the cohort it counts has not had its full window (accounts created on the 28th
    cannot yet have completed onboarding "within 30 days"). Provisional values are shown, not scored.
#}
{% macro is_provisional(matures_on) -%}
    coalesce({{ matures_on }} > {{ scorecard_engine.scorecard_last_day() }}, false)
{%- endmacro %}

{#
    The day a period is judged on: its last day, or the last day of the scorecard's last month for
    a period still running, so nothing is called late or behind before it could be.
#}
{% macro judged_on(period_end) -%}
    case
        when {{ period_end }} > {{ scorecard_engine.scorecard_last_day() }}
            then {{ scorecard_engine.scorecard_last_day() }}
        else {{ period_end }}
    end
{%- endmacro %}
