"""Live refresh: walk Ofsted's reports site and download only reports not seen before.

`refresh()` crawls (etl.ingest.refresh.crawl), downloads new report files politely
(etl.ingest.refresh.client) into a URL-keyed on-disk cache (etl.ingest.refresh.cache) and hands them to an
`ingest` callback (etl.ingest.refresh.fetch); parsing and the warehouse upsert are the caller's.
"""

from etl.ingest.refresh.cache import DEFAULT_CACHE_DIR, Cache
from etl.ingest.refresh.client import USER_AGENT, PoliteClient, parse_retry_after
from etl.ingest.refresh.crawl import (
    DEFAULT_BASE_URL,
    KINDS,
    SEARCH_PATH,
    CrawlResult,
    ReportLink,
    classify,
    crawl,
    parse_label_date,
)
from etl.ingest.refresh.fetch import (
    DownloadedReport,
    FailedFetch,
    RefreshSummary,
    TqdmProgress,
    refresh,
)
from etl.ingest.refresh.site_errors import FetchError, RefreshError, RefreshLocked, SiteStructureChanged

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_CACHE_DIR",
    "KINDS",
    "SEARCH_PATH",
    "USER_AGENT",
    "Cache",
    "CrawlResult",
    "DownloadedReport",
    "FailedFetch",
    "FetchError",
    "PoliteClient",
    "RefreshError",
    "RefreshLocked",
    "RefreshSummary",
    "ReportLink",
    "SiteStructureChanged",
    "TqdmProgress",
    "classify",
    "crawl",
    "parse_label_date",
    "parse_retry_after",
    "refresh",
]
