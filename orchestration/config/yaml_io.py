"""Reading YAML with line numbers and without silent surprises.

PyYAML keeps the last of two equal keys without a word; in a config that is how a duplicated measure
or target disappears. This reader reports duplicate keys, and records the line of every entry so
messages can say where to look.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PathKey = tuple[str | int, ...]


@dataclass
class YamlDocument:
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


class YamlSyntaxError(Exception):
    """A file is not valid YAML; ``line`` is 1-based when PyYAML knows it."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


def _walk(node: yaml.Node, path: PathKey, document: YamlDocument) -> None:
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
            _walk(value_node, (*path, key), document)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            document.lines[(*path, index)] = item.start_mark.line + 1
            _walk(item, (*path, index), document)


def read_yaml(path: Path) -> YamlDocument:
    """Parse one YAML file; raise ``YamlSyntaxError`` (with the line) when it is not valid YAML."""
    text = path.read_text(encoding="utf-8")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(data=None)
        document = YamlDocument(data=None)
        _walk(node, (), document)
        document.data = loader.construct_document(node)
        return document
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or str(error)
        context = f" ({error.context})" if error.context else ""
        raise YamlSyntaxError(f"{problem}{context}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(str(error), None) from None
    finally:
        loader.dispose()
