"""Ofsted inspection reports (PDF) of local authority children's services, 2012-2026.

The report is the primary record of an inspection, so this adapter reads the printed
judgements themselves: the grade table on page 1 (SIF, SIF re-inspections, ILACS), the
LSCB review section further on (SIF) and the "Record of main findings" at the end
(2013 looked-after-children inspections). Pages are read lazily: text extraction is
the cost of the whole snapshot, and most reports need one or two pages.

Layouts, as met in the collection:
- SIF (Nov 2013 - 2018): "Inspection of services for children in need of help and
  protection, children looked after and care leavers [and Review of the effectiveness of
  the LSCB]"; overall grade in a sentence ("Children's services in X are good", "The
  overall judgement is that children's services require improvement"), the five area
  grades as a numbered list; the LSCB grade on page 1 (early 2014) or at the head of the
  LSCB section ("The Local Safeguarding Children Board is good").
- SIF re-inspection: the same with "Re-inspection of services..." (or an ordinary title
  and "This is a re-inspection" in the executive summary) and usually no LSCB review.
- LAC2013: "Inspection of looked after children services", old 4-point scale.
- ILACS (2018 -): a "Judgement / Grade" table on page 1; "children in care and care
  leavers" is one judgement until Dec 2022 and two afterwards; from late April 2026 the
  table has no "Overall effectiveness" row.

Reports do not say whether an ILACS inspection was standard or short; the length does:
a standard inspection takes two weeks on site, a short one a week (the scraper CSV's
`inspection_framework` is derived the same way).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from etl.ingest.adapters import report_text
from etl.ingest.adapters.files import date_words, la_display_name, read_source, relative_path
from etl.ingest.adapters.pdf_pages import EncryptedPdf, Line, PageCap, PdfPages
from etl.ingest.records import InspectionRecord, Judgement, Reject, Source, SourceResult
from etl.ingest.workers import parse_files
from etl.local_authorities import LaResolver, UnknownLA
from etl.vocab import AREAS, UnknownGrade, normalise_grade

PARSER = "etl.ingest.adapters.reports_pdf"
# 3: PDFium text engine, page/time caps, report text (sections, improvement points);
# 2: LAC2013 "adequate" and its four other rows are judgements
PARSER_VERSION = "3"
KIND = "ofsted_report_pdf"
REPORTS_DIR = "ofsted-reports"

# not_pdf: not a PDF, or damaged; encrypted: needs a password; capped: passed the page or
# time cap (etl.ingest.adapters.pdf_pages) before its judgements were found.
STATUSES = ("parsed", "not_pdf", "encrypted", "capped", "unknown_layout")
DOCUMENT_TYPES = (
    "sif",
    "sif_reinspection",
    "lscb_review",
    "lac2013",
    "ilacs_standard",
    "ilacs_short",
    "ilacs_post_2026",
    "unknown",
)
# document_type -> (framework, inspection_type) in the model's vocabulary; a post-2026
# ILACS report is standard or short by its length, like any other ILACS report.
FRAMEWORK_OF = {
    "sif": ("SIF", "full"),
    "sif_reinspection": ("SIF", "re-inspection"),
    "lscb_review": ("SIF", "lscb_review"),
    "lac2013": ("LAC2013", "full"),
    "ilacs_standard": ("ILACS", "standard"),
    "ilacs_short": ("ILACS", "short"),
}
# On-site days (inclusive, first period) at or below which an ILACS inspection is short:
# short ones run Monday-Friday (5 days, 3 for the Isles of Scilly), standard ones two
# weeks (12 days; 17 for Wiltshire 2019).
SHORT_MAX_DAYS = 7

CSV_HEADER = (
    "file",
    "status",
    "document_type",
    "inspection_start",
    "inspection_end",
    "published_date",
    "area",
    "grade",
    "reason",
)


@dataclass
class UnreadableGrade:
    """A judgement row whose grade wording normalise_grade cannot read."""

    area: str
    grade_text: str
    reason: str


@dataclass
class TextJudgements:
    judgements: list[Judgement] = field(default_factory=list)
    unreadable: list[UnreadableGrade] = field(default_factory=list)
    # Judgements the report prints that the model has no area for (LAC2013 "capacity
    # to improve" ...), kept for the record's notes.
    not_modelled: list[tuple[str, str]] = field(default_factory=list)

    def extend(self, other: TextJudgements) -> None:
        self.judgements.extend(other.judgements)
        self.unreadable.extend(other.unreadable)
        self.not_modelled.extend(other.not_modelled)


@dataclass
class ReportParse:
    file: str
    status: str  # STATUSES
    document_type: str  # DOCUMENT_TYPES
    inspection_start: dt.date | None = None
    inspection_end: dt.date | None = None
    published_date: dt.date | None = None  # printed in the PDF
    web_published_date: dt.date | None = None  # from the file name
    judgements: list[Judgement] = field(default_factory=list)
    reason: str = ""
    title: str = ""
    # What the text says, for the pipeline's sequence-based re-inspection detection.
    says_reinspection: bool = False
    unreadable: list[UnreadableGrade] = field(default_factory=list)
    # judgements the layout prints but the text did not yield (a label the pdf text
    # broke beyond recognition): rejected rather than left out silently
    missing: list[str] = field(default_factory=list)
    not_modelled: list[tuple[str, str]] = field(default_factory=list)
    # days of the first on-site period, the basis of ILACS standard/short
    inspection_days: int | None = None
    inspection_periods: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    pages_read: int = 0
    lscb_page: int | None = None  # 1-based page the LSCB grade was read from
    # every page's lines, when asked for (describe_report(read_text=True))
    page_lines: list[list[Line]] | None = None
    page_heights: list[float] = field(default_factory=list)
    text_reason: str = ""  # why the report text could not be read

    @property
    def framework(self) -> str:
        return self._model_type()[0]

    @property
    def inspection_type(self) -> str:
        return self._model_type()[1]

    def _model_type(self) -> tuple[str, str]:
        if self.document_type in FRAMEWORK_OF:
            return FRAMEWORK_OF[self.document_type]
        if self.document_type == "ilacs_post_2026":
            short = self.inspection_days is not None and self.inspection_days <= SHORT_MAX_DAYS
            return ("ILACS", "short" if short else "standard")
        return ("", "")


# ---------------------------------------------------------------------------
# Text helpers


def clean_text(text: str) -> str:
    """Page text with typographic quotes/spaces unified; line breaks kept."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\xa0", " ")
    text = text.replace("\u2010", "-").replace("\u2011", "-")
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def _flat(text: str) -> str:
    return " ".join(text.split())


_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE_RE = re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_WORD})\.?,?\s+(\d{{4}})", re.I)
_NUMERIC_DATE_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b")
_DATE_TOKEN_RE = re.compile(
    rf"(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+({_MONTH_WORD})\b\.?)?(?:,?\s+(\d{{4}}))?", re.I
)


def _date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), _MONTHS[month[:3].lower()], int(day))
    except (KeyError, ValueError):
        return None


def _numeric_to_words(text: str) -> str:
    """dd/mm/yyyy -> "d Mon yyyy", so one grammar reads both spellings."""

    def repl(m: re.Match[str]) -> str:
        day, month, year = m.groups()
        if not 1 <= int(month) <= 12:
            return m.group(0)
        year = year if len(year) == 4 else "20" + year
        return f"{int(day)} {list(_MONTHS)[int(month) - 1]} {year}"

    return _NUMERIC_DATE_RE.sub(repl, text)


def parse_date(text: str) -> dt.date | None:
    """The first full date in text: "20 July 2015", "3 Feb 2015" or "03/02/2015"."""
    m = _DATE_RE.search(_numeric_to_words(text))
    return _date(*m.groups()) if m else None


def parse_inspection_periods(text: str) -> list[tuple[dt.date, dt.date]]:
    """On-site periods from the words after "Inspection date(s):".

    Reads "17 March to 21 March 2025", "20 to 24 May 2024", "9-24 November 2017",
    "16 September 2014 - 8 October 2014", "12/09/2016 to 06/10/2016", "28 July 2016" and
    inspections interrupted and resumed ("9 to 13 December 2019 and 10 to 14 February
    2020"), one (start, end) per period.
    """
    text = _numeric_to_words(text)
    periods: list[tuple[dt.date, dt.date]] = []
    for part in re.split(r"\band\b|;", text):
        tokens = [m.groups() for m in _DATE_TOKEN_RE.finditer(part)]
        # a bare number after the last full date is a footnote marker, not a day
        while len(tokens) > 1 and not tokens[-1][1] and not tokens[-1][2]:
            tokens.pop()
        if not tokens:
            continue
        month, year = None, None
        filled: list[tuple[str, str, str]] = []
        # later tokens carry the month and year an earlier "20 to 24 May 2024" omits
        for day, mon, yr in reversed(tokens):
            month = mon or month
            year = yr or year
            if month is None or year is None:
                filled = []
                break
            filled.append((day, month, year))
        if not filled:
            continue
        filled.reverse()
        start, end = _date(*filled[0]), _date(*filled[-1])
        if start is None or end is None:
            continue
        if start > end and tokens[0][2] is None:
            start = start.replace(year=start.year - 1)  # "30 December to 3 January 2020"
        periods.append((start, end))
    return periods


def parse_inspection_dates(text: str) -> tuple[dt.date | None, dt.date | None, int | None]:
    """(start, end, days of the first on-site period, inclusive) of an inspection.

    The first period tells standard from short: a resumed inspection's second visit
    (South Tyneside 2023: "5 to 9 December 2022 and 14 to 15 February 2023") is extra.
    """
    periods = parse_inspection_periods(text)
    if not periods:
        return None, None, None
    first_days = (periods[0][1] - periods[0][0]).days + 1
    return periods[0][0], periods[-1][1], first_days


_WEB_DATE_RE = re.compile(rf"-\s*(\d{{1,2}})\s+({_MONTH_WORD})\s+(\d{{4}})\s*\.pdf$", re.I)


def web_date_from_name(name: str) -> dt.date | None:
    """The web publication date in "children's services inspection - 19 december 2019.pdf"."""
    m = _WEB_DATE_RE.search(name)
    return _date(*m.groups()) if m else None


# ---------------------------------------------------------------------------
# Grade wording

# Known grade words; "adequate" is the LAC2013 scale's third grade (etl.vocab: a grade of its
# own, refused on SIF and ILACS inspections by the collector's scale check).
_GRADE_RE = (
    r"(?:outstanding|good|inadequate|adequate|not\s+judged|"
    r"(?:requires?|required)\s+improvement(?:\s+to\s+be\s+good)?)"
)


def _judge(area: str, grade_text: str, out: TextJudgements) -> None:
    grade_text = _flat(grade_text).strip(" .;:")
    try:
        grade = normalise_grade(grade_text).grade
    except UnknownGrade as exc:
        out.unreadable.append(UnreadableGrade(area, grade_text, str(exc)))
        return
    out.judgements.append(Judgement(area=area, grade=grade, grade_text=grade_text))


def _table_cells(
    text: str,
    labels: Sequence[tuple[str, str]],
    *,
    end: str | None = None,
    flags: re.RegexFlag = re.I,
) -> list[tuple[str, str]]:
    """(area, grade text) of a label/grade table where pdf text breaks lines anywhere.

    A row's grade is what lies between its label and the next label, up to a blank
    line (a footnote may follow on the same page), so wording we do not know
    ("Requires\\nImprovement", "Satisfactory") reaches normalise_grade whole. The last
    row stops at a blank line or `end`, and takes only the known grade words when the
    narrative follows the table directly.
    """
    found: list[tuple[int, int, str]] = []
    for area, pattern in labels:
        m = re.search(pattern, text, flags)
        if m:
            found.append((m.start(), m.end(), area))
    found.sort()
    cells: list[tuple[str, str]] = []
    for i, (_, label_end, area) in enumerate(found):
        if i + 1 < len(found):
            segment = text[label_end : found[i + 1][0]]
            parts = [p for p in re.split(r"\n\s*\n", segment) if p.strip()]
            cells.append((area, parts[0] if parts else ""))
            continue
        rest = text[label_end:]
        stop = re.search(r"\n\s*\n" + (f"|{end}" if end else ""), rest, re.I)
        tail = rest[: stop.start()] if stop else rest
        known = re.match(rf"\s*({_GRADE_RE})\b", tail, re.I)
        if known:
            cells.append((area, known.group(1)))
        else:
            cells.append((area, tail.strip().split("\n")[0][:80]))
    return cells


def _table_grades(
    text: str,
    labels: Sequence[tuple[str, str]],
    *,
    end: str | None = None,
    flags: re.RegexFlag = re.I,
) -> TextJudgements:
    out = TextJudgements()
    for area, grade_text in _table_cells(text, labels, end=end, flags=flags):
        _judge(area, grade_text, out)
    return out


def _sentence_grade(
    text: str, anchor: str, area: str, out: TextJudgements, *, verb: str = r"(?:are|is)\s+"
) -> bool:
    """A grade stated in a sentence ("Children's services in X are good")."""
    flat = _flat(text)
    m = re.search(rf"{anchor}\s+(?:{verb})?(?P<g>{_GRADE_RE})\b", flat, re.I)
    if m:
        _judge(area, m.group("g"), out)
        return True
    # an unknown word after an explicit verb is reported, not skipped
    m = re.search(rf"{anchor}\s+(?:{verb})(?P<g>[A-Za-z]+(?: [A-Za-z]+){{0,3}})", flat, re.I)
    if m:
        _judge(area, m.group("g"), out)  # not a known grade: becomes unreadable
        return True
    return False


_WS = r"\s+"


def _words(phrase: str) -> str:
    """A label pattern that allows a line break (or several spaces) between any words."""
    return _WS.join(re.escape(w) for w in phrase.split())


SIF_LABELS: tuple[tuple[str, str], ...] = (
    ("help_and_protection", r"\b1\.\s*" + _words("Children who need help and protection")),
    (
        "children_looked_after",
        r"\b2\.\s*" + _words("Children looked after and achieving permanence"),
    ),
    ("adoption", r"\b2\.1\.?\s*" + _words("Adoption performance")),
    ("care_leavers", r"\b2\.2\.?\s*" + _words("Experiences and progress of care leavers")),
    # Wirral 2016 numbers this row "1." by mistake
    ("leadership", r"\b\d\.\s*" + _words("Leadership, management and governance")),
)

ILACS_LABELS: tuple[tuple[str, str], ...] = (
    (
        "leadership",
        _words("The impact of leaders on social work practice with children and families"),
    ),
    (
        "help_and_protection",
        _words("The experiences and progress of children who need help and protection"),
    ),
    (
        "children_in_care_and_care_leavers",
        _words("The experiences and progress of children in care and care leavers"),
    ),
    (
        "children_looked_after",
        _words("The experiences and progress of children in care") + r"(?!\s+and\s+care)",
    ),
    # "children care leavers" is a typo in some 2025-26 reports
    (
        "care_leavers",
        _words("The experiences and progress of") + r"\s+(?:children\s+)?care\s+leavers",
    ),
    ("overall_effectiveness", _words("Overall effectiveness")),
)

SIF_OVERALL_ANCHORS = (
    r"Children's services in (?:the )?.{1,100}?",
    r"The overall judgement is(?: that children's services?)?",
)

# "The Local Safeguarding Children Board is good" heads the LSCB section; 2014 reports
# say "The effectiveness of the Local Safeguarding Children Board (LSCB) requires
# improvement" on page 1 and "The effectiveness of the LSCB ..." in section 2. Only
# grade words are matched: "The LSCB is effective in ..." is narrative, not a judgement.
_LSCB_SENTENCE_RE = re.compile(
    rf"(?P<anchor>(?:The effectiveness of (?:the )?|The )"
    rf"(?:Local Safeguarding Children(?:'s)? Board(?: \(LSCB\))?|LSCB))\s+"
    rf"(?:is\s+|are\s+)?(?P<g>{_GRADE_RE})\b",
    re.I,
)


def sif_judgements_from_text(page1: str) -> TextJudgements:
    """Overall and area grades from page 1 of a SIF report (or re-inspection)."""
    text = clean_text(page1)
    out = TextJudgements()
    for anchor in SIF_OVERALL_ANCHORS:
        verb = r"(?:are|is)\s+" if anchor.startswith("Children") else r"(?:that\s+)?(?:are|is)\s+"
        if _sentence_grade(text, anchor, "overall_effectiveness", out, verb=verb):
            break
    out.extend(_table_grades(text, SIF_LABELS, end=r"The effectiveness of|Executive summary"))
    return out


def _sif_page1_and_2(pages: PdfPages, first: str) -> TextJudgements:
    """SIF grades from page 1, or pages 1-2 when the list runs over (Oldham 2015)."""
    found = sif_judgements_from_text(first)
    areas = {j.area for j in found.judgements} | {u.area for u in found.unreadable}
    if len(areas) == 1 + len(SIF_LABELS) or pages.count < 2:
        return found
    both = sif_judgements_from_text(first + "\n" + pages.text(1))
    return both


def lscb_judgement_from_text(text: str) -> TextJudgements:
    """The LSCB grade from a page of a SIF report, if this page states it."""
    out = TextJudgements()
    flat = _flat(clean_text(text))
    m = _LSCB_SENTENCE_RE.search(flat)
    if m:
        _judge("lscb", m.group("g"), out)
    return out


def ilacs_judgements_from_text(page1: str) -> TextJudgements:
    """Grades from the "Judgement / Grade" table on page 1 of an ILACS report."""
    text = clean_text(page1)
    m = re.search(r"Judgement\s+Grade", text)
    # the table is a few hundred characters; the narrative after it may quote
    # "overall effectiveness" from the last inspection, hence also the case-sensitive labels
    table = text[m.end() : m.end() + 1200] if m else text[:1500]
    return _table_grades(table, ILACS_LABELS, flags=re.NOFLAG)


# Rows of the LAC2013 "Record of main findings", each a model area.
LAC2013_ROWS: tuple[tuple[str, str], ...] = (
    ("overall_effectiveness", r"Overall\s+effectiveness"),
    ("capacity_to_improve", r"Capacity\s+to\s+improve"),
    ("lac_outcomes", _words("Outcomes for looked after children and young people")),
    ("quality_of_provision", _words("Quality of provision")),
    ("leadership", _words("Leadership and management")),
)


def lac2013_judgements_from_text(text: str) -> TextJudgements:
    """Grades from the "Record of main findings" of a 2013 looked-after-children report.

    Rows read "Overall effectiveness Inadequate Grade 4" or "... Adequate" (the old scale's
    third grade, kept as adequate).
    """
    out = TextJudgements()
    text = clean_text(text)
    m = re.search(r"Record of main findings", text, re.I)
    if not m:
        return out
    for area, grade_text in _table_cells(text[m.end() :], LAC2013_ROWS):
        grade_text = re.sub(r"\s*\(?Grade\s+\d\)?\s*$", "", _flat(grade_text))
        if area in AREAS:
            _judge(area, grade_text, out)
        else:
            out.not_modelled.append((area, grade_text))
    return out


def expected_areas(document_type: str, judged: Iterable[str]) -> tuple[str, ...]:
    """The judgements a report of this layout prints in its page-1 table or list.

    ILACS reports carry either the combined care judgement or the two split ones;
    which one is told by what was found. The LSCB review is not always part of a SIF
    report (re-inspections, Darlington 2018), so it is not expected.
    """
    judged = set(judged)
    if document_type in ("sif", "sif_reinspection"):
        return ("overall_effectiveness", *(a for a, _ in SIF_LABELS))
    if document_type.startswith("ilacs"):
        split = bool(judged & {"children_looked_after", "care_leavers"})
        care = ("children_looked_after", "care_leavers") if split else ("children_in_care_and_care_leavers",)
        overall = () if document_type == "ilacs_post_2026" else ("overall_effectiveness",)
        return ("leadership", "help_and_protection", *care, *overall)
    if document_type == "lac2013":
        return tuple(a for a, _ in LAC2013_ROWS)
    return ()


def judgements_from_text(document_type: str, text: str) -> TextJudgements:
    """Judgements from the text that carries them, for each layout (a pure function).

    `text` is page 1 for SIF and ILACS, the LSCB section page for an LSCB review and the
    "Record of main findings" page for LAC2013.
    """
    if document_type in ("sif", "sif_reinspection"):
        return sif_judgements_from_text(text)
    if document_type.startswith("ilacs"):
        return ilacs_judgements_from_text(text)
    if document_type == "lscb_review":
        return lscb_judgement_from_text(text)
    if document_type == "lac2013":
        return lac2013_judgements_from_text(text)
    return TextJudgements()


# ---------------------------------------------------------------------------
# Layout


_SIF_TITLE = _words("services for children in need of help and protection")
_REINSPECTION_RE = re.compile(r"\bre-?\s?inspection\b", re.I)


def classify(page1: str) -> tuple[str, str]:
    """(document_type, title) from page 1; ILACS standard/short is refined by dates."""
    text = clean_text(page1)
    flat = _flat(text)
    head = flat[:700]
    if re.search(r"Inspection of looked after children services", head, re.I):
        return "lac2013", "Inspection of looked after children services"
    m = re.search(rf"(Re-?inspection|Inspection) of {_SIF_TITLE}[^.]*?care leavers", head, re.I)
    if m:
        doc = "sif_reinspection" if m.group(1).lower().startswith("re") else "sif"
        title = m.group(0)
        if re.search(r"Review of the effectiveness of the local safeguarding", head, re.I):
            title += " and Review of the effectiveness of the Local Safeguarding Children Board"
        return doc, title
    m = re.search(r"Review of the effectiveness of the local safeguarding children board", head, re.I)
    if m:
        return "lscb_review", m.group(0)
    if re.search(r"Judgement\s+Grade", flat[:1500]):
        m = re.search(r"Inspection of [^\n]{0,120}?children's (?:social care )?services", flat[:400], re.I)
        title = m.group(0) if m else "Inspection of local authority children's services"
        table = ilacs_judgements_from_text(page1)
        if any(j.area == "overall_effectiveness" for j in table.judgements + table.unreadable):
            return "ilacs_standard", title  # standard/short decided from the dates
        return "ilacs_post_2026", title
    return "unknown", ""


# ---------------------------------------------------------------------------
# PDF reading


class PypdfPages:
    """pypdf's page text, as the adapter read it before PDFium: kept for the engine benchmark
    (benchmarks/bench_pdf_engines.py), which checks that both engines give the same parse."""

    def __init__(self, path: Path, **_caps: object):
        from pypdf import PdfReader

        self._reader = PdfReader(path)
        if self._reader.is_encrypted:
            raise EncryptedPdf("encrypted: the PDF needs a password to open")
        self.count = len(self._reader.pages)
        self._texts: dict[int, str] = {}

    def text(self, index: int) -> str:
        if index not in self._texts:
            self._texts[index] = self._reader.pages[index].extract_text() or ""
        return self._texts[index]

    def close(self) -> None:
        pass

    @property
    def read(self) -> int:
        return len(self._texts)


# The text engine; the benchmark swaps in PypdfPages.
_Pages = PdfPages


def _not_pdf_reason(head: bytes) -> str | None:
    if not head.strip():
        return "empty file"
    if head.lstrip()[:5] == b"%PDF-":
        return None
    sniff = head.lstrip()[:200].lower()
    if sniff.startswith((b"<!doctype html", b"<html")) or b"<html" in sniff:
        return "not a PDF: an HTML page saved as .pdf (report not found on the web site)"
    return f"not a PDF: starts with {head[:16]!r}"


def _contents_lscb_page(text: str) -> int | None:
    """The LSCB section's printed page number, if `text` is the contents page."""
    flat = _flat(clean_text(text))
    if "Contents" not in flat:
        return None
    m = re.search(r"Local Safeguarding Children Board(?: \(LSCB\))? (\d{1,3})\b", flat)
    return int(m.group(1)) if m else None


# Where the LSCB section starts, counted back from the last page (measured over the
# SIF reports of 2014-2018: 5 to 13 pages, mostly 6-8).
_LSCB_FROM_END = (7, 6, 8, 9, 5, 10, 11, 12, 13, 4)


def _find_lscb(pages: PdfPages, first: str) -> tuple[TextJudgements, int | None]:
    """The LSCB grade: page 1 (2014 reports), else the page the contents page (page 2)
    points to, else the usual distance from the end, else the rest of the second half.
    """
    found = lscb_judgement_from_text(first)
    if found.judgements or found.unreadable:
        return found, 1
    n = pages.count
    candidates: list[int] = []
    printed = _contents_lscb_page(pages.text(1)) if n > 1 else None
    if printed is not None:
        # printed page n is pdf page n, or a page or two later after unnumbered covers
        candidates = [printed - 1, printed, printed + 1, printed - 2, printed + 2]
    candidates += [n - k for k in _LSCB_FROM_END]
    # an appended separate review (Hull 2015) also lies in the second half
    candidates += list(range(n - 1, n // 2 - 1, -1))
    tried: set[int] = {0}
    for i in candidates:
        if i in tried or not 0 <= i < n:
            continue
        tried.add(i)
        found = lscb_judgement_from_text(pages.text(i))
        if found.judgements or found.unreadable:
            return found, i + 1
    return TextJudgements(), None


def _find_lac2013(pages: PdfPages) -> TextJudgements:
    for i in range(pages.count - 1, 0, -1):
        found = lac2013_judgements_from_text(pages.text(i))
        if found.judgements or found.unreadable or found.not_modelled:
            return found
    return TextJudgements()


def describe_report(path: Path, *, read_text: bool = False) -> ReportParse:
    """Classify one report file and read its dates and judgements (no LA resolution).

    With `read_text`, a parsed report's every page (up to the caps) is read too, into
    `page_lines`, for the report text (etl.ingest.adapters.report_text).
    """
    path = Path(path)
    result = ReportParse(
        file=str(path),
        status="unknown_layout",
        document_type="unknown",
        web_published_date=web_date_from_name(path.name),
    )
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError as exc:
        result.status, result.reason = "not_pdf", f"cannot read file: {exc}"
        return result
    reason = _not_pdf_reason(head)
    if reason:
        result.status, result.reason = "not_pdf", reason
        return result
    try:
        pages = _Pages(path)
    except EncryptedPdf as exc:
        result.status, result.reason = "encrypted", str(exc)
        return result
    except Exception as exc:  # PDFium reports any damage as a failure to load
        result.status = "not_pdf"
        result.reason = f"unreadable PDF (truncated or damaged): {type(exc).__name__}: {exc}"
        return result
    try:
        _describe(pages, result, read_text)
    finally:
        result.pages_read = pages.read
        pages.close()
    return result


def _describe(pages: PdfPages, result: ReportParse, read_text: bool) -> None:
    try:
        if pages.count == 0:
            raise ValueError("no pages")
        first = pages.text(0)
    except PageCap as exc:
        result.status, result.reason = "capped", str(exc)
        return
    except Exception as exc:
        result.status = "not_pdf"
        result.reason = f"unreadable PDF (truncated or damaged): {type(exc).__name__}: {exc}"
        return

    doc, title = classify(first)
    result.document_type, result.title = doc, title
    if doc == "unknown":
        result.reason = "unknown layout: page 1 matches no known report title or grade table"
        return

    flat1 = _flat(clean_text(first))
    m = re.search(
        r"Inspection dates?\s*:?\s*(.{1,140}?)(?=Lead inspector|Report(?:ing)? |Judgement|"
        r"The overall|Children's services|Age group|Published|$)",
        flat1,
        re.I,
    )
    if m:
        result.inspection_periods = parse_inspection_periods(m.group(1))
        start, end, days = parse_inspection_dates(m.group(1))
        result.inspection_start, result.inspection_end, result.inspection_days = start, end, days
    # "Report published: 20 July 2015", LAC2013 "Published: 23 August 2013", or Slough
    # 2014's footnote "the sections ... about the local authority were originally
    # published on 11 February 2014" (its combined report went on the web 3 days later)
    m = re.search(r"\b(?:Report\s+)?published\s*:\s*(.{1,30})", flat1, re.I) or re.search(
        r"\bpublished on\s+(.{1,30})", flat1, re.I
    )
    if m:
        result.published_date = parse_date(m.group(1))

    try:
        found = _read_judgements(doc, pages, first, result)
    except PageCap as exc:  # a hostile file: thousands of pages, or pages that take seconds
        result.status, result.reason = "capped", str(exc)
        return
    except Exception as exc:  # a damaged later page
        result.status = "unknown_layout"
        result.reason = f"unreadable page text: {type(exc).__name__}: {exc}"
        return
    result.judgements = found.judgements
    result.unreadable = found.unreadable
    result.not_modelled = found.not_modelled
    seen = [j.area for j in found.judgements] + [u.area for u in found.unreadable]
    result.missing = [a for a in expected_areas(result.document_type, seen) if a not in seen]

    if doc == "ilacs_standard" and result.inspection_days is not None:
        if result.inspection_days <= SHORT_MAX_DAYS:
            result.document_type = "ilacs_short"
    if not (result.judgements or result.unreadable):
        result.status = "unknown_layout"
        result.reason = f"{doc} layout but no judgement found"
        return
    result.status = "parsed"
    notes = []
    if doc.startswith("ilacs") and result.inspection_days is None:
        notes.append("no inspection dates: standard/short unknown, taken as standard")
    if read_text:
        try:
            result.page_lines = [pages.lines(i) for i in range(pages.count)]
            result.page_heights = [pages.height(i) for i in range(pages.count)]
        except PageCap as exc:
            result.text_reason = f"report text not read: {exc}"
        except Exception as exc:  # a damaged later page: the grades stand, the text does not
            result.text_reason = f"report text not read: {type(exc).__name__}: {exc}"
    result.reason = "; ".join(notes)


def _read_judgements(doc: str, pages: PdfPages, first: str, result: ReportParse) -> TextJudgements:
    if doc == "lac2013":
        return _find_lac2013(pages)
    if doc in ("sif", "sif_reinspection"):
        found = _sif_page1_and_2(pages, first)
    else:
        found = judgements_from_text(doc, first)
    if doc in ("sif", "sif_reinspection"):
        # ordinary-titled re-inspections say so in the executive summary (Lambeth 2018)
        early = " ".join(pages.text(i) for i in range(min(2, pages.count)))
        result.says_reinspection = bool(_REINSPECTION_RE.search(_flat(early)))
        if doc == "sif" and re.search(r"This (?:is a )?re-?inspection", _flat(early), re.I):
            result.document_type = doc = "sif_reinspection"
        if "Review of the effectiveness" in result.title or doc == "sif":
            lscb, page = _find_lscb(pages, first)
            result.lscb_page = page
            found.extend(lscb)
    elif doc == "lscb_review":
        lscb, page = _find_lscb(pages, first)
        result.lscb_page = page
        found = lscb
    return found


# ---------------------------------------------------------------------------
# Records


def source_id_for(path: Path, shared_data: Path) -> str:
    """ "report:80534_nottinghamshire/children's services inspection - 19 december 2019"."""
    rel = relative_path(path, shared_data / REPORTS_DIR)
    return "report:" + (rel[:-4] if rel.lower().endswith(".pdf") else rel)


def pdf_key(source: Source) -> tuple[str, str]:
    """(Ofsted URN, file name without .pdf) of a report source: how the scraper CSV names it."""
    path = Path(source.path)
    return path.parent.name.split("_", 1)[0], path.stem


def _folder_parts(path: Path) -> tuple[str, str]:
    """(URN, LA name) from the folder "80534_nottinghamshire"."""
    urn, _, name = Path(path).parent.name.partition("_")
    return urn, name


def parse_report(path: Path, resolver: LaResolver, shared_data: Path) -> SourceResult:
    """One report file -> its Source, one InspectionRecord (or a Reject) and row Rejects."""
    path = Path(path)
    rel = relative_path(path, shared_data)
    data = read_source(path, rel)
    sid = source_id_for(path, shared_data)
    parse = describe_report(path, read_text=True)
    urn, la_raw = _folder_parts(path)
    source = Source(
        source_id=sid,
        kind=KIND,
        title=report_title(parse, la_display_name(resolver, urn, la_raw)),
        path=rel,
        parser=PARSER,
        parser_version=PARSER_VERSION,
        sha256=hashlib.sha256(data).hexdigest(),
        as_at=None,
    )
    result = SourceResult(source=source)
    if parse.status != "parsed":
        result.rejects.append(Reject(sid, rel, "page 1", parse.reason or parse.status))
        return result
    try:
        la_code = resolver.by_urn(urn)
    except UnknownLA as exc:
        result.rejects.append(Reject(sid, rel, "folder name", f"{exc}", raw=path.parent.name))
        return result
    for bad in parse.unreadable:
        result.rejects.append(Reject(sid, rel, f"judgement {bad.area}", bad.reason, raw=bad.grade_text))
    for area in parse.missing:
        result.rejects.append(
            Reject(sid, rel, f"judgement {area}", f"{parse.document_type} report: {area} not found")
        )
    notes = []
    published = parse.published_date or parse.web_published_date
    if parse.web_published_date and parse.published_date != parse.web_published_date:
        if parse.published_date:
            notes.append(f"web publication date {parse.web_published_date.isoformat()}")
        else:
            notes.append("publication date from the file name (not printed in the report)")
    if parse.document_type.startswith("ilacs") and parse.inspection_days is not None:
        notes.append(f"{parse.inspection_days} days on site")
    if len(parse.inspection_periods) > 1:
        notes.append(
            "inspection in periods: "
            + ", ".join(f"{s.isoformat()} to {e.isoformat()}" for s, e in parse.inspection_periods)
        )
    if parse.says_reinspection and parse.document_type != "sif_reinspection":
        notes.append("text mentions a re-inspection")
    if parse.not_modelled:
        notes.append("not modelled: " + "; ".join(f"{a} = {g}" for a, g in parse.not_modelled))
    if parse.reason:
        notes.append(parse.reason)
    framework, inspection_type = parse.framework, parse.inspection_type
    _add_text_facts(result, parse, sid, rel)
    result.records.append(
        InspectionRecord(
            source_id=sid,
            row_ref="page 1",
            la_code=la_code,
            la_name_raw=la_raw,
            framework=framework,
            inspection_type=inspection_type,
            start_date=parse.inspection_start,
            end_date=parse.inspection_end,
            published_date=published,
            report_url="",
            judgements=list(parse.judgements),
            evidence="primary",
            notes="; ".join(notes),
        )
    )
    return result


# A heading that names the authority ("Inspection of Dorset local authority children's
# services") rather than the services alone ("Inspection of children's social care services").
_NAMES_AUTHORITY = re.compile(r"(?:Re-?\s?)?Inspection of (?!local authority\b|children.s\b|"
                              r"services\b|looked after\b)", re.I)


def report_title(parse: ReportParse, la_name: str) -> str:
    """A report's title as a reader would cite it: its own heading from page 1, after the LA's
    name unless the heading names the authority, and its web publication date (the file
    name's). A file that is not a readable report is titled for what it should have been."""
    title = parse.title or "Children's services inspection report"
    if not _NAMES_AUTHORITY.match(title):
        title = f"{la_name}: {title}"
    if parse.web_published_date:
        title += f" (published {date_words(parse.web_published_date)})"
    return title


def _add_text_facts(result: SourceResult, parse: ReportParse, sid: str, rel: str) -> None:
    """The report's text by section and page, and its improvement points, as fact rows; a
    report whose text cannot be read is quarantined with the reason (its grades still load)."""
    if parse.page_lines is None:
        result.rejects.append(Reject(sid, rel, "report text", parse.text_reason or "text not read"))
        return
    body = report_text.body_lines(parse.page_lines, parse.page_heights)
    sections = report_text.sections(body)
    if not sections:
        result.rejects.append(Reject(sid, rel, "report text",
                                     "no text on any page (a scanned report needs OCR)"))
        return
    result.facts["report_sections"] = [{"source_id": sid, **row} for row in sections]
    points = report_text.improvement_points(body, parse.document_type)
    result.facts["improvement_points"] = [{"source_id": sid, **row} for row in points]
    outstanding = any(j.area == "overall_effectiveness" and j.grade == "outstanding"
                      for j in parse.judgements)
    if not points and not outstanding:  # an outstanding report may list nothing to improve
        result.rejects.append(Reject(sid, rel, "improvement points",
                                     f"{parse.document_type} report: no list of what must "
                                     "improve found (sections are loaded)"))


def parse_reports(
    paths: Iterable[Path],
    resolver: LaResolver,
    shared_data: Path,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
) -> list[SourceResult]:
    """Parse many reports in a process pool; results come back in the order of `paths`."""
    return parse_files(parse_report, paths, resolver, shared_data, workers, progress)


def parse_report_rows(paths: Iterable[Path]) -> list[dict[str, str]]:
    """Rows for `python -m etl parse-report PDF...`: one per judgement (CSV_HEADER).

    A file with no readable judgement still gets one row (area and grade empty); an
    unreadable or missing grade gives a row with the area, an empty grade and why. `reason`
    says why a file was not parsed (not a PDF, encrypted, capped, unknown layout), or notes
    on a parsed one.
    """
    return [row for p in paths for row in parse_report_rows_from(describe_report(Path(p)), p)]


def parse_report_rows_from(parse: ReportParse, p: Path | str) -> list[dict[str, str]]:
    """parse-report's rows for one file already described."""
    rows: list[dict[str, str]] = []
    base = {
        "file": str(p),
        "status": parse.status,
        "document_type": parse.document_type,
        "inspection_start": _iso(parse.inspection_start),
        "inspection_end": _iso(parse.inspection_end),
        "published_date": _iso(parse.published_date or parse.web_published_date),
        "reason": parse.reason,
    }
    found = [(j.area, j.grade, "") for j in parse.judgements]
    found += [(u.area, "", f"unreadable grade {u.grade_text!r}: {u.reason}")
              for u in parse.unreadable]
    found += [(area, "", f"{parse.document_type} report: {area} not found")
              for area in parse.missing]
    if not found:
        found = [("", "", "")]
    for area, grade, why in found:
        reason = "; ".join(r for r in (parse.reason, why) if r)
        row = {**base, "area": area, "grade": grade, "reason": reason}
        rows.append({c: row[c] for c in CSV_HEADER})
    return rows


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""
