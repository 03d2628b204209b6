"""Shapes more than one chart draws: 100% stacked grade bars per group (National picture by
region or LA type; an LA's neighbours against its region and England). Adequate is a segment
of its own; LAs with no overall grade (inspected since the April 2026 change) are outside the
100% (shares are of LAs with a current grade), so they are counted in a column of their own to
the right of the bars."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from etl.figures import categories
from etl.figures.style import (
    AXIS_LINE,
    BASE_FONT,
    CHART_GRADES,
    DESIGN_WIDTH,
    GRADE_COLOURS,
    GRADE_PATTERNS,
    GRADE_SHORT,
    GRADE_TEXT_COLOURS,
    SECONDARY_TEXT,
    ChartSpec,
    axis,
    check_grades,
    format_date,
    format_pct,
    frame,
    grade_label,
    label_margin,
    require_columns,
    text_width,
)
from etl.vocab import ADEQUATE, GRADES, NO_OVERALL_GRADE

NONE_X = 1.1  # where the no-overall-grade column sits, right of the 100% bars


def group_table(df: pd.DataFrame, as_at: dt.date | None = None
                ) -> tuple[pd.DataFrame, list[str], list[str]]:
    """(n and share per group x grade, groups in input order, grades in chart order: the four
    grades (but not one that did not exist yet at `as_at`), adequate and not judged where
    present; the no-overall-grade category is left out, see `no_overall_counts`)."""
    require_columns(df, ("group", "grade", "n", "share"), "grade by group")
    check_grades(df["grade"], "grade by group")
    if df.duplicated(["group", "grade"]).any():
        raise ValueError("grade by group: duplicate (group, grade) rows")
    groups = list(dict.fromkeys(df["group"]))
    present = set(df.loc[df["n"] > 0, "grade"])
    not_yet = categories.grades_not_yet_given(as_at)
    grades = [g for g in CHART_GRADES
              if g != NO_OVERALL_GRADE and ((g in GRADES and g not in not_yet) or g in present)]
    n = df.pivot(index="group", columns="grade", values="n").reindex(index=groups,
                                                                      columns=grades)
    share = df.pivot(index="group", columns="grade", values="share").reindex(
        index=groups, columns=grades)
    table = pd.concat({"n": n.fillna(0).astype(int), "share": share.fillna(0.0)}, axis=1)
    return table, groups, grades


def no_overall_counts(df: pd.DataFrame, groups: list[str]) -> pd.Series:
    """Per group, the LAs with no overall grade (0 where none)."""
    rows = df[df["grade"] == NO_OVERALL_GRADE].set_index("group")["n"]
    return rows.reindex(groups).fillna(0).astype(int)


def stacked_grade_bars(df: pd.DataFrame, spec: ChartSpec, *, kind: str, alt: str,
                       sort: bool = True) -> go.Figure:
    """100% stacked bars of grades per group.

    df: group, grade, n, share. With `sort`, groups run from highest share good or better
    down; a group named "England" is kept on top, in bold, as the benchmark.
    """
    table, groups, grades = group_table(df, spec.as_at)
    good = table["share"][["outstanding", "good"]].sum(axis=1)
    if sort:
        groups = sorted(groups, key=lambda g: (g != "England", -good[g], g))
    totals = table["n"].sum(axis=1)
    none = no_overall_counts(df, groups)

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
                y=labels, x=shares, orientation="h", name=grade_label(grade),
                marker=dict(
                    color=GRADE_COLOURS[grade],
                    line=dict(color=AXIS_LINE if grade == ADEQUATE else "#ffffff", width=1),
                    # overlay keeps the grade fill under the pattern ("replace" would drop it)
                    pattern=dict(shape=GRADE_PATTERNS[grade], fillmode="overlay",
                                 fgcolor=GRADE_TEXT_COLOURS[grade], fgopacity=0.3, size=8,
                                 solidity=0.12),
                ),
                text=[format_pct(s) if s >= 0.07 else "" for s in shares],
                textposition="inside", insidetextanchor="middle",
                textfont=dict(color=GRADE_TEXT_COLOURS[grade], size=BASE_FONT - 1),
                customdata=list(zip(groups, ns, strict=True)),
                hovertemplate="%{customdata[0]}: " + grade_label(grade)
                + " %{customdata[1]} (%{x:.0%})<extra></extra>",
            )
        )
    footer = ["Number of LAs with a current grade in brackets. Shares under 7% are not "
              "labelled."]
    footer += categories.notes(grades if ADEQUATE in grades else [],
                               wording=str(spec.extra.get("wording", "at_the_time")))
    ref = "England" if "England" in groups else groups[0]  # the group the notes count
    n_superseded = (int(df.loc[df["group"] == ref, "n_superseded"].sum())
                    if "n_superseded" in df else 0)
    if n_superseded:
        footer.append(categories.no_overall_note(n_superseded, "carry_forward",
                                                 where=f" in {ref}"))
    if none.any():
        # a column of its own right of the 100% bars: these LAs are outside every share
        fig.add_trace(go.Scatter(
            x=[NONE_X] * len(groups), y=labels, mode="markers+text", showlegend=False,
            name=grade_label(NO_OVERALL_GRADE),
            marker=dict(symbol="square", size=[26 if n else 0 for n in none], opacity=1,
                        color=GRADE_COLOURS[NO_OVERALL_GRADE], line=dict(width=0)),
            text=[str(n) if n else "–" for n in none],
            textfont=dict(color=[GRADE_TEXT_COLOURS[NO_OVERALL_GRADE] if n else SECONDARY_TEXT
                                 for n in none], size=BASE_FONT - 2),
            customdata=list(zip(groups, none, strict=True)),
            hovertemplate="%{customdata[0]}: %{customdata[1]} LAs with no overall grade "
                          "(inspected since the April 2026 change)<extra></extra>",
        ))
        # above the legend's band, so the two never overlap
        fig.add_annotation(x=NONE_X + 0.05, y=1, xref="x", yref="paper", yanchor="bottom",
                           xanchor="right", yshift=30,
                           text=f"{GRADE_SHORT[NO_OVERALL_GRADE]}: no overall grade (count)",
                           showarrow=False,
                           font=dict(size=BASE_FONT - 3, color=SECONDARY_TEXT))
        footer.append(categories.no_overall_note(int(none[ref]), n_judged=int(totals[ref]),
                                                 where=f" in {ref}"))
    fig.update_layout(
        barmode="stack", bargap=0.3, showlegend=True,
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom",
                    traceorder="normal", font=dict(size=BASE_FONT - 1)),
    )
    fig.update_yaxes(**axis(categoryorder="array", categoryarray=labels, autorange="reversed",
                            ticksuffix="  "))
    fig.update_xaxes(**axis(range=[0, NONE_X + 0.07 if none.any() else 1], tickformat=".0%",
                            tickvals=[0, 0.25, 0.5, 0.75, 1], showgrid=False,
                            ticks="outside", tickcolor=AXIS_LINE, showline=True))
    margin_l = label_margin(labels)
    rows = legend_rows([grade_label(g) for g in grades], DESIGN_WIDTH - margin_l - 30)
    return frame(
        fig, spec, kind=kind, alt=alt,
        plot_height=38 * len(groups) + 20, axis_space=44, margin_l=margin_l,
        top_axis=rows + (1 if none.any() else 0),
        extra_footer=footer,
    )


def legend_rows(names: list[str], width: float, size: float = BASE_FONT - 1) -> int:
    """How many rows a horizontal legend of these entries takes in `width` px, so the band
    above the plot is sized to it. Plotly puts the entries of a legend that wraps into a grid
    of equal columns, each as wide as the widest entry (its symbol, gaps and text)."""
    if not names:
        return 1
    widths = [text_width(n, size) + 48 for n in names]
    if sum(widths) <= width:
        return 1
    columns = max(1, int(width // max(widths)))
    return -(-len(names) // columns)


def describe_stacked_grades(df: pd.DataFrame, spec: ChartSpec) -> str:
    """Alt text of stacked grade bars: each group's share good or better, highest and lowest;
    adequate and the LAs with no overall grade counted per group where they occur."""
    table, groups, grades = group_table(df, spec.as_at)
    good = table["share"][["outstanding", "good"]].sum(axis=1)
    totals = table["n"].sum(axis=1)
    none = no_overall_counts(df, groups)
    parts = [f"{g} {format_pct(good[g])} of {totals[g]}" for g in
             sorted(groups, key=lambda g: -good[g])]
    others = [g for g in groups if g != "England"]
    best = max(others, key=lambda g: good[g]) if others else groups[0]
    worst = min(others, key=lambda g: good[g]) if others else groups[0]
    text = (
        f"Stacked bar chart of the {spec.subject} of local authorities in {spec.geography} by "
        f"group ({len(groups)} groups) as at {format_date(spec.as_at)}. Share good or better: "
        f"{'; '.join(parts)}. Highest: {best}; lowest: {worst}."
    )
    if ADEQUATE in grades:
        n_adequate = table["n"][ADEQUATE]
        text += (" Adequate (pre-2013 scale), counted as failing: "
                 + "; ".join(f"{g} {int(n_adequate[g])}" for g in groups) + ".")
    if none.any():
        text += (" No overall grade (inspected since the April 2026 change, outside the "
                 "shares): " + "; ".join(f"{g} {int(none[g])}" for g in groups) + ".")
    return text
