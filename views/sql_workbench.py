"""SQL workbench: read-only ad-hoc SQL over the model, with the schema alongside, examples that
answer the council papers' questions, downloads, a quick chart (exported in one click), and the
query kept in the URL
(?q=...) so a link reproduces it. Every query goes through etl.warehouse.safe_sql's checks, in
a worker process of its own (etl.warehouse.sandbox) with row, size, time and memory limits.

A query that arrives in a link is shown, not run, until the reader presses Run: the link is
someone else's query, and whoever opens it would otherwise pay for it (a cost estimate from
DuckDB's planner is not reliable enough to decide for them, table macros least of all)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from etl.figures import workbench
from etl.figures.chart import Chart, NoData
from etl.figures.export import export_data
from etl.warehouse.queries import examples
from etl.warehouse.safe_sql import (
    MAX_SQL_CHARS,
    QueryFailed,
    QueryRefused,
    QueryTimeout,
    QueryTooLarge,
)
from etl.warehouse.sandbox import Limits
from views._shared import (
    SOURCE_LINE,
    as_text,
    chart_block,
    query,
    require_database,
    sandbox,
    seed_state,
    set_url,
    show_url_notes,
)

LIMITS = Limits()

EXAMPLES: dict[str, str] = examples()
DEFAULT_SQL = next(iter(EXAMPLES.values()))


def _load_example() -> None:
    # on_change runs before the script, so the text area can still be set.
    st.session_state["wb_sql"] = EXAMPLES[st.session_state["wb_example"]]


def _execute(sql: str) -> dict:
    """Run once and keep the outcome: a result or one message, never a traceback."""
    try:
        result = sandbox().run(sql)
    except QueryRefused as exc:
        return {"sql": sql, "kind": "refused", "message": str(exc)}
    except (QueryTimeout, QueryTooLarge) as exc:
        return {"sql": sql, "kind": "limit", "message": str(exc)}
    except QueryFailed as exc:
        return {"sql": sql, "kind": "failed", "message": str(exc)}
    except Exception as exc:  # noqa: BLE001 - the page shows a message, never a traceback
        return {"sql": sql, "kind": "failed", "message": f"{type(exc).__name__}: {exc}"}
    return {"sql": sql, "kind": "ok", "result": result, "at": dt.datetime.now()}


@st.cache_resource(show_spinner=False, max_entries=32)
def _chart(sql: str, category: str, number: str, ran_at: dt.datetime,
           _result: pd.DataFrame) -> Chart | NoData:
    """The result's chart, kept per run of a query (ran_at) and choice of columns."""
    try:
        return workbench.chart(_result, workbench.Params(sql=sql, category=category,
                                                         number=number), ran_on=ran_at.date())
    except NoData as exc:
        return exc


def _schema() -> None:
    st.header("Schema")
    schema = query("workbench/schema")
    for kind, label in (("table", "Tables"), ("view", "Views")):
        st.markdown(f"**{label}**")
        objs = schema[schema["kind"] == kind]
        for name, cols in objs.groupby("name", sort=True):
            desc = cols["description"].iloc[0]
            n_rows = cols["n_rows"].iloc[0]
            size = "" if pd.isna(n_rows) else f" · {int(n_rows):,} rows"
            with st.expander(f"{name}{size}"):
                if isinstance(desc, str) and desc:
                    st.caption(desc)
                st.dataframe(
                    pd.DataFrame({"Column": cols["column_name"], "Type": cols["data_type"],
                                  "Description": cols["column_description"].fillna("")}),
                    hide_index=True, width="stretch")
    macros = query("workbench/macros")
    st.markdown("**Table macros** (use in FROM)")
    st.code("\n".join(f"{r.name}({', '.join(r.parameters)})" for r in macros.itertuples()),
            language="sql", wrap_lines=True)
    st.caption("Grades: outstanding, good, requires_improvement, inadequate, not_judged. "
               "Areas: overall_effectiveness, leadership, help_and_protection, "
               "children_looked_after, children_in_care_and_care_leavers, care_leavers, "
               "adoption, lscb, any_practice. Frameworks: SLAC, LAC2013, SIF, ILACS.")


def _result(last: dict, sql: str) -> None:
    result = last["result"]
    df = result.to_dataframe()
    note = (f"{len(df):,} row{'s' if len(df) != 1 else ''} × {len(df.columns)} columns in "
            f"{result.elapsed_s * 1000:,.0f} ms")
    if result.truncated:
        st.warning(f"{note}: **truncated**, {result.limit_message()}; the query returns "
                   "more. Aggregate or add a LIMIT to see everything.",
                   icon=":material/content_cut:")
    else:
        st.caption(note)
    # years as 2014, not 2,014 or 2014.0 (DuckDB's integers arrive as floats beside a NULL)
    st.dataframe(df, hide_index=True, width="stretch", column_config={
        c: st.column_config.NumberColumn(format="%d") for c in df.columns
        if workbench.is_year(df[c])})
    st.caption("Column types: " + ", ".join(
        f"{as_text(c)} {as_text(t)}" for c, t in zip(result.columns, result.types, strict=True)))
    if len(df.columns):
        about = {"query": sql, "run at": f"{last['at']:%Y-%m-%d %H:%M}",
                 "rows": f"{len(df)}{' (truncated)' if result.truncated else ''}",
                 "source": SOURCE_LINE}
        row = st.container(horizontal=True)
        row.download_button("CSV", export_data(df, "csv"), "query.csv", "text/csv",
                            key="wb-csv")
        row.download_button(
            "XLSX", export_data(df, "xlsx", about=about), "query.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="wb-xlsx")
    cats, nums = workbench.chart_columns(df)
    if not (len(df) and any(n != c for c in cats for n in nums)):
        if len(df):
            st.caption(workbench.NO_CHART)
        return
    st.markdown("**Chart**")
    c1, c2 = st.columns(2)
    # Keys follow the columns, so a new result starts from its own defaults.
    sig = abs(hash((*cats, "|", *nums)))
    cat = c1.selectbox("Along the axis", cats, key=f"wb_cat-{sig}",
                       help="Text, a date or a whole number such as a year.")
    drawn = [n for n in nums if n != cat]
    if not drawn:
        st.caption(workbench.NO_CHART)
        return
    num = c2.selectbox("Number", drawn, key=f"wb_num-{sig}")
    chart = _chart(sql, cat, num, last["at"], df)
    if isinstance(chart, NoData):
        st.caption(str(chart))
        return
    chart_block(chart, "wb", column_config={
        c: st.column_config.NumberColumn(str(c), format="%d")
        for c in chart.data.columns if workbench.is_year(chart.data[c])})
    _chart_downloads(chart)
    if len(df) > workbench.MAX_BARS:
        st.caption(f"The chart shows the first {workbench.MAX_BARS} rows.")


def _chart_downloads(chart: Chart) -> None:
    """The chart for a paper in one click: each file is drawn when its button is pressed."""
    from etl.figures.export import chromium_available, export_figure

    ok, reason = chromium_available()
    if not ok:
        st.caption(f"Chart downloads unavailable: {reason}")
        return
    mimes = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
    row = st.container(horizontal=True)
    for fmt, mime in mimes.items():
        row.download_button(f"Chart ({fmt.upper()})",
                            lambda fmt=fmt: export_figure(chart.figure, fmt),
                            f"query-chart.{fmt}", mime, key=f"wb-chart-{fmt}",
                            on_click="ignore")


def main() -> None:
    st.title("SQL workbench")
    require_database()
    st.caption(f"Ask the model anything with one read-only SELECT. Each query has "
               f"{LIMITS.describe()}; files, URLs and changes to the database are refused. The "
               "table macros (grade_distribution, latest_judgements, neighbour_judgements, "
               "cycle_progress…) give the figures the other pages show.")

    url_sql = st.query_params.get("q")
    if url_sql is not None and len(url_sql) > MAX_SQL_CHARS:
        st.error(f"This link holds a query of {len(url_sql):,} characters; the workbench takes "
                 f"queries of up to {MAX_SQL_CHARS:,}. Paste the query instead.",
                 icon=":material/block:")
        url_sql = None
    show_url_notes()
    from_link = bool(url_sql and url_sql.strip())
    if "wb_sql" not in st.session_state and from_link:
        # shown, not run: see the module docstring
        st.session_state["wb_last"] = {"sql": url_sql, "kind": "from_link"}
    seed_state("wb_sql", url_sql if from_link else DEFAULT_SQL)

    left, right = st.columns([3, 2], gap="large")
    with right, st.container(height=560, border=False):
        _schema()  # scrolls beside the editor, so results and chart below get the full width
    with left:
        st.selectbox("Load an example", list(EXAMPLES), index=None, key="wb_example",
                     placeholder="Examples that answer the council papers' questions…",
                     on_change=_load_example)
        sql = st.text_area("SQL (one SELECT; Ctrl+Enter or Run)", key="wb_sql", height=220)
        run = st.button("Run", type="primary", key="wb_run")

        last = st.session_state.get("wb_last")
        if run or last is None or last["sql"] != sql:
            last = _execute(sql)
            st.session_state["wb_last"] = last
        set_url(q=sql.strip() or None)

        if last["kind"] == "from_link":
            st.info("This query came with the link and has not been run: read it, then press "
                    "**Run**.", icon=":material/link:")
        elif last["kind"] == "refused":
            st.error(f"**Refused:** {as_text(last['message'], limit=2_000)}.",
                     icon=":material/block:")
        elif last["kind"] == "limit":
            st.warning(f"**Stopped:** {as_text(last['message'], limit=2_000)}. Narrow the query "
                       "with filters, aggregates or a LIMIT.", icon=":material/timer:")
        elif last["kind"] == "failed":
            st.error("**DuckDB could not run the query:**", icon=":material/warning:")
            st.code(last["message"], language=None)
    if last["kind"] == "ok":
        _result(last, sql)

main()
