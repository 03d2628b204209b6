"""England's children's social care providers judged good or better over time: Ofsted's
published national series on the 2009 band zones, with the same figure computed from the
provider-level data beside it wherever a release holds them.

Query: local_area/provider_national_series (provider_national_shares).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures.chart import Chart, NoData, data_status, make_chart, option
from etl.figures.local_area import (
    BANDS_PAPER,
    PROVIDER_CHOICES,
    PROVIDER_LABELS,
    add_band_zones,
    band_name,
    provider_phrase,
    provider_source,
    share_of,
    source_title,
)
from etl.figures.style import (
    AXIS_LINE,
    BASE_FONT,
    HIGHLIGHT_COLOURS,
    SECONDARY_TEXT,
    TEXT,
    ChartSpec,
    axis,
    format_date,
    format_pct,
    frame,
    list_phrase,
    require_columns,
)
from etl.warehouse import queries

NAME = "provider-national"
QUERY = "local_area/provider_national_series"
MEASURES = {
    "latest_overall_effectiveness": "latest grade of every provider as at 31 March, "
                                    "Ofsted's tables 8a–8n",
    "in_year_overall_effectiveness": "grades of the year's full inspections, "
                                     "Ofsted's tables 9a–9e",
}
COLUMNS = ["period_end", "period_label", "provider_group", "measure", "n_outstanding", "n_good",
           "n_requires_improvement", "n_inadequate", "n_judged", "n_good_or_better",
           "share_good_or_better", "band", "computed_n_judged", "computed_n_good_or_better",
           "computed_share_good_or_better", "n_registered", "places", "table_ref"]
# Plain-English names of COLUMNS for the page's data table (the downloads keep the names).
LABELS = {"period_end": "Period end", "period_label": "Period",
          "provider_group": "Provider type", "measure": "Series",
          "n_outstanding": "Outstanding", "n_good": "Good",
          "n_requires_improvement": "Requires improvement", "n_inadequate": "Inadequate",
          "n_judged": "With a grade (published)",
          "n_good_or_better": "Good or better (published)",
          "share_good_or_better": "Share good or better (published)", "band": "Band (2009 performance bands)",
          "computed_n_judged": "With a grade (computed)",
          "computed_n_good_or_better": "Good or better (computed)",
          "computed_share_good_or_better": "Share good or better (computed)",
          "n_registered": "Registered providers", "places": "Places (registered)",
          "table_ref": "Ofsted table"}
PUBLISHED = HIGHLIGHT_COLOURS[0]
COMPUTED = HIGHLIGHT_COLOURS[1]


@dataclass(frozen=True)
class Params:
    provider_type: str = field(default="all",
                               metadata=option("provider type or group (default all providers)",
                                               choices=PROVIDER_CHOICES))
    measure: str = field(default="latest_overall_effectiveness",
                         metadata=option("Ofsted's series: latest grades as at 31 March, or "
                                         "the year's full inspections",
                                         choices=tuple(MEASURES)))


def period(r: pd.Series) -> str:
    """'31 March 2023' (latest grades) or '2022-23' (a year's inspections)."""
    if r["measure"] == "in_year_overall_effectiveness":
        return str(r["period_label"])
    return format_date(r["period_end"])


def tick(r: pd.Series) -> str:
    """A period's label on the axis: '2023' (latest grades as at 31 March) or '2022-23'."""
    if r["measure"] == "in_year_overall_effectiveness":
        return str(r["period_label"])
    return str(pd.Timestamp(r["period_end"]).year)


def published(r: pd.Series) -> str:
    """Ofsted's published figure of a period: '82% (2915 of 3546)'."""
    return share_of(r["n_good_or_better"], r["n_judged"], r["share_good_or_better"])


def computed(r: pd.Series) -> str:
    """The figure computed from the provider-level data of a period."""
    return share_of(r["computed_n_good_or_better"], r["computed_n_judged"],
                    r["computed_share_good_or_better"])


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    shown = df[df["n_judged"] > 0]
    parts = [f"{period(r)} {format_pct(r['share_good_or_better'])} ({band_name(r['band'])})"
             for _, r in shown.iterrows()]
    gaps = [period(r) for _, r in df.iterrows() if not r["n_judged"]]
    comp = [f"{period(r)}: published {published(r)}, computed {computed(r)}"
            for _, r in df[df["computed_n_judged"].notna()].iterrows()]
    measure = MEASURES.get(str(df["measure"].iloc[0]), "") if len(df) else ""
    return (
        f"Line chart of the {spec.subject} in England ({measure}), from Ofsted's published "
        f"series, on the 2009 performance bands: {'; '.join(parts)}."
        + (f" No figure for {list_phrase(gaps)} (no inspections counted)." if gaps else "")
        + (f" Computed from the provider-level data beside it: {'; '.join(comp)}." if comp
           else "")
    )


def figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """The published share good or better per period (a line with each point labelled), the
    computed share as an open diamond on the same date, band zones behind.

    df: period_end, n_judged, n_good_or_better, share_good_or_better, band,
    computed_n_judged, computed_n_good_or_better, computed_share_good_or_better, measure,
    period_label.
    """
    require_columns(df, ("period_end", "n_judged", "n_good_or_better", "share_good_or_better",
                         "band", "computed_n_judged", "computed_share_good_or_better",
                         "measure", "period_label"), "provider national series")
    if df["period_end"].duplicated().any():
        raise ValueError("provider national series: duplicate periods")
    pub = df[df["n_judged"] > 0]
    comp = df[df["computed_n_judged"].notna() & (df["computed_n_judged"] > 0)]
    values = [*pub["share_good_or_better"], *comp["computed_share_good_or_better"]]
    lo = min(0.5, math.floor((min(values) - 0.05) * 10) / 10) if values else 0.5
    fig = go.Figure()
    add_band_zones(fig, axis="y", lo=lo, hi=1.0)
    # categories named by period ('31 Mar 2023', '2022-23'); a break in the line where a
    # period has no figure (no inspections counted)
    x = [tick(r) for _, r in df.iterrows()]
    y = [float(r["share_good_or_better"]) if r["n_judged"] else None for _, r in df.iterrows()]
    has_comp = set(comp["period_end"])
    fig.add_trace(go.Scatter(
        x=x, y=y, mode="lines+markers+text", name="Ofsted's published figure",
        line=dict(color=PUBLISHED, width=3), marker=dict(size=8, color=PUBLISHED),
        text=[format_pct(v) if v is not None else "" for v in y],
        # beside the point where the computed diamond sits on it
        textposition=["middle left" if d in has_comp else "top center"
                      for d in df["period_end"]],
        textfont=dict(size=BASE_FONT - 3, color=TEXT), connectgaps=False,
        customdata=[f"{period(r)}: {published(r)} · {band_name(r['band'])}"
                    for _, r in df.iterrows()],
        hovertemplate="Published, %{customdata}<extra></extra>",
    ))
    if len(comp):
        fig.add_trace(go.Scatter(
            x=[tick(r) for _, r in comp.iterrows()],
            y=list(comp["computed_share_good_or_better"]),
            mode="markers", name="Computed from the provider-level data",
            marker=dict(symbol="diamond-open", size=18, color=COMPUTED, line=dict(width=2.5)),
            customdata=[f"{period(r)}: {computed(r)}" for _, r in comp.iterrows()],
            hovertemplate="Computed, %{customdata}<extra></extra>",
        ))
    gaps = df[df["n_judged"] == 0]
    for _, r in gaps.iterrows():
        fig.add_annotation(x=tick(r), y=lo, yanchor="bottom", showarrow=False,
                           text="no<br>inspections", font=dict(size=BASE_FONT - 4,
                                                               color=SECONDARY_TEXT))
    fig.update_yaxes(**axis(range=[lo, 1.0], tickformat=".0%", dtick=0.1, showgrid=True,
                            title=dict(text="Share good or better",
                                       font=dict(size=BASE_FONT - 1, color=SECONDARY_TEXT))))
    fig.update_xaxes(**axis(showline=True, ticks="outside", tickcolor=AXIS_LINE,
                            type="category", categoryorder="array", categoryarray=x,
                            tickangle=0,
                            title=dict(text="Financial year" if df["measure"].iloc[0]
                                       == "in_year_overall_effectiveness" else "As at 31 March",
                                       font=dict(size=BASE_FONT - 1, color=SECONDARY_TEXT))))
    fig.update_layout(
        showlegend=True, hovermode="closest",
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom",
                    font=dict(size=BASE_FONT - 1), traceorder="normal"),
    )
    footer = []
    if lo > 0:
        footer.append(f"The vertical axis starts at {format_pct(lo)}.")
    return frame(fig, spec, kind=NAME, alt=alt_text(df, spec), plot_height=330,
                 margin_l=80, margin_r=100, axis_space=64, top_axis=1, extra_footer=footer)


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    p = params
    if p.provider_type not in PROVIDER_LABELS:
        raise NoData(f"Unknown provider type {p.provider_type!r}: one of "
                     f"{', '.join(PROVIDER_CHOICES)}.")
    if p.measure not in MEASURES:
        raise NoData(f"Unknown measure {p.measure!r}: one of {', '.join(MEASURES)}.")
    df = queries.run(con, QUERY, provider_group=p.provider_type, measure=p.measure)
    what = provider_phrase(p.provider_type)
    if df.empty or not (df["n_judged"] > 0).any():
        raise NoData(f"Ofsted's national series has no {MEASURES[p.measure].split(', ')[0]} "
                     f"for {what}: its tables of the year's inspections (9a–9e) cover "
                     "children's homes and residential special schools only. Try the latest "
                     "grades as at 31 March.")
    data = df[COLUMNS].copy()
    last = df[df["computed_n_judged"].notna()].tail(1)
    subtitle = MEASURES[p.measure][0].upper() + MEASURES[p.measure][1:]
    if len(last):
        r = last.iloc[0]
        subtitle += f". {period(r)}: published {published(r)}, computed {computed(r)}"
    end = df.iloc[-1]
    note = df["note"].dropna()
    spec = ChartSpec(
        **data_status(con),
        title=f"{PROVIDER_LABELS[p.provider_type]}: share good or better in England",
        subtitle=subtitle,
        as_at=pd.Timestamp(end["period_end"]).date(),
        basis=("Published: Ofsted's national tables, share of providers with an overall grade "
               "judged outstanding or good. Computed: the same count made from the release's "
               "provider-level sheets; where the two differ, the published table and the "
               "provider list count slightly different sets of providers. Bands: Ofsted's 2009 "
               f"performance bands ({BANDS_PAPER})."),
        notes="; ".join(note) if len(note) else "",
        source=provider_source(source_title(con, end["source_id"]), None),
        subject=f"share of {what} judged good or better",
    )
    return make_chart(NAME, params, spec, data, figure(data, spec), [QUERY])
