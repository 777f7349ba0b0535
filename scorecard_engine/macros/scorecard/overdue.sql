{#
    The one rule for "overdue", shared by review actions and initiative milestones: not done (open
    or in_progress; cancelled ones are not chased) and due before the day it is judged on (the end
    of the scorecard's last month, or of the period a finding is about).
#}
{% macro is_overdue(status, due_date, judged_on) -%}
    ({{ status }} in ('open', 'in_progress') and cast({{ due_date }} as date) < {{ judged_on }})
{%- endmacro %}

{#
    Whole days from the due date to the day judged on (positive when late).
#}
{% macro days_late(due_date, judged_on) -%}
    {{ dbt.datediff('cast(' ~ due_date ~ ' as date)', judged_on, 'day') }}
{%- endmacro %}
