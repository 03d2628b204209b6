"""Typed records every source adapter produces, and the snapshot files they become.

An adapter reads one file and returns a `SourceResult`: the `Source` it read, the
`InspectionRecord`s it found (each with its `Judgement`s) and the `Reject`s it
quarantined with a reason. Nothing is dropped silently and nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Precedence when sources disagree about the same inspection: lower wins.
# The report itself is the primary record; Ofsted's official statistics come next
# (newer release first); scrapers and council papers are derived; news/council web
# pages are secondary evidence.
PRECEDENCE = {
    "ofsted_report_pdf": 10,
    "ofsted_official_stats": 20,
    "scraper_csv": 30,
    "scraper_summary_xlsx": 40,
    "council_paper_table": 50,
    "secondary_web": 90,
}


@dataclass
class Source:
    source_id: str  # stable, e.g. "report:80534/children's services inspection - 19 december 2019"
    kind: str  # a key of PRECEDENCE
    title: str
    path: str  # relative to the shared data folder (or the seeds folder), "" if none
    url: str = ""
    publisher: str = "Ofsted"
    licence: str = "Open Government Licence v3.0"
    parser: str = ""  # module that read it, e.g. "etl.sources.reports_pdf"
    parser_version: str = "1"
    sha256: str = ""
    as_at: dt.date | None = None  # the date a statistics release or paper is "as at"
    # Official releases cover inspections by `as_at` published by this cut-off.
    published_by: dt.date | None = None

    @property
    def precedence(self) -> int:
        return PRECEDENCE[self.kind] + (0 if self.as_at is None else -min(self.as_at.year - 2000, 9))


@dataclass
class Judgement:
    area: str  # etl.vocab.AREAS
    grade: str  # etl.vocab.ALL_GRADES
    grade_text: str  # the words as printed in the source


@dataclass
class InspectionRecord:
    source_id: str
    row_ref: str  # where in the source: "page 1", "row 17", "sheet X row 9"
    la_code: str  # DfE 3-digit code, resolved by the adapter through LaResolver
    la_name_raw: str
    framework: str  # etl.vocab.FRAMEWORKS
    inspection_type: str  # etl.vocab.INSPECTION_TYPES
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    published_date: dt.date | None = None
    report_url: str = ""
    judgements: list[Judgement] = field(default_factory=list)
    evidence: str = "primary"  # "primary" (Ofsted's own words/figures) or "secondary"
    confidence: str = ""  # for secondary evidence: high / medium / low
    # Undated rows (a council annex) say only "published by": matched to the LA's
    # first inspection under the framework published on or before this date.
    published_on_or_before: dt.date | None = None
    notes: str = ""


@dataclass
class Reject:
    source_id: str
    file: str
    row_ref: str
    reason: str
    raw: str = ""


@dataclass
class SourceResult:
    source: Source
    records: list[InspectionRecord] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


class SourceError(Exception):
    """A whole file could not be read: names the file and the reason."""

    def __init__(self, file: str, reason: str):
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason
