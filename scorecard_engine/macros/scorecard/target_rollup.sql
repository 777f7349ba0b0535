{#
    A coarser period's target (fiscal quarter or year) from the targets of the periods at the
    measure's own frequency inside it (months, or quarters for quarterly measures), by measure type:
      flow                          the sum, only when every sub-period has a target;
      stock                         the last sub-period's target (where the level is read);
      ratio, distribution, derived  the average, only when every sub-period has a target.
    A partial period (the current quarter or year, cut by the scorecard's last month) counts only its
    months in range, as measure_values does for the actual: quarter-to-date against quarter-to-date.
#}
{% macro rollup_target(measure_type, target_sum, target_avg, target_last, sub_periods_with_target, sub_periods_expected) -%}
    case
        when {{ measure_type }} = 'stock' then {{ target_last }}
        when {{ sub_periods_with_target }} < {{ sub_periods_expected }} then null
        when {{ measure_type }} = 'flow' then {{ target_sum }}
        else {{ target_avg }}
    end
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
