"""Page text of report PDFs through PDFium (pypdfium2), with each line's position and font.

Chosen on measurement (benchmarks/bench_pdf_engines.py): PDFium extracts the same pages about
ten times faster than pypdf, which is what makes reading every page of every report (the
report text in the warehouse) fit in the snapshot's time budget.

PDFium gives text in content order with a line break per printed line but no blank lines, so
paragraph breaks are put back from the geometry: a gap between two lines taller than
`PARAGRAPH_GAP` times the font size is a blank line, as pypdf printed it. The layouts'
regexes were written against pypdf's text and read this text the same way on every report of
the collection (checked by the benchmark, which compares `parse-report` under both engines).

Caps, because a report file is untrusted input: at most `MAX_PAGES` pages of a file are read
(the longest report in the collection has 58) and at most `CPU_SECONDS` of CPU are spent on one file.
Reading past either raises `PageCap`, which the adapter reports as the file's reason.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MAX_PAGES = 150
CPU_SECONDS = 10.0
# A vertical gap between lines over this many font sizes is a paragraph break.
PARAGRAPH_GAP = 1.8
BOLD_WEIGHT = 600


class PageCap(Exception):
    """Reading another page would pass a cap; the message says which."""


class EncryptedPdf(Exception):
    """The PDF needs a password to open."""


@dataclass(frozen=True)
class Line:
    text: str
    top: float  # PDF points from the bottom of the page (larger = higher)
    left: float
    size: float  # font size of the line's first character
    bold: bool


# PDFium marks a hyphen that ends a printed line with U+FFFE and joins the two lines; Symbol
# font bullets come through as private-use characters.
_CHAR_FIXES = str.maketrans({"\ufffe": "-", "\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "•",
                             "\uf0fc": "•", "\uf076": "•", "\uf0a8": "•", "\x02": "-"})
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _clean_line(text: str) -> str:
    return _PRIVATE_USE.sub("•", text.translate(_CHAR_FIXES)).rstrip()


class PdfPages:
    """A report's pages, read on demand (text extraction is what costs time).

    `text(i)` is page i's text with paragraph breaks as blank lines; `lines(i)` the lines
    with their geometry. Raises `EncryptedPdf` for a password-protected file and
    `pdfium.PdfiumError` for one PDFium cannot open.
    """

    def __init__(self, path: Path, *, max_pages: int = MAX_PAGES,
                 cpu_seconds: float = CPU_SECONDS):
        try:
            self._doc = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
                raise EncryptedPdf("encrypted: the PDF needs a password to open") from None
            raise
        self.count = len(self._doc)
        self.max_pages = max_pages
        self.cpu_seconds = cpu_seconds
        self._started = time.process_time()
        self._lines: dict[int, list[Line]] = {}
        self._texts: dict[int, str] = {}
        self._heights: dict[int, float] = {}

    def close(self) -> None:
        self._doc.close()

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def read(self) -> int:
        return len(self._lines)

    def cpu_used(self) -> float:
        return time.process_time() - self._started

    def check_cap(self, index: int) -> None:
        """PageCap if reading page `index` now would pass a cap."""
        if index not in self._lines:
            if len(self._lines) >= self.max_pages:
                raise PageCap(f"page cap: read {self.max_pages} pages of {self.count}")
            if self.cpu_used() > self.cpu_seconds:
                raise PageCap(f"time cap: {self.cpu_seconds:g} s of CPU spent after "
                              f"{len(self._lines)} of {self.count} pages")

    def height(self, index: int) -> float:
        self.lines(index)
        return self._heights[index]

    def lines(self, index: int) -> list[Line]:
        if index not in self._lines:
            self.check_cap(index)
            self._lines[index], self._heights[index] = _read_lines(self._doc, index)
        return self._lines[index]

    def text(self, index: int) -> str:
        if index not in self._texts:
            self._texts[index] = lines_text(self.lines(index))
        return self._texts[index]


def lines_text(lines: list[Line]) -> str:
    """Lines joined with a blank line wherever the gap above a line is a paragraph break."""
    out: list[str] = []
    prev: Line | None = None
    for line in lines:
        if prev is not None and prev.top - line.top > PARAGRAPH_GAP * max(prev.size, line.size, 1.0):
            out.append("")
        out.append(line.text)
        prev = line
    return "\n".join(out)


def _read_lines(doc: pdfium.PdfDocument, index: int) -> tuple[list[Line], float]:
    page = doc[index]
    try:
        height = page.get_height()
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
            raw = textpage.raw
            n_chars = pdfium_c.FPDFText_CountChars(raw)
            # the string's indices are PDFium's character indices unless it holds characters
            # outside the BMP (never met in a report); then lines carry no geometry
            aligned = len(text) == n_chars
            # the loose box spans the font's ascent and descent whatever the glyph, so lines'
            # tops are comparable ("Requires" and "improvement" start at the same height)
            box = pdfium_c.FS_RECTF()
            lines: list[Line] = []
            pos = 0
            for piece in text.split("\r\n"):
                start = pos
                pos += len(piece) + 2
                stripped = piece.strip()
                if not stripped:
                    continue
                first = start + (len(piece) - len(piece.lstrip()))
                if aligned:
                    pdfium_c.FPDFText_GetLooseCharBox(raw, first, box)
                    size = pdfium_c.FPDFText_GetFontSize(raw, first)
                    weight = pdfium_c.FPDFText_GetFontWeight(raw, first)
                    lines.append(Line(_clean_line(piece), round(box.top, 1), round(box.left, 1),
                                      round(size, 1), weight >= BOLD_WEIGHT))
                else:
                    lines.append(Line(_clean_line(piece), 0.0, 0.0, 0.0, False))
        finally:
            textpage.close()
    finally:
        page.close()
    return lines, height
