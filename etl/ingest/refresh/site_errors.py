"""Errors a refresh raises. Each names what failed and where, so an operator can act on it."""

from __future__ import annotations


class RefreshError(Exception):
    """Base class for refresh failures."""


class SiteStructureChanged(RefreshError):
    """A selector the crawler relies on found nothing on a page that must have it.

    Raised instead of returning an empty crawl: a redesign of Ofsted's site must fail loudly,
    not load zero reports and look like "nothing new".
    """

    def __init__(self, selector: str, page_url: str, detail: str = "") -> None:
        self.selector = selector
        self.page_url = page_url
        self.detail = detail
        message = f"site structure changed: selector {selector!r} found nothing on {page_url}"
        if detail:
            message += f" ({detail})"
        super().__init__(message)


class FetchError(RefreshError):
    """A URL could not be fetched (a 4xx, or 5xx/timeouts after every retry)."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        self.url = url
        self.reason = reason
        self.status = status
        super().__init__(f"{url}: {reason}")


class RefreshLocked(RefreshError):
    """Another refresh holds the cache directory's lock."""

    def __init__(self, cache_dir: str) -> None:
        self.cache_dir = cache_dir
        super().__init__(f"another refresh is running on {cache_dir} (lock held)")
