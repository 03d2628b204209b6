"""Ofsted's official statistics "Local authority inspection outcomes as at 31 March" (ODS).

Each release has a Cover (title, "Published on", "Period covered: Inspections as at
31 March 2025, with a report published by 30 June 2025"), Contents, Notes and three
tables:

* latest judgements: one row per LA with its latest ILACS inspection as at the date;
* in-year activity: standard/short inspections, focused visits (with a theme) and
  monitoring visits carried out in the year to 31 March;
* ILACS history: every standard/short inspection since 2018.

The layout changed between releases. 2024: no LA codes, latest sheet without a
publication date, history *wide* (First/Second ILACS column groups with publication
dates but no inspection dates, header on row 4, plus a second table of abolished LAs
further down). 2025: ONS area codes, inspection and publication dates everywhere,
history *long* (one row per inspection, header on row 3). Each sheet's layout is
recognised by its header row (`LAYOUTS`); a data sheet matching none raises
SourceError naming the sheet, the row and the header found.

One inspection appears on up to three sheets of one release. We emit it once:

* rows are merged in order history, in-year, latest (the history has the inspection
  type and, in 2024, the publication date; the latest sheet has neither type nor,
  in 2024, publication date);
* two rows are the same inspection when they are for the same LA and share the
  inspection date, or the publication date, or, when one row has only an inspection
  date and the other only a publication date (2024), the judgements and type agree and
  the report came out within a year after the inspection (the earliest such report);
* the kept record takes the dates it lacked from the rows merged into it, and its
  notes list those rows; a row that shares a date with a kept row but disagrees on
  judgements, type or the other date becomes a Reject, so a conflict is never hidden;
* a latest-judgement row without a publication date that matches none of its LA's
  history rows is emitted only when the history has no row for that LA (otherwise it
  contradicts the history and becomes a Reject); such a row names no inspection type,
  so it is recorded as 'standard' with a note saying so (never happens in the 2024 or
  2025 release, where every latest row matches a history row); rows saying "Not yet inspected"
  (Cumberland, Westmorland and Furness in 2024) describe no inspection and yield no
  record.

Visits carry no judgements: focused visits become 'focused_visit' and monitoring
visits 'monitoring_visit', with the visit theme in notes; a JTAI row would become 'jtai'.
Every row is ILACS (the releases hold no SIF judgements). The children-in-care column
means the combined "children in care and care leavers" judgement for inspections
before 2023 and "children in care" from 2023 (Ofsted relabelled the old values), so
its area follows the inspection date; where only a publication date is known (2024
history) it follows whether the row has a care-leavers judgement, which agrees with the
inspection date on every 2025 row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from etl.ingest.adapters.files import date_words, read_source, relative_path
from etl.ingest.records import InspectionRecord, Judgement, Reject, Source, SourceError, SourceResult
from etl.local_authorities import LaResolver, UnknownLA
from etl.vocab import ILACS_SPLIT_CARE_FROM, UnknownGrade, normalise_grade

# pandas (~90 MB resident with numpy) is imported where a release is read, not by every process
# that imports the registry: the report parsers' workers and the snapshot writer need none of it.
if TYPE_CHECKING:
    import pandas as pd

PARSER = "etl.ingest.adapters.official_ods"
PARSER_VERSION = "1"
KIND = "ofsted_official_stats"
# This kind reads the "LA inspection outcomes as at 31 March" releases only; Ofsted's annual
# "Children's social care in England" underlying data is another layout and another kind
# (etl.ingest.adapters.csc_statistics_ods).
RELEASE_GLOB = "official/LA_Inspection_Outcomes_*.ods"

# Ofsted's fixed text sheets; every other sheet must be a table we recognise.
TEXT_SHEETS = frozenset({"Cover", "Contents", "Notes"})

# Spellings in these releases that the shared resolver does not know; mapped to a
# spelling it does know (the only LA of that name), not guessed.

_JUDGEMENT_FIELDS = ("overall", "leaders", "help", "care", "care_leavers")
_AREA_OF_FIELD = {
    "overall": "overall_effectiveness",
    "leaders": "leadership",
    "help": "help_and_protection",
    "care_leavers": "care_leavers",
}

_TYPE_WORDS = {
    "ilacs standard inspection": "standard",
    "ilacs short inspection": "short",
    "ilacs focused visit": "focused_visit",
    "la monitoring visit": "monitoring_visit",
    "ilacs monitoring visit": "monitoring_visit",
    "monitoring visit": "monitoring_visit",
    "focused visit": "focused_visit",
    "joint targeted area inspection": "jtai",
    "jtai": "jtai",
}
_VISITS = frozenset({"focused_visit", "monitoring_visit", "jtai"})
_ROLE_RANK = {"history": 0, "in_year": 1, "latest": 2}
_MATCH_WINDOW = dt.timedelta(days=365)
# Marks the records the latest-judgement sheet lists (the release's own "latest" set).
LATEST_NOTE = "latest judgement as at the release date"

_LEADERS_LONG = "the impact of leaders on social work practice with children and families"
_HELP_LONG = "the experiences and progress of children who need help and protection"
_CARE_LONG = "the experiences and progress of children in care"
_LEAVERS_LONG = "the experiences and progress of care leavers"
_JUDGEMENTS_2024 = (
    "overall effectiveness",
    "impact of leaders",
    "experiences and progress of children who need help and protection",
    "experiences and progress of children in care",
    "experiences and progress of care leavers",
)
_JUDGEMENTS_2025 = ("overall effectiveness", _LEADERS_LONG, _HELP_LONG, _CARE_LONG, _LEAVERS_LONG)


def _group(prefix: str, words: Iterable[str]) -> tuple[str, ...]:
    return tuple(f"{prefix} {w}" for w in words)


@dataclass(frozen=True)
class Layout:
    name: str
    role: str  # "latest" | "in_year" | "history"
    header_row: int  # 1-based spreadsheet row
    columns: tuple[str, ...]  # normalised header cells, in order


_HISTORY_2024_GROUP = (
    "publication date",
    "inspection type",
    "overall effectiveness",
    "impact of leaders",
    "experiences and progress of children who need help and protection",
    "experiences and progress of children in care",
    "experiences and progress of care leavers",
)

LAYOUTS: tuple[Layout, ...] = (
    Layout("latest_2024", "latest", 3,
           ("web link", "local authority name", "ofsted region", "inspection date",
            *_JUDGEMENTS_2024)),
    Layout("in_year_2024", "in_year", 3,
           ("web link", "local authority name", "region", "inspection/visit date",
            "inspection/visit type", *_JUDGEMENTS_2024, "visit theme")),
    Layout("history_wide_2024", "history", 4,
           ("web link", "local authority name", "la region",
            *_group("first ilacs", _HISTORY_2024_GROUP),
            *_group("second ilacs", _HISTORY_2024_GROUP))),
    Layout("latest_2025", "latest", 3,
           ("web link", "local authority area code", "local authority name", "ofsted region",
            "inspection date", "publication date", *_JUDGEMENTS_2025)),
    Layout("in_year_2025", "in_year", 3,
           ("web link", "local authority area code", "local authority name", "region",
            "inspection/visit date", "publication date", "inspection/visit type",
            *_JUDGEMENTS_2025, "visit theme")),
    Layout("history_long_2025", "history", 3,
           ("web link", "local authority area code", "local authority name",
            "local authority status", "ofsted region", "inspection date", "publication date",
            "inspection type", *_JUDGEMENTS_2025)),
)

# A further table inside a sheet (2024: abolished LAs below the history table).
SUB_TABLES: dict[str, tuple[tuple[str, ...], ...]] = {
    "history_wide_2024": (
        ("web link", "local authority name", "la region", "ilacs framework publication date",
         "ilacs framework inspection type", "ilacs framework overall effectiveness",
         "ilacs framework impact of leaders",
         "ilacs framework experiences and progress of children who need help and protection",
         "ilacs framework experiences and progress of children in care and care leavers"),
    ),
}

_FIELD_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), f)
    for p, f in (
        (r"^local authority area code$", "ons_code"),
        (r"^local authority name$", "la_name"),
        (r"^local authority status$", "status"),
        (r"^(inspection|inspection/visit) date$", "start"),
        (r"^publication date$", "published"),
        (r"^(inspection|inspection/visit) type$", "type"),
        (r"^visit theme$", "theme"),
        (r"^overall effectiveness$", "overall"),
        (r"^(the )?impact of leaders( on social work practice with children and families)?$",
         "leaders"),
        (r"^(the )?experiences and progress of children who need help and protection$", "help"),
        (r"^(the )?experiences and progress of children in care( and care leavers)?$", "care"),
        (r"^(the )?experiences and progress of care leavers$", "care_leavers"),
    )
)
_GROUP_PREFIX = re.compile(r"^(first|second|third|fourth|fifth) ilacs |^ilacs framework ")


def _norm(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return " ".join(str(value).replace("\xa0", " ").split()).lower()


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return " ".join(str(value).replace("\xa0", " ").split())


def _column_groups(columns: tuple[str, ...]) -> list[dict[str, int]]:
    """Column index per field, one dict per inspection group (wide tables have several)."""
    common: dict[str, int] = {}
    groups: dict[str, dict[str, int]] = {}
    for i, header in enumerate(columns):
        m = _GROUP_PREFIX.match(header)
        key, rest = (m.group(0), header[m.end():]) if m else ("", header)
        fld = next((f for p, f in _FIELD_PATTERNS if p.match(rest)), None)
        if fld is None:
            continue  # web link, region: not part of the model
        (groups.setdefault(key, {}) if m else common)[fld] = i
    if not groups:
        return [common]
    return [common | g for g in groups.values()]


@dataclass
class _Row:
    """One inspection or visit as a sheet states it, before merging across sheets."""

    role: str
    ref: str
    raw: str
    la_code: str
    la_name: str
    start: dt.date | None
    published: dt.date | None
    itype: str | None
    grades: dict[str, tuple[str, str]]  # field -> (grade, text as printed)
    theme: str = ""
    status: str = ""
    order: int = 0
    merged: list[str] = field(default_factory=list)
    on_latest_sheet: bool = False


class _RowError(ValueError):
    pass


def _date(value: Any, what: str) -> dt.date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _RowError(f"unreadable {what} {text!r}")


def _resolve_la(resolver: LaResolver, code: str, name: str, on: dt.date | None) -> str:
    """The DfE code from the ONS code and the name, which must agree when both resolve.

    Superseded ONS codes (Barnsley E08000016, Sheffield E08000019) and short names ("Bedford")
    are the resolver's to know (etl.la_lookup); a code the resolver lacks leaves the name to
    decide.
    """
    on_iso = on.isoformat() if on else None
    by_code = by_name = None
    errors: list[str] = []
    if code:
        try:
            by_code = resolver.by_code(code)
        except UnknownLA as e:
            errors.append(str(e))
    if name:
        try:
            by_name = resolver.by_name(name, on=on_iso)
        except UnknownLA as e:
            errors.append(str(e))
    if by_code and by_name and by_code != by_name:
        raise _RowError(f"area code {code} is LA {by_code} but name {name!r} is LA {by_name}")
    found = by_code or by_name
    if found is None:
        raise _RowError("; ".join(errors) if errors else "no local authority name or code")
    return found


def _parse_row(
    values: list[Any], cols: dict[str, int], role: str, resolver: LaResolver
) -> _Row | None:
    """One group of one sheet row; None when the group is empty (no such inspection)."""

    def cell(fld: str) -> Any:
        i = cols.get(fld)
        return values[i] if i is not None and i < len(values) else None

    start_cell, pub_cell = cell("start"), cell("published")
    if _norm(start_cell) == "not yet inspected":
        if any(_text(cell(f)) for f in _JUDGEMENT_FIELDS):
            raise _RowError("says 'Not yet inspected' but gives judgements")
        return None
    start = _date(start_cell, "inspection date")
    published = _date(pub_cell, "publication date")
    type_text = _text(cell("type"))
    grades: dict[str, tuple[str, str]] = {}
    for f in _JUDGEMENT_FIELDS:
        text = _text(cell(f))
        if text:
            try:
                grades[f] = (normalise_grade(text).grade, text)
            except UnknownGrade as e:
                raise _RowError(f"{f.replace('_', ' ')} judgement: {e}") from None
    name = _text(cell("la_name"))
    if not (start or published or type_text or grades):
        if name and "published" in cols and "start" not in cols:
            return None  # wide history: the LA has no inspection in this group
        raise _RowError("no inspection date, type or judgement")
    if start is None and published is None:
        raise _RowError("no inspection or publication date")
    itype: str | None = None
    if "type" in cols:
        itype = _TYPE_WORDS.get(_norm(type_text))
        if itype is None:
            raise _RowError(f"unknown inspection type {type_text!r}")
    if itype in _VISITS and grades:
        raise _RowError(f"a {itype.replace('_', ' ')} carries no judgements, but the row has some")
    if itype not in _VISITS and not grades:
        raise _RowError("inspection row without any judgement")
    la_code = _resolve_la(resolver, _text(cell("ons_code")), name, start or published)
    return _Row(role=role, ref="", raw="", la_code=la_code, la_name=name, start=start,
                published=published, itype=itype, grades=grades, theme=_text(cell("theme")),
                status=_text(cell("status")))


def _row_values(df: pd.DataFrame, i: int) -> list[Any]:
    return df.iloc[i].tolist()


def _header_at(df: pd.DataFrame, row: int) -> tuple[str, ...]:
    if row - 1 >= len(df):
        return ()
    cells = [_norm(v) for v in _row_values(df, row - 1)]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def detect_layout(sheet: str, df: pd.DataFrame, file: str) -> Layout:
    """The layout whose header row this sheet has; SourceError naming the nearest one otherwise."""
    for layout in LAYOUTS:
        if _header_at(df, layout.header_row) == layout.columns:
            return layout

    def closeness(layout: Layout) -> int:
        found = _header_at(df, layout.header_row)
        return sum(a == b for a, b in zip(found, layout.columns, strict=False))

    nearest = max(LAYOUTS, key=closeness)
    found = _header_at(df, nearest.header_row)
    raise SourceError(
        file,
        f"sheet {sheet}: expected header {list(nearest.columns)} on row {nearest.header_row} "
        f"({nearest.name}), found {list(found)}",
    )


def _sheet_rows(
    sheet: str, df: pd.DataFrame, layout: Layout, file: str, resolver: LaResolver,
    source_id: str, rejects: list[Reject],
) -> list[_Row]:
    rows: list[_Row] = []
    groups = _column_groups(layout.columns)
    i = layout.header_row  # 0-based index of the first data row
    while i < len(df):
        values = _row_values(df, i)
        ref = f"sheet {sheet} row {i + 1}"
        texts = [_text(v) for v in values]
        raw = " | ".join(t for t in texts if t)
        i += 1
        if not raw:
            continue
        if not any(texts[1:]) and _next_is_header(df, i):
            continue  # a caption above a further table, e.g. "ILACS inspections of ... restructure"
        header = tuple(_norm(v) for v in values)
        header = header[: max((k + 1 for k, h in enumerate(header) if h), default=0)]
        if header and header[0] == "web link":
            if header not in SUB_TABLES.get(layout.name, ()):
                raise SourceError(file, f"sheet {sheet}: unknown table header on row {i}: "
                                  f"{list(header)}")
            groups = _column_groups(header)
            continue
        for g, cols in enumerate(groups, start=1):
            group_ref = ref if len(groups) == 1 else f"{ref} group {g}"
            try:
                parsed = _parse_row(values, cols, layout.role, resolver)
            except _RowError as e:
                rejects.append(Reject(source_id, file, group_ref, str(e), raw))
                continue
            if parsed is not None:
                parsed.ref, parsed.raw = group_ref, raw
                rows.append(parsed)
    return rows


def _next_is_header(df: pd.DataFrame, i: int) -> bool:
    """Whether the next non-empty row (0-based index i onwards) starts a table header."""
    for j in range(i, len(df)):
        first = _norm(df.iat[j, 0])
        if first or any(_text(v) for v in _row_values(df, j)):
            return first == "web link"
    return False


def _same_type(a: _Row, b: _Row) -> bool:
    if a.itype is None or b.itype is None:
        # the latest-judgement sheet names no type; it lists inspections, not visits
        return (a.itype or b.itype) not in _VISITS
    return a.itype == b.itype


def _bridges(dated: _Row, published: _Row) -> bool:
    """A row with only an inspection date and one with only a publication date (2024)."""
    return (
        published.published is not None
        and dated.start is not None
        and dated.start <= published.published <= dated.start + _MATCH_WINDOW
        and {k: g for k, (g, _) in dated.grades.items()}
        == {k: g for k, (g, _) in published.grades.items()}
    )


def _find_match(row: _Row, kept: list[_Row]) -> _Row | None:
    same_la = [k for k in kept if k.la_code == row.la_code and _same_type(k, row)]
    for k in same_la:
        if row.start and k.start:
            if row.start == k.start:
                return k
        elif row.published and k.published and row.published == k.published:
            return k
    bridged = [
        k for k in same_la
        if (row.start and not row.published and not k.start and _bridges(row, k))
        or (row.published and not row.start and not k.published and _bridges(k, row))
    ]
    if bridged:
        return min(bridged, key=lambda k: k.published or k.start or dt.date.max)
    return None


def _conflict(kept: _Row, row: _Row) -> str:
    problems = []
    for label, a, b in (("inspection date", kept.start, row.start),
                        ("publication date", kept.published, row.published),
                        ("inspection type", kept.itype, row.itype)):
        if a and b and a != b:
            problems.append(f"{label} {b} vs {a}")
    for f in _JUDGEMENT_FIELDS:
        a, b = kept.grades.get(f), row.grades.get(f)
        if (a and a[0]) != (b and b[0]):
            problems.append(f"{f.replace('_', ' ')} {b and b[1]!r} vs {a and a[1]!r}")
    return "; ".join(problems)


def _merge_rows(rows: list[_Row], file: str, source_id: str) -> tuple[list[_Row], list[Reject]]:
    """One row per inspection or visit, preferring history, then in-year, then latest rows."""
    kept: list[_Row] = []
    rejects: list[Reject] = []
    history_las = {r.la_code for r in rows if r.role == "history"}
    for row in sorted(rows, key=lambda r: (_ROLE_RANK[r.role], r.order)):
        match = _find_match(row, kept)
        if match is None:
            if row.role == "latest" and row.published is None and row.la_code in history_las:
                rejects.append(Reject(source_id, file, row.ref,
                                      "latest judgements match none of this LA's history rows "
                                      "(same judgements, report within a year)", row.raw))
                continue
            row.on_latest_sheet = row.role == "latest"
            kept.append(row)
            continue
        problem = _conflict(match, row)
        if problem:
            rejects.append(Reject(source_id, file, row.ref,
                                  f"same inspection as {match.ref} but {problem}", row.raw))
            continue
        match.start = match.start or row.start
        match.published = match.published or row.published
        match.itype = match.itype or row.itype
        match.merged.append(row.ref)
        match.on_latest_sheet |= row.role == "latest"
    return kept, rejects


def _judgements(row: _Row) -> list[Judgement]:
    if row.start is not None:
        split = row.start.isoformat() >= ILACS_SPLIT_CARE_FROM
    else:
        split = "care_leavers" in row.grades
    if "care_leavers" in row.grades and not split:
        raise _RowError(f"care leavers judgement on an inspection of {row.start} (before the "
                        f"{ILACS_SPLIT_CARE_FROM} split)")
    out = []
    for f in _JUDGEMENT_FIELDS:
        if f not in row.grades:
            continue
        grade, text = row.grades[f]
        if f == "care":
            area = "children_looked_after" if split else "children_in_care_and_care_leavers"
        else:
            area = _AREA_OF_FIELD[f]
        out.append(Judgement(area=area, grade=grade, grade_text=text))
    return out


def _record(row: _Row, source: Source) -> InspectionRecord:
    notes = []
    if row.theme:
        notes.append(f"theme: {row.theme}")
    if row.status and row.status.lower() != "current":
        notes.append(f"LA status: {row.status}")
    if row.on_latest_sheet:
        notes.append(LATEST_NOTE)
    if row.merged:
        notes.append("also listed on " + ", ".join(row.merged))
    if row.start is None:
        notes.append("inspection date not given in the release")
    if row.itype is None:
        # only a latest-judgement row of an LA the history lacks gets here
        notes.append("inspection type not given in the release (short or standard): "
                     "recorded as standard")
    on_or_before = None
    if row.published is None and row.role in ("history", "latest"):
        # the release's basis: inspections by as_at whose reports came out by published_by
        on_or_before = source.published_by
        notes.append("publication date not given in the release")
    return InspectionRecord(
        source_id=source.source_id,
        row_ref=row.ref,
        la_code=row.la_code,
        la_name_raw=row.la_name,
        framework="ILACS",
        inspection_type=row.itype or "standard",
        start_date=row.start,
        published_date=row.published,
        judgements=_judgements(row),
        published_on_or_before=on_or_before,
        notes="; ".join(notes),
    )


_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE_WORDS = rf"(\d{{1,2}} (?:{_MONTHS}) \d{{4}})"


def _words_date(text: str) -> dt.date:
    return dt.datetime.strptime(text.title(), "%d %B %Y").date()


@dataclass
class _Cover:
    title: str = ""
    as_at: dt.date | None = None
    published_by: dt.date | None = None
    published_on: dt.date | None = None


def _read_cover(sheets: dict[str, pd.DataFrame]) -> _Cover:
    cover = _Cover()
    df = sheets.get("Cover")
    if df is not None and len(df):
        cover.title = _text(df.iloc[0, 0])
        for values in df.itertuples(index=False):
            label = _norm(values[0]) if len(values) else ""
            detail = values[1] if len(values) > 1 else None
            if label == "period covered:":
                text = _norm(detail)
                if m := re.search(rf"as at {_DATE_WORDS}", text):
                    cover.as_at = _words_date(m.group(1))
                if m := re.search(rf"published by {_DATE_WORDS}", text):
                    cover.published_by = _words_date(m.group(1))
            elif label == "published on:":
                try:
                    cover.published_on = _date(detail, "publication date")
                except _RowError:
                    cover.published_on = None
    if cover.as_at is None:
        # no "Period covered": fall back on a title such as "... as at 31 March 2025"
        for name, frame in sheets.items():
            if len(frame) and (m := re.search(rf"as at {_DATE_WORDS}", _norm(frame.iloc[0, 0]))):
                cover.as_at = _words_date(m.group(1))
                cover.title = cover.title or _text(frame.iloc[0, 0]) or name
                break
    return cover


def _release_url(path: Path) -> str:
    """The link the Cover gives as "Link to official statistics release page"."""
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("content.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return ""
    m = re.search(r'xlink:href="([^"]+)"[^>]*>\s*Link to official statistics release page', xml)
    return m.group(1).replace("&amp;", "&") if m else ""


def parse_official_ods(path: Path, resolver: LaResolver, shared_data: Path) -> SourceResult:
    """Every inspection and visit an Ofsted "LA inspection outcomes as at" release lists."""
    path = Path(path)
    file = relative_path(path, shared_data)
    data = read_source(path, file)
    if not data:
        raise SourceError(file, "empty file")
    import pandas as pd

    try:
        # one pass over the file: every sheet at once, no header inference
        sheets: dict[str, pd.DataFrame] = pd.read_excel(
            path, engine="odf", sheet_name=None, header=None
        )
    except Exception as e:  # odfpy/zipfile raise many types for a damaged file
        reason = f"not a readable ODS spreadsheet: {type(e).__name__}: {e}"
        raise SourceError(file, reason) from None

    cover = _read_cover(sheets)
    if cover.as_at is None:
        raise SourceError(file, "no 'as at' date (Cover 'Period covered' or a sheet title)")
    title = cover.title or f"Local authority inspection outcomes as at {date_words(cover.as_at)}"
    if cover.published_on:
        title = f"{title} (published {date_words(cover.published_on)})"
    source = Source(
        source_id=f"official:{path.stem}",
        kind=KIND,
        title=title,
        path=file,
        url=_release_url(path),
        parser=PARSER,
        parser_version=PARSER_VERSION,
        sha256=hashlib.sha256(data).hexdigest(),
        as_at=cover.as_at,
        published_by=cover.published_by,
    )

    rows: list[_Row] = []
    rejects: list[Reject] = []
    data_sheets = [s for s in sheets if s not in TEXT_SHEETS]
    if not data_sheets:
        raise SourceError(file, "no inspection tables (only Cover/Contents/Notes sheets)")
    for sheet in data_sheets:
        df = sheets[sheet]
        layout = detect_layout(sheet, df, file)
        rows.extend(_sheet_rows(sheet, df, layout, file, resolver, source.source_id, rejects))
    for n, row in enumerate(rows):
        row.order = n

    kept, merge_rejects = _merge_rows(rows, file, source.source_id)
    rejects.extend(merge_rejects)
    records: list[InspectionRecord] = []
    for row in kept:
        try:
            records.append(_record(row, source))
        except _RowError as e:
            rejects.append(Reject(source.source_id, file, row.ref, str(e), row.raw))
    return SourceResult(source=source, records=records, rejects=rejects)


def is_release_latest(record: InspectionRecord) -> bool:
    """Whether the release's latest-judgement sheet lists this record (its LA's latest as at)."""
    return LATEST_NOTE in record.notes
