"""Re-derive the snapshot from the raw sources: every registered kind of source over its files
(etl.ingest.registry), records matched across sources, then written (etl.ingest.snapshot)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from etl import SNAPSHOT_DIR
from etl.ingest.adapters.files import relative_path
from etl.ingest.adapters.hexmap import load_hexmap
from etl.ingest.la_lookup import load_local_authorities
from etl.ingest.records import Reject, Source, SourceError, SourceResult
from etl.ingest.registry import (
    REGISTRY,
    IngestContext,
    SourceKind,
    assign_precedence,
    source_kind,
)
from etl.ingest.snapshot import SnapshotSummary, write_snapshot
from etl.ingest.workers import process_pool
from etl.local_authorities import LaResolver
from etl.vocab import UnknownGrade, grade_on_scale

Progress = Callable[[str, int, int], None]


def _unreadable(kind: SourceKind, path: Path, reason: str, ctx: IngestContext) -> SourceResult:
    rel = relative_path(path, ctx.shared_data)
    if Path(rel).is_absolute():  # a council paper: under the seeds folder, not the data one
        rel = path.name
    # the file could not be read, so nothing in it can title it: its kind and name do
    source = Source(source_id=f"unreadable:{rel}", kind=kind.kind,
                    title=f"{kind.label}: {path.name} (not read, see quarantine)", path=rel)
    return SourceResult(source=source, rejects=[
        Reject(source.source_id, rel, "whole file", reason)])


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
            out.append(_unreadable(kind, path, exc.reason, ctx))
        step(n, len(paths))
    return out


def _parse_kinds(kinds: list[str], ctx: IngestContext) -> dict[str, list[SourceResult]]:
    """In a side process: the kinds parsed file by file."""
    return {k: parse_kind(source_kind(k), ctx) for k in kinds}


def collect_sources(ctx: IngestContext, progress: Progress | None = None) -> list[SourceResult]:
    """Parse every registered kind of source, then let kinds enrich each other's results.

    Kinds parsed many files at once (the report PDFs, in their own process pool) run here while
    the others (spreadsheets: the official statistics take tens of seconds) run beside them in
    one more process, so the snapshot's wall time is about the larger of the two, not the sum.
    Results keep the registry's order.
    """
    pooled = [k for k in REGISTRY if k.parse_many is not None]
    serial = [k for k in REGISTRY if k.parse_many is None]
    by_kind: dict[str, list[SourceResult]] = {}
    if ctx.workers > 1 and pooled and serial:
        with process_pool(1) as side:
            future = side.submit(_parse_kinds, [k.kind for k in serial], ctx)
            for kind in pooled:
                by_kind[kind.kind] = parse_kind(kind, ctx, progress)
            by_kind.update(future.result())
        if progress:
            for kind in serial:
                progress(kind.label, len(by_kind[kind.kind]), len(by_kind[kind.kind]))
    else:
        for kind in REGISTRY:
            by_kind[kind.kind] = parse_kind(kind, ctx, progress)
    results = [res for kind in REGISTRY for res in by_kind[kind.kind]]
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
