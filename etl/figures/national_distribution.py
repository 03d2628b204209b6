"""National picture: England's LAs by grade as at a date (bars labelled "36 (24%)").

Query: national/grade_distribution. The National page's headline ("LAs with a published
judgement N of M") reads the same query with the same parameters (`query_args`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures.chart import Chart, NoData, data_status, make_chart, option
from etl.figures.style import (
    BASE_FONT,
    GRADE_COLOURS,
    TEXT,
    ChartSpec,
    area_label,
    area_phrase,
    axis,
    check_grades,
    format_date,
    format_pct,
    frame,
    grade_phrase,
    label_margin,
    list_phrase,
    require_columns,
)
from etl.vocab import AREAS, FRAMEWORKS, GRADE_LABELS, GRADES, NOT_JUDGED
from etl.warehouse import queries

NAME = "national"
QUERY = "national/grade_distribution"
AREA_CHOICES = (*AREAS, "any_practice")
FRAMEWORK_LABELS = {"any": "Any framework", "SIF": "SIF (2013–2018)", "ILACS": "ILACS (2018–)"}
WHICH_LABELS = {"latest": "Latest judgement", "first": "First inspection under the framework"}
COLUMNS = ["grade", "n", "share", "n_judged", "n_las"]


@dataclass(frozen=True)
class Params:
    as_at: dt.date = field(default_factory=dt.date.today,
                           metadata=option("the date the figure is as at (default today)"))
    area: str = field(default="overall_effectiveness",
                      metadata=option("judgement area", choices=AREA_CHOICES))
    framework: str | None = field(default=None,
                                  metadata=option("only this framework (default any)",
                                                  choices=FRAMEWORKS))
    which: str = field(default="latest",
                       metadata=option("each LA's latest judgement or its first inspection "
                                       "under the framework", choices=tuple(WHICH_LABELS)))
    published_by: dt.date | None = field(
        default=None, metadata=option("reports published by this later date (Ofsted's "
                                      "statistics basis; default the as-at date)"))
    include_secondary: bool = field(
        default=True, metadata=option("count grades known only from news or council pages"))


def query_args(p: Params) -> dict[str, object]:
    """The parameters of the national/* queries for this view."""
    return dict(as_at=p.as_at, area=p.area, framework=p.framework,
                published_by=p.published_by, which=p.which,
                include_secondary=p.include_secondary)


def framework_label(framework: str | None) -> str:
    return FRAMEWORK_LABELS.get(framework or "any", framework or "any")


def subject(p: Params) -> str:
    return f"{'latest' if p.which == 'latest' else 'first'} {area_phrase(p.area)} grade"


def basis(p: Params) -> str:
    fw = "any framework" if p.framework is None else p.framework
    who = "latest judgement" if p.which == "latest" else f"first inspection under {fw}"
    if p.published_by and p.published_by != p.as_at:
        return (f"Basis: each LA's {who} ({fw}) from an inspection ended by "
                f"{format_date(p.as_at)} whose report was published by "
                f"{format_date(p.published_by)} (Ofsted's official statistics basis).")
    return (f"Basis: each LA's {who} ({fw}) published on or before {format_date(p.as_at)}; "
            "LAs that existed on that date.")


def no_judgement(p: Params) -> NoData:
    return NoData(f"No LA has a published {area_phrase(p.area)} judgement on this basis "
                  f"as at {format_date(p.as_at)}. Try a later date, another framework or "
                  "another judgement (e.g. adoption and LSCB were judged under SIF only).")


# --------------------------------------------------------------------------- data helpers


def grade_counts(df: pd.DataFrame) -> pd.DataFrame:
    """One row per grade in scale order; absent grades are 0; not_judged only if present."""
    require_columns(df, ("grade", "n", "share"), "national distribution")
    check_grades(df["grade"], "national distribution")
    if df["grade"].duplicated().any():
        raise ValueError(f"national distribution: duplicate grades {list(df['grade'])}")
    by = df.set_index("grade")
    grades = list(GRADES) + ([NOT_JUDGED] if NOT_JUDGED in by.index else [])
    return pd.DataFrame(
        {
            "grade": grades,
            "n": [int(by["n"].get(g, 0)) for g in grades],
            "share": [float(by["share"].get(g, 0.0)) for g in grades],
        }
    )


def good_or_better(counts: pd.DataFrame) -> tuple[int, float, int, float]:
    """(n good or better, its share, n requires improvement or inadequate, its share)."""
    ok = counts["grade"].isin(["outstanding", "good"])
    failing = counts["grade"].isin(["requires_improvement", "inadequate"])
    return (
        int(counts.loc[ok, "n"].sum()),
        float(counts.loc[ok, "share"].sum()),
        int(counts.loc[failing, "n"].sum()),
        float(counts.loc[failing, "share"].sum()),
    )


# --------------------------------------------------------------------------- figure


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    counts = grade_counts(df)
    total = int(counts["n"].sum())
    parts = [f"{n} {grade_phrase(g)} ({format_pct(s)})"
             for g, n, s in zip(counts["grade"], counts["n"], counts["share"], strict=True)]
    ok_n, ok_s, fail_n, fail_s = good_or_better(counts)
    return (
        f"Bar chart of the {spec.subject} of {total} local authorities in {spec.geography} as "
        f"at {format_date(spec.as_at)}: {list_phrase(parts)}. {ok_n} ({format_pct(ok_s)}) are "
        f"good or better and {fail_n} ({format_pct(fail_s)}) require improvement or are "
        "inadequate."
    )


def figure(df: pd.DataFrame, spec: ChartSpec, *, orientation: str = "h") -> go.Figure:
    """Bars of LAs by grade, in grade order, each labelled "36 (24%)".

    df: grade, n, share (0-1). Bar length is the share, so charts at different dates compare.
    """
    counts = grade_counts(df)
    labels = [GRADE_LABELS[g] for g in counts["grade"]]
    texts = [f"{n} ({format_pct(s)})"
             for n, s in zip(counts["n"], counts["share"], strict=True)]
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
        fig.update_yaxes(**axis(autorange="reversed", ticksuffix="  "))
        fig.update_xaxes(**axis(range=[0, top * 1.28], showticklabels=False, showline=True))
        fig.update_layout(bargap=0.28)
        plot_height = 70 * len(labels) + 10
        axis_space = 26
        margin_l = label_margin(labels)
    elif orientation == "v":
        bar = go.Bar(
            x=labels, y=counts["share"], text=texts, textposition="outside",
            cliponaxis=False, marker_color=colours, marker_line=dict(width=0),
            customdata=custom, hovertemplate=hover,
            textfont=dict(size=BASE_FONT + 1, color=TEXT),
        )
        fig = go.Figure(bar)
        fig.update_xaxes(**axis(showline=True))
        fig.update_yaxes(**axis(range=[0, top * 1.18], showticklabels=False))
        fig.update_layout(bargap=0.3)
        plot_height = 340
        axis_space = 44
        margin_l = 20
    else:
        raise ValueError(f"orientation must be 'h' or 'v', not {orientation!r}")
    ok_n, ok_share, fail_n, fail_share = good_or_better(counts)
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
    return frame(
        fig, spec, kind=NAME, alt=alt_text(df, spec),
        plot_height=plot_height, margin_l=margin_l, axis_space=axis_space + 30,
    )


# --------------------------------------------------------------------------- render


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    dist = queries.run(con, QUERY, **query_args(params))
    n_judged = int(dist["n_judged"].iloc[0]) if len(dist) else 0
    n_las = int(dist["n_las"].iloc[0]) if len(dist) else 0
    if n_judged == 0:
        raise no_judgement(params)
    spec = ChartSpec(
        **data_status(con),
        title=f"{area_label(params.area)}: local authorities by grade",
        subtitle=f"{framework_label(params.framework)}; {n_judged} of {n_las} LAs with a "
                 "published judgement",
        as_at=params.as_at, basis=basis(params), subject=subject(params),
    )
    data = dist[COLUMNS]
    return make_chart(NAME, params, spec, data, figure(data, spec), [QUERY])
