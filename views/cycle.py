"""Cycle completion: how many LAs have a published inspection under a framework, when the
cycle will finish at the recent rate (with a backtest of that projection), and when each LA
is next due an ILACS inspection. URL: ?fw=SIF&as_at=2014-10-31&start=...&window=12&due_at=..."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from etl import charts
from etl.chart_data import cycle_frame
from etl.charts import GRADE_LABELS, ChartSpec, cycle_figure, format_date, format_pct
from etl.vocab import ILACS_REFORM_FROM
from views._shared import (
    SOURCE_LINE,
    TODAY,
    chart_block,
    empty_state,
    figure,
    query,
    seed_state,
    set_url,
    show_url_notes,
    url_choice,
    url_date,
)

FRAMEWORK_START = {"SIF": dt.date(2013, 11, 1), "ILACS": dt.date(2018, 1, 1)}
FRAMEWORK_NAMES = {
    "SIF": "Single inspection framework (SIF), Nov 2013 – 2018",
    "ILACS": "Inspection of local authority children's services (ILACS), 2018 –",
}
# By default ILACS counts the cycle under the framework as changed from late April 2026
# (no overall grade): every LA already had an ILACS inspection under the first version.
DEFAULT_START = {"SIF": None, "ILACS": dt.date.fromisoformat(ILACS_REFORM_FROM)}
# The SIF cycle's reports were all published by 2018; drawing to today adds nothing.
VIEW_END = {"SIF": min(dt.date(2018, 12, 31), TODAY), "ILACS": TODAY}
WINDOWS = ("3", "6", "12", "24")
HORIZON_YEARS = 12  # projections slower than this are cut off (and said so)
DUE_SOON_DAYS = 183


def _project(**params: object) -> tuple[pd.DataFrame, str]:
    """cycle_projection, or an empty frame and DuckDB's reason when it cannot be computed
    (seen when the number of LAs inspected falls within the window, after a merger)."""
    try:
        return query("cycle/cycle_projection", **params), ""
    except duckdb.Error as exc:
        return pd.DataFrame(), str(exc).splitlines()[0]


def _years(start: dt.date, end: object) -> float | None:
    if end is None or pd.isna(end):
        return None
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / 365.25


st.title("Cycle completion")
st.caption("How far Ofsted has got through a cycle of inspections, when it will finish at the "
           "recent rate, how good that projection would have been, and when each LA is next "
           "due an ILACS inspection.")

fresh = query("data/latest_published")
latest_report = (pd.Timestamp(fresh["latest_published"].iloc[0]).date()
                 if not fresh.empty and not pd.isna(fresh["latest_published"].iloc[0]) else TODAY)
# SIF's default date is seed 004's ("22% inspected by October 2014 ... 3.5-4 years"); ILACS
# projects from the newest report held, not today, so months not yet collected do not
# count as months without inspections.
DEFAULT_AS_AT = {"SIF": dt.date(2014, 10, 31), "ILACS": min(latest_report, TODAY)}

fw = url_choice("fw", list(FRAMEWORK_START), "SIF")
raw_start = st.query_params.get("start")
if raw_start == "all":
    start = None
elif raw_start is None:
    start = DEFAULT_START[fw]
else:
    start = url_date("start", DEFAULT_START[fw] or FRAMEWORK_START[fw], lo=dt.date(2009, 1, 1))
as_at = url_date("as_at", DEFAULT_AS_AT[fw], lo=FRAMEWORK_START[fw])
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

c1, c2, c3, c4 = st.columns([2, 2, 2, 3])
fw = c1.radio("Framework", list(FRAMEWORK_START), key="cy_fw", horizontal=True)
if st.session_state["_cy_last_fw"] != fw:
    # Another framework: its own default dates.
    st.session_state["cy_as_at"] = DEFAULT_AS_AT[fw]
    st.session_state["cy_use_start"] = DEFAULT_START[fw] is not None
    st.session_state["cy_start"] = DEFAULT_START[fw] or FRAMEWORK_START[fw]
    st.session_state["_cy_last_fw"] = fw
as_at = c2.date_input("Project from (as at)", key="cy_as_at", min_value=FRAMEWORK_START[fw],
                      max_value=TODAY, format="DD/MM/YYYY")
window = c3.selectbox("Rate over the last", list(WINDOWS), key="cy_window",
                      format_func=lambda w: f"{w} months")
with c4:
    use_start = st.checkbox("Count only inspections starting on or after", key="cy_use_start")
    picked = st.date_input("Cycle start", key="cy_start", min_value=dt.date(2009, 1, 1),
                           max_value=TODAY, format="DD/MM/YYYY", disabled=not use_start,
                           label_visibility="collapsed")
start = picked if use_start else None
set_url(fw=fw, as_at=as_at, window=window, start=start or "all")

origin = start or FRAMEWORK_START[fw]
st.markdown(f"**{FRAMEWORK_NAMES[fw]}**"
            + (f", counting inspections that started on or after **{format_date(start)}**"
               if start else ", every inspection under the framework")
            + ". An LA counts once the report of its first such inspection is published (one "
            "known only from a paper's list counts from the paper's date); the "
            "denominator is the LAs that existed at each date. Newest report in the "
            f"collection: {format_date(latest_report)}.")

if as_at < origin:
    empty_state(f"The date {format_date(as_at)} is before the cycle starts "
                f"({format_date(origin)}): nothing to count yet. Pick a later date.")
    st.stop()

actual = query("cycle/cycle_progress", framework=fw, from_date=origin, to_date=as_at,
               cycle_start=start)
proj, proj_error = _project(framework=fw, from_date=as_at, to_date=as_at, cycle_start=start,
                            window_months=int(window))
if proj_error:
    empty_state(f"The projection cannot be computed as at {format_date(as_at)} ({proj_error}). "
                "Try another date or rate window.")
    st.stop()
if actual.empty or int(actual["n_inspected"].max()) == 0 or proj.empty:
    empty_state(f"No LA has a published {fw} inspection by {format_date(as_at)}"
                + (f" that started on or after {format_date(start)}" if start else "")
                + ". Pick a later date or an earlier cycle start.")
    st.stop()

p = proj.iloc[-1]
n0, n_las = int(p["n_inspected"]), int(p["n_las"])
cycle_df = cycle_frame(actual, p, as_at, horizon_years=HORIZON_YEARS)

# ---------------------------------------------------------------- headline numbers
m1, m2, m3 = st.columns([1, 1, 1.5])
m1.metric(f"Inspected by {as_at:%d %b %Y}", f"{n0} of {n_las}",
          f"{format_pct(n0 / n_las)} of LAs, a published {fw} report", delta_color="off",
          delta_arrow="off")
if n0 >= n_las:
    m2.metric("Projected completion", "Complete")
elif pd.isna(p["projected_completion"]):
    m2.metric("Projected completion", "No recent inspections",
              f"none in the last {window} months", delta_color="off", delta_arrow="off")
else:
    yrs = _years(origin, p["projected_completion"])
    m2.metric("Projected completion", f"{pd.Timestamp(p['projected_completion']):%b %Y}",
              f"{yrs:.1f} years after {format_date(origin)}", delta_color="off",
              delta_arrow="off")
    lo, hi = p["completion_earliest"], p["completion_latest"]
    m3.metric("Uncertainty range", f"{pd.Timestamp(lo):%b %Y} – {pd.Timestamp(hi):%b %Y}"
              if not (pd.isna(lo) or pd.isna(hi)) else "—",
              f"{float(p['rate_per_month']):.1f} a month ({int(p['inspected_in_window'])} in "
              f"{int(p['window_months'])} months)",
              delta_color="off", delta_arrow="off")

refs = query("cycle/reference_figures", framework=fw) if start is None else pd.DataFrame()
# A published range ("3.5-4 years") is stored as two figures: show it once.
years = refs[refs["basis"] == "cycle_years"] if not refs.empty else refs
if len(years) > 1:
    keep = years.index[0]
    lo_y, hi_y = years["value"].min(), years["value"].max()
    refs.loc[keep, "description"] = (f"Projected years to complete the {fw} cycle: "
                                     f"{lo_y:g}–{hi_y:g}")
    refs = refs.drop(index=years.index[1:])
if not refs.empty:
    with st.container(border=True):
        st.markdown("**Published figures on this cycle, beside ours**")
        for r in refs.itertuples():
            ref_at = pd.Timestamp(r.as_at).date()
            ours = ""
            if r.basis in ("cycle_share", "cycle_count"):
                row = query("cycle/cycle_progress", framework=fw, from_date=ref_at, to_date=ref_at,
                            cycle_start=None)
                if not row.empty:
                    k, n = int(row["n_inspected"].iloc[0]), int(row["n_las"].iloc[0])
                    ours = (f" — **ours: {k} of {n} ({format_pct(k / n)})** with a published "
                            f"report by {format_date(ref_at)}")
            elif r.basis == "cycle_years":
                at, _ = _project(framework=fw, from_date=ref_at, to_date=ref_at,
                                 cycle_start=None, window_months=int(window))
                if not at.empty and not pd.isna(at["projected_completion"].iloc[0]):
                    done = at["projected_completion"].iloc[0]
                    ours = (f" — **ours as at {format_date(ref_at)}: "
                            f"{_years(FRAMEWORK_START[fw], done):.1f} years** (completion "
                            f"{pd.Timestamp(done):%b %Y}, range "
                            f"{pd.Timestamp(at['completion_earliest'].iloc[0]):%b %Y} – "
                            f"{pd.Timestamp(at['completion_latest'].iloc[0]):%b %Y}; "
                            f"{window}-month rate)")
            st.markdown(f"- {r.description} — *{r.source}*{ours}")
        st.caption("Papers may count inspections carried out rather than reports published, "
                   "or use another cut-off; the gap is shown, not forced.")

# ---------------------------------------------------------------- the cycle chart
# Only to the newest report held: after it, a flat line would show missing data, not events.
later = query("cycle/cycle_progress", framework=fw, from_date=as_at,
              to_date=max(as_at, min(VIEW_END[fw], latest_report)), cycle_start=start)
later = later[pd.to_datetime(later["as_at"]) > pd.Timestamp(as_at)]
spec = ChartSpec(
    title=f"{fw} inspection cycle: local authorities inspected",
    subtitle=(f"Cumulative share of LAs with a published {fw} inspection"
              + (f" starting on or after {format_date(start)}" if start else "")
              + f"; projection from the last {window} months' rate"),
    as_at=as_at,
    basis=(f"An LA counts from the publication of its first {fw} inspection report. "
           f"Projection: remaining LAs at the rate of first inspections in the {window} months "
           "to the date; band: 95% Poisson range of that rate."),
    notes=(f"Grey line: what actually happened after {format_date(as_at)}."
           if not later.empty else ""),
    subject=f"{fw} inspection", geography="England",
)
fig = figure(cycle_figure, cycle_df, spec)
if not later.empty:
    fig.add_trace(go.Scatter(
        x=pd.to_datetime(later["as_at"]), y=later["share"], mode="lines",
        name="What happened next", line=dict(color=charts.CONTEXT_LINE, width=3),
        customdata=later[["n_inspected", "n_las"]],
        hovertemplate="%{x|%d %b %Y}: %{customdata[0]} of %{customdata[1]} (%{y:.0%})"
                      "<extra>actual</extra>"))
later_rows = pd.DataFrame({"date": pd.to_datetime(later["as_at"]).dt.date,
                           "n_inspected": later["n_inspected"], "n_las": later["n_las"],
                           "share": later["share"], "series": "actual_after_as_at"})
chart_data = pd.concat([cycle_df, later_rows], ignore_index=True)
chart_block(fig, chart_data, spec, "cycle", key=f"cycle-{fw}",
            metadata={"framework": fw, "window_months": window,
                      "cycle_start": start.isoformat() if start else ""})
slow = _years(as_at, p["completion_latest"])
if n0 < n_las and slow is not None and slow > HORIZON_YEARS:
    st.caption(f"The slower path takes more than {HORIZON_YEARS} years and is cut off there.")

remaining = query("cycle/cycle_remaining", framework=fw, as_at=as_at, cycle_start=start)
if not remaining.empty:
    with st.expander(f"The {len(remaining)} LAs without a published {fw} inspection by "
                     f"{format_date(as_at)}"):
        st.dataframe(remaining, hide_index=True, width="stretch")
        st.caption("undated_inspections: inspections the collection knows of (e.g. from a "
                   "council paper or news story) without a publication date, so they cannot "
                   "be counted on a date.")

# ---------------------------------------------------------------- backtest
st.subheader("Backtest: what the projection said at each date")
full = query("cycle/cycle_progress", framework=fw, from_date=origin,
             to_date=max(origin, min(latest_report, TODAY)), cycle_start=start)
complete = full[full["n_inspected"] >= full["n_las"]]
peak = full[full["n_inspected"] == full["n_inspected"].max()].iloc[0]
if not complete.empty:
    end_date = pd.Timestamp(complete["as_at"].iloc[0]).date()
    end_label = "Actual completion"
    st.markdown(f"Every LA had a published {fw} inspection by the month ending "
                f"**{format_date(end_date)}** ({_years(origin, end_date):.1f} years after "
                f"{format_date(origin)}). Each point is what the projection said at a month end.")
elif int(peak["n_inspected"]) > 0 and pd.Timestamp(peak["as_at"]).date() < latest_report:
    end_date = pd.Timestamp(peak["as_at"]).date()
    end_label = "Last first inspection"
    gap = query("cycle/cycle_remaining", framework=fw, as_at=end_date, cycle_start=start)
    st.markdown(f"The collection never reaches every LA: the count peaks at "
                f"**{int(peak['n_inspected'])} of {int(peak['n_las'])}** in the month ending "
                f"**{format_date(end_date)}** ({_years(origin, end_date):.1f} years after "
                f"{format_date(origin)}), which stands in for the cycle's end. Missing then: "
                + ", ".join(f"{r.la_name} ({r.evidence_held or 'nothing held'}, undated)"
                            if r.undated_inspections else r.la_name
                            for r in gap.itertuples()) + ".")
else:
    end_date, end_label = None, ""
    st.markdown(f"The cycle is not complete: {int(full['n_inspected'].iloc[-1])} of "
                f"{int(full['n_las'].iloc[-1])} LAs by {format_date(full['as_at'].iloc[-1])}. "
                "Each point is what the projection said at a month end.")
bt_to = end_date or min(latest_report, TODAY)
bt_from = (pd.Timestamp(origin) + pd.DateOffset(months=3)).date()
if (bt_to - bt_from).days < 90:
    empty_state("This cycle is too young for a backtest: it needs about six months of "
                f"inspection reports after {format_date(origin)}, and the newest report held "
                f"is from {format_date(latest_report)}.")
else:
    bt, bt_error = _project(framework=fw, from_date=bt_from, to_date=bt_to, cycle_start=start,
                            window_months=int(window))
    if bt_error:
        st.warning(f"The backtest cannot be computed over {format_date(bt_from)} – "
                   f"{format_date(bt_to)}: the projection fails for at least one month "
                   f"({bt_error}). This happens when the count of inspected LAs falls within "
                   "the rate window (LAs merged); pick a cycle start after the merger.",
                   icon=":material/warning:")
    else:
        bt = bt[bt["n_inspected"] > 0]
        fig_bt = go.Figure()
        band = bt.dropna(subset=["completion_earliest", "completion_latest"])
        if not band.empty:
            fig_bt.add_trace(go.Scatter(
                x=[*band["as_at"], *band["as_at"][::-1]],
                y=[*band["completion_latest"], *band["completion_earliest"][::-1]],
                fill="toself", fillcolor="rgba(5,113,176,0.15)", line=dict(width=0),
                name="Projection range", hoverinfo="skip"))
        fig_bt.add_trace(go.Scatter(
            x=bt["as_at"], y=bt["projected_completion"], mode="lines+markers", name="Projected",
            line=dict(color=charts.GRADE_COLOURS["outstanding"], width=2.5),
            hovertemplate="As at %{x|%b %Y}: completion %{y|%b %Y}<extra></extra>"))
        if end_date is not None:
            fig_bt.add_hline(y=pd.Timestamp(end_date).timestamp() * 1000,
                             line=dict(color=charts.TEXT, width=2),
                             annotation_text=f"{end_label}: {end_date:%b %Y}",
                             annotation_position="bottom right")
        fig_bt.add_vline(x=pd.Timestamp(as_at).timestamp() * 1000,
                         line=dict(color=charts.SECONDARY_TEXT, width=1, dash="dot"),
                         annotation_text=f"As at {as_at:%b %Y}", annotation_position="top left")
        y_hi = min(pd.Timestamp(bt_to) + pd.DateOffset(years=4),
                   pd.to_datetime(band["completion_latest"]).max()
                   if not band.empty else pd.Timestamp(bt_to))
        fig_bt.update_layout(
            template="none", font=dict(family=charts.FONT_FAMILY, size=14, color=charts.TEXT),
            height=420, margin=dict(l=80, r=30, t=40, b=50), hovermode="closest",
            legend=dict(orientation="h", x=0, y=1.12),
            xaxis=dict(title="As at (month end)"),
            yaxis=dict(title="Projected completion",
                       range=[pd.Timestamp(bt_from), max(y_hi, pd.Timestamp(bt_to))]))
        st.plotly_chart(fig_bt, width="stretch", key="cycle-backtest")
        st.caption(f"Projection from the rate of first inspections in the previous {window} months; "
                   f"band: 95% Poisson range of that rate (axis cut off 4 years past the end). "
                   f"{SOURCE_LINE}")
        bt_table = bt[["as_at", "n_inspected", "n_las", "share", "inspected_in_window",
                       "rate_per_month", "projected_completion", "completion_earliest",
                       "completion_latest"]].copy()
        if end_date is not None:
            bt_table["error_months"] = [
                None if pd.isna(d) else round((pd.Timestamp(d) - pd.Timestamp(end_date)).days
                                              / 30.44, 1)
                for d in bt_table["projected_completion"]]
        with st.expander("Backtest table"):
            st.dataframe(bt_table, hide_index=True, width="stretch",
                         column_config={"share": st.column_config.NumberColumn(format="percent"),
                                        "rate_per_month": st.column_config.NumberColumn(
                                            format="%.2f"),
                                        "error_months": st.column_config.NumberColumn(
                                            "error_months (+ = too late)")})
            st.download_button("CSV", bt_table.to_csv(index=False).encode(),
                               f"cycle-backtest-{fw}.csv", "text/csv", key="cycle-bt-csv")

# ---------------------------------------------------------------- ILACS next due
st.subheader("When is each LA next due an ILACS inspection?")
due_at = st.columns(4)[0].date_input("As at", key="cy_due_at", min_value=dt.date(2018, 1, 1),
                                     max_value=TODAY, format="DD/MM/YYYY")
set_url(due_at=None if due_at == TODAY else due_at)
due = query("cycle/ilacs_next_due", as_at=due_at)
if due.empty:
    empty_state("No LAs existed on that date.")
else:
    due["next_due"] = pd.to_datetime(due["next_due"]).dt.date
    soon = (~due["overdue"].fillna(False).astype(bool)) & due["next_due"].notna() & (
        pd.to_datetime(due["next_due"]) <= pd.Timestamp(due_at) + pd.Timedelta(
            days=DUE_SOON_DAYS))
    never = due["last_inspected"].isna()
    overdue = due["overdue"].fillna(False).astype(bool)
    d1, d2, d3 = st.columns(3)
    d1.metric("Overdue (over 3 years since the last)", int(overdue.sum()))
    d2.metric("Due within 6 months", int(soon.sum()))
    d3.metric("No ILACS inspection yet", int(never.sum()))
    status = pd.Series("", index=due.index)
    status[soon] = "Due within 6 months"
    status[overdue] = "⚠ Overdue"
    status[never] = "No ILACS inspection yet"
    table = pd.DataFrame({
        "Status": status, "Local authority": due["la_name"], "Region": due["region_name"],
        "Last inspection": due["inspection_type"],
        "Last inspected": pd.to_datetime(due["last_inspected"]).dt.date,
        "Last overall grade": due["last_overall"].map(
            lambda g: GRADE_LABELS.get(g, "") if isinstance(g, str) else ""),
        "Next due (about)": due["next_due"], "Days since last": due["days_since_last"],
    })
    only = st.toggle("Show only overdue or due within 6 months", value=False, key="cy_due_only")
    st.dataframe(table[overdue | soon | never] if only else table, hide_index=True,
                 width="stretch")
    st.caption("Rule of thumb: the next ILACS standard or short inspection falls about three "
               "years after the last one ended. Ofsted brings inspections forward after "
               "concerns and fits focused and monitoring visits between them, so 'overdue' "
               "means past that rule, not late by Ofsted's own schedule. The newest report "
               f"in the collection was published {format_date(latest_report)}: an LA "
               "inspected since then still shows as overdue. " + SOURCE_LINE)
    st.download_button("CSV", due.to_csv(index=False).encode(), f"ilacs-next-due-{due_at}.csv",
                       "text/csv", key="cy-due-csv")
