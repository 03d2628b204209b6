"""The public scraper's report history CSV: one row per published children's services report.

Columns: urn, local_authority, inspection_link (files.ofsted.gov.uk/v1/file/<id>), pdf_filename,
publication_date (dd/mm/yy), inspection_framework (standard / short / '' / "inspection duration
longer than standard framework"), inspection start/end dates (dd/mm/yyyy) and five ILACS grade
columns. The scraper only reads ILACS-layout reports: older reports carry `data_unreadable`.

How a row becomes a record (the CSV has no framework column for pre-ILACS reports):
- published before the SIF began (Nov 2013) -> Reject: the CSV cannot tell a SLAC, child
  protection or 2013 looked-after-children inspection apart; the report PDF decides.
- inspection started before Jan 2018, or no dates and every grade unreadable -> SIF, a record
  with no judgements. A later SIF-era report for the same URN is a re-inspection (report titles
  do not always say so; sequence per LA tells), unless it came within six months of the
  previous one (Surrey's June/August 2015 pair is one inspection's files, not a re-inspection).
- inspection started from Jan 2018 -> ILACS; `standard`/`short` is the inspection type.
- no framework label and no dates on an ILACS-era report -> Reject: standard vs short unknown.
`row_to_record` is shared with the summary workbook adapter (same scraper, same columns).

Records are evidence "derived" (scraped from Ofsted's reports, not Ofsted's own words). Each
notes "urn=<urn>; pdf_filename=<file>" so `record_pdf_key` can join it to its report PDF.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

from etl.ingest.adapters import reports_pdf
from etl.ingest.adapters.files import file_sha256, relative_path
from etl.ingest.records import InspectionRecord, Judgement, Reject, Source, SourceError, SourceResult
from etl.local_authorities import LaResolver, UnknownLA
from etl.vocab import ILACS_REFORM_FROM, ILACS_SPLIT_CARE_FROM, UnknownGrade, normalise_grade

PARSER_VERSION = "1"
PARSER = __name__
KIND = "scraper_csv"
SOURCE_ID = "scraper:ilacs-history"
RELPATH = Path("ilacs-history") / "ofsted_csc_ilacs_history.csv"

UNREADABLE = "data_unreadable"
NOT_REPORTED = "not_reported_post_reform"
PRE_DATES = "inspection_pre_dates_judgement"
LONGER_LABEL = "inspection duration longer than standard framework"

SIF_START = dt.date(2013, 11, 1)
ILACS_START = dt.date(2018, 1, 1)
# SIF reports were published until mid-2018; an undated unreadable row after this is not SIF.
SIF_LAST_PUBLISHED = dt.date(2018, 12, 31)
# Two SIF-era files this close together are parts of one inspection, not a re-inspection.
REINSPECTION_MIN_GAP = dt.timedelta(days=183)
ILACS_SPLIT = dt.date.fromisoformat(ILACS_SPLIT_CARE_FROM)
ILACS_REFORM = dt.date.fromisoformat(ILACS_REFORM_FROM)

GRADE_COLUMNS = (
    "overall_effectiveness_grade",
    "impact_of_leaders_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
)
# Columns the row logic needs; the workbook lacks pdf_filename, so that one is CSV-only.
ROW_COLUMNS = (
    "urn",
    "local_authority",
    "inspection_link",
    "publication_date",
    "inspection_framework",
    "inspection_start_date",
    "inspection_end_date",
    *GRADE_COLUMNS,
)
REQUIRED_COLUMNS = (*ROW_COLUMNS, "pdf_filename")
EXTRA_CELLS = "__extra_cells__"


class RowError(ValueError):
    """One row cannot become a record; the message is the Reject reason."""


def pdf_key(urn: str, pdf_filename: str) -> tuple[str, str]:
    """The join key from a CSV row to a report PDF: (URN, file name without ".pdf").

    The PDF adapter's source_id is "report:<urn>_<la folder name>/<file stem>"; the folder name
    is not derivable from the CSV, so match a PDF by its folder's URN prefix (the folder name
    up to the first "_") and its file stem, both of which this returns.
    """
    name = pdf_filename.strip()
    if name.lower().endswith(".pdf"):
        name = name[: -len(".pdf")]
    return (str(urn).strip(), name)


_NOTE_URN = re.compile(r"(?:^|; )urn=([^;]+)")
_NOTE_PDF = re.compile(r"(?:^|; )pdf_filename=([^;]+)")


def record_pdf_key(record: InspectionRecord) -> tuple[str, str] | None:
    """`pdf_key` of a record this module made (from its notes), None if it names no PDF."""
    urn, name = _NOTE_URN.search(record.notes), _NOTE_PDF.search(record.notes)
    if not (urn and name):
        return None
    return pdf_key(urn.group(1), name.group(1))


def parse_date(value: object, fmt: str, column: str) -> dt.date | None:
    """A date cell: '' is None; a real date passes; anything else unparseable is a RowError."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, fmt).date()
    except ValueError:
        raise RowError(f"{column} {text!r} is not a date ({fmt})") from None


def _resolve_la(row: Mapping[str, str], resolver: LaResolver, published: dt.date) -> str:
    try:
        return resolver.by_urn(row["urn"])
    except UnknownLA:
        pass
    try:
        return resolver.by_name(row["local_authority"], on=published.isoformat())
    except UnknownLA as e:
        raise RowError(f"URN {row['urn']!r} unknown and {e}") from None


def _all_unreadable(row: Mapping[str, str]) -> bool:
    # PRE_DATES is the scraper's date rule for care leavers, not a grade it read.
    return all(row[c] in ("", UNREADABLE, PRE_DATES) for c in GRADE_COLUMNS)


def _framework(row: Mapping[str, str], published: dt.date, start: dt.date | None) -> str:
    label = row["inspection_framework"]
    if published < SIF_START:
        raise RowError(
            f"published {published.isoformat()}, before the SIF began (Nov 2013): the CSV does "
            "not say whether this is a SLAC, child protection or 2013 looked-after-children "
            "inspection; the report PDF decides"
        )
    if start is not None:
        return "SIF" if start < ILACS_START else "ILACS"
    if label:
        return "ILACS"
    if _all_unreadable(row) and published <= SIF_LAST_PUBLISHED:
        return "SIF"
    reason = "inspection_framework blank and no inspection dates on an ILACS-era report: " \
             "standard vs short is not stated"
    if row["care_leavers_grade"] not in ("", UNREADABLE, PRE_DATES) and published < ILACS_SPLIT:
        reason += (f"; and a separate care_leavers_grade {row['care_leavers_grade']!r} on a report "
                   "published before the January 2023 split contradicts the framework")
    raise RowError(reason)


def _ilacs_type(label: str, notes: list[str]) -> str:
    if label in ("standard", "short"):
        return label
    if label == LONGER_LABEL:
        # Longer than a standard (two-week) inspection, so it is not a one-week short one.
        notes.append(f"inspection_framework={label!r} read as standard")
        return "standard"
    if not label:
        raise RowError("inspection_framework blank: standard vs short is not stated")
    raise RowError(f"unknown inspection_framework {label!r}")


def _grade(area: str, text: str, column: str) -> Judgement:
    try:
        g = normalise_grade(text)
    except UnknownGrade as e:
        raise RowError(f"{column}: {e}") from None
    if g.sub_grades:
        raise RowError(f"{column}: unexpected sub-grades in {text!r}")
    return Judgement(area=area, grade=g.grade, grade_text=text)


def _ilacs_judgements(
    row: Mapping[str, str], start: dt.date | None, notes: list[str]
) -> list[Judgement]:
    care_leavers = row["care_leavers_grade"]
    combined = care_leavers == PRE_DATES
    if start is not None and combined and start >= ILACS_SPLIT:
        raise RowError(f"care_leavers_grade {PRE_DATES!r} but the inspection started "
                       f"{start.isoformat()}, after the January 2023 split")
    if (start is not None and not combined and care_leavers not in ("", UNREADABLE)
            and start < ILACS_SPLIT):
        raise RowError(f"separate care_leavers_grade {care_leavers!r} but the inspection started "
                       f"{start.isoformat()}, before the January 2023 split")
    in_care = "children_in_care_and_care_leavers" if combined else "children_looked_after"
    areas = {
        "overall_effectiveness_grade": "overall_effectiveness",
        "impact_of_leaders_grade": "leadership",
        "help_and_protection_grade": "help_and_protection",
        "in_care_grade": in_care,
        "care_leavers_grade": None if combined else "care_leavers",
    }
    judgements: list[Judgement] = []
    for column, area in areas.items():
        text = row[column]
        if area is None:
            continue
        if text in ("", UNREADABLE):
            notes.append(f"{column} {'blank' if not text else UNREADABLE} in source")
            continue
        if text == NOT_REPORTED:
            if column != "overall_effectiveness_grade":
                raise RowError(f"{column}: {NOT_REPORTED!r} is only valid for the overall grade")
            if start is not None and start < ILACS_REFORM:
                raise RowError(f"{NOT_REPORTED!r} but the inspection started {start.isoformat()}, "
                               f"before the {ILACS_REFORM_FROM} framework change")
            judgements.append(Judgement(area=area, grade="not_judged", grade_text=text))
            continue
        judgements.append(_grade(area, text, column))
    return judgements


def row_to_record(
    row: Mapping[str, str],
    *,
    source_id: str,
    row_ref: str,
    resolver: LaResolver,
    earlier_sif: dt.date | None = None,
) -> InspectionRecord:
    """One scraper row (cells already stripped, missing as '') -> a record, or RowError.

    `earlier_sif` is the publication date of this URN's previous SIF-era report, if any.
    """
    published = parse_date(row["publication_date"], "%d/%m/%y", "publication_date")
    if published is None:
        raise RowError("publication_date blank")
    start = parse_date(row["inspection_start_date"], "%d/%m/%Y", "inspection_start_date")
    end = parse_date(row["inspection_end_date"], "%d/%m/%Y", "inspection_end_date")
    if start and end and end < start:
        raise RowError(f"inspection_end_date {end} before inspection_start_date {start}")
    la_code = _resolve_la(row, resolver, published)
    framework = _framework(row, published, start)
    notes: list[str] = []
    if row.get("pdf_filename"):
        if ";" in row["pdf_filename"]:
            raise RowError(f"pdf_filename {row['pdf_filename']!r} contains ';', "
                           "the notes separator")
        # record_pdf_key reads these two back to join the row to its report PDF.
        notes.append(f"urn={row['urn']}")
        notes.append(f"pdf_filename={row['pdf_filename']}")
    label = row["inspection_framework"]
    if framework == "SIF":
        if not _all_unreadable(row):
            raise RowError("readable grades on a SIF-era row: the ILACS grade columns do not map "
                           "to SIF judgements")
        if label:
            notes.append(f"scraper label {label!r} ignored: the inspection started "
                         f"{start.isoformat() if start else '?'}, before ILACS (January 2018)")
        notes.append("grades data_unreadable in source")
        inspection_type = "full"
        if earlier_sif is not None:
            gap = published - earlier_sif
            if gap >= REINSPECTION_MIN_GAP:
                inspection_type = "re-inspection"
                notes.append(f"re-inspection by sequence: an earlier SIF report for this LA was "
                             f"published {earlier_sif.isoformat()}")
            else:
                notes.append(f"an earlier SIF-era file for this LA was published "
                             f"{earlier_sif.isoformat()} ({gap.days} days before): read as part "
                             "of the same inspection, not a re-inspection")
        judgements: list[Judgement] = []
    else:
        inspection_type = _ilacs_type(label, notes)
        judgements = _ilacs_judgements(row, start, notes)
    return InspectionRecord(
        source_id=source_id,
        row_ref=row_ref,
        la_code=la_code,
        la_name_raw=row["local_authority"],
        framework=framework,
        inspection_type=inspection_type,
        start_date=start,
        end_date=end,
        published_date=published,
        report_url=row["inspection_link"],
        judgements=judgements,
        # Scraped from Ofsted's reports, not Ofsted's own words: derived, like council papers.
        evidence="derived",
        notes="; ".join(notes),
    )


def _earlier_sif_dates(rows: list[dict[str, str]]) -> dict[int, dt.date]:
    """For each row index, the publication date of the same URN's previous SIF-era report.

    Only undated, all-unreadable rows published in the SIF era count, plus dated ones that
    started before ILACS: the same test `_framework` applies.
    """
    by_urn: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
    for i, row in enumerate(rows):
        try:
            published = parse_date(row["publication_date"], "%d/%m/%y", "publication_date")
            start = parse_date(row["inspection_start_date"], "%d/%m/%Y", "inspection_start_date")
        except RowError:
            continue
        if published is None or published < SIF_START:
            continue
        sif = start < ILACS_START if start else (
            not row["inspection_framework"] and _all_unreadable(row)
            and published <= SIF_LAST_PUBLISHED)
        if sif:
            by_urn[row["urn"]].append((published, i))
    earlier: dict[int, dt.date] = {}
    for items in by_urn.values():
        items.sort()
        for (prev, _), (_, i) in zip(items, items[1:], strict=False):
            earlier[i] = prev
    return earlier


def read_rows(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """The CSV's rows with stripped cells; SourceError if it is empty or lacks a column."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise SourceError(str(path), f"unreadable: {e}") from None
    if not text.strip():
        raise SourceError(str(path), "empty file")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise SourceError(str(path), f"missing column(s): {', '.join(missing)}")
    rows = []
    for raw in reader:
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:  # more cells than header columns: a shifted row must not be read
            row[EXTRA_CELLS] = ",".join(raw[None])
        rows.append(row)
    return rows


def parse_scraper_csv(path: Path, resolver: LaResolver, shared_data: Path) -> SourceResult:
    """The scraper's report history CSV -> one InspectionRecord (or Reject) per row."""
    path = Path(path)
    rows = read_rows(path, REQUIRED_COLUMNS)
    rel = relative_path(path, shared_data)
    source = Source(
        source_id=SOURCE_ID,
        kind=KIND,
        title="Ofsted children's services inspection reports: history (public scraper output)",
        path=rel,
        publisher="Ofsted (collected by a public scraper)",
        parser=PARSER,
        parser_version=PARSER_VERSION,
        sha256=file_sha256(path),
    )
    result = SourceResult(source=source)
    earlier = _earlier_sif_dates(rows)
    for i, row in enumerate(rows):
        row_ref = f"row {i + 2}"  # the header is row 1
        try:
            if EXTRA_CELLS in row:
                raise RowError(f"more cells than header columns: extra {row[EXTRA_CELLS]!r}")
            result.records.append(row_to_record(
                row, source_id=SOURCE_ID, row_ref=row_ref, resolver=resolver,
                earlier_sif=earlier.get(i),
            ))
        except RowError as e:
            result.rejects.append(Reject(
                source_id=SOURCE_ID, file=rel, row_ref=row_ref, reason=str(e),
                raw=",".join(row.get(c, "") for c in REQUIRED_COLUMNS),
            ))
    return result


def fill_report_urls(results: list[SourceResult]) -> None:
    """Report PDFs do not know their own URL; this CSV lists it by URN and file name."""
    urls: dict[tuple[str, str], str] = {}
    for res in results:
        if res.source.kind != KIND:
            continue
        for rec in res.records:
            key = record_pdf_key(rec)
            if key and rec.report_url:
                urls[key] = rec.report_url
    for res in results:
        if res.source.kind != reports_pdf.KIND:
            continue
        url = urls.get(reports_pdf.pdf_key(res.source), "")
        if url:
            res.source.url = url
            for rec in res.records:
                rec.report_url = rec.report_url or url
