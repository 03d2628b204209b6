"""A fixture copy of Ofsted's reports site, served on 127.0.0.1 for the refresh tests.

Pages follow the live site's structure as the crawler expects it (see etl/refresh/crawl.py):
search results with `a[href*='/provider/']` links and `ul.pagination li.next a`, provider pages
with `a.publication-link` + `span.nonvisual` labels, a "no published reports" notice, and files
at /v1/file/<id> holding real PDFs from ../shared/data/ofsted-reports. Everything is mutable
while the server runs (add a report, rename a class, script a 500 or a 429), and every request
is logged so tests can count them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import parse_qs, urlsplit

HERE = Path(__file__).resolve().parent
SEARCH_PATH = "/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12"
LAST_MODIFIED = format_datetime(dt.datetime(2025, 9, 1, 9, 30, tzinfo=dt.UTC), usegmt=True)


def _template(name: str) -> Template:
    return Template((HERE / name).read_text(encoding="utf-8"))


def tiny_pdf(text: str) -> bytes:
    """A minimal valid one-page PDF showing `text` (for visit letters, which the shared report
    collection does not hold)."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@dataclass
class FixtureReport:
    file_id: str
    label: str  # "children's services inspection - 12 july 2024"
    body: bytes | None  # None: the link is broken (404)
    title: str = "Children's services inspection"


@dataclass
class FixtureProvider:
    urn: str
    name: str
    reports: list[FixtureReport] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"/provider/44/{self.urn}"


@dataclass
class LoggedRequest:
    path: str
    status: int
    headers: dict[str, str]


class FixtureSite:
    """The site's state plus a threaded HTTP server on 127.0.0.1 (random free port).

    scripts: one-shot responses per path, consumed in order before normal service, e.g.
        {"/v1/file/7": [("status", 500)], "/v1/file/8": [("retry_after", "1")],
         "/v1/file/9": [("delay", 0.5)]}
    delays: a delay applied to every response for that path (a slow server).
    """

    def __init__(self, providers: list[FixtureProvider], *, page_size: int = 3) -> None:
        self.providers = providers
        self.page_size = page_size
        self.publication_link_class = "publication-link"
        self.provider_href_prefix = "/provider/44/"
        self.no_reports_notice = True  # False: an empty provider page with no notice either
        self.scripts: dict[str, list[tuple[str, object]]] = {}
        self.delays: dict[str, float] = {}
        self.log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FixtureSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                site._handle(self)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.block_on_close = False
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FixtureSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the site first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- test helpers -------------------------------------------------------------------------

    def provider(self, urn: str) -> FixtureProvider:
        return next(p for p in self.providers if p.urn == urn)

    def file_url(self, file_id: str) -> str:
        return f"{self.base_url}/v1/file/{file_id}"

    def hits(self, path: str) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.log if r.path == path]

    def file_requests(self) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.log if r.path.startswith("/v1/file/")]

    def page_requests(self) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.log if not r.path.startswith("/v1/file/")]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    # -- rendering ----------------------------------------------------------------------------

    def _search_page(self, start: int) -> bytes:
        shown = self.providers[start : start + self.page_size]
        results = "".join(
            _template("search_result.html").substitute(
                href=f"{self.provider_href_prefix}{p.urn}",
                name=p.name,
                address="England",
                urn=p.urn,
            )
            for p in shown
        )

        def item(css: str, inner: str) -> str:
            return f'      <li class="{css}">{inner}</li>\n'

        pagination = ""
        if start > 0:
            prev = max(0, start - self.page_size)
            pagination += item("previous", f'<a href="{SEARCH_PATH}&start={prev}">Previous</a>')
        pagination += item("current", f"Page {start // self.page_size + 1}")
        if start + self.page_size < len(self.providers):
            nxt = start + self.page_size
            pagination += item("next", f'<a href="{SEARCH_PATH}&start={nxt}">Next</a>')
        return (
            _template("search.html")
            .substitute(total=len(self.providers), results=results, pagination=pagination)
            .encode("utf-8")
        )

    def _provider_page(self, provider: FixtureProvider) -> bytes:
        if provider.reports:
            items = "".join(
                _template("publication.html").substitute(
                    link_class=self.publication_link_class,
                    href=self.file_url(r.file_id),
                    title=r.title,
                    label=r.label,
                    iso="",
                    human=r.label.rsplit(" - ", 1)[-1],
                )
                for r in provider.reports
            )
            reports = f'  <ul class="publications">\n{items}  </ul>\n'
        elif self.no_reports_notice:
            reports = (HERE / "no_reports.html").read_text(encoding="utf-8")
        else:
            reports = ""
        return (
            _template("provider.html")
            .substitute(name=provider.name, urn=provider.urn, reports=reports)
            .encode("utf-8")
        )

    def _route(self, path: str, query: dict[str, list[str]]) -> tuple[int, bytes, str]:
        if path == "/search":
            start = int(query.get("start", ["0"])[0])
            return 200, self._search_page(start), "text/html; charset=utf-8"
        if path.startswith(self.provider_href_prefix):
            urn = path.rstrip("/").rsplit("/", 1)[-1]
            for provider in self.providers:
                if provider.urn == urn:
                    return 200, self._provider_page(provider), "text/html; charset=utf-8"
        if path.startswith("/v1/file/"):
            file_id = path.rsplit("/", 1)[-1]
            for provider in self.providers:
                for report in provider.reports:
                    if report.file_id == file_id and report.body is not None:
                        return 200, report.body, "application/pdf"
        return 404, b"<html><body><h1>Page not found</h1></body></html>", "text/html"

    # -- serving ------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        path = parts.path
        headers = {k: v for k, v in handler.headers.items()}
        with self._lock:
            script = self.scripts.get(path)
            action = script.pop(0) if script else None
            delay = self.delays.get(path, 0.0)
        status: int
        extra: dict[str, str] = {}
        if action is not None and action[0] == "delay":
            delay += float(action[1])  # type: ignore[arg-type]
            action = None
        if delay:
            time.sleep(delay)
        if action is not None and action[0] == "status":
            status, body, ctype = int(action[1]), b"<h1>Server error</h1>", "text/html"  # type: ignore[arg-type]
        elif action is not None and action[0] == "retry_after":
            status, body, ctype = 429, b"<h1>Too many requests</h1>", "text/html"
            extra["Retry-After"] = str(action[1])
        else:
            status, body, ctype = self._route(path, parse_qs(parts.query))
            if status == 200:
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                extra["ETag"] = etag
                extra["Last-Modified"] = LAST_MODIFIED
                if headers.get("If-None-Match") == etag:
                    status, body = 304, b""
        with self._lock:
            self.log.append(LoggedRequest(path, status, headers))
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", ctype)
            handler.send_header("Content-Length", str(len(body)))
            for key, value in extra.items():
                handler.send_header(key, value)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test); nothing to tell it


# -- the standard fixture -----------------------------------------------------------------------

# (file id, folder under ../shared/data/ofsted-reports, label) — real files, real labels.
NOTTS_FV_LABEL = "focused visit - 22 february 2022"
BIRMINGHAM_MV_LABEL = "monitoring visit - 05 july 2017"
BROKEN_ID = "50990404"
SLOW_ID = "50210003"
FLAKY_500_ID = "50190002"
RATE_LIMITED_ID = "50180002"
NOT_A_PDF_ID = "50120001"
HELD_BACK = ("50250003", "80428_bedford", "children's services inspection - 27 august 2025")

_REAL = {
    ("80534", "Nottinghamshire County Council", "80534_nottinghamshire"): [
        ("50150001", "children's services inspection - 20 july 2015"),
        ("50190001", "children's services inspection - 19 december 2019"),
        ("50240001", "children's services inspection - 12 july 2024"),
    ],
    ("80419", "Isle of Wight Council", "80419_isle of wight"): [
        ("50140001", "children's services inspection - 19 november 2014"),
        (FLAKY_500_ID, "children's services inspection - 07 january 2019"),
        ("50230002", "children's services inspection - 15 december 2023"),
    ],
    ("80426", "Barnsley Metropolitan Borough Council", "80426_barnsley"): [
        ("50140003", "children's services inspection - 08 august 2014"),
        (RATE_LIMITED_ID, "children's services inspection - 19 november 2018"),
        (SLOW_ID, "children's services inspection - 27 october 2023"),
    ],
    ("80428", "Bedford Borough Council", "80428_bedford"): [
        ("50170004", "children's services inspection - 07 april 2017"),
        ("50220004", "children's services inspection - 14 january 2022"),
    ],
    ("80429", "Birmingham City Council", "80429_birmingham"): [
        # An HTML error page saved under a .pdf name in the shared collection: a real case of
        # the site answering 200 with something that is not a report.
        (NOT_A_PDF_ID, "children's services inspection - 19 october 2012"),
        ("50230005", "children's services inspection - 18 april 2023"),
    ],
    ("80450", "City of London Corporation", "80450_london corporation"): [],
}

# Links per the standard site: 16 (Notts 3 + focused visit, IoW 3, Barnsley 3, Bedford 2 +
# broken, Birmingham 2 + monitoring visit, City of London none). 14 are downloadable PDFs.
STANDARD_LINKS = 16
STANDARD_PDFS = 14
STANDARD_PROVIDERS = 6
STANDARD_PAGES = 2 + STANDARD_PROVIDERS  # two search pages of three providers


def real_report(shared_reports: Path, folder: str, label: str, file_id: str) -> FixtureReport:
    return FixtureReport(file_id, label, (shared_reports / folder / f"{label}.pdf").read_bytes())


def standard_site(shared_reports: Path) -> FixtureSite:
    """The six-provider site the tests use (not started)."""
    providers = []
    for (urn, name, folder), reports in _REAL.items():
        provider = FixtureProvider(
            urn, name, [real_report(shared_reports, folder, label, fid) for fid, label in reports]
        )
        providers.append(provider)
    by_urn = {p.urn: p for p in providers}
    by_urn["80534"].reports.append(
        FixtureReport(
            "50220001",
            NOTTS_FV_LABEL,
            tiny_pdf("Focused visit to Nottinghamshire County Council children's services"),
            title="Focused visit",
        )
    )
    by_urn["80428"].reports.append(
        FixtureReport(BROKEN_ID, "children's services inspection - 01 june 2010", None)
    )
    by_urn["80429"].reports.append(
        FixtureReport(
            "50170005",
            BIRMINGHAM_MV_LABEL,
            tiny_pdf("Monitoring visit to Birmingham children's services"),
            title="Monitoring visit",
        )
    )
    site = FixtureSite(providers, page_size=3)
    site.scripts[f"/v1/file/{FLAKY_500_ID}"] = [("status", 500)]
    site.scripts[f"/v1/file/{RATE_LIMITED_ID}"] = [("retry_after", "1")]
    site.delays[f"/v1/file/{SLOW_ID}"] = 0.2
    return site


# -- the snapshot a refresh of the standard site starts from ------------------------------------

STANDARD_URNS = tuple(urn for urn, _name, _folder in _REAL)


def site_snapshot(dest: Path, source: Path) -> Path:
    """The snapshot at `source` cut down to the standard site's LAs, written by the pipeline
    itself (so its manifest is right).

    Each of those LAs keeps every record, judgement, report text and provider row every source
    gives it; sources about other LAs only are left out. Build, checks, matching and the change
    feed run on it as on the whole snapshot, at a fraction of the cost: the refresh tests run
    several builds per refresh, and the kill test a dozen refreshes.
    """
    from etl.ingest.snapshot import load_hexes, load_las, load_results, read_csv_rows, write_snapshot
    from etl.local_authorities import LaResolver

    las = load_las(source)
    resolver = LaResolver(las)
    keep = {resolver.by_urn(urn) for urn in STANDARD_URNS}
    kept = []
    for res in load_results(source):
        about_las = bool(res.records)
        res.records = [rec for rec in res.records if rec.la_code in keep]
        left = bool(res.records)
        for table, rows in res.facts.items():
            if rows and "la_code" in rows[0]:
                about_las = True
                res.facts[table] = [row for row in rows if row["la_code"] in keep]
                left = left or bool(res.facts[table])
        if about_las and not left:
            continue  # a source about other LAs only (its report text goes with it)
        kept.append(res)
    write_snapshot(kept, las, load_hexes(source), dest, read_csv_rows(source / "changes.csv"))
    return dest
