"""National picture: England's LAs by grade as at a date (bars labelled "36 (24%)"), with
adequate (pre-2013 scale) and "no overall grade" (inspected since the April 2026 change) as
bars of their own where they occur.

Query: national/grade_distribution. The National page's headline ("LAs with a published
judgement N of M") reads the same query with the same parameters (`query_args`).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures import categories
from etl.figures.chart import Chart, NoData, data_status, make_chart, option
from etl.figures.style import (
    AXIS_LINE,
    BASE_FONT,
    CHART_GRADES,
    GRADE_COLOURS,
    GRADE_PATTERNS,
    GRADE_TEXT_COLOURS,
    TEXT,
    ChartSpec,
    area_label,
    area_phrase,
    axis,
    check_grades,
    format_date,
    format_pct,
    frame,
    grade_label,
    grade_phrase,
    label_margin,
    list_phrase,
    require_columns,
)
from etl.vocab import ADEQUATE, AREAS, FRAMEWORKS, GRADES, NO_OVERALL_GRADE
from etl.warehouse import queries

NAME = "national"
QUERY = "national/grade_distribution"
AREA_CHOICES = (*AREAS, "any_practice")
FRAMEWORK_LABELS = {"any": "Any framework", "SIF": "SIF (2013–2018)", "ILACS": "ILACS (2018–)"}
WHICH_LABELS = {"latest": "Latest judgement", "first": "First inspection under the framework"}
COLUMNS = ["grade", "grade_label", "n", "share", "n_judged", "n_las", "n_superseded"]
# The data table's columns in words (the page's display; downloads keep the names). The grade
# code is hidden on screen: its label says the same to a reader.
LABELS = {
    "grade": None,
    "grade_label": "Grade",
    "n": "LAs",
    "share": "Share of LAs with a grade",
    "n_judged": "LAs with a grade",
    "n_las": "LAs existing on the date",
    "n_superseded": "Superseded grades carried forward",
}


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
    superseded: str = field(
        default="not_current",
        metadata=option("an LA inspected since the April 2026 change (no overall grade): "
                        "'not_current' shows it as a category of its own, 'carry_forward' "
                        "counts its previous overall grade, flagged as superseded",
                        choices=tuple(categories.SUPERSEDED)))
    wording: str = field(
        default="at_the_time",
        metadata=option("grades as given at the time (adequate before 2013) or in Ofsted's "
                        "current wording (adequate as requires improvement)",
                        choices=tuple(categories.WORDING)))


def query_args(p: Params) -> dict[str, object]:
    """The parameters of the national/* queries for this view."""
    return dict(as_at=p.as_at, area=p.area, framework=p.framework,
                published_by=p.published_by, which=p.which,
                include_secondary=p.include_secondary, superseded=p.superseded,
                wording=p.wording)


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


def subtitle(p: Params, n_judged: int, n_las: int, none: int) -> str:
    """"Any framework; 142 of 153 LAs with a published judgement; 11 with no overall grade
    (inspected since the April 2026 change)"."""
    text = f"{framework_label(p.framework)}; {n_judged} of {n_las} LAs with a published judgement"
    if none:
        text += (f" (a current grade); {none} with no overall grade (inspected since the April "
                 "2026 change)")
    if p.wording == "current":
        text += "; Ofsted's current wording"
    return text


def no_judgement(p: Params) -> NoData:
    return NoData(f"No LA has a published {area_phrase(p.area)} judgement on this basis "
                  f"as at {format_date(p.as_at)}. Try a later date, another framework or "
                  "another judgement (e.g. adoption and LSCB were judged under SIF only).")


# --------------------------------------------------------------------------- data helpers


def grade_counts(df: pd.DataFrame, as_at: dt.date | None = None) -> pd.DataFrame:
    """One row per category in chart order: the four grades (absent ones 0, unless the grade did
    not exist yet at `as_at`), then adequate, not judged and no overall grade only where
    present. share is of the LAs with a current grade; the no-overall-grade row's share is NaN
    (outside the shares)."""
    require_columns(df, ("grade", "n", "share"), "national distribution")
    check_grades(df["grade"], "national distribution")
    if df["grade"].duplicated().any():
        raise ValueError(f"national distribution: duplicate grades {list(df['grade'])}")
    by = df.set_index("grade")
    present = {g for g in by.index if int(by.at[g, "n"]) > 0}
    not_yet = categories.grades_not_yet_given(as_at)
    grades = [g for g in CHART_GRADES if (g in GRADES and g not in not_yet) or g in present]
    return pd.DataFrame(
        {
            "grade": grades,
            "n": [int(by["n"].get(g, 0)) for g in grades],
            "share": [float("nan") if g == NO_OVERALL_GRADE
                      else float(pd.Series(by["share"]).fillna(0.0).get(g, 0.0))
                      for g in grades],
        }
    )


def good_or_better(counts: pd.DataFrame) -> tuple[int, float, int, float]:
    """(n good or better, its share, n failing — adequate, requires improvement or
    inadequate — and its share), of the LAs with a current grade."""
    ok = counts["grade"].isin(categories.GOOD_OR_BETTER)
    failing = counts["grade"].isin(categories.FAILING)
    return (
        int(counts.loc[ok, "n"].sum()),
        float(counts.loc[ok, "share"].sum()),
        int(counts.loc[failing, "n"].sum()),
        float(counts.loc[failing, "share"].sum()),
    )


def failing_label(counts: pd.DataFrame) -> str:
    """"Requires improvement or inadequate", naming adequate where it occurs."""
    if (counts["grade"] == "adequate").any():
        return "Adequate, requires improvement or inadequate"
    return "Requires improvement or inadequate"


def n_without_overall(counts: pd.DataFrame) -> int:
    return int(counts.loc[counts["grade"] == NO_OVERALL_GRADE, "n"].sum())


# --------------------------------------------------------------------------- figure


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    counts = grade_counts(df, spec.as_at)
    none = n_without_overall(counts)
    graded = counts[counts["grade"] != NO_OVERALL_GRADE]
    total = int(graded["n"].sum())
    parts = [f"{n} {grade_phrase(g)} ({format_pct(s)})"
             for g, n, s in zip(graded["grade"], graded["n"], graded["share"], strict=True)]
    ok_n, ok_s, fail_n, fail_s = good_or_better(counts)
    shown = set(counts["grade"])
    verbs = [v for g, v in (("adequate", "are adequate"), ("requires_improvement",
                            "require improvement"), ("inadequate", "are inadequate")) if g in shown]
    failing = ", ".join(verbs[:-1]) + " or " + verbs[-1] if len(verbs) > 1 else "".join(verbs)
    text = (
        f"Bar chart of the {spec.subject} of {total} local authorities in {spec.geography} as "
        f"at {format_date(spec.as_at)}: {list_phrase(parts)}. {ok_n} ({format_pct(ok_s)}) are "
        f"good or better and {fail_n} ({format_pct(fail_s)}) {failing}."
    )
    if none:
        text += (f" A further {none} have no overall grade: their latest inspection started "
                 "after the April 2026 change, which gives none (outside the shares).")
    return text


def figure(df: pd.DataFrame, spec: ChartSpec, *, orientation: str = "h") -> go.Figure:
    """Bars of LAs by grade, in grade order, each labelled "36 (24%)".

    df: grade, n, share (0-1). Bar length is the share, so charts at different dates compare.
    """
    counts = grade_counts(df, spec.as_at)
    none = n_without_overall(counts)
    graded = counts[counts["grade"] != NO_OVERALL_GRADE]
    n_total = int(graded["n"].sum())
    # Bar length is the share of LAs with a current grade; the no-overall-grade bar is drawn on
    # the same scale (its count over the same base) but carries no percentage.
    base = n_total or max(none, 1)
    lengths = [n / base if g == NO_OVERALL_GRADE else float(sh)
               for g, n, sh in zip(counts["grade"], counts["n"], counts["share"], strict=True)]
    # category labels wrap so "No overall grade: inspected since ..." fits beside its bar
    labels = ["<br>".join(textwrap.wrap(grade_label(g), 26)) for g in counts["grade"]]
    texts = [f"{n} (outside the shares)" if g == NO_OVERALL_GRADE else f"{n} ({format_pct(s)})"
             for g, n, s in zip(counts["grade"], counts["n"], counts["share"], strict=True)]
    colours = [GRADE_COLOURS[g] for g in counts["grade"]]
    # colour is never the only cue: bars for categories beyond the four grades are patterned
    patterns = [GRADE_PATTERNS[g] if g not in GRADES else "" for g in counts["grade"]]
    pattern = dict(shape=patterns, fillmode="overlay", size=8, solidity=0.15,
                   fgcolor=[GRADE_TEXT_COLOURS[g] for g in counts["grade"]], fgopacity=0.35)
    # adequate's near-white needs an outline on the white page
    outline = dict(color=AXIS_LINE, width=[0.8 if g == ADEQUATE else 0 for g in counts["grade"]])
    top = max(max(lengths), 0.01)
    hover = "%{customdata[0]}: %{customdata[1]} of " + str(n_total) + " LAs<extra></extra>"
    custom = list(zip([grade_label(g) for g in counts["grade"]], texts, strict=True))
    if orientation == "h":
        bar = go.Bar(
            y=labels, x=lengths, orientation="h", text=texts,
            textposition="outside", cliponaxis=False, marker_color=colours,
            marker_line=outline, marker_pattern=pattern,
            customdata=custom, hovertemplate=hover,
            textfont=dict(size=BASE_FONT + 1, color=TEXT),
        )
        fig = go.Figure(bar)
        fig.update_yaxes(**axis(autorange="reversed", ticksuffix="  "))
        fig.update_xaxes(**axis(range=[0, top * (1.55 if none else 1.28)],
                                showticklabels=False, showline=True))
        fig.update_layout(bargap=0.28)
        plot_height = 70 * len(labels) + 10
        axis_space = 26
        margin_l = label_margin(labels)
    elif orientation == "v":
        bar = go.Bar(
            x=labels, y=lengths, text=texts, textposition="outside",
            cliponaxis=False, marker_color=colours, marker_line=outline,
            marker_pattern=pattern, customdata=custom, hovertemplate=hover,
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
    of_total = "" if (counts["grade"] == "not_judged").any() else f" of {n_total}"
    summary = (
        f"Good or better: {ok_n}{of_total} ({format_pct(ok_share)}).<br>"
        f"{failing_label(counts)}: {fail_n} ({format_pct(fail_share)})."
    )
    fig.add_annotation(
        text=f"<b>{summary}</b>", xref="paper", yref="paper", x=0, y=0, xanchor="left",
        yanchor="top", yshift=-6 if orientation == "h" else -34, showarrow=False, align="left",
        font=dict(size=BASE_FONT - 1, color=TEXT),
    )
    fig.update_layout(showlegend=False)
    n_superseded = int(df["n_superseded"].max()) if "n_superseded" in df.columns and len(df) \
        else 0
    footer = categories.notes(
        [g for g, n in zip(counts["grade"], counts["n"], strict=True) for _ in range(n)],
        wording=str(spec.extra.get("wording", "at_the_time")), n_superseded=n_superseded,
        n_judged=n_total)
    return frame(
        fig, spec, kind=NAME, alt=alt_text(df, spec),
        plot_height=plot_height, margin_l=margin_l, axis_space=axis_space + 50,
        extra_footer=footer,
    )


# --------------------------------------------------------------------------- render


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    dist = queries.run(con, QUERY, **query_args(params))
    n_judged = int(dist["n_judged"].iloc[0]) if len(dist) else 0
    n_las = int(dist["n_las"].iloc[0]) if len(dist) else 0
    none = int(dist.loc[dist["grade"] == NO_OVERALL_GRADE, "n"].sum())
    if n_judged == 0 and none == 0:
        raise no_judgement(params)
    spec = ChartSpec(
        **data_status(con),
        title=f"{area_label(params.area)}: local authorities by grade",
        subtitle=subtitle(params, n_judged, n_las, none),
        as_at=params.as_at, basis=basis(params), subject=subject(params),
        extra={"wording": params.wording, "superseded": params.superseded},
    )
    data = dist.assign(grade_label=dist["grade"].map(grade_label))[COLUMNS]
    data = data[~(data["grade"].isin(categories.grades_not_yet_given(params.as_at)) & (data["n"] == 0))]
    return make_chart(NAME, params, spec, data, figure(data, spec), [QUERY])
