"""Ofsted's "Children's social care in England" underlying data (ODS): the provider sheets.

The release (one a year, published in July) holds LA sheets (another adapter's) and these:

* `Provider_level_at_31_Mar_<yyyy>`: every active inspected children's social care provider
  (children's homes, fostering and adoption agencies, residential special and boarding
  schools, ...) with its LA, type, sector, places and the grades of its latest full inspection
  as at 31 March (inspections by then, reports published by 30 April). Header on row 4.
  -> `social_care_providers`, one row per provider.
* `Provider_level_in_year_<yyyy>-<yy>`: every inspection and visit of the year (a provider
  inspected twice has two rows; monitoring inspections, assurance visits and emergency
  inspections carry no overall grade). -> `social_care_provider_inspections`.
* `Providers+places_Time_series` (tables 6a providers, 6b places, by provision type, as at 31
  March since 2012), `Latest_OE_31_Mar_Time_Series` (tables 8a-8n: latest overall
  effectiveness by grade, per provider group, as at 31 March since 2014) and
  `In_Year_Time_series` (tables 9a-9e: overall effectiveness of the year's inspections of
  children's homes and residential special schools) -> `provider_national_series`, long:
  one row per table, group, period and grade (or count). These are Ofsted's own national
  figures, which the provider-level facts are checked against.

The release reads fast: only these five sheets are parsed, streamed from content.xml
(`ods_stream`), not the whole document through pandas/odfpy (~30 s and ~1 GB).

"Overall experiences and progress of children and young people" is the SCCIF's overall
effectiveness judgement (the time-series sheets call it that); grades go through
`normalise_grade`, provision types through `normalise_provider_type`, LA names through the
shared resolver (on the release's date). A row without an LA, with an LA name, provision type
or grade wording we do not know, or with places that are not a whole number, is quarantined
naming the file, sheet, row and reason. A release without one of the five sheets (a renamed
sheet), or whose provider header lacks a column, is unreadable as a whole (SourceError).

Ofsted's own tables disagree once, and we keep both: table 8c (children's homes, 31 March 2023)
counts 506 requiring improvement where the provider sheet has 508, and tables 8a/8b count all
508: the two extra are the two homes whose "latest full inspection" is a monitoring inspection
that regraded them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from etl.ingest.adapters.files import read_source, relative_path
from etl.ingest.adapters.ods_stream import Cell, OdsDocument, OdsError
from etl.ingest.records import Reject, Source, SourceError, SourceResult
from etl.local_authorities import LaResolver, UnknownLA
from etl.vocab import UnknownGrade, UnknownProviderType, normalise_grade, normalise_provider_type

PARSER = "etl.ingest.adapters.social_care_providers"
PARSER_VERSION = "1"
KIND = "ofsted_provider_stats"
INPUTS = "official/Childrens_social_care_in_England_*_underlying_data.ods"
PROVIDERS_TABLE = "social_care_providers"
INSPECTIONS_TABLE = "social_care_provider_inspections"
SERIES_TABLE = "provider_national_series"

AS_AT_SHEET = re.compile(r"^Provider_level_at_(\d{1,2})_([A-Za-z]{3})_(\d{4})$")
IN_YEAR_SHEET = re.compile(r"^Provider_level_in_year_(\d{4})-(\d{2})$")
PLACES_SERIES_SHEET = "Providers+places_Time_series"
LATEST_SERIES_SHEET = "Latest_OE_31_Mar_Time_Series"
IN_YEAR_SERIES_SHEET = "In_Year_Time_series"

# Provider-sheet columns (lower case) -> our field. The as-at sheet says "Latest full
# inspection ...", the in-year sheet "Inspection ...".
_COMMON_COLUMNS = {
    "urn": "provider_urn",
    "provision type": "provision_type_text",
    "local authority": "la_name_raw",
    "sector": "sector",
    "places": "places",
    "registration status": "registration_status",
    "registration date": "registration_date",
    "overall experiences and progress of children and young people": "overall",
    "how well children and young people are helped and protected": "help_and_protection_grade",
    "the effectiveness of leaders and managers": "leadership_grade",
    "outcomes in education and related learning activities": "education_grade",
    "health services": "health_grade",
}
_INSPECTION_COLUMNS = {
    "event type": "inspection_type",
    "date": "inspection_date",
    "publication date": "published_date",
    "event number": "inspection_event",
}
_SUB_GRADES = ("help_and_protection_grade", "leadership_grade", "education_grade", "health_grade")
_INSPECTION_TYPES = {
    "full inspection": "full",
    "monitoring inspection": "monitoring",
    "assurance visit": "assurance_visit",
    "emergency inspection": "emergency",
    "interim inspection": "interim",
}
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                       "sep", "oct", "nov", "dec"), start=1)}


class _RowError(ValueError):
    """A row that cannot become facts; the message is its quarantine reason."""


@dataclass(frozen=True)
class _Sheets:
    as_at_sheet: str
    as_at: dt.date
    in_year_sheet: str
    period_start: dt.date
    period_end: dt.date


def find_sheets(names: list[str], file: str) -> _Sheets:
    """The provider sheets of a release by their names; SourceError naming what is missing."""
    as_at = [(s, m) for s in names if (m := AS_AT_SHEET.match(s))]
    in_year = [(s, m) for s in names if (m := IN_YEAR_SHEET.match(s))]
    missing = []
    if len(as_at) != 1:
        missing.append("Provider_level_at_<dd>_<Mon>_<yyyy>")
    if len(in_year) != 1:
        missing.append("Provider_level_in_year_<yyyy>-<yy>")
    missing += [s for s in (PLACES_SERIES_SHEET, LATEST_SERIES_SHEET, IN_YEAR_SERIES_SHEET)
                if s not in names]
    if missing:
        raise SourceError(file, f"no sheet {' / '.join(missing)} (one each expected; sheets "
                                f"found: {', '.join(names)})")
    (a_name, a), (y_name, y) = as_at[0], in_year[0]
    month = _MONTHS.get(a.group(2).lower())
    if month is None:
        raise SourceError(file, f"sheet {a_name}: {a.group(2)!r} is not a month")
    first = int(y.group(1))
    if int(y.group(2)) != (first + 1) % 100:
        raise SourceError(file, f"sheet {y_name}: {first}-{y.group(2)} is not one year")
    return _Sheets(a_name, dt.date(int(a.group(3)), month, int(a.group(1))),
                   y_name, dt.date(first, 4, 1), dt.date(first + 1, 3, 31))


def _norm(value: Cell) -> str:
    return " ".join(str(value).split()).lower() if value is not None else ""


def _header(rows: Iterator[tuple[int, list[Cell]]], sheet: str, file: str,
            inspection_prefix: str) -> tuple[int, dict[str, int]]:
    """(header row number, field -> column index) of a provider sheet, read from the first
    rows of `rows` (which then continues after the header)."""
    wanted = dict(_COMMON_COLUMNS)
    wanted.update({f"{inspection_prefix} {k}": v for k, v in _INSPECTION_COLUMNS.items()})
    for row_no, values in itertools.islice(rows, 12):
        names = [_norm(v) for v in values]
        if "urn" in names and "provision type" in names:
            missing = [k for k in wanted if k not in names]
            if missing:
                raise SourceError(file, f"sheet {sheet} row {row_no}: header lacks column(s) "
                                        f"{', '.join(repr(m) for m in missing)}")
            return row_no, {field: names.index(col) for col, field in wanted.items()}
    raise SourceError(file, f"sheet {sheet}: no header row (with 'URN' and 'Provision type') "
                            "in its first 12 rows")


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _date(value: Cell, what: str) -> dt.date | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _RowError(f"{what} {text!r} is not a date")


def _grade(value: Cell, what: str) -> tuple[str | None, str]:
    text = _text(value)
    if not text:
        return None, ""
    try:
        return normalise_grade(text).grade, text
    except UnknownGrade as exc:
        raise _RowError(f"{what}: {exc}") from None


def _provider_row(values: list[Cell], cols: dict[str, int], resolver: LaResolver,
                  on: dt.date) -> dict[str, object]:
    """One provider-sheet row -> the columns both provider tables share."""

    def cell(field: str) -> Cell:
        i = cols[field]
        return values[i] if i < len(values) else None

    urn = _text(cell("provider_urn"))
    if not urn:
        raise _RowError("no URN")
    type_text = _text(cell("provision_type_text"))
    try:
        provider_type = normalise_provider_type(type_text)
    except UnknownProviderType as exc:
        raise _RowError(str(exc)) from None
    la_name = _text(cell("la_name_raw"))
    if not la_name:
        raise _RowError(f"provider {urn} has no local authority")
    try:
        la_code = resolver.by_name(la_name, on=on.isoformat())
    except UnknownLA as exc:
        raise _RowError(f"provider {urn}: {exc}") from None
    places_cell = cell("places")
    places: int | None = None
    if places_cell is not None and _text(places_cell) != "":
        if not isinstance(places_cell, float) or not places_cell.is_integer() or places_cell < 0:
            raise _RowError(f"places {_text(places_cell)!r} is not a whole number")
        places = int(places_cell)
    type_words = _text(cell("inspection_type"))
    inspection_type = _INSPECTION_TYPES.get(type_words.lower()) if type_words else None
    if type_words and inspection_type is None:
        raise _RowError(f"unknown inspection event type {type_words!r}")
    overall, overall_text = _grade(cell("overall"), "overall experiences and progress")
    row: dict[str, object] = {
        "provider_urn": urn, "provider_type": provider_type, "provision_type_text": type_text,
        "la_code": la_code, "la_name_raw": la_name, "sector": _text(cell("sector")),
        "places": places, "registration_status": _text(cell("registration_status")),
        "registration_date": _date(cell("registration_date"), "registration date"),
        "inspection_type": inspection_type,
        "inspection_date": _date(cell("inspection_date"), "inspection date"),
        "published_date": _date(cell("published_date"), "publication date"),
        "inspection_event": _text(cell("inspection_event")),
        "overall_grade": overall, "overall_grade_text": overall_text,
    }
    for field in _SUB_GRADES:
        row[field] = _grade(cell(field), field.replace("_grade", "").replace("_", " "))[0]
    return row


def _provider_sheet(doc_rows: Iterable[tuple[int, list[Cell]]], sheet: str, file: str,
                    inspection_prefix: str, resolver: LaResolver, on: dt.date, source_id: str,
                    extra: dict[str, object]) -> tuple[list[dict[str, object]], list[Reject]]:
    """Facts and rejects of a provider sheet, its rows streamed (never all held at once)."""
    rows = iter(doc_rows)
    _, cols = _header(rows, sheet, file, inspection_prefix)
    facts: list[dict[str, object]] = []
    rejects: list[Reject] = []
    for row_no, values in rows:
        if not any(v is not None for v in values):
            continue
        ref = f"sheet {sheet} row {row_no}"
        try:
            row = _provider_row(values, cols, resolver, on)
        except _RowError as exc:
            raw = ",".join(_text(values[i]) if i < len(values) else ""
                           for i in (cols["provider_urn"], cols["provision_type_text"],
                                     cols["la_name_raw"], cols["overall"]))
            rejects.append(Reject(source_id, file, ref, str(exc), raw=raw))
            continue
        facts.append({"source_id": source_id, "row_ref": ref, **extra, **row})
    return facts, rejects


# ---------------------------------------------------------------------------
# National time series

_TABLE_TITLE = re.compile(r"^Table (?P<ref>\d+[a-z]?)\s*:\s*(?P<title>.+)$", re.I | re.S)
_LATEST_TITLE = re.compile(r"latest overall effectiveness judgement for (?P<group>.+?),? as at",
                           re.I)
_IN_YEAR_TITLE = re.compile(r"overall effectiveness judgement of (?P<group>.+?) inspections "
                            r"between", re.I)
_PLACES_TITLE = re.compile(r"national number of children.s social care (?P<measure>providers|"
                           r"places), by provision type", re.I)
_NOTE = re.compile(r"\[(Note \d+)\]", re.I)
_SHORT_DATE = re.compile(r"^(\d{1,2})-([A-Za-z]{3})-(\d{2})\b")
_YEAR_RANGE = re.compile(r"^(\d{4})-(\d{2})\b")


def _period(value: Cell, what: str) -> tuple[str, dt.date | None, dt.date, str]:
    """(label, start, end, note) of a series' period cell: a date, "31-Mar-15 [Note 3]" or
    "2022-23" (1 April to 31 March)."""
    note = ""
    if isinstance(value, dt.date):
        return value.isoformat(), None, value, note
    text = _text(value)
    m = _NOTE.search(text)
    if m:
        note = m.group(1)
    m = _SHORT_DATE.match(text)
    if m and m.group(2).lower() in _MONTHS:
        end = dt.date(2000 + int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
        return text, None, end, note
    m = _YEAR_RANGE.match(text)
    if m and int(m.group(2)) == (int(m.group(1)) + 1) % 100:
        first = int(m.group(1))
        return text, dt.date(first, 4, 1), dt.date(first + 1, 3, 31), note
    raise _RowError(f"{what} {text!r} is not a date or a year 'yyyy-yy'")


def _value(value: Cell) -> tuple[float | None, str]:
    """A count cell: a number, or '-' / blank (not collected) as None with a note."""
    if isinstance(value, float):
        return value, ""
    text = _text(value)
    if text in ("", "-", "..", "x"):
        return None, "not collected" if text == "-" else ""
    raise _RowError(f"{text!r} is not a count")


def _series_tables(rows: list[tuple[int, list[Cell]]]) -> list[tuple[int, str, str, list]]:
    """(title row, table ref, title, the rows after it up to a blank row) of each table."""
    tables = []
    i = 0
    while i < len(rows):
        row_no, values = rows[i]
        m = _TABLE_TITLE.match(_text(values[0])) if values and values[0] is not None else None
        if m and len([v for v in values if v is not None]) == 1:
            body = []
            j = i + 1
            while j < len(rows) and rows[j][1]:
                body.append(rows[j])
                j += 1
            tables.append((row_no, m.group("ref"), m.group("title"), body))
            i = j
        else:
            i += 1
    return tables


def _series(rows: list[tuple[int, list[Cell]]], sheet: str, file: str, source_id: str
            ) -> tuple[list[dict[str, object]], list[Reject]]:
    facts: list[dict[str, object]] = []
    rejects: list[Reject] = []
    tables = _series_tables(rows)
    if not tables:
        raise SourceError(file, f"sheet {sheet}: no 'Table <n>: ...' titles found")
    for title_row, ref, title, body in tables:
        where = f"sheet {sheet} row {title_row} (Table {ref})"
        try:
            facts.extend(_one_table(sheet, ref, title, body, source_id))
        except _RowError as exc:
            rejects.append(Reject(source_id, file, where, str(exc), raw=title[:200]))
    return facts, rejects


def _one_table(sheet: str, ref: str, title: str, body: list[tuple[int, list[Cell]]],
               source_id: str) -> list[dict[str, object]]:
    if not body:
        raise _RowError("table has no header row")
    header_no, header = body[0]
    base = {"source_id": source_id, "sheet": sheet, "table_ref": f"Table {ref}"}
    out: list[dict[str, object]] = []
    latest, in_year = _LATEST_TITLE.search(title), _IN_YEAR_TITLE.search(title)
    if latest or in_year:
        measure = "latest_overall_effectiveness" if latest else "in_year_overall_effectiveness"
        group_words = (latest or in_year).group("group")  # type: ignore[union-attr]
        try:
            group = normalise_provider_type(group_words, groups=True)
        except UnknownProviderType as exc:
            raise _RowError(f"table title: {exc}") from None
        grades = []
        for col, name in enumerate(header[1:], start=1):
            if name is None:
                continue
            try:
                grades.append((col, normalise_grade(_text(name)).grade))
            except UnknownGrade as exc:
                raise _RowError(f"row {header_no}: column {col + 1}: {exc}") from None
        for row_no, values in body[1:]:
            try:
                label, start, end, note = _period(values[0], "period")
                for col, grade in grades:
                    value, why = _value(values[col] if col < len(values) else None)
                    out.append({**base, "measure": measure, "provider_group": group,
                                "period_label": label, "period_start": start, "period_end": end,
                                "grade": grade, "value": value,
                                "note": "; ".join(x for x in (note, why) if x)})
            except _RowError as exc:
                raise _RowError(f"row {row_no}: {exc}") from None
        return out
    m = _PLACES_TITLE.search(title)
    if not m:
        raise _RowError(f"unknown table {title!r}")
    measure = m.group("measure").lower()
    names = [_text(v) for v in header]
    if names[:2] != ["Date", "Data type"]:
        raise _RowError(f"row {header_no}: header starts {names[:2]}, expected Date, Data type")
    groups = []
    for col, name in enumerate(names[2:], start=2):
        try:
            groups.append((col, normalise_provider_type(name, groups=True)))
        except UnknownProviderType as exc:
            raise _RowError(f"row {header_no}: column {col + 1}: {exc}") from None
    for row_no, values in body[1:]:
        try:
            label, start, end, note = _period(values[0], "date")
            for col, group in groups:
                value, why = _value(values[col] if col < len(values) else None)
                out.append({**base, "measure": measure, "provider_group": group,
                            "period_label": label, "period_start": start, "period_end": end,
                            "grade": None, "value": value,
                            "note": "; ".join(x for x in (note, why) if x)})
        except _RowError as exc:
            raise _RowError(f"row {row_no}: {exc}") from None
    return out


# ---------------------------------------------------------------------------


def source_id_for(path: Path) -> str:
    """"providers:csc-england-2023" (it is repeated on every fact row: kept short)."""
    m = re.fullmatch(r"Childrens_social_care_in_England_(\d{4})_underlying_data", Path(path).stem)
    return f"providers:csc-england-{m.group(1)}" if m else f"providers:{Path(path).stem}"


def _cover_published_by(doc: OdsDocument) -> dt.date | None:
    """"As at 31 March 2023, published by 30 April 2023" on the Cover sheet."""
    if "Cover" not in doc.sheet_names:
        return None
    for _, values in doc.rows("Cover"):
        for value in values:
            m = re.search(r"published by (\d{1,2} \w+ \d{4})", _text(value))
            if m:
                try:
                    return dt.datetime.strptime(m.group(1), "%d %B %Y").date()
                except ValueError:
                    return None
    return None


def parse_provider_stats(path: Path, resolver: LaResolver, shared_data: Path) -> SourceResult:
    """The provider sheets and national series of one release -> facts and rejects."""
    path = Path(path)
    file = relative_path(path, shared_data)
    data = read_source(path, file)
    if not data:
        raise SourceError(file, "empty file")
    try:
        doc = OdsDocument(path)
    except OdsError as exc:
        raise SourceError(file, str(exc)) from None
    sheets = find_sheets(doc.sheet_names, file)
    source_id = source_id_for(path)
    source = Source(
        source_id=source_id, kind=KIND,
        title=(f"Ofsted, Children's social care in England: providers as at "
               f"{sheets.as_at:%d %B %Y} and inspections {sheets.period_start.year}-"
               f"{sheets.period_end:%y} (underlying data)"),
        path=file, parser=PARSER, parser_version=PARSER_VERSION,
        sha256=hashlib.sha256(data).hexdigest(), as_at=sheets.as_at,
        published_by=_cover_published_by(doc))
    result = SourceResult(source=source)
    try:
        providers, rejects = _provider_sheet(
            doc.rows(sheets.as_at_sheet), sheets.as_at_sheet, file, "latest full inspection",
            resolver, sheets.as_at, source_id, {"as_at": sheets.as_at})
        result.rejects.extend(rejects)
        inspections, rejects = _provider_sheet(
            doc.rows(sheets.in_year_sheet), sheets.in_year_sheet, file, "inspection",
            resolver, sheets.period_end, source_id,
            {"period_start": sheets.period_start, "period_end": sheets.period_end})
        result.rejects.extend(rejects)
        series: list[dict[str, object]] = []
        for sheet in (PLACES_SERIES_SHEET, LATEST_SERIES_SHEET, IN_YEAR_SERIES_SHEET):
            facts, rejects = _series(list(doc.rows(sheet)), sheet, file, source_id)
            series.extend(facts)
            result.rejects.extend(rejects)
    except OdsError as exc:
        raise SourceError(file, str(exc)) from None
    result.facts = {PROVIDERS_TABLE: providers, INSPECTIONS_TABLE: inspections,
                    SERIES_TABLE: series}
    return result
