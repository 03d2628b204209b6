"""Incremental refresh: crawl, download only report files not seen before, hand them to `ingest`.

Delivery to `ingest` is at-least-once: a file is marked ingested only after `ingest` returns, so
a run killed (or an `ingest` that raised) after downloading hands the same files over again next
time, alongside anything new. The warehouse upsert must therefore be idempotent (keyed by URL or
source id), which an upsert is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from etl.ingest.refresh.cache import DEFAULT_CACHE_DIR, Cache, CachedFile
from etl.ingest.refresh.client import PoliteClient
from etl.ingest.refresh.crawl import (
    DEFAULT_BASE_URL,
    SEARCH_PATH,
    PageFailure,
    Progress,
    ReportLink,
    crawl,
)
from etl.ingest.refresh.site_errors import FetchError

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class DownloadedReport:
    link: ReportLink
    path: Path  # absolute, inside the cache: reports/<urn>_<name>/<label>.pdf
    sha256: str
    size: int

    @classmethod
    def from_cached(cls, cached: CachedFile) -> DownloadedReport:
        return cls(ReportLink.from_dict(cached.link), cached.path, cached.sha256, cached.size)


@dataclass(frozen=True)
class FailedFetch:
    url: str
    reason: str  # "HTTP 404", "gave up after 5 attempts: HTTP 503", "not a PDF (...)"
    link: ReportLink | None  # None for a provider page that failed


@dataclass
class RefreshSummary:
    dry_run: bool
    pages_visited: int = 0
    pages_not_modified: int = 0
    providers: int = 0
    providers_without_reports: int = 0
    links_found: int = 0  # distinct file URLs on the site
    new: list[ReportLink] = field(default_factory=list)  # not in the cache before this run
    fetched: list[DownloadedReport] = field(default_factory=list)  # downloaded this run
    # Downloaded by an earlier run that stopped before `ingest` succeeded; handed over again.
    resumed: list[DownloadedReport] = field(default_factory=list)
    skipped_cached: int = 0  # on the site and already in the cache: not requested at all
    failed: list[FailedFetch] = field(default_factory=list)
    ingested: int = 0  # reports passed to a successful `ingest` call
    requests_made: int = 0

    @property
    def would_fetch(self) -> list[ReportLink]:
        """In a dry run, what a real run would download (same as `new`)."""
        return self.new

    def describe(self) -> str:
        verb = "would fetch" if self.dry_run else "fetched"
        count = len(self.new) if self.dry_run else len(self.fetched)
        lines = [
            f"{self.pages_visited} pages ({self.pages_not_modified} unchanged), "
            f"{self.providers} providers ({self.providers_without_reports} with no reports), "
            f"{self.links_found} report links: {len(self.new)} new, {verb} {count}, "
            f"{self.skipped_cached} already cached, {len(self.failed)} failed, "
            f"{self.ingested} ingested"
            + (f" (incl. {len(self.resumed)} from an interrupted run)" if self.resumed else ""),
        ]
        if self.dry_run:
            lines += [
                f"  would fetch: {link.provider_name}: {link.label} <{link.url}>"
                for link in self.new
            ]
        lines += [f"  failed: {f.url}: {f.reason}" for f in self.failed]
        return "\n".join(lines)


def _dedupe(links: list[ReportLink]) -> list[ReportLink]:
    """One entry per file URL (a joint report can be listed under several providers); the first
    listing wins so the order is the site's."""
    seen: set[str] = set()
    out: list[ReportLink] = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            out.append(link)
    return out


def _download(client: PoliteClient, cache: Cache, link: ReportLink) -> DownloadedReport:
    tmp = cache.new_tmp_path()
    try:
        result = client.download(link.url, tmp)
        if not result.head.startswith(PDF_MAGIC):
            # Ofsted has served HTML error pages under report URLs (two such "PDFs" sit in
            # ../shared/data/ofsted-reports); caching one would hide the report for good.
            raise FetchError(
                link.url,
                f"not a PDF (Content-Type {result.content_type!r}, starts {result.head[:8]!r})",
            )
        final = cache.path_for(link.url, link.provider_dir, link.label)
        cached = cache.store_file(
            link.url,
            tmp,
            final,
            sha256=result.sha256,
            size=result.size,
            etag=result.etag,
            last_modified=result.last_modified,
            link=link.to_dict(),
        )
    finally:
        tmp.unlink(missing_ok=True)
    return DownloadedReport(link, cached.path, cached.sha256, cached.size)


def refresh(
    base_url: str = DEFAULT_BASE_URL,
    cache_dir: Path = DEFAULT_CACHE_DIR,
    *,
    ingest: Callable[[list[DownloadedReport]], None] | None,
    dry_run: bool = False,
    progress: Progress | None = None,
    client: PoliteClient | None = None,
    search_path: str = SEARCH_PATH,
) -> RefreshSummary:
    """Crawl `base_url`, download report files not in `cache_dir`, call `ingest` once with the
    downloaded reports (this run's plus any an interrupted run left un-ingested), then mark them
    ingested. `ingest` is not called when there is nothing to hand over; with `ingest=None`
    downloads stay pending for a later run that has one.

    dry_run: crawl only (conditional GETs against cached pages, nothing written to the cache,
    no file requested, `ingest` not called); `summary.would_fetch` lists what would be fetched.

    Raises SiteStructureChanged (nothing downloaded or ingested), FetchError when a search page
    is unreachable, RefreshLocked when another refresh holds `cache_dir`. A report link that
    fails (404, not a PDF, 5xx after retries) is recorded in `summary.failed`; the run goes on.
    """
    client = client or PoliteClient()
    cache = Cache(cache_dir)
    summary = RefreshSummary(dry_run=dry_run)
    requests_before = client.requests_made

    # A dry run writes nothing, so it neither needs nor blocks on the lock.
    lock = cache.lock() if not dry_run else contextlib.nullcontext()
    with lock:
        cache.reload()
        if not dry_run:
            cache.sweep_tmp()
        found = crawl(
            base_url,
            client,
            search_path=search_path,
            page_cache=cache,
            store_pages=not dry_run,
            progress=progress,
        )
        summary.pages_visited = found.pages_visited
        summary.pages_not_modified = found.pages_not_modified
        summary.providers = found.providers
        summary.providers_without_reports = found.providers_without_reports
        summary.failed += [_page_failed(f) for f in found.failures]

        links = _dedupe(found.links)
        summary.links_found = len(links)
        summary.new = [link for link in links if cache.file(link.url) is None]
        summary.skipped_cached = len(links) - len(summary.new)
        summary.resumed = [DownloadedReport.from_cached(f) for f in cache.pending()]

        if dry_run:
            summary.requests_made = client.requests_made - requests_before
            return summary

        total = len(summary.new)
        for done, link in enumerate(summary.new, start=1):
            try:
                summary.fetched.append(_download(client, cache, link))
            except FetchError as exc:
                summary.failed.append(FailedFetch(link.url, exc.reason, link))
            if progress is not None:
                progress("files", done, total)

        handover = summary.resumed + summary.fetched
        if ingest is not None and handover:
            ingest(handover)
            cache.mark_ingested([r.link.url for r in handover])
            summary.ingested = len(handover)
    summary.requests_made = client.requests_made - requests_before
    return summary


def _page_failed(failure: PageFailure) -> FailedFetch:
    return FailedFetch(failure.url, failure.reason, None)


class TqdmProgress:
    """A `progress` callback drawing one tqdm bar per stage ("pages", then "files")."""

    def __init__(self, **tqdm_kwargs: object) -> None:
        self._kwargs = tqdm_kwargs
        self._bars: dict = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        from tqdm import tqdm

        bar = self._bars.get(stage)
        if bar is None:
            bar = self._bars[stage] = tqdm(desc=stage, total=total, unit=stage, **self._kwargs)
        if total is not None and bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()
