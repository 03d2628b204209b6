"""LA timeline: one LA's inspections and visits across frameworks (its predecessors' too),
one row per kind of inspection, each marker filled with the overall effectiveness grade and
lettered, so colour is not the only cue.

Queries: la/timeline (the inspections), la/local_authorities (the LA's name).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures import neighbours
from etl.figures.chart import Chart, NoData, data_status, make_chart, option
from etl.figures.style import (
    AXIS_LINE,
    GRADE_COLOURS,
    GRADE_SHORT,
    GRADE_TEXT_COLOURS,
    NO_GRADE_COLOUR,
    NO_GRADE_KEY,
    TEXT,
    ChartSpec,
    axis,
    format_date,
    frame,
    grade_phrase,
    label_margin,
    list_phrase,
    month,
    require_columns,
)
from etl.vocab import ALL_GRADES, GRADE_LABELS, GRADES
from etl.warehouse import queries

NAME = "la-timeline"
QUERY = "la/timeline"
TYPE_LABELS = {
    "full": "inspection", "re-inspection": "re-inspection", "standard": "standard inspection",
    "short": "short inspection", "lscb_review": "LSCB review", "focused_visit": "focused visit",
    "monitoring_visit": "monitoring visit", "jtai": "joint targeted area inspection",
}
NO_OVERALL = "No overall grade (visit or not graded)"
COLUMNS = ["date", "row", "grade", "la_code", "la_name", "framework", "inspection_type",
           "published_date", "evidence"]


@dataclass(frozen=True)
class Params:
    la: str = field(metadata=option("the LA: DfE code or name (e.g. 891 or Nottinghamshire)"))
    as_at: dt.date = field(default_factory=dt.date.today,
                           metadata=option("the date printed as the chart's 'as at' (default "
                                           "today); the timeline holds everything collected"))


def publication_bound(tl: pd.DataFrame) -> pd.Series:
    """Latest possible publication date of an undated inspection (a paper that lists it)."""
    if "published_by_bound" in tl.columns:
        return tl["published_by_bound"].where(tl["published_date"].isna())
    return pd.Series(pd.NaT, index=tl.index)


def plotted(tl: pd.DataFrame) -> pd.DataFrame:
    """The timeline rows with a date to place them on: the end date, else the start, the
    publication or the date of a paper that lists the inspection."""
    when = (pd.to_datetime(tl["end_date"]).fillna(pd.to_datetime(tl["start_date"]))
            .fillna(pd.to_datetime(tl["published_date"]))
            .fillna(pd.to_datetime(publication_bound(tl))))
    data = tl.assign(
        date=when.dt.date,
        row=[f"{fw} {TYPE_LABELS.get(t, t)}" for fw, t in
             zip(tl["framework"], tl["inspection_type"], strict=True)],
        grade=tl["overall_effectiveness"],
    ).dropna(subset=["date"])
    return data[COLUMNS]


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    data = df.sort_values("date")
    graded = data[data["grade"].isin(GRADES)]
    counts = graded["grade"].value_counts()
    parts = [f"{int(counts[g])} {grade_phrase(g)}" for g in GRADES if g in counts.index]
    text = (f"Timeline of {len(data)} inspections and visits of {spec.geography} from "
            f"{month(data['date'].iloc[0])} to {month(data['date'].iloc[-1])}, one row per "
            f"kind: {len(graded)} with an overall effectiveness grade"
            + (f" ({list_phrase(parts)})" if parts else "")
            + f" and {len(data) - len(graded)} without (visits, reviews or not graded).")
    if not graded.empty:
        last = graded.iloc[-1]
        text += (f" Latest graded: {last['row']}, {month(last['date'])}, "
                 f"{grade_phrase(last['grade'])}.")
    return text + f" Data as at {format_date(spec.as_at)}."


def figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """Each inspection or visit as a marker on its date, one row per kind, filled with its
    overall grade (letters too, so colour is not the only cue).

    df: date, row (the kind, e.g. "ILACS standard inspection"), grade (overall effectiveness,
    may be null), la_name, published_date, evidence.
    """
    require_columns(df, ("date", "row", "grade", "la_name", "published_date", "evidence"),
                    "LA timeline")
    if df.empty:
        raise ValueError("LA timeline: no rows")
    data = df.assign(date=pd.to_datetime(df["date"]),
                     key=[g if isinstance(g, str) else NO_GRADE_KEY for g in df["grade"]])
    fig = go.Figure()
    for key in [*ALL_GRADES, NO_GRADE_KEY]:
        sub = data[data["key"] == key]
        if sub.empty:
            continue
        label = GRADE_LABELS.get(key, NO_OVERALL)
        fig.add_trace(go.Scatter(
            x=sub["date"], y=sub["row"], mode="markers+text", name=label,
            marker=dict(size=22, color=GRADE_COLOURS.get(key, NO_GRADE_COLOUR),
                        line=dict(color=AXIS_LINE, width=1),
                        symbol="circle" if key != NO_GRADE_KEY else "diamond"),
            text=[GRADE_SHORT.get(key, "") for _ in range(len(sub))],
            textfont=dict(size=10, color=GRADE_TEXT_COLOURS.get(key, TEXT)),
            customdata=list(zip(sub["la_name"], sub["published_date"].astype(str),
                                sub["evidence"], strict=True)),
            hovertemplate="%{y}, %{customdata[0]}<br>ended %{x|%d %b %Y}, published "
                          "%{customdata[1]}<br>" + label
                          + "<br>evidence: %{customdata[2]}<extra></extra>"))
    rows = sorted(set(data["row"]))
    fig.update_layout(showlegend=True, hovermode="closest",
                      legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"))
    fig.update_yaxes(**axis(categoryorder="array", categoryarray=rows, ticksuffix="  "))
    pad = pd.Timedelta(days=120)
    fig.update_xaxes(**axis(showgrid=True, showline=True, ticks="outside",
                            range=[data["date"].min() - pad, data["date"].max() + pad]))
    return frame(fig, spec, kind=NAME, alt=alt_text(df, spec), plot_height=max(110, 48 * len(rows)),
                 margin_l=label_margin(rows), top_axis=1, axis_space=40,
                 extra_footer=["Marker: overall effectiveness (letters: O outstanding, G good, "
                               "RI requires improvement, I inadequate); diamonds are ungraded "
                               "visits and reviews. Placed at the end date (else the start, "
                               "the publication, or the date of a paper that lists it)."])


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    name, _ = neighbours.la_facts(con, params.la)
    tl = queries.run(con, QUERY, la_code=params.la)
    data = plotted(tl)
    if data.empty:
        raise NoData(f"The collection holds no dated inspection or visit of {name}. Newer LAs "
                     "may not have been inspected yet; see Data and sources for coverage "
                     "gaps.")
    spec = ChartSpec(
        **data_status(con),
                     title=f"{name}: inspections and visits",
                     subtitle="Every inspection and visit in the collection, with its "
                              "predecessors'",
                     as_at=params.as_at, geography=name,
                     subject="overall effectiveness grade")
    return make_chart(NAME, params, spec, data, figure(data, spec), [QUERY])
