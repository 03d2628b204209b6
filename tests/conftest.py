"""Shared fixtures. Tests that need ../shared skip with a reason when it is absent,
except under CI=true, where a skip of that kind is a failure."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from etl import DEFAULT_SHARED_DATA, PROJECT_ROOT, SNAPSHOT_DIR

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI: CI must run every test."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    require(
        DEFAULT_SHARED_DATA.is_dir(),
        f"../shared/data not found at {DEFAULT_SHARED_DATA}: these tests read the raw sources",
    )
    return DEFAULT_SHARED_DATA


@pytest.fixture(scope="session")
def resolver(shared_data: Path):
    from etl.ingest.la_lookup import resolver_from_shared

    return resolver_from_shared(shared_data)


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built once per session from a private copy of the shipped snapshot, so a
    `python -m etl snapshot` run elsewhere cannot change it mid-session."""
    from etl.warehouse.build import build

    root = tmp_path_factory.mktemp("built_db")
    snapshot = root / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, snapshot)
    db = root / "inspection_outcomes.duckdb"
    build(db, snapshot)
    return db


@pytest.fixture(scope="session")
def small_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped snapshot cut to the fixture site's six LAs (tests/fixture_site), each with
    everything it has: for tests of the pipeline's mechanics (refresh, kills, rebuilds) that
    would otherwise build the whole model several times. Copy it before changing it."""
    from fixture_site import site_snapshot

    return site_snapshot(tmp_path_factory.mktemp("small_snapshot") / "snapshot", SNAPSHOT_DIR)


def run_page(page: str, timeout: float = 60, **params: str):
    """Run one views/ page in Streamlit's AppTest with URL parameters; no exception allowed."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PROJECT_ROOT / "views" / page), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# ---------------------------------------------------------------- reading an AppTest page


def metric(at, label: str) -> str:
    """The value of the metric with this label."""
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}; have {[m.label for m in at.metric]}"
    return found[0]


def metric_delta(at, label: str) -> tuple[str, str]:
    """(value, delta) of the metric with this label."""
    found = [(m.value, m.delta) for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}; have {[m.label for m in at.metric]}"
    return found[0]


def frame_with(at, *columns: str):
    """The first data table on the page with all these columns: an st.dataframe, else an
    st.table (the tables drawn for reading, whose cells wrap)."""
    for df in [*at.dataframe, *at.table]:
        if all(c in df.value.columns for c in columns):
            return df.value
    raise AssertionError(f"no table with columns {columns}")


def shown_columns(element) -> dict[str, dict]:
    """What a reader sees of an st.dataframe's columns: {heading: its column settings}, the
    heading being the column's label (its name when it has none), hidden columns left out."""
    import json

    config = json.loads(element.proto.columns or "{}")
    out = {}
    for col in element.value.columns:
        cfg = config.get(str(col), {})
        if not cfg.get("hidden"):
            out[cfg.get("label") or str(col)] = cfg
    return out


def plain(markdown: str) -> str:
    """Markdown source as a reader sees its text: backslash escapes undone, zero-width spaces
    (which break autolinks) dropped."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def page_charts(at) -> list[tuple[dict, object]]:
    """Every plotly chart on the page in order, as (its figure JSON, the data table shown
    with it in the chart block below it, or None). The table is in the first expander after
    the chart and before the next chart (the chart's notes and download buttons come
    between)."""
    import json

    out: list[tuple[dict, object]] = []

    def walk(node) -> None:
        kids = getattr(node, "children", None) or {}
        items = [kids[k] for k in sorted(kids)]
        for i, child in enumerate(items):
            if getattr(child, "type", None) == "plotly_chart":
                table = None
                for following in items[i + 1:]:
                    kind = getattr(following, "type", None)
                    if kind == "plotly_chart":
                        break
                    if kind == "expander":
                        tables = [c for c in following.children.values()
                                  if getattr(c, "type", None) == "dataframe"]
                        table = tables[0].value if tables else None
                        break
                out.append((json.loads(child.proto.spec), table))
            else:
                walk(child)

    walk(at.main)
    return out


@pytest.fixture
def page_db() -> None:
    """The project's own database, built and no older than the snapshot and the SQL (the
    app would rebuild a stale one on first use; a test must not start a build)."""
    from etl import DEFAULT_DB, SQL_DIR

    require(DEFAULT_DB.exists(), f"no database at {DEFAULT_DB}: run `python -m etl build` first")
    inputs = [*SNAPSHOT_DIR.glob("*.csv"), *SQL_DIR.glob("*.sql")]  # the build's inputs
    newest = max((p.stat().st_mtime for p in inputs), default=0)
    require(DEFAULT_DB.stat().st_mtime >= newest,
            "the database is older than data/snapshot or sql/*.sql: run `python -m etl build`")


class QueriesRead(list):
    """(name, rows) per named query read, in order; `params[i]` the parameters of the i-th."""

    def __init__(self) -> None:
        super().__init__()
        self.params: list[dict[str, object]] = []


@pytest.fixture
def queries_read(monkeypatch) -> QueriesRead:
    """The named queries a page runs (through the page's cache or a chart's own reads), in
    order, each with the rows it returned (and, in `.params`, what it was asked); the caches
    are emptied first, so that everything the page needs is read. Issue 14: a page fetches
    the rows it shows, not every LA's."""
    import streamlit as st

    from etl.warehouse import queries

    read = QueriesRead()
    plain_run = queries.run

    def run(con, name, **params):
        rows = plain_run(con, name, **params)
        # a chart's read through the page's cache (CachedReads) is recorded once, when the
        # query runs on the connection (a hit runs nothing)
        if not isinstance(con, queries.CachedReads):
            read.append((name, rows))
            read.params.append(params)
        return rows

    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setattr(queries, "run", run)
    return read


def every_la_read(read: list[tuple[str, object]], allowed: tuple[str, ...] = ()) -> list[str]:
    """The queries in `read` (queries_read) that returned a row for (nearly) every LA: 100
    different LAs or more, which at 1000 times today's data is 100,000 rows to hand over."""
    return [name for name, rows in read
            if name not in allowed and "la_code" in getattr(rows, "columns", ())
            and rows["la_code"].nunique() >= 100]


@pytest.fixture(autouse=True)
def _main_module_restored():
    """Streamlit's AppTest runs a page as `__main__` and leaves it there; a process the test
    suite spawns afterwards (the ingest's parse workers) would then import that page, its
    libraries and its queries. `python -m etl` never has a page as `__main__`: put pytest's
    back after every test."""
    import sys

    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main
