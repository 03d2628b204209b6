"""An LA against its statistical neighbours (dot chart)."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from etl.charts.alt_text import alt_text
from etl.charts.common import (
    AXIS_LINE,
    BASE_FONT,
    GRADE_COLOURS,
    NO_GRADE_COLOUR,
    NO_GRADE_KEY,
    NO_GRADE_LABEL,
    SECONDARY_TEXT,
    TEXT,
    ChartSpec,
    _axis,
    _check_grades,
    _frame,
    _is_missing,
    _label_margin,
    _month,
    _require_columns,
)
from etl.vocab import ALL_GRADES, GRADE_LABELS, GRADES, NOT_JUDGED

# --------------------------------------------------------------------------- 3 neighbours

def neighbours_figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """Dot chart: the focus LA and its statistical neighbours (rows, in rank order) against
    grade (columns). The focus LA is the top row, in bold, with a larger diamond marker.

    df: la_code, la_name, is_focus, rank (0 focus, 1-10), grade (may be null: no published
    grade), published_date, framework.
    """
    _require_columns(
        df, ("la_code", "la_name", "is_focus", "rank", "grade", "published_date", "framework"),
        "neighbours",
    )
    _check_grades(df["grade"], "neighbours", allow_missing=True)
    if int(df["is_focus"].astype(bool).sum()) != 1:
        raise ValueError("neighbours: exactly one row must have is_focus = True")
    data = df.assign(is_focus=df["is_focus"].astype(bool)).sort_values(
        ["is_focus", "rank"], ascending=[False, True]
    )
    data = data.assign(grade_key=[NO_GRADE_KEY if _is_missing(g) else g for g in data["grade"]])
    columns = [*GRADES]
    if (data["grade_key"] == NOT_JUDGED).any():
        columns.append(NOT_JUDGED)
    if (data["grade_key"] == NO_GRADE_KEY).any():
        columns.append(NO_GRADE_KEY)
    col_label = {**{g: GRADE_LABELS[g] for g in ALL_GRADES}, NO_GRADE_KEY: NO_GRADE_LABEL}
    # column heads wrap so five fit across the design width
    col_head = {k: "<br>".join(textwrap.wrap(v, 12)) for k, v in col_label.items()}

    def row_label(r: pd.Series) -> str:
        if r["is_focus"]:
            return f"<b>{r['la_name']}</b>"
        return f"{int(r['rank'])}. {r['la_name']}"

    rows = [row_label(r) for _, r in data.iterrows()]
    fig = go.Figure()
    for key in columns:
        sub = data[data["grade_key"] == key]
        if sub.empty:
            continue
        focus = sub["is_focus"].to_numpy()
        when = [
            "" if _is_missing(d) else f"{_month(d)}, {fw}"
            for d, fw in zip(sub["published_date"], sub["framework"], strict=True)
        ]
        fill = GRADE_COLOURS.get(key, NO_GRADE_COLOUR)
        fig.add_trace(
            go.Scatter(
                x=[col_head[key]] * len(sub),
                y=[row_label(r) for _, r in sub.iterrows()],
                mode="markers+text",
                marker=dict(
                    color=fill,
                    opacity=1,
                    size=[24 if f else 17 for f in focus],
                    symbol=["diamond" if f else "circle" for f in focus],
                    line=dict(color=[TEXT if f else AXIS_LINE for f in focus],
                              width=[2.5 if f else 1 for f in focus]),
                ),
                text=[f"  <b>{w}</b>" if f else w for w, f in zip(when, focus, strict=True)],
                textposition="middle right",
                textfont=dict(size=BASE_FONT - 3, color=SECONDARY_TEXT),
                cliponaxis=False,
                name=col_label[key],
                customdata=list(zip(sub["la_name"], when, strict=True)),
                hovertemplate="%{customdata[0]}: " + col_label[key]
                + "<br>%{customdata[1]}<extra></extra>",
            )
        )
    # Shade the focus row so it stands out in greyscale too.
    fig.add_shape(
        type="rect", xref="paper", yref="y", x0=0, x1=1, y0=-0.5, y1=0.5,
        fillcolor="#f3f2f1", line=dict(width=0), layer="below",
    )
    fig.update_yaxes(**_axis(categoryorder="array", categoryarray=rows,
                             autorange="reversed", ticksuffix="  "))
    fig.update_xaxes(**_axis(categoryorder="array",
                             categoryarray=[col_head[c] for c in columns],
                             side="top", showgrid=True, range=[-0.5, len(columns) - 0.5 + 0.1]))
    fig.update_layout(showlegend=False)
    return _frame(
        fig, spec, kind="neighbours", alt=alt_text("neighbours", df, spec),
        plot_height=34 * len(rows) + 10, axis_space=16, top_axis=2,
        margin_l=_label_margin(rows),
        extra_footer=["Diamond and shaded row: the focus LA. Numbers: statistical neighbour "
                      "rank (1 = most similar). Text: month published and framework."],
    )


