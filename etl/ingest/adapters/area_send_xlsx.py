"""The community scraper's area SEND workbook (MIT): each LA's latest area SEND inspection under
the 2023 framework, with the published outcome, dates and report link.

One sheet, header on row 1, one row per LA: urn, la_code, region_code, ltla23cd,
stat_neighbours, local_authority, inspection_link, outcome_grade ("1.0" positive, "2.0"
inconsistent, "3.0" widespread/systemic failings, "nan" when the scraper found none),
previous_inspection_date (dd/mm/yyyy; 01/01/1900 means none), inspection_start_date,
inspection_end_date, publication_date (dd/mm/yy), next_inspection ("5 years", "3 years",
"18 months"), next_inspection_by_date, local_link_to_all_inspections (an Excel HYPERLINK to the
scraper's own folder) and inspection_outcome_text (the report's outcome statement).

The row carries its outcome twice, as a code and as the statement it was read from: both are
read, and a row whose code and statement disagree keeps its dates but its outcome is
quarantined (neither is trusted over the other). A row with no outcome at all (Slough 2025:
"Inspection outcome section not found.") is an inspection with no readable outcome: recorded,
outcome quarantined. The workbook's la_code must agree with the URN's LA. `stat_neighbours` is
not a fact here (neighbours come from the DfE lookup).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from etl.ingest.adapters.files import file_sha256, relative_path
from etl.ingest.records import InspectionRecord, Judgement, Reject, Source, SourceError, SourceResult
from etl.local_authorities import LaResolver, UnknownLA
from etl.vocab import AREA_SEND_AREA, AREA_SEND_GRADES, UnknownGrade, normalise_area_send_outcome

PARSER = "etl.ingest.adapters.area_send_xlsx"
PARSER_VERSION = "1"
KIND = "scraper_area_send_xlsx"
SOURCE_ID = "scraper:area-send-summary"
RELPATH = Path("area-send") / "ofsted_csc_send_overview.xlsx"
REQUIRED_COLUMNS = ("urn", "la_code", "local_authority", "inspection_link", "outcome_grade",
                    "previous_inspection_date", "inspection_start_date", "inspection_end_date",
                    "publication_date", "next_inspection", "inspection_outcome_text")
# pandas wrote missing values as these strings when the scraper exported the workbook.
MISSING_TEXT = ("None", "nan", "NaN", "NaT")
NO_PREVIOUS = dt.date(1900, 1, 1)  # the scraper's "not previously inspected"
# The scraper's code for each outcome, best first (AREA_SEND_GRADES order).
OUTCOME_CODES = {str(i): grade for i, grade in enumerate(AREA_SEND_GRADES, start=1)}
# What the framework says about the next inspection after each outcome.
NEXT_AFTER = {"positive": "5 years", "inconsistent": "3 years", "systemic_failings": "18 months"}
_NO_OUTCOME_TEXT = ("inspection outcome section not found",)


class RowError(ValueError):
    """A row that cannot become a record; the message is its quarantine reason."""


def _cell(value: object) -> str | dt.date:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    return "" if text in MISSING_TEXT else text


def _date(value: str | dt.date, column: str, formats: tuple[str, ...]) -> dt.date | None:
    if value == "":
        return None
    if isinstance(value, dt.date):
        return value
    for fmt in formats:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise RowError(f"{column} {value!r} is not a date (dd/mm/yy)")


def _outcome_code(value: str | dt.date) -> str | None:
    """'2.0' -> 'inconsistent'; '' -> None; anything else is a RowError."""
    if value == "":
        return None
    text = str(value)
    key = text[:-2] if text.endswith(".0") else text
    if key not in OUTCOME_CODES:
        raise RowError(f"outcome_grade {text!r} is not an outcome code (1, 2 or 3)")
    return OUTCOME_CODES[key]


def read_outcome(row: dict[str, str | dt.date]) -> tuple[Judgement | None, str | None]:
    """(the row's outcome as a judgement, or None; the reason it is quarantined, or None)."""
    statement = str(row["inspection_outcome_text"])
    try:
        by_code = _outcome_code(row["outcome_grade"])
    except RowError as exc:
        return None, str(exc)
    by_text: str | None = None
    text_error = ""
    if statement and statement.strip(" .").lower() not in _NO_OUTCOME_TEXT:
        try:
            by_text = normalise_area_send_outcome(statement)
        except UnknownGrade as exc:
            text_error = str(exc)
    if by_code and by_text and by_code != by_text:
        return None, (f"outcome_grade {row['outcome_grade']!r} ({by_code}) disagrees with "
                      f"inspection_outcome_text ({by_text})")
    if by_code is None and by_text is None:
        why = text_error or f"inspection_outcome_text {statement!r}"
        return None, f"no outcome: outcome_grade blank, {why}"
    if by_text is None and text_error:
        return None, f"outcome_grade {row['outcome_grade']!r} ({by_code}) but {text_error}"
    grade = by_text or by_code
    assert grade is not None
    words = " ".join(statement.split()) if by_text else f"outcome_grade {row['outcome_grade']}"
    return Judgement(area=AREA_SEND_AREA, grade=grade, grade_text=words[:400]), None


def row_to_record(row: dict[str, str | dt.date], *, row_ref: str,
                  resolver: LaResolver) -> tuple[InspectionRecord, str | None]:
    """One workbook row -> its record and the reason its outcome is quarantined (or None)."""
    try:
        la_code = resolver.by_urn(str(row["urn"]))
    except UnknownLA as exc:
        raise RowError(str(exc)) from None
    if row["la_code"]:
        try:
            listed = resolver.by_code(str(row["la_code"]))
        except UnknownLA:
            listed = str(row["la_code"])
        if listed != la_code:
            raise RowError(f"la_code {row['la_code']!r} disagrees with URN {row['urn']!r} "
                           f"(LA {la_code})")
    published = _date(row["publication_date"], "publication_date", ("%d/%m/%y", "%d/%m/%Y"))
    if published is None:
        raise RowError("publication_date blank")
    start = _date(row["inspection_start_date"], "inspection_start_date", ("%d/%m/%y", "%d/%m/%Y"))
    end = _date(row["inspection_end_date"], "inspection_end_date", ("%d/%m/%y", "%d/%m/%Y"))
    if start and end and end < start:
        raise RowError(f"inspection_end_date {end} before inspection_start_date {start}")
    previous = _date(row["previous_inspection_date"], "previous_inspection_date",
                     ("%d/%m/%Y", "%d/%m/%y"))
    judgement, outcome_problem = read_outcome(row)
    notes = []
    if start is None:
        notes.append("no inspection dates in the workbook")
    if previous and previous != NO_PREVIOUS:
        notes.append(f"previous inspection {previous.isoformat()}")
    next_text = str(row["next_inspection"])
    if judgement and next_text and next_text != NEXT_AFTER[judgement.grade]:
        notes.append(f"next_inspection {next_text!r} is not what outcome {judgement.grade} "
                     f"implies ({NEXT_AFTER[judgement.grade]})")
    record = InspectionRecord(
        source_id=SOURCE_ID, row_ref=row_ref, la_code=la_code,
        la_name_raw=str(row["local_authority"]), framework="AREA_SEND", inspection_type="full",
        start_date=start, end_date=end, published_date=published,
        report_url=str(row["inspection_link"]),
        judgements=[judgement] if judgement else [], evidence="derived", notes="; ".join(notes))
    return record, outcome_problem


def parse_area_send_xlsx(path: Path, resolver: LaResolver, shared_data: Path) -> SourceResult:
    """The workbook -> one AREA_SEND record per LA row, with quarantined rows and outcomes."""
    path = Path(path)
    rel = relative_path(path, shared_data)
    import openpyxl  # here, not at import: only the process that reads a workbook needs it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise SourceError(rel, f"not a readable .xlsx workbook: {e}") from None
    try:
        if not wb.worksheets:
            raise SourceError(rel, "workbook has no sheets")
        ws = wb.worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        sheet = ws.title
    finally:
        wb.close()
    if not rows or not any(v not in (None, "") for v in rows[0]):
        raise SourceError(rel, f"sheet {sheet!r} is empty")
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise SourceError(rel, f"sheet {sheet!r} row 1: missing column(s) {', '.join(missing)}")
    source = Source(
        source_id=SOURCE_ID, kind=KIND,
        title="Area SEND inspections under the 2023 framework: latest per LA (public scraper)",
        path=rel, publisher="Ofsted and CQC (collected by a public scraper, MIT)",
        parser=PARSER, parser_version=PARSER_VERSION, sha256=file_sha256(path))
    result = SourceResult(source=source)
    for n, values in enumerate(rows[1:], start=2):
        if all(v in (None, "") for v in values):
            continue
        row = {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
        row_ref = f"sheet {sheet} row {n}"
        raw = ",".join(str(row.get(c, "")) for c in REQUIRED_COLUMNS[:9])
        try:
            record, outcome_problem = row_to_record(row, row_ref=row_ref, resolver=resolver)
        except RowError as exc:
            result.rejects.append(Reject(SOURCE_ID, rel, row_ref, str(exc), raw=raw))
            continue
        result.records.append(record)
        if outcome_problem:
            result.rejects.append(Reject(
                SOURCE_ID, rel, f"{row_ref} judgement {AREA_SEND_AREA}", outcome_problem,
                raw=f"{row['outcome_grade']},{str(row['inspection_outcome_text'])[:200]}"))
    return result
