{#
    A coarser period's target (fiscal quarter or year) from the targets of the periods at the
    measure's own frequency inside it (months, or quarters for quarterly measures), by the measure's
    target_rollup (cfg_measures; defaults by measure type, see TargetRollup in the config models):
      sum       the sum (flows), only when every sub-period has a target;
      last      the last sub-period's target (a level read at the period's end);
      average   the mean, only when every sub-period has a target (rates on the monthly scale);
      compound  1 − Π(1 − target), only when every sub-period has one (cohort rates that accumulate
                over the period: churn, attrition), so the quarter's 5.9% churn is judged against
                the quarter's equivalent of 2% a month, not against 2%.
    A partial period (the current quarter or year, cut by the scorecard's last month, or a year cut
    at the start of history) counts only its months in range, as measure_values does for the actual:
    quarter-to-date against quarter-to-date.
#}
{% macro rollup_target(target_rollup, target_sum, target_avg, target_last, target_compound, sub_periods_with_target, sub_periods_expected) -%}
    case
        when {{ target_rollup }} = 'last' then {{ target_last }}
        when {{ sub_periods_with_target }} < {{ sub_periods_expected }} then null
        when {{ target_rollup }} = 'sum' then {{ target_sum }}
        when {{ target_rollup }} = 'compound' then {{ target_compound }}
        else {{ target_avg }}
    end
{%- endmacro %}

{#
    The compound of shares lost over several sub-periods, as an aggregate: 1 − Π(1 − share), the
    product taken as exp(Σ ln(1 − share)). A share of 1 or more (everything lost) gives 1. Rounded to
    ten decimals, so 2% a month reads 0.058808 for a quarter, not the logarithm's 0.05880800000000004.
#}
{% macro compound_share(share) -%}
    round(1 - exp(sum(ln(greatest(1 - {{ share }}, 1e-12)))), 10)
{%- endmacro %}

{#
    The target a relative rule gives from its baseline period's actual: change_type 'relative'
    multiplies by (1 + change), 'absolute' adds the change. Null when the baseline has no actual.
#}
{% macro relative_target(baseline_value, change_type, change_value) -%}
    case
        when {{ change_type }} = 'absolute' then {{ baseline_value }} + {{ change_value }}
        else {{ baseline_value }} * (1 + {{ change_value }})
    end
{%- endmacro %}
