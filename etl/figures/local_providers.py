"""An LA's children's social care providers good or better, by provider type, against its
statistical neighbours, its region and England: a dot per group on the 2009 band zones, each
dot's share, count and band written beside it.

Query: local_area/provider_comparison (pooled over each group's providers, in SQL).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures import neighbours
from etl.figures.chart import Chart, NoData, data_status, make_chart, option
from etl.figures.local_area import (
    LOCAL_VINTAGES,
    PROVIDER_BASIS,
    add_band_zones,
    band_name,
    no_release_message,
    provider_source,
    share_of,
)
from etl.figures.style import (
    AXIS_LINE,
    BAND_COLOURS,
    BASE_FONT,
    NO_GRADE_COLOUR,
    SECONDARY_TEXT,
    TEXT,
    ChartSpec,
    axis,
    format_date,
    format_pct,
    frame,
    list_phrase,
    require_columns,
    text_width,
)
from etl.warehouse import queries

NAME = "local-providers"
QUERY = "local_area/provider_comparison"
COMPARATORS = ("la", "neighbours", "region", "england")
SYMBOLS = {"la": "diamond", "neighbours": "circle", "region": "square", "england": "triangle-up"}
COLUMNS = ["provider_type", "provider_type_label", "comparator", "comparator_name", "n_las",
           "n_las_with_providers", "n_providers", "n_good_or_better", "share_good_or_better",
           "band", "places", "places_good_or_better", "share_places_good_or_better",
           "facts_as_at"]
# Plain-English names of COLUMNS for the page's data table (the downloads keep the names).
LABELS = {"provider_type": "Provider type code", "provider_type_label": "Provider type",
          "comparator": "Group code", "comparator_name": "Group", "n_las": "LAs",
          "n_las_with_providers": "LAs with such providers",
          "n_providers": "Providers with a grade", "n_good_or_better": "Good or better",
          "share_good_or_better": "Share good or better", "band": "Band (2009 performance bands)",
          "places": "Places", "places_good_or_better": "Places good or better",
          "share_places_good_or_better": "Share of places good or better",
          "facts_as_at": "Providers as at"}
LABEL_WRAP = 34  # characters per line of a provider type's heading


@dataclass(frozen=True)
class Params:
    la: str = field(metadata=option("the LA: DfE code or name (e.g. 891 or Nottinghamshire)"))
    as_at: dt.date = field(default_factory=dt.date.today,
                           metadata=option("the latest provider release on or before this date "
                                           "(default today)"))
    vintage: str = field(default="current",
                         metadata=option("DfE statistical neighbour set",
                                         choices=LOCAL_VINTAGES))


def group_label(row: pd.Series) -> str:
    """How a comparator is named on its row: the LA, 'Statistical neighbours', the region."""
    return str(row["comparator_name"])


def value_text(row: pd.Series) -> str:
    """'94% (49 of 52) · dark green', or why there is no share."""
    if not row["n_providers"]:
        return "no provider of this type"
    return f"{share_of(row['n_good_or_better'], row['n_providers'], row['share_good_or_better'])}" \
           f" · {band_name(row['band'])}"


def places_text(row: pd.Series) -> str:
    if not row["n_providers"]:
        return ""
    if not row["places"]:
        return "agencies: no places"
    return (f"{int(row['places'])} places, {format_pct(row['share_places_good_or_better'])} "
            "good or better")


# --------------------------------------------------------------------------- figure


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    la = df[df["comparator"] == "la"]
    name = str(la["comparator_name"].iloc[0]) if len(la) else "the LA"
    parts = []
    for ptype, rows in df.groupby("provider_type_label", sort=False):
        bits = [f"{group_label(r)} {value_text(r)}" for _, r in rows.iterrows()]
        parts.append(f"{ptype}: {'; '.join(bits)}")
    return (
        f"Dot chart of the share of {name}'s children's social care providers judged good or "
        f"better at their latest inspection, by provider type, as at "
        f"{format_date(spec.as_at)}, beside {spec.geography}, on the 2009 performance bands (80% or more "
        f"dark green, 65–79% light green, 50–64% amber, under 50% red). "
        + ". ".join(parts) + "."
    )


def figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """One block per provider type (frame order), one row per comparator (la, neighbours,
    region, england) with a dot at its share good or better filled with its band's colour;
    the share, count and band are written at the right of each row, the LA's places under the
    type's heading.

    df: the columns of local_area/provider_comparison, rows grouped by provider type.
    """
    require_columns(df, ("provider_type", "provider_type_label", "comparator",
                         "comparator_name", "n_providers", "n_good_or_better",
                         "share_good_or_better", "band", "places",
                         "share_places_good_or_better"), "local providers")
    if df.duplicated(["provider_type", "comparator"]).any():
        raise ValueError("local providers: duplicate (provider_type, comparator) rows")
    bad = sorted(set(df["comparator"]) - set(COMPARATORS))
    if bad:
        raise ValueError(f"local providers: unknown comparators {bad}")
    fig = go.Figure()
    y = 0
    rows_y: list[tuple[int, pd.Series]] = []
    headings: list[tuple[int, str]] = []
    for _, block in df.groupby("provider_type", sort=False):
        first = block.iloc[0]
        la = block[block["comparator"] == "la"]
        lines = textwrap.wrap(str(first["provider_type_label"]), LABEL_WRAP)
        heading = "<b>" + "<br>".join(lines) + "</b>"
        if len(la) and la.iloc[0]["n_providers"]:
            heading += (f"<br><span style='color:{SECONDARY_TEXT}'>"
                        f"{la.iloc[0]['comparator_name']}: {places_text(la.iloc[0])}</span>")
            lines.append("")
        headings.append((y + 0.3 * (len(lines) - 1), heading))
        y += 1 + 0.62 * (len(lines) - 1)
        for comparator in COMPARATORS:
            sub = block[block["comparator"] == comparator]
            if len(sub):
                rows_y.append((y, sub.iloc[0]))
                y += 1
        y += 0.35
    for comparator in COMPARATORS:
        pts = [(yy, r) for yy, r in rows_y if r["comparator"] == comparator and r["n_providers"]]
        is_la = comparator == "la"
        fig.add_trace(go.Scatter(
            x=[float(r["share_good_or_better"]) for _, r in pts], y=[yy for yy, _ in pts],
            mode="markers", showlegend=False,
            marker=dict(symbol=SYMBOLS[comparator], size=17 if is_la else 12,
                        color=[BAND_COLOURS.get(r["band"], NO_GRADE_COLOUR) for _, r in pts],
                        line=dict(color=TEXT, width=1.6 if is_la else 1)),
            customdata=[f"{group_label(r)}, {r['provider_type_label']}: {value_text(r)}"
                        + (f"; {places_text(r)}" if places_text(r) else "") for _, r in pts],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    # the value column at the right of the plot, one line per row
    texts = [value_text(r) for _, r in rows_y]
    for (yy, r), text in zip(rows_y, texts, strict=True):
        bold = r["comparator"] == "la"
        fig.add_annotation(
            x=1, y=yy, xref="paper", yref="y", xanchor="left", xshift=10, showarrow=False,
            text=f"<b>{text}</b>" if bold else text,
            font=dict(size=BASE_FONT - 2, color=TEXT if r["n_providers"] else SECONDARY_TEXT),
        )
    tick_text = [f"<b>{group_label(r)}</b>" if r["comparator"] == "la" else group_label(r)
                 for _, r in rows_y]
    margin_l = int(max(text_width(t, BASE_FONT - 1) for t in tick_text) + 28)
    # the headings start at the figure's left edge and may run under the row labels' column
    margin_l = max(margin_l, 150)
    for yy, heading in headings:
        fig.add_annotation(
            x=0, y=yy, xref="paper", yref="y", xanchor="left", yanchor="middle",
            xshift=-margin_l + 14, showarrow=False, align="left", text=heading,
            font=dict(size=BASE_FONT - 1, color=TEXT),
        )
    add_band_zones(fig, axis="x")
    margin_r = int(max(text_width(t, BASE_FONT - 2) for t in texts) * 1.05 + 24)
    fig.update_yaxes(**axis(autorange=False, range=[y - 0.2, -0.7],
                            tickvals=[yy for yy, _ in rows_y], ticktext=tick_text,
                            ticksuffix="  ", tickfont=dict(size=BASE_FONT - 1, color=TEXT)))
    fig.update_xaxes(**axis(range=[0, 1.02], tickformat=".0%", dtick=0.2, tickangle=0, showline=True,
                            ticks="outside", tickcolor=AXIS_LINE, showgrid=True,
                            title=dict(text="Share of providers good or better",
                                       font=dict(size=BASE_FONT - 1, color=SECONDARY_TEXT))))
    # every row is named, so the dot shapes need no legend
    fig.update_layout(showlegend=False, hovermode="closest")
    return frame(
        fig, spec, kind=NAME, alt=alt_text(df, spec), plot_height=int(23 * y) + 10,
        margin_l=margin_l, margin_r=margin_r, axis_space=56, top_axis=1,
        extra_footer=["Dots are filled with the band's colour and the band is named beside "
                      "each; shaded zones mark the bands. Shares of providers with a grade; "
                      "places: registered places of those providers (agencies have none)."],
    )


# --------------------------------------------------------------------------- render


def not_in_release(con: duckdb.DuckDBPyConnection, la: str, name: str,
                   facts_as_at: dt.date) -> NoData:
    """Why an LA has no providers in a release: it was created after the release's date, and
    the release counts its area's providers under the LA(s) it replaced."""
    links = queries.run(con, "la/reorganisations", la_code=la)
    before = links[links["relation"] == "predecessor"]
    under = list_phrase([f"{r.other_name} ({r.other_la_code})" for r in before.itertuples()])
    created = (f" was created on {format_date(before['change_date'].iloc[0])}, after"
               if len(before) else " did not exist on the date of")
    return NoData(
        f"{name}{created} the latest provider release in the database (providers as at "
        f"{format_date(facts_as_at)}). That release counts its area's providers under "
        f"{under or 'the council it replaced'}: choose that LA to see them. {name}'s own "
        "figures will come with a later release."
    )


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    p = params
    df = queries.run(con, QUERY, la_code=p.la, as_at=p.as_at, vintage=p.vintage)
    if df.empty:
        raise NoData(no_release_message(con, p.as_at))
    name, region = neighbours.la_facts(con, p.la)
    facts_as_at = pd.Timestamp(df["facts_as_at"].iloc[0]).date()
    la = df[df["comparator"] == "la"]
    if (la["n_las"] == 0).all():
        raise not_in_release(con, p.la, name, facts_as_at)
    data = df[COLUMNS].copy()
    data["comparator_name"] = [
        f"Statistical neighbours ({int(r.n_las)})" if r.comparator == "neighbours"
        else r.comparator_name for r in data.itertuples()]
    vintage = neighbours.VINTAGES[p.vintage]
    first = df.iloc[0]
    spec = ChartSpec(
        **data_status(con),
        title=f"{name}: children's social care providers good or better",
        subtitle=f"By provider type, against its statistical neighbours ({vintage}), "
                 f"{region or 'its region'} and England; the 2009 performance bands",
        as_at=facts_as_at,
        basis=PROVIDER_BASIS + (f" The latest release on or before {format_date(p.as_at)}."
                                if p.as_at != facts_as_at else ""),
        source=provider_source(first["source_title"], facts_as_at),
        subject="share of providers good or better",
        geography=f"{name}'s statistical neighbours, {region or 'its region'} and England",
    )
    return make_chart(NAME, params, spec, data, figure(data, spec), [QUERY])
