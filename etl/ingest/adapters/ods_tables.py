"""Read named tables of an ODS spreadsheet fast, without parsing the whole document.

pandas + odfpy builds a DOM of the whole `content.xml` (40 MB for Ofsted's 2023 "Children's
social care in England" underlying data, most of it provider sheets): ~30 s and hundreds of MB.
An ODS `content.xml` lists its tables one after another, so each wanted table is cut out of the
XML by its `<table:table table:name="…">` element and only that slice is parsed
(`benchmarks/bench_ods.py`: about 1.5 s for the three LA sheets of that file). The document is
streamed to find the slices (`ods_stream.OdsDocument`), never held whole: reading the whole
40 MB `content.xml` to keep 1 MB of it was 80 MB of the snapshot's side process (issue 14).

Cells come back as Python values: text (`str`, paragraphs joined by a newline), dates
(`datetime.date`, or `datetime.datetime` when the cell has a time), numbers (`float`), or
`None` for an empty cell. Row and column indices are the spreadsheet's (row n is `rows[n - 1]`),
so an error can name the row a person sees.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from etl.ingest.adapters import ods_stream

Cell = str | float | dt.date | None

_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}
_T = "{" + _NS["table"] + "}"
_X = "{" + _NS["text"] + "}"
_O = "{" + _NS["office"] + "}"
# Runs of empty rows or cells longer than this are the sheet's unused tail (ODS writers
# repeat an empty row up to row 1,048,576): they are not materialised.
_TAIL = 1000


# One error type for both readers of ODS files: an adapter catches the same thing whichever it
# uses.
OdsError = ods_stream.OdsError


@dataclass
class Table:
    name: str
    rows: list[list[Cell]]

    def row(self, n: int) -> list[Cell]:
        """Row n (1-based, as the spreadsheet numbers it); [] past the end."""
        return self.rows[n - 1] if 0 < n <= len(self.rows) else []


class TableFile:
    """The sheets of one ODS file: their names found by one streamed pass, any of them read."""

    def __init__(self, path: Path):
        self._doc = ods_stream.OdsDocument(Path(path))

    @property
    def sheet_names(self) -> list[str]:
        """The names of the document's sheets, in order."""
        return self._doc.sheet_names

    def tables(self, names: set[str] | frozenset[str]) -> dict[str, Table]:
        """The tables whose names are in `names` (absent names are simply missing from the
        result: the caller decides whether that is an error)."""
        out: dict[str, Table] = {}
        for name in self._doc.sheet_names:
            if name not in names:
                continue
            try:
                root = ET.fromstring(self._doc.sheet_xml(name))
            except ET.ParseError as exc:
                raise OdsError(f"sheet {name}: broken XML: {exc}") from None
            table = root.find(f"{_T}table")
            out[name] = Table(name, _rows(table) if table is not None else [])
        return out


def sheet_names(path: Path) -> list[str]:
    """The names of the document's sheets, in order."""
    return TableFile(path).sheet_names


def _walk(e: ET.Element, parts: list[str]) -> None:
    """The text of a paragraph element: runs, <text:s c="n"/> spaces, tabs and line breaks."""
    if e.text:
        parts.append(e.text)
    for child in e:
        if child.tag == f"{_X}s":
            parts.append(" " * int(child.get(f"{_X}c", "1")))
        elif child.tag == f"{_X}tab":
            parts.append("\t")
        elif child.tag == f"{_X}line-break":
            parts.append("\n")
        else:
            _walk(child, parts)
        if child.tail:
            parts.append(child.tail)


def _text(cell: ET.Element) -> str:
    paragraphs = []
    for p in cell.iter(f"{_X}p"):
        parts: list[str] = []
        _walk(p, parts)
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _value(cell: ET.Element) -> Cell:
    kind = cell.get(f"{_O}value-type")
    if kind == "date":
        raw = cell.get(f"{_O}date-value", "")
        try:
            stamp = dt.datetime.fromisoformat(raw)
        except ValueError:
            return _text(cell) or raw
        return stamp.date() if stamp.time() == dt.time() else stamp
    if kind in ("float", "percentage", "currency"):
        try:
            return float(cell.get(f"{_O}value", ""))
        except ValueError:
            return _text(cell) or None
    text = _text(cell)
    return text if text != "" else None


def _rows(table: ET.Element) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    pending_empty = 0
    for row in table.iter(f"{_T}table-row"):
        repeat = int(row.get(f"{_T}number-rows-repeated", "1"))
        values: list[Cell] = []
        blanks = 0
        for cell in row:
            if cell.tag not in (f"{_T}table-cell", f"{_T}covered-table-cell"):
                continue
            n = int(cell.get(f"{_T}number-columns-repeated", "1"))
            v = _value(cell)
            if v is None:
                blanks += n
                continue
            if blanks:
                values.extend([None] * blanks)
                blanks = 0
            values.extend([v] * min(n, _TAIL))
        if not values:
            pending_empty += repeat
            continue
        # empty rows between filled ones keep their place; a long empty tail is dropped
        rows.extend([] for _ in range(pending_empty))
        pending_empty = 0
        rows.extend(list(values) for _ in range(min(repeat, _TAIL)))
    return rows


def read_tables(path: Path, names: set[str] | frozenset[str]) -> dict[str, Table]:
    """The tables of `path` whose names are in `names` (absent names are simply missing from
    the result: the caller decides whether that is an error)."""
    return TableFile(path).tables(names)
