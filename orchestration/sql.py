"""SQL text built from names and values that come from config, file names or the warehouse.

Every identifier (a table or column named in ``sources.yml``, a suite, the dbt manifest) and every
string literal (a file path, a delimiter, a message fragment) that the orchestration writes into SQL
goes through this module; values go as query parameters wherever DuckDB accepts one (not in DDL,
``ATTACH``, ``COPY … TO`` or ``read_csv`` options, which is where these functions are needed).

Both quote by doubling, DuckDB's (and standard SQL's) only escape inside quotes: a name or value
holding quotes, semicolons, ``--``, newlines or any unicode stays one identifier or one literal.
A NUL character cannot be represented in DuckDB text and is refused with ``ValueError``.
"""

from __future__ import annotations


def _checked(text: str, what: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"a SQL {what} must be text, got {type(text).__name__}: {text!r}")
    if "\x00" in text:
        raise ValueError(f"a SQL {what} cannot contain a NUL character: {text!r}")
    return text


def identifier(name: str) -> str:
    """``name`` as one quoted identifier: ``a"b`` → ``"a""b"``."""
    return '"' + _checked(name, "identifier").replace('"', '""') + '"'


def qualified(*parts: str) -> str:
    """A dotted name of quoted parts: ``qualified('raw', 'invoices')`` → ``"raw"."invoices"``."""
    if not parts:
        raise ValueError("a qualified SQL name needs at least one part")
    return ".".join(identifier(part) for part in parts)


def literal(value: str) -> str:
    """``value`` as one string literal: ``it's`` → ``'it''s'``."""
    return "'" + _checked(value, "string literal").replace("'", "''") + "'"
