{#
    Statistics the strategy-map evidence needs, in plain SQL both engines run (ln, exp, sqrt).
#}

{#
    Fisher's z of a correlation: atanh(r) = ½·ln((1 + r) / (1 − r)). r is clamped to ±0.999999 so a
    perfect correlation of a short series gives a large, finite z instead of dividing by zero.
#}
{% macro fisher_z(correlation) -%}
    (0.5 * ln(
        (1 + least(greatest({{ correlation }}, -0.999999), 0.999999))
        / (1 - least(greatest({{ correlation }}, -0.999999), 0.999999))
    ))
{%- endmacro %}

{# tanh(z) = (e^{2z} − 1) / (e^{2z} + 1): back from Fisher's z to a correlation. #}
{% macro inverse_fisher_z(z) -%}
    ((exp(2 * ({{ z }})) - 1) / (exp(2 * ({{ z }})) + 1))
{%- endmacro %}

{#
    The standard normal quantile z with P(Z > z) = upper_tail (0 < upper_tail ≤ 0.5), by the rational
    approximation of Abramowitz & Stegun 26.2.23 (absolute error below 4.5e-4): SQL has no inverse
    normal, and a Bonferroni-adjusted critical value needs one for any number of tests.
#}
{% macro normal_upper_quantile(upper_tail) -%}
    (
        sqrt(-2 * ln({{ upper_tail }}))
        - (2.515517 + 0.802853 * sqrt(-2 * ln({{ upper_tail }})) + 0.010328 * (-2 * ln({{ upper_tail }})))
        / (
            1
            + 1.432788 * sqrt(-2 * ln({{ upper_tail }}))
            + 0.189269 * (-2 * ln({{ upper_tail }}))
            + 0.001308 * power(sqrt(-2 * ln({{ upper_tail }})), 3)
        )
    )
{%- endmacro %}
