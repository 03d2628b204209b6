"""Failing over time: the share of LAs failing (requires improvement or inadequate, and the
pre-2013 scale's adequate), or good or better, monthly, England (bold) against each region
(grey, or highlighted). LAs with no overall grade since the April 2026 change are outside the
shares (counted in the data and the footer), or carried forward under their previous grade.

Query: failing/failing_over_time. Two measures of one frame: `measure` picks the line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures import categories
from etl.figures.chart import EARLIEST, Chart, NoData, data_status, make_chart, option
from etl.figures.style import (
    AXIS_LINE,
    BASE_FONT,
    CONTEXT_LINE,
    HIGHLIGHT_COLOURS,
    SECONDARY_TEXT,
    TEXT,
    ChartSpec,
    area_label,
    axis,
    format_date,
    format_pct,
    frame,
    label_margin,
    list_phrase,
    month,
    require_columns,
)
from etl.vocab import AREAS, FRAMEWORKS
from etl.warehouse import queries

NAME = "failing"
QUERY = "failing/failing_over_time"
MEASURES = {  # measure -> (what the share is of, chart title)
    "share_failing": ("requires improvement or inadequate",
                      "Share of LAs failing (requires improvement or inadequate)"),
    "share_good_or_better": ("good or better", "Share of LAs good or better"),
}
# The bases a page offers: overall effectiveness and, because inspections from late April 2026
# give none, each sub-judgement and the worst practice judgement.
BASES = {
    "overall_effectiveness": "Overall effectiveness",
    "leadership": "Impact of leaders (leadership)",
    "help_and_protection": "Help and protection",
    "children_looked_after": "Children in care (looked after)",
    "care_leavers": "Care leavers",
    "any_practice": "Any of the practice judgements (worst of them)",
}
_CARE_SPLIT = (
    "ILACS inspections from January 2018 to December 2022 judged children in care and care "
    "leavers together (not this basis), so an LA last inspected then counts here with its "
    "earlier SIF judgement; the worst practice judgement counts the joint one.")
BASIS_NOTES = {
    "overall_effectiveness": (
        "Overall effectiveness: ILACS inspections starting from 20 April 2026 give no overall "
        "grade. By default an LA inspected since then is counted apart (no overall grade, "
        "outside the shares); the option to carry its previous grade forward flags it as "
        "superseded."),
    "leadership": (
        "Impact of leaders on social work practice (ILACS) or leadership, management and "
        "governance (SIF): given by every graded inspection, including those from April 2026."),
    "help_and_protection": (
        "Experiences and progress of children who need help and protection (ILACS; SIF: "
        "children who need help and protection): given by every graded inspection since "
        "November 2013, including those from April 2026."),
    "children_looked_after": (
        "Children in care (ILACS from January 2023; SIF: children looked after and achieving "
        "permanence; SLAC: services for looked after children). " + _CARE_SPLIT),
    "care_leavers": (
        "Care leavers (ILACS from January 2023; SIF: experiences and progress of care "
        "leavers). " + _CARE_SPLIT),
    "any_practice": (
        "Worst of the practice judgements (help and protection, children in care / looked "
        "after, care leavers): an LA counts as failing if any of them is requires improvement "
        "or inadequate."),
}
# "latest {SUBJECT} grade" / "a published {SUBJECT} judgement"
SUBJECT = {
    "overall_effectiveness": "overall effectiveness",
    "leadership": "impact of leaders",
    "help_and_protection": "help and protection",
    "children_looked_after": "children in care",
    "care_leavers": "care leavers",
    "any_practice": "worst practice",
}
MIN_JUDGED = 5  # fewest judged LAs behind a plotted share
COLUMNS = ["month", "geography", "n_las", "n_judged", "n_failing", "n_good_or_better",
           "share_failing", "share_good_or_better", "n_adequate", "n_no_overall_grade",
           "n_superseded"]


@dataclass(frozen=True)
class Params:
    area: str = field(default="overall_effectiveness",
                      metadata=option("the judgement an LA fails on",
                                      choices=(*AREAS, "any_practice")))
    from_date: dt.date = field(default=EARLIEST,
                               metadata=option("first month end (default 2013-11-01)"))
    as_at: dt.date = field(default_factory=dt.date.today,
                           metadata=option("last month end (default today)"))
    measure: str = field(default="share_failing",
                         metadata=option("the share drawn", choices=tuple(MEASURES)))
    highlight: str | None = field(default=None,
                                  metadata=option("a region to draw in colour"))
    framework: str | None = field(default=None,
                                  metadata=option("only this framework (default any)",
                                                  choices=FRAMEWORKS))
    superseded: str = field(
        default="not_current",
        metadata=option("an LA inspected since the April 2026 change (no overall grade): "
                        "'not_current' leaves it out of the shares, 'carry_forward' counts its "
                        "previous overall grade, flagged as superseded",
                        choices=tuple(categories.SUPERSEDED)))
    wording: str = field(
        default="at_the_time",
        metadata=option("grades as given at the time (adequate before 2013) or in Ofsted's "
                        "current wording", choices=tuple(categories.WORDING)))


def basis_label(area: str) -> str:
    return BASES.get(area, area_label(area))


def subject(area: str) -> str:
    return SUBJECT.get(area, area_label(area).lower())


# --------------------------------------------------------------------------- figure


def _spread_labels(values: dict[str, float], min_gap: float, lo: float, hi: float) -> dict:
    """Nudge end-of-line label positions apart so none overlap; keeps their order."""
    items = sorted(values.items(), key=lambda kv: kv[1])
    pos = [v for _, v in items]
    for i in range(1, len(pos)):
        pos[i] = max(pos[i], pos[i - 1] + min_gap)
    if pos and pos[-1] > hi:
        pos[-1] = hi
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - min_gap)
    if pos and pos[0] < lo:
        # more labels than fit: accept overlap at the top rather than lose one
        shift = lo - pos[0]
        pos = [p + shift for p in pos]
    return {k: p for (k, _), p in zip(items, pos, strict=True)}


def alt_text(df: pd.DataFrame, spec: ChartSpec, *, measure: str = "share_failing") -> str:
    phrase = MEASURES[measure][0]
    data = df.assign(month=pd.to_datetime(df["month"])).sort_values("month")
    geos = list(dict.fromkeys(data["geography"]))
    others = [g for g in geos if g != "England"]
    start, end = data["month"].min(), data["month"].max()
    text = (
        f"Line chart of the share of local authorities whose {spec.subject} is {phrase}, "
        f"monthly from {month(start)} to {month(end)}"
    )
    text += f", for England and {len(others)} other areas." if others and "England" in geos \
        else f", for {list_phrase(geos)}."
    if "England" in geos:
        e = data[data["geography"] == "England"]
        first, last = e.iloc[0], e.iloc[-1]
        text += (
            f" England: {format_pct(first[measure])} in {month(first['month'])} "
            f"({int(first['n_judged'])} LAs judged), {format_pct(last[measure])} in "
            f"{month(last['month'])} ({int(last['n_judged'])} judged)."
        )
    if others:
        latest = data[data["geography"].isin(others)].groupby("geography").tail(1)
        hi = latest.loc[latest[measure].idxmax()]
        lo = latest.loc[latest[measure].idxmin()]
        text += (
            f" Latest highest: {hi['geography']} ({format_pct(hi[measure])}); lowest: "
            f"{lo['geography']} ({format_pct(lo[measure])})."
        )
    return text + f" Data as at {format_date(spec.as_at)}."


def figure(
    df: pd.DataFrame,
    spec: ChartSpec,
    *,
    measure: str = "share_failing",
    highlight: tuple[str, ...] | list[str] = (),
    extra_footer: list[str] | tuple[str, ...] = (),
) -> go.Figure:
    """Lines of a share over time per geography; England emphasised, others for context.

    df: month (month end), geography, share_failing, share_good_or_better, n_judged.
    `measure` picks the share; `highlight` names geographies to colour (others are grey).
    Every line is labelled at its end with its name and latest value.
    """
    require_columns(
        df, ("month", "geography", "share_failing", "share_good_or_better", "n_judged"),
        "failing over time",
    )
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, not {measure!r}")
    if df.empty:
        raise ValueError("failing over time: no rows")
    data = df.assign(month=pd.to_datetime(df["month"])).sort_values(["geography", "month"])
    geos = list(dict.fromkeys(data["geography"]))
    # England drawn last so it sits on top; highlighted next; context lines first
    order = sorted(geos, key=lambda g: (g == "England", g in highlight, g))
    colour_for = {g: HIGHLIGHT_COLOURS[i % len(HIGHLIGHT_COLOURS)]
                  for i, g in enumerate(h for h in highlight if h in geos)}
    plot_height = 420
    fig = go.Figure()
    ends: dict[str, float] = {}
    end_text: dict[str, tuple[str, str, int]] = {}
    last_month = data["month"].max()
    for geo in order:
        g = data[data["geography"] == geo]
        if geo == "England":
            colour, width, size = TEXT, 4, BASE_FONT
        elif geo in colour_for:
            colour, width, size = colour_for[geo], 2.5, BASE_FONT - 1
        else:
            colour, width, size = CONTEXT_LINE, 1.5, BASE_FONT - 2
        fig.add_trace(
            go.Scatter(
                x=g["month"], y=g[measure], mode="lines", name=geo,
                line=dict(color=colour, width=width),
                customdata=g[["n_judged"]],
                hovertemplate=(f"{geo}<br>%{{x|%b %Y}}: %{{y:.0%}} "
                               "(of %{customdata[0]} LAs judged)<extra></extra>"),
            )
        )
        last = g.iloc[-1]
        ends[geo] = float(last[measure])
        label_colour = SECONDARY_TEXT if colour == CONTEXT_LINE else colour
        end_text[geo] = (f"{geo} {format_pct(float(last[measure]))}", label_colour, size)
        if last["month"] != last_month:
            end_text[geo] = (f"{geo} {format_pct(float(last[measure]))} "
                             f"({month(last['month'])})", label_colour, size)
    gap = (BASE_FONT + 1) / plot_height
    placed = _spread_labels(ends, gap, 0.0, 1.0)
    for geo in order:
        text, colour, size = end_text[geo]
        bold = geo == "England"
        g_last = data[data["geography"] == geo]["month"].iloc[-1]
        fig.add_annotation(
            x=g_last, y=placed[geo], text=f"<b>{text}</b>" if bold else text,
            xanchor="left", yanchor="middle", xshift=8, showarrow=False,
            font=dict(size=size, color=colour),
        )
    longest = max(len(t) for t, _, _ in end_text.values())
    fig.update_yaxes(**axis(range=[0, 1.01], tickformat=".0%", dtick=0.25, showgrid=True))
    # explicit range: autorange pads dates, leaving a gap between line ends and labels
    fig.update_xaxes(**axis(showline=True, ticks="outside", tickcolor=AXIS_LINE,
                            range=[data["month"].min(), last_month]))
    fig.update_layout(showlegend=False, hovermode="closest")
    return frame(
        fig, spec, kind=NAME, alt=alt_text(df, spec, measure=measure),
        plot_height=plot_height, margin_l=label_margin(["100%"]),
        margin_r=int(longest * 8.2) + 24,
        axis_space=46, extra_footer=extra_footer,
    )


# --------------------------------------------------------------------------- render


def series(con: duckdb.DuckDBPyConnection, params: Params) -> pd.DataFrame:
    """The monthly frame both measures draw: months where fewer than MIN_JUDGED LAs in an
    area had a judgement are left out (a share of two or three LAs swings 0-100%)."""
    if params.from_date >= params.as_at:
        raise NoData("Choose a start date before the end date.")
    rows = queries.run(con, QUERY, area=params.area, from_date=params.from_date,
                       to_date=params.as_at, framework=params.framework,
                       superseded=params.superseded, wording=params.wording)
    rows = rows[rows["n_judged"] >= MIN_JUDGED]
    if rows.empty:
        raise NoData(f"Fewer than {MIN_JUDGED} LAs had a published {subject(params.area)} "
                     f"judgement at any month end between {format_date(params.from_date)} "
                     f"and {format_date(params.as_at)}: too few to chart. Choose a later "
                     "end date.")
    return rows[COLUMNS]


def category_notes(data: pd.DataFrame, params: Params) -> list[str]:
    """Footer lines: adequate (where the series has it) and, at the last month, England's LAs
    with no overall grade or with a superseded grade carried forward."""
    out = []
    if int(data["n_adequate"].sum()) or params.wording == "current":
        out.append(categories.adequate_note(params.wording))
    england = data[data["geography"] == "England"].sort_values("month")
    if len(england):
        last = england.iloc[-1]
        if int(last["n_no_overall_grade"]):
            out.append(categories.no_overall_note(int(last["n_no_overall_grade"]),
                                                  n_judged=int(last["n_judged"]),
                                                  where=f" in England in {month(last['month'])}"))
        if int(last["n_superseded"]):
            out.append(categories.no_overall_note(int(last["n_superseded"]), "carry_forward",
                                                  where=f" in England in {month(last['month'])}"))
    return out


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    data = series(con, params)
    notes = BASIS_NOTES.get(params.area, "")
    spec = ChartSpec(
        **data_status(con),
        title=MEASURES[params.measure][1],
        subtitle=f"{basis_label(params.area)}; England (bold) and regions, monthly from "
                 f"{format_date(params.from_date)}",
        as_at=params.as_at,
        basis=(f"Basis: {basis_label(params.area).lower()}; each LA's latest judgement "
               "published on or before each month end, of LAs with one. Failing = requires "
               "improvement + inadequate (+ adequate, the pre-2013 scale's third grade)."),
        subject=f"latest {subject(params.area)} grade",
        notes=(f"{notes} Months when fewer than {MIN_JUDGED} LAs in an area had a judgement "
               "are not drawn.").strip(),
    )
    highlight = (params.highlight,) if params.highlight else ()
    fig = figure(data, spec, measure=params.measure, highlight=highlight,
                 extra_footer=category_notes(data, params))
    return make_chart(NAME, params, spec, data, fig, [QUERY])
