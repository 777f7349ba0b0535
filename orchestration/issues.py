"""Problems in the files a user edits, and how every validator reports them.

The scorecard config (``scorecard_config/*.yml``), the source registry (``sources.yml``) and the
Great Expectations suites (``expectations/*.json``) are all checked the same way: parse with line
tracking (``orchestration.documents``), validate against typed models, and report each problem as an
``Issue``: the file, the line, the entry, what is wrong and the fix. A loader that cannot go on raises
an ``IssuesError`` carrying every issue it found; the CLI prints it as one message (exit code 2).

Standard library and pydantic's error dictionaries only: every package may import this module.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

PathKey = tuple[str | int, ...]


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem: where it is (file, entry, line), what is wrong and what to do about it.

    ``entry`` is a path into the file that names entries by id where they have one, e.g.
    ``measures[revenue].owner``, ``tables[sales.orders].columns[amount]`` or
    ``expectations[3].kwargs.column``. ``code`` is a stable machine-readable class (``unknown_reference``,
    ``duplicate_key``, ``lint_too_many_measures`` …) for tests and tooling.
    """

    severity: Severity
    file: str
    entry: str
    message: str
    hint: str
    code: str = ""
    line: int | None = None

    @property
    def location(self) -> str:
        """``file:line: entry``, the part of a message that says where to look."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.entry}" if self.entry else where

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.location}: {self.message} Fix: {self.hint}"


class IssuesError(Exception):
    """A file a user edits has errors; ``issues`` holds every one, the message lists them all."""

    def __init__(self, headline: str, issues: Iterable[Issue]):
        self.issues = tuple(issues)
        lines = [headline, *(f"  - {issue}" for issue in self.issues)]
        super().__init__("\n".join(lines))


def error(file: str, entry: str, message: str, hint: str, *, code: str, line: int | None = None) -> Issue:
    """Shorthand for an error-severity ``Issue``."""
    return Issue(Severity.error, file, entry, message, hint, code=code, line=line)


def entry_path(path: PathKey, keyed: frozenset[str] = frozenset()) -> str:
    """``a.b[0].c``: a path as a user reads it; the keys of a mapping named in ``keyed`` (whose keys
    are names, like ``columns``) go in brackets: ``columns[amount]``."""
    parts: list[str] = []
    named_by_key = False
    for key in path:
        if isinstance(key, int) or named_by_key:
            parts.append(f"[{key}]")
            named_by_key = False
        else:
            parts.append(f".{key}" if parts else str(key))
            named_by_key = key in keyed
    return "".join(parts)


def did_you_mean(value: Any, candidates: Iterable[str]) -> str:
    """`` (did you mean `x`?)`` for the closest candidate, or nothing."""
    matches = difflib.get_close_matches(str(value), sorted(set(candidates)), n=1, cutoff=0.6)
    return f" (did you mean `{matches[0]}`?)" if matches else ""


def pydantic_issue(
    error: Mapping[str, Any],
    *,
    hints: Mapping[str, str],
    known_fields: Iterable[str],
    value_error_hint: Callable[[str], str] = lambda _name: "change the entry so its values agree",
    skip: Callable[[Any], bool] = lambda _part: False,
    layout: str = "the README",
    bound_hints: Mapping[str, str] | None = None,
) -> tuple[str, str]:
    """(message, hint) for one pydantic error, in the user's words rather than pydantic's.

    ``hints`` says what to write for a missing field, ``known_fields`` feeds the spelling suggestion
    for an unknown one, ``skip`` drops location parts that are not field names (union tags) and
    ``layout`` names where the file's layout is described; ``bound_hints`` says what to write for a
    number out of its bounds, by field name.
    """
    kind = error["type"]
    loc = error["loc"]
    name = next((str(part) for part in reversed(loc) if isinstance(part, str) and not skip(part)), "")
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"`{name}` is required but missing.", hints.get(name, f"add `{name}:`")
    if kind == "extra_forbidden":
        return (
            f"`{name}` is not a known field here.",
            f"remove it or fix its spelling{did_you_mean(name, known_fields)}",
        )
    if kind in {"enum", "literal_error"}:
        expected = ctx.get("expected", "")
        return f"`{value}` is not allowed for `{name}`.", f"use one of: {expected}"
    if kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
        return message[:1].upper() + message[1:] + ".", value_error_hint(name)
    if kind in {"too_short", "string_too_short"}:
        return f"`{name}` is empty.", hints.get(name, f"give `{name}` a value")
    if kind in {"date_parsing", "date_from_datetime_parsing", "date_type", "date_from_datetime_inexact"}:
        return f"`{value}` is not a date.", "write dates as YYYY-MM-DD, e.g. 2024-07-01"
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"}:
        return f"`{value}` is not a number.", f"write `{name}` as a plain number, e.g. 0.85 or 120"
    if kind in {"bool_parsing", "bool_type"}:
        return f"`{value}` is not true or false.", f"write `{name}: true` or `{name}: false`"
    if kind == "string_type":
        if isinstance(value, date):
            return (
                f"`{value}` is a date, but `{name}` takes a period or text.",
                "write a month as `2024-07`, a fiscal quarter as `FY2025-Q1`, a fiscal year as `FY2025`",
            )
        if name in {"from", "to", "period", "fiscal_year"}:
            return (
                f"`{value}` is not a period.",
                "write a month as `2024-07`, a fiscal quarter as `FY2025-Q1`, a fiscal year as `FY2025`",
            )
        return f"`{name}` must be text, not `{value}`.", f'quote the value: `{name}: "{value}"`'
    if kind == "union_tag_invalid":
        return f"`{ctx.get('tag')}` is not a target kind.", "use `kind: absolute`, `annual` or `relative`"
    if kind == "union_tag_not_found":
        return "the target has no `kind`.", hints.get("kind", "add `kind:`")
    if kind in {"list_type", "dict_type", "model_type", "model_attributes_type"}:
        shape = "a list" if kind == "list_type" else "a mapping of `key: value` entries"
        subject = f"`{name}`" if name else "this entry"
        return f"{subject} must be {shape}.", f"see {layout} for the layout"
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        hint = (bound_hints or {}).get(name, f"change `{name}`")
        return f"`{name}` = {value}: {error['msg'].lower()}.", hint
    return f"`{name}`: {error['msg']}.", f"fix `{name}`"
