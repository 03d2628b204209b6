"""Area SEND inspection outcomes in England and each region as at a date (100% stacked bars on
the 2023 framework's own three-point scale), with how many LAs have been inspected so far.

Query: local_area/area_send_distribution.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures.chart import Chart, NoData, data_status, make_chart, option
from etl.figures.local_area import AREA_SEND_BASIS, AREA_SEND_SOURCE, AREA_SEND_START
from etl.figures.style import (
    AREA_SEND_COLOURS,
    AREA_SEND_LABELS,
    AREA_SEND_PATTERNS,
    AREA_SEND_TEXT_COLOURS,
    AXIS_LINE,
    BASE_FONT,
    SECONDARY_TEXT,
    ChartSpec,
    axis,
    format_date,
    format_pct,
    frame,
    label_margin,
    require_columns,
)
from etl.vocab import AREA_SEND_GRADES
from etl.warehouse import queries

NAME = "area-send-national"
QUERY = "local_area/area_send_distribution"
COLUMNS = ["geography", "outcome", "outcome_label", "n", "share", "n_with_outcome",
           "n_inspected", "n_las", "share_inspected"]


# Plain-English names of COLUMNS for the page's data table (the downloads keep the names).
LABELS = {"geography": "England or region", "outcome": "Outcome code",
          "outcome_label": "Outcome", "n": "LAs", "share": "Share of LAs with an outcome",
          "n_with_outcome": "LAs with a published outcome", "n_inspected": "LAs inspected",
          "n_las": "LAs then", "share_inspected": "Share of LAs inspected"}


@dataclass(frozen=True)
class Params:
    as_at: dt.date = field(default_factory=dt.date.today,
                           metadata=option("the date the outcomes are as at (default today)"))
    published_by: dt.date | None = field(
        default=None, metadata=option("reports published by this later date (default the "
                                      "as-at date)"))


def geography_label(row: pd.Series) -> str:
    """'London: 14 of 33 inspected (42%)'."""
    return (f"{row['geography']}: {int(row['n_inspected'])} of {int(row['n_las'])} inspected "
            f"({format_pct(row['share_inspected'])})")


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    parts = []
    for geo, rows in df.groupby("geography", sort=False):
        first = rows.iloc[0]
        shares = ", ".join(f"{format_pct(r['share'])} {AREA_SEND_LABELS[r['outcome']].lower()}"
                           for _, r in rows.iterrows() if r["n_with_outcome"])
        parts.append(f"{geo}: {int(first['n_inspected'])} of {int(first['n_las'])} LAs "
                     f"inspected ({format_pct(first['share_inspected'])})"
                     + (f"; {shares}" if shares else ""))
    return (
        f"Stacked bar chart of the latest area SEND inspection outcomes (2023 framework) of the "
        f"local authorities in England and each region as at {format_date(spec.as_at)}, as "
        f"shares of the LAs with a published outcome. " + ". ".join(parts) + "."
    )


def figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """100% stacked bars of the three outcomes per geography (England first, in bold), each
    row named with how many of its LAs have been inspected so far; segments are labelled with
    their count and share, and the two worse outcomes are also hatched.

    df: geography, outcome, n, share, n_with_outcome, n_inspected, n_las, share_inspected.
    """
    require_columns(df, ("geography", "outcome", "n", "share", "n_with_outcome", "n_inspected",
                         "n_las", "share_inspected"), "area SEND distribution")
    bad = sorted(set(df["outcome"]) - set(AREA_SEND_GRADES))
    if bad:
        raise ValueError(f"area SEND distribution: unknown outcomes {bad}")
    if df.duplicated(["geography", "outcome"]).any():
        raise ValueError("area SEND distribution: duplicate (geography, outcome) rows")
    geos = list(dict.fromkeys(df["geography"]))
    firsts = {g: df[df["geography"] == g].iloc[0] for g in geos}
    labels = [f"<b>{geography_label(firsts[g])}</b>" if g == "England"
              else geography_label(firsts[g]) for g in geos]
    fig = go.Figure()
    for outcome in AREA_SEND_GRADES:
        rows = df[df["outcome"] == outcome].set_index("geography").reindex(geos)
        shares = rows["share"].fillna(0.0).astype(float).tolist()
        ns = rows["n"].fillna(0).astype(int).tolist()
        fig.add_trace(go.Bar(
            y=labels, x=shares, orientation="h", name=AREA_SEND_LABELS[outcome],
            marker=dict(color=AREA_SEND_COLOURS[outcome], line=dict(color="#ffffff", width=1),
                        pattern=dict(shape=AREA_SEND_PATTERNS[outcome], fillmode="overlay",
                                     fgcolor=AREA_SEND_TEXT_COLOURS[outcome], fgopacity=0.3,
                                     size=8, solidity=0.12)),
            text=[f"{n} ({format_pct(s)})" if s >= 0.12 else (str(n) if s >= 0.05 else "")
                  for n, s in zip(ns, shares, strict=True)],
            textposition="inside", insidetextanchor="middle",
            textfont=dict(color=AREA_SEND_TEXT_COLOURS[outcome], size=BASE_FONT - 2),
            customdata=list(zip(geos, ns, strict=True)),
            hovertemplate="%{customdata[0]}: " + AREA_SEND_LABELS[outcome]
            + " %{customdata[1]} (%{x:.0%})<extra></extra>",
        ))
    fig.update_layout(
        barmode="stack", bargap=0.3, showlegend=True,
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom",
                    traceorder="normal", font=dict(size=BASE_FONT - 1)),
    )
    fig.update_yaxes(**axis(categoryorder="array", categoryarray=labels, autorange="reversed",
                            ticksuffix="  "))
    fig.update_xaxes(**axis(range=[0, 1], tickformat=".0%", dtick=0.25, ticks="outside",
                            tickcolor=AXIS_LINE, showline=True,
                            title=dict(text="Share of inspected LAs with a published outcome",
                                       font=dict(size=BASE_FONT - 1, color=SECONDARY_TEXT))))
    return frame(
        fig, spec, kind=NAME, alt=alt_text(df, spec), plot_height=36 * len(geos) + 20,
        axis_space=58, margin_l=label_margin(labels, BASE_FONT), top_axis=3,
        extra_footer=["Each bar: LAs inspected so far under the 2023 framework with a "
                      "published outcome, by outcome (count and share; small segments are not "
                      "labelled). Hatching marks inconsistent (/) and systemic failings (x)."],
    )


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    p = params
    if p.as_at < AREA_SEND_START:
        raise NoData(f"The 2023 area SEND framework's inspections began in "
                     f"{AREA_SEND_START:%B %Y}: choose a later date than "
                     f"{format_date(p.as_at)}.")
    data = queries.run(con, QUERY, as_at=p.as_at, published_by=p.published_by)[COLUMNS]
    england = data[data["geography"] == "England"]
    if england.empty or int(england["n_with_outcome"].iloc[0]) == 0:
        raise NoData(f"No area SEND inspection under the 2023 framework had a published "
                     f"outcome by {format_date(p.published_by or p.as_at)}. The first reports "
                     "were published in spring 2023: choose a later date.")
    first = england.iloc[0]
    later = (f" whose report was published by {format_date(p.published_by)}"
             if p.published_by and p.published_by != p.as_at else "")
    spec = ChartSpec(
        **data_status(con),
        title="Area SEND inspection outcomes: England and regions",
        subtitle=f"Latest inspection under the 2023 framework{later}; "
                 f"{int(first['n_inspected'])} of England's {int(first['n_las'])} LAs "
                 f"({format_pct(first['share_inspected'])}) inspected so far",
        as_at=p.as_at, basis=AREA_SEND_BASIS, source=AREA_SEND_SOURCE,
        subject="latest area SEND inspection outcome",
    )
    return make_chart(NAME, params, spec, data, figure(data, spec), [QUERY])
