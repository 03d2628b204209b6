"""Cycle completion: the cumulative share of LAs with a published inspection under a
framework, the projected completion at the recent rate with its 95% band, and (grey) what
actually happened after the date the projection was made.

Queries: cycle/cycle_progress (actual, and what happened next), cycle/cycle_projection (the
rate and completion dates), data/latest_published (the newest report held: the grey line
stops there, since a flat line after it would show missing data, not events).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures.chart import FRAMEWORK_START, Chart, NoData, data_status, make_chart, option
from etl.figures.style import (
    AXIS_LINE,
    BAND_FILL,
    BASE_FONT,
    CONTEXT_LINE,
    GRADE_COLOURS,
    SECONDARY_TEXT,
    TEXT,
    ChartSpec,
    axis,
    format_date,
    format_pct,
    frame,
    label_margin,
    month,
    require_columns,
)
from etl.warehouse import queries

NAME = "cycle"
PROGRESS, PROJECTION, LATEST = ("cycle/cycle_progress", "cycle/cycle_projection",
                                "data/latest_published")
HORIZON_YEARS = 12  # projected paths slower than this are cut off (the page says so)
SERIES = ("actual", "projection", "projection_low", "projection_high", "actual_after_as_at")
_COMPLETE = 0.9995
# The SIF cycle's reports were all published by 2018: drawing to today adds nothing.
VIEW_END = {"SIF": dt.date(2018, 12, 31)}


NEXT_DUE = "cycle/ilacs_next_due"
# The rule sql/05_macros.sql's ilacs_next_due applies (interval_months := 36), in words.
NEXT_DUE_RULE = ("the next ILACS standard or short inspection falls about three years after "
                 "the last one ended")
NEXT_DUE_CAVEAT = ("Ofsted brings inspections forward after concerns and fits focused and "
                   "monitoring visits between them, so 'overdue' means past that rule, not late "
                   "by Ofsted's own schedule.")

@dataclass(frozen=True)
class Params:
    framework: str = field(default="ILACS",
                           metadata=option("the framework", choices=tuple(FRAMEWORK_START)))
    as_at: dt.date = field(default_factory=dt.date.today,
                           metadata=option("project from this date (default today)"))
    cycle_start: dt.date | None = field(
        default=None, metadata=option("count only inspections starting on or after this "
                                      "date (default: every one under the framework)"))
    window_months: int = field(default=12, metadata=option(
        "months of first inspections the rate is taken over", choices=(3, 6, 12, 24)))


def origin(p: Params) -> dt.date:
    return p.cycle_start or FRAMEWORK_START[p.framework]


def latest_report(con: duckdb.DuckDBPyConnection) -> dt.date:
    """The newest publication date in the collection (today if it holds none)."""
    fresh = queries.run(con, LATEST)
    if fresh.empty or pd.isna(fresh["latest_published"].iloc[0]):
        return dt.date.today()
    return pd.Timestamp(fresh["latest_published"].iloc[0]).date()


def projection(con: duckdb.DuckDBPyConnection, p: Params, from_date: dt.date,
               to_date: dt.date) -> pd.DataFrame:
    """cycle_projection at each month end from `from_date` to `to_date`; NoData with DuckDB's
    reason when it cannot be computed (seen when the number of LAs inspected falls within the
    window, after a merger)."""
    try:
        return queries.run(con, PROJECTION, framework=p.framework, from_date=from_date,
                           to_date=to_date, cycle_start=p.cycle_start,
                           window_months=p.window_months)
    except duckdb.Error as exc:
        raise NoData(str(exc).splitlines()[0]) from exc


# --------------------------------------------------------------------------- the frame


def cycle_path(series: str, start: dt.date, n0: int, n_las: int, end: object) -> list[dict]:
    """Month-end points from `start` (n0 inspected) rising linearly to all n_las at `end`, cut
    off HORIZON_YEARS after `start`: the macro's projection is a constant rate, so its path is
    a straight line."""
    if end is None or pd.isna(end):
        return []
    end = pd.Timestamp(end)
    horizon = pd.Timestamp(start) + pd.DateOffset(years=HORIZON_YEARS)
    last = min(end, horizon)
    dates = [pd.Timestamp(start),
             *pd.date_range(pd.Timestamp(start) + pd.offsets.MonthEnd(1), last, freq="ME"),
             last]
    span = max((end - pd.Timestamp(start)).days, 1)
    rows = []
    for d in sorted(set(dates)):
        frac = min(max((d - pd.Timestamp(start)).days / span, 0.0), 1.0)
        n = n0 + (n_las - n0) * frac
        rows.append({"date": d.date(), "n_inspected": round(n), "n_las": n_las,
                     "share": n / n_las, "series": series})
    return rows


def cycle_frame(actual: pd.DataFrame, proj: pd.Series, as_at: dt.date,
                later: pd.DataFrame | None = None) -> pd.DataFrame:
    """What the figure plots: actual cumulative progress to `as_at`, the projection and its
    band from there, and `later` progress (what happened next) as 'actual_after_as_at'."""
    n0, n_las = int(proj["n_inspected"]), int(proj["n_las"])
    frame_rows = [{"date": pd.Timestamp(r.as_at).date(), "n_inspected": int(r.n_inspected),
                   "n_las": int(r.n_las), "share": float(r.share), "series": "actual"}
                  for r in actual.itertuples()]
    paths = {}
    for series, col in (("projection", "projected_completion"),
                        ("projection_high", "completion_earliest"),
                        ("projection_low", "completion_latest")):
        if n0 < n_las:
            paths[series] = cycle_path(series, as_at, n0, n_las, proj[col])
    # A path that completes early stays at 100% to the end of the slowest one, so the band
    # between the fast and slow paths covers the same months (no sloping top edge).
    end = max((rows[-1]["date"] for rows in paths.values() if rows), default=None)
    for rows in paths.values():
        if rows and rows[-1]["date"] < end and rows[-1]["n_inspected"] >= n_las:
            rows.append({**rows[-1], "date": end})
        frame_rows += rows
    out = pd.DataFrame(frame_rows)
    if later is not None and not later.empty:
        out = pd.concat([out, pd.DataFrame({
            "date": pd.to_datetime(later["as_at"]).dt.date, "n_inspected": later["n_inspected"],
            "n_las": later["n_las"], "share": later["share"], "series": "actual_after_as_at",
        })], ignore_index=True)
    return out


# --------------------------------------------------------------------------- figure


def _completion(df: pd.DataFrame, series: str) -> pd.Timestamp | None:
    s = df[(df["series"] == series) & (df["share"] >= _COMPLETE)]
    return None if s.empty else s["date"].min()


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    data = df.assign(date=pd.to_datetime(df["date"]))
    actual = data[data["series"] == "actual"].sort_values("date")
    last = actual.iloc[-1]
    text = (
        f"Line chart of the cumulative share of {int(last['n_las'])} local authorities in "
        f"{spec.geography} with a published {spec.subject}, from "
        f"{format_date(actual['date'].min())}: {int(last['n_inspected'])} "
        f"({format_pct(last['share'])}) by {format_date(last['date'])}."
    )
    done = _completion(data, "projection")
    if done is not None:
        text += f" At the projected rate every LA is inspected by {month(done)}"
        early = _completion(data, "projection_high")
        late = _completion(data, "projection_low")
        if early is not None and late is not None:
            text += f" (range {month(early)} to {month(late)})"
        text += "."
    elif (data["series"] == "projection").any():
        text += " The projection does not reach every LA within the period shown."
    after = data[data["series"] == "actual_after_as_at"].sort_values("date")
    if not after.empty:
        end = after.iloc[-1]
        text += (f" What happened next: {int(end['n_inspected'])} of {int(end['n_las'])} "
                 f"({format_pct(end['share'])}) by {format_date(end['date'])}.")
    return text + f" Data as at {format_date(spec.as_at)}."


def figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """Cumulative share of LAs inspected, with a projection, its uncertainty band, the
    projected completion date and what happened next.

    df: date, n_inspected (cumulative), n_las, share (0-1), series ('actual' | 'projection' |
    'projection_low' | 'projection_high' | 'actual_after_as_at'). 'projection_low' is the
    slower path (latest completion), 'projection_high' the faster; 'actual_after_as_at' is
    the progress after the projection's date, drawn grey.
    """
    require_columns(df, ("date", "n_inspected", "n_las", "share", "series"), "cycle")
    bad = sorted(set(df["series"]) - set(SERIES))
    if bad:
        raise ValueError(f"cycle: unknown series {bad}; expected {SERIES}")
    data = df.assign(date=pd.to_datetime(df["date"])).sort_values(["series", "date"])
    actual = data[data["series"] == "actual"]
    if actual.empty:
        raise ValueError("cycle: no 'actual' rows")
    fig = go.Figure()
    low = data[data["series"] == "projection_low"]
    high = data[data["series"] == "projection_high"]
    if not low.empty and not high.empty:
        fig.add_trace(
            go.Scatter(
                x=[*low["date"], *high["date"][::-1]],
                y=[*low["share"], *high["share"][::-1]],
                fill="toself", fillcolor=BAND_FILL, line=dict(width=0),
                mode="lines", name="Projection range", hoverinfo="skip",
            )
        )
    proj = data[data["series"] == "projection"]
    if not proj.empty:
        fig.add_trace(
            go.Scatter(
                x=proj["date"], y=proj["share"], mode="lines", name="Projection",
                line=dict(color=GRADE_COLOURS["outstanding"], width=2.5, dash="dash"),
                hovertemplate="Projection %{x|%b %Y}: %{y:.0%}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=actual["date"], y=actual["share"], mode="lines", name="Inspected",
            line=dict(color=TEXT, width=4), customdata=actual[["n_inspected", "n_las"]],
            hovertemplate="%{x|%d %b %Y}: %{customdata[0]} of %{customdata[1]} "
            "(%{y:.0%})<extra></extra>",
        )
    )
    last = actual.iloc[-1]
    n_las = int(last["n_las"])
    fig.add_annotation(
        x=last["date"], y=float(last["share"]),
        text=(f"<b>{int(last['n_inspected'])} of {n_las} ({format_pct(float(last['share']))})"
              f"</b><br>inspected by {format_date(last['date'])}"),
        # below-right of the line end, where the space under the projection is empty; near
        # the bottom that would sit on the axis labels, so it goes above the line instead
        xanchor="left", yanchor="top" if float(last["share"]) >= 0.2 else "bottom",
        align="left", ax=14, ay=40 if float(last["share"]) >= 0.2 else -60, showarrow=True,
        arrowcolor=AXIS_LINE, arrowwidth=1, font=dict(size=BASE_FONT - 1, color=TEXT),
    )
    fig.add_hline(y=1, line=dict(color=AXIS_LINE, width=1, dash="dot"))
    x_min = data["date"].min()
    fig.add_annotation(
        x=x_min, y=1, text=f"All {n_las} LAs", xanchor="left", yanchor="bottom",
        showarrow=False, font=dict(size=BASE_FONT - 2, color=SECONDARY_TEXT),
    )
    done = _completion(data, "projection")
    if done is not None:
        early, late = _completion(data, "projection_high"), _completion(data, "projection_low")
        if early is not None and late is not None and early != late:
            rng = f"<br>(range {month(early)} to {month(late)})"
        elif late is None and not low.empty:
            rng = "<br>(slower path not complete in period shown)"
        else:
            rng = ""
        fig.add_trace(
            go.Scatter(
                x=[done], y=[1], mode="markers", name="Projected completion",
                showlegend=False,
                marker=dict(symbol="diamond", size=16, color=GRADE_COLOURS["outstanding"],
                            line=dict(color=TEXT, width=1.5)),
                hovertemplate="Projected completion %{x|%b %Y}<extra></extra>",
            )
        )
        # Below the band, where the slower path has not yet reached the label.
        fig.add_annotation(
            x=done, y=1, text=f"<b>Projected completion: {month(done)}</b>{rng}",
            xanchor="right", yanchor="top", align="right", ax=0, ay=130, showarrow=True,
            arrowcolor=AXIS_LINE, arrowwidth=1, font=dict(size=BASE_FONT - 1, color=TEXT),
        )
    after = data[data["series"] == "actual_after_as_at"]
    if not after.empty:
        fig.add_trace(go.Scatter(
            x=after["date"], y=after["share"], mode="lines", name="What happened next",
            line=dict(color=CONTEXT_LINE, width=3),
            customdata=after[["n_inspected", "n_las"]],
            hovertemplate="%{x|%d %b %Y}: %{customdata[0]} of %{customdata[1]} (%{y:.0%})"
                          "<extra>actual</extra>"))
    fig.update_yaxes(**axis(range=[0, 1.08], tickformat=".0%", tickvals=[0, .25, .5, .75, 1],
                            showgrid=True))
    fig.update_xaxes(**axis(showline=True, ticks="outside", tickcolor=AXIS_LINE,
                            range=[x_min - pd.Timedelta(days=20),
                                   data["date"].max() + pd.Timedelta(days=20)]))
    # Legend in the empty top-left of the plot (the actual line starts bottom-left).
    fig.update_layout(
        showlegend=True,
        legend=dict(x=0.01, xanchor="left", y=0.9, yanchor="top",
                    font=dict(size=BASE_FONT - 1), traceorder="reversed",
                    bgcolor="rgba(255,255,255,0.85)"),
    )
    return frame(fig, spec, kind=NAME, alt=alt_text(df, spec),
                 plot_height=400, axis_space=46, margin_l=label_margin(["100%"]))


# --------------------------------------------------------------------------- render


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    p = params
    start, fw = origin(p), p.framework
    if p.as_at < start:
        raise NoData(f"The date {format_date(p.as_at)} is before the cycle starts "
                     f"({format_date(start)}): nothing to count yet. Pick a later date.")
    actual = queries.run(con, PROGRESS, framework=fw, from_date=start, to_date=p.as_at,
                         cycle_start=p.cycle_start)
    try:
        proj = projection(con, p, p.as_at, p.as_at)
    except NoData as exc:
        raise NoData(f"The projection cannot be computed as at {format_date(p.as_at)} "
                     f"({exc}). Try another date or rate window.") from exc
    if actual.empty or int(actual["n_inspected"].max()) == 0 or proj.empty:
        raise NoData(f"No LA has a published {fw} inspection by {format_date(p.as_at)}"
                     + (f" that started on or after {format_date(p.cycle_start)}"
                        if p.cycle_start else "")
                     + ". Pick a later date or an earlier cycle start.")
    # Only to the newest report held: after it, a flat line would show missing data.
    view_end = min(VIEW_END.get(fw, dt.date.today()), dt.date.today())
    later = queries.run(con, PROGRESS, framework=fw, from_date=p.as_at,
                        to_date=max(p.as_at, min(view_end, latest_report(con))),
                        cycle_start=p.cycle_start)
    later = later[pd.to_datetime(later["as_at"]) > pd.Timestamp(p.as_at)]
    window = p.window_months
    spec = ChartSpec(
        **data_status(con),
        title=f"{fw} inspection cycle: local authorities inspected",
        subtitle=(f"Cumulative share of LAs with a published {fw} inspection"
                  + (f" starting on or after {format_date(p.cycle_start)}"
                     if p.cycle_start else "")
                  + f"; projection from the last {window} months' rate"),
        as_at=p.as_at,
        basis=(f"An LA counts from the publication of its first {fw} inspection report. "
               f"Projection: remaining LAs at the rate of first inspections in the {window} "
               "months to the date; band: 95% Poisson range of that rate."),
        notes=(f"Grey line: what actually happened after {format_date(p.as_at)}."
               if not later.empty else ""),
        subject=f"{fw} inspection", geography="England",
    )
    data = cycle_frame(actual, proj.iloc[-1], p.as_at, later)
    return make_chart(NAME, params, spec, data, figure(data, spec),
                      [PROGRESS, PROJECTION, LATEST])


def next_due_sentence(row: Mapping[str, Any]) -> str:
    """How the rule gives one LA's next-due date, from its ilacs_next_due row: "Kent's last
    ILACS inspection, a short inspection, ended 7 November 2025 (overall good), so the next is
    due about 7 November 2028: a short inspection, as for an LA judged good or outstanding."
    """
    name = str(row["la_name"])
    if row.get("last_inspected") is None or pd.isna(row["last_inspected"]):
        return (f"{name} has had no ILACS standard or short inspection in the collection, so "
                "the rule gives no date: its first is due at Ofsted's discretion.")
    kind = {"standard": "a standard inspection", "short": "a short inspection"}.get(
        str(row.get("inspection_type")), "an inspection")
    grade = row.get("last_overall")
    graded = {"outstanding": "outstanding", "good": "good",
              "requires_improvement": "requires improvement", "inadequate": "inadequate"}
    text = (f"{name}'s last ILACS inspection, {kind}, ended {format_date(row['last_inspected'])}"
            + (f" (overall {graded[grade]})" if grade in graded else "")
            + f", so the next is due about {format_date(row['next_due'])}")
    if grade in ("outstanding", "good"):
        text += ": a short inspection, as for an LA judged good or outstanding"
    elif grade == "requires_improvement":
        text += ": a standard inspection, as for an LA judged requires improvement"
    elif grade == "inadequate":
        text += (". Ofsted monitors an LA judged inadequate with visits and re-inspects it (a "
                 "standard inspection) when it decides, so for it the rule is only a guide")
    return text + "."


def paper_name(source: str) -> str:
    """A published figure's source as a reader knows it: 'seed 004 (Kent CC cabinet committee
    paper, 3 Dec 2014)' -> 'Kent CC cabinet committee paper, 3 Dec 2014' (the collection's
    numbering of the papers means nothing outside it); any other source unchanged."""
    m = re.fullmatch(r"seed \d+ \((.*)\)", str(source).strip())
    return m.group(1) if m else str(source)
