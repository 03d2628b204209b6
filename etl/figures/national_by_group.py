"""National picture by region or LA type: 100% stacked grade bars, England on top.

Query: national/grade_by_group (the same basis as the national distribution, split).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures import national_distribution as national
from etl.figures.chart import Chart, data_status, make_chart, option
from etl.figures.shapes import describe_stacked_grades, stacked_grade_bars
from etl.figures.style import CHART_GRADES, ChartSpec, area_label, grade_label
from etl.warehouse import queries

NAME = "national-by-group"
QUERY = "national/grade_by_group"
GROUP_LABELS = {"region": "Region", "la_type": "LA type"}
GROUP_PHRASES = {"region": "region", "la_type": "LA type"}
# The data table's columns in words (the page's display; downloads keep the names).
LABELS = {
    "group": "Region or LA type",
    "grade": None,
    "grade_label": "Grade",
    "n": "LAs",
    "share": "Share of the group's LAs with a grade",
    "n_superseded": "Superseded grades carried forward",
}


@dataclass(frozen=True)
class Params(national.Params):
    group_by: str = field(default="region",
                          metadata=option("split by", choices=tuple(GROUP_LABELS)))


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    return describe_stacked_grades(df, spec)


def figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """df: group, grade, n, share; groups sorted by share good or better, England first."""
    return stacked_grade_bars(df, spec, kind=NAME, alt=alt_text(df, spec), sort=True)


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    by = queries.run(con, QUERY, group_by=params.group_by, **national.query_args(params))
    if by.empty:
        raise national.no_judgement(params)
    phrase = GROUP_PHRASES[params.group_by]
    spec = ChartSpec(
        **data_status(con),
        title=f"{area_label(params.area)} by {phrase}",
        subtitle=f"{national.framework_label(params.framework)}; share of LAs with a "
                 "published judgement",
        as_at=params.as_at, basis=national.basis(params), subject=national.subject(params),
        geography=f"England by {phrase}",
        extra={"wording": params.wording, "superseded": params.superseded},
    )
    # the table reads in grade order within each group (England first), grades in words
    groups = list(dict.fromkeys(by["group"]))
    by = by.assign(grade_label=by["grade"].map(grade_label),
                   _g=by["group"].map(groups.index),
                   _r=by["grade"].map(list(CHART_GRADES).index)) \
        .sort_values(["_g", "_r"])[["group", "grade", "grade_label", "n", "share",
                                    "n_superseded"]]
    return make_chart(NAME, params, spec, by, figure(by, spec), [QUERY])
