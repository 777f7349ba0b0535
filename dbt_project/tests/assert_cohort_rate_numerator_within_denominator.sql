-- Cohort rates (logo churn, gross MRR churn, voluntary attrition) count in the numerator only
-- members of the stock in the denominator (accounts or employees at the period's start), so at every
-- grain and in every segment numerator <= denominator, and there is no numerator without a
-- denominator. Returns the offending rows.
{% set cohort_rate_models = ['msr_logo_churn_rate', 'msr_gross_mrr_churn_rate', 'msr_voluntary_attrition_rate'] %}
{% for model_name in cohort_rate_models %}
select
    measure_id,
    period_grain,
    period_start,
    team,
    region,
    customer_segment,
    numerator,
    denominator
from {{ ref(model_name) }}
where numerator > 0
    and (coalesce(denominator, 0) = 0 or numerator > denominator + 1e-9)
{% if not loop.last %}union all{% endif %}
{% endfor %}
