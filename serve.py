"""The dashboard's server: `streamlit run serve.py` (what `make run` and the browser tests use).

It serves app.py exactly as `streamlit run app.py` does, with three additions (the numbers are
benchmarks/bench_cold_start.py's):

- in the pages' HTML (views/_server.py): the page tells Streamlit where the app's root is, so
  opening a page's own address (/cycle) no longer makes two requests that fail with 404 first;
  and a page that opens with a chart starts loading plotly.js at once;
- at start, in the background: the pages' modules imported, the database opened and the first
  page's chart drawn once, so the first reader does not wait for them.

`streamlit run app.py` still works, without these.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from views._server import PageHtml, page_paths, plotly_chunk

APP = Path(__file__).resolve().parent / "app.py"
# Pages that open with no chart: they need not load plotly.js before a reader asks for one.
WITHOUT_CHARTS = ("reports", "sql", "data", "accessibility")


def warm() -> None:
    """What the first visitor's run would otherwise pay for (about a second on a busy machine):
    importing the pages' modules, opening the database (views._shared keeps the connection for
    every session) and DuckDB's first reading of the tables the first page's chart uses."""
    from etl import DEFAULT_DB
    from etl.figures import national_distribution, registry  # noqa: F401 (every chart module)
    from views import _shared

    if not DEFAULT_DB.exists():  # nothing to warm: the first page says how to build it
        return
    try:
        national_distribution.render(_shared.connection(), national_distribution.Params())
    except Exception:  # a warm-up that fails must not stop the server: the page will report it
        logging.getLogger(__name__).exception("warming the first page failed")


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    threading.Thread(target=warm, name="warm-start", daemon=True).start()
    yield


app = st.App(APP, lifespan=lifespan, middleware=[Middleware(
    PageHtml, pages=page_paths(APP), early=[u for u in [plotly_chunk()] if u],
    without_charts=WITHOUT_CHARTS)])
