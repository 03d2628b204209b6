"""Tables of inspection outcomes in council committee papers (HTML or Markdown pipe tables).

A council annex lists LAs and their grades, e.g. Kent's December 2014 cabinet committee
paper (seed 004): "Local Authority | Overall Judgment | LCSB effectiveness" with cells like
"Requires Improvement (Care Leavers: Good)". Such rows are undated: each record says only
"published on or before" the paper's cut-off, and the pipeline matches it to the LA's first
inspection under the framework published by then. Council papers are derived evidence.

Licence: council committee papers are public records; we treat them as Open Government
Licence v3.0, which most English councils apply to their published information (an
assumption per council: check its site terms before quoting at length).

Seed 001 (Nottinghamshire, Dec 2019) is not supported: its "Judgement | Grade" table is PDF
text with wrapped lines interleaving label and grade words ("help and | Requires" /
"protection Improvement"), so reading it would mean guessing; the same facts come from the
Ofsted report PDF itself.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from etl.ingest.adapters.files import file_sha256, relative_path
from etl.ingest.records import InspectionRecord, Judgement, Reject, Source, SourceError, SourceResult
from etl.local_authorities import LaResolver, UnknownLA
from etl.vocab import FRAMEWORKS, UnknownGrade, normalise_grade

PARSER_VERSION = "1"
PARSER = __name__
KIND = "council_paper_table"
COUNCIL_LICENCE = "Open Government Licence v3.0"


@dataclass(frozen=True)
class CouncilPaper:
    """A seed paper that carries an outcomes table, and how to read it."""

    file: str  # relative to the seeds folder
    paper_date: dt.date
    framework: str
    published_on_or_before: dt.date
    publisher: str
    title: str


COUNCIL_PAPERS: tuple[CouncilPaper, ...] = (
    CouncilPaper(
        file="004_94dce6978bd3ae2c.txt",
        paper_date=dt.date(2014, 12, 3),
        framework="SIF",
        # "all published inspection reports ... between November 2013 and October 2014"
        published_on_or_before=dt.date(2014, 10, 31),
        publisher="Kent County Council",
        title="Ofsted Inspection Mapping: Single Inspection Framework (Children's Social Care "
              "and Health Cabinet Committee, 3 December 2014), Annex 1",
    ),
)

_LA_HEADER = re.compile(r"^(local authority|la|authority|council)( name)?$")
# Header words -> area; the first match wins, so combined headings come before their parts.
_AREA_HEADERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\boverall\b"), "overall_effectiveness"),
    (re.compile(r"\bl(sc|cs)b\b|safeguarding children board"), "lscb"),
    (re.compile(r"(children in care|looked after).*care leavers"),
     "children_in_care_and_care_leavers"),
    (re.compile(r"care leavers?"), "care_leavers"),
    (re.compile(r"adoption"), "adoption"),
    (re.compile(r"looked after|children in care"), "children_looked_after"),
    (re.compile(r"help and protection|child protection"), "help_and_protection"),
    (re.compile(r"leadership|leaders"), "leadership"),
)
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


@dataclass
class _Table:
    number: int  # 1-based, in file order
    header: list[str]
    rows: list[tuple[str, list[str]]]  # (row reference, cells)


def _clean_header(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip().lower()
    return text.replace("judgment", "judgement")


def header_area(header: str) -> str | None:
    """The area a judgement column header names, or None if it names none."""
    h = _clean_header(header)
    return next((area for p, area in _AREA_HEADERS if p.search(h)), None)


def _split_md_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def markdown_tables(text: str) -> list[_Table]:
    """Pipe tables: a header line, a |---| separator line, then body lines starting with '|'."""
    lines = text.splitlines()
    tables: list[_Table] = []
    i = 0
    while i < len(lines) - 1:
        if lines[i].lstrip().startswith("|") and _MD_SEPARATOR.match(lines[i + 1].strip()):
            header = _split_md_row(lines[i])
            rows = []
            j = i + 2
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                rows.append((f"line {j + 1}", _split_md_row(lines[j])))
                j += 1
            tables.append(_Table(number=0, header=header, rows=rows))
            i = j
        else:
            i += 1
    return tables


def html_tables(text: str) -> list[_Table]:
    tables = []
    for table in BeautifulSoup(text, "html.parser").find_all("table"):
        trs = table.find_all("tr")
        if not trs:
            continue
        cells = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in trs]
        rows = [(f"row {n}", r) for n, r in enumerate(cells[1:], start=2)]
        tables.append(_Table(number=0, header=cells[0], rows=rows))
    return tables


def _judgement_tables(text: str, file: str) -> list[tuple[_Table, int, dict[int, str]]]:
    """Tables with an LA column: (table, LA column index, {column index: area})."""
    tables = html_tables(text) if re.search(r"<table\b", text, re.I) else []
    tables += markdown_tables(text)
    found = []
    for n, t in enumerate(tables, start=1):
        t.number = n
        cleaned = [_clean_header(h) for h in t.header]
        la_cols = [k for k, h in enumerate(cleaned) if _LA_HEADER.match(h)]
        if not la_cols:
            continue  # not an outcomes-by-LA table
        areas: dict[int, str] = {}
        for k, h in enumerate(t.header):
            if k == la_cols[0] or not h.strip():
                continue
            area = header_area(h)
            if area is None:
                raise SourceError(file, f"table {n}: unrecognised judgement column {h!r}")
            areas[k] = area
        if not areas:
            raise SourceError(file, f"table {n}: a Local Authority column but no judgement columns")
        found.append((t, la_cols[0], areas))
    return found


def _row_judgements(cells: list[str], areas: dict[int, str]) -> list[Judgement]:
    """Column grades plus bracketed sub-grades; UnknownGrade/ValueError on a bad cell."""
    judgements: dict[str, Judgement] = {}

    def add(area: str, grade: str, text: str) -> None:
        if area in judgements and judgements[area].grade != grade:
            raise ValueError(f"{area} given twice with different grades "
                             f"({judgements[area].grade_text!r} and {text!r})")
        judgements.setdefault(area, Judgement(area=area, grade=grade, grade_text=text))

    for k, area in areas.items():
        g = normalise_grade(cells[k])
        add(area, g.grade, g.text)
    # Sub-grades after the column grades, so a column's own grade is never overwritten.
    for k in areas:
        g = normalise_grade(cells[k])
        for sub_area, sub_grade in g.sub_grades.items():
            add(sub_area, sub_grade, g.text)
    return list(judgements.values())


def parse_council_tables(
    path: Path,
    resolver: LaResolver,
    root: Path,
    *,
    paper_date: dt.date,
    framework: str,
    published_on_or_before: dt.date,
    publisher: str | None = None,
    title: str | None = None,
) -> SourceResult:
    """Every LA-by-judgement table in one council paper -> one record per LA row.

    `root` is the folder paths are recorded relative to (the seeds folder). `publisher` and
    `title` default to the paper's COUNCIL_PAPERS entry, if it has one.
    """
    path = Path(path)
    if framework not in FRAMEWORKS:
        raise ValueError(f"framework {framework!r} not in {FRAMEWORKS}")
    rel = relative_path(path, root)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise SourceError(rel, f"unreadable: {e}") from None
    if not text.strip():
        raise SourceError(rel, "empty file")
    tables = _judgement_tables(text, rel)
    if not tables:
        raise SourceError(rel, "no table with a Local Authority column and judgement columns")
    known = next((p for p in COUNCIL_PAPERS if p.file == rel or p.file == path.name), None)
    source_id = f"council:{path.stem}"
    source = Source(
        source_id=source_id,
        kind=KIND,
        title=title or (known.title if known else path.stem),
        path=rel,
        publisher=publisher or (known.publisher if known else "council (not identified)"),
        licence=COUNCIL_LICENCE,
        parser=PARSER,
        parser_version=PARSER_VERSION,
        sha256=file_sha256(path),
        as_at=published_on_or_before,
    )
    result = SourceResult(source=source)
    seen: dict[str, str] = {}
    for table, la_col, areas in tables:
        for ref, cells in table.rows:
            row_ref = f"table {table.number} {ref}"
            raw = " | ".join(cells)

            def reject(reason: str, row_ref: str = row_ref, raw: str = raw) -> None:
                result.rejects.append(Reject(source_id=source_id, file=rel, row_ref=row_ref,
                                             reason=reason, raw=raw))

            if len(cells) != len(table.header):
                reject(f"{len(cells)} cells for {len(table.header)} header columns")
                continue
            name = cells[la_col]
            if not name:
                reject("blank local authority name")
                continue
            try:
                la_code = resolver.by_name(name, on=paper_date.isoformat())
            except UnknownLA as e:
                reject(str(e))
                continue
            if la_code in seen:
                reject(f"{name!r} (LA {la_code}) listed twice; first at {seen[la_code]}")
                continue
            try:
                judgements = _row_judgements(cells, areas)
            except (UnknownGrade, ValueError) as e:
                reject(str(e))
                continue
            seen[la_code] = row_ref
            result.records.append(InspectionRecord(
                source_id=source_id,
                row_ref=row_ref,
                la_code=la_code,
                la_name_raw=name,
                framework=framework,
                inspection_type="full",
                judgements=judgements,
                evidence="derived",
                published_on_or_before=published_on_or_before,
                notes=f"council paper dated {paper_date.isoformat()}; undated row: the LA's "
                      f"first {framework} inspection published on or before "
                      f"{published_on_or_before.isoformat()}",
            ))
    return result


def parse_paper_file(path: Path, resolver: LaResolver) -> SourceResult:
    """A registered paper (COUNCIL_PAPERS, by file name) read with its registry settings."""
    path = Path(path)
    paper = next((p for p in COUNCIL_PAPERS if p.file == path.name), None)
    if paper is None:
        raise SourceError(str(path), "not a registered council paper (COUNCIL_PAPERS)")
    if not path.is_file():
        raise SourceError(str(path), "cannot read file: not found")
    return parse_council_tables(
        path, resolver, path.parent, paper_date=paper.paper_date, framework=paper.framework,
        published_on_or_before=paper.published_on_or_before,
        publisher=paper.publisher, title=paper.title,
    )
