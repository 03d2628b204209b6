"""Cycle backtest: what the completion projection said at each month end of a cycle, against
when the cycle actually ended (or, where the collection never reaches every LA, the last
first inspection it holds).

Queries: cycle/cycle_progress (when the cycle ended), cycle/cycle_projection (the projection
at every month end), data/latest_published (the newest report held).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures import cycle
from etl.figures.chart import CannotCompute, Chart, NoData, data_status, make_chart
from etl.figures.style import (
    BAND_FILL,
    GRADE_COLOURS,
    SECONDARY_TEXT,
    TEXT,
    ChartSpec,
    axis,
    format_date,
    frame,
    label_margin,
    month,
    require_columns,
)
from etl.warehouse import queries

NAME = "cycle-backtest"
Params = cycle.Params
COLUMNS = ["as_at", "n_inspected", "n_las", "share", "inspected_in_window", "rate_per_month",
           "projected_completion", "completion_earliest", "completion_latest"]
AXIS_YEARS = 4  # the completion axis stops this long after the cycle's end


@dataclass(frozen=True)
class CycleEnd:
    """When a cycle ended in the collection: every LA inspected ("Actual completion"), or the
    month its count peaked below every LA ("Last first inspection"), or not yet (date None)."""

    date: dt.date | None
    label: str
    n_inspected: int  # at `date`, or at the last month end held when not ended
    n_las: int
    last_month: dt.date  # the last month end counted


def cycle_end(con: duckdb.DuckDBPyConnection, p: Params) -> CycleEnd:
    start = cycle.origin(p)
    latest = cycle.latest_report(con)
    full = queries.run(con, cycle.PROGRESS, framework=p.framework, from_date=start,
                       to_date=max(start, min(latest, dt.date.today())),
                       cycle_start=p.cycle_start)
    last = full.iloc[-1]
    complete = full[full["n_inspected"] >= full["n_las"]]
    peak = full[full["n_inspected"] == full["n_inspected"].max()].iloc[0]
    if not complete.empty:
        row, label = complete.iloc[0], "Actual completion"
    elif int(peak["n_inspected"]) > 0 and pd.Timestamp(peak["as_at"]).date() < latest:
        row, label = peak, "Last first inspection"
    else:
        return CycleEnd(None, "", int(last["n_inspected"]), int(last["n_las"]),
                        pd.Timestamp(last["as_at"]).date())
    return CycleEnd(pd.Timestamp(row["as_at"]).date(), label, int(row["n_inspected"]),
                    int(row["n_las"]), pd.Timestamp(last["as_at"]).date())


def alt_text(df: pd.DataFrame, spec: ChartSpec, *, end: CycleEnd | None = None) -> str:
    data = df.assign(as_at=pd.to_datetime(df["as_at"])).sort_values("as_at")
    dated = data.dropna(subset=["projected_completion"])
    text = (f"Line chart of the projected completion date of the {spec.subject} cycle, as "
            f"projected at each month end from {month(data['as_at'].min())} to "
            f"{month(data['as_at'].max())}.")
    if not dated.empty:
        first, last = dated.iloc[0], dated.iloc[-1]
        text += (f" As at {month(first['as_at'])} it said {month(first['projected_completion'])};"
                 f" as at {month(last['as_at'])}, {month(last['projected_completion'])}.")
    if end is not None and end.date is not None:
        text += f" {end.label}: {month(end.date)}."
        if "error_months" in data.columns and data["error_months"].notna().any():
            errors = data["error_months"].dropna()
            text += (f" The projection's error ranged from {errors.min():+.0f} to "
                     f"{errors.max():+.0f} months (+ = too late).")
    return text + f" Data as at {format_date(spec.as_at)}."


def figure(df: pd.DataFrame, spec: ChartSpec, *, end: CycleEnd | None = None,
           period: tuple[dt.date, dt.date] | None = None) -> go.Figure:
    """Projected completion (y) at each month end (x), with its 95% band; a horizontal line
    at the cycle's end and a vertical one at the chart's as-at date.

    df: as_at, projected_completion, completion_earliest, completion_latest (dates).
    `period` (first, last month end projected from) bounds the completion axis: from the
    first month to AXIS_YEARS after the last (default: the frame's as_at range).
    """
    require_columns(df, ("as_at", "projected_completion", "completion_earliest",
                         "completion_latest"), "cycle backtest")
    if df.empty:
        raise ValueError("cycle backtest: no rows")
    data = df.assign(**{c: pd.to_datetime(df[c]) for c in
                        ("as_at", "projected_completion", "completion_earliest",
                         "completion_latest")}).sort_values("as_at")
    fig = go.Figure()
    band = data.dropna(subset=["completion_earliest", "completion_latest"])
    if not band.empty:
        fig.add_trace(go.Scatter(
            x=[*band["as_at"], *band["as_at"][::-1]],
            y=[*band["completion_latest"], *band["completion_earliest"][::-1]],
            fill="toself", fillcolor=BAND_FILL, line=dict(width=0),
            name="Projection range", hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=data["as_at"], y=data["projected_completion"], mode="lines+markers", name="Projected",
        line=dict(color=GRADE_COLOURS["outstanding"], width=2.5),
        hovertemplate="As at %{x|%b %Y}: completion %{y|%b %Y}<extra></extra>"))
    first, last = (pd.Timestamp(d) for d in period) if period else (
        data["as_at"].min(), data["as_at"].max())
    if end is not None and end.date is not None:
        fig.add_hline(y=pd.Timestamp(end.date).timestamp() * 1000,
                      line=dict(color=TEXT, width=2),
                      annotation_text=f"{end.label}: {end.date:%b %Y}",
                      annotation_position="bottom right")
    fig.add_vline(x=pd.Timestamp(spec.as_at).timestamp() * 1000,
                  line=dict(color=SECONDARY_TEXT, width=1, dash="dot"),
                  annotation_text=f"As at {spec.as_at:%b %Y}", annotation_position="top left")
    y_hi = min(last + pd.DateOffset(years=AXIS_YEARS),
               band["completion_latest"].max() if not band.empty else last)
    fig.update_layout(showlegend=True, hovermode="closest",
                      legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"))
    pad = pd.Timedelta(days=31)
    fig.update_xaxes(**axis(title=dict(text="As at (month end)"), showline=True,
                            ticks="outside",
                            range=[data["as_at"].min() - pad, data["as_at"].max() + pad]))
    fig.update_yaxes(**axis(title=dict(text="Projected completion"), showgrid=True,
                            range=[first, max(y_hi, last)]))
    return frame(fig, spec, kind=NAME, alt=alt_text(df, spec, end=end), plot_height=380,
                 axis_space=84, top_axis=1, margin_l=label_margin(["Mar 2020"]) + 30)


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    p = params
    start, fw = cycle.origin(p), p.framework
    end = cycle_end(con, p)
    latest = cycle.latest_report(con)
    bt_to = end.date or min(latest, dt.date.today())
    bt_from = (pd.Timestamp(start) + pd.DateOffset(months=3)).date()
    if (bt_to - bt_from).days < 90:
        raise NoData("This cycle is too young for a backtest: it needs about six months of "
                     f"inspection reports after {format_date(start)}, and the newest report "
                     f"held is from {format_date(latest)}.")
    try:
        bt = cycle.projection(con, p, bt_from, bt_to)
    except NoData as exc:
        raise CannotCompute(
            f"The backtest cannot be computed over {format_date(bt_from)} – "
            f"{format_date(bt_to)}: the projection fails for at least one month ({exc}). "
            "This happens when the count of inspected LAs falls within the rate window (LAs "
            "merged); pick a cycle start after the merger.") from exc
    data = bt[bt["n_inspected"] > 0][COLUMNS].copy()
    if end.date is not None:
        data["error_months"] = [
            None if pd.isna(d) else round((pd.Timestamp(d) - pd.Timestamp(end.date)).days
                                          / 30.44, 1)
            for d in data["projected_completion"]]
    window = p.window_months
    spec = ChartSpec(
        **data_status(con),
        title=f"{fw} cycle backtest: what the projection said at each month end",
        subtitle=(f"Rate over the previous {window} months; "
                  + (f"{end.label.lower()}: {end.date:%b %Y}" if end.date else
                     "the cycle is not complete")),
        as_at=p.as_at,
        basis=(f"Projection from the rate of first inspections in the previous {window} "
               f"months; band: 95% Poisson range of that rate (axis cut off {AXIS_YEARS} years "
               "past the end)."),
        subject=fw, geography="England",
    )
    fig = figure(data, spec, end=end, period=(bt_from, bt_to))
    return make_chart(NAME, params, spec, data, fig,
                      [cycle.PROGRESS, cycle.PROJECTION, cycle.LATEST])
