"""Walk Ofsted's reports site: search results -> provider pages -> report links with their dates.

The site's structure, as the crawler relies on it (each selector is a constant so a redesign is
a one-line change, and each one that finds nothing where it must raises SiteStructureChanged):

- search results list providers as `a[href*='/provider/']`; the URN is the last numeric
  segment of the href (e.g. /provider/44/80534);
- results are paginated: `ul.pagination li.next a` points at the next page, absent on the last;
- a provider page lists each publication as `a.publication-link` with a `span.nonvisual` label
  such as "children's services inspection - 09 may 2025" (title, " - ", publication date);
- files live at files.ofsted.gov.uk/v1/file/<id> (hrefs are resolved against the page's URL);
- a provider with nothing published says so in words ("There are no published reports ...",
  matched by NO_REPORTS_PATTERN). A provider page with neither publication links nor that
  sentence is treated as a structure change, not as "no reports".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from etl.ingest.refresh.cache import Cache
from etl.ingest.refresh.client import PoliteClient
from etl.ingest.refresh.site_errors import FetchError, SiteStructureChanged

DEFAULT_BASE_URL = "https://reports.ofsted.gov.uk"
# "Children's social care" (level 1 type 3) > "Local authority children's services" (level 2
# type 12). Configurable through crawl(search_path=...) / refresh(search_path=...) in case Ofsted
# renumbers its filters.
SEARCH_PATH = "/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12"

PROVIDER_LINK_SELECTOR = "a[href*='/provider/']"
PUBLICATION_LINK_SELECTOR = "a.publication-link"
LABEL_SELECTOR = "span.nonvisual"
NEXT_PAGE_SELECTOR = "ul.pagination li.next a"
NO_REPORTS_PATTERN = re.compile(r"\bno (?:published )?(?:inspection )?reports\b", re.IGNORECASE)
MAX_SEARCH_PAGES = 100  # ~160 LAs at 10-100 a page; more means the pagination is broken

KINDS = ("inspection", "focused_visit", "monitoring_visit", "other")

# "children's services inspection - 09 may 2025": title, a dash, day month year at the end.
_LABEL = re.compile(
    r"^(?P<title>.*?)\s*[-\u2013\u2014]\s*(?P<date>\d{1,2}\s+[a-z]+\s+\d{4})$", re.IGNORECASE
)

# A Progress callback: (stage, done, total or None). Stages: "pages", "files".
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class ReportLink:
    provider_urn: str
    provider_name: str
    provider_url: str
    label: str  # as on the site, whitespace collapsed
    kind: str  # one of KINDS, from the label
    published_date: dt.date | None  # from the label; None if the label carries no date
    url: str  # absolute file URL

    def to_dict(self) -> dict:
        data = asdict(self)
        data["published_date"] = self.published_date.isoformat() if self.published_date else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ReportLink:
        raw = data.get("published_date")
        return cls(**{**data, "published_date": dt.date.fromisoformat(raw) if raw else None})

    @property
    def provider_dir(self) -> str:
        """Folder name in the style of ../shared/data/ofsted-reports: '<urn>_<lowercase name>'."""
        return f"{self.provider_urn}_{self.provider_name.lower()}"


@dataclass(frozen=True)
class PageFailure:
    url: str
    reason: str


@dataclass
class CrawlResult:
    """The links found, plus what the crawl did. Iterates/len()s over `links`."""

    links: list[ReportLink] = field(default_factory=list)
    pages_visited: int = 0
    pages_not_modified: int = 0  # conditional GETs answered 304 (served from the page cache)
    providers: int = 0
    providers_without_reports: int = 0
    failures: list[PageFailure] = field(default_factory=list)  # provider pages that failed

    def __iter__(self):
        return iter(self.links)

    def __len__(self) -> int:
        return len(self.links)


def classify(label: str) -> str:
    """The kind of publication a label names; 'other' for anything not clearly one of ours
    (JTAIs, SEND area inspections, unknown titles) so it is never mistaken for a graded one."""
    text = label.lower().replace("\u2019", "'")
    if "focused visit" in text:
        return "focused_visit"
    if "monitoring visit" in text:
        return "monitoring_visit"
    if "joint targeted" in text or "jtai" in text or "send" in text.split():
        return "other"
    if "inspection" in text or "review of the effectiveness" in text:
        return "inspection"
    return "other"


def parse_label_date(label: str) -> dt.date | None:
    match = _LABEL.match(label.strip())
    if match is None:
        return None
    text = " ".join(match["date"].split())
    text = re.sub(r"\bsept\b", "sep", text, flags=re.IGNORECASE)  # %b knows only "Sep"
    for fmt in ("%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _urn_from_href(href: str) -> str | None:
    segments = [s for s in urlsplit(href).path.split("/") if s]
    numeric = [s for s in segments if s.isdigit()]
    return numeric[-1] if numeric else None


def _soup(body: bytes) -> BeautifulSoup:
    return BeautifulSoup(body, "html.parser")


def _fetch_page(client: PoliteClient, url: str, cache: Cache | None, store: bool) -> tuple:
    """(body, not_modified). Conditional GET when a cached copy exists."""
    cached = cache.page(url) if cache is not None else None
    resp = client.get_page(
        url,
        etag=cached.etag if cached else None,
        last_modified=cached.last_modified if cached else None,
    )
    if resp.status == 304 and cached is not None:
        return cached.body, True
    if resp.status == 304:
        # We sent no validator, so a 304 is the server misbehaving; refetch would loop.
        raise FetchError(url, "HTTP 304 to an unconditional GET", 304)
    if cache is not None and store:
        cache.store_page(url, resp.body, resp.etag, resp.last_modified)
    return resp.body, False


def parse_search_page(body: bytes, page_url: str) -> tuple[list[tuple[str, str, str]], str | None]:
    """([(urn, name, absolute provider url)], absolute next-page url or None)."""
    soup = _soup(body)
    anchors = soup.select(PROVIDER_LINK_SELECTOR)
    if not anchors:
        raise SiteStructureChanged(PROVIDER_LINK_SELECTOR, page_url, "no provider links")
    providers: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for anchor in anchors:
        url = urljoin(page_url, anchor.get("href", ""))
        if url in seen:
            continue
        seen.add(url)
        urn = _urn_from_href(url)
        if urn is None:
            raise SiteStructureChanged(
                PROVIDER_LINK_SELECTOR, page_url, f"no numeric URN in provider href {url!r}"
            )
        providers.append((urn, " ".join(anchor.get_text(" ").split()), url))
    nxt = soup.select_one(NEXT_PAGE_SELECTOR)
    next_url = urljoin(page_url, nxt["href"]) if nxt is not None and nxt.get("href") else None
    return providers, next_url


def parse_provider_page(body: bytes, page_url: str, urn: str, name: str) -> list[ReportLink]:
    """The provider's publication links; [] only when the page says it has no reports."""
    soup = _soup(body)
    anchors = soup.select(PUBLICATION_LINK_SELECTOR)
    if not anchors:
        main = soup.find("main") or soup.body or soup
        if NO_REPORTS_PATTERN.search(main.get_text(" ")):
            return []
        raise SiteStructureChanged(
            PUBLICATION_LINK_SELECTOR, page_url, "no publication links and no 'no reports' notice"
        )
    links: list[ReportLink] = []
    for anchor in anchors:
        span = anchor.select_one(LABEL_SELECTOR)
        href = anchor.get("href")
        if span is None:
            raise SiteStructureChanged(
                f"{PUBLICATION_LINK_SELECTOR} {LABEL_SELECTOR}", page_url, f"link to {href!r}"
            )
        if not href:
            raise SiteStructureChanged(f"{PUBLICATION_LINK_SELECTOR}[href]", page_url)
        label = " ".join(span.get_text(" ").split())
        links.append(
            ReportLink(
                provider_urn=urn,
                provider_name=name,
                provider_url=page_url,
                label=label,
                kind=classify(label),
                published_date=parse_label_date(label),
                url=urljoin(page_url, href),
            )
        )
    return links


def crawl(
    base_url: str,
    client: PoliteClient,
    *,
    search_path: str = SEARCH_PATH,
    page_cache: Cache | None = None,
    store_pages: bool = True,
    progress: Progress | None = None,
) -> CrawlResult:
    """Every publication link of every provider the search lists, in site order.

    Raises SiteStructureChanged when a selector finds nothing where it must, and FetchError when
    a search page cannot be fetched (without the full list the crawl would under-report). A
    provider page that fails is recorded in `failures` and the crawl goes on.
    """
    result = CrawlResult()
    page_url: str | None = urljoin(base_url.rstrip("/") + "/", search_path.lstrip("/"))
    seen_pages: set[str] = set()
    providers: list[tuple[str, str, str]] = []
    seen_providers: set[str] = set()

    def tick() -> None:
        if progress is not None:
            progress("pages", result.pages_visited, None)

    while page_url is not None:
        if len(seen_pages) >= MAX_SEARCH_PAGES:
            raise SiteStructureChanged(
                NEXT_PAGE_SELECTOR, page_url, f"pagination did not end after {MAX_SEARCH_PAGES}"
            )
        if page_url in seen_pages:
            raise SiteStructureChanged(NEXT_PAGE_SELECTOR, page_url, "pagination loops back")
        seen_pages.add(page_url)
        body, not_modified = _fetch_page(client, page_url, page_cache, store_pages)
        result.pages_visited += 1
        result.pages_not_modified += not_modified
        tick()
        found, page_url_next = parse_search_page(body, page_url)
        for urn, name, url in found:
            if url not in seen_providers:
                seen_providers.add(url)
                providers.append((urn, name, url))
        page_url = page_url_next

    result.providers = len(providers)
    for urn, name, url in providers:
        try:
            body, not_modified = _fetch_page(client, url, page_cache, store_pages)
        except FetchError as exc:
            result.failures.append(PageFailure(url, exc.reason))
            continue
        result.pages_visited += 1
        result.pages_not_modified += not_modified
        tick()
        links = parse_provider_page(body, url, urn, name)
        if not links:
            result.providers_without_reports += 1
        result.links.extend(links)
    return result
