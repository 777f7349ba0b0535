{#
    Cohort rates (logo churn, gross MRR churn, voluntary attrition) count in the numerator only
    members of the stock in the denominator (accounts, MRR or employees at the period's start), so at
    every grain and in every segment numerator <= denominator, and there is no numerator without a
    denominator. Fails with the offending rows. A generic test on each model, so Dagster attaches it
    to that measure's asset as a blocking check.
#}
{% test numerator_within_denominator(model, tolerance=1e-9) %}
    select
        measure_id,
        period_grain,
        period_start,
        segment_dimension,
        segment_value,
        numerator,
        denominator
    from {{ model }}
    where numerator > 0
        and (coalesce(denominator, 0) = 0 or numerator > denominator + {{ tolerance }})
{% endtest %}
