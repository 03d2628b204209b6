"""Streamlit plumbing shared by the pages: the cached read-only connection, named queries and
charts cached on the database build, URL state with visible fallbacks, and the chart block
(figure, data table, alt text, source line and downloads) every chart goes through."""

from __future__ import annotations

import datetime as dt
import importlib
import re
import shlex
import threading
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from etl import DEFAULT_DB
from etl.figures.chart import (
    HISTORY_START,
    CannotCompute,
    Chart,
    NoData,
    params_json,
)
from etl.figures.style import DEFAULT_SOURCE, format_date
from etl.warehouse import queries as q

DB_PATH = Path(DEFAULT_DB)
TODAY = dt.date.today()
SOURCE_LINE = DEFAULT_SOURCE


_OPEN: dict[str, tuple[str, Any]] = {}  # the connection and the workbench sandbox, per build
_OPEN_LOCK = threading.Lock()


def build_id() -> str:
    """Changes whenever the database is rebuilt: the cache key of every query and chart."""
    from etl.warehouse.build import ensure_built

    ensure_built(DB_PATH)
    stat = DB_PATH.stat()
    return f"{stat.st_mtime_ns}-{stat.st_size}"


def connection() -> duckdb.DuckDBPyConnection:
    """One locked, read-only connection per database build, shared by every page.

    Locked down (etl.warehouse.db.open_readonly) so the SQL workbench can share it: DuckDB
    refuses a second connection to one file with a different configuration. A rebuild
    replaces the file by rename, and DuckDB would keep serving the old file through its open
    instance, so the connection is closed and reopened when the build changes.
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


def sandbox():
    """The workbench's worker process for the current database build (one per build: a rebuilt
    database is a new file, which an open connection would not see)."""
    from etl.warehouse.sandbox import Sandbox

    build = build_id()
    with _OPEN_LOCK:
        held = _OPEN.get("sandbox")
        if held and held[0] == build:
            return held[1]
        if held:
            held[1].close()
        box = Sandbox(DB_PATH)
        _OPEN["sandbox"] = (build, box)
        return box


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(build: str, name: str, frozen: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return q.run(connection(), name, **dict(frozen))


def query(name: str, **params: Any) -> pd.DataFrame:
    """Run sql/queries/<name>.sql through the cache (keyed on the build and parameters)."""
    return _cached(build_id(), name, tuple(sorted(params.items()))).copy()


def cached_reads() -> q.CachedReads:
    """The connection as charts and computed figures get it: their named queries go through
    the same cache as the page's `query`, so a query the page and its chart (or two charts)
    read with the same parameters runs once per build."""
    return q.CachedReads(connection(), lambda name, params: query(name, **params))


def las() -> pd.DataFrame:
    """All LAs (code, name, region, validity)."""
    return query("la/local_authorities")


def la_names() -> dict[str, str]:
    """Every LA's name by code, in name order: what an LA picker offers (the chosen LA's other
    facts: `la_row`)."""
    df = query("la/names")
    return dict(zip(df["la_code"], df["name"], strict=True))


def la_row(la_code: str) -> pd.Series:
    """One LA's row of la/local_authorities (name, region, type, codes, validity), read alone."""
    return query("la/local_authority", la_code=la_code).iloc[0]


def region_names() -> list[str]:
    """The regions the LAs belong to, sorted."""
    return sorted(query("national/regions")["region_name"])


def last_build() -> str:
    df = query("build/last_build")
    if df.empty:
        return ""
    built = pd.Timestamp(df.iloc[0]["finished_at"])
    return f"{built.day} {built:%B %Y} at {built:%H:%M}"


@st.cache_data(show_spinner=False, max_entries=256)
def _computed(build: str, name: str, args: tuple) -> Any:
    module, _, func = name.rpartition(".")
    return getattr(importlib.import_module(module), func)(cached_reads(), *args)


def computed(func: Callable[..., Any], *args: Any) -> Any:
    """`func(cached_reads(), *args)` cached on the build and the arguments (func: a module-level
    function of etl, e.g. etl.warehouse.reconcile.cycle_years)."""
    return _computed(build_id(), f"{func.__module__}.{func.__qualname__}", args)


# ---------------------------------------------------------------- text from outside

# Streamlit renders markdown in every text element (st.info, st.caption, st.error...). A value
# from a link, a query or a person could otherwise show as a link, an image (which the browser
# fetches), emphasis or a coloured directive inside the app's own boxes. Escaping punctuation is
# not enough on its own: GitHub-flavoured markdown turns a bare URL (or e-mail address) into a
# link whatever its escapes, so those are broken with an invisible zero-width space.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_AUTOLINKED = (("://", ":\u200b//"), ("www.", "www\u200b."), ("@", "@\u200b"))


def as_text(value: object, limit: int = 200) -> str:
    """Any text that came from outside (a URL, a query, a user) safe inside markdown: shown as
    typed, never as a link, image, emphasis or directive. Every ASCII punctuation character is
    backslash-escaped (CommonMark makes such an escape a literal character), what would be
    autolinked is broken invisibly, line breaks are flattened and long values cut with an
    ellipsis."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[:limit] + "…"
    return _escaped(text)


_ISO_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_SHORT_DAY = re.compile(r"\b0?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                        r"[a-z]*\.? (\d{4})\b", re.IGNORECASE)


def dates_in_words(text: object) -> str:
    """Text with its dates in the one style of the pages, "12 July 2024": ISO dates (as source
    titles carry them) and "01 Nov 2013" or "3 dec 2014" (as computed explanations and
    papers' names write them)."""
    def iso(m: re.Match) -> str:
        try:
            d = dt.date.fromisoformat(m.group(1))
        except ValueError:
            return m.group(1)
        return f"{d.day} {d:%B %Y}"

    def short(m: re.Match) -> str:
        month = next(n for n in _MONTHS if n[:3].lower() == m.group(2)[:3].lower())
        return f"{int(m.group(1))} {month} {m.group(3)}"

    return _SHORT_DAY.sub(short, _ISO_DAY.sub(iso, str(text)))


def _escaped(text: str) -> str:
    """as_text's escaping alone: spacing and length kept."""
    for live, dead in _AUTOLINKED:
        text = text.replace(live, dead)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def code_span(text: str) -> str:
    """Text as one markdown code span, shown literally whatever backticks it holds: CommonMark
    closes a span only on a run of backticks as long as the one that opened it, so the fence
    is one longer than the longest run inside (a query's backtick cannot end the span and let
    the rest of it render as markup)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def as_marked(value: object, pattern: str | None, limit: int = 2000) -> str:
    """Text from outside (a report's words) as `as_text` shows it, with the words `pattern` (a
    regular expression, matched ignoring case) in bold: the text is escaped piece by piece
    around the matches, so the bold the app adds is the only live markup. A pattern Python
    cannot compile marks nothing."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[:limit] + "…"
    try:
        rx = re.compile(pattern, re.IGNORECASE) if pattern else None
    except re.error:
        rx = None
    if rx is None:
        return _escaped(text)
    out, pos = [], 0
    for m in rx.finditer(text):
        if m.end() == m.start():
            continue
        out += [_escaped(text[pos:m.start()]), "**", _escaped(m.group()), "**"]
        pos = m.end()
    out.append(_escaped(text[pos:]))
    return "".join(out)


# ---------------------------------------------------------------- URL state

def note(msg: str) -> None:
    """A note about the link (values in it already passed through `as_text`), shown at the top
    of the page by `show_url_notes`."""
    st.session_state.setdefault("_url_notes", []).append(msg)


def show_url_notes() -> None:
    for msg in st.session_state.pop("_url_notes", []):
        st.info(msg, icon=":material/info:")


def url_date(key: str, default: dt.date | None, lo: dt.date = HISTORY_START,
             hi: dt.date = TODAY) -> dt.date | None:
    """The link's date `key` (None default: an optional date left empty when bad)."""
    raw = st.query_params.get(key)
    if raw is None:
        return default
    instead = f"showing {format_date(default)}" if default else "leaving it empty"
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        note(f"The link's {key} value “{as_text(raw)}” is not a date (YYYY-MM-DD); {instead}.")
        return default
    if not lo <= value <= hi:
        note(f"The link's {key} value {format_date(value)} is outside {format_date(lo)} – "
              f"{format_date(hi)}; {instead}.")
        return default
    return value


def url_choice(key: str, options: Sequence[str], default: str) -> str:
    raw = st.query_params.get(key)
    if raw is None:
        return default
    if raw not in options:
        note(f"The link's {key} value “{as_text(raw)}” is not one of the choices; showing "
              f"“{as_text(default)}”.")
        return default
    return raw


def url_la(key: str, default: str, names: Mapping[str, str] | None = None) -> str:
    """An LA from the link: a DfE code, ONS code, Ofsted URN or any spelling of a name
    (`?la=kent`, `?la=Kent`, `?la=886`), resolved as `python -m etl export --la` resolves it
    (LaResolver over the database's LAs). An unknown one falls back to `default` with a note
    naming the LA shown and the nearest names (`names`: code -> name of the LAs the page
    offers; a resolved LA outside them falls back too)."""
    raw = st.query_params.get(key)
    if raw is None or not raw.strip():
        return default
    from etl.cli.figures import la_resolver
    from etl.local_authorities import UnknownLA

    shown = as_text((names or {}).get(default, default))
    try:
        code = computed(la_resolver).resolve(raw)
    except UnknownLA as exc:
        near = la_suggestions(raw, names or {}, exc.candidates)
        hint = (f" Did you mean {as_text(_either(near))}?" if near else
                " Type a name (e.g. Kent) or a DfE code (e.g. 886).")
        note(f"The link's {key} value “{as_text(raw)}” names no local authority we know."
              f"{hint} Showing {shown}.")
        return default
    if names and code not in names:
        note(f"The link's {key} value “{as_text(raw)}” names "
              f"{as_text(computed(la_resolver).name(code))}, which this page does not offer. "
              f"Showing {shown}.")
        return default
    return code


def la_suggestions(raw: str, names: Mapping[str, str], near: Sequence[str] = (),
                   n: int = 3) -> list[str]:
    """The names nearest to a mistyped LA: the resolver's close spellings (difflib over
    every known spelling, `near`), then names that start with or contain what was typed
    ("nott" -> Nottingham, Nottinghamshire), then looser difflib matches over the names
    (`names`: code -> name). A bare number suggests nothing: a near code is no nearer an LA."""
    import difflib

    from etl.local_authorities import name_key

    key = name_key(raw)
    if not key or key.isdigit():
        return list(near)[:n]
    by_key = {name_key(name): name for name in names.values()}
    starts = sorted(name for k, name in by_key.items() if k.startswith(key))
    inside = sorted(name for k, name in by_key.items() if key in k and name not in starts)
    loose = [by_key[k] for k in difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.5)]
    out = list(dict.fromkeys([*near, *starts, *inside, *loose]))
    return out[:n]


def _either(items: Sequence[str]) -> str:
    """'Kent', 'Kent or Brent', 'Kent, Brent or Bexley'."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


# Streamlit's date field commits a typed date only when the reader picks a day in its calendar
# or leaves the field: a reader who types 31/03/2025 and presses Enter (as in any other field)
# saw nothing happen. A keydown listener turns Enter in a date's day, month or year into the
# widget's own commit: a click on the calendar's highlighted day (the typed date; the widget
# then hands the focus back to the field), or, with the calendar closed, leaving the field and
# coming back to it.
_DATES_APPLY_ON_ENTER = """<script>
(() => {
  if (window.__datesApplyOnEnter) return;
  window.__datesApplyOnEnter = true;
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || e.isComposing || e.altKey || e.ctrlKey || e.metaKey) return;
    const part = e.target instanceof Element
      && e.target.closest('[data-testid="stDateInputField"] [role="spinbutton"]');
    if (!part) return;
    e.preventDefault();
    const day = document.querySelector('[data-testid="stDateInputCalendar"] '
      + '[role="gridcell"][aria-selected="true"] [role="button"]');
    if (day) { day.click(); return; }
    part.blur();
    requestAnimationFrame(() => { if (part.isConnected) part.focus(); });
  }, true);
})();
</script>"""


def dates_apply_on_enter() -> None:
    """Make Enter apply a typed date in every st.date_input of the app (call once per run, from
    app.py: the listener is installed once per browser tab)."""
    st.html(_DATES_APPLY_ON_ENTER, unsafe_allow_javascript=True, width=1)


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


def empty_state(message: str) -> None:
    st.info(message, icon=":material/search:")


def require_database() -> None:
    """Stop the page with what to do when the database has not been built; otherwise say how
    fresh the data are (every page, under its title)."""
    if not DB_PATH.exists():
        empty_state("The database has not been built yet: run `make build` (or "
                    "`python -m etl build`) and reload this page.")
        st.stop()
    status = data_status()
    if status["freshness"]:
        st.caption(f":material/update: {status['freshness']}")


def data_status() -> dict[str, Any]:
    """{'freshness': "Reports to ...; built ...", 'data_end': the newest report's date}."""
    from etl.figures.chart import data_status as status

    return computed(status)


def data_end_caveat(as_at: dt.date) -> str:
    """A sentence for beside a figure whose date is after the newest report held ('' if not)."""
    end = data_status()["data_end"]
    if end is None or as_at <= end:
        return ""
    return (f"The data end on {end.day} {end:%B %Y} (the newest report held): inspections "
            "published since are not counted.")


def show_data_end_caveat(as_at: dt.date) -> None:
    """The data-end caveat as a caption beside a figure about a date after the newest report
    (nothing otherwise)."""
    caveat = data_end_caveat(as_at)
    if caveat:
        st.caption(f":material/event_busy: {caveat}")


# ---------------------------------------------------------------- "today" after the reform

def seed_superseded(key: str) -> None:
    """Seed the `superseded_option` widget from the URL (call before show_url_notes)."""
    from etl.figures.categories import SUPERSEDED

    if key not in st.session_state:
        st.session_state[key] = url_choice("superseded", list(SUPERSEDED), "not_current")


def superseded_option(key: str, container: Any = None) -> str:
    """The pages' one control for LAs inspected since the April 2026 change (no overall
    grade): 'not_current' (default, their own category) or 'carry_forward' (the previous
    overall grade, flagged as superseded). URL: ?superseded=carry_forward."""
    from etl.figures.categories import SUPERSEDED

    seed_superseded(key)
    value = (container or st).radio(
        "LAs inspected since the April 2026 change (no overall grade)", list(SUPERSEDED),
        key=key, format_func=SUPERSEDED.get, horizontal=True,
        help="ILACS inspections starting on or after 20 April 2026 give no overall "
             "effectiveness grade. By default such an LA is shown as a category of its own "
             "(its other judgements are listed); carrying the previous grade forward counts "
             "it under that grade, flagged as superseded.")
    set_url(superseded=None if value == "not_current" else value)
    return value


def no_overall_table(as_at: dt.date, *, published_by: dt.date | None = None,
                     framework: str | None = None, include_secondary: bool = True,
                     only: Sequence[str] | None = None, key: str = "no-overall",
                     fit: bool = False) -> None:
    """The LAs with no current overall grade as at a date (their latest inspection started on
    or after the April 2026 change), their four other judgements and the superseded grade,
    in an expander: one click away wherever overall effectiveness is shown. `only`: these LA
    codes (e.g. a group of neighbours); `fit`: show only the grades, so the table fits a
    1440 px screen (the dates stay in the CSV)."""
    from etl.figures.export import export_data
    from etl.figures.style import grade_label

    # with `only`, those LAs' rows, not every LA's (at 1000 times today's data, 11,000 rows)
    rows = query("national/no_overall_grade", as_at=as_at, published_by=published_by,
                 framework=framework, include_secondary=include_secondary,
                 las=None if only is None else ",".join(sorted(set(only))))
    if rows.empty:
        return

    def label(g: object) -> str:
        return grade_label(g) if isinstance(g, str) else ""

    care_together = rows["children_in_care_and_care_leavers"].notna().any()
    table = pd.DataFrame({
        "Local authority": rows["la_name"],
        "Inspection started": pd.to_datetime(rows["start_date"]).dt.date,
        "Published": pd.to_datetime(rows["published_date"]).dt.date,
        "Impact of leaders": rows["leadership"].map(label),
        "Help and protection": rows["help_and_protection"].map(label),
        "Children in care": rows["children_looked_after"].map(label),
        "Care leavers": rows["care_leavers"].map(label),
        **({"Children in care and care leavers": rows["children_in_care_and_care_leavers"]
            .map(label)} if care_together else {}),
        "Previous overall grade (superseded)": rows["previous_grade"].map(label),
        "Previous grade published": pd.to_datetime(rows["previous_published"]).dt.date,
        "Report": rows["report_url"],
    })
    config: dict[str, Any] = {"Report": st.column_config.LinkColumn(
        "Report", display_text="open report")}
    if fit:
        # fits a 1440 px screen: the dates are in the CSV, the rest sized to their grades
        config = {"Inspection started": None, "Published": None,
                  "Previous grade published": None,
                  "Local authority": st.column_config.TextColumn(width=170),
                  **{c: st.column_config.TextColumn(width=140) for c in table.columns
                     if c not in ("Local authority", "Report", "Inspection started",
                                  "Published", "Previous grade published")},
                  "Previous overall grade (superseded)": st.column_config.TextColumn(
                      "Previous grade", width=140,
                      help="The overall grade before, superseded: not counted as current "
                           "unless you choose to carry it forward"),
                  "Report": st.column_config.LinkColumn("Report", display_text="Open",
                                                        width=60)}
    with st.expander(f"{len(rows)} LA{'s' if len(rows) != 1 else ''} with no overall grade "
                     "(inspected since the April 2026 change): their four other judgements"):
        st.dataframe(table, hide_index=True, width="stretch", key=f"tbl-{key}", placeholder="",
                     column_config=config)
        if fit:
            st.caption("When each was inspected and published, and when the previous grade "
                       "was, are in the CSV.")
        st.caption("ILACS inspections starting on or after 20 April 2026 give no overall "
                   "effectiveness grade; impact of leaders, help and protection, children in "
                   "care and care leavers are still judged. The previous overall grade is "
                   "superseded: it is not counted as current unless you choose to carry it "
                   "forward.")
        st.download_button("CSV", lambda: export_data(rows, "csv"), f"{key}.csv", "text/csv",
                           key=f"csv-{key}")


def no_data(exc: NoData) -> None:
    """Why a chart has nothing to draw: a warning when the method failed on the data, an
    empty state otherwise."""
    if isinstance(exc, CannotCompute):
        st.warning(str(exc), icon=":material/warning:")
    else:
        empty_state(str(exc))


# ---------------------------------------------------------------- charts

# cache_resource, not cache_data: a hit hands back the rendered Chart itself instead of
# unpickling a whole plotly figure (which was a large part of a warm page's time). Charts are
# therefore shared between sessions and never modified after render.
@st.cache_resource(show_spinner=False, max_entries=256)
def _rendered(build: str, kind: str, key: str, _params: Any) -> Chart | NoData:
    from etl.figures.registry import chart_module

    try:
        return chart_module(kind).render(cached_reads(), _params)
    except NoData as exc:  # cached too: an empty state costs its queries once
        return exc


def render(module: ModuleType, params: Any) -> Chart:
    """The chart module's `render(con, params)`, cached on (database build, chart, params);
    raises NoData (with what to try instead) when there is nothing to draw."""
    out = _rendered(build_id(), module.NAME, repr(params), params)
    if isinstance(out, NoData):
        raise out
    return out


def show(module: ModuleType, params: Any, key: str, **block: Any) -> Chart | None:
    """Render and draw a chart, or say why there is none."""
    try:
        chart = render(module, params)
    except NoData as exc:
        no_data(exc)
        return None
    chart_block(chart, key, **block)
    return chart


DAY_FORMAT = "D MMMM YYYY"  # 31 March 2025: the one date style of every table
DATE_COLUMN = st.column_config.DateColumn(format=DAY_FORMAT)


def _is_share(col: str) -> bool:
    return col.startswith("share") or "_share_" in col or col.endswith("_share")


def _is_dates(series: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    sample = series.dropna().head(20)
    return len(sample) > 0 and all(isinstance(v, dt.date) for v in sample)


def plain_columns(columns: Sequence[str], labels: Mapping[str, str | None] | None = None,
                  dates: Sequence[str] = (), *, frame: pd.DataFrame | None = None,
                  values: Mapping[str, Mapping[Any, str]] | None = None,
                  shares: Sequence[str] = (), hide: Sequence[str] = ()) -> dict[str, Any]:
    """A table's column_config showing its data in plain English: each column named in words
    (`labels`, else its name with spaces), shares (0-1; named share… or listed in `shares`) as
    percentages, `dates` (and, given the `frame`, every date column) as "31 March 2025", coded
    values in words (`values`: column -> {code: words}) and the columns in `hide` or labelled
    None (codes that repeat a labelled column) left out. Only the display changes: the
    CSV/XLSX downloads keep the frame's names and values."""
    config: dict[str, Any] = {}
    for col in columns:
        name = str(col)
        label = (labels or {}).get(col) or name.replace("_", " ").capitalize()
        if col in hide or (labels and col in labels and labels[col] is None):
            config[col] = None
        elif col in dates:
            config[col] = st.column_config.DateColumn(label, format=DAY_FORMAT)
        elif values and col in values:
            words = dict(values[col])
            config[col] = st.column_config.SelectboxColumn(
                label, options=list(words), format_func=lambda v, w=words: w.get(v, str(v)))
        elif _is_share(name) or col in shares:
            config[col] = st.column_config.NumberColumn(label, format="percent")
        elif frame is not None and col in frame.columns and _is_dates(frame[col]):
            config[col] = st.column_config.DateColumn(label, format=DAY_FORMAT)
        else:
            config[col] = st.column_config.Column(label)
    return config


def wrapping_table(frame: pd.DataFrame) -> None:
    """A small table as static text whose cells wrap to the page's width (a grid would cut its
    cells short or scroll sideways), its first column as the row headings: a real HTML table
    for screen readers. Long tables stay grids (st.dataframe), which sort and search."""
    st.table(frame.set_index(frame.columns[0]))


def table_config(frame: pd.DataFrame, column_config: Mapping[str, Any] | None = None
                 ) -> dict[str, Any]:
    """A chart's data table config: the page's, with every column it leaves out named in words,
    any date column it names but does not format shown as "31 March 2025", a text column with
    one value in every row (a code such as the chart's measure, which its title names) left out
    of the screen table, and widths that fit the page (the downloads keep every column)."""
    config = plain_columns(list(frame.columns), frame=frame)
    for col, given in dict(column_config or {}).items():
        if isinstance(given, str):  # Streamlit takes a bare label for a column
            given = st.column_config.Column(given)
        if (isinstance(given, dict) and not given.get("type_config") and col in frame.columns
                and _is_dates(frame[col])):
            given = st.column_config.DateColumn(given.get("label"), format=DAY_FORMAT)
        config[col] = given
    if len(frame) >= 3:
        for col in frame.columns:
            values = frame[col]
            if ((values.dtype == object or pd.api.types.is_string_dtype(values))
                    and values.notna().all() and values.nunique() == 1 and not _is_dates(values)):
                config[col] = None
    return fit_widths(frame, config)


# The width a table has inside a chart's expander on a 1440 px screen with the sidebar open:
# a table wider than this scrolls sideways there, so its columns are narrowed to fit.
TABLE_WIDTH = 900
_CHAR_PX = 7.4  # Source Sans at 14 px, an average character
FLOOR_PX = 52  # a column narrower than this shows nothing useful


def _wanted_px(series: pd.Series, label: str, cfg: Mapping[str, Any]) -> float:
    """The width a column would like: its heading or its longest usual value, whichever is
    wider (values as shown: a share as "12%", a date as "30 September 2025")."""
    kind = (cfg.get("type_config") or {}).get("type")
    fmt = (cfg.get("type_config") or {}).get("format")
    if kind == "date":
        chars = 17.0
    elif fmt == "percent":
        chars = 5.0
    elif kind == "selectbox":
        labels = [str(o.get("label", "")) for o in (cfg.get("type_config") or {}).get(
            "options", []) if isinstance(o, dict)]
        chars = max((len(t) for t in labels), default=10)
    elif kind == "link":
        chars = 12.0
    else:
        text = series.dropna().astype(str).str.len()
        chars = float(text.quantile(0.9)) if len(text) else 4.0
        if pd.api.types.is_float_dtype(series):
            chars = min(chars, 8.0)
    return max(min(chars, 42) * _CHAR_PX, len(label) * _CHAR_PX * 0.55) + 26


def fit_widths(frame: pd.DataFrame, config: dict[str, Any], target: int = TABLE_WIDTH
               ) -> dict[str, Any]:
    """Column widths for the shown columns (config not None) so the table fits `target` px:
    each column as wide as it wants when they all fit, else all narrowed in proportion (not
    below 52 px; a heading that does not fit shows in full on hover). Widths a page set are
    kept."""
    shown = [c for c in frame.columns if config.get(c, {}) is not None]
    wanted = {}
    for col in shown:
        cfg = config.get(col) or {}
        label = str(cfg.get("label") or col)
        wanted[col] = _wanted_px(frame[col], label, cfg)
    fixed = sum(int(w) for c in shown if isinstance(w := (config.get(c) or {}).get("width"),
                                                      int))
    free = [c for c in shown if not isinstance((config.get(c) or {}).get("width"), int)]
    room = max(target - fixed, FLOOR_PX * len(free))
    # narrow in proportion; a column that would fall below the floor keeps the floor, and the
    # others share what is left
    widths: dict[str, int] = {}
    while True:
        rest = [c for c in free if c not in widths]
        total = sum(wanted[c] for c in rest)
        left = room - sum(widths.values())
        scale = min(1.0, left / total) if total else 1.0
        low = [c for c in rest if wanted[c] * scale < FLOOR_PX]
        if not low:
            widths.update({c: int(wanted[c] * scale) for c in rest})
            break
        widths.update({c: FLOOR_PX for c in low})
    out = dict(config)
    for col in free:
        cfg = dict(config.get(col) or st.column_config.Column(str(col)))
        cfg["width"] = widths[col]
        if cfg["width"] < len(str(cfg.get("label") or col)) * _CHAR_PX + 20 and not cfg.get("help"):
            cfg["help"] = cfg.get("label") or str(col)
        out[col] = cfg
    return out


# Plotly's toolbar, trimmed to what a reader uses (download, zoom, pan, reset): fewer buttons
# keep its corner clear of the title (etl/figures/style.MODEBAR_ROOM).
PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"scale": 3},
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d",
                               "toggleSpikelines", "hoverClosestCartesian",
                               "hoverCompareCartesian"],
}
_KEY = re.compile(r"[A-Za-z0-9_-]+")
IMAGE_MIMES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def figure_text(text: object) -> list[str]:
    """A figure's title, subtitle or footer (plotly's HTML subset) as plain lines."""
    import html

    lines = re.split(r"<br\s*/?>|\n", str(text or ""))
    return [html.unescape(re.sub(r"<[^>]+>", "", line)).strip() for line in lines
            if line.strip()]


def _narrow_style(chart: Chart, key: str) -> str:
    """CSS for one chart block on a screen narrower than the figure's design (a phone).

    The figure is the export's, designed at DESIGN_WIDTH px; squeezed into 360 px its title
    and notes would run off the edge and its labels collide. Below that width the block shows
    the title, subtitle and notes as page text that wraps (they are hidden otherwise), trims
    those bands off the figure, and keeps the plot at its design width, scrolling sideways
    inside its own box (WCAG 1.4.10 lets a chart scroll in two dimensions)."""
    screen = (chart.figure.layout.meta or {}).get("screen") or {}
    head, foot = int(screen.get("head", 0)), int(screen.get("foot", 0))
    wide = int(screen.get("min_width", 800))
    full = int(chart.figure.layout.height or 0)
    shown = full - head - foot
    block, fig = f".st-key-cb-{key}", f".st-key-chart-{key}"
    return (
        f"<style>{block}{{container-type:inline-size;container-name:chart}}"
        f"{block} .st-key-head-{key},{block} .st-key-foot-{key}{{display:none}}"
        f"@container chart (max-width:{wide - 1}px){{"
        f"{block} .st-key-head-{key},{block} .st-key-foot-{key}{{display:flex}}"
        f"{fig}{{overflow-x:auto;overflow-y:hidden;height:{shown}px;flex:0 0 {shown}px}}"
        f"{fig}>div{{min-width:{wide}px;height:{full}px;margin-top:-{head}px}}}}"
        "</style>") if shown > 0 else ""


def chart_block(chart: Chart, key: str,
                column_config: Mapping[str, Any] | None = None) -> None:
    """A chart, its downloads in one click each (CSV and XLSX of the data exactly as plotted,
    print-ready PNG/SVG/PDF and a paper pack), then (expandable) the data, its alt text and
    where it came from (named queries and the `python -m etl export` command that redraws
    it). The figure is the one the export draws; on a phone its title and notes are also
    printed as page text (see _narrow_style)."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"chart key {key!r}: letters, digits, - and _ only (it names CSS)")
    screen = (chart.figure.layout.meta or {}).get("screen") or {}
    with st.container(key=f"cb-{key}"):
        style = _narrow_style(chart, key)
        if style:
            st.html(style)
        with st.container(key=f"head-{key}", gap=None):
            st.markdown("**" + as_text(chart.spec.title, limit=1000) + "**")
            for part in screen.get("subtitle", ()):
                st.caption("  \n".join(as_text(line, limit=2000) for line in figure_text(part)))
            st.caption(":material/swipe: The chart is wider than this screen: scroll it "
                       "sideways. Its numbers are in the table under it.")
        # The figure itself carries title, as-at date, basis and source line (so a pasted PNG
        # explains itself); repeating them under it would only add clutter on a wide screen.
        st.plotly_chart(chart.figure, width="stretch", key=f"chart-{key}", config=PLOTLY_CONFIG)
        with st.container(key=f"foot-{key}", gap=None):
            for part in screen.get("footer", ()):
                st.caption("  \n".join(as_text(line, limit=2000) for line in figure_text(part)))
        downloads(chart, key)
        _about(chart, key, column_config)


def _about(chart: Chart, key: str, column_config: Mapping[str, Any] | None) -> None:
    from etl.cli.figures import export_argv

    with st.expander("Data behind this chart, alt text and source"):
        st.dataframe(chart.data, hide_index=True, width="stretch", placeholder="",
                     column_config=table_config(chart.data, column_config))
        st.markdown("**Alt text:** " + as_text(chart.alt_text, limit=10_000))
        sources = ", ".join(f"`sql/queries/{name}.sql`" for name in chart.queries)
        command = shlex.join(export_argv(chart.kind, params_json(chart.params)))
        st.caption((f"**Source:** {sources} on the database built {last_build()}. "
                    if sources else "") +
                   "Redraw: " + code_span(f"python -m etl export {command} --format pack "
                                          "--out FILE"))


def downloads(chart: Chart, key: str) -> None:
    """One button per format, each a single click: the file is made when the button is
    pressed (Streamlit calls `data` then, on a thread of its own, without rerunning the page),
    so the page pays nothing for exports nobody asks for. The images come from the same
    figure through kaleido and chromium (etl.figures.export), cached on the figure."""
    from etl.figures.export import about, chromium_available, export_data

    build = last_build()  # read here: the callables run outside the script run
    with st.container(key=f"dl-{key}", horizontal=True, gap="small"):
        st.download_button("CSV", lambda: export_data(chart.data, "csv"), f"{key}.csv",
                           "text/csv", key=f"csv-{key}", on_click="ignore",
                           icon=":material/download:", help="The data as plotted (CSV)")
        st.download_button("XLSX", lambda: export_data(chart.data, "xlsx", about=about(chart)),
                           f"{key}.xlsx", XLSX_MIME, key=f"xlsx-{key}", on_click="ignore",
                           icon=":material/download:",
                           help="The data as plotted, with a sheet saying what it is (Excel)")
        ok, reason = chromium_available()
        if not ok:
            st.caption(f"Image exports unavailable: {as_text(reason)}")
            return
        for fmt, what in (("png", "print-ready image, 2000 px wide"),
                          ("svg", "vector image"), ("pdf", "vector PDF")):
            st.download_button(fmt.upper(), partial(_image, chart, fmt), f"{key}.{fmt}",
                               IMAGE_MIMES[fmt], key=f"{fmt}-{key}", on_click="ignore",
                               icon=":material/download:", help=f"The chart as a {what}")
        st.download_button("Paper pack", partial(_pack, chart, build), f"{key}.zip",
                           "application/zip", key=f"zip-{key}", on_click="ignore",
                           icon=":material/folder_zip:",
                           help="A zip: the chart as PNG, SVG and PDF, its data as CSV and "
                                "XLSX, alt text and metadata.json")


def _image(chart: Chart, fmt: str) -> bytes:
    from etl.figures.export import export_figure

    return export_figure(chart.figure, fmt)


def _pack(chart: Chart, build: str) -> bytes:
    from etl.figures.export import paper_pack

    return paper_pack(chart, {"data_build": build})
