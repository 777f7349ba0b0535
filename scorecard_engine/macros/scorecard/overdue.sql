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
    {{ scorecard_engine.datediff('cast(' ~ due_date ~ ' as date)', judged_on, 'day') }}
{%- endmacro %}

{#
    The published days_overdue of a row judged by is_overdue: whole days late, 0 when not overdue.
#}
{% macro days_overdue(is_overdue, due_date, judged_on) -%}
    cast(case
        when {{ is_overdue }} then {{ scorecard_engine.days_late(due_date, judged_on) }}
        else 0
    end as integer)
{%- endmacro %}

{#
    The end of an overdue finding's message, as parts for dbt.concat after the owner's name:
    ") was due 2026-09-10 and is still in progress, 20 days late."
#}
{% macro overdue_message_tail(due_date, status, judged_on) -%}
    {{ return([
        "') was due '",
        'cast(cast(' ~ due_date ~ ' as date) as ' ~ dbt.type_string() ~ ')',
        "' and is still '",
        "replace(" ~ status ~ ", '_', ' ')",
        "', '",
        'cast(' ~ scorecard_engine.days_late(due_date, judged_on) ~ ' as ' ~ dbt.type_string() ~ ')',
        "' days late.'"
    ]) }}
{%- endmacro %}
