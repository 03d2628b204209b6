"""SIF outcomes of the five abolished LAs, compiled from news and council web pages.

The report collection lacks Bournemouth's, Poole's, old Dorset's, Cumbria's and
Northamptonshire's SIF reports; `secondary/abolished_la_sif_outcomes.csv` gives one row per
judgement (la_name, event, inspection_period, published_date, area, grade, confidence,
source_url, evidence = the supporting words). Rows group into one record per (LA, event,
period), flagged evidence "secondary" so they never mix silently with report facts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from etl.ingest.adapters.files import file_sha256, relative_path
from etl.ingest.adapters.scraper_csv import EXTRA_CELLS, read_rows
from etl.ingest.records import InspectionRecord, Judgement, Reject, Source, SourceError, SourceResult
from etl.local_authorities import LaResolver, UnknownLA
from etl.vocab import AREAS, UnknownGrade, normalise_grade

PARSER_VERSION = "1"
PARSER = __name__
KIND = "secondary_web"
SOURCE_ID = "secondary:abolished-la-sif-outcomes"
RELPATH = Path("secondary") / "abolished_la_sif_outcomes.csv"
REQUIRED_COLUMNS = (
    "la_name", "event", "inspection_period", "published_date", "area", "grade", "confidence",
    "source_url", "evidence",
)
EVENTS = {"SIF inspection": ("SIF", "full"), "SIF re-inspection": ("SIF", "re-inspection")}
CONFIDENCE_ORDER = ("high", "medium", "low")  # best first: a group takes its worst

_ISO_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+to\s+(\d{4}-\d{2}-\d{2})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\s+(\d{4})\b")


class _RowError(ValueError):
    pass


def parse_period(text: str) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """(start, end, approximate date) of a free-text period.

    Only an ISO range "YYYY-MM-DD to YYYY-MM-DD" gives exact dates; "April 2014" or
    "February 2016 (five weeks)" give only the month's first day as an approximate date (used
    to pick between old and new LAs of one name, never stored as an inspection date).
    """
    t = text.strip()
    m = _ISO_RANGE.match(t)
    if m:
        try:
            start, end = (dt.date.fromisoformat(g) for g in m.groups())
        except ValueError:
            raise _RowError(f"inspection_period {text!r} has an impossible date") from None
        if end < start:
            raise _RowError(f"inspection_period {text!r} ends before it starts")
        return start, end, start
    m = _MONTH_YEAR.match(t)
    if m:
        try:
            approx = dt.datetime.strptime(f"1 {m.group(1)} {m.group(2)}", "%d %B %Y").date()
        except ValueError:
            return None, None, None
        return None, None, approx
    return None, None, None


@dataclass
class _Row:
    line: int
    la_code: str
    la_name: str
    key: tuple[str, str, str]
    published: dt.date | None
    start: dt.date | None
    end: dt.date | None
    framework: str
    inspection_type: str
    judgement: Judgement
    confidence: str
    url: str
    evidence: str


def _read_row(raw: dict[str, str], line: int, resolver: LaResolver) -> _Row:
    if EXTRA_CELLS in raw:
        raise _RowError(f"more cells than header columns: extra {raw[EXTRA_CELLS]!r}")
    if raw["event"] not in EVENTS:
        raise _RowError(f"unknown event {raw['event']!r} (known: {', '.join(EVENTS)})")
    framework, inspection_type = EVENTS[raw["event"]]
    start, end, approx = parse_period(raw["inspection_period"])
    published = None
    if raw["published_date"]:
        try:
            published = dt.date.fromisoformat(raw["published_date"])
        except ValueError:
            raise _RowError(
                f"published_date {raw['published_date']!r} is not an ISO date") from None
    on = published or approx
    try:
        la_code = resolver.by_name(raw["la_name"], on=on.isoformat() if on else None)
    except UnknownLA as e:
        raise _RowError(str(e)) from None
    if raw["area"] not in AREAS:
        raise _RowError(f"unknown area {raw['area']!r}")
    try:
        grade = normalise_grade(raw["grade"])
    except UnknownGrade as e:
        raise _RowError(str(e)) from None
    if raw["confidence"] not in CONFIDENCE_ORDER:
        raise _RowError(f"unknown confidence {raw['confidence']!r} "
                        f"(known: {', '.join(CONFIDENCE_ORDER)})")
    if not raw["source_url"]:
        raise _RowError("source_url blank: a secondary fact needs its source")
    return _Row(
        line=line, la_code=la_code, la_name=raw["la_name"],
        # Grouped by resolved LA so two spellings of one LA's inspection stay one record.
        key=(la_code, raw["event"], raw["inspection_period"]),
        published=published, start=start, end=end, framework=framework,
        inspection_type=inspection_type,
        judgement=Judgement(area=raw["area"], grade=grade.grade, grade_text=raw["grade"]),
        confidence=raw["confidence"], url=raw["source_url"], evidence=raw["evidence"],
    )


def _row_refs(lines: list[int]) -> str:
    if len(lines) == 1:
        return f"row {lines[0]}"
    if lines == list(range(lines[0], lines[-1] + 1)):
        return f"rows {lines[0]}-{lines[-1]}"
    return "rows " + ", ".join(str(n) for n in lines)


def _group_record(rows: list[_Row]) -> InspectionRecord:
    """One inspection from its judgement rows; _RowError if they contradict each other."""
    first = rows[0]
    published = {r.published for r in rows}
    if len(published) > 1:
        raise _RowError("rows of one inspection give different published dates: "
                        + ", ".join(sorted(str(p) for p in published)))
    areas: dict[str, _Row] = {}
    for r in rows:
        if r.judgement.area in areas:
            raise _RowError(f"area {r.judgement.area} given twice (rows "
                            f"{areas[r.judgement.area].line} and {r.line})")
        areas[r.judgement.area] = r
    confidence = max((r.confidence for r in rows), key=CONFIDENCE_ORDER.index)
    urls = list(dict.fromkeys(r.url for r in rows))
    notes = [f"sources: {' ; '.join(urls)}"]
    if first.start is None:
        period = first.key[2]
        notes.append(f"inspection period {period!r} (not exact)" if period
                     else "inspection period not given")
    if len({r.confidence for r in rows}) > 1:
        notes.append("confidence per judgement: "
                     + ", ".join(f"{r.judgement.area}={r.confidence}" for r in rows))
    notes.append("evidence: " + " | ".join(f"{r.judgement.area}: {r.evidence}" for r in rows))
    return InspectionRecord(
        source_id=SOURCE_ID,
        row_ref=_row_refs([r.line for r in rows]),
        la_code=first.la_code,
        la_name_raw=first.la_name,
        framework=first.framework,
        inspection_type=first.inspection_type,
        start_date=first.start,
        end_date=first.end,
        published_date=first.published,
        report_url=urls[0],
        judgements=[r.judgement for r in rows],
        evidence="secondary",
        confidence=confidence,
        notes="; ".join(notes),
    )


def parse_secondary(path: Path, resolver: LaResolver, shared_data: Path) -> SourceResult:
    """The compiled secondary CSV -> one record per (LA, event, period), rows in file order."""
    path = Path(path)
    raws = read_rows(path, REQUIRED_COLUMNS)
    rel = relative_path(path, shared_data)
    if not raws:
        raise SourceError(rel, "no data rows")
    source = Source(
        source_id=SOURCE_ID,
        kind=KIND,
        title="SIF outcomes of abolished LAs from news and council web pages",
        path=rel,
        publisher="news and council web pages (compiled)",
        licence="quoted for reference; see each row's source URL",
        parser=PARSER,
        parser_version=PARSER_VERSION,
        sha256=file_sha256(path),
    )
    result = SourceResult(source=source)
    groups: dict[tuple[str, str, str], list[_Row]] = {}
    raw_by_line: dict[int, dict[str, str]] = {}
    for n, raw in enumerate(raws, start=2):  # the header is row 1
        raw_by_line[n] = raw
        try:
            row = _read_row(raw, n, resolver)
        except _RowError as e:
            result.rejects.append(Reject(source_id=SOURCE_ID, file=rel, row_ref=f"row {n}",
                                         reason=str(e), raw=",".join(raw.values())))
            continue
        groups.setdefault(row.key, []).append(row)
    for rows in groups.values():
        try:
            result.records.append(_group_record(rows))
        except _RowError as e:
            # A contradiction taints the whole group: quarantine every row of it.
            for r in rows:
                result.rejects.append(Reject(
                    source_id=SOURCE_ID, file=rel, row_ref=f"row {r.line}", reason=str(e),
                    raw=",".join(raw_by_line[r.line].values())))
    return result
