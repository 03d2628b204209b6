"""An LA's statistical neighbours against its region and England: 100% stacked grade bars,
in that order (the LA itself is in none of the neighbour bars).

Query: neighbours/group_region_england (counted in SQL, like every other figure).
"""

from __future__ import annotations

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures import neighbours
from etl.figures.chart import Chart, NoData, data_status, make_chart
from etl.figures.shapes import describe_stacked_grades, stacked_grade_bars
from etl.figures.style import ChartSpec, area_label, area_phrase, format_date
from etl.warehouse import queries

NAME = "neighbours-comparison"
QUERY = "neighbours/group_region_england"
Params = neighbours.Params


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    return describe_stacked_grades(df, spec)


def figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """df: group, grade, n, share; groups in the frame's order (neighbours, region, England)."""
    return stacked_grade_bars(df, spec, kind=NAME, alt=alt_text(df, spec), sort=False)


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    p = params
    data = queries.run(con, QUERY, la_code=p.la, vintage=p.vintage, as_at=p.as_at, area=p.area,
                       framework=p.framework, superseded=p.superseded, wording=p.wording)
    if data.empty:
        raise NoData(f"No LA has a published {area_phrase(p.area)} grade "
                     f"({neighbours.framework_phrase(p)}) by {format_date(p.as_at)}.")
    name, region = neighbours.la_facts(con, p.la)
    spec = ChartSpec(
        **data_status(con),
        title=f"{area_label(p.area)}: {name}'s neighbours, region and England",
        subtitle=f"Latest grade ({neighbours.framework_phrase(p)}); neighbours: "
                 f"{neighbours.vintage_phrase(con, p)}, excluding {name}",
        as_at=p.as_at, basis=neighbours.basis(p) + " Shares of LAs with a grade.",
        subject=f"latest {area_phrase(p.area)} grade",
        geography=f"{name}'s statistical neighbours, {region or 'its region'} and England",
        extra={"wording": p.wording, "superseded": p.superseded},
    )
    return make_chart(NAME, params, spec, data, figure(data, spec),
                      [QUERY, neighbours.IN_FORCE_QUERY, neighbours.VINTAGES_QUERY])
