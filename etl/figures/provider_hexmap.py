"""Hex map of England's LAs by the 2009 performance band of the share of their children's social care
providers (all, or one type) judged good or better; each hexagon lettered with its band.

Queries: neighbours/hexmap (cells and layout), local_area/provider_shares (each LA's share and
band in the release as at the date). The hexagons are drawn by hexmap.draw_hexes, the grade
map's own machinery.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures.chart import Chart, NoData, data_status, make_chart, option
from etl.figures.hexmap import HexKey, draw_hexes
from etl.figures.local_area import (
    PROVIDER_BASIS,
    PROVIDER_CHOICES,
    PROVIDER_LABELS,
    band_name,
    no_release_message,
    provider_phrase,
    provider_source,
    share_of,
    source_title,
)
from etl.figures.style import (
    AXIS_LINE,
    BAND_COLOURS,
    BAND_LABELS,
    BAND_NAMES,
    BAND_SHORT,
    BAND_TEXT_COLOURS,
    MAX_NAMED,
    NO_PROVIDERS_KEY,
    NOT_IN_RELEASE_KEY,
    ChartSpec,
    first_few,
    format_date,
    frame,
    list_phrase,
    require_columns,
)
from etl.warehouse import queries

NAME = "provider-hexmap"
QUERIES = ("neighbours/hexmap", "local_area/provider_shares", "local_area/source_title")
COLUMNS = ["la_code", "la_name", "region_name", "provider_type", "n_providers",
           "n_good_or_better", "share_good_or_better", "band", "places", "places_good_or_better",
           "share_places_good_or_better", "facts_as_at", "on_map"]
# Plain-English names of COLUMNS for the page's data table (the downloads keep the names).
LABELS = {"la_code": "LA code", "la_name": "Local authority", "region_name": "Region",
          "provider_type": "Provider type", "n_providers": "Providers with a grade",
          "n_good_or_better": "Good or better", "share_good_or_better": "Share good or better",
          "band": "Band (2009 performance bands)", "places": "Places",
          "places_good_or_better": "Places good or better",
          "share_places_good_or_better": "Share of places good or better",
          "facts_as_at": "Providers as at", "on_map": "On the hex map"}
KEY_ORDER = (*BAND_NAMES, NO_PROVIDERS_KEY, NOT_IN_RELEASE_KEY)


@dataclass(frozen=True)
class Params:
    as_at: dt.date = field(default_factory=dt.date.today,
                           metadata=option("the latest provider release on or before this date "
                                           "(default today)"))
    provider_type: str = field(default="all",
                               metadata=option("provider type or group (default all providers)",
                                               choices=PROVIDER_CHOICES))
    la: str | None = field(default=None,
                           metadata=option("an LA to outline: DfE code or name (optional)"))


def band_keys() -> list[HexKey]:
    """The map's classes: the four bands best first, then no provider, then not an LA then."""
    return [HexKey(k, BAND_LABELS[k], BAND_SHORT[k], BAND_COLOURS[k], BAND_TEXT_COLOURS[k],
                   AXIS_LINE if k == NO_PROVIDERS_KEY else "#ffffff") for k in KEY_ORDER]


def hex_classes(hexes: pd.DataFrame, shares: pd.DataFrame) -> dict[str, str]:
    """Each hex's class: its LA's band, no provider of the type, or not in the release (an LA
    created after the release's date)."""
    by_code = shares.set_index("la_code")
    out = {}
    for code in hexes["la_code"]:
        if code not in by_code.index:
            out[code] = NOT_IN_RELEASE_KEY
        elif not by_code.at[code, "n_providers"]:
            out[code] = NO_PROVIDERS_KEY
        else:
            out[code] = str(by_code.at[code, "band"])
    return out


def describe(r: pd.Series) -> str:
    """'Nottinghamshire: 95% (57 of 60) good or better · dark green; 376 places'."""
    if not r["n_providers"]:
        return f"{r['la_name']}: no provider of this type with a grade"
    places = f"; {int(r['places'])} places" if r["places"] else ""
    return (f"{r['la_name']}: {share_of(r['n_good_or_better'], r['n_providers'], r['share_good_or_better'])}"
            f" good or better · {band_name(r['band'])}{places}")


def describe_off_map(off: pd.DataFrame) -> str:
    """The LAs in the release but not on the map, each described (the first few)."""
    return first_few([describe(r) for _, r in off.head(MAX_NAMED).iterrows()], len(off))


def alt_text(df: pd.DataFrame, spec: ChartSpec, *, n_not_in_release: int = 0,
             focus: str | None = None) -> str:
    on_map = df[df["on_map"]]
    counts = [f"{int((on_map['band'] == b).sum())} {name}" for b, name in BAND_NAMES.items()]
    none = int((on_map["n_providers"] == 0).sum())
    text = (f"Hex map of {len(on_map) + n_not_in_release} local authorities in England, one "
            f"hexagon each, coloured by the 2009 performance band of the {spec.subject} as at "
            f"{format_date(spec.as_at)}: {list_phrase(counts)}"
            + (f", and {none} with no such provider" if none else "") + ".")
    if n_not_in_release:
        text += (f" {n_not_in_release} hexagons are LAs created after the release's date, "
                 "so not in it.")
    off = df[~df["on_map"]]
    if len(off):
        text += " Not on the map (LAs since replaced): " + describe_off_map(off) + "."
    if focus is not None:
        row = df[df["la_code"] == focus]
        if len(row):
            text += f" Outlined: {describe(row.iloc[0])}."
    return text


def figure(hexes: pd.DataFrame, df: pd.DataFrame, spec: ChartSpec, focus: str | None = None,
           *, layout: str = "odd-r") -> go.Figure:
    """hexes: la_code, name, q, r (HexJSON `layout`); df: the COLUMNS frame (every LA in the
    release, `on_map` whether it has a hexagon). LAs in the release but not on the map (the
    map shows today's LAs) are listed in the footer with their figures."""
    require_columns(hexes, ("la_code", "name", "q", "r"), "provider hexmap hexes")
    require_columns(df, ("la_code", "la_name", "n_providers", "share_good_or_better", "band",
                         "places", "on_map"), "provider hexmap")
    if df["la_code"].duplicated().any():
        raise ValueError("provider hexmap: duplicate la_code")
    bad = sorted(set(df["band"].dropna()) - set(BAND_NAMES))
    if bad:
        raise ValueError(f"provider hexmap: unknown bands {bad}")
    classes = hex_classes(hexes, df)
    hover = {r["la_code"]: describe(r) for _, r in df[df["on_map"]].iterrows()}
    for code, name in zip(hexes["la_code"], hexes["name"], strict=True):
        if classes[code] == NOT_IN_RELEASE_KEY:
            hover[code] = f"{name}: not an LA on the release's date (created since)"
    fig, plot_height = draw_hexes(hexes, classes, band_keys(), layout=layout, focus=focus,
                                  hover=hover)
    footer = ["Each hexagon is one local authority; letters give the 2009 performance band of the share "
              "of its providers judged good or better (DG dark green, 80% or more; LG light "
              "green, 65–79%; A amber, 50–64%; R red, under 50%). Hexagon positions "
              "approximate geography."]
    off = df[~df["on_map"]]
    if len(off):
        footer.append("Not on this map, which shows today's LAs (in the release as they were "
                      "then): " + describe_off_map(off) + ".")
    n_new = sum(1 for c in classes.values() if c == NOT_IN_RELEASE_KEY)
    return frame(
        fig, spec, kind=NAME, alt=alt_text(df, spec, n_not_in_release=n_new, focus=focus),
        plot_height=plot_height, axis_space=10, extra_footer=footer,
    )


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    p = params
    if p.provider_type not in PROVIDER_LABELS:
        raise NoData(f"Unknown provider type {p.provider_type!r}: one of "
                     f"{', '.join(PROVIDER_CHOICES)}.")
    hexes = queries.run(con, QUERIES[0])
    if hexes.empty:
        raise NoData("The database has no hex map cells (table hexmap is empty).")
    shares = queries.run(con, QUERIES[1], as_at=p.as_at, provider_type=p.provider_type)
    if shares.empty:
        raise NoData(no_release_message(con, p.as_at))
    data = shares.assign(on_map=shares["la_code"].isin(set(hexes["la_code"])))[COLUMNS]
    facts_as_at = pd.Timestamp(shares["facts_as_at"].iloc[0]).date()
    label = PROVIDER_LABELS[p.provider_type]
    what = provider_phrase(p.provider_type)
    focus_name = ""
    if p.la is not None:
        row = data[data["la_code"] == p.la]
        if len(row):
            focus_name = (f"; {row['la_name'].iloc[0]} outlined" if bool(row["on_map"].iloc[0])
                          else f"; {row['la_name'].iloc[0]} is not on this map (see below)")
    spec = ChartSpec(
        **data_status(con),
        title=f"{label}: share good or better by local authority",
        subtitle=f"The 2009 performance bands of the share of {what} judged good or better at their "
                 f"latest full inspection{focus_name}",
        as_at=facts_as_at,
        basis=PROVIDER_BASIS + (f" The latest release on or before {format_date(p.as_at)}."
                                if p.as_at != facts_as_at else ""),
        source=provider_source(source_title(con, shares["source_id"].iloc[0]), facts_as_at),
        subject=f"share of {what} judged good or better",
    )
    fig = figure(hexes[["la_code", "name", "q", "r"]], data, spec, focus=p.la,
                 layout=str(hexes["layout"].iloc[0]))
    return make_chart(NAME, params, spec, data, fig, QUERIES)
