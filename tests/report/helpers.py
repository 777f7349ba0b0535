"""Reading rendered reports back: HTML structure through the standard library's parser, Markdown tables."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

# The crafted marts of conftest.py: corporate months 2025-08 … 2026-09, the cascade from 2026-04.
LATEST_PERIOD = "2026-09"
FIRST_PERIOD = "2025-08"
CASCADE_FIRST_PERIOD = "2026-04"


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: list[str] = field(default_factory=list)


# Elements a browser lays out as blocks (or cells): their boundaries separate words.
_BLOCKS = frozenset(
    {"div", "p", "li", "ul", "ol", "td", "th", "tr", "table", "h1", "h2", "h3", "h4", "header", "footer"}
    | {"section", "article", "dt", "dd", "dl", "figure", "figcaption", "br"}
)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.tags: Counter[str] = Counter()
        self.ids: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.elements.append(Element(tag, values))
        self.tags[tag] += 1
        if "id" in values:
            self.ids.append(values["id"])
        if tag in _BLOCKS:
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.text.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@dataclass(frozen=True)
class ParsedHtml:
    elements: list[Element]
    tags: Counter[str]
    ids: list[str]
    text: str

    def with_class(self, tag: str, css_class: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and css_class in e.attrs.get("class", "").split()]


def parse_html(html: str) -> ParsedHtml:
    """Elements, tag counts, ids and the visible text (whitespace folded) of an HTML document."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    text = " ".join("".join(collector.text).split())
    return ParsedHtml(collector.elements, collector.tags, collector.ids, text)


def section(html: str, section_id: str) -> str:
    """The HTML of ``<section id="...">`` up to its closing tag (sections are not nested)."""
    match = re.search(rf'<section id="{section_id}">(.*?)</section>', html, re.S)
    assert match, f"no section {section_id!r}"
    return match.group(1)


def markdown_section(markdown: str, heading: str) -> str:
    """The text under a ``## heading`` up to the next ``## `` heading."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", markdown, re.S | re.M)
    assert match, f"no section {heading!r}"
    return match.group(1)


def table_cells(line: str) -> list[str]:
    """Cells of a Markdown table row, honouring escaped pipes."""
    inner = line.strip()[1:-1]
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", inner)]


_Y_AXIS = re.compile(r'aria-label="Y-axis[^"]*">(.*?)role-axis-domain', re.S)


def y_axis_labels(svg: str) -> list[list[str]]:
    """The y-axis tick labels of every Vega chart in ``svg`` (a chart or a whole page), one list per chart."""
    return [re.findall(r"<text[^>]*>([^<]*)</text>", axis) for axis in _Y_AXIS.findall(svg)]


def perspective_tiles(html: str) -> dict[str, tuple[str, int]]:
    """Each perspective tile's facts line and the sum of its status counts, by perspective name."""
    tiles = {}
    for tile in re.findall(
        r'<div class="perspective" .*?</div>\s*</div>', section(html, "perspectives"), re.S
    ):
        name = parse_html(re.search(r"<h3>(.*?)</h3>", tile).group(1)).text
        counts = re.search(r'<ul class="counts">(.*?)</ul>', tile, re.S).group(1)
        total = sum(int(number) for number in re.findall(r"</span> (\d+) ", counts))
        facts = parse_html(re.search(r'<div class="facts"[^>]*>(.*?)</div>', tile, re.S).group(1)).text
        tiles[name] = (facts, total)
    return tiles


def measure_cards(html: str) -> dict[str, int]:
    """How many measure cards the page shows under each perspective heading."""
    measures = section(html, "measures")
    return {
        parse_html(name).text: block.count('<article class="measure"')
        for name, block in re.findall(
            r"<h3>(.*?)</h3>\s*<div class=\"measures\">(.*?)</div>\s*(?=<h3>|$)", measures, re.S
        )
    }
