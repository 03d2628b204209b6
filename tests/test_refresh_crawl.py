"""Live refresh against a fixture copy of Ofsted's site on 127.0.0.1 (tests/fixture_site).

The standard fixture site (counted by hand from tests/fixture_site/__init__.py): two search pages
of three providers; Nottinghamshire 3 reports + a focused visit, Isle of Wight 3 (one answers 500
once), Barnsley 3 (one answers 429 Retry-After: 1 once, one is slow), Bedford 2 + a broken link,
Birmingham 1 + an HTML page posing as a PDF (a real file from the shared collection) + a
monitoring visit, City of London none. 16 links, 14 real PDFs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fixture_site import (
    BIRMINGHAM_MV_LABEL,
    BROKEN_ID,
    FLAKY_500_ID,
    HELD_BACK,
    NOT_A_PDF_ID,
    NOTTS_FV_LABEL,
    RATE_LIMITED_ID,
    SLOW_ID,
    STANDARD_LINKS,
    STANDARD_PAGES,
    STANDARD_PDFS,
    STANDARD_PROVIDERS,
    FixtureProvider,
    FixtureReport,
    FixtureSite,
    real_report,
    standard_site,
    tiny_pdf,
)

from etl import PROJECT_ROOT
from etl.ingest.refresh import (
    USER_AGENT,
    Cache,
    DownloadedReport,
    FetchError,
    PoliteClient,
    RefreshLocked,
    SiteStructureChanged,
    classify,
    crawl,
    parse_label_date,
    parse_retry_after,
    refresh,
)


@pytest.fixture
def reports_dir(shared_data: Path) -> Path:
    return shared_data / "ofsted-reports"


@pytest.fixture
def site(reports_dir: Path):
    with standard_site(reports_dir) as running:
        yield running


class Recorder:
    """An `ingest` that remembers every call."""

    def __init__(self) -> None:
        self.calls: list[list[DownloadedReport]] = []

    def __call__(self, reports: list[DownloadedReport]) -> None:
        self.calls.append(list(reports))

    @property
    def urls(self) -> list[str]:
        return [r.link.url for call in self.calls for r in call]


def fast_client(sleeps: list[float] | None = None, **kwargs) -> PoliteClient:
    """No rate limit and no real waiting; the waits asked for are recorded in `sleeps`."""
    record = sleeps if sleeps is not None else []
    kwargs.setdefault("timeout", 2.0)
    return PoliteClient(min_interval=0, sleep=record.append, **kwargs)


def pdf_files(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "reports").rglob("*.pdf"))


# -- a full first run ---------------------------------------------------------------------------


@pytest.mark.shared
def test_first_refresh_loads_everything(site: FixtureSite, reports_dir: Path, tmp_path: Path):
    sleeps: list[float] = []
    client = fast_client(sleeps)
    ingest = Recorder()
    ticks: list[tuple[str, int, int | None]] = []
    summary = refresh(
        site.base_url,
        tmp_path,
        ingest=ingest,
        client=client,
        progress=lambda stage, done, total: ticks.append((stage, done, total)),
    )

    assert summary.pages_visited == STANDARD_PAGES == 8
    assert summary.providers == STANDARD_PROVIDERS
    assert summary.providers_without_reports == 1
    assert summary.links_found == STANDARD_LINKS
    assert len(summary.fetched) == STANDARD_PDFS
    assert summary.skipped_cached == 0
    failed = {f.url.rsplit("/", 1)[-1]: f.reason for f in summary.failed}
    assert failed.keys() == {BROKEN_ID, NOT_A_PDF_ID}
    assert failed[BROKEN_ID] == "HTTP 404"
    assert failed[NOT_A_PDF_ID].startswith("not a PDF") and "<!DOCTYP" in failed[NOT_A_PDF_ID]
    assert all(f.link is not None for f in summary.failed)

    # ingest is called once, with every downloaded report, each once.
    assert len(ingest.calls) == 1
    assert sorted(ingest.urls) == sorted({r.link.url for r in summary.fetched})
    assert summary.ingested == STANDARD_PDFS

    # The bytes on disk are the real reports, unaltered.
    by_label = {(r.link.provider_urn, r.link.label): r for r in summary.fetched}
    notts_2019 = by_label[("80534", "children's services inspection - 19 december 2019")]
    original = reports_dir / "80534_nottinghamshire" / f"{notts_2019.link.label}.pdf"
    assert notts_2019.path.read_bytes() == original.read_bytes()
    assert notts_2019.sha256 == hashlib.sha256(original.read_bytes()).hexdigest()
    assert notts_2019.link.published_date == dt.date(2019, 12, 19)
    assert notts_2019.link.kind == "inspection"
    assert notts_2019.link.provider_name == "Nottinghamshire County Council"
    assert notts_2019.link.url.endswith("/v1/file/50190001")
    assert len(pdf_files(tmp_path)) == STANDARD_PDFS

    # Visits are found, classified and dated from their labels.
    visits = {r.link.kind: r.link for r in summary.fetched if r.link.kind != "inspection"}
    assert visits["focused_visit"].label == NOTTS_FV_LABEL
    assert visits["focused_visit"].published_date == dt.date(2022, 2, 22)
    assert visits["monitoring_visit"].label == BIRMINGHAM_MV_LABEL
    assert visits["monitoring_visit"].provider_urn == "80429"
    assert visits["monitoring_visit"].published_date == dt.date(2017, 7, 5)

    # 500 then success, 429 then success: two requests each; the waits were the backoff
    # (2 s base) and the Retry-After (1 s), taken through the injected sleep.
    assert [r.status for r in site.hits(f"/v1/file/{FLAKY_500_ID}")] == [500, 200]
    assert [r.status for r in site.hits(f"/v1/file/{RATE_LIMITED_ID}")] == [429, 200]
    assert sorted(sleeps) == [1.0, 2.0]
    assert [r.status for r in site.hits(f"/v1/file/{SLOW_ID}")] == [200]
    # Every request made is accounted for: 8 pages, 16 file links, 2 retries.
    assert len(site.log) == summary.requests_made == client.requests_made == 8 + 16 + 2
    assert {r.headers.get("User-Agent") for r in site.log} == {USER_AGENT}
    # Progress: one tick per page (total unknown while crawling), then per file link.
    assert [t for t in ticks if t[0] == "pages"][-1] == ("pages", 8, None)
    assert [t for t in ticks if t[0] == "files"] == [("files", n, 16) for n in range(1, 17)]


@pytest.mark.shared
def test_second_refresh_fetches_nothing(site: FixtureSite, tmp_path: Path):
    refresh(site.base_url, tmp_path, ingest=Recorder(), client=fast_client())
    site.clear_log()
    ingest = Recorder()
    summary = refresh(site.base_url, tmp_path, ingest=ingest, client=fast_client())

    assert summary.fetched == []
    assert summary.skipped_cached == STANDARD_PDFS
    assert ingest.calls == []  # nothing to hand over
    # Pages are asked for conditionally and all come back 304 ...
    pages = site.page_requests()
    assert len(pages) == STANDARD_PAGES
    assert {r.status for r in pages} == {304}
    assert all("If-None-Match" in r.headers for r in pages)
    assert summary.pages_not_modified == STANDARD_PAGES
    # ... and the only files requested are the two that failed last time.
    assert sorted(r.path for r in site.file_requests()) == sorted(
        [f"/v1/file/{BROKEN_ID}", f"/v1/file/{NOT_A_PDF_ID}"]
    )
    assert len(pdf_files(tmp_path)) == STANDARD_PDFS


@pytest.mark.shared
def test_a_new_report_is_fetched_alone(site: FixtureSite, reports_dir: Path, tmp_path: Path):
    refresh(site.base_url, tmp_path, ingest=Recorder(), client=fast_client())
    file_id, folder, label = HELD_BACK
    site.provider("80428").reports.insert(0, real_report(reports_dir, folder, label, file_id))
    site.clear_log()

    ingest = Recorder()
    summary = refresh(site.base_url, tmp_path, ingest=ingest, client=fast_client())

    assert [r.link.label for r in summary.fetched] == [label]
    assert ingest.urls == [site.file_url(file_id)]
    added = summary.fetched[0]
    assert added.link.provider_urn == "80428"
    assert added.link.published_date == dt.date(2025, 8, 27)
    assert added.path.read_bytes() == (reports_dir / folder / f"{label}.pdf").read_bytes()
    assert summary.links_found == STANDARD_LINKS + 1
    assert summary.skipped_cached == STANDARD_PDFS
    # Only Bedford's page changed; the other seven pages were 304s.
    assert summary.pages_not_modified == STANDARD_PAGES - 1
    assert [r.status for r in site.hits("/provider/44/80428")] == [200]
    downloaded = [r.path for r in site.file_requests() if r.status == 200]
    assert sorted(downloaded) == sorted([f"/v1/file/{file_id}", f"/v1/file/{NOT_A_PDF_ID}"])
    assert len(pdf_files(tmp_path)) == STANDARD_PDFS + 1


# -- interruption and resume ----------------------------------------------------------------------


class InterruptingClient(PoliteClient):
    """Simulates Ctrl-C during the (n+1)th download, with half a file written."""

    def __init__(self, n: int, **kwargs) -> None:
        super().__init__(min_interval=0, sleep=lambda s: None, timeout=2.0, **kwargs)
        self.n = n
        self.downloads = 0

    def download(self, url, dest, **kwargs):
        if self.downloads == self.n:
            dest.write_bytes(b"%PDF-1.4 half a file")
            raise KeyboardInterrupt
        self.downloads += 1
        return super().download(url, dest, **kwargs)


@pytest.mark.shared
def test_interrupted_download_resumes_without_duplicates(site: FixtureSite, tmp_path: Path):
    ingest = Recorder()
    with pytest.raises(KeyboardInterrupt):
        refresh(site.base_url, tmp_path, ingest=ingest, client=InterruptingClient(5))
    assert ingest.calls == []  # killed before ingest
    assert len(Cache(tmp_path).files()) == 5
    assert list((tmp_path / "tmp").glob("*.part")) == []

    site.clear_log()
    summary = refresh(site.base_url, tmp_path, ingest=ingest, client=fast_client())
    assert len(summary.resumed) == 5  # downloaded last time, never ingested
    assert len(summary.fetched) == STANDARD_PDFS - 5
    assert len(ingest.calls) == 1
    assert len(ingest.urls) == len(set(ingest.urls)) == STANDARD_PDFS
    # The five finished files were not requested again.
    assert len([r for r in site.file_requests() if r.status == 200]) == STANDARD_PDFS - 5 + 1
    assert len(pdf_files(tmp_path)) == STANDARD_PDFS
    assert len(json.loads((tmp_path / "index.json").read_text())["files"]) == STANDARD_PDFS

    # And a third run hands nothing over again.
    again = refresh(site.base_url, tmp_path, ingest=ingest, client=fast_client())
    assert again.resumed == [] and again.fetched == [] and len(ingest.calls) == 1


@pytest.mark.shared
def test_failed_ingest_is_retried_next_run(site: FixtureSite, tmp_path: Path):
    def broken_ingest(reports: list[DownloadedReport]) -> None:
        raise RuntimeError("warehouse is locked")

    with pytest.raises(RuntimeError, match="warehouse is locked"):
        refresh(site.base_url, tmp_path, ingest=broken_ingest, client=fast_client())
    site.clear_log()
    ingest = Recorder()
    summary = refresh(site.base_url, tmp_path, ingest=ingest, client=fast_client())
    assert summary.fetched == []
    assert len(summary.resumed) == STANDARD_PDFS
    assert len(ingest.urls) == len(set(ingest.urls)) == STANDARD_PDFS
    assert [r for r in site.file_requests() if r.status == 200 and NOT_A_PDF_ID not in r.path] == []


_KILLABLE_RUN = """
import sys
from pathlib import Path
from etl.ingest.refresh import PoliteClient, refresh
client = PoliteClient(min_interval=0, timeout=5, sleep=lambda s: None)
refresh(sys.argv[1], Path(sys.argv[2]), ingest=None, client=client)
"""


@pytest.mark.shared
def test_killed_refresh_rerun_completes_without_duplicates(site: FixtureSite, tmp_path: Path):
    for provider in site.providers:
        for report in provider.reports:
            site.delays[f"/v1/file/{report.file_id}"] = 0.08  # slow enough to kill midway
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLABLE_RUN, site.base_url, str(tmp_path)],
        cwd=PROJECT_ROOT,
        env=env,
    )
    index = tmp_path / "index.json"
    deadline = time.monotonic() + 20
    try:
        while time.monotonic() < deadline:
            if index.exists() and len(json.loads(index.read_text())["files"]) >= 4:
                break
            assert proc.poll() is None, "refresh ended before it could be killed"
            time.sleep(0.02)
        else:
            pytest.fail("the refresh never downloaded 4 files")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    done_before = len(json.loads(index.read_text())["files"])
    assert 4 <= done_before < STANDARD_PDFS
    (tmp_path / "tmp").mkdir(exist_ok=True)
    (tmp_path / "tmp" / "leftover.part").write_bytes(b"%PDF-1.4 partial")  # as a kill leaves

    for provider in site.providers:
        for report in provider.reports:
            site.delays.pop(f"/v1/file/{report.file_id}", None)
    ingest = Recorder()
    summary = refresh(site.base_url, tmp_path, ingest=ingest, client=fast_client())

    assert len(summary.resumed) == done_before
    assert len(summary.fetched) == STANDARD_PDFS - done_before
    assert len(ingest.urls) == len(set(ingest.urls)) == STANDARD_PDFS
    assert list((tmp_path / "tmp").glob("*.part")) == []
    assert len(pdf_files(tmp_path)) == STANDARD_PDFS
    # Each report was downloaded once across both runs, bar at most the one in flight at the kill.
    ok = [r.path for r in site.file_requests() if r.status == 200 and NOT_A_PDF_ID not in r.path]
    assert STANDARD_PDFS <= len(ok) <= STANDARD_PDFS + 1


@pytest.mark.shared
def test_a_second_concurrent_refresh_is_refused(site: FixtureSite, tmp_path: Path):
    with Cache(tmp_path).lock():
        with pytest.raises(RefreshLocked):
            refresh(site.base_url, tmp_path, ingest=Recorder(), client=fast_client())
    assert site.log == []


# -- the site changes shape ---------------------------------------------------------------------


@pytest.mark.shared
def test_renamed_publication_link_class_fails_loudly(site: FixtureSite, tmp_path: Path):
    site.publication_link_class = "publication-item"
    ingest = Recorder()
    with pytest.raises(SiteStructureChanged) as raised:
        refresh(site.base_url, tmp_path, ingest=ingest, client=fast_client())
    assert raised.value.selector == "a.publication-link"
    assert raised.value.page_url == f"{site.base_url}/provider/44/80534"  # the first provider
    assert "a.publication-link" in str(raised.value) and "/provider/44/80534" in str(raised.value)
    assert site.file_requests() == [] and ingest.calls == []


@pytest.mark.shared
def test_renamed_provider_links_fail_loudly_on_the_search_page(site: FixtureSite, tmp_path: Path):
    site.provider_href_prefix = "/organisation/44/"
    with pytest.raises(SiteStructureChanged) as raised:
        refresh(site.base_url, tmp_path, ingest=Recorder(), client=fast_client())
    assert raised.value.selector == "a[href*='/provider/']"
    assert raised.value.page_url.startswith(f"{site.base_url}/search?")
    assert len(site.log) == 1


@pytest.mark.shared
def test_empty_provider_page_without_notice_is_a_structure_change(
    site: FixtureSite, tmp_path: Path
):
    site.no_reports_notice = False
    with pytest.raises(SiteStructureChanged) as raised:
        crawl(site.base_url, fast_client())
    assert raised.value.selector == "a.publication-link"
    assert raised.value.page_url == f"{site.base_url}/provider/44/80450"


def test_publication_link_without_label_is_a_structure_change(tmp_path: Path):
    page = FixtureSite([FixtureProvider("80534", "Nottinghamshire County Council")])
    page.providers[0].reports.append(FixtureReport("1", "x - 01 may 2020", tiny_pdf("x")))
    with page:
        original = page._provider_page

        def renamed(provider):
            return original(provider).replace(b'class="nonvisual"', b'class="visually-hidden"')

        page._provider_page = renamed
        with pytest.raises(SiteStructureChanged) as raised:
            crawl(page.base_url, fast_client())
    assert raised.value.selector == "a.publication-link span.nonvisual"


# -- dry run ------------------------------------------------------------------------------------


@pytest.mark.shared
def test_dry_run_lists_what_it_would_fetch_and_fetches_nothing(
    site: FixtureSite, reports_dir: Path, tmp_path: Path
):
    cache_dir = tmp_path / "cache"
    ingest = Recorder()
    summary = refresh(site.base_url, cache_dir, ingest=ingest, dry_run=True, client=fast_client())
    assert len(summary.would_fetch) == STANDARD_LINKS
    assert {link.kind for link in summary.would_fetch} == {
        "inspection",
        "focused_visit",
        "monitoring_visit",
    }
    assert site.file_requests() == []
    assert ingest.calls == []
    assert not cache_dir.exists()  # a dry run writes nothing
    assert "would fetch: Nottinghamshire County Council: focused visit" in summary.describe()

    # After a real run, a dry run sees only the new report (and re-tries of the two failures).
    refresh(site.base_url, cache_dir, ingest=ingest, client=fast_client())
    file_id, folder, label = HELD_BACK
    site.provider("80428").reports.append(real_report(reports_dir, folder, label, file_id))
    site.clear_log()
    summary = refresh(site.base_url, cache_dir, ingest=ingest, dry_run=True, client=fast_client())
    assert sorted(link.url.rsplit("/", 1)[-1] for link in summary.would_fetch) == sorted(
        [file_id, BROKEN_ID, NOT_A_PDF_ID]
    )
    assert site.file_requests() == []
    assert len(ingest.calls) == 1


# -- the polite client --------------------------------------------------------------------------


@pytest.mark.shared
def test_timeout_is_retried_with_backoff(site: FixtureSite, tmp_path: Path):
    path = f"/v1/file/{SLOW_ID}"
    site.delays.pop(path)
    site.scripts[path] = [("delay", 0.6)]
    sleeps: list[float] = []
    client = fast_client(sleeps, timeout=0.2, backoff_base=0.5)
    result = client.download(site.file_url(SLOW_ID), tmp_path / "f.part")
    assert result.head.startswith(b"%PDF-")
    assert client.requests_made == 2
    assert sleeps == [0.5]


@pytest.mark.shared
def test_persistent_5xx_gives_up_after_max_attempts(site: FixtureSite, tmp_path: Path):
    path = f"/v1/file/{FLAKY_500_ID}"
    site.scripts[path] = [("status", 503)] * 3
    sleeps: list[float] = []
    client = fast_client(sleeps, max_attempts=3, backoff_base=1.0)
    with pytest.raises(FetchError, match="gave up after 3 attempts: HTTP 503") as raised:
        client.download(site.file_url(FLAKY_500_ID), tmp_path / "f.part")
    assert raised.value.status == 503
    assert len(site.hits(path)) == 3
    assert sleeps == [1.0, 2.0]  # exponential backoff between the three attempts


@pytest.mark.shared
def test_too_long_retry_after_fails_instead_of_stalling(site: FixtureSite, tmp_path: Path):
    path = f"/v1/file/{RATE_LIMITED_ID}"
    site.scripts[path] = [("retry_after", "3600")]
    client = fast_client(max_retry_after=60)
    with pytest.raises(FetchError, match="retry after 3600 s"):
        client.download(site.file_url(RATE_LIMITED_ID), tmp_path / "f.part")
    assert len(site.hits(path)) == 1


@pytest.mark.shared
def test_404_is_not_retried(site: FixtureSite, tmp_path: Path):
    client = fast_client()
    with pytest.raises(FetchError, match="HTTP 404"):
        client.download(site.file_url(BROKEN_ID), tmp_path / "f.part")
    assert client.requests_made == 1


@pytest.mark.shared
def test_rate_limit_spaces_requests(site: FixtureSite):
    now = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    client = PoliteClient(min_interval=1.5, sleep=sleep, clock=lambda: now[0], timeout=2.0)
    for _ in range(3):
        client.get_page(f"{site.base_url}/provider/44/80534")
        now[0] += 0.25  # time the request itself took
    assert sleeps == [1.25, 1.25]


def test_retry_after_parsing():
    now = dt.datetime(2025, 9, 1, 12, 0, 0, tzinfo=dt.UTC)
    assert parse_retry_after("1", now) == 1.0
    assert parse_retry_after("Mon, 01 Sep 2025 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Mon, 01 Sep 2025 11:00:00 GMT", now) == 0.0
    assert parse_retry_after(None, now) is None
    assert parse_retry_after("soon", now) is None


# -- labels -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "kind", "date"),
    [
        ("children's services inspection - 09 may 2025", "inspection", dt.date(2025, 5, 9)),
        (
            "single inspection of la children's services as pdf - 10 february 2015",
            "inspection",
            dt.date(2015, 2, 10),
        ),
        ("Focused visit - 9 Sept 2021", "focused_visit", dt.date(2021, 9, 9)),
        ("monitoring visit \u2013 05 july 2017", "monitoring_visit", dt.date(2017, 7, 5)),
        ("joint targeted area inspection - 01 march 2019", "other", dt.date(2019, 3, 1)),
        ("Children\u2019s services inspection", "inspection", None),
        ("annual report - 31 febtember 2020", "other", None),
    ],
)
def test_labels_are_classified_and_dated(label: str, kind: str, date: dt.date | None):
    assert classify(label) == kind
    assert parse_label_date(label) == date


@pytest.mark.shared
def test_every_shared_report_label_parses(reports_dir: Path):
    """The labels of the shared collection are the site's labels (files were saved under them):
    each must give a date and classify as an inspection."""
    labels = [p.stem for p in reports_dir.glob("*/*.pdf")]
    assert len(labels) >= 458  # 497 since 39 files were added in December 2026
    assert [lbl for lbl in labels if parse_label_date(lbl) is None] == []
    assert {classify(lbl) for lbl in labels} == {"inspection"}


@pytest.mark.shared
def test_two_files_with_one_label_are_both_kept(site: FixtureSite, tmp_path: Path):
    """A re-issued report can carry the same label under a new file id: keyed by URL, both are
    kept, the second beside the first with its id in the name."""
    label = "children's services inspection - 12 july 2024"
    reissue = FixtureReport("50240099", label, tiny_pdf("Nottinghamshire, corrected report"))
    site.provider("80534").reports.append(reissue)
    summary = refresh(site.base_url, tmp_path, ingest=Recorder(), client=fast_client())
    same = [r for r in summary.fetched if r.link.label == label]
    assert len(same) == 2
    assert same[0].path.name == f"{label}.pdf"
    assert same[1].path.name == f"{label} [50240099].pdf"
    assert same[0].sha256 != same[1].sha256
    assert len(pdf_files(tmp_path)) == STANDARD_PDFS + 1
