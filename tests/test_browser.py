"""The dashboard in a real browser: `streamlit run serve.py` on a free port, Debian chromium
driven by Playwright. Every page loads from its own URL without an error block or a
"Page not found" dialog, one control changes what is shown (and the URL, so links reopen
the view), and a screenshot of each page is kept (also copied to /tmp/screens/).

Skips with a reason when /usr/bin/chromium or the database is missing (fails under CI=true).
Never runs `playwright install`: the browser is the system one.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from etl import DEFAULT_DB
from etl.vocab import AREA_LABELS
from tests.conftest import require

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LEAD_SCREENS = Path("/tmp/screens")
VIEWPORT = {"width": 1400, "height": 1600}
STARTUP_TIMEOUT_S = 60
# Generous: the first visit to a page fills st.cache_data, and CI boxes are slow.
RENDER_TIMEOUT_S = 60
MIN_PNG_BYTES = 20_000
# How long a page must stay finished (polled every 100 ms) to count as settled.
QUIET_S = 0.3

# What "finished rendering" means, evaluated in the page: no script run in progress (the app's
# script state, as Streamlit marks it on stApp: its status widget does not show with the
# minimal toolbar, and a run can sit for a second between two elements with nothing stale;
# nor a spinner), no placeholder skeletons, no elements left stale by a rerun, every plotly
# chart drawn.
_STATE_JS = """() => {
  const n = s => document.querySelectorAll(s).length;
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  const app = document.querySelector('[data-testid="stApp"]');
  const script = app ? app.getAttribute('data-test-script-state') : 'initial';
  const busy = ['initial', 'running', 'rerunRequested', 'stopRequested'].includes(script);
  return {
    running: (busy ? 1 : 0) + n('[data-testid="stStatusWidget"]')
             + n('[data-testid="stSpinner"]'),
    skeletons: n('[data-testid="stSkeleton"]'),
    stale: n('[data-stale="true"]'),
    plots: plots.length,
    drawn: plots.filter(p => p.querySelector('svg.main-svg')).length,
    exceptions: n('[data-testid="stException"]'),
    h1: n('[data-testid="stMain"] h1'),
  };
}"""

# Text that a change of control should alter: chart titles/axes, metrics, headings, bold text.
_SIGNATURE_JS = """() => [
  ...document.querySelectorAll('.js-plotly-plot svg text'),
  ...document.querySelectorAll('[data-testid="stMetric"]'),
  ...document.querySelectorAll('[data-testid="stMain"] h2, [data-testid="stMain"] h3'),
  ...document.querySelectorAll('[data-testid="stMain"] strong'),
  ...document.querySelectorAll('[data-testid="stCaptionContainer"]'),
].map(e => e.textContent).join('\\n')"""


# ---------------------------------------------------------------- server and browser

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode().strip()
    except OSError:
        return ""


def _app_page_titles() -> list[str]:
    """The page titles app.py gives st.navigation, read from its source (importing it would
    run Streamlit)."""
    tree = ast.parse((ROOT / "app.py").read_text())
    return [kw.value.value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"
            for kw in node.keywords if kw.arg == "title"]


@contextmanager
def _streamlit(log: Path) -> Iterator[str]:
    """`streamlit run serve.py` (app.py behind the server's page fix) on a free port until
    healthy; yields the base URL."""
    require(CHROMIUM.exists(), f"Debian chromium not found at {CHROMIUM} (apt-get install chromium)")
    require(DEFAULT_DB.exists(), f"no database at {DEFAULT_DB}: run `python -m etl build` first")
    port = _free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "serve.py",
           "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           # Other people edit files while this runs: a file watcher would put a
           # "source changed" prompt in the status widget and never let a page settle.
           "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while _health(f"{base}/_stcore/health") != "ok":
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit not healthy after {STARTUP_TIMEOUT_S} s:\n"
                            f"{log.read_text()[-3000:]}")
            time.sleep(0.25)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _streamlit(tmp_path_factory.mktemp("streamlit") / "server.log") as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    require(CHROMIUM.exists(), f"Debian chromium not found at {CHROMIUM} (apt-get install chromium)")

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def app(server: str, browser) -> str:
    """The server after one visit to its root URL, as most users arrive: app.py's
    st.navigation has run (see test_first_visit_by_link) and the caches are warm."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        pg = context.new_page()
        pg.goto(server + "/")
        wait_settled(pg, min_plots=1)
    finally:
        context.close()
    return server


@pytest.fixture(scope="session")
def screens(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screens")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    pg.set_default_timeout(RENDER_TIMEOUT_S * 1000)
    try:
        yield pg
    finally:
        context.close()


@dataclass
class View:
    """A page opened once from its own address at one width, shared by the tests of that page
    and width: pytest runs them together (the fixture is module-scoped and keyed by value), in
    the file's order, so the checks that only read the page come first and test_page, which
    changes it, last. Every failed response and every request to another host since it
    opened is kept."""
    page: object
    case: Case
    failed: list[str]
    outside: list[str]


VIEW_HEIGHT = {1440: 1600, 390: 1400}


@pytest.fixture(scope="module")
def view(request, app: str, browser) -> Iterator[View]:
    width, case = request.param
    context = browser.new_context(viewport={"width": width, "height": VIEW_HEIGHT[width]})
    host = urlparse(app).netloc
    try:
        pg = context.new_page()
        pg.set_default_timeout(RENDER_TIMEOUT_S * 1000)
        shared = View(pg, case, [], [])
        pg.on("response", lambda r: shared.failed.append(f"{r.status} {r.url}")
              if r.status >= 400 else None)
        pg.on("request", lambda r: shared.outside.append(r.url)
              if urlparse(r.url).scheme in ("http", "https", "ws", "wss")
              and urlparse(r.url).netloc != host else None)
        pg.goto(app + case.path)
        wait_settled(pg, min_plots=case.min_plots)
        yield shared
    finally:
        context.close()


def views(widths: tuple[int, ...], cases: list) -> dict:
    """parametrize() arguments for tests of the shared `view` of these widths and cases."""
    pairs = [(w, c) for w in widths for c in cases]
    ids = [f"{w}-{c.name}" if len(widths) > 1 else c.name for w, c in pairs]
    return {"argnames": "view", "argvalues": pairs, "ids": ids, "indirect": True,
            "scope": "module"}


# ---------------------------------------------------------------- helpers

def wait_settled(pg, min_plots: int = 0, timeout: float = RENDER_TIMEOUT_S) -> dict:
    """Wait until the page has finished a run and drawn everything, and stayed so for QUIET_S
    (a rerun can start just after one ends).

    An exception block ends the wait at once: there is nothing more to wait for."""
    deadline = time.monotonic() + timeout
    quiet_since = None
    state: dict = {}
    while time.monotonic() < deadline:
        state = pg.evaluate(_STATE_JS)
        if state["exceptions"]:
            return state
        done = (state["h1"] and not state["running"] and not state["skeletons"]
                and not state["stale"] and state["plots"] >= min_plots
                and state["drawn"] == state["plots"])
        if not done:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= QUIET_S:
            return state
        pg.wait_for_timeout(100)
    pytest.fail(f"{pg.url} did not finish rendering in {timeout:.0f} s: {state}")


def assert_no_exception(pg) -> None:
    blocks = pg.locator('[data-testid="stException"]')
    if blocks.count():
        pytest.fail(f"exception shown on {pg.url}:\n"
                    + "\n---\n".join(b.inner_text() for b in blocks.all()))


def dismiss_dialogs(pg) -> list[str]:
    """Texts of any modal dialogs (e.g. Streamlit's "Page not found"), closed so the page
    underneath can still be driven."""
    texts = []
    for dialog in pg.locator('[data-testid="stDialog"]').all():
        if dialog.is_visible():
            texts.append(" ".join(dialog.inner_text().split()))
    if texts:
        pg.keyboard.press("Escape")
    return texts


def nav_titles(pg) -> list[str]:
    return pg.locator('[data-testid="stSidebarNavLink"] [data-testid="stMarkdownContainer"]'
                      ).all_inner_texts()


def signature(pg) -> str:
    return pg.evaluate(_SIGNATURE_JS)


def current_url(pg) -> str:
    # Asked of the page: `pg.url` only follows replaceState when Playwright's event loop
    # gets a turn, which a polling loop does not give it.
    return pg.evaluate("() => location.href")


def query_params(pg) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(current_url(pg)).query).items()}


def wait_for(pg, what: str, check: Callable[[], bool], timeout: float = RENDER_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        pg.wait_for_timeout(200)
    pytest.fail(f"{what} did not happen within {timeout:.0f} s on {current_url(pg)}")


def selectbox(pg, label: str):
    return pg.locator('[data-testid="stSelectbox"]').filter(
        has=pg.locator('[data-testid="stWidgetLabel"]', has_text=label)).first


def open_options(pg, label: str):
    """Open the selectbox labelled `label`; returns its option elements."""
    field = selectbox(pg, label).locator("input")
    field.click()
    listbox = pg.locator('[role="listbox"]')
    if not listbox.count():
        field.press("ArrowDown")  # a click does not always open the list
    listbox.first.wait_for()
    return listbox.first.locator('[role="option"]')


def choose(pg, label: str, option: str) -> None:
    """Pick `option` (its visible text) in the selectbox labelled `label`."""
    open_options(pg, label)
    selectbox(pg, label).locator("input").fill(option)
    pg.locator('[role="option"]', has_text=option).first.wait_for()
    pg.keyboard.press("Enter")


def pick_radio(pg, label: str, option: str) -> None:
    group = pg.locator('[data-testid="stRadio"]').filter(
        has=pg.locator('[data-testid="stWidgetLabel"]', has_text=label)).first
    group.locator("label", has_text=option).first.click()


def shoot(pg, screens: Path, name: str) -> Path:
    path = screens / f"{name}.png"
    pg.screenshot(path=str(path))
    try:
        LEAD_SCREENS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, LEAD_SCREENS / path.name)
    except OSError:
        pass  # a convenience copy only; the test's own copy is what is checked
    size = path.stat().st_size
    assert size > MIN_PNG_BYTES, f"{path.name} is only {size} bytes: a blank page?"
    return path


# ---------------------------------------------------------------- per-page changes

def _national(pg) -> None:
    label = AREA_LABELS["help_and_protection"]
    choose(pg, "Judgement", label)
    wait_for(pg, "area=help_and_protection in the URL",
             lambda: query_params(pg).get("area") == "help_and_protection")
    wait_settled(pg, min_plots=1)
    titles = pg.locator(".js-plotly-plot .gtitle").all_text_contents()
    assert any(t.startswith(label) for t in titles), titles


def _failing(pg) -> None:
    pick_radio(pg, "Basis", "Impact of leaders")
    wait_for(pg, "basis=leadership in the URL",
             lambda: query_params(pg).get("basis") == "leadership")
    wait_settled(pg, min_plots=2)
    assert "Impact of leaders" in " ".join(
        pg.locator(".js-plotly-plot svg text").all_text_contents())


def _neighbours(pg) -> None:
    choose(pg, "Local authority", "Nottinghamshire (891)")
    wait_for(pg, "la=891 in the URL", lambda: query_params(pg).get("la") == "891")
    wait_settled(pg, min_plots=1)
    assert "Nottinghamshire" in pg.locator('[data-testid="stMain"] strong').first.inner_text()


def _cycle(pg) -> None:
    # the page opens on the current framework (ILACS); the SIF cycle is one click away
    pick_radio(pg, "Framework", "SIF")
    wait_for(pg, "fw=SIF in the URL", lambda: query_params(pg).get("fw") == "SIF")
    wait_settled(pg, min_plots=1)
    assert "Single inspection framework (SIF)" in pg.inner_text('[data-testid="stMain"]')


def _la(pg) -> None:
    choose(pg, "Local authority", "Leicestershire (855)")
    wait_for(pg, "la=855 in the URL", lambda: query_params(pg).get("la") == "855")
    wait_settled(pg, min_plots=1)
    assert pg.locator('[data-testid="stMain"] h2').first.inner_text().strip() == "Leicestershire"


def _local(pg) -> None:
    choose(pg, "Local authority", "Rutland (857)")
    wait_for(pg, "la=857 in the URL", lambda: query_params(pg).get("la") == "857")
    wait_settled(pg, min_plots=2)
    assert pg.locator('[data-testid="stMain"] h2').first.inner_text().strip() == "Rutland"
    titles = " ".join(pg.locator(".js-plotly-plot .gtitle").all_text_contents())
    assert "Rutland: children's social care providers good or better" in titles


def _send_providers(pg) -> None:
    choose(pg, "Provider type", "Children's home")
    wait_for(pg, "type=childrens_home in the URL",
             lambda: query_params(pg).get("type") == "childrens_home")
    wait_settled(pg, min_plots=3)
    titles = " ".join(pg.locator(".js-plotly-plot .gtitle").all_text_contents())
    assert "Children's home: share good or better by local authority" in titles
def _reports(pg) -> None:
    # (opened with a grade filter set, so the filters are unfolded)
    selectbox(pg, "Framework").wait_for(state="visible")
    choose(pg, "Framework", "SIF (2013–18)")
    wait_for(pg, "framework=SIF in the URL", lambda: query_params(pg).get("framework") == "SIF")
    wait_settled(pg)
    heads = pg.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"] strong a')
    assert heads.count() > 0  # results, each headed by its LA's profile link
    assert "SIF full inspection" in pg.inner_text('[data-testid="stMain"]')
    # the matched word is marked in every snippet shown
    assert pg.locator('[data-testid="stMain"] strong', has_text="neglect").count() > 0


# The 153 current LAs fall in England's 9 regions (checked against local_authorities).
SQL = ("SELECT region_name AS region, count(*) AS n_las FROM local_authorities\n"
       "WHERE valid_to IS NULL GROUP BY ALL ORDER BY region")


def _sql(pg) -> None:
    area = pg.locator('[data-testid="stTextArea"] textarea').first
    area.fill(SQL)
    pg.locator('[data-testid="stButton"] button', has_text="Run").click()
    wait_for(pg, "the query in the URL", lambda: "local_authorities" in query_params(pg).get("q", ""))
    wait_for(pg, "the result note", lambda: "9 rows × 2 columns" in signature(pg))
    wait_settled(pg, min_plots=1)
    axis = " ".join(pg.locator(".js-plotly-plot .xtick text").all_text_contents())
    assert "London" in axis and "North East" in axis, axis


def _refused(pg) -> int:
    caption = pg.locator('[data-testid="stCaptionContainer"]', has_text="rows refused").first
    return int(re.search(r"(\d+) rows refused", caption.inner_text()).group(1))


def _data(pg) -> None:
    # Expanders are client-side: opening one must reveal its table.
    expander = pg.locator('[data-testid="stExpander"]', has_text="Recent builds").first
    expander.locator("summary").click()
    expander.locator('[data-testid="stDataFrame"]').first.wait_for(state="visible")
    # The quarantine filter reruns the page; picking it also scrolls it into the screenshot.
    total = _refused(pg)
    options = open_options(pg, "Source kind")
    options.nth(1).wait_for()
    kind = options.nth(1).inner_text().strip()  # the first real kind after "All sources"
    assert "_" not in kind, f"the kind {kind!r} is shown as a code, not in words"
    options.nth(1).click()
    wait_for(pg, f"the quarantine filter ({kind}) in the URL",
             lambda: query_params(pg).get("quarantine", "all") != "all")
    wait_settled(pg)
    wait_for(pg, "the quarantine caption to change", lambda: _refused(pg) != total)
    assert 0 < _refused(pg) < total
    selectbox(pg, "Source kind").evaluate("e => e.scrollIntoView({block: 'start'})")


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    min_plots: int
    change: Callable | None


CASES = [
    Case("national", "/", 3, _national),  # the default page is served at "/"
    Case("failing", "/failing", 2, _failing),
    Case("neighbours", "/neighbours", 2, _neighbours),
    Case("cycle", "/cycle", 2, _cycle),
    Case("la", "/la", 1, _la),
    Case("local", "/local?as_at=2025-12-31", 2, _local),
    Case("send-providers", "/send-providers?as_at=2025-12-31", 3, _send_providers),
    Case("reports", "/reports?q=neglect&grade=failing", 0, _reports),
    Case("sql", "/sql", 0, _sql),
    Case("data", "/data", 0, _data),
    Case("accessibility", "/accessibility", 0, None),  # static text: nothing to change
]


def test_first_visit_by_link(browser, tmp_path: Path, screens: Path) -> None:
    """The first visitor after a (re)start may arrive by a shared link such as /failing.
    Streamlit treats a `pages/` folder beside the main script as a legacy (v1) multipage app
    until app.py has called st.navigation once, so that visit must still get app.py's
    navigation, layout and licence line rather than the bare page file."""
    with _streamlit(tmp_path / "server.log") as base:
        context = browser.new_context(viewport=VIEWPORT)
        try:
            pg = context.new_page()
            pg.goto(base + "/failing")
            wait_settled(pg)
            shoot(pg, screens, "first-visit-failing")
            assert nav_titles(pg) == _app_page_titles(), (
                "a fresh server served /failing without app.py: sidebar shows "
                f"{nav_titles(pg)} (Streamlit's legacy pages/ folder mode)")
        finally:
            context.close()


def test_a_typed_date_applies_on_enter(app: str, page) -> None:
    """Typing a date into a date field and pressing Enter applies it, as in any other field
    (Streamlit's own field waits for the focus to leave it); the focus stays in the field."""
    page.goto(app + "/neighbours?la=855&as_at=2025-12-31")
    wait_settled(page, min_plots=1)
    page.locator('[data-testid="stDateInput"] [data-type="day"]').first.click()
    page.keyboard.type("31032024", delay=50)
    page.wait_for_timeout(500)
    assert query_params(page)["as_at"] == "2025-12-31"  # typed, not yet applied
    page.keyboard.press("Enter")
    wait_for(page, "as_at=2024-03-31 in the URL",
             lambda: query_params(page).get("as_at") == "2024-03-31")
    wait_settled(page, min_plots=1)
    assert_no_exception(page)
    assert "31 March 2024" in signature(page)
    focused = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
    assert focused.endswith("As at")


def test_a_link_names_the_la(app: str, page) -> None:
    """`?la=kent` opens Kent's profile with its next-due date; a misspelt name suggests the
    nearest."""
    page.goto(app + "/la?la=kent")
    wait_settled(page, min_plots=1)
    main = page.inner_text('[data-testid="stMain"]')
    assert page.locator('[data-testid="stMain"] h2').first.inner_text().strip() == "Kent"
    assert "Next ILACS inspection due (about)" in main
    page.goto(app + "/la?la=kentt")
    wait_settled(page, min_plots=1)
    assert "Did you mean Kent" in page.inner_text('[data-testid="stMain"]')


def test_reports_briefing_downloads(app: str, browser, tmp_path: Path) -> None:
    """The Reports and themes page's briefing buttons hand over a Word document python-docx
    opens, and the same paper in Markdown."""
    import docx

    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    try:
        pg = context.new_page()
        pg.set_default_timeout(RENDER_TIMEOUT_S * 1000)
        pg.goto(app + "/reports?view=briefing&framework=SIF&from=2013-11-01&to=2014-10-31")
        wait_settled(pg)
        assert_no_exception(pg)
        saved = {}
        for label, suffix in (("Briefing (Word)", ".docx"), ("Briefing (Markdown)", ".md")):
            with pg.expect_download(timeout=RENDER_TIMEOUT_S * 2000) as download:
                pg.get_by_text(label).click()
            assert download.value.suggested_filename == \
                "sif-reports-published-november-2013-october-2014" + suffix
            saved[suffix] = tmp_path / f"paper{suffix}"
            download.value.save_as(saved[suffix])
    finally:
        context.close()
    title = "Ofsted inspection mapping: SIF reports published November 2013 – October 2014"
    assert docx.Document(str(saved[".docx"])).paragraphs[0].text == title
    assert saved[".md"].read_text(encoding="utf-8").startswith(f"# {title}\n")


HOSTILE = ("**Your session has expired.** [Sign in again](http://127.0.0.1:8799/phish) "
           "![](http://127.0.0.1:8799/px.png)")


@pytest.mark.parametrize("path", ["/la?la=", "/local?la=", "/send-providers?type=", "/?area=",
                                  "/failing?basis=", "/neighbours?la=", "/cycle?fw=",
                                  "/data?quarantine=", "/reports?q=",
                                  '/sql?q=SELECT 1 AS "![p](http://127.0.0.1:8799/pixel.png)"',
                                  # a backtick must not end the chart's redraw code span
                                  "/sql?q=SELECT 'a' AS x, 2 AS n -- ` "
                                  "![p](http://127.0.0.1:8799/pixel.png) `"])
def test_a_hostile_link_shows_text_and_fetches_nothing(path: str, app: str, page) -> None:
    """A link's value is shown as text: no link or image from it in the page, no request to
    the host it names (an image in markdown would make the browser fetch it)."""
    from urllib.parse import quote

    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    url = app + (path + quote(HOSTILE) if path.endswith("=") else path.split("?")[0] + "?q="
                 + quote(path.split("q=", 1)[1]))
    page.goto(url)
    wait_settled(page)
    if path.startswith("/sql"):
        page.get_by_role("button", name="Run").click()
        wait_settled(page)
    assert_no_exception(page)
    assert page.locator('a[href*="8799"], img[src*="8799"]').count() == 0
    # (the page's own address carries the link's text, 8799 and all: only requests *to* that
    # host count)
    assert [u for u in requested if urlparse(u).netloc == "127.0.0.1:8799"] == []
    assert "8799" in page.inner_text('[data-testid="stMain"]')  # shown, as text


AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
# What a reader of a public-sector service must not meet (WCAG 2.2 AA, as axe-core tests it).
BLOCKING = ("serious", "critical")


@pytest.mark.parametrize(**views((1440, 390), CASES))
def test_page_has_no_serious_accessibility_violation(view: View) -> None:
    require(AXE.is_file(), f"axe-core not installed at {AXE} (make test runs `npm ci --prefix "
                           "tests/browser`)")
    pg, case = view.page, view.case
    assert_no_exception(pg)
    pg.add_script_tag(path=str(AXE))
    found = pg.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations'],
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                             'wcag22aa', 'best-practice']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: '
                                                 + n.html.slice(0, 120))}));
    }""")
    width = pg.viewport_size["width"]
    blocking = [v for v in found if v["impact"] in BLOCKING]
    assert blocking == [], f"{case.path} at {width}px: {blocking}"


# ---------------------------------------------------------------- issue 13: chrome, exports,
# phones and the keyboard

SEED_NUMBER = re.compile(r"seed[ _]?0\d\d", re.IGNORECASE)
_SUMMARIES = """[...document.querySelectorAll('[data-testid="stExpander"] summary')]"""
# Unfold every folded section; returns which ones (their places among the sections).
_OPEN_ALL_JS = f"""() => {_SUMMARIES}
  .map((s, i) => s.parentElement.open ? -1 : (s.click(), i)).filter(i => i >= 0)"""
_FOLD_JS = f"""unfolded => {{ const all = {_SUMMARIES};
  unfolded.forEach(i => {{ if (all[i] && all[i].parentElement.open) all[i].click(); }}); }}"""
_FOLDED_JS = f"""unfolded => {{ const all = {_SUMMARIES};
  return unfolded.every(i => !all[i] || !all[i].parentElement.open); }}"""
_ALL_OPEN_JS = """() => [...document.querySelectorAll('[data-testid="stExpander"] summary')]
  .every(s => s.parentElement.open)"""
_ALL_TEXT_JS = """() => document.body.innerText + '\\n' +
  [...document.querySelectorAll('svg text')].map(t => t.textContent).join('\\n')"""


@pytest.mark.parametrize(**views((1440,), CASES))
def test_page_has_quiet_chrome_and_names_papers(view: View, app: str) -> None:
    """Opened from its own address, a page makes no request that fails (Streamlit used to ask
    /<page>/_stcore/health and host-config first, two 404s) and none to another host (the
    favicon came from Google's font CDN); its favicon is the app's own PNG; there is no Deploy
    button; and nowhere in its text (charts and folded sections included) is a paper called
    by a seed number. (It unfolds every section, then folds them again.)"""
    pg, case = view.page, view.case
    host = urlparse(app).netloc
    assert_no_exception(pg)
    icons = pg.evaluate("() => [...document.querySelectorAll('link[rel~=\"icon\"]')]"
                        ".map(l => l.href)")
    assert icons and all(urlparse(h).netloc == host for h in icons), icons
    served = pg.request.get(icons[-1])
    assert served.status == 200 and served.headers["content-type"] == "image/png"
    assert pg.locator('[data-testid="stAppDeployButton"]').count() == 0
    assert pg.get_by_role("button", name="Deploy").count() == 0
    unfolded = pg.evaluate(_OPEN_ALL_JS)
    try:
        wait_for(pg, "every section unfolded", lambda: pg.evaluate(_ALL_OPEN_JS))
        wait_settled(pg, min_plots=case.min_plots)  # what the sections hold, drawn
        text = pg.evaluate(_ALL_TEXT_JS)
    finally:
        # folded again as the page opened, for test_page after it
        pg.evaluate(_FOLD_JS, unfolded)
        wait_for(pg, "the sections folded again", lambda: pg.evaluate(_FOLDED_JS, unfolded))
    assert view.failed == [], f"{case.path}: failed requests {view.failed}"
    assert view.outside == [], f"{case.path}: requests to other hosts {view.outside}"
    seeds = sorted({text[max(0, m.start() - 60):m.end() + 20] for m in SEED_NUMBER.finditer(text)})
    assert seeds == [], f"{case.path} calls a paper by its seed number: {seeds}"


@pytest.mark.parametrize(**views((1440,), CASES))
def test_page(view: View, screens: Path) -> None:
    """The page as opened from its own address (its 1440 px view, after the checks that only
    read it) shows no error block, app.py's navigation and no dialog, and one control changes
    what is shown and the URL. Last of its view's tests: it changes the page."""
    page, case = view.page, view.case
    state = wait_settled(page, min_plots=case.min_plots)
    assert_no_exception(page)
    assert nav_titles(page) == _app_page_titles(), "the sidebar is not app.py's navigation"
    dialogs = dismiss_dialogs(page)
    shoot(page, screens, f"{case.name}")
    if case.change is None:
        assert not dismiss_dialogs(page), f"{case.path} opened with a dialog"
        return
    before = signature(page)
    url_before = current_url(page)

    case.change(page)
    wait_settled(page)
    assert_no_exception(page)
    assert signature(page) != before, "the control changed nothing on the page"
    assert current_url(page) != url_before, "the URL does not record the change"
    shoot(page, screens, f"{case.name}-changed")
    dialogs += dismiss_dialogs(page)
    # Last, so the rest of the page is still checked when only the link is broken.
    assert not dialogs, f"{case.path} opened with a dialog: {dialogs} (initial state {state})"


LOCAL_CHARTS = "/local?as_at=2025-12-31&la=857"  # Rutland: two charts, each with downloads
_DOWNLOAD_BUTTONS_JS = """() => [...document.querySelectorAll('[class*="st-key-dl-"] button')]
  .filter(b => b.getClientRects().length > 0 && getComputedStyle(b).visibility !== 'hidden')
  .map(b => {
    const label = b.querySelector('[data-testid="stMarkdownContainer"]') || b;
    const range = document.createRange();
    range.selectNodeContents(label);
    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
                          .map(r => Math.round(r.top))).size;
    const box = b.getBoundingClientRect();
    return {label: label.textContent.trim(), lines: lines,
            cut: label.scrollWidth > label.clientWidth + 1,
            inside: box.left >= 0 && box.right <= window.innerWidth};
  })"""


def test_chart_downloads_in_one_click(app: str, browser, tmp_path: Path) -> None:
    """Under every chart: CSV, XLSX, PNG, SVG, PDF and a paper pack, each one click (no
    "Prepare" step); the PNG is a PNG and the pack holds the chart in every format with its
    data, alt text and metadata."""
    import zipfile

    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    try:
        pg = context.new_page()
        pg.set_default_timeout(RENDER_TIMEOUT_S * 1000)
        pg.goto(app + LOCAL_CHARTS)
        wait_settled(pg, min_plots=2)
        assert pg.get_by_text("Prepare").count() == 0
        rows = pg.locator('[class*="st-key-dl-"]')
        assert rows.count() == pg.locator(".js-plotly-plot").count() == 2
        for row in rows.all():
            labels = " ".join(row.locator("button").all_inner_texts())
            for fmt in ("CSV", "XLSX", "PNG", "SVG", "PDF", "Paper pack"):
                assert fmt in labels, labels
        saved = {}
        for label, suffix in (("PNG", ".png"), ("Paper pack", ".zip"), ("CSV", ".csv")):
            with pg.expect_download(timeout=RENDER_TIMEOUT_S * 3000) as download:
                rows.first.get_by_role("button", name=re.compile(f"{label}$")).click()
            assert download.value.suggested_filename.endswith(suffix)
            saved[suffix] = tmp_path / f"chart{suffix}"
            download.value.save_as(saved[suffix])
        assert_no_exception(pg)
    finally:
        context.close()
    assert saved[".png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with zipfile.ZipFile(saved[".zip"]) as zf:
        assert {"chart.png", "chart.svg", "chart.pdf", "data.csv", "data.xlsx", "alt_text.txt",
                "metadata.json"} <= set(zf.namelist())
    assert saved[".csv"].read_text(encoding="utf-8-sig").count("\n") > 1


@pytest.mark.parametrize("width", [1440, 390])
def test_download_buttons_neither_wrap_nor_truncate(width: int, app: str, browser) -> None:
    context = browser.new_context(viewport={"width": width, "height": 1200})
    try:
        pg = context.new_page()
        pg.goto(app + LOCAL_CHARTS)
        wait_settled(pg, min_plots=2 if width > 600 else 0)
        buttons = pg.evaluate(_DOWNLOAD_BUTTONS_JS)
    finally:
        context.close()
    assert len(buttons) == 12
    bad = [b for b in buttons if b["lines"] != 1 or b["cut"] or not b["inside"]]
    assert bad == [], f"at {width}px: {bad}"


_PHONE_CHARTS_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => {
  const box = plot.closest('[class*="st-key-chart-"]');
  const block = plot.closest('[class*="st-key-cb-"]');
  const head = block.querySelector('[class*="st-key-head-"]');
  const foot = block.querySelector('[class*="st-key-foot-"]');
  const view = box.getBoundingClientRect();
  const title = plot.querySelector('.gtitle');
  const t = title ? title.getBoundingClientRect() : null;
  const texts = [...plot.querySelectorAll('.xtick text, .ytick text, .legendtext')]
    .map(e => e.getBoundingClientRect());
  return {
    title: (plot.layout && plot.layout.meta && plot.layout.meta.title) || '',
    head: head && getComputedStyle(head).display !== 'none' ? head.innerText : '',
    foot: foot && getComputedStyle(foot).display !== 'none' ? foot.innerText : '',
    svgWidth: plot.querySelector('svg.main-svg').getBoundingClientRect().width,
    scrolls: box.scrollWidth > box.clientWidth,
    titleHidden: !t || t.bottom <= view.top + 1,
    labelsCut: texts.filter(r => r.width > 0 && (r.top < view.top - 1 || r.left < view.left - 1)).length,
    pageWidth: document.documentElement.scrollWidth,
  };
})"""


@pytest.mark.parametrize(**views((390,), [c for c in CASES if c.min_plots]))
def test_charts_on_a_phone_neither_clip_nor_overlap(view: View, screens: Path) -> None:
    """At 390 px a chart's title, subtitle and notes are page text that wraps (the figure's
    own, 800 px wide, would run off the screen), and the plot keeps its design width, scrolling
    sideways inside its box: no tick label or legend entry is cut at the box's edge, and the
    page itself never scrolls sideways."""
    pg, case = view.page, view.case
    charts = pg.evaluate(_PHONE_CHARTS_JS)
    shoot(pg, screens, f"{case.name}-390")
    assert len(charts) >= case.min_plots
    for c in charts:
        assert c["title"] and c["title"] in " ".join(c["head"].split()), c
        assert c["foot"], c
        assert c["svgWidth"] >= 799 and c["scrolls"], c
        assert c["titleHidden"] and c["labelsCut"] == 0, c
        assert c["pageWidth"] <= 390, c


# What a keyboard user must reach on the Local area page, in this order, and see focused.
KEY_STOPS = [("the local authority", "[data-testid='stSelectbox'] input"),
             ("the neighbour set", "[data-testid='stRadio'] input"),
             ("the date", "[data-testid='stDateInput'] input, [data-testid='stDateInput'] "
                          "[role='spinbutton']"),
             ("a chart's download", "[class*='st-key-dl-'] button")]
_FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const look = e => { const s = getComputedStyle(e);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor,
            s.backgroundColor].join('|'); };
  const chain = []; let e = el;
  for (let i = 0; i < 8 && e; i++) { chain.push(e); e = e.parentElement; }
  window.__focusLook = chain.map(look);
  window.__focusChain = chain;
  return {tag: el.tagName, testid: (el.closest('[data-testid]') || {}).dataset?.testid || '',
          name: el.getAttribute('aria-label') || el.textContent.trim().slice(0, 40)};
}"""
_FOCUS_SHOWN_JS = """async () => {
  const chain = window.__focusChain, focused = window.__focusLook;
  document.activeElement.blur();
  await new Promise(r => setTimeout(r, 250));  // the widget redraws itself unfocused
  const look = e => { const s = getComputedStyle(e);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor,
            s.backgroundColor].join('|'); };
  const blurred = chain.map(look);
  return focused.some((f, i) => f !== blurred[i]);
}"""


def test_keyboard_alone_reaches_the_main_controls_and_a_download(app: str, browser) -> None:
    """Tab from the top of the Local area page reaches the local authority, the neighbour set,
    the date and a chart's download button, in that order, each with a visible focus (its look
    changes when focused); the local authority can then be changed with the keyboard alone."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        pg = context.new_page()
        pg.goto(app + LOCAL_CHARTS)
        wait_settled(pg, min_plots=2)
        reached: list[str] = []
        shown: dict[str, bool] = {}
        for _ in range(120):
            pg.keyboard.press("Tab")
            if pg.evaluate(_FOCUS_JS) is None:
                continue
            for what, selector in KEY_STOPS:
                if what in reached:
                    continue
                if pg.evaluate("s => [...document.querySelectorAll(s)].includes("
                               "document.activeElement)", selector):
                    reached.append(what)
                    # (chromium keeps blur()'s element as the place the next Tab starts from)
                    shown[what] = pg.evaluate(_FOCUS_SHOWN_JS)
                    break
            if len(reached) == len(KEY_STOPS):
                break
        assert reached == [w for w, _ in KEY_STOPS], f"reached only {reached}"
        assert all(shown.values()), f"focus not visible on {[w for w, s in shown.items() if not s]}"
        # operate the first control by keyboard: choose Leicestershire, see the page follow
        pg.locator("[data-testid='stSelectbox'] input").first.focus()
        pg.keyboard.type("Leicestershire")
        pg.keyboard.press("Enter")
        wait_for(pg, "la=855 in the URL", lambda: query_params(pg).get("la") == "855")
        wait_settled(pg, min_plots=2)
        assert pg.locator('[data-testid="stMain"] h2').first.inner_text().strip() == \
            "Leicestershire"
    finally:
        context.close()


_CUT_LABELS_JS = """() => [...document.querySelectorAll(
    '[data-testid="stCheckbox"] label, [data-testid="stMetricLabel"], '
    + '[data-testid="stWidgetLabel"], [data-testid="stRadio"] label')]
  .filter(e => e.getClientRects().length)
  .flatMap(e => [e, ...e.querySelectorAll('*')])
  .filter(e => e.textContent.trim() && e.scrollWidth > e.clientWidth + 1
               && getComputedStyle(e).overflow !== 'visible')
  .map(e => e.textContent.trim().slice(0, 80))"""


@pytest.mark.parametrize(**views((390,), CASES))
def test_labels_are_readable_on_a_phone(view: View) -> None:
    """At 390 px no control's or metric's label is cut short with an ellipsis (Streamlit cuts
    a checkbox's label to one line): it wraps."""
    cut = view.page.evaluate(_CUT_LABELS_JS)
    assert cut == [], f"{view.case.path}: labels cut short at 390 px: {cut}"
