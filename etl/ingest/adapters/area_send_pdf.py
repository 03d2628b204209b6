"""Area SEND inspection reports (PDF): the joint Ofsted/CQC inspection of a local area partnership.

Files: `area-send/reports/<Ofsted URN>_<la name>/<title> - <dd month yyyy>.pdf`; the date in the
file name is the web publication date (the reports print no publication date).

Layouts, as met in the collection (every file so far is of the first):
- 2023 framework (inspections from January 2023), "Area SEND inspection of <LA> Local Area
  Partnership": page 1 gives "Inspection dates:", "Date(s) of previous inspection:" and an
  "Inspection outcome" section stating one of three outcomes (positive / inconsistent /
  widespread and/or systemic failings, `etl.vocab.normalise_area_send_outcome`). Near the end,
  before "Local area partnership details", come "Areas for priority action" (only after
  systemic failings: a table of responsible bodies and actions) and "Areas for improvement".
  Both sections are kept as text (`area_send_findings`), as extracted.
- 2016-2022 framework ("Joint local area SEND inspection in <LA>", a letter; "... revisit in"
  for the revisit of an area that had to write a written statement of action): no graded
  outcome. Recorded as framework AREA_SEND_2016 without a judgement, the letter's "written
  statement of action" determination in the record's notes.
- A 2023-framework monitoring inspection is recorded as a visit (no outcome).

Anything else (another document saved in the folder, an HTML error page, a damaged file, page 1
without an outcome statement we can read) is quarantined with its reason. The outcome is read
only from its own section on page 1; text elsewhere quoting another outcome does not count.

Pages are read lazily, as in `reports_pdf`: page 1, then back from the end until the findings'
headings (about four of a report's eight to ten pages).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from etl.ingest.adapters.files import date_words, la_display_name, read_source, relative_path
from etl.ingest.adapters.reports_pdf import clean_text, parse_inspection_periods, web_date_from_name
from etl.ingest.records import (
    InspectionRecord,
    Judgement,
    Reject,
    Source,
    SourceError,
    SourceResult,
)
from etl.ingest.workers import parse_files
from etl.local_authorities import LaResolver, UnknownLA
from etl.vocab import AREA_SEND_AREA, UnknownGrade, normalise_area_send_outcome

PARSER = "etl.ingest.adapters.area_send_pdf"
PARSER_VERSION = "1"
KIND = "area_send_report_pdf"
REPORTS_DIR = "area-send/reports"
FINDINGS_TABLE = "area_send_findings"

STATUSES = ("parsed", "not_pdf", "unknown_layout")
DOCUMENT_TYPES = ("area_send_2023", "area_send_2023_monitoring", "area_send_2016",
                  "area_send_2016_revisit", "unknown")
# document type -> (framework, inspection_type) in the model's vocabulary
FRAMEWORK_OF = {
    "area_send_2023": ("AREA_SEND", "full"),
    "area_send_2023_monitoring": ("AREA_SEND", "monitoring_visit"),
    "area_send_2016": ("AREA_SEND_2016", "full"),
    "area_send_2016_revisit": ("AREA_SEND_2016", "monitoring_visit"),
}
SECTIONS = ("areas_for_priority_action", "areas_for_improvement")


@dataclass
class Finding:
    section: str  # SECTIONS
    text: str
    first_page: int  # 1-based
    last_page: int


@dataclass
class AreaSendParse:
    file: str
    status: str  # STATUSES
    document_type: str = "unknown"  # DOCUMENT_TYPES
    reason: str = ""
    la_name_printed: str = ""  # "Dorset" from "Area SEND inspection of Dorset Local Area Partnership"
    title: str = ""  # that heading, as printed on page 1
    inspection_start: dt.date | None = None
    inspection_end: dt.date | None = None
    web_published_date: dt.date | None = None  # from the file name
    previous_inspection: str = ""  # the words after "Date(s) of previous inspection:"
    outcome: str | None = None  # AREA_SEND_GRADES
    outcome_text: str = ""  # the outcome statement as printed
    outcome_error: str = ""  # why an outcome section could not be read
    next_inspection: str = ""  # "within approximately five years"
    written_statement_of_action: bool | None = None  # 2016 framework letters
    findings: list[Finding] = field(default_factory=list)
    missing_sections: list[str] = field(default_factory=list)
    pages: int = 0
    pages_read: int = 0


# ---------------------------------------------------------------------------
# Page 1


def _flat(text: str) -> str:
    return " ".join(text.split())


_TITLE_2023 = re.compile(
    r"Area SEND (?P<monitoring>monitoring )?inspection of (?P<la>.{2,80}?) Local Area Partnership",
    re.I)
_TITLE_2016 = re.compile(
    r"Joint local area SEND (?P<kind>inspection|revisit) (?:in|of) (?P<la>[A-Z][\w ,&'.-]{1,60}?)"
    r"(?=\s+(?:Dear|Between|Date|Ofsted|This|From)\b|\s*$|\s*\n)", re.I)
_OUTCOME_SECTION = re.compile(
    r"Inspection outcome\s+(?P<body>.+?)(?=Information about the local area partnership|"
    r"What is it like to be a child|$)", re.I | re.S)
_NEXT = re.compile(r"next full (?:area SEND )?(?:re)?inspection will (?:be|take place) "
                   r"(?P<when>within (?:approximately )?[\w ]{1,20}?(?:years?|months?))", re.I)
_WSOA_REQUIRED = re.compile(r"written statement of action[^.]{0,80}?\b(?:is|was) required", re.I)
_WSOA_NOT = re.compile(r"written statement of action[^.]{0,80}?\bnot (?:be )?required", re.I)


def classify(page1: str) -> tuple[str, str]:
    """(document_type, LA name as printed) from page 1."""
    doc, la, _ = classify_heading(page1)
    return doc, la


def classify_heading(page1: str) -> tuple[str, str, str]:
    """(document_type, LA name as printed, the report's heading) from page 1."""
    flat = _flat(clean_text(page1))
    head = flat[:600]
    m = _TITLE_2023.search(head)
    if m:
        doc = "area_send_2023_monitoring" if m.group("monitoring") else "area_send_2023"
        # a name broken at its hyphen over two lines ("Stoke-on-" / "Trent") is one word again
        heading = re.sub(r"(?<=\w-) (?=\w)", "", m.group(0))
        return doc, re.sub(r"^the\s+", "", m.group("la").strip(), flags=re.I), heading
    m = _TITLE_2016.search(clean_text(page1)[:800])
    if m:
        doc = "area_send_2016_revisit" if m.group("kind").lower() == "revisit" else "area_send_2016"
        return doc, m.group("la").strip(), _flat(m.group(0))
    return "unknown", "", ""


def _dates_text(flat: str) -> str:
    """The words giving the inspection dates: "Inspection dates: 11 to 15 March 2024" (2023
    framework) or "Between 20 June 2016 and 24 June 2016, Ofsted and ..." (2016 letters)."""
    m = re.search(r"Inspection dates?\s*:?\s*(.{1,80}?)(?=Dates? of previous|Inspection outcome|"
                  r"Lead inspector|$)", flat, re.I)
    if m:
        return m.group(1)
    m = re.search(r"\bBetween (.{1,60}?\d{4}) and (.{1,30}?\d{4})", flat)
    if m:
        return f"{m.group(1)} to {m.group(2)}"
    return ""


def read_outcome(page1: str) -> tuple[str | None, str, str]:
    """(outcome, the statement as printed, error) from page 1's "Inspection outcome" section.

    A section whose wording states no outcome we know gives (None, its text, the reason); no
    section at all gives (None, "", "no 'Inspection outcome' section on page 1").
    """
    flat = _flat(clean_text(page1))
    m = _OUTCOME_SECTION.search(flat)
    if not m:
        return None, "", "no 'Inspection outcome' section on page 1"
    body = m.group("body").strip()
    # the statement is the first paragraph-like sentence pair; the rest is about what follows
    statement = re.split(r"(?<=\.)\s+(?=The next full|A monitoring inspection|Ofsted and|As a "
                         r"result of this inspection)", body, maxsplit=1)[0].strip()
    try:
        return normalise_area_send_outcome(statement), statement, ""
    except UnknownGrade as exc:
        return None, statement, str(exc)


# ---------------------------------------------------------------------------
# Findings (areas for priority action, areas for improvement)

_HEADING = {
    "areas_for_priority_action": re.compile(r"^[ \t]*Areas for priority action[ \t]*$",
                                            re.I | re.M),
    "areas_for_improvement": re.compile(r"^[ \t]*Areas for improvement[ \t]*$", re.I | re.M),
}
_END = re.compile(r"^[ \t]*Local area partnership details[ \t]*$", re.I | re.M)
# Running header of pages 2+: "Area SEND inspection report: Dorset Local AREA Partnership, 11 to
# 15 March 2024", then the dates and/or the page number on a line of their own.
_RUNNING_HEADER = re.compile(r"^\s*Area SEND inspection report\b", re.I)
_DATE_OR_PAGE_LINE = re.compile(r"^[\w ,]*\b(?:19|20)\d{2}\s*\d{0,3}\s*$|^\s*\d{1,3}\s*$")


def strip_running_header(text: str) -> str:
    """A page's text without its running header (report title, dates, page number)."""
    lines = clean_text(text).split("\n")
    i = 0
    while i < len(lines) and i < 8:
        line = lines[i].strip()
        if not line or _RUNNING_HEADER.match(line) or (i and _DATE_OR_PAGE_LINE.match(line)):
            i += 1
            continue
        break
    return "\n".join(lines[i:])


def _section_text(text: str) -> str:
    # the heading, and the table header that repeats it, are not findings
    text = re.sub(r"^[ \t]*(?:Responsible body\s+)?Areas for (?:priority action|improvement)[ \t]*$",
                  "", text, flags=re.I | re.M)
    text = text.replace("\u25fc", " ").replace("\u25aa", " \u2022 ")  # ◼ stray, ▪ list bullet
    return _flat(text)


def findings_from_pages(pages: dict[int, str]) -> tuple[list[Finding], list[str]]:
    """The findings sections from page texts {0-based index: text}, as one text per section.

    Each section runs from its heading to the next section's heading or "Local area partnership
    details". Returns the findings and the sections whose heading was not found.
    """
    joined: list[tuple[int, str]] = []
    for index in sorted(pages):
        body = strip_running_header(pages[index]) if index else clean_text(pages[index])
        joined.append((index, body))
    text = ""
    starts: list[tuple[int, int]] = []  # (offset in text, page index)
    for index, body in joined:
        starts.append((len(text), index))
        text += body + "\n"

    def page_at(offset: int) -> int:
        return max(i for o, i in starts if o <= offset) + 1

    found: dict[str, tuple[int, int]] = {}
    for section, pattern in _HEADING.items():
        m = pattern.search(text)
        if m:
            found[section] = (m.start(), m.end())
    end = _END.search(text)
    stop = end.start() if end else len(text)
    out: list[Finding] = []
    ordered = sorted(found.items(), key=lambda kv: kv[1][0])
    for n, (section, (start, body_start)) in enumerate(ordered):
        finish = ordered[n + 1][1][0] if n + 1 < len(ordered) else stop
        body = _section_text(text[body_start:max(finish, body_start)])
        if body:
            out.append(Finding(section, body, page_at(start), page_at(max(finish - 1, start))))
    missing = [s for s in SECTIONS if s not in found]
    return out, missing


# ---------------------------------------------------------------------------
# Reading a file


class _Pages:
    """Page texts read on demand (text extraction is the cost)."""

    def __init__(self, path: Path):
        from pypdf import PdfReader

        self._reader = PdfReader(path)
        self.count = len(self._reader.pages)
        self.texts: dict[int, str] = {}

    def text(self, index: int) -> str:
        if index not in self.texts:
            self.texts[index] = self._reader.pages[index].extract_text() or ""
        return self.texts[index]


def _not_pdf_reason(head: bytes) -> str | None:
    if not head.strip():
        return "empty file"
    if head.lstrip()[:5] == b"%PDF-":
        return None
    sniff = head.lstrip()[:200].lower()
    if sniff.startswith((b"<!doctype html", b"<html")) or b"<html" in sniff:
        return "not a PDF: an HTML page saved as .pdf (report not found on the web site)"
    return f"not a PDF: starts with {head[:16]!r}"


def _read_findings(pages: _Pages, expect_priority: bool) -> None:
    """Read back from the page before the last until the headings the report should have."""
    for index in range(pages.count - 2, 0, -1):
        text = pages.text(index)
        if _HEADING["areas_for_priority_action"].search(text):
            break
        if _HEADING["areas_for_improvement"].search(text) and not expect_priority:
            break


def describe_area_send_report(path: Path) -> AreaSendParse:
    """Classify one area SEND report and read its dates, outcome and findings (no LA lookup)."""
    path = Path(path)
    result = AreaSendParse(file=str(path), status="unknown_layout",
                           web_published_date=web_date_from_name(path.name))
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
        if pages.count == 0:
            raise ValueError("no pages")
        first = pages.text(0)
    except Exception as exc:  # pypdf raises many types for damaged files
        result.status = "not_pdf"
        result.reason = f"unreadable PDF (truncated or damaged): {type(exc).__name__}: {exc}"
        return result
    result.pages = pages.count
    doc, la_name, heading = classify_heading(first)
    result.document_type, result.la_name_printed, result.title = doc, la_name, heading
    if doc == "unknown":
        result.reason = ("unknown layout: page 1 has no area SEND report title ('Area SEND "
                         "inspection of ... Local Area Partnership' or 'Joint local area SEND "
                         "inspection in ...')")
        result.pages_read = len(pages.texts)
        return result

    flat1 = _flat(clean_text(first))
    periods = parse_inspection_periods(_dates_text(flat1))
    if periods:
        result.inspection_start, result.inspection_end = periods[0][0], periods[-1][1]
    m = re.search(r"Dates? of previous inspections?\s*:?\s*(.{1,160}?)(?=Inspection outcome|$)",
                  flat1, re.I)
    if m:
        # "23 to 27 January 2017", "Not previously inspected", or a sentence ("The previous
        # full inspection was on 19 March 2018. There ..."): its first sentence
        result.previous_inspection = re.split(r"(?<=\d{4})\.\s|\.\s", m.group(1))[0].strip(" .")
    try:
        if doc == "area_send_2023":
            outcome, statement, error = read_outcome(first)
            result.outcome, result.outcome_text, result.outcome_error = outcome, statement, error
            m = _NEXT.search(flat1)
            result.next_inspection = m.group("when") if m else ""
            if pages.count > 2:
                _read_findings(pages, expect_priority=outcome == "systemic_failings")
            result.findings, missing = findings_from_pages(pages.texts)
            expected = ["areas_for_improvement"]
            if outcome == "systemic_failings":
                expected.insert(0, "areas_for_priority_action")
            result.missing_sections = [s for s in expected if s in missing]
        elif doc.startswith("area_send_2016"):
            early = " ".join(_flat(clean_text(pages.text(i))) for i in range(min(3, pages.count)))
            if _WSOA_REQUIRED.search(early):
                result.written_statement_of_action = True
            elif _WSOA_NOT.search(early):
                result.written_statement_of_action = False
    except Exception as exc:  # a damaged later page
        result.status = "unknown_layout"
        result.reason = f"unreadable page text: {type(exc).__name__}: {exc}"
        result.pages_read = len(pages.texts)
        return result
    result.pages_read = len(pages.texts)
    result.status = "parsed"
    return result


# ---------------------------------------------------------------------------
# Records


def source_id_for(path: Path, shared_data: Path) -> str:
    """"area-send:80534_nottinghamshire/area send full inspection - 16 may 2023"."""
    rel = relative_path(path, shared_data / REPORTS_DIR)
    return "area-send:" + (rel[:-4] if rel.lower().endswith(".pdf") else rel)


def _folder_parts(path: Path) -> tuple[str, str]:
    urn, _, name = Path(path).parent.name.partition("_")
    return urn, name


def _printed_la_disagrees(resolver: LaResolver, la_code: str, printed: str,
                          on: dt.date | None) -> str | None:
    """A reason when the LA the report names resolves to another LA than its folder's URN."""
    if not printed:
        return None
    # "Bedford Borough", "Durham" ...: drop words the resolver's spellings do not carry
    candidates = [printed, re.sub(r"\b(?:Borough|County|City)\b", " ", printed)]
    for name in candidates:
        try:
            code = resolver.by_name(" ".join(name.split()), on=on.isoformat() if on else None)
        except UnknownLA:
            continue
        if code != la_code:
            return (f"the report names {printed!r} ({resolver.name(code)}, {code}) but its "
                    f"folder's URN is {resolver.name(la_code)} ({la_code})")
        return None
    return None


def report_title(parse: AreaSendParse, la_name: str) -> str:
    """A report's title as a reader would cite it: its own heading from page 1 ("Area SEND
    inspection of Dorset Local Area Partnership"), or the LA's name for a file that is not a
    readable report, and its web publication date (the file name's)."""
    title = parse.title or f"{la_name}: area SEND inspection report"
    if parse.web_published_date:
        title += f" (published {date_words(parse.web_published_date)})"
    return title


def parse_area_send_report(path: Path, resolver: LaResolver, shared_data: Path) -> SourceResult:
    """One report file -> its Source, one InspectionRecord (or a Reject), the findings facts
    and row Rejects (an outcome or a section that could not be read)."""
    path = Path(path)
    rel = relative_path(path, shared_data)
    data = read_source(path, rel)
    sid = source_id_for(path, shared_data)
    parse = describe_area_send_report(path)
    urn, la_raw = _folder_parts(path)
    title = report_title(parse, la_display_name(resolver, urn, la_raw))
    source = Source(source_id=sid, kind=KIND, title=title, path=rel,
                    publisher="Ofsted and the Care Quality Commission", parser=PARSER,
                    parser_version=PARSER_VERSION, sha256=hashlib.sha256(data).hexdigest())
    result = SourceResult(source=source)
    if parse.status != "parsed":
        result.rejects.append(Reject(sid, rel, "page 1", parse.reason or parse.status))
        return result
    try:
        la_code = resolver.by_urn(urn)
    except UnknownLA as exc:
        result.rejects.append(Reject(sid, rel, "folder name", str(exc), raw=path.parent.name))
        return result
    clash = _printed_la_disagrees(resolver, la_code, parse.la_name_printed,
                                  parse.inspection_start or parse.web_published_date)
    if clash:
        result.rejects.append(Reject(sid, rel, "page 1", clash, raw=parse.la_name_printed))
        return result

    framework, inspection_type = FRAMEWORK_OF[parse.document_type]
    judgements: list[Judgement] = []
    if parse.document_type == "area_send_2023":
        if parse.outcome:
            judgements.append(Judgement(area=AREA_SEND_AREA, grade=parse.outcome,
                                        grade_text=parse.outcome_text))
        else:
            result.rejects.append(Reject(sid, rel, f"page 1 judgement {AREA_SEND_AREA}",
                                         parse.outcome_error, raw=parse.outcome_text[:300]))
        for section in parse.missing_sections:
            result.rejects.append(Reject(
                sid, rel, f"section {section}",
                f"{section.replace('_', ' ')} not found (expected after outcome "
                f"{parse.outcome or 'unread'}; pages read {parse.pages_read} of {parse.pages})"))
    notes = []
    if parse.web_published_date:
        notes.append("publication date from the file name (not printed in the report)")
    else:
        notes.append("no publication date: the file name carries none and the report prints none")
    if parse.inspection_start is None:
        notes.append("inspection dates not found on page 1")
    if parse.previous_inspection:
        notes.append(f"previous inspection: {parse.previous_inspection}")
    if parse.next_inspection:
        notes.append(f"next full inspection {parse.next_inspection}")
    if parse.written_statement_of_action is True:
        notes.append("written statement of action required")
    elif parse.written_statement_of_action is False:
        notes.append("written statement of action not required")
    elif parse.document_type == "area_send_2016":
        notes.append("the letter's first pages state no written statement of action")
    result.records.append(InspectionRecord(
        source_id=sid, row_ref="page 1", la_code=la_code, la_name_raw=la_raw,
        framework=framework, inspection_type=inspection_type,
        start_date=parse.inspection_start, end_date=parse.inspection_end,
        published_date=parse.web_published_date, judgements=judgements, evidence="primary",
        notes="; ".join(notes)))
    result.facts[FINDINGS_TABLE] = [
        {"source_id": sid, "la_code": la_code, "section": f.section, "text": f.text,
         "first_page": f.first_page, "last_page": f.last_page}
        for f in parse.findings]
    return result


def parse_or_quarantine(path: Path, resolver: LaResolver, shared_data: Path) -> SourceResult:
    """A file that cannot even be read is quarantined, not fatal to the whole pool."""
    try:
        return parse_area_send_report(path, resolver, shared_data)
    except SourceError as exc:
        sid = source_id_for(path, shared_data)
        urn, la_raw = _folder_parts(path)
        blank = AreaSendParse(file=str(path), status="not_pdf",
                              web_published_date=web_date_from_name(Path(path).name))
        source = Source(source_id=sid, kind=KIND,
                        title=report_title(blank, la_display_name(resolver, urn, la_raw)),
                        path=relative_path(path, shared_data), parser=PARSER,
                        parser_version=PARSER_VERSION)
        return SourceResult(source=source, rejects=[Reject(sid, exc.file, "whole file",
                                                           exc.reason)])


def parse_area_send_reports(paths: Iterable[Path], resolver: LaResolver, shared_data: Path,
                            workers: int = 2,
                            progress: Callable[[int, int], None] | None = None
                            ) -> list[SourceResult]:
    """Parse many reports (a process pool when workers > 1); results in the order of `paths`."""
    return parse_files(parse_or_quarantine, paths, resolver, shared_data, workers, progress)
