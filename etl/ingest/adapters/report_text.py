"""A report's text for the warehouse: sections by page, and the list of what must improve.

Pure functions over the lines `pdf_pages.PdfPages` reads (text, position, font size, bold), so
they can be tested on hand-made lines as well as on the real reports:

- `body_lines`: every page's lines without the page furniture: running headers and footers
  (a line in the top or bottom tenth of the page whose words, digits aside, recur there on
  other pages: "Inspection of Brent local authority children's services", "27 April to 1 May
  2026 2") and bare page numbers. Footnotes (small type at the foot of a page) are kept but
  flagged, so that an improvement point split by a page break does not swallow them.
- `sections`: the text between headings (a heading is a short run of bold lines in type at
  least as large as the page's body text), cut at page breaks so that every row points to the
  page it is printed on. Rows: (seq, section_no, heading, page, text).
- `improvement_points`: the report's list of what must improve, in order, with its part:
  SIF "What does the local authority need to improve?" (`priority_action`,
  `area_for_improvement`; reports from 2015 head the same list "Recommendations"), the LSCB
  review's own list (`lscb_priority_action`, `lscb`), ILACS "What needs to improve"
  (`what_needs_to_improve`), the 2013 looked-after-children inspections' groupings
  (`immediately`, `within_three_months`, `within_six_months`). A point runs from its bullet or
  number to the next one; lines indented under it (its own continuation, on the next page
  too) are joined. Reports since 2025 end a point with a national framework tag ("(Outcome 2,
  national framework)", "(National Framework enabler two)"): it is moved to
  `national_framework_outcome`, normalised ("Outcome 2", "Enabler 2").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from etl.ingest.adapters.pdf_pages import PARAGRAPH_GAP, Line

# Bands at the top and bottom of a page where running headers and footers sit.
FURNITURE_BAND = 0.1
# A header/footer recurs on at least this share of the report's pages (and on two or more).
FURNITURE_SHARE = 0.3
# A heading is at most this many bold lines and characters.
HEADING_MAX_LINES = 4
HEADING_MAX_CHARS = 220


@dataclass(frozen=True)
class BodyLine:
    page: int  # 1-based
    text: str
    top: float
    left: float
    size: float
    bold: bool
    gap_before: bool  # a paragraph break (or a page break) before this line
    footnote: bool = False


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


def body_lines(pages: list[list[Line]], heights: list[float]) -> list[BodyLine]:
    """Every page's lines in order, running headers, footers and page numbers removed."""
    n = len(pages)
    band_counts: Counter[tuple[str, str]] = Counter()
    for lines, h in zip(pages, heights, strict=True):
        seen = set()
        for line in lines:
            band = _band(line, h)
            if band:
                seen.add((band, _furniture_key(line.text)))
        band_counts.update(seen)
    recurring = {k for k, c in band_counts.items()
                 if c >= 2 and c >= FURNITURE_SHARE * n and k[1].strip("# ")}
    out: list[BodyLine] = []
    for page_no, (lines, h) in enumerate(zip(pages, heights, strict=True), start=1):
        # reading order: PDFium gives content order, and a heading may be drawn last (Redbridge
        # 2016 draws "Recommendations", at the top of page 37, after the page's text)
        ordered = sorted(lines, key=lambda ln: -ln.top) if all(ln.top for ln in lines) else lines
        kept = [ln for ln in ordered if not _is_furniture(ln, h, recurring)]
        body_size = _body_size(kept)
        foot = _footnote_start(kept, h, body_size)
        prev: Line | None = None
        for i, ln in enumerate(kept):
            gap = prev is None or (prev.top - ln.top > PARAGRAPH_GAP * max(prev.size, ln.size, 1.0))
            out.append(BodyLine(page_no, ln.text, ln.top, ln.left, ln.size, ln.bold, gap,
                                footnote=i >= foot))
            prev = ln
    return out


def _band(line: Line, height: float) -> str | None:
    if height <= 0:
        return None
    if line.top >= height * (1 - FURNITURE_BAND):
        return "top"
    if line.top <= height * FURNITURE_BAND + line.size:
        return "bottom"
    return None


def _is_furniture(line: Line, height: float, recurring: set[tuple[str, str]]) -> bool:
    band = _band(line, height)
    if band is None:
        return False
    if re.fullmatch(r"(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?", line.text.strip(), re.I):
        return True
    return (band, _furniture_key(line.text)) in recurring


def _body_size(lines: list[Line]) -> float:
    sizes = Counter(round(ln.size) for ln in lines if ln.size > 0)
    return float(sizes.most_common(1)[0][0]) if sizes else 0.0


def _footnote_start(lines: list[Line], height: float, body_size: float) -> int:
    """Index of the first line of the footnotes block at the foot of the page (len if none):
    the lowest lines, in smaller type than the body, starting with a footnote number."""
    if not lines or body_size <= 0:
        return len(lines)
    i = len(lines)
    while i > 0 and lines[i - 1].size < body_size - 1 and lines[i - 1].top < height * 0.35:
        i -= 1
    block = lines[i:]
    if block and re.match(r"\d{1,2}\s", block[0].text):
        return i
    return len(lines)


# ---------------------------------------------------------------------------- sections


# Headings of the lists of what must improve, known by their words: some reports set them in a
# font PDFium does not report as bold (Warwickshire 2017's "Recommendations").
_LIST_HEADING = re.compile(
    r"(What does the (local authority|LSCB|Local Safeguarding Children Board) need to improve\??|"
    r"What needs? to improve.{0,40}|Recommendations:?|Areas? for improvement:?|"
    r"Priority and immediate action|Immediately:?|Within (three|six) months:?)\s*\d?", re.I)


def _is_heading_line(line: BodyLine, body_size: float) -> bool:
    if line.footnote or line.size < body_size - 0.5:
        return False
    text = line.text.strip()
    if not line.bold:
        return bool(_LIST_HEADING.fullmatch(text))
    return len(text) <= 120 and not re.fullmatch(r"[\W\d]*", text)


def _page_body_sizes(lines: list[BodyLine]) -> dict[int, float]:
    by_page: dict[int, Counter[int]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, Counter())[round(ln.size)] += 1
    return {p: float(c.most_common(1)[0][0]) for p, c in by_page.items()}


def _headings(lines: list[BodyLine]) -> dict[int, tuple[int, str]]:
    """{index of a heading's first line: (number of lines, heading text)}."""
    sizes = _page_body_sizes(lines)
    out: dict[int, tuple[int, str]] = {}
    i = 0
    while i < len(lines):
        if not _is_heading_line(lines[i], sizes[lines[i].page]):
            i += 1
            continue
        j = i + 1
        while (j < len(lines) and j - i < HEADING_MAX_LINES and lines[j].page == lines[i].page
               and not lines[j].gap_before and lines[j].size == lines[i].size
               and _is_heading_line(lines[j], sizes[lines[j].page])):
            j += 1
        text = " ".join(ln.text.strip() for ln in lines[i:j])
        if len(text) <= HEADING_MAX_CHARS:
            out[i] = (j - i, text)
        i = j
    return out


def paragraphs_text(lines: list[BodyLine]) -> str:
    """Lines joined into paragraphs (a blank line between paragraphs)."""
    paras: list[list[str]] = []
    for ln in lines:
        if ln.gap_before or not paras:
            paras.append([])
        paras[-1].append(ln.text.strip())
    return "\n\n".join(" ".join(p) for p in paras if p)


def sections(lines: list[BodyLine]) -> list[dict[str, object]]:
    """Rows (seq, section_no, heading, page, text): each section's text on each page."""
    heads = _headings(lines)
    rows: list[dict[str, object]] = []
    heading, section_no = "", 0
    chunk: list[BodyLine] = []

    def flush() -> None:
        text = paragraphs_text([ln for ln in chunk if not ln.footnote] +
                               [ln for ln in chunk if ln.footnote])
        if text.strip():
            rows.append({"seq": len(rows) + 1, "section_no": section_no, "heading": heading,
                         "page": chunk[0].page, "text": text})

    i = 0
    while i < len(lines):
        if i in heads:
            if chunk:
                flush()
                chunk = []
            n, heading = heads[i]
            section_no += 1
            i += n
            continue
        if chunk and lines[i].page != chunk[0].page:
            flush()
            chunk = []
        if section_no == 0:
            section_no = 1
        chunk.append(lines[i])
        i += 1
    if chunk:
        flush()
    return rows


# ---------------------------------------------------------------------------- improvement points

_LA_LIST = re.compile(r"^(What does the local authority need to improve|What needs? to improve|"
                      r"Recommendations:?$|Areas for improvement:?$)", re.I)
_LSCB_LIST = re.compile(r"^What does the (LSCB|Local Safeguarding Children Board) need to improve",
                        re.I)
# The LSCB review's part of a combined SIF report starts at a heading like these.
_LSCB_SECTION = re.compile(
    r"^(?:Section \d+\s*:\s*)?(?:The effectiveness of )?(?:the )?"
    r"(?:Local Safeguarding Children Board|LSCB)\b|"
    r"^Review of the effectiveness of the (?:Local Safeguarding|LSCB)", re.I)
_SUBPARTS = (
    (re.compile(r"^Priority and immediate action", re.I), "priority_action"),
    (re.compile(r"^Areas? for improvement", re.I), "area_for_improvement"),
    (re.compile(r"^Immediately\s*:?$", re.I), "immediately"),
    (re.compile(r"^Within three months\s*:?$", re.I), "within_three_months"),
    (re.compile(r"^Within six months\s*:?$", re.I), "within_six_months"),
)
_MARKER = re.compile(r"^\s*(?:[◼▪•●■\u25aa\u25cf\u2022\-–]\s*|\d{1,3}\.\s+|\(?[a-z]\)\s+)")
# The national framework tag ending a point of a report from 2025: "(Outcome 2, national
# framework)", "(outcome three, national framework)", "(National Framework enabler two)",
# "(enabler: leaders drive conditions for effective practice, national framework)".
_OUTCOME_TAG = re.compile(r"\s*\(([^()]*\bnational\s+framework\b[^()]*)\)\s*(\.?)\s*$", re.I)
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6"}


def _framework_tag(inner: str) -> str:
    """'outcome three, national framework' -> 'Outcome 3'; keeps a named enabler's words."""
    tag = re.sub(r",?\s*(?:the\s+)?national\s+framework\s*,?", " ", inner, flags=re.I)
    tag = " ".join(tag.split()).strip(" ,;:")
    tag = re.sub(r"\b(one|two|three|four|five|six)\b", lambda m: _NUMBER_WORDS[m.group(1).lower()],
                 tag, flags=re.I)
    return tag[:1].upper() + tag[1:] if tag else "National framework"


# Not points: a list's introduction, and the SIF's "The inspection did not find any areas for
# priority and immediate action."
_INTRO = re.compile(r"(the following( action)?|as follows)\s*[.:]?$|"
                    r"^(?:the )?(?:inspection|inspectors|review) did not (?:find|identify) any", re.I)


def _clean_point(text: str) -> tuple[str, str]:
    text = " ".join(text.split())
    text = _MARKER.sub("", text, count=1).strip()
    m = _OUTCOME_TAG.search(text)
    outcome = ""
    if m:
        outcome = _framework_tag(m.group(1))
        text = text[: m.start()].rstrip()
        if not text.endswith((".", "?", "!")):
            text += "."
    return text, outcome


def improvement_points(lines: list[BodyLine], document_type: str) -> list[dict[str, object]]:
    """Rows (part, seq, text, national_framework_outcome, page) in the report's order."""
    heads = _headings(lines)
    in_lscb = document_type == "lscb_review"
    rows: list[dict[str, object]] = []
    part: str | None = None  # inside a list: its current part
    list_is_lscb = False
    item: list[BodyLine] = []
    item_left = 0.0
    list_left: float | None = None

    def flush() -> None:
        nonlocal item
        if item and part is not None:
            for point in _split_group(item):
                text, outcome = _clean_point(" ".join(ln.text for ln in point))
                if text and not _INTRO.search(text):
                    rows.append({"part": part, "seq": len(rows) + 1, "text": text,
                                 "national_framework_outcome": outcome, "page": point[0].page})
        item = []

    i = 0
    while i < len(lines):
        ln = lines[i]
        if i in heads:
            n, heading = heads[i]
            heading = heading.strip()
            sub = next((p for rx, p in _SUBPARTS if rx.match(heading)), None)
            starts_lscb = ln.page > 1 and not re.search(r"\d\s*$", heading) and (
                _LSCB_SECTION.match(heading) or _LSCB_LIST.match(heading))
            if starts_lscb and document_type in ("sif", "sif_reinspection"):
                in_lscb = True
            if part is not None and sub is not None:
                flush()
                part = _part(sub, list_is_lscb)
                list_left = None
            elif _LSCB_LIST.match(heading) or (in_lscb and _LA_LIST.match(heading)):
                flush()
                list_is_lscb = True
                part = _part(sub or "area_for_improvement", True)
                list_left = None
            elif _LA_LIST.match(heading) and not in_lscb:
                flush()
                list_is_lscb = False
                default = ("what_needs_to_improve" if re.match(r"What needs? to", heading, re.I)
                           else "area_for_improvement")
                part = sub or default
                list_left = None
            else:
                flush()
                part = None
            i += n
            continue
        if part is None or ln.footnote:
            i += 1
            continue
        marker = _MARKER.match(ln.text)
        if marker and (list_left is None or ln.left <= list_left + 4):
            flush()
            item, item_left = [ln], ln.left
            if list_left is None:
                list_left = ln.left
        elif item and ln.left > item_left + 4:
            item.append(ln)  # the point's own indented continuation (next page too)
        elif item and not ln.gap_before and ln.page == item[-1].page:
            item.append(ln)  # a point set without a hanging indent
        else:
            flush()  # a paragraph that is not a point ("The inspection did not find ...")
        i += 1
    flush()
    return rows


def _split_group(item: list[BodyLine]) -> list[list[BodyLine]]:
    """A numbered group label with its own bullets ("1. Quality and effectiveness of practice"
    then "• In line with ...", Slough 2016) is one point per bullet; a point whose sentence
    runs on into bullets ("... by:") stays whole."""
    if len(item) < 2:
        return [item]
    label = _MARKER.sub("", item[0].text, count=1).strip()
    nested = [i for i, ln in enumerate(item[1:], start=1)
              if _MARKER.match(ln.text) and ln.left > item[0].left + 4]
    if not nested or nested[0] != 1 or re.search(r"[.:;,]$", label) or len(label) > 100:
        return [item]
    bounds = [*nested, len(item)]
    return [item[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _part(sub: str, lscb: bool) -> str:
    if not lscb:
        return sub
    return "lscb_priority_action" if sub == "priority_action" else "lscb"
