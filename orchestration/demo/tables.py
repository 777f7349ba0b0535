"""The fifteen source tables as the registry (scorecard_config/sources.yml) declares them.

Each builder turns simulated arrays into a ``TableSpec``: file location, declared columns in order and
the SQL that renders each column in the file's format (ISO text for times in CSV/JSONL, two-decimal
amounts, true/false booleans, native types in Parquet).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from orchestration.demo.customers import (
    CHANNELS,
    EVENT_TYPES,
    INVOICE_STATUSES,
    LINE_TYPES,
    MILESTONES,
    PLAN_PRICE_CENTS,
    PRIORITIES,
    REGIONS,
    SEGMENTS,
    TIERS,
    CustomerData,
)
from orchestration.demo.finance import COST_CATEGORIES, COST_CENTERS, GL_ACCOUNTS
from orchestration.demo.timeline import SECONDS_PER_DAY, Window
from orchestration.demo.workforce import COURSES, TEAMS, TERMINATION_REASONS, WorkforceData
from orchestration.demo.writer import (
    TableSpec,
    dates,
    integers,
    sql_id,
    sql_iso,
    sql_iso_local,
    sql_lookup,
    sql_money,
    sql_text,
    timestamps,
)

CURRENCY = "USD"
# fmt: off
COMPANY_WORDS = (
    "Blue", "Harbor", "Summit", "Cedar", "Atlas", "Nova", "Granite", "Maple", "Pioneer", "Silver",
    "River", "Beacon", "Lumen", "Orbit", "Crest", "Falcon", "Meadow", "Quartz", "Redwood", "Vertex",
    "Willow", "Aspen", "Cobalt", "Delta", "Ember", "Fjord", "Juniper", "Keystone", "Lark", "Northstar",
)
COMPANY_NOUNS = (
    "Logistics", "Health", "Retail", "Foods", "Energy", "Labs", "Media", "Capital", "Freight",
    "Outfitters", "Clinics", "Studios", "Robotics", "Textiles", "Analytics", "Travel", "Insurance",
    "Foundry", "Markets",
)
COMPANY_SUFFIXES = ("Inc.", "LLC", "Ltd", "GmbH", "S.A.", "Pty Ltd", "Co.", "Group")
FIRST_NAMES = (
    "Maya", "Liam", "Aisha", "Mateo", "Sofia", "Noah", "Priya", "Lucas", "Elena", "Kenji", "Amara",
    "Jonas", "Chloe", "Omar", "Ines", "Daniel", "Yuki", "Grace", "Ravi", "Lena", "Tomas", "Zara",
    "Ethan", "Mei", "Carlos", "Hannah", "Felix", "Nadia", "Samuel", "Olivia", "Arjun", "Freya", "Diego",
    "Leila", "Marcus",
)
LAST_NAMES = (
    "Chen", "Okafor", "Garcia", "Schmidt", "Patel", "Kowalski", "Nguyen", "Silva", "Andersson", "Rossi",
    "Tanaka", "Dubois", "Murphy", "Haddad", "Kim", "Novak", "Fernandes", "Ibrahim", "Larsen", "Moreau",
    "Walker", "Costa", "Jensen", "Singh", "Bauer", "Mendes", "Yilmaz", "Reyes", "Lindqvist", "Adeyemi",
)
# fmt: on


def _monthly(window: Window, month: np.ndarray) -> tuple[np.ndarray, list[str]]:
    return np.asarray(month, dtype=np.int64), [window.label(m) for m in range(window.months)]


def _single(n: int) -> tuple[np.ndarray, list[str]]:
    return np.zeros(n, dtype=np.int64), [""]


def _spec(
    name: str,
    fmt: str,
    files: tuple[np.ndarray, list[str]],
    inputs: dict[str, pa.Array],
    select: dict[str, str],
) -> TableSpec:
    """The spec of source table ``system.table``: one file ``<system>/<table>.<fmt>``, or one file a
    key (month, quarter) ``<system>/<table>/<key>.<fmt>`` when ``files`` (``_monthly``, ``_single``)
    splits the rows."""
    system, table = name.split(".")
    file_index, keys = files
    location = f"{system}/{table}.{fmt}" if keys == [""] else f"{system}/{table}/{{key}}.{fmt}"
    return TableSpec(system, table, fmt, location, inputs, select, file_index=file_index, file_keys=keys)


def _columns(convert: Callable[[np.ndarray], pa.Array], arrays: dict, *names: str) -> dict[str, pa.Array]:
    """Input columns taken under their own names from the simulated arrays, converted alike."""
    return {name: convert(arrays[name]) for name in names}


def build_tables(
    window: Window,
    customers: CustomerData,
    workforce: WorkforceData,
    finance: tuple[dict, dict],
    cs_owner: np.ndarray,
    agent: np.ndarray,
) -> list[TableSpec]:
    """Every source table of the demo company, in registry order."""
    return [
        _plans(window),
        _subscription_events(window, customers),
        _invoices(window, customers),
        _invoice_lines(window, customers),
        _accounts(customers, cs_owner),
        _onboarding_events(window, customers),
        _first_value_events(window, customers),
        _tickets(window, customers, agent),
        _csat_responses(window, customers),
        _employees(workforce),
        _team_assignments(workforce),
        _training_assignments(window, workforce),
        _training_completions(window, workforce),
        _engagement_survey(window, workforce),
        _cost_of_revenue(finance[0]),
        _gl_lines(window, finance[1]),
    ]


def _plans(window: Window) -> TableSpec:
    tiers = np.arange(len(TIERS))
    # The price list was last revised six weeks before the window opened.
    updated = np.full(len(TIERS), window.start_ts - 45 * SECONDS_PER_DAY + 9 * 3600)
    return _spec(
        "billing.plans",
        "csv",
        _single(len(TIERS)),
        inputs={
            "tier": integers(tiers),
            "price": integers(PLAN_PRICE_CENTS),
            "updated_at": timestamps(updated),
        },
        select={
            "plan_id": f"'PLN-' || upper({sql_lookup('tier', TIERS)})",
            "plan_name": f"upper({sql_lookup('tier', TIERS)}[1]) || {sql_lookup('tier', TIERS)}[2:]",
            "tier": sql_lookup("tier", TIERS),
            "monthly_price": sql_money("price"),
            "currency": sql_text(CURRENCY),
            "updated_at": sql_iso("updated_at"),
        },
    )


def _subscription_events(window: Window, customers: CustomerData) -> TableSpec:
    events = customers.subscription_events
    account_number = customers.accounts["account_number"][events["account"]]
    return _spec(
        "billing.subscription_events",
        "parquet",
        _monthly(window, events["month"]),
        inputs=_columns(integers, events, "event_number", "tier", "event_type", "mrr_cents")
        | _columns(timestamps, events, "event_at")
        | {"account_number": integers(account_number)},
        select={
            "event_id": sql_id("SE-", "event_number", 8),
            "subscription_id": sql_id("SUB-", "account_number", 7),
            "account_id": sql_id("ACC-", "account_number", 7),
            "plan_id": f"'PLN-' || upper({sql_lookup('tier', TIERS)})",
            "event_type": sql_lookup("event_type", EVENT_TYPES),
            "event_at": "event_at::TIMESTAMP",
            "mrr_amount": sql_money("mrr_cents"),
            "currency": sql_text(CURRENCY),
        },
    )


def _invoices(window: Window, customers: CustomerData) -> TableSpec:
    invoices = customers.invoices
    account_number = customers.accounts["account_number"][invoices["account"]]
    return _spec(
        "billing.invoices",
        "csv",
        _monthly(window, invoices["month"]),
        inputs=_columns(integers, invoices, "invoice_number", "total_cents", "status")
        | {
            "account_number": integers(account_number),
            "issued_on": dates(invoices["issued_day"]),
            "period_end": dates(invoices["period_end_day"]),
        },
        select={
            "invoice_id": sql_id("INV-", "invoice_number", 8),
            "account_id": sql_id("ACC-", "account_number", 7),
            "subscription_id": sql_id("SUB-", "account_number", 7),
            "issued_at": "issued_on",
            "service_period_start": "issued_on",
            "service_period_end": "period_end",
            "total_amount": sql_money("total_cents"),
            "currency": sql_text(CURRENCY),
            "status": sql_lookup("status", INVOICE_STATUSES),
        },
    )


def _invoice_lines(window: Window, customers: CustomerData) -> TableSpec:
    lines = customers.invoice_lines
    plan_name = f"upper({sql_lookup('detail', TIERS)}[1]) || {sql_lookup('detail', TIERS)}[2:]"
    return _spec(
        "billing.invoice_lines",
        "csv",
        _monthly(window, lines["month"]),
        inputs=_columns(
            integers,
            lines,
            "line_number",
            "invoice_number",
            "line_type",
            "detail",
            "quantity",
            "unit_cents",
            "amount_cents",
        )
        | {"issued_on": dates(lines["issued_day"])},
        select={
            "invoice_line_id": sql_id("INL-", "line_number", 9),
            "invoice_id": sql_id("INV-", "invoice_number", 8),
            "issued_at": "issued_on",
            "line_type": sql_lookup("line_type", LINE_TYPES),
            "description": (
                "CASE line_type"
                f" WHEN 0 THEN {plan_name} || ' plan, ' || quantity || ' seat' || CASE WHEN quantity = 1"
                " THEN '' ELSE 's' END"
                " WHEN 1 THEN 'Usage overage, ' || quantity || ' x 1,000 API calls'"
                " ELSE 'Loyalty discount ' || detail || '%' END"
            ),
            "quantity": "quantity",
            "unit_amount": sql_money("unit_cents"),
            "amount": sql_money("amount_cents"),
        },
    )


def _accounts(customers: CustomerData, cs_owner: np.ndarray) -> TableSpec:
    accounts = customers.accounts
    events = customers.subscription_events
    updated = accounts["created_at"].copy()
    np.maximum.at(updated, events["account"], events["event_at"])
    name = (
        f"{sql_lookup('name_first', COMPANY_WORDS)} || ' ' || {sql_lookup('name_second', COMPANY_NOUNS)}"
        f" || ' ' || {sql_lookup('name_suffix', COMPANY_SUFFIXES)}"
    )
    return _spec(
        "crm.accounts",
        "jsonl",
        _single(len(updated)),
        inputs=_columns(
            integers,
            accounts,
            "account_number",
            "name_first",
            "name_second",
            "name_suffix",
            "segment",
            "region",
        )
        | _columns(timestamps, accounts, "created_at")
        | {
            "cs_owner": integers(cs_owner),
            "updated_at": timestamps(updated),
        },
        select={
            "account_id": sql_id("ACC-", "account_number", 7),
            "account_name": name,
            "segment": sql_lookup("segment", SEGMENTS),
            "region": sql_lookup("region", REGIONS),
            "cs_owner_id": sql_id("EMP-", "cs_owner", 5),
            "created_at": sql_iso("created_at"),
            "updated_at": sql_iso("updated_at"),
        },
    )


def _product_inputs(customers: CustomerData, events: dict) -> dict:
    account_number = customers.accounts["account_number"][events["account"]]
    return {
        "event_number": integers(events["event_number"]),
        "account_number": integers(account_number),
        "user_number": integers(account_number * 10 + events["user"]),
        "occurred_at": timestamps(events["occurred_at"]),
        "offset_minutes": integers(events["utc_offset_minutes"]),
    }


def _onboarding_events(window: Window, customers: CustomerData) -> TableSpec:
    events = customers.onboarding_events
    inputs = _product_inputs(customers, events) | {"milestone": integers(events["milestone"])}
    return _spec(
        "product.onboarding_events",
        "jsonl",
        _monthly(window, events["month"]),
        inputs=inputs,
        select={
            "event_id": sql_id("ONB-", "event_number", 8),
            "account_id": sql_id("ACC-", "account_number", 7),
            "user_id": sql_id("USR-", "user_number", 8),
            "milestone": sql_lookup("milestone", MILESTONES),
            "occurred_at": sql_iso_local("occurred_at", "offset_minutes"),
        },
    )


def _first_value_events(window: Window, customers: CustomerData) -> TableSpec:
    events = customers.first_value_events
    return _spec(
        "product.first_value_events",
        "jsonl",
        _monthly(window, events["month"]),
        inputs=_product_inputs(customers, events),
        select={
            "event_id": sql_id("FV-", "event_number", 8),
            "account_id": sql_id("ACC-", "account_number", 7),
            "user_id": sql_id("USR-", "user_number", 8),
            "value_event": sql_text("first_report_shared"),
            "occurred_at": sql_iso_local("occurred_at", "offset_minutes"),
        },
    )


def _tickets(window: Window, customers: CustomerData, agent: np.ndarray) -> TableSpec:
    tickets = customers.tickets
    return _spec(
        "support.tickets",
        "csv",
        _monthly(window, tickets["month"]),
        inputs=_columns(integers, tickets, "ticket_number", "channel", "priority", "contacts")
        | _columns(timestamps, tickets, "opened_at", "first_response_at", "resolved_at")
        | {
            "account_number": integers(customers.accounts["account_number"][tickets["account"]]),
            "agent": integers(agent),
            "reopened": tickets["reopened"],
        },
        select={
            "ticket_id": sql_id("TCK-", "ticket_number", 8),
            "account_id": sql_id("ACC-", "account_number", 7),
            "agent_id": sql_id("EMP-", "agent", 5),
            "channel": sql_lookup("channel", CHANNELS),
            "priority": sql_lookup("priority", PRIORITIES),
            "opened_at": sql_iso("opened_at"),
            "first_response_at": sql_iso("first_response_at"),
            "resolved_at": sql_iso("resolved_at"),
            "contacts_to_resolution": "contacts",
            "reopened": "reopened",
        },
    )


def _csat_responses(window: Window, customers: CustomerData) -> TableSpec:
    csat = customers.csat_responses
    return _spec(
        "support.csat_responses",
        "csv",
        _monthly(window, csat["month"]),
        inputs=_columns(integers, csat, "response_number", "ticket_number", "score")
        | _columns(timestamps, csat, "responded_at"),
        select={
            "response_id": sql_id("CSAT-", "response_number", 8),
            "ticket_id": sql_id("TCK-", "ticket_number", 8),
            "responded_at": sql_iso("responded_at"),
            "score": "score",
        },
    )


def _employees(workforce: WorkforceData) -> TableSpec:
    employees = workforce.employees
    titles = tuple(title for _, _, title in TEAMS)
    first_name = sql_lookup("name_first", FIRST_NAMES)
    reason = sql_lookup("reason", TERMINATION_REASONS)
    return _spec(
        "hr.employees",
        "csv",
        _single(len(employees["employee_number"])),
        inputs=_columns(
            integers, employees, "employee_number", "name_first", "name_last", "last_team", "reason"
        )
        | _columns(dates, employees, "hire_day", "term_day")
        | _columns(timestamps, employees, "updated_at"),
        select={
            "employee_id": sql_id("EMP-", "employee_number", 5),
            "full_name": f"{first_name} || ' ' || {sql_lookup('name_last', LAST_NAMES)}",
            "job_title": sql_lookup("last_team", titles),
            "hire_date": "hire_day",
            "termination_date": "term_day",
            "termination_reason": f"CASE WHEN reason >= 0 THEN {reason} END",
            "updated_at": sql_iso("updated_at"),
        },
    )


def _team_assignments(workforce: WorkforceData) -> TableSpec:
    spells = workforce.team_assignments
    return _spec(
        "hr.team_assignments",
        "csv",
        _single(len(spells["assignment_number"])),
        inputs=_columns(integers, spells, "assignment_number", "employee_number", "team")
        | _columns(dates, spells, "valid_from", "valid_to"),
        select={
            "assignment_id": sql_id("TA-", "assignment_number", 6),
            "employee_id": sql_id("EMP-", "employee_number", 5),
            "department": sql_lookup("team", tuple(department for department, _, _ in TEAMS)),
            "team": sql_lookup("team", tuple(team for _, team, _ in TEAMS)),
            "valid_from": "valid_from",
            "valid_to": "valid_to",
        },
    )


def _training_assignments(window: Window, workforce: WorkforceData) -> TableSpec:
    assignments = workforce.training_assignments
    return _spec(
        "hr.training_assignments",
        "parquet",
        _monthly(window, assignments["month"]),
        inputs=_columns(integers, assignments, "assignment_number", "employee_number", "course")
        | {
            "assigned_on": dates(assignments["assigned_day"]),
            "due_on": dates(assignments["due_day"]),
        },
        select={
            "training_assignment_id": sql_id("TRA-", "assignment_number", 8),
            "employee_id": sql_id("EMP-", "employee_number", 5),
            "course_id": sql_lookup("course", tuple(course_id for course_id, _ in COURSES)),
            "course_name": sql_lookup("course", tuple(course_name for _, course_name in COURSES)),
            "assigned_at": "assigned_on",
            "due_at": "due_on",
        },
    )


def _training_completions(window: Window, workforce: WorkforceData) -> TableSpec:
    completions = workforce.training_completions
    return _spec(
        "hr.training_completions",
        "parquet",
        _monthly(window, completions["month"]),
        inputs=_columns(integers, completions, "completion_number", "assignment_number")
        | _columns(timestamps, completions, "completed_at")
        | {"score": completions["score"].astype(np.float64)},
        select={
            "completion_id": sql_id("TRC-", "completion_number", 8),
            "training_assignment_id": sql_id("TRA-", "assignment_number", 8),
            "completed_at": "completed_at::TIMESTAMP",
            "score": "score",
        },
    )


def _engagement_survey(window: Window, workforce: WorkforceData) -> TableSpec:
    survey = workforce.engagement_survey
    # One file per calendar quarter that held a survey, named like the survey: 2024-Q3.
    quarter_of_month = [
        f"{window.month_start_date(m).year}-Q{(window.month_start_date(m).month - 1) // 3 + 1}"
        for m in range(window.months)
    ]
    keys = sorted({quarter_of_month[m] for m in np.unique(survey["month"])})
    file_index = np.array([keys.index(quarter_of_month[m]) for m in survey["month"]], dtype=np.int64)
    return _spec(
        "hr.engagement_survey",
        "csv",
        (file_index, keys),
        inputs=_columns(integers, survey, "response_number", "employee_number", "score")
        | _columns(timestamps, survey, "submitted_at")
        | {"quarter": integers(file_index)},
        select={
            "response_id": sql_id("ENG-", "response_number", 8),
            "employee_id": sql_id("EMP-", "employee_number", 5),
            "survey_id": f"'ENG-' || {sql_lookup('quarter', tuple(keys) or ('',))}",
            "submitted_at": sql_iso("submitted_at"),
            "engagement_score": "score",
        },
    )


def _cost_of_revenue(cost: dict) -> TableSpec:
    return _spec(
        "finance.cost_of_revenue",
        "csv",
        _single(len(cost["amount_cents"])),
        inputs={
            "month_start": dates(cost["month_day"]),
            "category": integers(cost["category"]),
            "amount_cents": integers(cost["amount_cents"]),
        },
        select={
            "month": "month_start",
            "cost_category": sql_lookup("category", COST_CATEGORIES),
            "amount": sql_money("amount_cents"),
            "currency": sql_text(CURRENCY),
        },
    )


def _gl_lines(window: Window, gl: dict) -> TableSpec:
    return _spec(
        "finance.gl_lines",
        "parquet",
        _monthly(window, gl["month"]),
        inputs=_columns(integers, gl, "gl_number", "account", "cost_center", "amount_cents")
        | {"posted_on": dates(gl["posted_day"])},
        select={
            "gl_line_id": sql_id("GL-", "gl_number", 8),
            "posted_at": "posted_on",
            "account_code": sql_lookup("account", tuple(code for code, _ in GL_ACCOUNTS)),
            "account_name": sql_lookup("account", tuple(name for _, name in GL_ACCOUNTS)),
            "cost_center": sql_lookup("cost_center", COST_CENTERS),
            "amount": sql_money("amount_cents"),
            "currency": sql_text(CURRENCY),
        },
    )
