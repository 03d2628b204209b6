"""Themes by grade band: how much the reports on good or outstanding authorities and on failing
ones (requires improvement or inadequate) carry each theme of the dictionary, as a dot plot
with one row per theme, the two bands side by side.

Query: reports/theme_separation (theme_separation in sql/08_text.sql: compared within each
framework, then averaged over the frameworks weighted by the smaller band). The Reports and
themes page draws it; `python -m etl export themes` exports it.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl import OGL_ATTRIBUTION
from etl.figures.chart import Chart, NoData, data_status, make_chart, option
from etl.figures.style import (
    AXIS_LINE,
    BASE_FONT,
    CONTEXT_LINE,
    GRADE_COLOURS,
    TEXT,
    ChartSpec,
    axis,
    format_date,
    format_pct,
    frame,
    label_margin,
    list_phrase,
    plot_text,
    require_columns,
)
from etl.vocab import TEXT_FRAMEWORKS
from etl.warehouse import queries

NAME = "themes"
QUERY = "reports/theme_separation"
BANDS = ("good_or_better", "failing")
BAND_LABELS = {"good_or_better": "Good or outstanding",
               "failing": "Requires improvement or inadequate"}
BAND_COLOURS = {"good_or_better": GRADE_COLOURS["outstanding"],
                "failing": GRADE_COLOURS["inadequate"]}
BAND_SYMBOLS = {"good_or_better": "circle", "failing": "diamond"}  # not colour alone
# measure -> (the columns of each band in theme_separation, axis title, is a share)
MEASURES: dict[str, tuple[tuple[str, str], str, bool]] = {
    "per_10k_words": (("good_per_10k_words", "failing_per_10k_words"),
                      "Mentions per 10,000 words of report", False),
    "share_points": (("good_share_points", "failing_share_points"),
                     "Share of the improvement points that carry the theme", True),
    "share_reports": (("good_share_reports", "failing_share_reports"),
                      "Share of reports mentioning the theme (once per 10,000 words or more)",
                      True),
}
MEASURE_LABELS = {"per_10k_words": "Mentions per 10,000 words",
                  "share_points": "Share of improvement points",
                  "share_reports": "Share of reports"}
COLUMNS = ["theme_id", "label", "measure", "good_or_better", "failing", "difference",
           "log2_ratio", "good_reports", "failing_reports", "frameworks"]
# The data table's columns in words (the CSV/XLSX keep the names above).
LABELS = {"theme_id": "Theme code", "label": "Theme", "measure": "Measure",
          "good_or_better": "Good or outstanding", "failing": "Requires improvement or inadequate",
          "difference": "Difference (failing minus good)",
          "log2_ratio": "Log₂ ratio (failing over good)",
          "good_reports": "Reports: good or outstanding",
          "failing_reports": "Reports: requires improvement or inadequate",
          "frameworks": "Frameworks"}
LABEL_WRAP = 24  # characters per line of a theme's label (narrow: room for the dots on a phone)


@dataclass(frozen=True)
class Params:
    framework: str | None = field(default=None, metadata=option(
        "only reports under this framework (default every framework, compared within each)",
        choices=TEXT_FRAMEWORKS))
    from_date: dt.date | None = field(default=None, metadata=option(
        "reports published on or after this date (default the first)"))
    to_date: dt.date | None = field(default=None, metadata=option(
        "reports published on or before this date (default the newest)"))
    measure: str = field(default="per_10k_words", metadata=option(
        "what to compare", choices=tuple(MEASURES)))


def query_args(p: Params) -> dict[str, object]:
    return dict(from_date=p.from_date, to_date=p.to_date, framework=p.framework)


def period_phrase(p: Params) -> str:
    """'SIF reports published 1 November 2013 – 31 October 2014', 'reports of every framework'
    (lower case unless it starts with a framework's name)."""
    what = f"{p.framework} reports" if p.framework else "reports of every framework"
    if p.from_date and p.to_date:
        return f"{what} published {format_date(p.from_date)} – {format_date(p.to_date)}"
    if p.from_date:
        return f"{what} published from {format_date(p.from_date)}"
    if p.to_date:
        return f"{what} published to {format_date(p.to_date)}"
    return what


# --------------------------------------------------------------------------- data


def plotted(sep: pd.DataFrame, measure: str) -> pd.DataFrame:
    """theme_separation's rows as plotted: one row per theme with the two bands' values of the
    measure, ordered from the theme failing reports carry most over good ones to the reverse
    (by the log ratio for mentions, whose sizes differ from theme to theme; by the difference
    for shares)."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, not {measure!r}")
    (good_col, failing_col), _, _ = MEASURES[measure]
    require_columns(sep, ("theme_id", "label", good_col, failing_col, "log2_ratio",
                          "good_reports", "failing_reports", "frameworks"), "themes")
    out = pd.DataFrame({
        "theme_id": sep["theme_id"], "label": sep["label"], "measure": measure,
        "good_or_better": sep[good_col].astype(float),
        "failing": sep[failing_col].astype(float),
    })
    out["difference"] = (out["failing"] - out["good_or_better"]).round(3)
    out["log2_ratio"] = sep["log2_ratio"].astype(float)
    out["good_reports"] = sep["good_reports"].astype(int)
    out["failing_reports"] = sep["failing_reports"].astype(int)
    out["frameworks"] = sep["frameworks"]
    out = out.dropna(subset=["good_or_better", "failing"])
    key = "log2_ratio" if measure == "per_10k_words" else "difference"
    return out.sort_values([key, "theme_id"], ascending=[False, True])[COLUMNS]


def _value(v: float, is_share: bool) -> str:
    return format_pct(v) if is_share else f"{v:.1f}"


# --------------------------------------------------------------------------- figure


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    measure = str(df["measure"].iloc[0])
    _, title, is_share = MEASURES[measure]
    n_good, n_failing = int(df["good_reports"].max()), int(df["failing_reports"].max())
    more = df[df["difference"] > 0].head(3)
    less = df[df["difference"] < 0].iloc[::-1].head(3)

    def items(rows: pd.DataFrame) -> str:
        return list_phrase([f"{r.label} ({_value(r.failing, is_share)} against "
                            f"{_value(r.good_or_better, is_share)})" for r in rows.itertuples()])

    text = (f"Dot plot of {len(df)} themes: {title.lower()} in {spec.subject} on good or "
            f"outstanding authorities ({n_good} reports) and on authorities that require "
            f"improvement or are inadequate ({n_failing} reports).")
    if len(more):
        text += f" Reports on failing authorities carry most over good ones {items(more)}."
    if len(less):
        text += f" They carry least {items(less)}."
    return text


def _wrapped(label: str) -> str:
    return "<br>".join(plot_text(line) for line in textwrap.wrap(str(label), LABEL_WRAP))


def figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """df: label, measure, good_or_better, failing (one row per theme, top row first)."""
    require_columns(df, ("label", "measure", "good_or_better", "failing"), "themes")
    if df.empty:
        raise ValueError("themes: nothing to plot")
    measure = str(df["measure"].iloc[0])
    _, x_title, is_share = MEASURES[measure]
    labels = [_wrapped(v) for v in df["label"]]
    rows = list(range(len(labels)))
    # each band a little above or below its theme's line, so that close values stay visible
    offset = {"good_or_better": -0.14, "failing": 0.14}
    fig = go.Figure()
    # the gap between the bands, drawn first so that the dots sit on it
    xs: list[float | None] = []
    ys: list[float | None] = []
    for i, a, b in zip(rows, df["good_or_better"], df["failing"], strict=True):
        xs += [a, b, None]
        ys += [i + offset["good_or_better"], i + offset["failing"], None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=CONTEXT_LINE, width=2),
                             hoverinfo="skip", showlegend=False))
    for band in BANDS:
        values = df[band]
        count_col = "good_reports" if band == "good_or_better" else "failing_reports"
        n = int(df[count_col].max()) if count_col in df else None
        name = BAND_LABELS[band] + (f" ({n} reports)" if n is not None else "")
        fig.add_trace(go.Scatter(
            x=values, y=[i + offset[band] for i in rows], mode="markers", name=name,
            marker=dict(color=BAND_COLOURS[band], symbol=BAND_SYMBOLS[band], size=12,
                        line=dict(color="#ffffff", width=1)),
            customdata=[[label, _value(v, is_share)] for label, v in zip(labels, values,
                                                                          strict=True)],
            hovertemplate="%{customdata[0]}<br>" + plot_text(BAND_LABELS[band])
                          + ": %{customdata[1]}<extra></extra>",
        ))
    top = max(float(df[["good_or_better", "failing"]].max().max()), 0.01)
    fig.update_yaxes(**axis(autorange=False, range=[len(rows) - 0.5, -0.5], tickmode="array",
                            tickvals=rows, ticktext=labels, ticksuffix="  ", showgrid=False,
                            tickfont=dict(size=BASE_FONT - 2, color=TEXT)))
    fig.update_xaxes(**axis(range=[0, top * 1.08], showgrid=True, showline=True,
                            linecolor=AXIS_LINE,
                            tickformat=".0%" if is_share else None,
                            title=dict(text=x_title, font=dict(size=BASE_FONT - 1))))
    # a faint band on every other theme guides the eye from a label to its dots
    for i in rows[1::2]:
        fig.add_hrect(y0=i - 0.5, y1=i + 0.5, fillcolor="#f3f2f1", line_width=0, layer="below")
    fig.update_layout(
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom",
                    font=dict(size=BASE_FONT - 1), traceorder="normal"),
        showlegend=True,
    )
    lines = max(label.count("<br>") + 1 for label in labels)
    plot_height = max(44, 16 * lines + 10) * len(labels) + 10
    margin_l = label_margin([line for lbl in df["label"]
                             for line in textwrap.wrap(str(lbl), LABEL_WRAP)], BASE_FONT - 2)
    return frame(fig, spec, kind=NAME, alt=alt_text(df, spec), plot_height=plot_height,
                 margin_l=margin_l, axis_space=70, top_axis=1)


# --------------------------------------------------------------------------- render


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    sep = queries.run(con, QUERY, **query_args(params))
    data = plotted(sep, params.measure) if len(sep) else pd.DataFrame(columns=COLUMNS)
    if data.empty:
        raise NoData(f"The {period_phrase(params)} do not include both a report on a good or "
                     "outstanding authority and one on a failing authority, so there is "
                     "nothing to compare. Try a wider date range or every framework.")
    status = data_status(con)
    as_at = params.to_date or status["data_end"] or dt.date.today()
    n_good, n_failing = int(data["good_reports"].max()), int(data["failing_reports"].max())
    frameworks = str(data["frameworks"].iloc[0])
    spec = ChartSpec(
        **status,
        title="Themes of the reports: good or outstanding against failing authorities",
        subtitle=f"{MEASURE_LABELS[params.measure]}; {period_phrase(params)} "
                 f"({n_good} on good or outstanding authorities, {n_failing} on authorities "
                 "that require improvement or are inadequate)",
        as_at=as_at,
        basis=("A report's band is its overall effectiveness grade (the worst of its "
               "judgements where it gives none). Themes are found by the phrases of the "
               "theme dictionary (data/curated/themes.csv), compared within each framework "
               f"({frameworks}) and averaged, weighted by the smaller band."),
        subject=period_phrase(params),
        source=f"Source: Ofsted inspection reports (text); Inspection Outcomes analysis. "
               f"{OGL_ATTRIBUTION}.",
    )
    return make_chart(NAME, params, spec, data, figure(data, spec), [QUERY])
