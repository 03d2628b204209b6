"""Read chosen sheets of a large ODS spreadsheet fast, without loading the whole document.

pandas + odfpy builds a DOM of every sheet: for Ofsted's "Children's social care in England"
underlying data (a 40 MB content.xml) that is ~30 s and ~1 GB. Here content.xml is streamed
from the zip a megabyte at a time: one pass finds each sheet's byte range by its
`<table:table ... table:name="...">` tag; reading a sheet streams again and parses only its
range, incrementally (XMLPullParser), each row's elements freed as soon as its cells are read.
Neither the document nor a sheet is ever held whole (measured, benchmarks/bench_local_area.py:
the provider adapter reads its five sheets of that file in ~2.5 s CPU and ~50 MB, where
pandas + odfpy takes ~25 s CPU and ~930 MB).

Cells come back as Python values: float for numbers and percentages, `datetime.date` for dates,
bool, or text (paragraphs joined by newlines, `<text:s>` spaces kept). Repeated cells and rows
(`number-columns-repeated`, `number-rows-repeated`) are expanded, except trailing empty ones,
which spreadsheets repeat to the sheet's edge.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_T = f"{{{TABLE_NS}}}"
_O = f"{{{OFFICE_NS}}}"
_X = f"{{{TEXT_NS}}}"
_ROW = _T + "table-row"
_CELLS = (_T + "table-cell", _T + "covered-table-cell")
# Identical non-empty rows repeated more than this are a damaged file, not data.
MAX_REPEAT = 100_000
_CHUNK = 1 << 20

Cell = float | str | bool | dt.date | None


class OdsError(ValueError):
    """The file is not an ODS spreadsheet we can read; the message says why."""


class OdsDocument:
    """The sheets of one ODS file, found by one streamed pass over its content.xml."""

    def __init__(self, path: Path):
        self._path = Path(path)
        self._open = b""
        # sheet name -> (start, end) byte offsets in the decompressed content.xml
        self._ranges: dict[str, tuple[int, int]] = {}
        self._scan()

    def _chunks(self) -> Iterator[bytes]:
        """content.xml decompressed, a chunk at a time (never the whole 40 MB at once)."""
        try:
            with zipfile.ZipFile(self._path) as z, z.open("content.xml") as f:
                while chunk := f.read(_CHUNK):
                    yield chunk
        except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
            raise OdsError(f"not a readable ODS spreadsheet: {type(exc).__name__}: {exc}") from None

    def _scan(self) -> None:
        buf, base, pos = b"", 0, 0  # buf holds content.xml from offset `base`; pos: scanned to
        open_sheet: tuple[str, int] | None = None
        for chunk in self._chunks():
            buf += chunk
            if not self._open:
                root = re.search(rb"<office:document-content\b[^>]*>", buf)
                if root is None and len(buf) < 1 << 16:
                    continue
                if root is None:
                    raise OdsError("content.xml has no office:document-content element")
                # each sheet's bytes are parsed inside a wrapper with the root's namespaces
                decls = b" ".join(re.findall(rb'xmlns:[\w.-]+="[^"]*"', root.group(0)))
                self._open = b"<wrapper " + decls + b">"
            while True:
                rel = pos - base
                starts, ends = buf.find(b"<table:table ", rel), buf.find(b"</table:table>", rel)
                if starts < 0 and ends < 0:
                    pos = base + max(rel, len(buf) - 16)  # a tag may straddle the next chunk
                    break
                if starts >= 0 and (ends < 0 or starts < ends):
                    close = buf.find(b">", starts)
                    if close < 0:
                        pos = base + starts
                        break
                    m = re.search(rb'\btable:name="([^"]*)"', buf[starts:close])
                    name = self._name(m.group(1)) if m else f"(sheet {len(self._ranges) + 1})"
                    if open_sheet is not None:
                        raise OdsError(f"sheet {open_sheet[0]!r}: a table inside it (nested "
                                       "tables are not read)")
                    open_sheet = (name, base + starts)
                    pos = base + close + 1
                else:
                    if open_sheet is None:
                        raise OdsError("content.xml: a table ends that never started")
                    pos = base + ends + len(b"</table:table>")
                    self._ranges[open_sheet[0]] = (open_sheet[1], pos)
                    open_sheet = None
            buf, base = buf[pos - base:], pos
        if not self._open:
            raise OdsError("content.xml has no office:document-content element")
        if open_sheet is not None:
            raise OdsError(f"sheet {open_sheet[0]!r} has no end (truncated file?)")

    @staticmethod
    def _name(raw: bytes) -> str:
        text = raw.decode("utf-8")
        return (text.replace("&amp;", "&").replace("&apos;", "'").replace("&quot;", '"')
                .replace("&lt;", "<").replace("&gt;", ">"))

    @property
    def sheet_names(self) -> list[str]:
        return list(self._ranges)

    def _sheet_bytes(self, start: int, end: int) -> Iterator[bytes]:
        offset = 0
        for chunk in self._chunks():
            lo, hi = max(start - offset, 0), min(end - offset, len(chunk))
            if lo < hi:
                yield chunk[lo:hi]
            offset += len(chunk)
            if offset >= end:
                return

    def sheet_xml(self, sheet: str) -> bytes:
        """One sheet's `<table:table>` element alone, as a document of its own (inside a
        wrapper declaring the file's namespaces): what to parse when the sheet is wanted whole."""
        if sheet not in self._ranges:
            raise KeyError(sheet)
        return b"".join([self._open, *self._sheet_bytes(*self._ranges[sheet]), b"</wrapper>"])

    def rows(self, sheet: str) -> Iterator[tuple[int, list[Cell]]]:
        """(1-based row number, cell values) for every row of `sheet` up to its last non-empty
        row; empty rows come back as []."""
        if sheet not in self._ranges:
            raise KeyError(sheet)
        parser = ET.XMLPullParser(events=("end",))
        parser.feed(self._open)
        row_no = 0
        pending_empty = 0
        for piece in self._sheet_bytes(*self._ranges[sheet]):
            parser.feed(piece)
            for _, el in parser.read_events():
                if el.tag != _ROW:
                    continue
                values = _row_values(el)
                repeat = int(el.get(_T + "number-rows-repeated", "1"))
                el.clear()
                if not values:
                    pending_empty += repeat
                    continue
                for _ in range(pending_empty):
                    row_no += 1
                    yield row_no, []
                pending_empty = 0
                if repeat > MAX_REPEAT:
                    raise OdsError(f"sheet {sheet!r} row {row_no + 1}: repeated {repeat} times")
                for _ in range(repeat):
                    row_no += 1
                    yield row_no, list(values)
        parser.feed(b"</wrapper>")
        parser.close()


def _text(el: ET.Element) -> str:
    """A text:p's words with <text:s c="n"/> spaces, tabs and line breaks kept."""
    out = [el.text or ""]
    for child in el:
        if child.tag == _X + "s":
            out.append(" " * int(child.get(_X + "c", "1")))
        elif child.tag == _X + "tab":
            out.append("\t")
        elif child.tag == _X + "line-break":
            out.append("\n")
        else:
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _value(cell: ET.Element) -> Cell:
    kind = cell.get(_O + "value-type")
    if kind in ("float", "percentage", "currency"):
        return float(cell.get(_O + "value", "nan"))
    if kind == "date":
        return dt.date.fromisoformat(cell.get(_O + "date-value", "")[:10])
    if kind == "boolean":
        return cell.get(_O + "boolean-value") == "true"
    paragraphs = [_text(p) for p in cell.iter(_X + "p")]
    text = "\n".join(paragraphs)
    return text if text.strip() else None


def _row_values(row: ET.Element) -> list[Cell]:
    values: list[Cell] = []
    pending_empty = 0
    for cell in row:
        if cell.tag not in _CELLS:
            continue
        repeat = int(cell.get(_T + "number-columns-repeated", "1"))
        value = _value(cell)
        if value is None:
            pending_empty += repeat
            continue
        values.extend([None] * pending_empty)
        pending_empty = 0
        values.extend([value] * min(repeat, MAX_REPEAT))
    return values


def read_sheets(path: Path, sheets: Iterable[str]) -> dict[str, list[tuple[int, list[Cell]]]]:
    """Rows of each named sheet (KeyError for a sheet the file lacks)."""
    doc = OdsDocument(path)
    return {s: list(doc.rows(s)) for s in sheets}
