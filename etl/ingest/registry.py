"""The source registry: every kind of source the warehouse ingests, in one table.

Adding a kind of source means one adapter module (in `etl.ingest.adapters`, owning its `KIND`
and its parsing) and one entry here: which files it reads, how much it is trusted when sources
disagree, and how to call it. `snapshot` and `refresh` loop over this registry; nothing else
names a kind of source.
"""

from __future__ import annotations

import glob as _glob
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from etl.ingest.adapters import (
    area_send_pdf,
    area_send_xlsx,
    council_tables,
    csc_statistics_ods,
    official_ods,
    reference,
    reports_pdf,
    scraper_csv,
    scraper_xlsx,
    secondary_web,
    social_care_providers,
)
from etl.ingest.records import Source, SourceError, SourceResult
from etl.local_authorities import LaResolver

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class IngestContext:
    """What every adapter is given besides its file."""

    shared_data: Path  # ../shared/data
    seeds_dir: Path  # ../shared/seeds
    resolver: LaResolver
    workers: int = 2


Inputs = Callable[[IngestContext], list[Path]]


def shared(*patterns: str | Path) -> Inputs:
    """Files under the shared data folder. A pattern without wildcards names a file that must
    exist: a missing one is listed anyway, so that it is quarantined as unreadable rather than
    silently skipped."""

    def inputs(ctx: IngestContext) -> list[Path]:
        out: list[Path] = []
        for pattern in map(str, patterns):
            if _glob.has_magic(pattern):
                out.extend(sorted(ctx.shared_data.glob(pattern)))
            else:
                out.append(ctx.shared_data / pattern)
        return out

    return inputs


def seeds(files: Callable[[], list[str]]) -> Inputs:
    return lambda ctx: [ctx.seeds_dir / f for f in files()]


@dataclass(frozen=True)
class SourceKind:
    kind: str  # the adapter's KIND; sources.kind in the warehouse
    label: str  # plain English, for pages and summaries
    precedence: int  # lower wins when sources disagree about a fact
    inputs: Inputs
    parse: Callable[[Path, IngestContext], SourceResult]
    # Many files parsed at once (a process pool for the report PDFs); default: one by one.
    parse_many: Callable[[list[Path], IngestContext, Callable[[int, int], None] | None],
                         list[SourceResult]] | None = None
    # Releases of one publication: newest first, each one precedence step below the next.
    newest_first: bool = False
    # Runs after every kind is parsed, with all results (e.g. the scraper CSV knows the URLs
    # of the report PDFs, which do not know their own).
    enrich: Callable[[list[SourceResult]], None] | None = None

    def precedences(self, sources: list[Source]) -> dict[str, int]:
        if not self.newest_first:
            return {s.source_id: self.precedence for s in sources}
        ordered = sorted(sources, key=lambda s: (s.as_at is None, -(s.as_at.toordinal()
                                                                     if s.as_at else 0),
                                                 s.source_id))
        return {s.source_id: self.precedence + i for i, s in enumerate(ordered)}


def _pdf_many(paths: list[Path], ctx: IngestContext,
              progress: Callable[[int, int], None] | None) -> list[SourceResult]:
    return reports_pdf.parse_reports(paths, ctx.resolver, ctx.shared_data, workers=ctx.workers,
                                     progress=progress)


def _area_send_many(paths: list[Path], ctx: IngestContext,
                    progress: Callable[[int, int], None] | None) -> list[SourceResult]:
    return area_send_pdf.parse_area_send_reports(paths, ctx.resolver, ctx.shared_data,
                                                 workers=ctx.workers, progress=progress)


# Every kind of source that reads files; REGISTRY adds the one that quarantines the rest.
READERS: tuple[SourceKind, ...] = (
    SourceKind(
        kind=reports_pdf.KIND, label="Ofsted inspection report (PDF)", precedence=10,
        inputs=shared(f"{reports_pdf.REPORTS_DIR}/*/*.pdf"),
        parse=lambda p, ctx: reports_pdf.parse_report(p, ctx.resolver, ctx.shared_data),
        parse_many=_pdf_many),
    SourceKind(
        kind=official_ods.KIND, label="Ofsted official statistics", precedence=20,
        inputs=shared(f"{official_ods.RELEASE_GLOB}"),
        parse=lambda p, ctx: official_ods.parse_official_ods(p, ctx.resolver, ctx.shared_data),
        newest_first=True),
    SourceKind(
        kind=csc_statistics_ods.KIND,
        label="Ofsted official statistics: children's social care in England (LA history since 2009)",
        # below the "as at 31 March" releases (20, 21, ...: newer), above the scraper
        precedence=25, newest_first=True,
        inputs=shared(csc_statistics_ods.RELEASE_GLOB),
        parse=lambda p, ctx: csc_statistics_ods.parse_csc_statistics(p, ctx.resolver,
                                                                     ctx.shared_data)),
    SourceKind(
        kind=scraper_csv.KIND, label="Community scraper: report list (CSV)", precedence=30,
        inputs=shared(scraper_csv.RELPATH),
        parse=lambda p, ctx: scraper_csv.parse_scraper_csv(p, ctx.resolver, ctx.shared_data),
        enrich=scraper_csv.fill_report_urls),
    SourceKind(
        kind=scraper_xlsx.KIND, label="Community scraper: latest per LA (XLSX)", precedence=40,
        inputs=shared(scraper_xlsx.RELPATH),
        parse=lambda p, ctx: scraper_xlsx.parse_scraper_xlsx(p, ctx.resolver, ctx.shared_data)),
    SourceKind(
        kind=council_tables.KIND, label="Council committee paper (table)", precedence=50,
        inputs=seeds(lambda: [paper.file for paper in council_tables.COUNCIL_PAPERS]),
        parse=lambda p, ctx: council_tables.parse_paper_file(p, ctx.resolver)),
    SourceKind(
        kind=area_send_pdf.KIND, label="Area SEND inspection report (PDF)", precedence=10,
        inputs=shared(f"{area_send_pdf.REPORTS_DIR}/*/*.pdf"),
        parse=lambda p, ctx: area_send_pdf.parse_area_send_report(p, ctx.resolver,
                                                                  ctx.shared_data),
        parse_many=_area_send_many),
    SourceKind(
        kind=area_send_xlsx.KIND, label="Community scraper: area SEND (XLSX)", precedence=40,
        inputs=shared(area_send_xlsx.RELPATH),
        parse=lambda p, ctx: area_send_xlsx.parse_area_send_xlsx(p, ctx.resolver,
                                                                 ctx.shared_data)),
    SourceKind(
        kind=social_care_providers.KIND, label="Ofsted statistics: social care providers",
        precedence=20, inputs=shared(social_care_providers.INPUTS),
        parse=lambda p, ctx: social_care_providers.parse_provider_stats(p, ctx.resolver,
                                                                        ctx.shared_data),
        newest_first=True),
    SourceKind(
        kind=secondary_web.KIND, label="News and council web pages (secondary)", precedence=90,
        inputs=shared(secondary_web.RELPATH),
        parse=lambda p, ctx: secondary_web.parse_secondary(p, ctx.resolver, ctx.shared_data)),
    SourceKind(
        kind=reference.KIND,
        label="Reference data: LA lookup, statistical neighbours, hex map",
        # states no inspection or grade, so never competes: after every other kind
        precedence=100,
        inputs=lambda ctx: reference.reference_inputs(ctx.shared_data),
        parse=lambda p, ctx: reference.parse_reference(p, ctx.shared_data)),
)

UNREAD_KIND = "unread_file"


def unread_files(ctx: IngestContext) -> list[Path]:
    """Files under the shared data folder that no registered kind reads: each is quarantined
    (as a source of kind `unread_file`) rather than left out without a word."""
    claimed = {p.resolve() for kind in READERS for p in kind.inputs(ctx)}
    return sorted(p for p in ctx.shared_data.rglob("*")
                  if p.is_file() and not p.name.startswith(".") and p.resolve() not in claimed)


def _no_adapter(path: Path, ctx: IngestContext) -> SourceResult:
    raise SourceError(path.relative_to(ctx.shared_data).as_posix(),
                      "no adapter reads this file (register its kind of source in "
                      "etl/ingest/registry.py)")


REGISTRY: tuple[SourceKind, ...] = (*READERS, SourceKind(
    kind=UNREAD_KIND, label="Files no adapter reads", precedence=1000,
    inputs=unread_files, parse=_no_adapter))

BY_KIND: dict[str, SourceKind] = {k.kind: k for k in REGISTRY}


def source_kind(kind: str) -> SourceKind:
    try:
        return BY_KIND[kind]
    except KeyError:
        raise KeyError(f"unknown kind of source {kind!r}; registered: {', '.join(BY_KIND)}") \
            from None


def assign_precedence(results: list[SourceResult]) -> None:
    """Set each source's precedence from its kind's registry entry (releases ranked)."""
    by_kind: dict[str, list[Source]] = {}
    for res in results:
        by_kind.setdefault(res.source.kind, []).append(res.source)
    for kind, sources in by_kind.items():
        ranks = source_kind(kind).precedences(sources)
        for s in sources:
            s.precedence = ranks[s.source_id]
