"""Re-derive the shipped snapshot (data/snapshot/*.csv) from the raw sources.

Reads every source under the shared data folder (and the seed papers), matches records of
the same inspection across sources, and writes plain CSV files: the project's own
normalised facts, small enough to review in a diff. `build` turns them into DuckDB.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from etl import OGL, SNAPSHOT_DIR
from etl.coverage import coverage_markdown
from etl.la_lookup import CURATED_DIR, LaResolver, LocalAuthorities, load_local_authorities
from etl.matching import assign_inspection_ids
from etl.records import InspectionRecord, Reject, Source, SourceError, SourceResult
from etl.sources import (
    council_tables,
    official_ods,
    reports_pdf,
    scraper_csv,
    scraper_xlsx,
    secondary_web,
)
from etl.sources.hexmap import load_hexmap

Progress = Callable[[str, int, int], None]

SOURCE_COLUMNS = ["source_id", "kind", "title", "path", "url", "publisher", "licence", "parser",
                  "parser_version", "sha256", "as_at", "published_by", "precedence"]
RECORD_COLUMNS = ["record_id", "inspection_id", "source_id", "row_ref", "la_code", "la_name_raw",
                  "framework", "inspection_type", "start_date", "end_date", "published_date",
                  "report_url", "evidence", "confidence", "notes", "parser_version",
                  "published_on_or_before"]
CHANGE_COLUMNS = ["detected_at", "run_id", "change_type", "la_code", "inspection_id", "area",
                  "old_value", "new_value", "detail"]
JUDGEMENT_COLUMNS = ["record_id", "area", "grade", "grade_text"]
QUARANTINE_COLUMNS = ["source_id", "file", "row_ref", "reason", "raw"]


@dataclass
class KindSummary:
    files_in: int = 0
    files_loaded: int = 0
    files_quarantined: int = 0
    records: int = 0
    judgements: int = 0
    rejects: int = 0


@dataclass
class SnapshotSummary:
    by_kind: dict[str, KindSummary] = field(default_factory=dict)
    inspections: int = 0
    conflicts: int = 0
    seconds: float = 0.0

    def table(self) -> str:
        lines = [f"{'source kind':<24}{'files in':>9}{'loaded':>8}{'quarant.':>9}"
                 f"{'records':>9}{'judgem.':>9}{'rejects':>9}"]
        for kind, s in sorted(self.by_kind.items()):
            lines.append(f"{kind:<24}{s.files_in:>9}{s.files_loaded:>8}{s.files_quarantined:>9}"
                         f"{s.records:>9}{s.judgements:>9}{s.rejects:>9}")
        lines.append(f"inspections after matching: {self.inspections}; "
                     f"judgements where sources disagree: {self.conflicts}; "
                     f"took {self.seconds:.1f} s")
        return "\n".join(lines)


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


REPORTS_RELPATH = Path("ofsted-reports")


def _report_paths(shared_data: Path) -> list[Path]:
    return sorted((shared_data / REPORTS_RELPATH).glob("*/*.pdf"))


def report_pdf_key(source: Source) -> tuple[str, str]:
    """(Ofsted URN, file name without .pdf) of a report PDF: how the scraper CSV names it."""
    path = Path(source.path)
    return path.parent.name.split("_", 1)[0], path.stem


def collect_sources(shared_data: Path, seeds_dir: Path, resolver: LaResolver,
                    progress: Progress | None = None, workers: int = 2) -> list[SourceResult]:
    """Parse every source. A file that cannot be read at all is quarantined, not fatal."""
    results: list[SourceResult] = []
    pdfs = _report_paths(shared_data)

    def report(done: int, total: int) -> None:
        if progress:
            progress("report PDFs", done, total)

    results.extend(reports_pdf.parse_reports(pdfs, resolver, shared_data, workers=workers,
                                             progress=report))
    tabular: list[tuple[str, Path, Callable[[], SourceResult]]] = []
    for ods in sorted((shared_data / "official").glob("*.ods")):
        tabular.append(("ofsted_official_stats", ods,
                        lambda p=ods: official_ods.parse_official_ods(p, resolver, shared_data)))
    csv_path = shared_data / "ilacs-history" / "ofsted_csc_ilacs_history.csv"
    tabular.append(("scraper_csv", csv_path,
                    lambda: scraper_csv.parse_scraper_csv(csv_path, resolver, shared_data)))
    xlsx_path = shared_data / "ilacs-summary" / "ofsted_csc_ilacs_overview.xlsx"
    tabular.append(("scraper_summary_xlsx", xlsx_path,
                    lambda: scraper_xlsx.parse_scraper_xlsx(xlsx_path, resolver, shared_data)))
    sec_path = shared_data / "secondary" / "abolished_la_sif_outcomes.csv"
    tabular.append(("secondary_web", sec_path,
                    lambda: secondary_web.parse_secondary(sec_path, resolver, shared_data)))
    for paper in council_tables.COUNCIL_PAPERS:
        path = seeds_dir / paper.file
        tabular.append(("council_paper_table", path,
                        lambda p=path, paper=paper: council_tables.parse_paper(p, resolver, paper)))
    for n, (kind, path, parse) in enumerate(tabular, start=1):
        if progress:
            progress(kind, n, len(tabular))
        try:
            results.append(parse())
        except SourceError as exc:
            source = Source(source_id=f"unreadable:{path.name}", kind=kind, title=path.name,
                            path=str(path))
            results.append(SourceResult(source=source, rejects=[
                Reject(source.source_id, str(path), "whole file", exc.reason)]))
    return results


def _fill_report_urls(results: list[SourceResult]) -> None:
    """Report PDFs do not know their own URL; the scraper CSV lists it by URN and file name."""
    urls: dict[tuple[str, str], str] = {}
    for res in results:
        if res.source.kind != "scraper_csv":
            continue
        for rec in res.records:
            key = scraper_csv.record_pdf_key(rec)
            if key and rec.report_url:
                urls[key] = rec.report_url
    for res in results:
        if res.source.kind != "ofsted_report_pdf":
            continue
        key = report_pdf_key(res.source)
        url = urls.get(key, "")
        if url:
            res.source.url = url
            for rec in res.records:
                rec.report_url = rec.report_url or url


def summarise(results: list[SourceResult]) -> dict[str, KindSummary]:
    by_kind: dict[str, KindSummary] = {}
    for res in results:
        s = by_kind.setdefault(res.source.kind, KindSummary())
        s.files_in += 1
        whole_file_reject = any(r.row_ref in ("whole file", "page 1") for r in res.rejects) and \
            not res.records
        if whole_file_reject:
            s.files_quarantined += 1
        else:
            s.files_loaded += 1
        s.records += len(res.records)
        s.judgements += sum(len(r.judgements) for r in res.records)
        s.rejects += len(res.rejects)
    return by_kind


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, object]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})


def _source_row(s: Source) -> dict[str, object]:
    row = asdict(s)
    row.update(as_at=_iso(s.as_at), published_by=_iso(s.published_by), precedence=s.precedence)
    return row


def write_snapshot(results: list[SourceResult], las: LocalAuthorities, hexes: list[dict],
                   out_dir: Path = SNAPSHOT_DIR,
                   changes: list[dict[str, object]] | None = None) -> SnapshotSummary:
    """Write the snapshot atomically: a new folder is filled, then swapped in.

    `changes` is the change feed to carry (None keeps the current snapshot's feed).
    """
    started = time.perf_counter()
    if changes is None:
        changes = read_csv_rows(out_dir / "changes.csv")
    records: list[InspectionRecord] = [r for res in results for r in res.records]
    precedence = {res.source.source_id: res.source.precedence for res in results}
    ids = assign_inspection_ids(records, precedence)
    parser_version = {res.source.source_id: res.source.parser_version for res in results}

    record_rows, judgement_rows = [], []
    seen_ids: Counter[str] = Counter()
    for rec, inspection_id in zip(records, ids, strict=True):
        base = f"{rec.source_id}#{rec.row_ref}"
        seen_ids[base] += 1
        record_id = base if seen_ids[base] == 1 else f"{base}#{seen_ids[base]}"
        record_rows.append({
            "record_id": record_id, "inspection_id": inspection_id, "source_id": rec.source_id,
            "row_ref": rec.row_ref, "la_code": rec.la_code, "la_name_raw": rec.la_name_raw,
            "framework": rec.framework, "inspection_type": rec.inspection_type,
            "start_date": _iso(rec.start_date), "end_date": _iso(rec.end_date),
            "published_date": _iso(rec.published_date), "report_url": rec.report_url,
            "evidence": rec.evidence, "confidence": rec.confidence, "notes": rec.notes,
            "parser_version": parser_version.get(rec.source_id, ""),
            "published_on_or_before": _iso(rec.published_on_or_before),
        })
        for j in rec.judgements:
            judgement_rows.append({"record_id": record_id, "area": j.area, "grade": j.grade,
                                   "grade_text": j.grade_text})
    quarantine_rows = [asdict(r) for res in results for r in res.rejects]

    # Count judgements where sources give different grades for the same inspection and area.
    grades_seen: dict[tuple[str, str], set[str]] = {}
    rid_to_insp = {r["record_id"]: r["inspection_id"] for r in record_rows}
    for j in judgement_rows:
        grades_seen.setdefault((rid_to_insp[j["record_id"]], j["area"]), set()).add(j["grade"])
    conflicts = sum(1 for g in grades_seen.values() if len(g) > 1)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=out_dir.parent))
    try:
        _write_csv(tmp / "sources.csv", SOURCE_COLUMNS, [_source_row(r.source) for r in results])
        _write_csv(tmp / "inspection_records.csv", RECORD_COLUMNS, record_rows)
        _write_csv(tmp / "judgement_records.csv", JUDGEMENT_COLUMNS, judgement_rows)
        _write_csv(tmp / "quarantine.csv", QUARANTINE_COLUMNS, quarantine_rows)
        _write_csv(tmp / "local_authorities.csv", list(las.rows[0].keys()), las.rows)
        _write_csv(tmp / "statistical_neighbours.csv",
                   ["la_code", "neighbour_la_code", "rank", "vintage"], las.neighbours)
        _write_csv(tmp / "la_reorganisations.csv", list(las.reorganisations[0].keys()),
                   las.reorganisations)
        _write_csv(tmp / "hexmap.csv", ["la_code", "name", "q", "r", "layout"], hexes)
        shutil.copyfile(CURATED_DIR / "reference_figures.csv", tmp / "reference_figures.csv")
        _write_csv(tmp / "changes.csv", CHANGE_COLUMNS, changes)
        summary = SnapshotSummary(by_kind=summarise(results), inspections=len(set(ids)),
                                  conflicts=conflicts)
        summary.seconds = time.perf_counter() - started
        meta = {
            "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "licence": OGL,
            "counts": {k: asdict(v) for k, v in summary.by_kind.items()},
            "records": len(record_rows), "judgements": len(judgement_rows),
            "quarantined": len(quarantine_rows), "inspections": summary.inspections,
            "conflicts": conflicts,
        }
        (tmp / "snapshot.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        (tmp / "COVERAGE.md").write_text(coverage_markdown(results, las, meta["generated_at"]),
                                         encoding="utf-8")
        old = out_dir.with_name(out_dir.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if out_dir.exists():
            os.replace(out_dir, old)
        os.replace(tmp, out_dir)
        if old.exists():
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return summary


def make_snapshot(shared_data: Path, seeds_dir: Path, out_dir: Path = SNAPSHOT_DIR,
                  progress: Progress | None = None, workers: int = 2) -> SnapshotSummary:
    started = time.perf_counter()
    resolver = LaResolver.from_shared(shared_data)
    results = collect_sources(shared_data, seeds_dir, resolver, progress=progress, workers=workers)
    _fill_report_urls(results)
    las = load_local_authorities(shared_data)
    summary = write_snapshot(results, las, load_hexmap(shared_data, resolver), out_dir)
    summary.seconds = time.perf_counter() - started
    return summary
