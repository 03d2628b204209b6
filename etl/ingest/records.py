"""Typed records every source adapter produces, and the snapshot files they become.

An adapter reads one file and returns a `SourceResult`: the `Source` it read, the
`InspectionRecord`s it found (each with its `Judgement`s) and the `Reject`s it
quarantined with a reason. Nothing is dropped silently and nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import pickle
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field


@dataclass
class Source:
    source_id: str  # stable, e.g. "report:80534/children's services inspection - 19 december 2019"
    kind: str  # the adapter's KIND (etl.ingest.registry)
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
    # Lower wins when sources disagree; set from the registry (etl.ingest.registry), not by
    # the adapter.
    precedence: int = 0


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
    # Rows for the snapshot's other fact tables (sql/01_schema.sql tables with a source_id
    # column, e.g. report text), by table name; each row holds that table's columns.
    # Results parsed in a pool come back with them packed (PackedRows: read like the list).
    facts: dict[str, list[dict[str, object]] | PackedRows] = field(default_factory=dict)


class PackedRows(Sequence[dict[str, object]]):
    """Fact rows kept compressed until they are written: a report's text is ~50 KB of Python
    strings, and 550 reports' text held as rows took ~80 MB of the snapshot process (issue 14);
    packed it is ~10 MB. Reads like the list of rows it was made from (iterate, index, len,
    ==); iterating unpacks the rows of this one result only."""

    __slots__ = ("_blob", "_n")

    def __init__(self, rows: Iterable[dict[str, object]]):
        rows = list(rows)
        self._n = len(rows)
        # level 1: a third of the size of the pickled text at a few ms per report
        self._blob = zlib.compress(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL), 1)

    def rows(self) -> list[dict[str, object]]:
        return pickle.loads(zlib.decompress(self._blob))

    def __iter__(self) -> Iterator[dict[str, object]]:
        return iter(self.rows())

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):  # type: ignore[override]
        return self.rows()[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedRows | list | tuple):
            return self.rows() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PackedRows({self._n} rows, {len(self._blob)} bytes)"


def pack_facts(result: SourceResult) -> SourceResult:
    """The result with its fact tables packed (PackedRows), for keeping many results at once."""
    result.facts = {t: rows if isinstance(rows, PackedRows) else PackedRows(rows)
                    for t, rows in result.facts.items()}
    return result


class SourceError(Exception):
    """A whole file could not be read: names the file and the reason."""

    def __init__(self, file: str, reason: str):
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason
