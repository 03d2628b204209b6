"""What every chart module's `render(con, params)` returns, and how it says "nothing to plot".

A chart module (etl/figures/<chart>.py) owns its named queries, its `ChartSpec`, its plotly
figure (a pure function of data), its alt text and a frozen `Params` dataclass; `render`
runs the queries and returns a `Chart`. The Streamlit pages and `python -m etl export` both
call `render`, so a chart on screen and the same chart in a paper are one definition.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures.style import ChartSpec, format_date
from etl.warehouse import queries


class NoData(Exception):
    """Nothing to plot for these parameters; the message says why and what to try instead
    (the page shows it as an empty state, the CLI on stderr)."""


class CannotCompute(NoData):
    """The data are there but the method fails on them (the page shows a warning)."""


@dataclass(frozen=True, eq=False)
class Chart:
    """A rendered chart. Treat as read-only: the app caches one object per build and params.

    `data` is the frame exactly as plotted (what the CSV/XLSX export writes); `queries` names
    the sql/queries files it was computed from.
    """

    kind: str  # the chart's registry name: `python -m etl export <kind>`
    params: Any  # the chart module's frozen Params
    spec: ChartSpec
    data: pd.DataFrame
    figure: go.Figure
    alt_text: str
    queries: tuple[str, ...]

    def metadata(self) -> dict[str, object]:
        """What a paper pack's metadata.json records about where the chart came from."""
        return {"chart": self.kind, "parameters": params_json(self.params),
                "queries": [f"sql/queries/{q}.sql" for q in self.queries]}


def make_chart(kind: str, params: Any, spec: ChartSpec, data: pd.DataFrame, figure: go.Figure,
               queries: Sequence[str]) -> Chart:
    """A Chart from a figure built by a chart module; its parameters go into the figure's
    `layout.meta` beside the alt text, so the page's figure names the call that drew it."""
    meta = dict(figure.layout.meta or {})
    figure.update_layout(meta={**meta, "kind": kind, "params": params_json(params)})
    return Chart(kind=kind, params=params, spec=spec, data=data.reset_index(drop=True),
                 figure=figure, alt_text=str(meta["alt_text"]), queries=tuple(queries))


def data_status(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """ChartSpec fields saying how fresh the data are: the freshness line for the footer and
    the data's end date (an as-at date after it is flagged beside the date)."""
    row = queries.run(con, "data/freshness").iloc[0]
    latest = None if pd.isna(row["latest_report"]) else pd.Timestamp(row["latest_report"]).date()
    built = None if pd.isna(row["built"]) else pd.Timestamp(row["built"]).date()
    return {"freshness": freshness_line(latest, built), "data_end": latest}


def freshness_line(latest_report: dt.date | None, built: dt.date | None) -> str:
    parts = []
    if latest_report is not None:
        parts.append(f"Reports to {format_date(latest_report)}")
    if built is not None:
        parts.append(f"built {format_date(built)}")
    return "; ".join(parts) + "." if parts else ""


def params_json(params: Any) -> dict[str, object]:
    """A Params dataclass as JSON-ready values (dates as ISO strings, tuples as lists)."""
    def plain(v: object) -> object:
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, tuple):
            return [plain(x) for x in v]
        return v

    return {f.name: plain(getattr(params, f.name)) for f in dataclasses.fields(params)}


def option(help_: str, *, choices: Sequence[object] | None = None) -> dict[str, object]:
    """A Params field's metadata: its `python -m etl export` help text and choices."""
    return {"help": help_, "choices": tuple(choices) if choices else None}


# The first inspection under each framework the app charts: SIF from November 2013 (the
# app's earliest "as at" date), ILACS from January 2018.
EARLIEST = dt.date(2013, 11, 1)
# The first month of the official record (the first SLAC report was published on 7 August 2009):
# the earliest "as at" date a page offers; the trends still start with SIF unless the date is
# before it.
HISTORY_START = dt.date(2009, 8, 1)
FRAMEWORK_START = {"SIF": EARLIEST, "ILACS": dt.date(2018, 1, 1)}

# The fewest LAs with a judgement behind a share a trend chart draws (England or a region, each
# month). A share of a handful of LAs swings between 0 and 100% with one report (in early 2014
# the first few SIF reports made "100% inadequate"), and says nothing of the country or the
# region; from eight LAs one report moves a share by at most 12.5 points. Not more: the
# smallest region (East Midlands) has ten LAs, and it must stay drawn while one or two of them
# have no grade on the basis (e.g. inspected since the April 2026 change). Months with fewer are
# still listed, with their counts, in the chart's data; the chart greys them out and says so.
MIN_JUDGED_FOR_SHARE = 8
GREYED_FILL = "rgba(177,180,182,0.3)"  # the months a trend greys out for it


def few_judged_note(what: str = "an area") -> str:
    """The sentence a trend chart prints under itself about MIN_JUDGED_FOR_SHARE."""
    return (f"Shares are drawn only for months when at least {MIN_JUDGED_FOR_SHARE} LAs in "
            f"{what} had a judgement; fewer would swing 0–100% with one report (greyed "
            "where England had fewer; every month's count is in the data table).")
