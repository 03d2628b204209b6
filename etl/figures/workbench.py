"""SQL workbench chart: a bar of one number column against one text or date column of a
read-only query's result (grades in scale order and colour when the category is a grade).

The query runs through etl.warehouse.safe_sql, like every workbench query; `chart` draws a
result the page already holds, `render` runs the query first (`python -m etl export`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures import categories
from etl.figures.chart import Chart, NoData, make_chart, option
from etl.figures.style import (
    AXIS_LINE,
    BASE_FONT,
    CHART_GRADES,
    GRADE_COLOURS,
    HIGHLIGHT_COLOURS,
    TEXT,
    ChartSpec,
    axis,
    format_date,
    frame,
    grade_label,
    plot_text,
    require_columns,
    text_width,
)
from etl.warehouse.safe_sql import SafeSqlError, run_query

NAME = "workbench"
MAX_BARS = 200
QUERY_IN_FOOTER = 400  # characters of the SQL printed under the chart


@dataclass(frozen=True)
class Params:
    sql: str = field(metadata=option("one read-only SELECT"))
    category: str | None = field(default=None, metadata=option(
        "the text or date column along the axis (default the first)"))
    number: str | None = field(default=None, metadata=option(
        "the number column drawn (default the first)"))


def chart_columns(df: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(columns that can be categories: text and dates, columns that can be drawn: numbers)."""
    cats = [c for c in df.columns if pd.api.types.is_string_dtype(df[c])
            or pd.api.types.is_object_dtype(df[c])
            or pd.api.types.is_datetime64_any_dtype(df[c])
            or (len(df) and isinstance(df[c].iloc[0], dt.date))]
    nums = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])
            and not pd.api.types.is_bool_dtype(df[c]) and c not in cats]
    return cats, nums


def plotted(df: pd.DataFrame, category: str, number: str) -> pd.DataFrame:
    """The first MAX_BARS rows of the two columns; grades in scale order."""
    data = df[[category, number]].head(MAX_BARS)
    if data[category].isin(CHART_GRADES).all():
        order = {g: i for i, g in enumerate(CHART_GRADES)}
        data = data.iloc[data[category].map(order).argsort(kind="stable")]
    return data.reset_index(drop=True)


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    cat, num = df.columns[:2]
    text = f"Bar chart of {num} by {cat} for {len(df)} rows of a SQL workbench query"
    values = pd.to_numeric(df[num], errors="coerce")
    if values.notna().any():
        names = [grade_label(v) if v in CHART_GRADES else v for v in df[cat]]
        hi, lo = values.idxmax(), values.idxmin()
        text += (f": highest {names[hi]} ({values[hi]:g}), lowest {names[lo]} "
                 f"({values[lo]:g})")
    return text + f". Run on {format_date(spec.as_at)}."


def figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """df: two columns, the category then the number (as `plotted` returns them)."""
    require_columns(df, df.columns[:2], "workbench chart")
    cat, num = df.columns[:2]
    grades = bool(len(df)) and bool(df[cat].isin(CHART_GRADES).all())
    if grades:
        colours: list[str] | str = [GRADE_COLOURS[g] for g in df[cat]]
        labels = [grade_label(g) for g in df[cat]]
    else:
        colours = HIGHLIGHT_COLOURS[0]
        labels = [plot_text(v) for v in df[cat]]
    # adequate's near-white needs an outline on the white page
    outline = dict(color=AXIS_LINE, width=[0.8 if g == "adequate" else 0 for g in df[cat]]) \
        if grades else dict(width=0)
    fig = go.Figure(go.Bar(x=labels, y=df[num], marker_color=colours, marker_line=outline,
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    # Long category labels are drawn slanted; the space under the plot is sized to them so
    # the axis title and the footer never sit on the labels.
    widest = max((text_width(t, BASE_FONT - 2) for t in labels), default=0.0)
    slant = len(labels) > 12 or widest > 70
    label_space = int(widest * 0.71 + 12) if slant else BASE_FONT + 6
    fig.update_xaxes(**axis(title=dict(text=plot_text(cat), standoff=8), type="category", showline=True,
                            ticks="outside", tickcolor=AXIS_LINE, automargin=False,
                            tickangle=-45 if slant else 0,
                            tickfont=dict(size=BASE_FONT - 2, color=TEXT)))
    fig.update_yaxes(**axis(title=dict(text=plot_text(num)), showgrid=True))
    fig.update_layout(showlegend=False)
    first = text_width(labels[0], BASE_FONT - 2) * 0.71 if slant and labels else 0.0
    # a result with adequate or "no overall grade" says how the shares treat them
    notes = categories.notes(list(df[cat])) if grades else []
    return frame(fig, spec, kind=NAME, alt=alt_text(df, spec), plot_height=340,
                 margin_l=max(70, int(first)), axis_space=label_space + 40,
                 extra_footer=notes)


def chart(result: pd.DataFrame, params: Params, *, ran_on: dt.date | None = None) -> Chart:
    """The chart of a query's result (the page's: it already ran the query)."""
    cats, nums = chart_columns(result)
    if not (cats and nums and len(result)):
        raise NoData("No chart: the result needs a text or date column and a number column.")
    cat = params.category if params.category in cats else cats[0]
    num = params.number if params.number in nums else nums[0]
    data = plotted(result, cat, num)
    sql = " ".join(params.sql.split())
    spec = ChartSpec(
        title=f"{plot_text(num)} by {plot_text(cat)}",
        subtitle="SQL workbench query" + (f" (first {MAX_BARS} of {len(result)} rows)"
                                          if len(result) > MAX_BARS else ""),
        as_at=ran_on or dt.date.today(),
        basis="Query: " + plot_text(sql if len(sql) <= QUERY_IN_FOOTER
                                    else sql[:QUERY_IN_FOOTER] + " …"),
    )
    return make_chart(NAME, params, spec, data, figure(data, spec), [])


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    try:
        result = run_query(con, params.sql).to_dataframe()
    except SafeSqlError as exc:
        raise NoData(str(exc)) from exc
    return chart(result, params)
