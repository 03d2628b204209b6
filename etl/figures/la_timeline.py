"""LA timeline: one LA's inspections and visits under every framework since 2009 (SLAC, CPI,
LAC2013, SIF, ILACS; its predecessors' too), one row per kind of inspection, each marker filled
with the overall effectiveness grade and lettered, so colour is not the only cue: adequate on
the pre-2013 scale, SLAC's derived overall (the worse of its two strands), "no overall grade"
for an inspection since the April 2026 change. Area SEND inspections have a row of their own
with hollow markers: their outcomes are on a scale of their own, never a four-point colour.

Queries: la/timeline (the inspections), la/local_authorities (the LA's name).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures import categories, neighbours
from etl.figures.chart import Chart, NoData, data_status, make_chart, option
from etl.figures.shapes import legend_rows
from etl.figures.style import (
    AXIS_LINE,
    CHART_GRADES,
    DESIGN_WIDTH,
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
    grade_label,
    grade_phrase,
    label_margin,
    list_phrase,
    month,
    require_columns,
)
from etl.vocab import AREA_SEND_FRAMEWORKS, FRAMEWORKS, NO_OVERALL_GRADE
from etl.warehouse import queries

NAME = "la-timeline"
QUERY = "la/timeline"
TYPE_LABELS = {
    "full": "inspection", "re-inspection": "re-inspection", "standard": "standard inspection",
    "short": "short inspection", "lscb_review": "LSCB review", "focused_visit": "focused visit",
    "monitoring_visit": "monitoring visit", "jtai": "joint targeted area inspection",
}
NO_OVERALL = "No overall grade (visit or not graded)"
AREA_SEND_KEY = "area_send"
AREA_SEND_LABEL = "Area SEND inspection (outcome on a scale of its own)"
FRAMEWORK_ROWS = {"AREA_SEND": "Area SEND (2023 framework)",
                  "AREA_SEND_2016": "Area SEND (2016 framework)"}
COLUMNS = ["date", "row", "grade", "la_code", "la_name", "framework", "inspection_type",
           "published_date", "evidence", "overall_text", "area_send_outcome", "source_title"]


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


def row_label(framework: str, inspection_type: str) -> str:
    """"SIF re-inspection", "ILACS standard inspection", "Area SEND (2023 framework)"."""
    if framework in FRAMEWORK_ROWS:
        return FRAMEWORK_ROWS[framework]
    return f"{framework} {TYPE_LABELS.get(inspection_type, inspection_type)}"


def _grade(r: pd.Series) -> str | None:
    """The marker's category: the overall grade the figures count (SLAC's derived), "no
    overall grade" for an inspection since the April 2026 change, none for visits; an area
    SEND inspection never carries a four-point grade."""
    if r.get("framework") in AREA_SEND_FRAMEWORKS:
        return None
    if bool(r.get("no_overall_by_design")) and r.get("is_inspection") is not False:
        return NO_OVERALL_GRADE
    grade = r.get("overall_grade", r.get("overall_effectiveness"))
    return grade if isinstance(grade, str) and grade != "not_judged" else None


def plotted(tl: pd.DataFrame) -> pd.DataFrame:
    """The timeline rows with a date to place them on: the end date, else the start, the
    publication or the date of a paper that lists the inspection."""
    when = (pd.to_datetime(tl["end_date"]).fillna(pd.to_datetime(tl["start_date"]))
            .fillna(pd.to_datetime(tl["published_date"]))
            .fillna(pd.to_datetime(publication_bound(tl))))
    data = tl.assign(
        date=when.dt.date,
        row=[row_label(fw, t) for fw, t in
             zip(tl["framework"], tl["inspection_type"], strict=True)],
        grade=[_grade(r) for _, r in tl.iterrows()],
    ).dropna(subset=["date"])
    for col in ("overall_text", "area_send_outcome", "source_title"):
        if col not in data.columns:
            data[col] = None
    return data[COLUMNS]


def _row_order(rows: set[str]) -> list[str]:
    """Rows oldest framework first (SLAC at the top, area SEND last), then by name."""
    rank = {fw: i for i, fw in enumerate(FRAMEWORKS)}

    def key(row: str) -> tuple[int, str]:
        for label, fw in ((v, k) for k, v in FRAMEWORK_ROWS.items()):
            if row == label:
                return rank.get(fw, 99), row
        return rank.get(row.split(" ")[0], 98), row

    return sorted(rows, key=key)


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    data = df.sort_values("date")
    graded = data[data["grade"].isin(CHART_GRADES)]
    counts = graded["grade"].value_counts()
    parts = [f"{int(counts[g])} {grade_phrase(g)}" for g in CHART_GRADES if g in counts.index]
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
    framework = df["framework"] if "framework" in df.columns else pd.Series("", index=df.index)
    data = df.assign(date=pd.to_datetime(df["date"]),
                     key=[AREA_SEND_KEY if fw in AREA_SEND_FRAMEWORKS
                          else g if isinstance(g, str) else NO_GRADE_KEY
                          for g, fw in zip(df["grade"], framework, strict=True)])
    fig = go.Figure()
    keys = [*CHART_GRADES, NO_GRADE_KEY, AREA_SEND_KEY]
    names: list[str] = []
    for key in keys:
        sub = data[data["key"] == key]
        if sub.empty:
            continue
        label = {NO_GRADE_KEY: NO_OVERALL, AREA_SEND_KEY: AREA_SEND_LABEL}.get(key) \
            or grade_label(key)
        names.append(label)
        hollow = key == AREA_SEND_KEY  # area SEND: no four-point colour, ever
        fig.add_trace(go.Scatter(
            x=sub["date"], y=sub["row"], mode="markers+text", name=label,
            marker=dict(size=22, color="#ffffff" if hollow
                        else GRADE_COLOURS.get(key, NO_GRADE_COLOUR),
                        line=dict(color=TEXT if hollow else AXIS_LINE, width=2 if hollow else 1),
                        symbol={NO_GRADE_KEY: "diamond", AREA_SEND_KEY: "square"}.get(key,
                                                                                   "circle")),
            text=[GRADE_SHORT.get(key, "") for _ in range(len(sub))],
            textfont=dict(size=10, color=GRADE_TEXT_COLOURS.get(key, TEXT)),
            customdata=list(zip(sub["la_name"], sub["published_date"].astype(str),
                                sub["evidence"], strict=True)),
            hovertemplate="%{y}, %{customdata[0]}<br>ended %{x|%d %b %Y}, published "
                          "%{customdata[1]}<br>" + label
                          + "<br>evidence: %{customdata[2]}<extra></extra>"))
    rows = _row_order(set(data["row"]))
    fig.update_layout(showlegend=True, hovermode="closest",
                      legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"))
    fig.update_yaxes(**axis(categoryorder="array", categoryarray=rows, ticksuffix="  ",
                            autorange="reversed"))
    pad = pd.Timedelta(days=120)
    fig.update_xaxes(**axis(showgrid=True, showline=True, ticks="outside",
                            range=[data["date"].min() - pad, data["date"].max() + pad]))
    shown = [g for g in CHART_GRADES if (data["key"] == g).any()]
    letters = ", ".join(f"{GRADE_SHORT[g]} {grade_phrase(g)}" for g in shown)
    area_send = (data["key"] == AREA_SEND_KEY).any()
    footer = [f"Marker: overall effectiveness (letters: {letters or 'none graded'}); diamonds "
              "are ungraded visits and reviews"
              + ("; hollow squares are area SEND inspections, whose outcome is on a scale of "
                 "its own" if area_send else "") + "."
              + (" SLAC gave no overall grade: its marker is the worse of the strands it judged "
                 "(safeguarding, looked after children)." if (framework == "SLAC").any() else "")
              + " Placed at the end date (else the start, the publication, or the date of a "
              "paper that lists it)."]
    if "adequate" in shown:
        footer.append(categories.adequate_note())
    if NO_OVERALL_GRADE in shown:
        footer.append(f"NO: an ILACS inspection that started on or after "
                      f"{format_date(categories.REFORM_FROM)} gives no overall effectiveness "
                      "grade (its four other judgements stand).")
    return frame(fig, spec, kind=NAME, alt=alt_text(df, spec), plot_height=max(110, 48 * len(rows)),
                 margin_l=label_margin(rows),
                 top_axis=legend_rows(names, DESIGN_WIDTH - label_margin(rows) - 30),
                 axis_space=40, extra_footer=footer)


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
                     subtitle="Every inspection and visit in the collection since 2009, "
                              "with its predecessors'",
                     as_at=params.as_at, geography=name,
                     subject="overall effectiveness grade")
    return make_chart(NAME, params, spec, data, figure(data, spec), [QUERY])
