"""Hypothesis strategies for damaged landing files: CSV, JSONL and Parquet exports of one fuzz table.

A generated file starts as a list of rows of text values (valid, blank or unreadable per column)
and is then damaged the way exports break in practice: columns dropped, added, renamed or
repeated, a byte order mark, CRLF line endings, embedded newlines and delimiters in quoted fields,
latin-1 or invalid UTF-8 bytes, a cut mid-row or mid-quoted-field. Each file records what was done
to it, so a test knows which outcomes are acceptable: ``must_fail`` (the loader has to refuse it),
``expected_rows`` (how many data rows a successful load must read) and the row markers.

Every row's ``note`` ends with the marker ``<n>`` (its 1-based data-row number), so a test can check
that a loaded or quarantined row's source row number points at the row that was written.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import strategies as st

FUZZ_SOURCES = """
version: 1
systems:
  fuzz:
    tables:
      csv_rows:
        format: csv
        location: fuzz/csv/*.csv
        primary_key: [id]
        columns: &columns
          id: varchar
          amount: decimal(18,2)
          qty: bigint
          ratio: double
          flag: boolean
          day: date
          at: timestamp
          at_tz: timestamptz
          note: varchar
        not_null: [amount]
        rules: &rules
          qty: {min: 0}
          day: {not_in_future: true}
      jsonl_rows:
        format: jsonl
        location: fuzz/jsonl/*.jsonl
        primary_key: [id]
        columns: *columns
        not_null: [amount]
        rules: *rules
      parquet_rows:
        format: parquet
        location: fuzz/parquet/*.parquet
        primary_key: [id]
        columns: *columns
        not_null: [amount]
        rules: *rules
"""

COLUMNS = ("id", "amount", "qty", "ratio", "flag", "day", "at", "at_tz", "note")
TYPED_COLUMNS = ("amount", "qty", "ratio", "flag", "day", "at", "at_tz")
FORMATS = {"csv": "csv_rows", "jsonl": "jsonl_rows", "parquet": "parquet_rows"}

# Damage to a file's columns; where the result disagrees with sources.yml the loader must refuse it.
SCHEMA_DAMAGE = ("drop", "extra", "rename", "repeat")
# Other damage the loader must refuse the file for.
REFUSED = ("columns_differ", "invalid_utf8", "retyped", "empty", "no_objects", "absent_key")
# Changes the loader must take in its stride: names match ignoring case and surrounding spaces.
COSMETIC = ("reorder", "upper", "pad")

OFFSETS = ("", "", "Z", "+00:00", "+02:00", "-05:00", "+05:30", "-09:30", "+14:00", "-12:00")
# Values no declared type can read (for varchar they are just text).
UNREADABLE = {
    "amount": ("n/a", "12;50", "1,5", "--1", "0x1F", "\uff11\uff12", "1e400", "€5", "12.3.4"),
    "qty": ("n/a", "1.5", "3e2", "12 345", "0x10", "99999999999999999999", "-", "seven"),
    "ratio": ("n/a", "1,5", "--1", "1e", "..", "one"),
    "flag": ("maybe", "2", "tru", "oui", "-"),
    "day": ("2024-02-30", "2023-02-29", "2024-13-01", "31/01/2024", "2024-00-10", "tomorrow"),
    "at": (
        "2024-02-30 10:00:00",
        "2024-01-01 25:00:00",
        "2024-01-01T10:61:00",
        "noon",
    ),
    "at_tz": (
        "2024-02-30T10:00:00Z",
        "2024-01-01T24:30:00+02:00",
        "10:00",
        "later",
    ),
}
ID_POOL = ("K1", "K2", "K3", "k1", "#1001", "#1002", "Ω-7", "a,b", 'q"1')
NOTE_SPECIALS = (",", '"', "\n", "\r\n", "#", " ", "é", "ß", "\t", "😀", ";", "'")


@dataclass(frozen=True)
class Cell:
    """One generated value: its text (None = absent), and whether the declared type can read it."""

    text: str | None
    kind: str  # "valid" | "blank" | "unreadable"
    native: object = None  # the typed value, for Parquet


@dataclass
class FuzzFile:
    """A generated landing file and what a correct loader may do with it."""

    format: str
    name: str
    content: bytes
    rows: int
    damage: list[str] = field(default_factory=list)
    # Rows whose marker cannot be checked (a JSON line replaced by a non-object).
    unmarked_rows: set[int] = field(default_factory=set)
    # Columns with no value the declared type can read: the loader may call them retyped.
    unreadable_columns: set[str] = field(default_factory=set)
    # For a cut file: data rows that survive whole, and whether the cut went into the data at all.
    complete_rows: int | None = None

    @property
    def must_fail(self) -> bool:
        """Columns that disagree with sources.yml, or bytes that are not UTF-8, must stop the file."""
        return any(d in REFUSED for d in self.damage)

    @property
    def cut(self) -> bool:
        return self.complete_rows is not None


# -- values --------------------------------------------------------------------------------------------


def _timestamp_text(moment: datetime, offset: str, separator: str) -> str:
    return moment.strftime(f"%Y-%m-%d{separator}%H:%M:%S") + offset


def _offset_delta(offset: str) -> timedelta:
    if offset in ("", "Z"):
        return timedelta(0)
    sign = -1 if offset[0] == "-" else 1
    hours, minutes = offset[1:].split(":")
    return sign * timedelta(hours=int(hours), minutes=int(minutes))


moments = st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2034, 12, 31))


@st.composite
def valid_cell(draw: st.DrawFn, column: str) -> Cell:
    """A value the declared type reads, with its native equivalent for Parquet."""
    if column == "amount":
        value = draw(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
        text = draw(st.sampled_from([str(value), f"{value:f}", f" {value} "]))
        return Cell(text, "valid", Decimal(value))
    if column == "qty":
        value = draw(st.integers(min_value=-50, max_value=10**12))
        text = draw(st.sampled_from([str(value), f"+{value}" if value >= 0 else str(value), f"{value}.0"]))
        return Cell(text, "valid", value)
    if column == "ratio":
        value = draw(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, width=32))
        return Cell(repr(value), "valid", value)
    if column == "flag":
        text = draw(st.sampled_from(["true", "false", "TRUE", "f", "t", "1", "0", "yes", "no"]))
        return Cell(text, "valid", text.lower() in ("true", "t", "1", "yes"))
    if column == "day":
        value = draw(st.dates(min_value=date(1995, 1, 1), max_value=date(2034, 12, 31)))
        return Cell(value.isoformat(), "valid", value)
    if column in ("at", "at_tz"):
        moment = draw(moments)
        offset = draw(st.sampled_from(OFFSETS))
        text = _timestamp_text(moment, offset, draw(st.sampled_from([" ", "T"])))
        instant = (moment - _offset_delta(offset)).replace(tzinfo=UTC)
        return Cell(text, "valid", instant if column == "at_tz" else instant.replace(tzinfo=None))
    raise AssertionError(column)


@st.composite
def cell(draw: st.DrawFn, column: str) -> Cell:
    """Mostly valid, sometimes blank, sometimes unreadable."""
    kind = draw(st.sampled_from(["valid"] * 6 + ["blank", "unreadable"]))
    if kind == "blank":
        return Cell(draw(st.sampled_from([None, "", "  "])), "blank")
    if kind == "unreadable":
        return Cell(draw(st.sampled_from(UNREADABLE[column])), "unreadable")
    return draw(valid_cell(column))


note_text = st.lists(
    st.one_of(
        st.sampled_from(NOTE_SPECIALS),
        st.text(
            st.characters(codec="utf-8", exclude_characters="<>", exclude_categories=("Cs",)), max_size=4
        ),
    ),
    max_size=4,
).map("".join)


@st.composite
def rows(draw: st.DrawFn, min_rows: int = 0) -> list[dict[str, Cell]]:
    """Rows of cells keyed by declared column; ids repeat so primary keys collide within and across files."""
    count = draw(st.integers(min_value=min_rows, max_value=6))
    generated = []
    for number in range(1, count + 1):
        row = {column: draw(cell(column)) for column in TYPED_COLUMNS}
        identifier = draw(st.one_of(st.sampled_from(ID_POOL), st.sampled_from(["", "  "]), st.just(None)))
        row["id"] = Cell(identifier, "valid" if identifier and identifier.strip() else "blank", identifier)
        note = draw(note_text) + f"<{number}>"
        row["note"] = Cell(note, "valid", note)
        generated.append({column: row[column] for column in COLUMNS})
    return generated


def unreadable_columns(table: list[dict[str, Cell]]) -> set[str]:
    return {
        column
        for column in TYPED_COLUMNS
        if any(row[column].kind == "unreadable" for row in table)
        and not any(row[column].kind == "valid" for row in table)
    }


# -- columns -------------------------------------------------------------------------------------------


@st.composite
def header_plan(draw: st.DrawFn) -> tuple[list[tuple[str, str | None]], list[str]]:
    """The file's columns as (name written, declared column it carries or None), and the damage done."""
    plan: list[tuple[str, str | None]] = [(column, column) for column in COLUMNS]
    damage: list[str] = []
    for change in draw(st.lists(st.sampled_from(SCHEMA_DAMAGE + COSMETIC), max_size=2, unique=True)):
        index = draw(st.integers(min_value=0, max_value=len(plan) - 1))
        name, carried = plan[index]
        if change == "drop" and len(plan) > 2:
            del plan[index]
        elif change == "extra":
            plan.insert(index, ("channel", None))
        elif change == "rename":
            plan[index] = (f"{name}_renamed", carried)
        elif change == "repeat":
            plan.insert(index + 1, (name, carried))
        elif change == "reorder":
            plan = draw(st.permutations(plan))
        elif change == "upper":
            plan[index] = (name.upper(), carried)
        elif change == "pad":
            plan[index] = (f" {name} ", carried)
        else:
            continue
        damage.append(change)
    names = [name.strip().lower() for name, _ in plan]
    if sorted(names) != sorted(COLUMNS):
        # Judged on the result: an extra column dropped again leaves the file as declared.
        damage.append("columns_differ")
    return plan, damage


def _written(row: dict[str, Cell], carried: str | None) -> Cell:
    return row[carried] if carried else Cell("web", "valid", "web")


# -- CSV -------------------------------------------------------------------------------------------------


def _csv_field(text: str | None, force_quote: bool) -> str:
    if text is None:
        return ""
    if force_quote or any(c in text for c in ',"\r\n') or text != text.strip():
        return '"' + text.replace('"', '""') + '"'
    return text


@st.composite
def csv_file(draw: st.DrawFn, name: str) -> FuzzFile:
    table = draw(rows())
    plan, damage = draw(header_plan())
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    if newline == "\r\n":
        damage.append("crlf")
    quote_all = draw(st.booleans())
    header = ",".join(_csv_field(written, quote_all) for written, _ in plan)
    lines = [
        ",".join(_csv_field(_written(row, carried).text, quote_all) for _, carried in plan) for row in table
    ]
    final_newline = draw(st.booleans()) or not table
    encoding = draw(st.sampled_from(["utf-8"] * 4 + ["latin-1"]))
    if encoding == "latin-1":
        damage.append("latin1")
    content, row_ends = b"", []
    for index, line in enumerate([header, *lines]):
        ending = newline if index < len(lines) or final_newline else ""
        content += (line + ending).encode(encoding, errors="replace")
        if index:
            row_ends.append(len(content))
    file = FuzzFile("csv", name, content, len(table), damage, unreadable_columns=unreadable_columns(table))
    return _damage_bytes(draw, file, row_ends)


# -- JSONL -----------------------------------------------------------------------------------------------


def _json_value(cell_: Cell, as_native: bool) -> object:
    if not as_native or cell_.kind != "valid" or isinstance(cell_.native, (datetime, date, Decimal)):
        return cell_.text
    return cell_.native


@st.composite
def jsonl_file(draw: st.DrawFn, name: str) -> FuzzFile:
    table = draw(rows())
    plan, damage = draw(header_plan())
    # A dict cannot repeat a key: the repeated column is written as `<name>_2`, an unexpected key.
    plan = [(f"{n}_2" if (n, c) in plan[:i] else n, c) for i, (n, c) in enumerate(plan)]
    as_native = draw(st.booleans())
    ensure_ascii = draw(st.booleans())
    not_objects = draw(st.sets(st.integers(min_value=1, max_value=max(len(table), 1)), max_size=1))
    lines = []
    unmarked = set()
    keys_written: set[str] = set()
    for number, row in enumerate(table, start=1):
        if number in not_objects:
            lines.append(json.dumps([row["id"].text, row["amount"].text], ensure_ascii=ensure_ascii))
            unmarked.add(number)
            continue
        record = {}
        for written, carried in plan:
            value = _written(row, carried)
            if value.text is None and draw(st.booleans()):
                continue  # an absent key, as exporters write a null
            record[written] = _json_value(value, as_native)
            keys_written.add(written)
        lines.append(json.dumps(record, ensure_ascii=ensure_ascii))
    if not_objects & set(range(1, len(table) + 1)):
        damage.append("not_object")
    if not table:
        damage.append("empty")  # a JSONL export with no line is refused like a zero-byte file
    elif len(unmarked) == len(table):
        # No line is an object, so no key is found: the file reads as having lost its columns.
        damage.append("no_objects")
    elif any(written not in keys_written for written, _ in plan):
        # A key left out of every line (all its values null) reads as a dropped column: the loader
        # cannot tell the two apart, and refusing the file is its documented rule.
        damage.append("absent_key")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    if newline == "\r\n":
        damage.append("crlf")
    blank_before = draw(st.sets(st.integers(min_value=0, max_value=max(len(lines) - 1, 0)), max_size=2))
    if blank_before and lines:
        damage.append("blank_lines")
    encoding = "utf-8"
    if draw(st.integers(min_value=0, max_value=4)) == 0 and not ensure_ascii:
        encoding = "latin-1"
        damage.append("latin1")
    content, row_ends = b"", []
    for index, line in enumerate(lines):
        if index in blank_before:
            content += newline.encode()
        content += (line + newline).encode(encoding, errors="replace")
        row_ends.append(len(content))
    file = FuzzFile(
        "jsonl",
        name,
        content,
        len(table),
        damage,
        unmarked,
        unreadable_columns([row for number, row in enumerate(table, start=1) if number not in unmarked]),
    )
    return _damage_bytes(draw, file, row_ends)


# -- Parquet ---------------------------------------------------------------------------------------------

_PARQUET_TYPES = {
    "id": [pa.string()],
    "amount": [pa.decimal128(18, 2), pa.float64(), pa.decimal128(38, 4)],
    "qty": [pa.int64(), pa.int32(), pa.uint64()],
    "ratio": [pa.float64(), pa.float32(), pa.int64()],
    "flag": [pa.bool_()],
    "day": [pa.date32()],
    "at": [pa.timestamp("us"), pa.timestamp("ms"), pa.date32()],
    "at_tz": [
        pa.timestamp("us", tz="UTC"),
        pa.timestamp("us", tz="+05:30"),
        pa.timestamp("s", tz="America/New_York"),
    ],
    "note": [pa.string()],
}
# Values a Parquet column can hold that the declared type cannot: overflows.
_OVERFLOW = {"qty": 2**64 - 1, "amount": 1e30}


def _parquet_value(cell_: Cell, column: str, arrow_type: pa.DataType) -> object:
    if cell_.kind != "valid":
        if cell_.kind == "unreadable" and column in _OVERFLOW:
            if column == "qty" and arrow_type == pa.uint64():
                return _OVERFLOW["qty"]
            if column == "amount" and arrow_type == pa.float64():
                return _OVERFLOW["amount"]
        return None
    value = cell_.native
    if column == "qty" and arrow_type == pa.int32():
        return value if -(2**31) <= value < 2**31 else None
    if column == "qty" and arrow_type == pa.uint64():
        return value if value >= 0 else None
    if column == "amount" and arrow_type == pa.float64():
        return float(value)
    if column == "ratio" and arrow_type == pa.int64():
        return int(value)
    if column == "at" and arrow_type == pa.date32():
        return value.date()
    if column == "at_tz" and arrow_type.unit == "s":
        return value.replace(microsecond=0)
    return value


@st.composite
def parquet_file(draw: st.DrawFn, name: str) -> FuzzFile:
    table = draw(rows())
    plan, damage = draw(header_plan())
    types = {column: draw(st.sampled_from(_PARQUET_TYPES[column])) for column in COLUMNS}
    retyped = draw(st.sampled_from([None, None, None, "qty", "day", "flag", "amount"]))
    arrays, names = [], []
    for written, carried in plan:
        column = carried or "note"
        if retyped == column:
            # Written as text: a retyped column, whatever its values.
            arrays.append(pa.array([row[column].text for row in table], type=pa.string()))
        else:
            arrow_type = types[column]
            arrays.append(
                pa.array(
                    [_parquet_value(_written(row, carried), column, arrow_type) for row in table],
                    type=arrow_type,
                )
            )
        names.append(written)
    if retyped:
        damage.append("retyped")
    sink = io.BytesIO()
    pq.write_table(
        pa.Table.from_arrays(arrays, names=names),
        sink,
        row_group_size=draw(st.sampled_from([2, 1000])),
        compression=draw(st.sampled_from(["snappy", "none", "zstd"])),
    )
    file = FuzzFile("parquet", name, sink.getvalue(), len(table), damage)
    if draw(st.integers(min_value=0, max_value=3)) == 0:
        cut = draw(st.integers(min_value=0, max_value=len(file.content) - 1))
        file.content = file.content[:cut]
        file.damage.append("cut")
        file.complete_rows = 0
    elif draw(st.integers(min_value=0, max_value=5)) == 0:
        position = draw(st.integers(min_value=4, max_value=len(file.content) - 9))
        flipped = bytearray(file.content)
        flipped[position] ^= draw(st.integers(min_value=1, max_value=255))
        file.content = bytes(flipped)
        file.damage.append("byte_flip")
    return file


# -- byte damage shared by the text formats ----------------------------------------------------------------


def _damage_bytes(draw: st.DrawFn, file: FuzzFile, row_ends: list[int]) -> FuzzFile:
    """A byte order mark, an invalid UTF-8 byte inside a note, or a cut mid-row / mid-quoted-field."""
    content = file.content
    bom = draw(st.booleans()) and "latin1" not in file.damage
    notes = [index for index in range(len(content)) if content[index : index + 1] == b"<"]
    choice = draw(st.sampled_from(["none"] * 5 + ["invalid_utf8", "cut", "cut_in_quote"]))
    if choice == "invalid_utf8" and notes:
        at = draw(st.sampled_from(notes))
        content = (
            content[:at]
            + draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xe2\x82"]))
            + content[at:]
        )
        file.damage.append("invalid_utf8")
        file.unmarked_rows = set(range(1, file.rows + 1))
    elif choice.startswith("cut") and row_ends:
        quotes = [
            index for index in range(row_ends[0] and 1, len(content)) if content[index : index + 1] == b'"'
        ]
        if choice == "cut_in_quote" and file.format == "csv" and quotes:
            cut = draw(st.sampled_from(quotes)) + 1
        else:
            cut = draw(st.integers(min_value=1, max_value=len(content) - 1))
        content = content[:cut]
        file.damage.append(choice)
        file.complete_rows = sum(end <= cut for end in row_ends)
    if bom:
        content = b"\xef\xbb\xbf" + content
        file.damage.append("bom")
    file.content = content
    return file


BUILDERS = {"csv": csv_file, "jsonl": jsonl_file, "parquet": parquet_file}


@st.composite
def baseline_file(draw: st.DrawFn, file_format: str) -> FuzzFile:
    """An undamaged export with at least one row: the earlier, good load a failing load must not touch.

    Its values are valid or blank, so no column can look retyped and the load must succeed.
    """
    table = [
        {
            column: value if value.kind != "unreadable" else Cell(None, "blank")
            for column, value in row.items()
        }
        for row in draw(rows(min_rows=1))
    ]
    if file_format == "parquet":
        arrays = [
            pa.array(
                [row[column].native if row[column].kind == "valid" else None for row in table],
                type=_PARQUET_TYPES[column][0],
            )
            for column in COLUMNS
        ]
        sink = io.BytesIO()
        pq.write_table(pa.Table.from_arrays(arrays, names=list(COLUMNS)), sink)
        content = sink.getvalue()
    elif file_format == "jsonl":
        content = "".join(json.dumps({c: row[c].text for c in COLUMNS}) + "\n" for row in table).encode()
    else:
        lines = [
            ",".join(COLUMNS),
            *(",".join(_csv_field(row[c].text, False) for c in COLUMNS) for row in table),
        ]
        content = ("\n".join(lines) + "\n").encode()
    return FuzzFile(file_format, f"base.{file_format}", content, len(table))


@st.composite
def landing_case(draw: st.DrawFn, file_format: str) -> tuple[FuzzFile, list[FuzzFile]]:
    """A good earlier export, then one to three damaged ones (one may overwrite the earlier file)."""
    baseline = draw(baseline_file(file_format))
    count = draw(st.integers(min_value=1, max_value=3))
    later = []
    for index in range(count):
        file = draw(BUILDERS[file_format](f"2020-0{index + 2}-part.{file_format}"))
        later.append(file)
    if draw(st.booleans()):
        later[0].name = baseline.name  # a bad re-export of a file that loaded before
    return baseline, later
