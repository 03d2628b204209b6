"""Grade distributions as bars and bands: national, by group, over time."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from etl.charts.alt_text import alt_text
from etl.charts.common import (
    AXIS_LINE,
    BASE_FONT,
    GRADE_COLOURS,
    GRADE_PATTERNS,
    GRADE_SHORT,
    GRADE_TEXT_COLOURS,
    NOTE_FONT,
    TEXT,
    ChartSpec,
    _axis,
    _check_grades,
    _count_label,
    _frame,
    _good_or_better,
    _grade_counts,
    _group_table,
    _label_margin,
    _require_columns,
    format_pct,
)
from etl.vocab import GRADE_LABELS, GRADES, NOT_JUDGED


def national_distribution_figure(
    df: pd.DataFrame, spec: ChartSpec, *, orientation: str = "h"
) -> go.Figure:
    """Bars of LAs by grade, in grade order, each labelled "36 (24%)".

    df: grade, n, share (0-1). Bar length is the share, so charts at different dates compare.
    """
    counts = _grade_counts(df)
    labels = [GRADE_LABELS[g] for g in counts["grade"]]
    texts = [_count_label(n, s) for n, s in zip(counts["n"], counts["share"], strict=True)]
    colours = [GRADE_COLOURS[g] for g in counts["grade"]]
    top = max(float(counts["share"].max()), 0.01)
    n_total = int(counts["n"].sum())
    hover = "%{customdata[0]}: %{customdata[1]} of " + str(n_total) + " LAs<extra></extra>"
    custom = list(zip(labels, texts, strict=True))
    if orientation == "h":
        bar = go.Bar(
            y=labels, x=counts["share"], orientation="h", text=texts,
            textposition="outside", cliponaxis=False, marker_color=colours,
            marker_line=dict(width=0), customdata=custom, hovertemplate=hover,
            textfont=dict(size=BASE_FONT + 1, color=TEXT),
        )
        fig = go.Figure(bar)
        fig.update_yaxes(**_axis(autorange="reversed", ticksuffix="  "))
        fig.update_xaxes(**_axis(range=[0, top * 1.28], showticklabels=False, showline=True))
        fig.update_layout(bargap=0.28)
        plot_height = 70 * len(labels) + 10
        axis_space = 26
        margin_l = _label_margin(labels)
    elif orientation == "v":
        bar = go.Bar(
            x=labels, y=counts["share"], text=texts, textposition="outside",
            cliponaxis=False, marker_color=colours, marker_line=dict(width=0),
            customdata=custom, hovertemplate=hover,
            textfont=dict(size=BASE_FONT + 1, color=TEXT),
        )
        fig = go.Figure(bar)
        fig.update_xaxes(**_axis(showline=True))
        fig.update_yaxes(**_axis(range=[0, top * 1.18], showticklabels=False))
        fig.update_layout(bargap=0.3)
        plot_height = 340
        axis_space = 44
        margin_l = 20
    else:
        raise ValueError(f"orientation must be 'h' or 'v', not {orientation!r}")
    ok_n, ok_share, fail_n, fail_share = _good_or_better(counts)
    # "of N" only when every LA has a grade: with "not judged" rows the shares' base is the
    # caller's choice and a count beside it could contradict the percentage
    of_total = "" if (counts["grade"] == NOT_JUDGED).any() else f" of {n_total}"
    summary = (
        f"Good or better: {ok_n}{of_total} ({format_pct(ok_share)}). "
        f"Requires improvement or inadequate: {fail_n} ({format_pct(fail_share)})."
    )
    fig.add_annotation(
        text=f"<b>{summary}</b>", xref="paper", yref="paper", x=0, y=0, xanchor="left",
        yanchor="top", yshift=-6 if orientation == "h" else -34, showarrow=False, align="left",
        font=dict(size=BASE_FONT - 1, color=TEXT),
    )
    fig.update_layout(showlegend=False)
    return _frame(
        fig, spec, kind="national_distribution",
        alt=alt_text("national_distribution", df, spec),
        plot_height=plot_height, margin_l=margin_l, axis_space=axis_space + 30,
    )



# --------------------------------------------------------------------------- 1b trend


def grade_share_over_time_figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """Monthly share of LAs by grade (England), stacked to 100%, best grade on top.

    df: as_at (month end), grade, n, share (of LAs judged that month). Each band is labelled
    at its right end with its latest share, so the chart does not rely on colour alone.
    """
    _require_columns(df, ("as_at", "grade", "n", "share"), "grade share over time")
    _check_grades(df["grade"], "grade share over time")
    data = df.assign(as_at=pd.to_datetime(df["as_at"])).sort_values("as_at")
    fig = go.Figure()
    order = [g for g in reversed(GRADES) if g in set(data["grade"])]
    last = data[data["as_at"] == data["as_at"].max()].set_index("grade")
    cumulative = 0.0
    for grade in order:
        band = data[data["grade"] == grade]
        fig.add_trace(go.Scatter(
            x=band["as_at"], y=band["share"], name=GRADE_LABELS[grade], mode="lines",
            stackgroup="grades", line=dict(width=0.5, color="#ffffff"),
            fillcolor=GRADE_COLOURS[grade],
            customdata=band[["n"]].to_numpy(),
            hovertemplate=f"{GRADE_LABELS[grade]}: %{{y:.0%}} (%{{customdata[0]}} LAs)"
                          "<extra>%{x|%b %Y}</extra>",
        ))
        share = float(last["share"].get(grade, 0.0)) if grade in last.index else 0.0
        if share >= 0.04:
            fig.add_annotation(
                x=data["as_at"].max(), y=cumulative + share / 2, xanchor="left", xshift=6,
                text=f"{GRADE_SHORT[grade]} {format_pct(share)}", showarrow=False,
                font=dict(size=NOTE_FONT + 1, color=TEXT))
        cumulative += share
    fig.update_layout(showlegend=True, legend=dict(orientation="h", x=0, y=1.02,
                                                   yanchor="bottom", traceorder="reversed"),
                      hovermode="x unified")
    fig.update_xaxes(**_axis(showgrid=False, range=[data["as_at"].min(), data["as_at"].max()]))
    fig.update_yaxes(**_axis(tickformat=".0%", range=[0, 1], dtick=0.25))
    return _frame(fig, spec, kind="grade_share_over_time",
                  alt=alt_text("grade_share_over_time", data, spec), plot_height=360,
                  margin_r=90, top_axis=1)



# --------------------------------------------------------------------------- 5 by group


def grade_by_group_figure(df: pd.DataFrame, spec: ChartSpec, *, sort: bool = True) -> go.Figure:
    """100% stacked bars of grades per group (region or LA type).

    df: group, grade, n, share. With `sort`, groups run from highest share good or better
    down; a group named "England" is kept on top, in bold, as the benchmark.
    """
    table, groups, grades = _group_table(df)
    good = table["share"][["outstanding", "good"]].sum(axis=1)
    if sort:
        groups = sorted(groups, key=lambda g: (g != "England", -good[g], g))
    totals = table["n"].sum(axis=1)

    def label(g: str) -> str:
        text = f"{g} ({totals[g]})"
        return f"<b>{text}</b>" if g == "England" else text

    labels = [label(g) for g in groups]
    fig = go.Figure()
    for grade in grades:
        shares = [float(table["share"].loc[g, grade]) for g in groups]
        ns = [int(table["n"].loc[g, grade]) for g in groups]
        fig.add_trace(
            go.Bar(
                y=labels, x=shares, orientation="h", name=GRADE_LABELS[grade],
                marker=dict(
                    color=GRADE_COLOURS[grade], line=dict(color="#ffffff", width=1),
                    # overlay keeps the grade fill under the pattern ("replace" would drop it)
                    pattern=dict(shape=GRADE_PATTERNS[grade], fillmode="overlay",
                                 fgcolor=GRADE_TEXT_COLOURS[grade], fgopacity=0.3, size=8,
                                 solidity=0.12),
                ),
                text=[format_pct(s) if s >= 0.07 else "" for s in shares],
                textposition="inside", insidetextanchor="middle",
                textfont=dict(color=GRADE_TEXT_COLOURS[grade], size=BASE_FONT - 1),
                customdata=list(zip(groups, ns, strict=True)),
                hovertemplate="%{customdata[0]}: " + GRADE_LABELS[grade]
                + " %{customdata[1]} (%{x:.0%})<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack", bargap=0.3, showlegend=True,
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom",
                    traceorder="normal", font=dict(size=BASE_FONT - 1)),
    )
    fig.update_yaxes(**_axis(categoryorder="array", categoryarray=labels, autorange="reversed",
                             ticksuffix="  "))
    fig.update_xaxes(**_axis(range=[0, 1], tickformat=".0%", dtick=0.25, showgrid=False,
                             ticks="outside", tickcolor=AXIS_LINE, showline=True))
    return _frame(
        fig, spec, kind="grade_by_group", alt=alt_text("grade_by_group", df, spec),
        plot_height=38 * len(groups) + 20, axis_space=44, margin_l=_label_margin(labels),
        top_axis=1,
        extra_footer=["Number of LAs in brackets. Shares under 7% are not labelled."],
    )


