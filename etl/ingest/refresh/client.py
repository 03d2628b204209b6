"""A polite HTTP client for Ofsted's reports site.

Polite: it says who it is (User-Agent with a contact), spaces requests out (a minimum interval
between request starts), retries timeouts/connection drops/5xx with exponential backoff, and
waits as long as a 429's Retry-After asks. Every wait goes through an injectable `sleep` and
`clock`, so tests run at full speed and can assert the waits.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import requests

from etl.ingest.refresh.site_errors import FetchError

T = TypeVar("T")

USER_AGENT = "InspectionOutcomes/0.1 (+contact: see README)"

# Errors worth another attempt: the server or the network may recover. A 4xx other than 429
# will not change on retry, so it is reported at once.
_RETRYABLE_EXCEPTIONS = (
    requests.Timeout,
    requests.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
)


@dataclass(frozen=True)
class PageResponse:
    url: str
    status: int  # 200, or 304 when a conditional GET says the cached copy is current
    body: bytes  # empty on 304
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class DownloadResult:
    url: str
    path: Path
    sha256: str
    size: int
    etag: str | None
    last_modified: str | None
    content_type: str | None
    head: bytes  # first bytes of the body, to check it is really a PDF


class _Retry(Exception):
    """Internal: this attempt failed in a way worth retrying after `wait` seconds (or backoff)."""

    def __init__(self, reason: str, status: int | None = None, wait: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.wait = wait


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if absent
    or unreadable (the caller then falls back to its own backoff)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


class PoliteClient:
    """GETs with rate limiting, retries and backoff. Not thread-safe: one crawl at a time.

    min_interval: seconds between the starts of two requests (the rate limit).
    timeout: seconds for connect and for each read.
    max_attempts: attempts per URL, counting the first.
    backoff_base/backoff_max: waits of base, 2*base, 4*base ... capped, between attempts.
    max_retry_after: a 429/503 asking for a longer wait than this fails instead of stalling.
    """

    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        user_agent: str = USER_AGENT,
        min_interval: float = 1.0,
        timeout: float = 30.0,
        max_attempts: int = 5,
        backoff_base: float = 2.0,
        backoff_max: float = 60.0,
        max_retry_after: float = 300.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.min_interval = min_interval
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.max_retry_after = max_retry_after
        self.sleep = sleep
        self.clock = clock
        self.requests_made = 0
        self._last_start: float | None = None

    # -- public -------------------------------------------------------------------------------

    def get_page(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> PageResponse:
        """GET an HTML page, conditionally when a validator from a cached copy is given."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified

        def attempt() -> PageResponse:
            resp = self._send(url, headers, stream=False)
            return PageResponse(
                url=resp.url or url,
                status=resp.status_code,
                body=b"" if resp.status_code == 304 else resp.content,
                etag=resp.headers.get("ETag"),
                last_modified=resp.headers.get("Last-Modified"),
            )

        return self._with_retries(url, attempt)

    def download(self, url: str, dest: Path, *, chunk_size: int = 1 << 16) -> DownloadResult:
        """Stream `url` into `dest` (overwritten on each attempt) and hash it on the way.

        The whole body is inside the retry loop: a connection dropped mid-file restarts the file.
        """

        def attempt() -> DownloadResult:
            resp = self._send(url, {}, stream=True)
            digest = hashlib.sha256()
            size = 0
            head = b""
            try:
                with open(dest, "wb") as out:
                    for block in resp.iter_content(chunk_size):
                        if not block:
                            continue
                        if len(head) < 16:
                            head += block[: 16 - len(head)]
                        digest.update(block)
                        size += len(block)
                        out.write(block)
            except _RETRYABLE_EXCEPTIONS as exc:
                raise _Retry(f"connection lost mid-file: {type(exc).__name__}") from exc
            finally:
                resp.close()
            return DownloadResult(
                url=url,
                path=dest,
                sha256=digest.hexdigest(),
                size=size,
                etag=resp.headers.get("ETag"),
                last_modified=resp.headers.get("Last-Modified"),
                content_type=resp.headers.get("Content-Type"),
                head=head,
            )

        return self._with_retries(url, attempt)

    # -- internals ----------------------------------------------------------------------------

    def _wait_for_slot(self) -> None:
        if self._last_start is not None and self.min_interval > 0:
            wait = self._last_start + self.min_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_start = self.clock()

    def _send(self, url: str, headers: dict[str, str], *, stream: bool) -> requests.Response:
        """One attempt. Returns a 2xx/304 response; raises _Retry or FetchError otherwise."""
        self._wait_for_slot()
        self.requests_made += 1
        try:
            resp = self.session.get(url, headers=headers, timeout=self.timeout, stream=stream)
        except _RETRYABLE_EXCEPTIONS as exc:
            raise _Retry(f"{type(exc).__name__}") from exc
        except requests.RequestException as exc:  # invalid URL, too many redirects ...
            raise FetchError(url, f"{type(exc).__name__}: {exc}") from exc
        status = resp.status_code
        if status < 300 or status == 304:
            return resp
        resp.close()
        if status == 429 or status == 503:
            wait = parse_retry_after(resp.headers.get("Retry-After"))
            if wait is not None and wait > self.max_retry_after:
                raise FetchError(
                    url,
                    f"HTTP {status} asks to retry after {wait:.0f} s, "
                    f"more than the {self.max_retry_after:.0f} s limit",
                    status,
                )
            raise _Retry(f"HTTP {status}", status, wait)
        if status >= 500:
            raise _Retry(f"HTTP {status}", status)
        raise FetchError(url, f"HTTP {status}", status)

    def _with_retries(self, url: str, attempt: Callable[[], T]) -> T:
        last: _Retry | None = None
        for n in range(self.max_attempts):
            try:
                return attempt()
            except _Retry as exc:
                last = exc
                if n + 1 == self.max_attempts:
                    break
                wait = exc.wait
                if wait is None:
                    wait = min(self.backoff_max, self.backoff_base * (2**n))
                if wait > 0:
                    self.sleep(wait)
        assert last is not None
        raise FetchError(
            url, f"gave up after {self.max_attempts} attempts: {last.reason}", last.status
        )
