"""SQL workbench chart: a bar of one number column against one text, date or whole-number
column of a read-only query's result (grades in scale order and colour when the category is a
grade; a whole-number column such as a year on a numeric axis, years printed as 2014, never
2,014 or 2014.0).

The query runs through etl.warehouse.safe_sql, like every workbench query; `chart` draws a
result the page already holds, `render` runs the query first (`python -m etl export`).
"""

from __future__ import annotations

import datetime as dt
import decimal
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
NO_CHART = ("No chart: the result needs a column to go along the axis (text, a date or a "
            "whole number such as a year) and another column of numbers.")


@dataclass(frozen=True)
class Params:
    sql: str = field(metadata=option("one read-only SELECT"))
    category: str | None = field(default=None, metadata=option(
        "the column along the axis: text, a date or a whole number such as a year (default "
        "the first text or date column, else the first year)"))
    number: str | None = field(default=None, metadata=option(
        "the number column drawn (default the first)"))


def as_numbers(df: pd.DataFrame) -> pd.DataFrame:
    """The result with DuckDB's DECIMAL and HUGEINT columns (which arrive as Python Decimals
    and ints in an object column, e.g. sum() of integers) as numbers, so they can be drawn."""
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if not pd.api.types.is_object_dtype(s) or not s.notna().any():
            continue
        values = s.dropna()
        if values.map(lambda v: isinstance(v, (int, decimal.Decimal))
                      and not isinstance(v, bool)).all():
            out[c] = pd.to_numeric(s.map(lambda v: None if v is None else float(v)))
    return out


def _whole(s: pd.Series) -> bool:
    """Numbers, all whole (a year, a count, a rank): DuckDB's integers arrive as floats when a
    NULL is among them."""
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        return False
    values = s.dropna()
    return bool(len(values)) and bool((values % 1 == 0).all())


def is_year(s: pd.Series) -> bool:
    """Whole numbers that read as years (1800-2200)."""
    return _whole(s) and bool(s.dropna().between(1800, 2200).all())


def chart_columns(df: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(columns that can go along the axis: text and dates, then whole numbers, years first;
    columns that can be drawn: numbers). A chart needs one of each, two different columns."""
    df = as_numbers(df)
    texts = [c for c in df.columns if pd.api.types.is_string_dtype(df[c])
             or pd.api.types.is_object_dtype(df[c])
             or pd.api.types.is_datetime64_any_dtype(df[c])
             or (len(df) and isinstance(df[c].iloc[0], dt.date))]
    whole = [c for c in df.columns if c not in texts and _whole(df[c])]
    whole.sort(key=lambda c: not is_year(df[c]))  # stable: years first, else query order
    nums = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])
            and not pd.api.types.is_bool_dtype(df[c]) and c not in texts]
    return [*texts, *whole], nums


def default_number(nums: list[str], category: str | None) -> str | None:
    """The first number column that is not the one along the axis."""
    return next((c for c in nums if c != category), None)


def plotted(df: pd.DataFrame, category: str, number: str) -> pd.DataFrame:
    """The first MAX_BARS rows of the two columns; grades in scale order; along a numeric
    axis, rows without a value for it left out (they have no place on it)."""
    data = as_numbers(df[[category, number]].head(MAX_BARS))
    if pd.api.types.is_numeric_dtype(data[category]):
        data = data[data[category].notna()]
        if _whole(data[category]):  # 2014, not 2014.0, in the table and the CSV
            data[category] = data[category].astype("int64")
    elif data[category].isin(CHART_GRADES).all():
        order = {g: i for i, g in enumerate(CHART_GRADES)}
        data = data.iloc[data[category].map(order).argsort(kind="stable")]
    return data.reset_index(drop=True)


def _shown(v: object) -> object:
    """A value as a label: a whole number without its '.0', a grade in words."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return grade_label(v) if v in CHART_GRADES else v


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    cat, num = df.columns[:2]
    text = f"Bar chart of {num} by {cat} for {len(df)} rows of a SQL workbench query"
    values = pd.to_numeric(df[num], errors="coerce")
    if values.notna().any():
        names = [_shown(v) for v in df[cat]]
        hi, lo = values.idxmax(), values.idxmin()
        text += (f": highest {names[hi]} ({values[hi]:g}), lowest {names[lo]} "
                 f"({values[lo]:g})")
    return text + f". Run on {format_date(spec.as_at)}."


def figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """df: two columns, the category then the number (as `plotted` returns them)."""
    require_columns(df, df.columns[:2], "workbench chart")
    cat, num = df.columns[:2]
    if pd.api.types.is_numeric_dtype(df[cat]) and not pd.api.types.is_bool_dtype(df[cat]):
        return _numeric_figure(df, spec)
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


def _numeric_figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """Bars along a numeric axis (a year, a count, a rank): whole-number ticks, years without
    a thousands separator, a gap where a value is missing from the result."""
    cat, num = df.columns[:2]
    x = df[cat].astype(float)
    year = is_year(df[cat])
    fmt = "d" if year else ",d" if _whole(df[cat]) else ","
    span = float(x.max() - x.min()) if len(x) else 0.0
    # one tick per year (or step of 1) while they fit, then every 2, 5 or 10: never a
    # fractional tick, which "d" would print as a repeated whole number
    dtick = next((d for d, most in ((1, 16), (2, 32), (5, 80), (10, 160)) if span <= most),
                 None) if _whole(df[cat]) else None
    fig = go.Figure(go.Bar(x=x, y=df[num], marker_color=HIGHLIGHT_COLOURS[0],
                           marker_line=dict(width=0),
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    fig.update_xaxes(**axis(title=dict(text=plot_text(cat), standoff=8), type="linear",
                            showline=True, ticks="outside", tickcolor=AXIS_LINE,
                            tickformat=fmt, hoverformat=fmt,
                            **({"tickmode": "linear", "dtick": dtick,
                                "tick0": float(x.min())} if dtick else {}),
                            tickfont=dict(size=BASE_FONT - 2, color=TEXT)))
    fig.update_yaxes(**axis(title=dict(text=plot_text(num)), showgrid=True))
    fig.update_layout(showlegend=False, bargap=0.15)
    return frame(fig, spec, kind=NAME, alt=alt_text(df, spec), plot_height=340,
                 margin_l=70, axis_space=BASE_FONT + 46)


def chart(result: pd.DataFrame, params: Params, *, ran_on: dt.date | None = None) -> Chart:
    """The chart of a query's result (the page's: it already ran the query)."""
    cats, nums = chart_columns(result)
    cat = params.category if params.category in cats else (cats[0] if cats else None)
    num = (params.number if params.number in nums and params.number != cat
           else default_number(nums, cat))
    if cat is None or num is None or not len(result):
        raise NoData(NO_CHART)
    data = plotted(result, cat, num)
    if data.empty:
        raise NoData(f"No chart: no row has a value for {cat}.")
    left_out = min(len(result), MAX_BARS) - len(data)
    notes = ([f"first {MAX_BARS} of {len(result)} rows"] if len(result) > MAX_BARS else []) + (
        [f"{left_out} row{'s' if left_out != 1 else ''} with no {plot_text(cat)} left out"]
        if left_out else [])
    sql = " ".join(params.sql.split())
    spec = ChartSpec(
        title=f"{plot_text(num)} by {plot_text(cat)}",
        subtitle="SQL workbench query" + (f" ({'; '.join(notes)})" if notes else ""),
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
