"""The finance side: monthly cost of revenue and general-ledger lines that agree with billing and HR.

Revenue journal lines are the invoice lines summed by issue month, line type and segment, to the cent;
cost-of-revenue journal lines equal ``cost_of_revenue.csv``; opex lines follow headcount and signups.
"""

from __future__ import annotations

import numpy as np

from orchestration.demo.customers import SEGMENTS, Columns, CustomerData
from orchestration.demo.timeline import SECONDS_PER_DAY, Window
from orchestration.demo.workforce import WorkforceData

COST_CATEGORIES = (
    "hosting",
    "support_staff",
    "customer_success_staff",
    "third_party_software",
    "payment_processing",
)
# Share of invoiced revenue per category; hosting gets cheaper as the platform matures.
HOSTING_SHARE_FIRST, HOSTING_SHARE_LAST = 0.100, 0.070
OTHER_COST_SHARES = np.array([0.060, 0.065, 0.030, 0.029])
COST_CENTERS = (
    *SEGMENTS,
    "engineering",
    "support",
    "customer_success",
    "finance",
    "sales",
    "marketing",
    "people",
)
# (account code, account name, cost centre) in the order the GL lists them.
GL_ACCOUNTS = (
    ("4000", "Subscription revenue"),
    ("4010", "Usage overage revenue"),
    ("4090", "Discounts and allowances"),
    ("5000", "Hosting"),
    ("5010", "Support staff costs"),
    ("5020", "Customer success staff costs"),
    ("5030", "Third-party software"),
    ("5040", "Payment processing fees"),
    ("6000", "Sales salaries"),
    ("6100", "Marketing programs"),
    ("6200", "Research and development salaries"),
    ("6300", "General and administrative salaries"),
)
COST_CENTER_OF_CATEGORY = np.array([3, 4, 5, 3, 6])  # hosting & software → engineering, fees → finance
MONTHLY_LOADED_COST_CENTS = {
    "sales": 950_000,
    "engineering": 1_250_000,
    "finance": 850_000,
    "people": 800_000,
}
MARKETING_CENTS_PER_NEW_ACCOUNT = 45_000
MARKETING_BASE_CENTS = 2_000_000


def simulate_finance(
    rng: np.random.Generator, window: Window, customers: CustomerData, workforce: WorkforceData
) -> tuple[Columns, Columns]:
    """Cost of revenue (month x category) and GL lines (revenue, cost of revenue, opex) per month."""
    months = window.months
    lines = customers.invoice_lines
    # Sums of integer cents stay exact in float64 far beyond any demo scale (< 2**53).
    key = (lines["month"] * 3 + lines["line_type"]) * 3 + lines["segment"]
    revenue = np.rint(np.bincount(key, weights=lines["amount_cents"], minlength=months * 9)).astype(np.int64)
    revenue = revenue.reshape(months, 3, 3)  # month, line type, segment
    invoiced = revenue.sum(axis=(1, 2))

    hosting_share = np.linspace(HOSTING_SHARE_FIRST, HOSTING_SHARE_LAST, months)
    shares = np.column_stack([hosting_share, np.tile(OTHER_COST_SHARES, (months, 1))])
    noise = 1 + 0.04 * rng.standard_normal((months, len(COST_CATEGORIES)))
    cost = np.rint(invoiced[:, None] * shares * noise).astype(np.int64)
    cost_of_revenue = {
        "month_day": np.repeat(window.month_starts[:-1] // SECONDS_PER_DAY, len(COST_CATEGORIES)),
        "category": np.tile(np.arange(len(COST_CATEGORIES)), months),
        "amount_cents": cost.ravel(),
        "month": np.repeat(np.arange(months), len(COST_CATEGORIES)),
    }

    month_idx = np.arange(months)
    gl_month, gl_account, gl_center, gl_amount = [], [], [], []

    def post(month: np.ndarray, account: int, center: np.ndarray | int, amount: np.ndarray) -> None:
        gl_month.append(month)
        gl_account.append(np.full(len(month), account))
        gl_center.append(np.broadcast_to(center, len(month)).astype(np.int64))
        gl_amount.append(amount.astype(np.int64))

    for line_type in range(3):
        for segment in range(3):
            post(month_idx, line_type, segment, revenue[:, line_type, segment])
    for category in range(len(COST_CATEGORIES)):
        post(month_idx, 3 + category, COST_CENTER_OF_CATEGORY[category], cost[:, category])
    headcount = workforce.headcount_by_team
    jitter = 1 + 0.02 * rng.standard_normal((months, 4))
    post(month_idx, 8, 8, np.rint(headcount[:, 5] * MONTHLY_LOADED_COST_CENTS["sales"] * jitter[:, 0]))
    marketing = MARKETING_BASE_CENTS + customers.new_accounts * MARKETING_CENTS_PER_NEW_ACCOUNT
    post(month_idx, 9, 9, np.rint(marketing * jitter[:, 1]))
    post(month_idx, 10, 3, np.rint(headcount[:, 6] * MONTHLY_LOADED_COST_CENTS["engineering"] * jitter[:, 2]))
    post(month_idx, 11, 7, np.rint(headcount[:, 7] * MONTHLY_LOADED_COST_CENTS["finance"] * jitter[:, 3]))
    post(month_idx, 11, 10, np.rint(headcount[:, 8] * MONTHLY_LOADED_COST_CENTS["people"] * jitter[:, 3]))

    month, account, center, amount = (np.concatenate(p) for p in (gl_month, gl_account, gl_center, gl_amount))
    order = np.lexsort((center, account, month))
    month = month[order]
    gl_lines = {
        "gl_number": np.arange(1, len(order) + 1),
        "posted_day": window.month_starts[month + 1] // SECONDS_PER_DAY - 1,  # month-end close
        "account": account[order],
        "cost_center": center[order],
        "amount_cents": amount[order],
        "month": month,
    }
    return cost_of_revenue, gl_lines
