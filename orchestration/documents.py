"""Reading the files a user edits, YAML or JSON, with line numbers and without silent surprises.

PyYAML and ``json`` both keep the last of two equal keys without a word; in a config that is how a
duplicated measure, a table declared twice or a repeated ``kwargs`` disappears. These readers record
every duplicate key (with both lines) and the 1-based line of every entry, so each ``Issue`` can say
where to look. ``read_document`` turns what went wrong while reading into ``Issue``s, the same for every
file kind.

JSON is read by ``json`` itself (YAML 1.1 would read ``1e5`` as text) and its lines are found by a scan
of the same text.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from json.decoder import scanstring
from pathlib import Path
from typing import Any, Literal

import yaml

from orchestration.issues import Issue, PathKey, Severity, entry_path, error

Format = Literal["yaml", "json"]
_SYNTAX_HINTS: dict[str, str] = {
    "yaml": "fix the YAML syntax at that line (indentation, a missing `:` or an unclosed quote)",
    "json": "fix the JSON syntax at that line (a missing comma or quote, a trailing comma, an unclosed "
    "bracket)",
}


@dataclass
class Document:
    """The parsed data of one file and the 1-based line of each entry path in it."""

    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[PathKey, int, int]] = field(default_factory=list)

    def line_of(self, path: PathKey) -> int | None:
        """Line of the deepest existing prefix of ``path`` (a missing field points at its parent)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


class DocumentSyntaxError(Exception):
    """A file does not parse; ``line`` is 1-based when the parser knows it."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


def _walk_yaml(node: yaml.Node, path: PathKey, document: Document) -> None:
    document.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                document.duplicate_keys.append(((*path, key), seen[key], line))
                continue
            seen[key] = line
            document.lines[(*path, key)] = line
            _walk_yaml(value_node, (*path, key), document)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            document.lines[(*path, index)] = item.start_mark.line + 1
            _walk_yaml(item, (*path, index), document)


def read_yaml(path: Path) -> Document:
    """Parse one YAML file; raise ``DocumentSyntaxError`` (with the line) when it is not valid YAML."""
    text = path.read_text(encoding="utf-8")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(data=None)
        document = Document(data=None)
        _walk_yaml(node, (), document)
        document.data = loader.construct_document(node)
        return document
    except yaml.MarkedYAMLError as problem:
        mark = problem.problem_mark or problem.context_mark
        said = problem.problem or str(problem)
        context = f" ({problem.context})" if problem.context else ""
        raise DocumentSyntaxError(f"{said}{context}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as problem:
        raise DocumentSyntaxError(str(problem), None) from None
    finally:
        loader.dispose()


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity")


class _JsonLines:
    """Finds the line of every entry of a JSON text ``json`` has already accepted."""

    def __init__(self, text: str, document: Document):
        self.text = text
        self.document = document
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def line(self, position: int) -> int:
        return bisect.bisect_right(self.line_starts, position)

    def skip(self, position: int) -> int:
        return _JSON_SPACE.match(self.text, position).end()  # type: ignore[union-attr]

    def value(self, position: int, path: PathKey, record: bool) -> int:
        """Scan the value at ``position``; return the position after it."""
        position = self.skip(position)
        if record:
            self.document.lines.setdefault(path, self.line(position))
        char = self.text[position]
        if char == "{":
            return self.members(position + 1, path, record)
        if char == "[":
            return self.items(position + 1, path, record)
        if char == '"':
            return scanstring(self.text, position + 1)[1]
        return _JSON_SCALAR.match(self.text, position).end()  # type: ignore[union-attr]

    def members(self, position: int, path: PathKey, record: bool) -> int:
        seen: dict[str, int] = {}
        position = self.skip(position)
        if self.text[position] == "}":
            return position + 1
        while True:
            position = self.skip(position)
            key, after_key = scanstring(self.text, position + 1)
            line = self.line(position)
            first = key not in seen
            if record and first:
                self.document.lines[(*path, key)] = line
            elif record:
                self.document.duplicate_keys.append(((*path, key), seen[key], line))
            seen.setdefault(key, line)
            position = self.skip(after_key) + 1  # past the ':'
            position = self.skip(self.value(position, (*path, key), record and first))
            if self.text[position] == "}":
                return position + 1
            position += 1  # past the ','

    def items(self, position: int, path: PathKey, record: bool) -> int:
        position = self.skip(position)
        if self.text[position] == "]":
            return position + 1
        index = 0
        while True:
            position = self.skip(self.value(position, (*path, index), record))
            if self.text[position] == "]":
                return position + 1
            position += 1
            index += 1


def read_json(path: Path) -> Document:
    """Parse one JSON file; raise ``DocumentSyntaxError`` (with the line) when it is not valid JSON."""
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as problem:
        raise DocumentSyntaxError(f"{problem.msg} (column {problem.colno})", problem.lineno) from None
    document = Document(data=data)
    _JsonLines(text, document).value(0, (), record=True)
    return document


def read_document(
    path: Path,
    file: str,
    *,
    entry: Callable[[Any, PathKey], str] = lambda _data, key: entry_path(key),
) -> tuple[Document | None, list[Issue]]:
    """Read ``path`` (YAML, or JSON for ``.json``) and report, as ``Issue``s of ``file``, what keeps it
    from being used: a syntax error, an unreadable file, and every key given twice in one mapping.

    The document is None only when it could not be parsed. ``entry`` names a duplicate key's entry
    (the config names list items by id). A missing file raises ``FileNotFoundError``: each caller
    says in its own words what the missing file means.
    """
    kind: Format = "json" if path.suffix == ".json" else "yaml"
    name = kind.upper()
    try:
        document = read_json(path) if kind == "json" else read_yaml(path)
    except DocumentSyntaxError as problem:
        said = problem.message.rstrip(".")
        return None, [
            error(
                file,
                "",
                f"not valid {name}: {said}.",
                _SYNTAX_HINTS[kind],
                code=f"{kind}_syntax",
                line=problem.line,
            )
        ]
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError) as problem:
        return None, [
            error(file, "", f"cannot be read: {problem}.", "make it a readable UTF-8 text file", code="io")
        ]
    issues = [
        error(
            file,
            entry(document.data, key),
            f"the key `{key[-1]}` appears twice in the same mapping (lines {first} and {second}); "
            f"{name} would silently keep only the last.",
            "remove one of them or give it a different name",
            code="duplicate_key",
            line=second,
        )
        for key, first, second in document.duplicate_keys
    ]
    return document, issues


def issue_at(
    document: Document | None,
    file: str,
    path: PathKey,
    message: str,
    hint: str,
    *,
    code: str,
    entry: str,
    severity: Severity = Severity.error,
) -> Issue:
    """An ``Issue`` about the entry at ``path`` of ``document``, on the line that entry starts."""
    line = document.line_of(path) if document else None
    return Issue(severity, file, entry, message, hint, code=code, line=line)
