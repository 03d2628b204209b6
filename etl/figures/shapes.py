"""Shapes more than one chart draws: 100% stacked grade bars per group (National picture by
region or LA type; an LA's neighbours against its region and England)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from etl.figures.style import (
    AXIS_LINE,
    BASE_FONT,
    GRADE_COLOURS,
    GRADE_PATTERNS,
    GRADE_TEXT_COLOURS,
    ChartSpec,
    axis,
    check_grades,
    format_date,
    format_pct,
    frame,
    label_margin,
    require_columns,
)
from etl.vocab import GRADE_LABELS, GRADES, NOT_JUDGED


def group_table(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str]]:
    """(n and share per group x grade, groups in input order, grades in scale order)."""
    require_columns(df, ("group", "grade", "n", "share"), "grade by group")
    check_grades(df["grade"], "grade by group")
    if df.duplicated(["group", "grade"]).any():
        raise ValueError("grade by group: duplicate (group, grade) rows")
    groups = list(dict.fromkeys(df["group"]))
    grades = [*GRADES, *([NOT_JUDGED] if (df["grade"] == NOT_JUDGED).any() else [])]
    n = df.pivot(index="group", columns="grade", values="n").reindex(index=groups,
                                                                      columns=grades)
    share = df.pivot(index="group", columns="grade", values="share").reindex(
        index=groups, columns=grades)
    table = pd.concat({"n": n.fillna(0).astype(int), "share": share.fillna(0.0)}, axis=1)
    return table, groups, grades


def stacked_grade_bars(df: pd.DataFrame, spec: ChartSpec, *, kind: str, alt: str,
                       sort: bool = True) -> go.Figure:
    """100% stacked bars of grades per group.

    df: group, grade, n, share. With `sort`, groups run from highest share good or better
    down; a group named "England" is kept on top, in bold, as the benchmark.
    """
    table, groups, grades = group_table(df)
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
    fig.update_yaxes(**axis(categoryorder="array", categoryarray=labels, autorange="reversed",
                            ticksuffix="  "))
    fig.update_xaxes(**axis(range=[0, 1], tickformat=".0%", dtick=0.25, showgrid=False,
                            ticks="outside", tickcolor=AXIS_LINE, showline=True))
    return frame(
        fig, spec, kind=kind, alt=alt,
        plot_height=38 * len(groups) + 20, axis_space=44, margin_l=label_margin(labels),
        top_axis=1,
        extra_footer=["Number of LAs in brackets. Shares under 7% are not labelled."],
    )


def describe_stacked_grades(df: pd.DataFrame, spec: ChartSpec) -> str:
    """Alt text of stacked grade bars: each group's share good or better, highest and lowest."""
    table, groups, _ = group_table(df)
    good = table["share"][["outstanding", "good"]].sum(axis=1)
    totals = table["n"].sum(axis=1)
    parts = [f"{g} {format_pct(good[g])} of {totals[g]}" for g in
             sorted(groups, key=lambda g: -good[g])]
    others = [g for g in groups if g != "England"]
    best = max(others, key=lambda g: good[g]) if others else groups[0]
    worst = min(others, key=lambda g: good[g]) if others else groups[0]
    return (
        f"Stacked bar chart of the {spec.subject} of local authorities in {spec.geography} by "
        f"group ({len(groups)} groups) as at {format_date(spec.as_at)}. Share good or better: "
        f"{'; '.join(parts)}. Highest: {best}; lowest: {worst}."
    )
