"""Lint-time stand-ins for dbt's cross-database macros, rendering DuckDB-flavoured SQL text."""


def type_string() -> str:
    return "varchar"


def type_timestamp() -> str:
    return "timestamp"


def type_boolean() -> str:
    return "boolean"


def type_bigint() -> str:
    return "bigint"


def type_numeric() -> str:
    return "numeric(28, 6)"


def type_int() -> str:
    return "integer"


def date_trunc(datepart: str, date: str) -> str:
    return f"date_trunc('{datepart}', {date})"


def dateadd(datepart: str, interval: object, from_date_or_timestamp: str) -> str:
    return f"({from_date_or_timestamp} + cast({interval} as bigint) * interval 1 {datepart})"


def datediff(first_date: str, second_date: str, datepart: str) -> str:
    return f"date_diff('{datepart}', {first_date}, {second_date})"


def concat(fields: list[str]) -> str:
    return " || ".join(fields)


def generate_series(upper_bound: int) -> str:
    return f"select generated_number from range(1, {upper_bound} + 1) as series (generated_number)"


def hash(field: str) -> str:
    return f"md5(cast({field} as varchar))"


def listagg(
    measure: str,
    delimiter_text: str = "','",
    order_by_clause: str | None = None,
    limit_num: int | None = None,
) -> str:
    order = f" {order_by_clause}" if order_by_clause else ""
    return f"string_agg({measure}, {delimiter_text}{order})"
