{#
    Attainment: how much of its target a measure reached, the same way for both directions.
    higher_is_better → actual ÷ target; lower_is_better → target ÷ actual. Capped at 2.0 (200%) in
    both directions, so a tiny denominator cannot produce absurd values, and floored at 0.
    Zero denominators are decided explicitly, not left to a divide-by-zero error or a null:
      - lower_is_better with actual ≤ 0 (nothing went wrong at all) → 2.0, the cap: on track;
      - lower_is_better with target 0 and actual > 0 → 0 ÷ actual = 0: off track (any is too many);
      - higher_is_better with target 0 → 2.0 when actual > 0, 1.0 when actual = 0, 0 when below.
    Targets are expected to be ≥ 0 (every configured unit is a non-negative quantity).
    Null when the actual or the target is null.
#}
{% macro measure_attainment(actual, target, direction) -%}
    case
        when {{ actual }} is null or {{ target }} is null then null
        when {{ direction }} = 'lower_is_better' then
            case
                when {{ actual }} <= 0 then 2.0
                else least(2.0, greatest(0.0, {{ target }} / {{ actual }}))
            end
        when {{ target }} = 0 then
            case
                when {{ actual }} > 0 then 2.0
                when {{ actual }} = 0 then 1.0
                else 0.0
            end
        else least(2.0, greatest(0.0, {{ actual }} / {{ target }}))
    end
{%- endmacro %}
