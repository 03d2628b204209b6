"""Read the shipped snapshot back into records, so a refresh can add to it and re-match.

The snapshot is the warehouse's durable state: `refresh` reads it, adds what it fetched,
re-matches and writes it again, then `build` makes the database from it atomically.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from etl.la_lookup import LocalAuthorities
from etl.records import InspectionRecord, Judgement, Reject, Source, SourceResult
from etl.snapshot import read_csv_rows


def _date(v: str) -> dt.date | None:
    return dt.date.fromisoformat(v) if v else None


def load_results(snapshot_dir: Path) -> list[SourceResult]:
    """Every source of the snapshot with its records, judgements and rejects."""
    sources = {r["source_id"]: r for r in read_csv_rows(snapshot_dir / "sources.csv")}
    judgements: dict[str, list[Judgement]] = defaultdict(list)
    for j in read_csv_rows(snapshot_dir / "judgement_records.csv"):
        judgements[j["record_id"]].append(Judgement(j["area"], j["grade"], j["grade_text"]))
    results: dict[str, SourceResult] = {}
    for sid, s in sources.items():
        results[sid] = SourceResult(source=Source(
            source_id=sid, kind=s["kind"], title=s["title"], path=s["path"], url=s["url"],
            publisher=s["publisher"], licence=s["licence"], parser=s["parser"],
            parser_version=s["parser_version"], sha256=s["sha256"], as_at=_date(s["as_at"]),
            published_by=_date(s["published_by"])))
    for r in read_csv_rows(snapshot_dir / "inspection_records.csv"):
        results[r["source_id"]].records.append(InspectionRecord(
            source_id=r["source_id"], row_ref=r["row_ref"], la_code=r["la_code"],
            la_name_raw=r["la_name_raw"], framework=r["framework"],
            inspection_type=r["inspection_type"], start_date=_date(r["start_date"]),
            end_date=_date(r["end_date"]), published_date=_date(r["published_date"]),
            report_url=r["report_url"], judgements=judgements.get(r["record_id"], []),
            evidence=r["evidence"], confidence=r["confidence"],
            published_on_or_before=_date(r.get("published_on_or_before", "")), notes=r["notes"]))
    for q in read_csv_rows(snapshot_dir / "quarantine.csv"):
        if q["source_id"] in results:
            results[q["source_id"]].rejects.append(Reject(**q))
    return list(results.values())


def load_las(snapshot_dir: Path) -> LocalAuthorities:
    return LocalAuthorities(
        rows=read_csv_rows(snapshot_dir / "local_authorities.csv"),
        neighbours=read_csv_rows(snapshot_dir / "statistical_neighbours.csv"),
        reorganisations=read_csv_rows(snapshot_dir / "la_reorganisations.csv"),
    )


def load_hexes(snapshot_dir: Path) -> list[dict]:
    return read_csv_rows(snapshot_dir / "hexmap.csv")
