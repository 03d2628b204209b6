"""National picture over time: England's monthly shares by grade, stacked to 100% (adequate, the
pre-2013 scale's third grade, a band of its own), and under it, once the April 2026 change
reaches the series, the LAs with no overall grade each month (outside the shares).

Shares are drawn only for months with at least MIN_JUDGED_FOR_SHARE judged LAs
(etl/figures/chart.py): the months before are greyed out, and every month's count of judged LAs
is in the hover and the data (n_judged, drawn).

Query: national/grade_trend (each LA's latest judgement published by each month end).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from etl.figures import categories
from etl.figures import national_distribution as national
from etl.figures.chart import (
    EARLIEST,
    FRAMEWORK_START,
    GREYED_FILL,
    HISTORY_START,
    MIN_JUDGED_FOR_SHARE,
    Chart,
    NoData,
    data_status,
    few_judged_note,
    make_chart,
    option,
)
from etl.figures.shapes import legend_rows
from etl.figures.style import (
    AXIS_LINE,
    CHART_GRADES,
    DESIGN_WIDTH,
    GRADE_COLOURS,
    GRADE_PATTERNS,
    GRADE_SHORT,
    GRADE_TEXT_COLOURS,
    NOTE_FONT,
    SECONDARY_TEXT,
    TEXT,
    ChartSpec,
    area_label,
    area_phrase,
    axis,
    check_grades,
    format_date,
    format_pct,
    frame,
    grade_label,
    grade_phrase,
    label_margin,
    list_phrase,
    month,
    require_columns,
)
from etl.vocab import ADEQUATE, FRAMEWORKS, NO_OVERALL_GRADE
from etl.warehouse import queries

NAME = "national-trend"
QUERY = "national/grade_trend"
COLUMNS = ["as_at", "grade", "grade_label", "n", "share", "n_judged", "drawn"]
# The data table's columns in words (the page's display; downloads keep the names). The grade
# code is hidden on screen: its label says the same to a reader.
LABELS = {
    "as_at": "Month end",
    "grade": None,
    "grade_label": "Grade",
    "n": "LAs",
    "share": "Share of LAs with a judgement",
    "n_judged": "LAs judged that month",
    "drawn": "Share drawn",
}


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
    superseded: str = field(default="not_current",
                            metadata=national.Params.__dataclass_fields__["superseded"].metadata)
    wording: str = field(default="at_the_time",
                         metadata=national.Params.__dataclass_fields__["wording"].metadata)


def start(framework: str | None, as_at: dt.date | None = None) -> dt.date:
    """The trend starts with the framework (any framework: with SIF, November 2013, or with the
    official record in August 2009 when the date is before SIF)."""
    if framework is None and as_at is not None and as_at < EARLIEST:
        return HISTORY_START
    return FRAMEWORK_START.get(framework or "SIF", EARLIEST)


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    data = with_counts(df).assign(as_at=lambda d: pd.to_datetime(d["as_at"]))
    shown = data[data["drawn"]]
    first_at, last_at = shown["as_at"].min(), shown["as_at"].max()
    early = data.loc[~data["drawn"] & (data["as_at"] < first_at), "as_at"]

    def at(when: pd.Timestamp) -> str:
        rows = data[data["as_at"] == when].set_index("grade")
        graded = rows.drop(index=NO_OVERALL_GRADE, errors="ignore")
        judged = int(graded["n"].sum())
        parts = [f"{grade_phrase(g)} {format_pct(rows.loc[g, 'share'])}"
                 for g in CHART_GRADES if g in graded.index]
        text = f"{month(when)} ({judged} LAs judged): {list_phrase(parts)}"
        if NO_OVERALL_GRADE in rows.index:
            text += (f", and {int(rows.loc[NO_OVERALL_GRADE, 'n'])} with no overall grade "
                     "(inspected since the April 2026 change, outside the shares)")
        return text

    greyed = (f" Before {month(first_at)} fewer than {MIN_JUDGED_FOR_SHARE} LAs had a "
              f"judgement (from {month(early.min())}): no shares are drawn for those months."
              if len(early) else "")
    return (f"Stacked area chart of the {spec.subject} of local authorities in "
            f"{spec.geography}, monthly from {month(first_at)} to {month(last_at)}.{greyed} "
            f"{at(first_at)}; {at(last_at)}. Data as at {format_date(spec.as_at)}.")


def with_counts(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with each grade's label, each month's number of LAs with a judgement (the base
    of its shares: LAs with no overall grade are outside it) and whether its shares are drawn
    (at least MIN_JUDGED_FOR_SHARE of them)."""
    graded = df["grade"] != NO_OVERALL_GRADE
    judged = df["n"].where(graded, 0).groupby(df["as_at"]).transform("sum").astype(int)
    return df.assign(grade_label=df["grade"].map(grade_label), n_judged=judged,
                     drawn=judged >= MIN_JUDGED_FOR_SHARE)


def figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """Monthly share of LAs by grade (England), stacked to 100%, best grade on top.

    df: as_at (month end), grade, n, share (of LAs judged that month). Each band is labelled
    at its right end with its latest share, so the chart does not rely on colour alone.
    """
    require_columns(df, ("as_at", "grade", "n", "share"), "grade share over time")
    check_grades(df["grade"], "grade share over time")
    every = with_counts(df).assign(as_at=lambda d: pd.to_datetime(d["as_at"])) \
        .sort_values("as_at")
    if not every["drawn"].any():
        raise ValueError(f"grade share over time: no month with {MIN_JUDGED_FOR_SHARE} or more "
                         "LAs judged")
    none = every[every["grade"] == NO_OVERALL_GRADE]
    data = every[(every["grade"] != NO_OVERALL_GRADE) & every["drawn"]]
    months = every.drop_duplicates("as_at")[["as_at", "n_judged", "drawn"]]
    early = months[~months["drawn"] & (months["as_at"] < data["as_at"].min())]
    # LAs with no overall grade are outside the shares: a panel of their own below, counted
    fig = (make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.8, 0.2],
                         vertical_spacing=0.08) if len(none) else go.Figure())
    order = [g for g in reversed(CHART_GRADES) if g in set(data["grade"])]
    last = data[data["as_at"] == data["as_at"].max()].set_index("grade")
    cumulative = 0.0
    for grade in order:
        band = data[data["grade"] == grade]
        fig.add_trace(go.Scatter(
            x=band["as_at"], y=band["share"], name=grade_label(grade), mode="lines",
            stackgroup="grades",
            line=dict(width=0.5, color=AXIS_LINE if grade == ADEQUATE else "#ffffff"),
            fillcolor=GRADE_COLOURS[grade],
            # the pre-2013 band is patterned too: its near-white must not read as a gap
            fillpattern=dict(shape=GRADE_PATTERNS[grade], fgcolor=AXIS_LINE, fgopacity=0.5,
                             size=8, solidity=0.1) if grade == ADEQUATE else None,
            customdata=band[["n"]].to_numpy(),
            hovertemplate=f"{grade_label(grade)}: %{{y:.0%}} (%{{customdata[0]}} LAs)"
                          "<extra>%{x|%b %Y}</extra>",
        ))
        share = float(last["share"].get(grade, 0.0)) if grade in last.index else 0.0
        if share >= 0.04:
            fig.add_annotation(
                x=data["as_at"].max(), y=cumulative + share / 2, xanchor="left", xshift=6,
                text=f"{GRADE_SHORT[grade]} {format_pct(share)}", showarrow=False,
                font=dict(size=NOTE_FONT + 1, color=TEXT))
        cumulative += share
    # every month's count of judged LAs in the unified hover (an invisible line along the top),
    # the greyed months included: what each month's shares rest on
    fig.add_trace(go.Scatter(
        x=months["as_at"], y=[1.0] * len(months), mode="lines", line=dict(width=0),
        name="LAs with a judgement", showlegend=False,
        customdata=months[["n_judged"]].to_numpy(),
        hovertemplate="LAs with a judgement: %{customdata[0]}<extra></extra>"))
    if len(early):
        fig.add_vrect(x0=early["as_at"].min(), x1=data["as_at"].min(), fillcolor=GREYED_FILL,
                      line_width=0, layer="below")
        fig.add_annotation(
            x=early["as_at"].min(), y=0.5, xanchor="left", xshift=4, showarrow=False,
            text=f"Fewer than<br>{MIN_JUDGED_FOR_SHARE} LAs<br>judged", align="left",
            font=dict(size=NOTE_FONT, color=SECONDARY_TEXT))
    fig.update_layout(showlegend=True, legend=dict(orientation="h", x=0, y=1.02,
                                                   yanchor="bottom", traceorder="reversed"),
                      hovermode="x unified")
    x_range = [months["as_at"].min(), data["as_at"].max()]
    fig.update_xaxes(**axis(showgrid=False, range=x_range))
    if len(none):
        fig.update_yaxes(**axis(tickformat=".0%", range=[0, 1], dtick=0.25), row=1, col=1)
    else:
        fig.update_yaxes(**axis(tickformat=".0%", range=[0, 1], dtick=0.25))
    plot_height = 360
    if len(none):
        top_n = int(none["n"].max())
        fig.add_trace(go.Bar(
            # a month wide (the last point may be days after the one before it)
            x=none["as_at"], y=none["n"], width=[25 * 86_400_000] * len(none),
            name=f"{GRADE_SHORT[NO_OVERALL_GRADE]}: {grade_label(NO_OVERALL_GRADE)} (LAs, "
                 "outside the shares)",
            marker=dict(color=GRADE_COLOURS[NO_OVERALL_GRADE],
                        pattern=dict(shape=GRADE_PATTERNS[NO_OVERALL_GRADE],
                                     fillmode="overlay",
                                     fgcolor=GRADE_TEXT_COLOURS[NO_OVERALL_GRADE],
                                     fgopacity=0.35, size=6)),
            showlegend=False,
            hovertemplate="No overall grade: %{y} LAs<extra>%{x|%b %Y}</extra>"), row=2, col=1)
        fig.update_yaxes(**axis(range=[0, top_n * 1.3], tickformat="d",
                                dtick=max(1, -(-top_n // 2)), showgrid=True),
                         row=2, col=1)
        fig.update_xaxes(**axis(showgrid=False, range=x_range), row=2, col=1)
        latest = none.iloc[-1]
        fig.add_annotation(
            x=latest["as_at"], y=int(latest["n"]), xref="x2", yref="y2", xanchor="left",
            xshift=6, showarrow=False, font=dict(size=NOTE_FONT + 1, color=TEXT),
            text=f"{GRADE_SHORT[NO_OVERALL_GRADE]} {int(latest['n'])}")
        fig.add_annotation(
            x=0, y=1, xref="x2 domain", yref="y2 domain", xanchor="left", yanchor="bottom",
            showarrow=False, font=dict(size=NOTE_FONT, color=SECONDARY_TEXT),
            text="LAs with no overall grade (inspected since the April 2026 change), outside "
                 "the shares")
        plot_height = 470
    wording = str(spec.extra.get("wording", "at_the_time"))
    footer = []
    if ADEQUATE in set(data["grade"]) or wording == "current":
        footer.append(categories.adequate_note(wording))
    if len(none):
        footer.append(f"Lower panel, {month(none['as_at'].iloc[-1])}: "
                      + categories.no_overall_note(int(none["n"].iloc[-1])))
    n_superseded = int(spec.extra.get("n_superseded", 0))
    if n_superseded:
        footer.append(categories.no_overall_note(n_superseded, "carry_forward"))
    footer.append(few_judged_note("England"))
    rows = legend_rows([grade_label(g) for g in order], DESIGN_WIDTH - 60 - 90)
    return frame(fig, spec, kind=NAME, alt=alt_text(df, spec), plot_height=plot_height,
                 margin_l=label_margin(["100%"]), margin_r=90, top_axis=rows,
                 extra_footer=footer)


def superseded_at_end(con: duckdb.DuckDBPyConnection, params: Params) -> int:
    """LAs counted under a superseded grade at the series' last date (carry_forward only)."""
    if params.superseded != "carry_forward":
        return 0
    dist = queries.run(con, national.QUERY, as_at=params.as_at, area=params.area,
                       framework=params.framework, published_by=None, which="latest",
                       include_secondary=params.include_secondary,
                       superseded=params.superseded, wording=params.wording)
    return int(dist["n_superseded"].max()) if len(dist) else 0


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    since = start(params.framework, params.as_at)
    if params.as_at < since:
        raise NoData(f"The {params.framework} framework starts on {format_date(since)}: "
                     "choose a later date to see its trend.")
    data = queries.run(con, QUERY, area=params.area, from_date=since, as_at=params.as_at,
                       framework=params.framework,
                       include_secondary=params.include_secondary,
                       superseded=params.superseded, wording=params.wording)
    if data.empty:
        raise NoData(f"No {area_phrase(params.area)} judgements were published between "
                     f"{format_date(since)} and {format_date(params.as_at)} on this basis.")
    data = with_counts(data)[COLUMNS]
    if not data["drawn"].any():
        raise NoData(f"Fewer than {MIN_JUDGED_FOR_SHARE} LAs had a published "
                     f"{area_phrase(params.area)} judgement at any month end between "
                     f"{format_date(since)} and {format_date(params.as_at)}: too few for a "
                     "share. Choose a later date.")
    spec = ChartSpec(
        **data_status(con),
        title=f"{area_label(params.area)}: England, month by month",
        subtitle=f"{national.framework_label(params.framework)}; share of LAs with a "
                 "published judgement at each month end",
        as_at=params.as_at,
        basis="Basis: each LA's latest judgement published on or before each month end; "
              "shares are of the LAs with one that month (hover for the count).",
        subject=f"latest {area_phrase(params.area)} grade",
        extra={"wording": params.wording, "superseded": params.superseded,
               "n_superseded": str(superseded_at_end(con, params))},
    )
    return make_chart(NAME, params, spec, data, figure(data, spec), [QUERY])
