"""Requires improvement or inadequate over time (what the seed papers call "failing"; the
pre-2013 scale's adequate counts with them): the share of LAs so judged, inadequate alone, or
good or better, monthly, England (bold) against each region (grey, or highlighted). On the
first measure England's inadequate-alone share is drawn beside it (dashed). LAs with no overall
grade since the April 2026 change are outside the shares (counted in the data and the footer),
or carried forward under their previous grade. A share is drawn only from
MIN_JUDGED_FOR_SHARE judged LAs (etl/figures/chart.py); the months before are greyed, and
every month's count is in the data and on hover.

Query: failing/failing_over_time. Three measures of one frame: `measure` picks the line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures import categories
from etl.figures.chart import (
    EARLIEST,
    GREYED_FILL,
    MIN_JUDGED_FOR_SHARE,
    Chart,
    NoData,
    data_status,
    few_judged_note,
    make_chart,
    option,
)
from etl.figures.style import (
    AXIS_LINE,
    BASE_FONT,
    CONTEXT_LINE,
    GRADE_COLOURS,
    HIGHLIGHT_COLOURS,
    NOTE_FONT,
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
                      "Share of LAs judged requires improvement or inadequate"),
    "share_inadequate": ("inadequate", "Share of LAs judged inadequate"),
    "share_good_or_better": ("good or better", "Share of LAs judged good or better"),
}
# The data table's columns in words (the page's display; downloads keep the names).
LABELS = {
    "month": "Month end",
    "geography": "Area",
    "n_las": "LAs",
    "n_judged": "LAs judged",
    "drawn": "Share drawn",
    "n_failing": "Requires improvement or inadequate (LAs)",
    "n_inadequate": "Inadequate (LAs)",
    "n_good_or_better": "Good or better (LAs)",
    "share_failing": "Requires improvement or inadequate",
    "share_inadequate": "Inadequate",
    "share_good_or_better": "Good or better",
    "n_adequate": "Adequate (LAs, pre-2013 scale)",
    "n_no_overall_grade": "No overall grade (LAs, since April 2026)",
    "n_superseded": "Superseded grades carried forward (LAs)",
}
# What the page's data table shows beside each measure's chart, so that it fits a 1440 px
# screen: the month, the area, its LAs, how many were judged (the base of every share) and
# whether the share is drawn, then the shares drawn. The counts by grade and the other
# categories are in the downloads (and the footers say where they occur).
SHOWN = {
    "share_failing": ["month", "geography", "n_las", "n_judged", "drawn", "share_failing",
                      "share_inadequate"],
    "share_inadequate": ["month", "geography", "n_las", "n_judged", "drawn",
                         "share_inadequate"],
    "share_good_or_better": ["month", "geography", "n_las", "n_judged", "drawn",
                             "share_good_or_better"],
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
        "after, care leavers): an LA counts as requires improvement or inadequate if any of "
        "them is."),
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
COLUMNS = ["month", "geography", "n_las", "n_judged", "drawn", "n_failing", "n_inadequate",
           "n_good_or_better", "share_failing", "share_inadequate", "share_good_or_better",
           "n_adequate", "n_no_overall_grade", "n_superseded"]


@dataclass(frozen=True)
class Params:
    area: str = field(default="overall_effectiveness",
                      metadata=option("the judgement whose grade is counted",
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


COUNT_OF = {"share_failing": "n_failing", "share_inadequate": "n_inadequate",
            "share_good_or_better": "n_good_or_better"}
INADEQUATE_LINE = "England, inadequate alone"


def drawn(df: pd.DataFrame) -> pd.Series:
    """Which rows' shares are drawn: those of an area-month with at least
    MIN_JUDGED_FOR_SHARE judged LAs (the frame's own `drawn` column where it has one)."""
    if "drawn" in df.columns:
        return df["drawn"].fillna(False).astype(bool)
    return df["n_judged"].fillna(0) >= MIN_JUDGED_FOR_SHARE


def alt_text(df: pd.DataFrame, spec: ChartSpec, *, measure: str = "share_failing") -> str:
    phrase = MEASURES[measure][0]
    data = df.assign(month=pd.to_datetime(df["month"]), _drawn=drawn(df)).sort_values("month")
    geos = list(dict.fromkeys(data["geography"]))
    others = [g for g in geos if g != "England"]
    start, end = data["month"].min(), data["month"].max()
    text = (
        f"Line chart of the share of local authorities whose {spec.subject} is {phrase}, "
        f"monthly from {month(start)} to {month(end)}"
    )
    text += f", for England and {len(others)} other areas." if others and "England" in geos \
        else f", for {list_phrase(geos)}."
    shown = data[data["_drawn"]]
    if "England" in geos:
        e = shown[shown["geography"] == "England"]
        early = data[(data["geography"] == "England") & ~data["_drawn"]]
        if len(early):
            text += (f" Until {month(early['month'].max())} fewer than {MIN_JUDGED_FOR_SHARE} "
                     "LAs had a judgement: England's share is not drawn for those months.")
        if len(e):
            first, last = e.iloc[0], e.iloc[-1]
            text += (
                f" England: {format_pct(first[measure])} in {month(first['month'])} "
                f"({int(first['n_judged'])} LAs judged), {format_pct(last[measure])} in "
                f"{month(last['month'])} ({int(last['n_judged'])} judged)."
            )
            if measure == "share_failing" and "share_inadequate" in e.columns:
                text += (f" Inadequate alone, England: {format_pct(first['share_inadequate'])} "
                         f"in {month(first['month'])}, {format_pct(last['share_inadequate'])} "
                         f"in {month(last['month'])}.")
    if others:
        latest = shown[shown["geography"].isin(others)].groupby("geography").tail(1)
        if len(latest):
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

    df: month (month end), geography, share_failing, share_good_or_better, n_judged (and, from
    the query, the counts, share_inadequate and `drawn`). `measure` picks the share;
    `highlight` names geographies to colour (others are grey). Every line is labelled at its
    end with its name and latest value. A share is drawn only where at least
    MIN_JUDGED_FOR_SHARE LAs had a judgement; England's months before are greyed, and hovering
    there gives their count. On share_failing, England's inadequate-alone share is drawn dashed
    beside it.
    """
    require_columns(
        df, ("month", "geography", "share_failing", "share_good_or_better", "n_judged"),
        "failing over time",
    )
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, not {measure!r}")
    require_columns(df, (measure,), "failing over time")
    if df.empty:
        raise ValueError("failing over time: no rows")
    data = df.assign(month=pd.to_datetime(df["month"]), _drawn=drawn(df)) \
        .sort_values(["geography", "month"])
    count = COUNT_OF[measure] if COUNT_OF[measure] in data.columns else None
    geos = [g for g in dict.fromkeys(data["geography"])
            if data.loc[data["geography"] == g, "_drawn"].any()]
    # England drawn last so it sits on top; highlighted next; context lines first
    order = sorted(geos, key=lambda g: (g == "England", g in highlight, g))
    colour_for = {g: HIGHLIGHT_COLOURS[i % len(HIGHLIGHT_COLOURS)]
                  for i, g in enumerate(h for h in highlight if h in geos)}
    plot_height = 420
    fig = go.Figure()
    ends: dict[str, float] = {}
    end_text: dict[str, tuple[str, str, int]] = {}
    last_month = data["month"].max()
    first_month = data["month"].min()

    def hover(geo: str, g: pd.DataFrame, count_col: str | None) -> dict:
        of = ("%{customdata[0]} of %{customdata[1]} LAs judged" if count_col
              else "of %{customdata[1]} LAs judged")
        cols = [count_col or "n_judged", "n_judged"]
        return dict(customdata=g[cols].to_numpy(),
                    hovertemplate=f"{geo}, %{{x|%b %Y}}: %{{y:.0%}} ({of})<extra></extra>")

    def label_end(key: str, g: pd.DataFrame, share: str, colour: str, size: int) -> None:
        last = g[g["_drawn"]].iloc[-1]
        ends[key] = float(last[share])
        text = f"{key} {format_pct(float(last[share]))}"
        if last["month"] != last_month:
            text += f" ({month(last['month'])})"
        end_text[key] = (text, colour, size)

    england = data[data["geography"] == "England"]
    early = england[~england["_drawn"]]
    early = early[early["month"] < england.loc[england["_drawn"], "month"].min()] \
        if england["_drawn"].any() else early
    for geo in order:
        g = data[data["geography"] == geo]
        if geo == "England":
            colour, width, size = TEXT, 4, BASE_FONT
        elif geo in colour_for:
            colour, width, size = colour_for[geo], 2.5, BASE_FONT - 1
        else:
            colour, width, size = CONTEXT_LINE, 1.5, BASE_FONT - 2
        if geo == "England":
            if len(early):
                # the greyed months: no share, but hovering says how few LAs were judged
                fig.add_trace(go.Scatter(
                    x=early["month"], y=[0.5] * len(early), mode="markers",
                    name="England (too few LAs judged)", showlegend=False,
                    marker=dict(size=14, opacity=0), customdata=early[["n_judged"]].to_numpy(),
                    hovertemplate=(f"England, %{{x|%b %Y}}: %{{customdata[0]}} LAs judged, "
                                   f"fewer than {MIN_JUDGED_FOR_SHARE}: share not drawn"
                                   "<extra></extra>")))
            if measure == "share_failing" and "share_inadequate" in g.columns:
                colour_inad = GRADE_COLOURS["inadequate"]
                fig.add_trace(go.Scatter(
                    x=g["month"], y=g["share_inadequate"].where(g["_drawn"]), mode="lines",
                    name=INADEQUATE_LINE, line=dict(color=colour_inad, width=2.5, dash="dash"),
                    **hover(INADEQUATE_LINE, g,
                            "n_inadequate" if "n_inadequate" in g.columns else None)))
                label_end(INADEQUATE_LINE, g, "share_inadequate", colour_inad, BASE_FONT - 1)
        fig.add_trace(
            go.Scatter(
                x=g["month"], y=g[measure].where(g["_drawn"]), mode="lines", name=geo,
                line=dict(color=colour, width=width), connectgaps=False,
                **hover(geo, g, count),
            )
        )
        label_end(geo, g, measure, SECONDARY_TEXT if colour == CONTEXT_LINE else colour, size)
    if len(early):
        until = england.loc[england["_drawn"], "month"].min() if england["_drawn"].any() \
            else last_month
        fig.add_vrect(x0=first_month, x1=until, fillcolor=GREYED_FILL, line_width=0,
                      layer="below")
        fig.add_annotation(
            x=first_month, y=1.0, xanchor="left", yanchor="top", xshift=4, showarrow=False,
            text=f"Fewer than {MIN_JUDGED_FOR_SHARE}<br>LAs judged", align="left",
            font=dict(size=NOTE_FONT, color=SECONDARY_TEXT))
    gap = (BASE_FONT + 1) / plot_height
    placed = _spread_labels(ends, gap, 0.0, 1.0)
    for key in ends:
        text, colour, size = end_text[key]
        bold = key == "England"
        # every label at the right edge (one that ended earlier says when, in its text)
        fig.add_annotation(
            x=last_month, y=placed[key], text=f"<b>{text}</b>" if bold else text,
            xanchor="left", yanchor="middle", xshift=8, showarrow=False,
            font=dict(size=size, color=colour),
        )
    longest = max(len(t) for t, _, _ in end_text.values())
    fig.update_yaxes(**axis(range=[0, 1.01], tickformat=".0%", dtick=0.25, showgrid=True))
    # explicit range: autorange pads dates, leaving a gap between line ends and labels
    fig.update_xaxes(**axis(showline=True, ticks="outside", tickcolor=AXIS_LINE,
                            range=[first_month, last_month]))
    fig.update_layout(showlegend=False, hovermode="closest")
    return frame(
        fig, spec, kind=NAME, alt=alt_text(df, spec, measure=measure),
        plot_height=plot_height, margin_l=label_margin(["100%"]),
        margin_r=int(longest * 8.2) + 24,
        axis_space=46, extra_footer=extra_footer,
    )


# --------------------------------------------------------------------------- render


def series(con: duckdb.DuckDBPyConnection, params: Params) -> pd.DataFrame:
    """The monthly frame every measure draws, every month with a judged LA with its counts;
    `drawn` marks the area-months with at least MIN_JUDGED_FOR_SHARE judged LAs, the only ones
    whose share is drawn (a share of two or three LAs swings 0-100%)."""
    if params.from_date >= params.as_at:
        raise NoData("Choose a start date before the end date.")
    rows = queries.run(con, QUERY, area=params.area, from_date=params.from_date,
                       to_date=params.as_at, framework=params.framework,
                       superseded=params.superseded, wording=params.wording)
    # an area-month with no judged LA has no share at all (not even one to grey out)
    rows = rows[rows["n_judged"] > 0]
    rows = rows.assign(drawn=rows["n_judged"] >= MIN_JUDGED_FOR_SHARE)
    if not rows["drawn"].any():
        raise NoData(f"Fewer than {MIN_JUDGED_FOR_SHARE} LAs had a published "
                     f"{subject(params.area)} judgement at any month end between "
                     f"{format_date(params.from_date)} and {format_date(params.as_at)}: too "
                     "few for a share. Choose a later end date.")
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
    dashed = (" The dashed red line is England's share judged inadequate alone."
              if params.measure == "share_failing" else "")
    spec = ChartSpec(
        **data_status(con),
        title=MEASURES[params.measure][1],
        subtitle=f"{basis_label(params.area)}; England (bold) and regions, monthly from "
                 f"{format_date(params.from_date)}",
        as_at=params.as_at,
        basis=(f"Basis: {basis_label(params.area).lower()}; each LA's latest judgement "
               "published on or before each month end, of LAs with one. Requires improvement "
               "or inadequate includes adequate, the pre-2013 scale's third grade (together "
               "what the seed papers call \"failing\")." + dashed),
        subject=f"latest {subject(params.area)} grade",
        notes=f"{notes} {few_judged_note('England or a region')}".strip(),
    )
    highlight = (params.highlight,) if params.highlight else ()
    fig = figure(data, spec, measure=params.measure, highlight=highlight,
                 extra_footer=category_notes(data, params))
    return make_chart(NAME, params, spec, data, fig, [QUERY])
