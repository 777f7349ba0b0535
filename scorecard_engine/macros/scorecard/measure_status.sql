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
        {{ scorecard_engine.graded_status(attainment, at_risk_below, off_track_below) }}
    end
{%- endmacro %}

{#
    The graded end of a status CASE, shared by a measure's status (attainment against its
    thresholds) and a roll-up's (score against score_on_track_min and score_at_risk_min): on_track
    at or above on_track_min, at_risk at or above at_risk_min, off_track below. Exactly at a threshold
    counts as the better status, with 1e-9 allowed for the rounding of a quotient of doubles. Emits
    WHEN/ELSE branches: call it last inside a CASE.
#}
{% macro graded_status(value, on_track_min, at_risk_min) -%}
    when {{ value }} >= {{ on_track_min }} - 1e-9 then 'on_track'
        when {{ value }} >= {{ at_risk_min }} - 1e-9 then 'at_risk'
        else 'off_track'
{%- endmacro %}
