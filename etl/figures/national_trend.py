"""National picture over time: England's monthly shares by grade, stacked to 100%.

Query: national/grade_trend (each LA's latest judgement published by each month end).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures import national_distribution as national
from etl.figures.chart import EARLIEST, FRAMEWORK_START, Chart, NoData, data_status, make_chart, option
from etl.figures.style import (
    GRADE_COLOURS,
    GRADE_SHORT,
    NOTE_FONT,
    TEXT,
    ChartSpec,
    area_label,
    area_phrase,
    axis,
    check_grades,
    format_date,
    format_pct,
    frame,
    grade_phrase,
    list_phrase,
    month,
    require_columns,
)
from etl.vocab import FRAMEWORKS, GRADE_LABELS, GRADES
from etl.warehouse import queries

NAME = "national-trend"
QUERY = "national/grade_trend"


@dataclass(frozen=True)
class Params:
    as_at: dt.date = field(default_factory=dt.date.today,
                           metadata=option("the last month end shown (default today)"))
    area: str = field(default="overall_effectiveness",
                      metadata=option("judgement area", choices=national.AREA_CHOICES))
    framework: str | None = field(default=None,
                                  metadata=option("only this framework (default any)",
                                                  choices=FRAMEWORKS))
    include_secondary: bool = field(
        default=True, metadata=option("count grades known only from news or council pages"))


def start(framework: str | None) -> dt.date:
    """The trend starts with the framework (any framework: with SIF, November 2013)."""
    return FRAMEWORK_START.get(framework or "SIF", EARLIEST)


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    data = df.assign(as_at=pd.to_datetime(df["as_at"]))
    first_at, last_at = data["as_at"].min(), data["as_at"].max()

    def at(when: pd.Timestamp) -> str:
        rows = data[data["as_at"] == when].set_index("grade")
        judged = int(rows["n"].sum())
        parts = [f"{grade_phrase(g)} {format_pct(rows.loc[g, 'share'])}"
                 for g in GRADES if g in rows.index]
        return f"{month(when)} ({judged} LAs judged): {list_phrase(parts)}"

    return (f"Stacked area chart of the {spec.subject} of local authorities in "
            f"{spec.geography}, monthly from {month(first_at)} to {month(last_at)}. "
            f"{at(first_at)}; {at(last_at)}. Data as at {format_date(spec.as_at)}.")


def figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """Monthly share of LAs by grade (England), stacked to 100%, best grade on top.

    df: as_at (month end), grade, n, share (of LAs judged that month). Each band is labelled
    at its right end with its latest share, so the chart does not rely on colour alone.
    """
    require_columns(df, ("as_at", "grade", "n", "share"), "grade share over time")
    check_grades(df["grade"], "grade share over time")
    data = df.assign(as_at=pd.to_datetime(df["as_at"])).sort_values("as_at")
    fig = go.Figure()
    order = [g for g in reversed(GRADES) if g in set(data["grade"])]
    last = data[data["as_at"] == data["as_at"].max()].set_index("grade")
    cumulative = 0.0
    for grade in order:
        band = data[data["grade"] == grade]
        fig.add_trace(go.Scatter(
            x=band["as_at"], y=band["share"], name=GRADE_LABELS[grade], mode="lines",
            stackgroup="grades", line=dict(width=0.5, color="#ffffff"),
            fillcolor=GRADE_COLOURS[grade],
            customdata=band[["n"]].to_numpy(),
            hovertemplate=f"{GRADE_LABELS[grade]}: %{{y:.0%}} (%{{customdata[0]}} LAs)"
                          "<extra>%{x|%b %Y}</extra>",
        ))
        share = float(last["share"].get(grade, 0.0)) if grade in last.index else 0.0
        if share >= 0.04:
            fig.add_annotation(
                x=data["as_at"].max(), y=cumulative + share / 2, xanchor="left", xshift=6,
                text=f"{GRADE_SHORT[grade]} {format_pct(share)}", showarrow=False,
                font=dict(size=NOTE_FONT + 1, color=TEXT))
        cumulative += share
    fig.update_layout(showlegend=True, legend=dict(orientation="h", x=0, y=1.02,
                                                   yanchor="bottom", traceorder="reversed"),
                      hovermode="x unified")
    fig.update_xaxes(**axis(showgrid=False, range=[data["as_at"].min(), data["as_at"].max()]))
    fig.update_yaxes(**axis(tickformat=".0%", range=[0, 1], dtick=0.25))
    return frame(fig, spec, kind=NAME, alt=alt_text(data, spec), plot_height=360,
                 margin_r=90, top_axis=1)


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    since = start(params.framework)
    if params.as_at < since:
        raise NoData(f"The {params.framework} framework starts on {format_date(since)}: "
                     "choose a later date to see its trend.")
    data = queries.run(con, QUERY, area=params.area, from_date=since, as_at=params.as_at,
                       framework=params.framework,
                       include_secondary=params.include_secondary)
    if data.empty:
        raise NoData(f"No {area_phrase(params.area)} judgements were published between "
                     f"{format_date(since)} and {format_date(params.as_at)} on this basis.")
    spec = ChartSpec(
        **data_status(con),
        title=f"{area_label(params.area)}: England, month by month",
        subtitle=f"{national.framework_label(params.framework)}; share of LAs with a "
                 "published judgement at each month end",
        as_at=params.as_at,
        basis="Basis: each LA's latest judgement published on or before each month end. "
              "Early months rest on few LAs.",
        subject=f"latest {area_phrase(params.area)} grade",
    )
    return make_chart(NAME, params, spec, data, figure(data, spec), [QUERY])
