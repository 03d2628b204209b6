"""What the local area charts share (issue 12: area SEND outcomes and the 2009 performance
bands): their sources, wording and the band zones drawn behind a share good or better.

Not a chart itself: the charts are local_providers, local_area_send, area_send_national,
provider_hexmap and provider_national.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl import OGL_ATTRIBUTION
from etl.figures.style import (
    AREA_SEND_LABELS,
    BAND_COLOURS,
    BAND_FLOORS,
    BAND_NAMES,
    BANDS_PAPER,
    NOTE_FONT,
    SECONDARY_TEXT,
    format_date,
    format_pct,
    is_missing,
)
from etl.vocab import PROVIDER_GROUPS, PROVIDER_TYPES
from etl.warehouse import queries

# The neighbour sets the local-area figures compare with: the lookup's two sets (the 2025 and the
# 2021 model); local_area_summary and provider_comparison read statistical_neighbours directly.
LOCAL_VINTAGES = ("current", "previous")

# Every provider type and group a provider figure may be asked for, in Ofsted's order.
PROVIDER_LABELS: dict[str, str] = {
    **dict(PROVIDER_GROUPS),
    **{code: label for code, label, _ in PROVIDER_TYPES},
}
PROVIDER_CHOICES: tuple[str, ...] = tuple(PROVIDER_LABELS)

AREA_SEND_START = dt.date(2023, 1, 1)  # the 2023 area SEND framework's first inspections
AREA_SEND_SOURCE = (
    "Source: Ofsted and CQC area SEND inspection reports (2023 framework), with a community "
    "scraper's list of them for reports not in the collection; Inspection Outcomes analysis. "
    f"{OGL_ATTRIBUTION}."
)
AREA_SEND_BASIS = (
    "Each LA's latest area SEND inspection under the 2023 framework that ended by the date and "
    "whose report was published by then. The outcome is on the framework's own three-point "
    "scale, not Ofsted's four grades."
)
PROVIDER_BASIS = (
    "Children's social care providers located in the LA (children's homes, fostering and "
    "adoption agencies, residential schools…) with an overall grade at their latest full "
    "inspection; share good or better = outstanding + good. Bands: Ofsted's 2009 performance "
    f"bands as {BANDS_PAPER} quotes them: 80% or more dark green, 65–79% light green, 50–64% "
    "amber, under 50% red."
)


def provider_phrase(provider_type: str) -> str:
    """A provider type or group inside a sentence: 'all providers', 'all children's homes',
    'providers of type "children's home"'."""
    label = PROVIDER_LABELS[provider_type]
    if provider_type in dict(PROVIDER_GROUPS):
        return label[0].lower() + label[1:]
    return f"providers of type “{label[0].lower() + label[1:]}”"


def outcome_phrase(outcome: str) -> str:
    """'positive experiences and outcomes' (an outcome's label inside a sentence)."""
    label = AREA_SEND_LABELS[outcome]
    return label[0].lower() + label[1:]


def band_name(band: object) -> str:
    """'dark green'; 'no band' for no share."""
    return BAND_NAMES.get(band, "no band") if isinstance(band, str) else "no band"


def share_of(n: int, total: int, share: float | None) -> str:
    """'95% (57 of 60)'; 'none judged' when there is nothing to share."""
    if not total or share is None or is_missing(share):
        return "none judged"
    return f"{format_pct(share)} ({int(n)} of {int(total)})"


def provider_source(title: object, facts_as_at: object) -> str:
    """The source line of a provider figure: the release it comes from, by its title."""
    release = str(title) if isinstance(title, str) and title else (
        "Ofsted, Children's social care data in England: underlying data")
    when = "" if is_missing(facts_as_at) or "as at" in release else \
        f" (providers as at {format_date(facts_as_at)})"
    return (f"Source: {release}{when}; Inspection Outcomes analysis. {OGL_ATTRIBUTION}.")


def source_title(con: duckdb.DuckDBPyConnection, source_id: object) -> str | None:
    """A source's title (None when the source is not known)."""
    if not isinstance(source_id, str):
        return None
    found = queries.run(con, "local_area/source_title", source_id=source_id)
    return None if found.empty else str(found["title"].iloc[0])


def release_dates(con: duckdb.DuckDBPyConnection) -> list[dt.date]:
    """The dates of the provider releases the database holds (for saying what to try)."""
    national = queries.run(con, "local_area/provider_national_series", provider_group="all",
                           measure="latest_overall_effectiveness")
    dates = national.loc[national["computed_n_judged"].notna(), "period_end"]
    return [pd.Timestamp(d).date() for d in dates]


def no_release_message(con: duckdb.DuckDBPyConnection, as_at: dt.date) -> str:
    dates = release_dates(con)
    first = f" The first is as at {format_date(dates[0])}." if dates else ""
    return (f"No release of Ofsted's provider-level data is dated on or before "
            f"{format_date(as_at)}.{first} Choose a later date.")


def add_band_zones(fig: go.Figure, *, axis: str = "x", lo: float = 0.0, hi: float = 1.0,
                   labels: bool = True) -> None:
    """The 2009 performance bands as lightly tinted zones along a share axis (x or y) between lo and hi,
    each named in words at its edge (the zones are never read by colour alone)."""
    ceiling = 1.0
    for band, floor in BAND_FLOORS:
        a, b = max(floor, lo), min(ceiling, hi)
        ceiling = floor
        if a >= b:
            continue
        rect = dict(fillcolor=BAND_COLOURS[band], opacity=0.14, line_width=0, layer="below")
        if axis == "x":
            fig.add_vrect(x0=a, x1=b, **rect)
        else:
            fig.add_hrect(y0=a, y1=b, **rect)
        if not labels:
            continue
        text = band_name(band).capitalize()
        if axis == "x":
            fig.add_annotation(x=(a + b) / 2, y=1, xref="x", yref="paper", yanchor="bottom",
                               text=text, showarrow=False,
                               font=dict(size=NOTE_FONT, color=SECONDARY_TEXT))
        else:
            fig.add_annotation(x=1, y=(a + b) / 2, xref="paper", yref="y", xanchor="left",
                               text=text, showarrow=False, xshift=4,
                               font=dict(size=NOTE_FONT, color=SECONDARY_TEXT))
