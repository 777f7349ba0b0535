{#
    A measure's status for one period, in this order (the first that applies wins):
      untrusted  its data failed a quality gate for the period (is_trusted false);
      no_data    the actual is null;
      provisional  the period's observation window has not closed (macro is_provisional): the value
                 is shown but not yet final, so it is neither scored nor alarmed on;
      no_target  the target is null;
      on_track   attainment ≥ at_risk_below (cfg_thresholds);
      at_risk    attainment ≥ off_track_below;
      off_track  otherwise.
    Exactly at a threshold counts as the better status. Attainment is a quotient of doubles, so an
    exact hit such as 0.19 ÷ 0.2 can land a hair below 0.95: the comparison allows 1e-9 for that.
    Never null.
#}
{% macro measure_status(
    is_trusted, actual, target, attainment, at_risk_below, off_track_below, is_provisional='false'
) -%}
    case
        when not {{ is_trusted }} then 'untrusted'
        when {{ actual }} is null then 'no_data'
        when {{ is_provisional }} then 'provisional'
        when {{ target }} is null then 'no_target'
        when {{ attainment }} >= {{ at_risk_below }} - 1e-9 then 'on_track'
        when {{ attainment }} >= {{ off_track_below }} - 1e-9 then 'at_risk'
        else 'off_track'
    end
{%- endmacro %}
