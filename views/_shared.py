"""Streamlit plumbing shared by the pages: the cached database connection, cached named
queries keyed on the database build, URL state with visible fallbacks, and the chart block
(chart + data table + CSV + print exports + source line) every chart goes through."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from etl import DEFAULT_DB, OGL_ATTRIBUTION
from etl.charts import ChartSpec, alt_text
from etl.vocab import AREA_LABELS
from etl.warehouse import queries as q

DB_PATH = Path(DEFAULT_DB)
TODAY = dt.date.today()
EARLIEST = dt.date(2013, 11, 1)
SOURCE_LINE = (
    "Source: Ofsted inspection reports and official statistics; Inspection Outcomes analysis. "
    + OGL_ATTRIBUTION + "."
)


_OPEN: dict[str, tuple[str, duckdb.DuckDBPyConnection]] = {}
_OPEN_LOCK = threading.Lock()


def build_id() -> str:
    """Changes whenever the database is rebuilt: the cache key of every query."""
    from etl.warehouse.build import ensure_built

    ensure_built(DB_PATH)
    stat = DB_PATH.stat()
    return f"{stat.st_mtime_ns}-{stat.st_size}"


def connection() -> duckdb.DuckDBPyConnection:
    """One locked, read-only connection per database build, shared by every page.

    Locked down (etl.warehouse.db.open_readonly) so the SQL workbench can share it: DuckDB refuses
    a second connection to one file with a different configuration. A rebuild replaces the file
    by rename, and DuckDB would keep serving the old file through its open instance, so the
    connection is closed and reopened when the build changes.
    """
    from etl.warehouse.db import open_readonly

    build = build_id()
    with _OPEN_LOCK:
        held = _OPEN.get("db")
        if held and held[0] == build:
            return held[1]
        if held:
            held[1].close()
        con = open_readonly(DB_PATH)
        _OPEN["db"] = (build, con)
        return con


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(build: str, name: str, frozen: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return q.run(connection(), name, **dict(frozen))


def query(name: str, **params: Any) -> pd.DataFrame:
    """Run sql/queries/<name>.sql through the cache (keyed on the build and parameters)."""
    return _cached(build_id(), name, tuple(sorted(params.items()))).copy()


@st.cache_data(show_spinner=False)
def _table(build: str, sql_name: str) -> pd.DataFrame:
    return q.run(connection(), sql_name)


def las() -> pd.DataFrame:
    """All LAs (code, name, region, validity)."""
    return _table(build_id(), "la/local_authorities")


def last_build() -> str:
    df = _table(build_id(), "build/last_build")
    return "" if df.empty else pd.Timestamp(df.iloc[0]["finished_at"]).strftime("%d %b %Y %H:%M")


# ---------------------------------------------------------------- URL state

def _note(msg: str) -> None:
    st.session_state.setdefault("_url_notes", []).append(msg)


def show_url_notes() -> None:
    for msg in st.session_state.pop("_url_notes", []):
        st.info(msg, icon=":material/info:")


def url_date(key: str, default: dt.date, lo: dt.date = EARLIEST, hi: dt.date = TODAY) -> dt.date:
    raw = st.query_params.get(key)
    if raw is None:
        return default
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        _note(f"The link's {key}={raw!r} is not a date (YYYY-MM-DD); showing {default:%d %B %Y}.")
        return default
    if not lo <= value <= hi:
        _note(f"The link's {key}={raw} is outside {lo:%d %b %Y} – {hi:%d %b %Y}; "
              f"showing {default:%d %B %Y}.")
        return default
    return value


def url_choice(key: str, options: Sequence[str], default: str) -> str:
    raw = st.query_params.get(key)
    if raw is None:
        return default
    if raw not in options:
        _note(f"The link's {key}={raw!r} is not one of the choices; showing {default!r}.")
        return default
    return raw


def seed_state(key: str, value: object) -> None:
    """Seed a widget from the URL once; afterwards the widget owns the value."""
    if key not in st.session_state:
        st.session_state[key] = value


def set_url(**params: Any) -> None:
    """Write the current view into the URL so a copied link reopens it."""
    for k, v in params.items():
        value = v.isoformat() if isinstance(v, dt.date) else None if v is None else str(v)
        if value is None:
            st.query_params.pop(k, None)
        elif st.query_params.get(k) != value:
            st.query_params[k] = value


def area_label(area: str) -> str:
    return {"any_practice": "Worst of the practice judgements", **AREA_LABELS}.get(area, area)


# ---------------------------------------------------------------- figures

@st.cache_data(show_spinner=False, max_entries=256)
def _figure(builder: str, args: tuple, kwargs: tuple) -> go.Figure:
    from etl import charts

    return getattr(charts, builder)(*args, **dict(kwargs))


def figure(builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """An etl.charts figure, cached on its inputs: building one costs 50–200 ms, a rerun that
    only reopens an expander should not pay it again."""
    return _figure(builder.__name__, args, tuple(sorted(kwargs.items())))


# ---------------------------------------------------------------- chart block

def chart_block(fig: go.Figure, data: pd.DataFrame, spec: ChartSpec, kind: str, key: str,
                metadata: dict[str, Any] | None = None) -> None:
    """A chart with its source line, its data (expandable), a CSV of exactly what is plotted,
    and print-ready exports (PNG/SVG/PDF/paper pack) for cabinet papers."""
    st.plotly_chart(fig, width="stretch", key=f"chart-{key}",
                    config={"displaylogo": False, "toImageButtonOptions": {"scale": 3}})
    # The figure itself carries title, as-at date, basis and source line (so a pasted PNG
    # explains itself); repeating them in a caption underneath would only add clutter.
    with st.expander("Data behind this chart, downloads and alt text"):
        st.dataframe(data, hide_index=True, width="stretch")
        meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
        st.markdown("**Alt text:** " + (meta.get("alt_text") or alt_text(kind, data, spec)))
        cols = st.columns(5)
        cols[0].download_button("CSV", data.to_csv(index=False).encode(), f"{key}.csv",
                                "text/csv", key=f"csv-{key}")
        _export_buttons(cols[1:], fig, data, spec, kind, key, metadata or {})


def _export_buttons(cols, fig, data, spec, kind, key, metadata) -> None:
    from etl.export import chromium_available

    ok, reason = chromium_available()
    if not ok:
        cols[0].caption(f"Image exports unavailable: {reason}")
        return
    if cols[0].button("Prepare PNG / SVG / PDF / paper pack", key=f"prep-{key}"):
        from etl.export import export_figure, paper_pack, print_style

        with st.spinner("Rendering print-quality images…"):
            printed = print_style(fig)
            st.session_state[f"exp-{key}"] = {
                "png": export_figure(printed, "png"),
                "svg": export_figure(printed, "svg"),
                "pdf": export_figure(printed, "pdf"),
                "zip": paper_pack(fig, data, spec, {**metadata, "chart": kind}),
            }
    done = st.session_state.get(f"exp-{key}")
    if done:
        mimes = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
                 "zip": "application/zip"}
        for col, (fmt, blob) in zip(cols, done.items(), strict=False):
            col.download_button(fmt.upper(), blob, f"{key}.{fmt}", mimes[fmt], key=f"{fmt}-{key}")


def empty_state(message: str) -> None:
    st.info(message, icon=":material/search:")
