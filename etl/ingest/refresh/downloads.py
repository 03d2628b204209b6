"""What the refresh crawler fetched, as source results: reports through the report adapter,
visit letters (ungraded) as records of their own.

Idempotent by construction: a fetched file whose URL or bytes the snapshot already holds is
skipped, and a source is keyed by its id, so re-ingesting after an interruption duplicates
nothing.
"""

from __future__ import annotations

from pathlib import Path

from etl.ingest.adapters import reports_pdf
from etl.ingest.adapters.files import relative_path
from etl.ingest.records import InspectionRecord, Reject, Source, SourceResult
from etl.ingest.registry import assign_precedence
from etl.local_authorities import LaResolver, UnknownLA

VISIT_TYPES = {"focused_visit": "focused_visit", "monitoring_visit": "monitoring_visit"}


def _visit_result(d, resolver: LaResolver, cache_root: Path) -> SourceResult:
    link = d.link
    sid = f"visit:{link.url}"
    source = Source(source_id=sid, kind=reports_pdf.KIND, title=f"Ofsted {link.label}",
                    path=relative_path(d.path, cache_root), url=link.url, parser=__name__,
                    sha256=d.sha256)
    res = SourceResult(source=source)
    try:
        la = resolver.by_urn(link.provider_urn)
    except UnknownLA as exc:
        res.rejects.append(Reject(sid, source.path, "provider", str(exc), link.provider_name))
        return res
    if link.published_date is None:
        res.rejects.append(Reject(sid, source.path, "label", "no date in the link label", link.label))
        return res
    # Visit letters carry no grade; the framework of a visit since 2018 is ILACS.
    res.records.append(InspectionRecord(
        source_id=sid, row_ref="letter", la_code=la, la_name_raw=link.provider_name,
        framework="ILACS", inspection_type=VISIT_TYPES[link.kind],
        published_date=link.published_date, report_url=link.url))
    return res


def parse_downloads(downloads, resolver: LaResolver, cache_root: Path) -> list[SourceResult]:
    out = []
    for d in downloads:
        if d.link.kind in VISIT_TYPES:
            out.append(_visit_result(d, resolver, cache_root))
            continue
        res = reports_pdf.parse_report(d.path, resolver, cache_root)
        res.source.source_id = f"report-web:{d.link.url}"
        res.source.url = d.link.url
        for rec in res.records:
            rec.source_id = res.source.source_id
            rec.report_url = d.link.url
        for rej in res.rejects:
            rej.source_id = res.source.source_id
        out.append(res)
    return out


def fresh_downloads(results: list[SourceResult], downloads) -> list:
    """Downloads whose URL and bytes the snapshot's sources do not hold yet."""
    known_urls = {r.source.url for r in results if r.source.url}
    known_hashes = {r.source.sha256 for r in results if r.source.sha256}
    return [d for d in downloads if d.link.url not in known_urls and d.sha256 not in known_hashes]


def add_downloads(results: list[SourceResult], downloads, resolver: LaResolver,
                  cache_root: Path) -> list[SourceResult]:
    """The snapshot's results with the fresh downloads parsed in (keyed by source id)."""
    by_id = {r.source.source_id: r for r in results}
    added = parse_downloads(fresh_downloads(results, downloads), resolver, cache_root)
    assign_precedence(added)
    for res in added:
        by_id[res.source.source_id] = res
    return list(by_id.values())
