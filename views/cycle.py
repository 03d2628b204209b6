"""Cycle completion, opening on the current framework: when each LA is next due an ILACS
inspection (and the rule that gives the date), how far Ofsted has got through the cycle under
the framework as changed in April 2026 and when it will finish at the recent rate, and, lower
down, how good that projection would have been (the SIF cycle projected from October 2014, as
the Kent CC paper of December 2014 did, when the current cycle is too young to test).
URL: ?fw=ILACS&as_at=...&start=...&window=12&due_at=..."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from etl.figures import cycle, cycle_backtest
from etl.figures.chart import FRAMEWORK_START, CannotCompute, NoData
from etl.figures.export import export_data
from etl.figures.la_timeline import TYPE_LABELS
from etl.figures.style import CHART_GRADES, format_date, format_pct, grade_label
from etl.vocab import ILACS_REFORM_FROM, NO_OVERALL_GRADE
from etl.warehouse.reconcile import cycle_years
from views._shared import (
    SOURCE_LINE,
    TODAY,
    chart_block,
    computed,
    empty_state,
    no_data,
    query,
    render,
    require_database,
    seed_state,
    set_url,
    show_data_end_caveat,
    show_url_notes,
    url_choice,
    url_date,
)
from views._tables import (
    count_column,
    day_column,
    month_column,
    percent_column,
    words_column,
)

FRAMEWORK_NAMES = {
    "SIF": "Single inspection framework (SIF), Nov 2013 – 2018",
    "ILACS": "Inspection of local authority children's services (ILACS), 2018 –",
}
CURRENT_FRAMEWORK = "ILACS"
# By default ILACS counts the cycle under the framework as changed from late April 2026
# (no overall grade): every LA already had an ILACS inspection under the first version.
DEFAULT_START = {"SIF": None, "ILACS": dt.date.fromisoformat(ILACS_REFORM_FROM)}
WINDOWS = tuple(str(w) for w in cycle.Params.__dataclass_fields__["window_months"]
                .metadata["choices"])
DUE_SOON_DAYS = 183
# The most rows a list on the page shows (at scale, every LA is far more than a reader scrolls);
# the counts above a list are of every LA, and its CSV has them all.
MAX_ROWS = 1000
REFORM = dt.date.fromisoformat(ILACS_REFORM_FROM)
# The projection the Kent CC cabinet committee paper of 3 December 2014 made ("22% inspected
# by October 2014 ... 3.5-4 years to complete the cycle"): the backtest shown when the chosen
# cycle is too young to test the method on.
SIF_PAPER_AS_AT = dt.date(2014, 10, 31)

# The charts' data in words (their CSV/XLSX keep the codes).
SERIES_WORDS = {"actual": "Inspected", "projection": "Projection",
                "projection_high": "Projection: fast end of the range",
                "projection_low": "Projection: slow end of the range",
                "actual_after_as_at": "Inspected after the date (what happened next)"}
CYCLE_COLUMNS = {
    "date": day_column("Date"),
    "n_inspected": count_column("LAs inspected"),
    "n_las": count_column("LAs"),
    "share": percent_column("Share inspected"),
    "series": words_column("Line", SERIES_WORDS),
}
BACKTEST_COLUMNS = {  # widths that fit the ten columns on a 1440 px screen
    "as_at": day_column("Projected at", width=130),
    "n_inspected": count_column("Inspected", width=80),
    "n_las": count_column("LAs", width=55),
    "share": percent_column("Share", width=65),
    "inspected_in_window": count_column("In the window", width=105),
    "rate_per_month": st.column_config.NumberColumn("A month", format="%.1f", width=75),
    "projected_completion": month_column("Completion", width=95),
    "completion_earliest": month_column("Earliest", width=85),
    "completion_latest": month_column("Latest", width=85),
    "error_months": st.column_config.NumberColumn(
        "Error (months)", format="%+.1f", width=110,
        help="How far the projection was from the cycle's end: + too late, − too early."),
}
EVIDENCE_WORDS = {"primary": "Ofsted document", "derived": "Scraped list or council paper",
                  "secondary": "News or council web page only"}


def _years(start: dt.date, end: object) -> float | None:
    if end is None or pd.isna(end):
        return None
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / 365.25


def _headline(params: cycle.Params) -> pd.Series:
    """Inspected so far, projected completion and its range; returns the projection row."""
    p = query(cycle.PROJECTION, framework=params.framework, from_date=params.as_at,
              to_date=params.as_at, cycle_start=params.cycle_start,
              window_months=params.window_months).iloc[-1]
    n0, n_las = int(p["n_inspected"]), int(p["n_las"])
    m1, m2, m3 = st.columns([1, 1, 1.5])
    m1.metric(f"Inspected by {format_date(params.as_at)}", f"{n0} of {n_las}",
              f"{format_pct(n0 / n_las)} of LAs, a published {params.framework} report",
              delta_color="off", delta_arrow="off")
    if n0 >= n_las:
        m2.metric("Projected completion", "Complete")
    elif pd.isna(p["projected_completion"]):
        m2.metric("Projected completion", "No recent inspections",
                  f"none in the last {params.window_months} months", delta_color="off",
                  delta_arrow="off")
    else:
        start = cycle.origin(params)
        yrs = _years(start, p["projected_completion"])
        m2.metric("Projected completion", f"{pd.Timestamp(p['projected_completion']):%b %Y}",
                  f"{yrs:.1f} years after {format_date(start)}", delta_color="off",
                  delta_arrow="off")
        lo, hi = p["completion_earliest"], p["completion_latest"]
        m3.metric("Uncertainty range", f"{pd.Timestamp(lo):%b %Y} – {pd.Timestamp(hi):%b %Y}"
                  if not (pd.isna(lo) or pd.isna(hi)) else "—",
                  f"{float(p['rate_per_month']):.1f} a month ({int(p['inspected_in_window'])} "
                  f"in {int(p['window_months'])} months)",
                  delta_color="off", delta_arrow="off")
    show_data_end_caveat(params.as_at)
    return p


def _published_figures(fw: str, window: int) -> None:
    """Figures papers published about this cycle, beside ours on the same basis (the years
    to complete computed as `python -m etl reconcile` computes them)."""
    refs = query("cycle/reference_figures", framework=fw)
    # A published range ("3.5-4 years") is stored as two figures: show it once.
    years = refs[refs["basis"] == "cycle_years"]
    if len(years) > 1:
        keep = years.index[0]
        lo_y, hi_y = years["value"].min(), years["value"].max()
        refs.loc[keep, "description"] = (f"Projected years to complete the {fw} cycle: "
                                         f"{lo_y:g}–{hi_y:g}")
        refs = refs.drop(index=years.index[1:])
    if refs.empty:
        return
    with st.container(border=True):
        st.markdown("**Published figures on this cycle, beside ours**")
        for r in refs.itertuples():
            ref_at = pd.Timestamp(r.as_at).date()
            ours = ""
            if r.basis in ("cycle_share", "cycle_count"):
                row = query(cycle.PROGRESS, framework=fw, from_date=ref_at, to_date=ref_at,
                            cycle_start=None)
                if not row.empty:
                    k, n = int(row["n_inspected"].iloc[0]), int(row["n_las"].iloc[0])
                    ours = (f" — **ours: {k} of {n} ({format_pct(k / n)})** with a published "
                            f"report by {format_date(ref_at)}")
            elif r.basis == "cycle_years":
                at = computed(cycle_years, fw, ref_at, FRAMEWORK_START[fw], window)
                if at is not None:
                    band = (f", range {at.earliest:%b %Y} – {at.latest:%b %Y}"
                            if at.earliest and at.latest else "")
                    ours = (f" — **ours as at {format_date(ref_at)}: {at.years:.1f} years** "
                            f"(completion {at.completion:%b %Y}{band}; {window}-month rate)")
            st.markdown(f"- {r.description} — *{cycle.paper_name(r.source)}*{ours}")
        st.caption("Papers may count inspections carried out rather than reports published, "
                   "or use another cut-off; the gap is shown, not forced.")


def _backtest_story(params: cycle.Params) -> None:
    """When the cycle ended (or why it has not), before its backtest chart."""
    start, fw = cycle.origin(params), params.framework
    end = computed(cycle_backtest.cycle_end, params)
    if end.label == "Actual completion":
        st.markdown(f"Every LA had a published {fw} inspection by the month ending "
                    f"**{format_date(end.date)}** ({_years(start, end.date):.1f} years after "
                    f"{format_date(start)}). Each point is what the projection said at a month "
                    "end.")
    elif end.date is not None:
        gap = query("cycle/cycle_remaining", framework=fw, as_at=end.date,
                    cycle_start=params.cycle_start, max_rows=None)
        st.markdown(f"The collection never reaches every LA: the count peaks at "
                    f"**{end.n_inspected} of {end.n_las}** in the month ending "
                    f"**{format_date(end.date)}** ({_years(start, end.date):.1f} years after "
                    f"{format_date(start)}), which stands in for the cycle's end. Missing then: "
                    + ", ".join(f"{r.la_name} ({r.evidence_held or 'nothing held'}, undated)"
                                if r.undated_inspections else r.la_name
                                for r in gap.itertuples()) + ".")
    else:
        st.markdown(f"The cycle is not complete: {end.n_inspected} of {end.n_las} LAs by "
                    f"{format_date(end.last_month)}. Each point is what the projection said "
                    "at a month end.")


def _backtest(params: cycle.Params) -> None:
    """The chosen cycle's backtest; when it is too young to test the projection on, the SIF
    cycle's, projected from October 2014 as the Kent CC paper of December 2014 did."""
    st.header("Backtest: how good is the projection?")
    try:
        chart = render(cycle_backtest, params)
    except CannotCompute as exc:
        _backtest_story(params)
        no_data(exc)
        return
    except NoData as exc:
        if params.framework == "SIF":
            _backtest_story(params)
            no_data(exc)
            return
        st.markdown(f"{exc} The same method, tested on the SIF cycle of 2013–18 instead, "
                    f"projecting from **{format_date(SIF_PAPER_AS_AT)}** as the Kent CC "
                    "cabinet committee paper of December 2014 did:")
        params = cycle.Params(framework="SIF", as_at=SIF_PAPER_AS_AT, cycle_start=None,
                              window_months=params.window_months)
        try:
            chart = render(cycle_backtest, params)
        except NoData as sif_exc:
            no_data(sif_exc)
            return
    _backtest_story(params)
    chart_block(chart, f"cycle-backtest-{params.framework}", column_config=BACKTEST_COLUMNS)


def _next_due() -> dt.date:
    """Every LA's next ILACS inspection by the three-year rule, overdue ones first; returns
    the date it is as at."""
    st.header("When is each LA next due an ILACS inspection?")
    # a fixed width, not a quarter-width column: stacked on a phone, empty columns leave a gap
    due_at = st.date_input("As at", key="cy_due_at", min_value=dt.date(2018, 1, 1),
                           max_value=TODAY, format="DD/MM/YYYY", width=240)
    # counted in SQL, and only the rows the table shows read (at 1000 times today's LAs,
    # every LA's row is 153,000 rows to hand over)
    counts = query("cycle/ilacs_next_due_counts", as_at=due_at, soon_days=DUE_SOON_DAYS).iloc[0]
    if int(counts["n_las"]) == 0:
        empty_state("No LAs existed on that date.")
        return due_at
    d1, d2, d3 = st.columns(3)
    d1.metric("Overdue (over 3 years since the last)", int(counts["n_overdue"]))
    d2.metric("Due within 6 months", int(counts["n_due_soon"]))
    d3.metric("No ILACS inspection yet", int(counts["n_never"]))
    show_data_end_caveat(due_at)
    only = st.toggle("Show only overdue or due within 6 months", value=False, key="cy_due_only")
    due = query("cycle/ilacs_next_due_first", as_at=due_at, soon_days=DUE_SOON_DAYS,
                only_due=only, max_rows=MAX_ROWS)
    due["next_due"] = pd.to_datetime(due["next_due"]).dt.date
    soon = due["due_soon"].fillna(False).astype(bool)
    never = due["last_inspected"].isna()
    overdue = due["overdue"].fillna(False).astype(bool)
    status = pd.Series("", index=due.index)
    status[soon] = "Due within 6 months"
    status[overdue] = "⚠ Overdue"
    status[never] = "No ILACS inspection yet"
    table = pd.DataFrame({
        "Status": status, "Local authority": due["la_name"], "Region": due["region_name"],
        "Last inspection": due["inspection_type"].map(
            lambda t: TYPE_LABELS.get(t, t).capitalize() if isinstance(t, str) else ""),
        "Last inspected": pd.to_datetime(due["last_inspected"]).dt.date,
        "Last overall grade": [
            grade_label(NO_OVERALL_GRADE)
            if g == "not_judged" and not pd.isna(d) and pd.Timestamp(d) >= pd.Timestamp(REFORM)
            else grade_label(g) if isinstance(g, str) and g in CHART_GRADES else ""
            for g, d in zip(due["last_overall"], due["last_inspected"], strict=True)],
        "Next due (about)": due["next_due"],
    })
    st.dataframe(table, hide_index=True,
                 width="stretch", placeholder="", key="cy-due-table",
                 # widths that fit a 1440 px screen with the longest region, grade and date
                 column_config={
                     "Status": st.column_config.TextColumn(width=100),
                     "Local authority": st.column_config.TextColumn(width=165),
                     "Region": st.column_config.TextColumn(width=160),
                     "Last inspection": st.column_config.TextColumn(width=125),
                     "Last inspected": day_column("Last inspected", width=120),
                     "Last overall grade": st.column_config.TextColumn(width=150),
                     "Next due (about)": day_column("Next due (about)", width=120)})
    listed = int(counts["n_shown_due"] if only else counts["n_las"])
    if listed > len(due):
        st.caption(f"The first {len(due):,} of {listed:,} LAs, the next due first; the CSV "
                   "below has every LA.")
    st.caption(f"**The rule:** {cycle.NEXT_DUE_RULE}. {cycle.NEXT_DUE_CAVEAT} The newest "
               f"report in the collection was published {format_date(_latest_report())}: an "
               "LA inspected since then still shows as overdue. One LA's date, with how the "
               "rule gives it, is on its Local authority profile. " + SOURCE_LINE)
    # every LA's row, read when the button is pressed (not on every render)
    st.download_button("Download the next-due dates (CSV)",
                       lambda: export_data(query(cycle.NEXT_DUE, as_at=due_at), "csv"),
                       f"ilacs-next-due-{due_at}.csv", "text/csv", key="cy-due-csv",
                       on_click="ignore")
    return due_at


def _latest_report() -> dt.date:
    return computed(cycle.latest_report)


def _remaining(fw: str, as_at: dt.date, start: dt.date | None) -> None:
    remaining = query("cycle/cycle_remaining", framework=fw, as_at=as_at,
                      cycle_start=start, max_rows=MAX_ROWS)
    if remaining.empty:
        return
    n_remaining = int(remaining["n_remaining"].iloc[0])
    remaining = remaining.drop(columns="n_remaining")
    with st.expander(f"The {n_remaining} LAs without a published {fw} inspection by "
                     f"{format_date(as_at)}"):
        st.dataframe(remaining, hide_index=True, width="stretch", placeholder="",
                     column_config={
                         "la_code": None, "la_name": "Local authority",
                         "region_name": "Region",
                         "undated_inspections": count_column("Inspections held without a date"),
                         "evidence_held": words_column("Evidence of them", EVIDENCE_WORDS)})
        if n_remaining > len(remaining):
            st.caption(f"The first {len(remaining):,} of {n_remaining:,}, by name.")
        st.caption("Inspections held without a date: inspections the collection knows of "
                   "(e.g. from a council paper or news story) without a publication date, so "
                   "they cannot be counted on a date.")


def main() -> None:
    st.title("Cycle completion")
    require_database()
    st.caption("When each LA is next due an ILACS inspection, how far Ofsted has got through "
               "the current cycle and when it will finish at the recent rate, and how good "
               "that projection would have been.")

    latest_report = _latest_report()
    # ILACS projects from the newest report held, not today, so months not yet collected do
    # not count as months without inspections; SIF's default date is the Kent CC paper's of
    # December 2014 ("22% inspected by October 2014 ... 3.5-4 years").
    default_as_at = {"SIF": SIF_PAPER_AS_AT, "ILACS": min(latest_report, TODAY)}

    fw = url_choice("fw", list(FRAMEWORK_START), CURRENT_FRAMEWORK)
    raw_start = st.query_params.get("start")
    if raw_start == "all":
        start = None
    elif raw_start is None:
        start = DEFAULT_START[fw]
    else:
        start = url_date("start", DEFAULT_START[fw] or FRAMEWORK_START[fw],
                         lo=dt.date(2009, 1, 1))
    as_at = url_date("as_at", default_as_at[fw], lo=FRAMEWORK_START[fw])
    window = url_choice("window", list(WINDOWS), "12")
    due_at = url_date("due_at", TODAY, lo=dt.date(2018, 1, 1))
    show_url_notes()

    seed_state("cy_fw", fw)
    seed_state("cy_as_at", as_at)
    seed_state("cy_window", window)
    seed_state("cy_use_start", start is not None)
    seed_state("cy_start", start or FRAMEWORK_START[fw])
    seed_state("cy_due_at", due_at)
    seed_state("_cy_last_fw", fw)

    # Next due first: the question most readers bring ("when will Ofsted reach us?").
    due_at = _next_due()

    st.header("How far through the cycle?")
    c1, c2, c3, c4 = st.columns([2, 2, 2, 3])
    fw = c1.radio("Framework", list(FRAMEWORK_START), key="cy_fw", horizontal=True)
    if st.session_state["_cy_last_fw"] != fw:
        # Another framework: its own default dates.
        st.session_state["cy_as_at"] = default_as_at[fw]
        st.session_state["cy_use_start"] = DEFAULT_START[fw] is not None
        st.session_state["cy_start"] = DEFAULT_START[fw] or FRAMEWORK_START[fw]
        st.session_state["_cy_last_fw"] = fw
    as_at = c2.date_input("Project from (as at)", key="cy_as_at", min_value=FRAMEWORK_START[fw],
                          max_value=TODAY, format="DD/MM/YYYY")
    window = c3.selectbox("Rate over the last", list(WINDOWS), key="cy_window",
                          format_func=lambda w: f"{w} months")
    with c4:
        use_start = st.checkbox("Count only inspections starting on or after",
                                key="cy_use_start")
        picked = st.date_input("Cycle start", key="cy_start", min_value=dt.date(2009, 1, 1),
                               max_value=TODAY, format="DD/MM/YYYY", disabled=not use_start,
                               label_visibility="collapsed")
    start = picked if use_start else None
    set_url(fw=fw, as_at=as_at, window=window, start=start or "all",
            due_at=None if due_at == TODAY else due_at)

    params = cycle.Params(framework=fw, as_at=as_at, cycle_start=start,
                          window_months=int(window))
    st.markdown(f"**{FRAMEWORK_NAMES[fw]}**"
                + (f", counting inspections that started on or after **{format_date(start)}**"
                   if start else ", every inspection under the framework")
                + ". An LA counts once the report of its first such inspection is published "
                "(one known only from a paper's list counts from the paper's date); the "
                "denominator is the LAs that existed at each date. Newest report in the "
                f"collection: {format_date(latest_report)}.")

    try:
        chart = render(cycle, params)
    except NoData as exc:
        no_data(exc)
        return
    p = _headline(params)
    if start is None:
        _published_figures(fw, int(window))
    chart_block(chart, f"cycle-{fw}", column_config=CYCLE_COLUMNS)
    slow = _years(as_at, p["completion_latest"])
    if int(p["n_inspected"]) < int(p["n_las"]) and slow is not None \
            and slow > cycle.HORIZON_YEARS:
        st.caption(f"The slower path takes more than {cycle.HORIZON_YEARS} years and is cut "
                   "off there.")
    _remaining(fw, as_at, start)

    _backtest(params)


main()
