{#
    A measure's score on the common 0–100 scale: 100 × attainment, clamped to [0, 100]. Attainment
    is already direction-aware, so both directions map the same way. Only measures with a real
    status (on_track, at_risk, off_track) are scored; no_data, provisional, no_target and untrusted
    are null so that roll-ups skip them instead of counting them as zero.
#}
{% macro measure_score(status, attainment) -%}
    case
        when {{ status }} in ('on_track', 'at_risk', 'off_track')
            then least(100.0, greatest(0.0, 100.0 * {{ attainment }}))
    end
{%- endmacro %}
