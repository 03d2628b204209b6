"""Re-derive the snapshot from the raw sources: every registered kind of source over its files
(etl.ingest.registry), records matched across sources, then written (etl.ingest.snapshot)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from etl import SNAPSHOT_DIR
from etl.ingest.adapters.hexmap import load_hexmap
from etl.ingest.la_lookup import load_local_authorities
from etl.ingest.records import Reject, Source, SourceError, SourceResult
from etl.ingest.registry import REGISTRY, IngestContext, SourceKind, assign_precedence
from etl.ingest.snapshot import SnapshotSummary, write_snapshot
from etl.local_authorities import LaResolver
from etl.vocab import UnknownGrade, grade_on_scale

Progress = Callable[[str, int, int], None]


def _unreadable(kind: SourceKind, path: Path, reason: str) -> SourceResult:
    source = Source(source_id=f"unreadable:{path.name}", kind=kind.kind, title=path.name,
                    path=str(path))
    return SourceResult(source=source, rejects=[
        Reject(source.source_id, str(path), "whole file", reason)])


def parse_kind(kind: SourceKind, ctx: IngestContext,
               progress: Progress | None = None) -> list[SourceResult]:
    """Every file of one kind of source. A file that cannot be read at all is quarantined with
    its reason, never fatal and never dropped."""
    paths = kind.inputs(ctx)

    def step(done: int, total: int) -> None:
        if progress:
            progress(kind.label, done, total)

    if kind.parse_many is not None:
        return kind.parse_many(paths, ctx, step)
    out = []
    for n, path in enumerate(paths, start=1):
        try:
            out.append(kind.parse(path, ctx))
        except SourceError as exc:
            out.append(_unreadable(kind, path, exc.reason))
        step(n, len(paths))
    return out


def collect_sources(ctx: IngestContext, progress: Progress | None = None) -> list[SourceResult]:
    """Parse every registered kind of source, then let kinds enrich each other's results."""
    results: list[SourceResult] = []
    for kind in REGISTRY:
        results.extend(parse_kind(kind, ctx, progress))
    for kind in REGISTRY:
        if kind.enrich is not None:
            kind.enrich(results)
    for res in results:
        enforce_scales(res)
    assign_precedence(results)
    return results


def enforce_scales(res: SourceResult) -> None:
    """Quarantine judgements whose grade is not on their framework's scale ("adequate" on a SIF
    or ILACS inspection, "requires improvement" on a 2009-2013 one): a misread, never mapped to a
    neighbouring grade. The record itself stays (the inspection happened)."""
    for rec in res.records:
        kept = []
        for j in rec.judgements:
            try:
                grade_on_scale(j.grade, rec.framework)
            except UnknownGrade as exc:
                res.rejects.append(Reject(res.source.source_id, res.source.path,
                                          f"{rec.row_ref} judgement {j.area}", str(exc),
                                          j.grade_text))
                continue
            kept.append(j)
        rec.judgements = kept


def make_snapshot(shared_data: Path, seeds_dir: Path, out_dir: Path = SNAPSHOT_DIR,
                  progress: Progress | None = None, workers: int = 2) -> SnapshotSummary:
    started = time.perf_counter()
    las = load_local_authorities(shared_data)
    resolver = LaResolver(las)
    ctx = IngestContext(shared_data=shared_data, seeds_dir=seeds_dir, resolver=resolver,
                        workers=workers)
    results = collect_sources(ctx, progress=progress)
    summary = write_snapshot(results, las, load_hexmap(shared_data, resolver), out_dir)
    summary.seconds = time.perf_counter() - started
    return summary
