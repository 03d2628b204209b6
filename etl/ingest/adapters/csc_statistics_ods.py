"""Ofsted's "Children's social care in England" official statistics, underlying data (ODS).

The 2023 release (published 6 July 2023, OGL) holds, besides provider sheets read elsewhere:

* `LA_inspections_2009-2023`: per LA (header on row 5) every framework since 2009 in column
  groups — SLAC (safeguarding and looked-after-children judgements), SLAC re-inspections of
  either strand, child protection inspections (CPI) and re-inspections (CPRI), the 2013 targeted
  looked-after-children inspections (TLAC), the first SIF with all sub-judgements and the LSCB,
  the SIF re-inspection, the first and second ILACS. Publication dates only. A second table
  further down ("… that existed before the restructure") holds Bournemouth, (old) Dorset,
  Poole and Northamptonshire with one ILACS group.
* `LA_level_at_31_Mar_2023` (header on row 4): each LA's latest ILACS judgements as at 31 March,
  with the inspection date; its distribution is the release's published figure
  (`release_figures`).
* `LA_level_in_year_2022-23` (header on row 3): ILACS inspections and visits of the year, with
  the focused-visit theme.

Wording. The Guidance sheet says the release uses "the current inspection framework's sub
judgement wording rather than the wording at the time of inspection": SLAC, CPI and TLAC were
graded outstanding / good / *adequate* / inadequate, and the release prints their adequate as
"Requires improvement to be good". Those grades are recorded as `adequate` (the scale in force
at the time), the words as printed kept in grade_text, and a note says so; a release whose
Guidance does not say this gets its pre-2013 "requires improvement" rows quarantined, not
guessed. A lone "-" is Ofsted's "no judgement" (City of London's adoption, Isles of Scilly's
looked-after children): not judged.

One inspection is listed on up to three sheets: the history gives its publication date and
grades, the other two its inspection date. A row of those two matches the LA's history ILACS
group with the same type (where given) and judgements whose report came out within a year after
the inspection date; the history record takes the date. An in-year inspection that matches no
history row is kept as a record of its own (said in its notes); a latest-judgement row that
matches none is a Reject (it would contradict the history).

Bad input is named: a required sheet missing (e.g. renamed) or a header not where the release
puts it raises SourceError naming the file, sheet and row; a row with an unknown grade word, an
LA name that resolves to nothing or an unreadable date becomes a Reject naming the file, sheet,
row and column group.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from etl.ingest.adapters.files import date_words, read_source, relative_path
from etl.ingest.adapters.ods_tables import Cell, OdsError, Table, TableFile
from etl.ingest.records import InspectionRecord, Judgement, Reject, Source, SourceError, SourceResult
from etl.local_authorities import LaResolver, UnknownLA
from etl.vocab import (
    ADEQUATE,
    ILACS_SPLIT_CARE_FROM,
    NOT_JUDGED,
    PRE_2013_FRAMEWORKS,
    UnknownGrade,
    normalise_grade,
)

PARSER = "etl.ingest.adapters.csc_statistics_ods"
PARSER_VERSION = "1"
KIND = "ofsted_csc_statistics"
RELEASE_GLOB = "official/Childrens_social_care_in_England_*_underlying_data.ods"

# The sheets this adapter reads, by role, recognised by name (the year varies by release).
SHEET_PATTERNS: dict[str, re.Pattern[str]] = {
    "history": re.compile(r"^LA_inspections_2009-\d{4}$"),
    "latest": re.compile(r"^LA_level_at_31_Mar_\d{4}$"),
    "in_year": re.compile(r"^LA_level_in_year_\d{4}-\d{2}$"),
}
TEXT_SHEETS = ("Cover", "Guidance", "Notes")
LATEST_NOTE = "latest judgement as at the release date"
CURRENT_WORDING_NOTE = ("the release prints the pre-2013 grade 'adequate' in today's wording "
                        "('requires improvement to be good'; its Guidance sheet)")


def _norm(value: Cell) -> str:
    if value is None:
        return ""
    return " ".join(str(value).replace("\xa0", " ").split()).lower()


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).replace("\xa0", " ").split())


# ---------------------------------------------------------------- layouts

@dataclass(frozen=True)
class Group:
    """One inspection's columns in a wide history row."""

    label: str  # for row references, e.g. "first SIF"
    framework: str
    inspection_type: str | None  # None: read from the group's type column
    published: str  # header of its publication date column
    grades: tuple[tuple[str, str], ...]  # (header, area) ; area "care" follows the date
    type_column: str = ""


_SLAC = "safeguarding & looked after children (slac) inspection publication date"
_SIF_SUBS = ("children who need help and protection", "children looked after and achieving "
             "permanence", "cla sub: adoption performance", "cla sub: experiences and progress "
             "of care leavers", "leadership, management and governance")
_SIF_AREAS = ("help_and_protection", "children_looked_after", "adoption", "care_leavers",
              "leadership")


def _ilacs(prefix: str, split: bool) -> Group:
    care = ((f"{prefix} experiences and progress of children in care", "care"),
            (f"{prefix} experiences and progress of care leavers", "care_leavers")) if split else \
        ((f"{prefix} experiences and progress of children in care and care leavers", "care"),)
    return Group(prefix.replace(" framework", ""), "ILACS", None, f"{prefix} publication date",
                 ((f"{prefix} overall effectiveness", "overall_effectiveness"),
                  (f"{prefix} impact of leaders", "leadership"),
                  (f"{prefix} experiences and progress of children who need help and protection",
                   "help_and_protection"), *care),
                 type_column=f"{prefix} inspection type")


_PRE_ILACS_GROUPS: tuple[Group, ...] = (
    Group("SLAC", "SLAC", "full", _SLAC,
          (("slac safeguarding overall effectiveness (oe)", "safeguarding"),
           ("slac looked after children overall effectiveness (oe)", "children_looked_after"))),
    Group("SLAC re-inspection of safeguarding", "SLAC", "re-inspection",
          "slac re-inspection of safeguarding publication date",
          (("slac re-inspection safeguarding oe", "safeguarding"),)),
    Group("SLAC re-inspection of looked after children services", "SLAC", "re-inspection",
          "slac re-inspection of services for children looked after publication date",
          (("slac re-inspection of services children looked after oe", "children_looked_after"),)),
    Group("CPI", "CPI", "full", "child protection inspections (cpi) publication date",
          (("cpi overall effectiveness (oe)", "overall_effectiveness"),)),
    Group("CPRI", "CPI", "re-inspection", "child protection re-inspection (cpri) publication date",
          (("cpri overall effectiveness (oe)", "overall_effectiveness"),)),
    Group("TLAC", "LAC2013", "full",
          "targeted looked after children (tlac) inspection publication date",
          (("tlac overall effectiveness (oe)", "overall_effectiveness"),)),
    Group("first SIF", "SIF", "full",
          "single inspection of la children's services (sif) first sif publication date",
          (("first sif overall judgement (oe)", "overall_effectiveness"),
           *((f"first sif {s}", a) for s, a in zip(_SIF_SUBS, _SIF_AREAS, strict=True)),
           ("lscb overall effectiveness", "lscb"))),
    Group("SIF re-inspection", "SIF", "re-inspection",
          "single inspection of la children's services (sif) sif re-inspection publication date",
          (("sif re-inspection overall judgement (oe)", "overall_effectiveness"),
           *((f"sif re-inspection {s}", a) for s, a in zip(_SIF_SUBS, _SIF_AREAS, strict=True)))),
)
_LEAD = ("web link", "local authority name", "la region", "la authority type")
HISTORY_GROUPS: tuple[Group, ...] = (*_PRE_ILACS_GROUPS, _ilacs("first ilacs framework", False),
                                     _ilacs("second ilacs framework", True))
PREDECESSOR_GROUPS: tuple[Group, ...] = (*_PRE_ILACS_GROUPS, _ilacs("ilacs framework", False))


def _columns(groups: tuple[Group, ...]) -> tuple[str, ...]:
    cols: list[str] = list(_LEAD)
    for g in groups:
        if g.type_column:
            cols.append(g.type_column)
        cols.append(g.published)
        cols.extend(h for h, _ in g.grades)
    return tuple(cols)


HISTORY_HEADER = _columns(HISTORY_GROUPS)
PREDECESSOR_HEADER = _columns(PREDECESSOR_GROUPS)
HISTORY_HEADER_ROW = 5
_JUDGEMENT_COLS = (("overall effectiveness", "overall_effectiveness"),
                   ("impact of leaders", "leadership"),
                   ("experiences and progress of children who need help and protection",
                    "help_and_protection"),
                   ("experiences and progress of children in care", "care"),
                   ("experiences and progress of care leavers", "care_leavers"))
LATEST_HEADER = ("web link", "local authority name", "ofsted region", "inspection date",
                 *(h for h, _ in _JUDGEMENT_COLS))
LATEST_HEADER_ROW = 4
IN_YEAR_HEADER = ("web link", "local authority name", "ofsted region", "inspection/visit date",
                  "inspection/visit type", *(h for h, _ in _JUDGEMENT_COLS), "visit theme")
IN_YEAR_HEADER_ROW = 3

_TYPE_WORDS = {
    "ilacs standard inspection": "standard",
    "ilacs short inspection": "short",
    "ilacs focused visit": "focused_visit",
    "ilacs monitoring visit": "monitoring_visit",
    "la monitoring visit": "monitoring_visit",
    "monitoring visit": "monitoring_visit",
    "joint targeted area inspection": "jtai",
}
_VISITS = frozenset({"focused_visit", "monitoring_visit", "jtai"})
_MATCH_WINDOW = dt.timedelta(days=365)


def _header(table: Table, n: int) -> tuple[str, ...]:
    cells = [_norm(v) for v in table.row(n)]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def _require_header(table: Table, n: int, expected: tuple[str, ...], file: str) -> None:
    found = _header(table, n)
    if found == expected:
        return
    elsewhere = [i for i in range(1, len(table.rows) + 1) if _header(table, i) == expected]
    where = f" (it is on row {elsewhere[0]})" if elsewhere else ""
    diff = next((f"column {i + 1}: expected {e!r}, found {f!r}"
                 for i, (e, f) in enumerate(zip(expected, found, strict=False)) if e != f),
                f"expected {len(expected)} columns, found {len(found)}")
    raise SourceError(file, f"sheet {table.name} row {n}: not the expected header{where}; {diff}")


# ---------------------------------------------------------------- rows

class _RowError(ValueError):
    pass


@dataclass(frozen=True)
class _Cells:
    """One sheet row's cells by (normalised) header."""

    values: list[Cell]
    cols: dict[str, int]

    def __call__(self, header: str) -> Cell:
        i = self.cols[header]
        return self.values[i] if i < len(self.values) else None


def _date(value: Cell, what: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _RowError(f"unreadable {what} {text!r}")


def _grade(value: Cell, framework: str, column: str, current_wording: bool) -> Judgement | None:
    """The judgement of one cell, on the scale of its framework at the time (None: empty)."""
    text = _text(value)
    if not text:
        return None
    if text.strip() in ("-", "–"):
        return Judgement(area="", grade=NOT_JUDGED, grade_text=text.strip())
    try:
        grade = normalise_grade(text).grade
    except UnknownGrade as exc:
        raise _RowError(f"{column}: {exc}") from None
    if framework in PRE_2013_FRAMEWORKS and grade == "requires_improvement":
        if not current_wording:
            raise _RowError(f"{column}: {text!r} on a {framework} inspection (graded on the "
                            "pre-2013 scale) and the release does not say it uses current wording")
        grade = ADEQUATE
    return Judgement(area="", grade=grade, grade_text=text)


@dataclass
class _Insp:
    """One inspection or visit as the release states it, before matching across sheets."""

    ref: str
    raw: str
    la_code: str
    la_name: str
    framework: str
    itype: str
    published: dt.date | None
    start: dt.date | None
    grades: dict[str, Judgement]  # area (or "care") -> judgement
    notes: list[str] = field(default_factory=list)
    group: str = ""
    on_latest_sheet: bool = False


def _resolve(resolver: LaResolver, name: str, on: dt.date | None) -> str:
    if not name:
        raise _RowError("no local authority name")
    try:
        return resolver.by_name(name, on=on.isoformat() if on else None)
    except UnknownLA as exc:
        raise _RowError(str(exc)) from None


def _history_rows(table: Table, file: str, source_id: str, resolver: LaResolver, as_at: dt.date,
                  current_wording: bool, rejects: list[Reject]) -> list[_Insp]:
    """Every inspection of the history sheet's two tables."""
    _require_header(table, HISTORY_HEADER_ROW, HISTORY_HEADER, file)
    cols = {h: i for i, h in enumerate(HISTORY_HEADER)}
    groups = HISTORY_GROUPS
    predecessor = False
    out: list[_Insp] = []
    n = HISTORY_HEADER_ROW
    while n < len(table.rows):
        n += 1
        values = table.row(n)
        texts = [_text(v) for v in values]
        if not any(texts):
            continue
        header = _header(table, n)
        if header and header[0] == "web link":
            if header != PREDECESSOR_HEADER:
                _require_header(table, n, PREDECESSOR_HEADER, file)
            cols = {h: i for i, h in enumerate(PREDECESSOR_HEADER)}
            groups, predecessor = PREDECESSOR_GROUPS, True
            continue
        if not any(texts[1:]) and "before the restructure" in texts[0].lower():
            continue  # the caption of the predecessor table
        if not any(texts[1:]):
            rejects.append(Reject(source_id, file, f"sheet {table.name} row {n}",
                                  "a row with text in column A only: neither a caption the "
                                  "release is known to have nor an LA row", " | ".join(texts)))
            continue
        raw = " | ".join(t for t in texts if t)
        ref = f"sheet {table.name} row {n}"

        cell = _Cells(values, cols)
        name = _text(cell("local authority name"))
        try:
            dates = [d for g in groups if (d := _date(cell(g.published), "publication date"))]
            # The main table lists the LAs of the release date; the predecessor table LAs that
            # existed when they were inspected (old Dorset, not today's Dorset).
            on = min(dates) if predecessor and dates else as_at
            la_code = _resolve(resolver, name, on)
        except _RowError as exc:
            rejects.append(Reject(source_id, file, ref, str(exc), raw))
            continue
        by_date: dict[tuple[str, str, dt.date], _Insp] = {}
        for g in groups:
            gref = f"{ref} ({g.label})"
            try:
                insp = _group(g, cell, la_code, name, gref, raw, current_wording)
            except _RowError as exc:
                rejects.append(Reject(source_id, file, gref, str(exc), raw))
                continue
            if insp is None:
                continue
            # SLAC re-inspections of both strands published the same day are one inspection
            key = (insp.framework, insp.itype, insp.published)
            if insp.itype == "re-inspection" and key in by_date:
                twin = by_date[key]
                twin.grades.update(insp.grades)
                twin.ref = f"{twin.ref} + ({g.label})"
                continue
            if insp.published:
                by_date[key] = insp
            out.append(insp)
    return out


def _group(g: Group, cell: _Cells, la_code: str, name: str, ref: str, raw: str,
           current_wording: bool) -> _Insp | None:
    published = _date(cell(g.published), "publication date")
    type_text = _text(cell(g.type_column)) if g.type_column else ""
    grades: dict[str, Judgement] = {}
    for header, area in g.grades:
        j = _grade(cell(header), g.framework, header, current_wording)
        if j is not None:
            j.area = area
            grades[area] = j
    if published is None and not grades and not type_text:
        return None  # no such inspection for this LA
    if published is None:
        raise _RowError("judgements without a publication date")
    if not grades:
        raise _RowError("a publication date without any judgement")
    itype = g.inspection_type
    if itype is None:
        itype = _TYPE_WORDS.get(_norm(type_text))
        if itype is None or itype in _VISITS:
            raise _RowError(f"unknown inspection type {type_text!r}")
    notes = []
    if g.framework in PRE_2013_FRAMEWORKS and any(j.grade == ADEQUATE for j in grades.values()):
        notes.append(CURRENT_WORDING_NOTE)
    return _Insp(ref=ref, raw=raw, la_code=la_code, la_name=name, framework=g.framework,
                 itype=itype, published=published, start=None, grades=grades, notes=notes,
                 group=g.label)


def _dated_rows(table: Table, role: str, file: str, source_id: str, resolver: LaResolver,
                as_at: dt.date, rejects: list[Reject]) -> list[_Insp]:
    """Rows of the latest-judgement or in-year sheet: ILACS inspections and visits with dates."""
    header_row, header = ((LATEST_HEADER_ROW, LATEST_HEADER) if role == "latest"
                          else (IN_YEAR_HEADER_ROW, IN_YEAR_HEADER))
    _require_header(table, header_row, header, file)
    cols = {h: i for i, h in enumerate(header)}
    out: list[_Insp] = []
    for n in range(header_row + 1, len(table.rows) + 1):
        values = table.row(n)
        texts = [_text(v) for v in values]
        if not any(texts):
            continue
        ref, raw = f"sheet {table.name} row {n}", " | ".join(t for t in texts if t)

        cell = _Cells(values, cols)
        try:
            name = _text(cell("local authority name"))
            start = _date(cell("inspection date" if role == "latest" else "inspection/visit date"),
                          "inspection date")
            if start is None:
                raise _RowError("no inspection date")
            itype = None
            if role == "in_year":
                type_text = _text(cell("inspection/visit type"))
                itype = _TYPE_WORDS.get(_norm(type_text))
                if itype is None:
                    raise _RowError(f"unknown inspection type {type_text!r}")
            grades: dict[str, Judgement] = {}
            for h, area in _JUDGEMENT_COLS:
                j = _grade(cell(h), "ILACS", h, True)
                if j is not None:
                    j.area = area
                    grades[area] = j
            if itype in _VISITS and grades:
                raise _RowError(f"a {itype.replace('_', ' ')} carries no judgements, but the row "
                                "has some")
            if itype not in _VISITS and "overall_effectiveness" not in grades:
                raise _RowError("inspection row without an overall effectiveness judgement")
            la_code = _resolve(resolver, name, as_at)
        except _RowError as exc:
            rejects.append(Reject(source_id, file, ref, str(exc), raw))
            continue
        notes = []
        if itype in _VISITS and (theme := _text(cell("visit theme"))):
            notes.append(f"theme: {theme}")
        out.append(_Insp(ref=ref, raw=raw, la_code=la_code, la_name=name, framework="ILACS",
                         itype=itype or "", published=None, start=start, grades=grades,
                         notes=notes, on_latest_sheet=role == "latest"))
    return out


def _same_grades(a: _Insp, b: _Insp) -> bool:
    return {k: j.grade for k, j in a.grades.items()} == {k: j.grade for k, j in b.grades.items()}


def _attach(row: _Insp, history: list[_Insp]) -> _Insp | None:
    """The history ILACS inspection a dated row describes (earliest report within a year)."""
    candidates = [h for h in history
                  if h.la_code == row.la_code and h.framework == "ILACS"
                  and (not row.itype or h.itype == row.itype)
                  and h.published and row.start <= h.published <= row.start + _MATCH_WINDOW
                  and _same_grades(h, row)]
    return min(candidates, key=lambda h: h.published) if candidates else None


def _judgements(insp: _Insp) -> list[Judgement]:
    out = []
    split = (insp.start is not None and insp.start.isoformat() >= ILACS_SPLIT_CARE_FROM) or \
        "care_leavers" in insp.grades
    for area, j in insp.grades.items():
        if area == "care":
            area = "children_looked_after" if split else "children_in_care_and_care_leavers"
        out.append(Judgement(area=area, grade=j.grade, grade_text=j.grade_text))
    return out


def _record(insp: _Insp, source: Source) -> InspectionRecord:
    notes = list(insp.notes)
    if insp.on_latest_sheet:
        notes.append(LATEST_NOTE)
    if insp.start is None:
        notes.append("inspection date not given in the release")
    if insp.published is None and insp.itype not in _VISITS:
        notes.append("publication date not given in the release (not on its history sheet)")
    return InspectionRecord(
        source_id=source.source_id, row_ref=insp.ref, la_code=insp.la_code,
        la_name_raw=insp.la_name, framework=insp.framework, inspection_type=insp.itype,
        start_date=insp.start, published_date=insp.published, judgements=_judgements(insp),
        notes="; ".join(notes))


# ---------------------------------------------------------------- release text and figures

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"


@dataclass
class _Release:
    title: str
    as_at: dt.date
    published_by: dt.date
    published_on: dt.date | None
    current_wording: bool
    notes: list[str]


def _words_date(text: str) -> dt.date:
    return dt.datetime.strptime(text.title(), "%d %B %Y").date()


def _read_release(tables: dict[str, Table], file: str) -> _Release:
    cover = tables["Cover"]
    as_at = published_by = published_on = None
    for row in cover.rows:
        label = _norm(row[0]) if row else ""
        detail = row[1] if len(row) > 1 else None
        if label.startswith("period covered") and "local authority" in label:
            text = _norm(detail)
            if m := re.search(rf"as at (\d{{1,2}} (?:{_MONTHS}) \d{{4}})", text):
                as_at = _words_date(m.group(1))
            if m := re.search(rf"published by (\d{{1,2}} (?:{_MONTHS}) \d{{4}})", text):
                published_by = _words_date(m.group(1))
        elif label == "published on:" and isinstance(detail, dt.date):
            published_on = detail
    if as_at is None or published_by is None:
        raise SourceError(file, "sheet Cover: no 'Period covered - … local authority …' row "
                                "saying 'As at <date>, published by <date>'")
    guidance = " ".join(_norm(c) for row in tables["Guidance"].rows for c in row)
    current_wording = ("current inspection framework's sub judgement wording rather than the "
                       "wording at the time" in guidance.replace("\u2019", "'"))
    notes = [f"note {_text(row[0])}: " + " ".join(_text(c) for c in row[1:])
             for row in tables["Notes"].rows if row and _text(row[0]).isdigit()]
    title = _text(cover.row(3)[1]) if len(cover.row(3)) > 1 else ""
    return _Release(title or "Children's social care in England", as_at, published_by,
                    published_on, current_wording, notes)


def _figures(latest: list[_Insp], matched: list[_Insp], source: Source, release: _Release,
             resolver: LaResolver) -> list[dict[str, object]]:
    """The release's own "as at" distribution of each judgement its latest-judgement sheet
    lists, with any LA it counts against its own publication cut-off named (the history sheet
    dates its report) and the Notes that say why."""
    late = sorted((r for r in matched if r.published and r.published > release.published_by),
                  key=lambda r: r.la_name)
    departure = ""
    if late:
        parts = []
        for r in late:
            overall = r.grades.get("overall_effectiveness")
            said = [n for n in release.notes if resolver.name(r.la_code).lower() in n.lower()
                    or r.la_name.lower() in n.lower()]
            parts.append(
                f"{resolver.name(r.la_code)} is counted ({overall.grade_text if overall else '?'}"
                f", inspection of {r.start:%d %B %Y}) though its report was published on "
                f"{r.published:%d %B %Y}, after the release's {release.published_by:%d %B %Y} "
                f"cut-off; " + (f"the release's Notes say so ({said[0]})" if said else
                                "the release's Notes do not say why"))
        departure = " ".join(parts)
    rows = []
    stem = f"csc{release.as_at.year}"
    for area, label in (("overall_effectiveness", "overall effectiveness"),
                        ("leadership", "impact of leaders"),
                        ("help_and_protection", "help and protection")):
        counts = Counter(r.grades[area].grade for r in latest if area in r.grades)
        for grade in ("outstanding", "good", "requires_improvement", "inadequate"):
            rows.append({
                "source_id": source.source_id,
                "figure_id": f"{stem}_{area}_{grade}",
                "source": f"Ofsted official statistics: {release.title} (sheet LA level at "
                          f"31 March), published {release.published_on or ''}".strip(),
                "description": f"ILACS {label} as at {release.as_at:%d %B %Y} (reports published "
                               f"by {release.published_by:%d %B %Y}): "
                               f"{grade.replace('_', ' ')}",
                "basis": "latest_published", "framework": None, "area": area,
                "as_at": release.as_at, "window_start": None,
                "published_by": release.published_by, "la_code": None, "grade": grade,
                "value": float(counts.get(grade, 0)), "unit": "count",
                "departure": departure or None,
                "departure_la_codes": ";".join(r.la_code for r in late) or None,
            })
    return rows


# ---------------------------------------------------------------- the adapter

def find_sheets(names: list[str], file: str) -> dict[str, str]:
    """The sheet name of each role; SourceError naming the file and the sheets it has."""
    found: dict[str, str] = {}
    for role, pattern in SHEET_PATTERNS.items():
        matches = [n for n in names if pattern.match(n)]
        if len(matches) != 1:
            what = "no sheet" if not matches else f"{len(matches)} sheets"
            raise SourceError(file, f"{what} named like {pattern.pattern!r} (the {role} table); "
                                    f"sheets: {', '.join(names)}")
        found[role] = matches[0]
    for name in TEXT_SHEETS:
        if name not in names:
            raise SourceError(file, f"no sheet {name!r}; sheets: {', '.join(names)}")
    return found


def parse_csc_statistics(path: Path, resolver: LaResolver, shared_data: Path) -> SourceResult:
    """Every LA inspection and visit of a "Children's social care in England" release."""
    path = Path(path)
    file = relative_path(path, shared_data)
    data = read_source(path, file)
    if not data:
        raise SourceError(file, "empty file")
    try:
        ods = TableFile(path)  # one streamed pass finds the sheets; only those read are parsed
        roles = find_sheets(ods.sheet_names, file)
        tables = ods.tables(frozenset({*roles.values(), *TEXT_SHEETS}))
    except OdsError as exc:
        raise SourceError(file, str(exc)) from None
    release = _read_release(tables, file)
    title = release.title
    if release.published_on:
        title = f"{title}: underlying data (published {date_words(release.published_on)})"
    source = Source(source_id=f"official:{path.stem}", kind=KIND, title=title, path=file,
                    url="https://www.gov.uk/government/statistics/childrens-social-care-in-"
                        f"england-{release.as_at.year}",
                    parser=PARSER, parser_version=PARSER_VERSION,
                    sha256=hashlib.sha256(data).hexdigest(), as_at=release.as_at,
                    published_by=release.published_by)
    rejects: list[Reject] = []
    history = _history_rows(tables[roles["history"]], file, source.source_id, resolver,
                            release.as_at, release.current_wording, rejects)
    latest = _dated_rows(tables[roles["latest"]], "latest", file, source.source_id, resolver,
                         release.as_at, rejects)
    in_year = _dated_rows(tables[roles["in_year"]], "in_year", file, source.source_id, resolver,
                          release.as_at, rejects)
    kept = list(history)
    latest_matched: list[_Insp] = []
    for row in latest:
        match = _attach(row, history)
        if match is None:
            rejects.append(Reject(source.source_id, file, row.ref,
                                  "latest judgements match none of this LA's ILACS rows on the "
                                  "history sheet (same judgements, report within a year)",
                                  row.raw))
            continue
        match.start = match.start or row.start
        match.on_latest_sheet = True
        match.notes.append(f"inspection date from {row.ref}")
        latest_matched.append(match)
    for row in in_year:
        if row.itype in _VISITS:
            kept.append(row)
            continue
        match = _attach(row, history)
        if match is None:
            row.notes.append("not on the release's history sheet")
            kept.append(row)
            continue
        if match.start and match.start != row.start:
            rejects.append(Reject(source.source_id, file, row.ref,
                                  f"same inspection as {match.ref} but inspection date "
                                  f"{row.start} vs {match.start}", row.raw))
            continue
        match.start = row.start
        match.notes.append(f"also listed on {row.ref}")
    records: list[InspectionRecord] = []
    for insp in kept:
        if insp.framework == "ILACS" and "care_leavers" in insp.grades and insp.start and \
                insp.start.isoformat() < ILACS_SPLIT_CARE_FROM:
            rejects.append(Reject(source.source_id, file, insp.ref,
                                  f"care leavers judgement on an inspection of {insp.start} "
                                  f"(before the {ILACS_SPLIT_CARE_FROM} split)", insp.raw))
            continue
        records.append(_record(insp, source))
    facts = {"release_figures": _figures(latest, latest_matched, source, release, resolver)}
    return SourceResult(source=source, records=records, rejects=rejects, facts=facts)
