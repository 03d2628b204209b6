"""The one definition of every chart: pure data (pandas) -> plotly figure.

The Streamlit pages and the `python -m etl export` CLI both call these builders, so a chart
looks the same on screen and in a cabinet paper. Nothing here imports Streamlit.

Every figure carries its own title, subtitle, "As at <date>" line and source line *inside*
the figure, so a PNG pasted into a paper explains itself. Grades always use `GRADE_COLOURS`
(ColorBrewer RdBu, 4 classes: a diverging blue-red scheme that ColorBrewer lists as
colour-blind safe; simulated deuteranopia, protanopia and tritanopia (Machado 2009) keep every
pair of the five colours at least 15 CIELAB units apart), and no chart relies on colour
alone: grades are also named on an axis, printed in the hexes, or patterned.

Each builder stores `{"kind": ..., "alt_text": ...}` in `fig.layout.meta` so exports and
the app can reuse the generated description.
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from etl import OGL_ATTRIBUTION
from etl.vocab import ALL_GRADES, GRADE_LABELS, GRADES, NOT_JUDGED

__all__ = [
    "DEFAULT_SOURCE",
    "FONT_FAMILY",
    "GRADE_COLOURS",
    "GRADE_LABELS",
    "GRADE_PATTERNS",
    "GRADE_SHORT",
    "GRADE_TEXT_COLOURS",
    "KINDS",
    "ChartSpec",
    "alt_text",
    "cycle_figure",
    "failing_over_time_figure",
    "format_date",
    "format_pct",
    "grade_by_group_figure",
    "hex_centres",
    "hexmap_figure",
    "national_distribution_figure",
    "neighbours_figure",
    "read_hexjson",
]

DEFAULT_SOURCE = (
    "Source: Ofsted inspection reports and official statistics; Inspection Outcomes analysis. "
    f"{OGL_ATTRIBUTION}."
)

# ColorBrewer RdBu (4-class) for the four grades, best (blue) to worst (red); grey for
# "not judged". One palette for app and exports.
GRADE_COLOURS: dict[str, str] = {
    "outstanding": "#0571b0",
    "good": "#92c5de",
    "requires_improvement": "#f4a582",
    "inadequate": "#ca0020",
    NOT_JUDGED: "#8c8c8c",  # mid grey: lightness apart from the two light grades
}
# Text drawn on top of a grade fill: white on the dark ends, near-black on the light middle.
GRADE_TEXT_COLOURS: dict[str, str] = {
    "outstanding": "#ffffff",
    "good": "#0b0c0c",
    "requires_improvement": "#0b0c0c",
    "inadequate": "#ffffff",
    NOT_JUDGED: "#0b0c0c",
}
# Where segments are told apart by fill only (stacked bars), the two light middle grades
# would merge in a greyscale print; a pattern on the failing grades keeps them apart.
GRADE_PATTERNS: dict[str, str] = {
    "outstanding": "",
    "good": "",
    "requires_improvement": "/",
    "inadequate": "x",
    NOT_JUDGED: ".",
}
GRADE_SHORT: dict[str, str] = {
    "outstanding": "O",
    "good": "G",
    "requires_improvement": "RI",
    "inadequate": "I",
    NOT_JUDGED: "NJ",
}
NO_GRADE_COLOUR = "#f3f2f1"  # an LA with no published grade: near-white, outlined
NO_GRADE_LABEL = "No published grade"

KINDS = (
    "national_distribution",
    "grade_share_over_time",
    "failing_over_time",
    "neighbours",
    "cycle",
    "grade_by_group",
    "hexmap",
)

# GOV.UK text colours; Arial with its metric twin Liberation Sans (what headless chromium
# on Debian has) so on-screen and exported text measure the same.
FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, sans-serif"
TEXT = "#0b0c0c"
SECONDARY_TEXT = "#505a5f"
GRID = "#e1e1e1"
AXIS_LINE = "#6f777b"
# Okabe-Ito, for lines other than England that the caller asks to highlight.
HIGHLIGHT_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
CONTEXT_LINE = "#b1b4b6"

BASE_FONT = 15
TITLE_FONT = 21
SUBTITLE_FONT = 15
NOTE_FONT = 12.5
# Figures are designed at this width (px); exports render at it and scale up.
DESIGN_WIDTH = 800
FOOTER_WRAP = 118  # characters per footer line at DESIGN_WIDTH and NOTE_FONT
SUBTITLE_WRAP = 88


@dataclass(frozen=True)
class ChartSpec:
    """What a chart is about; everything printed around the data.

    `subject` and `geography` are phrases used to generate the alt text, e.g.
    "latest overall effectiveness grade" and "England". `basis` says how LAs are counted
    (e.g. "Latest judgement published on or before the date"); `notes` holds caveats.
    """

    title: str
    as_at: date
    subtitle: str = ""
    source: str = DEFAULT_SOURCE
    basis: str = ""
    notes: str = ""
    subject: str = "latest overall effectiveness grade"
    geography: str = "England"
    height: int | None = None  # override a builder's default height (px at DESIGN_WIDTH)
    extra: dict[str, str] = field(default_factory=dict)  # free-form, copied into metadata


# --------------------------------------------------------------------------- formatting


def format_date(d: date | pd.Timestamp) -> str:
    """'31 March 2025' (GOV.UK style: no leading zero, month in full)."""
    d = pd.Timestamp(d)
    return f"{d.day} {d:%B %Y}"


def _month(d: date | pd.Timestamp) -> str:
    return f"{pd.Timestamp(d):%b %Y}"


def format_pct(share: float, digits: int = 0) -> str:
    """Percent rounded half up, as official statistics do (12.5% -> 13%, not 12%)."""
    q = Decimal(1).scaleb(-digits)
    value = (Decimal(repr(float(share))) * 100).quantize(q, rounding=ROUND_HALF_UP)
    return f"{value}%"


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        lines.extend(textwrap.wrap(para, width) or [""])
    return lines


_NARROW = set("ijl|.,:;'!")
_THIN = set("ftrI()[]-/ ")
_WIDE = set("mwMW%")


def _text_width(text: str, size: float) -> float:
    """Rough rendered width (px) of `text` in Arial/Liberation Sans; errs wide, so margins
    set from it are rarely grown by plotly's automargin (which would misalign the footer)."""
    bold = "<b>" in text
    plain = re.sub(r"<[^>]+>", "", text)
    em = 0.0
    for ch in plain:
        if ch in _NARROW:
            em += 0.25
        elif ch in _THIN:
            em += 0.34
        elif ch in _WIDE:
            em += 0.87
        elif ch.isupper():
            em += 0.69
        else:
            em += 0.56
    return em * size * (1.08 if bold else 1.0)


def _label_margin(labels: Iterable[str], size: float = BASE_FONT) -> int:
    """Left margin (px) that fits the widest y tick label plus its two-space suffix."""
    return int(max((_text_width(str(t), size) for t in labels), default=0) + 24)


def _grade_phrase(grade: str) -> str:
    return GRADE_LABELS[grade].lower()


# --------------------------------------------------------------------------- validation


def _require_columns(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: missing columns {missing}; got {list(df.columns)}")


def _check_grades(values: Iterable[object], what: str, *, allow_missing: bool = False) -> None:
    bad = sorted(
        {
            str(v)
            for v in values
            if not (allow_missing and _is_missing(v)) and v not in ALL_GRADES
        }
    )
    if bad:
        raise ValueError(f"{what}: unknown grade values {bad}; expected one of {ALL_GRADES}")


def _is_missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT


# --------------------------------------------------------------------------- common frame


def _axis(**overrides: object) -> dict:
    base = dict(
        showgrid=False,
        gridcolor=GRID,
        gridwidth=1,
        zeroline=False,
        showline=False,
        linecolor=AXIS_LINE,
        ticks="",
        tickfont=dict(size=BASE_FONT, color=TEXT),
        title=dict(font=dict(size=BASE_FONT, color=SECONDARY_TEXT)),
        automargin=True,
    )
    base.update(overrides)
    return base


def _frame(
    fig: go.Figure,
    spec: ChartSpec,
    *,
    kind: str,
    alt: str,
    plot_height: int,
    margin_l: int = 20,
    margin_r: int = 30,
    axis_space: int = 40,
    top_axis: int = 0,
    extra_footer: Sequence[str] = (),
) -> go.Figure:
    """Title, subtitle, as-at line, footer (basis, notes, source), fonts and margins."""
    subtitle_lines = _wrap(spec.subtitle, SUBTITLE_WRAP) if spec.subtitle else []
    subtitle_lines.append(f"As at {format_date(spec.as_at)}")
    footer_lines: list[str] = []
    for part in (*extra_footer, spec.basis, spec.notes, spec.source):
        if part:
            footer_lines.extend(_wrap(part, FOOTER_WRAP))
    margin_t = 22 + TITLE_FONT + 8 + int(SUBTITLE_FONT * 1.3) * len(subtitle_lines) + 18
    # lines of tick labels or legend above the plot need their own band under the subtitle
    margin_t += int(top_axis * BASE_FONT * 1.25) + (14 if top_axis else 0)
    margin_b = axis_space + int(NOTE_FONT * 1.35) * len(footer_lines) + 16
    height = spec.height or (plot_height + margin_t + margin_b)
    fig.update_layout(
        template="none",
        font=dict(family=FONT_FAMILY, size=BASE_FONT, color=TEXT),
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        title=dict(
            text=f"<b>{spec.title}</b>",
            font=dict(size=TITLE_FONT, color=TEXT),
            x=0,
            xref="container",
            xanchor="left",
            y=1,
            yref="container",
            yanchor="top",
            pad=dict(l=14, t=20),
            subtitle=dict(
                text="<br>".join(subtitle_lines),
                font=dict(size=SUBTITLE_FONT, color=SECONDARY_TEXT),
            ),
        ),
        margin=dict(l=margin_l, r=margin_r, t=margin_t, b=margin_b, pad=4),
        height=height,
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=13)),
        meta={"kind": kind, "alt_text": alt, "title": spec.title,
              "as_at": spec.as_at.isoformat(), "source": spec.source},
    )
    if footer_lines:
        fig.add_annotation(
            name="footer",
            text="<br>".join(footer_lines),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="top",
            # pixel shifts keep the footer at the container's bottom-left, whatever the
            # plot area's size
            xshift=-margin_l + 14,
            yshift=-axis_space,
            align="left",
            showarrow=False,
            font=dict(size=NOTE_FONT, color=SECONDARY_TEXT),
        )
    return fig


# --------------------------------------------------------------------------- 1 national


def _grade_counts(df: pd.DataFrame) -> pd.DataFrame:
    """One row per grade in scale order; absent grades are 0; not_judged only if present."""
    _require_columns(df, ("grade", "n", "share"), "national distribution")
    _check_grades(df["grade"], "national distribution")
    if df["grade"].duplicated().any():
        raise ValueError(f"national distribution: duplicate grades {list(df['grade'])}")
    by = df.set_index("grade")
    grades = list(GRADES) + ([NOT_JUDGED] if NOT_JUDGED in by.index else [])
    out = pd.DataFrame(
        {
            "grade": grades,
            "n": [int(by["n"].get(g, 0)) for g in grades],
            "share": [float(by["share"].get(g, 0.0)) for g in grades],
        }
    )
    return out


def _count_label(n: int, share: float) -> str:
    return f"{n} ({format_pct(share)})"


def _good_or_better(counts: pd.DataFrame) -> tuple[int, float, int, float]:
    ok = counts["grade"].isin(["outstanding", "good"])
    failing = counts["grade"].isin(["requires_improvement", "inadequate"])
    return (
        int(counts.loc[ok, "n"].sum()),
        float(counts.loc[ok, "share"].sum()),
        int(counts.loc[failing, "n"].sum()),
        float(counts.loc[failing, "share"].sum()),
    )


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


# --------------------------------------------------------------------------- 2 failing

_MEASURES = {
    "share_failing": "requires improvement or inadequate",
    "share_good_or_better": "good or better",
}


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


def failing_over_time_figure(
    df: pd.DataFrame,
    spec: ChartSpec,
    *,
    measure: str = "share_failing",
    highlight: Sequence[str] = (),
) -> go.Figure:
    """Lines of a share over time per geography; England emphasised, others for context.

    df: month (month end), geography, share_failing, share_good_or_better, n_judged.
    `measure` picks the share; `highlight` names geographies to colour (others are grey).
    Every line is labelled at its end with its name and latest value.
    """
    _require_columns(
        df, ("month", "geography", "share_failing", "share_good_or_better", "n_judged"),
        "failing over time",
    )
    if measure not in _MEASURES:
        raise ValueError(f"measure must be one of {list(_MEASURES)}, not {measure!r}")
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
                             f"({_month(last['month'])})", label_colour, size)
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
    fig.update_yaxes(**_axis(range=[0, 1.01], tickformat=".0%", dtick=0.25, showgrid=True))
    # explicit range: autorange pads dates, leaving a gap between line ends and labels
    fig.update_xaxes(**_axis(showline=True, ticks="outside", tickcolor=AXIS_LINE,
                             range=[data["month"].min(), last_month]))
    fig.update_layout(showlegend=False, hovermode="closest")
    return _frame(
        fig, spec, kind="failing_over_time",
        alt=alt_text("failing_over_time", df, spec, measure=measure),
        plot_height=plot_height, margin_l=_label_margin(["100%"]),
        margin_r=int(longest * 8.2) + 24,
        axis_space=46,
    )


# --------------------------------------------------------------------------- 3 neighbours

NO_GRADE_KEY = "none"


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


# --------------------------------------------------------------------------- 4 cycle

_CYCLE_SERIES = ("actual", "projection", "projection_low", "projection_high")
_COMPLETE = 0.9995


def _completion(df: pd.DataFrame, series: str) -> pd.Timestamp | None:
    s = df[(df["series"] == series) & (df["share"] >= _COMPLETE)]
    return None if s.empty else s["date"].min()


def cycle_figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """Cumulative share of LAs inspected, with a projection, its uncertainty band and the
    projected completion date.

    df: date, n_inspected (cumulative), n_las, share (0-1), series ('actual' | 'projection' |
    'projection_low' | 'projection_high'). 'projection_low' is the slower path (latest
    completion), 'projection_high' the faster.
    """
    _require_columns(df, ("date", "n_inspected", "n_las", "share", "series"), "cycle")
    bad = sorted(set(df["series"]) - set(_CYCLE_SERIES))
    if bad:
        raise ValueError(f"cycle: unknown series {bad}; expected {_CYCLE_SERIES}")
    data = df.assign(date=pd.to_datetime(df["date"])).sort_values(["series", "date"])
    actual = data[data["series"] == "actual"]
    if actual.empty:
        raise ValueError("cycle: no 'actual' rows")
    fig = go.Figure()
    low = data[data["series"] == "projection_low"]
    high = data[data["series"] == "projection_high"]
    if not low.empty and not high.empty:
        fig.add_trace(
            go.Scatter(
                x=[*low["date"], *high["date"][::-1]],
                y=[*low["share"], *high["share"][::-1]],
                fill="toself", fillcolor="rgba(5,113,176,0.15)", line=dict(width=0),
                mode="lines", name="Projection range", hoverinfo="skip",
            )
        )
    proj = data[data["series"] == "projection"]
    if not proj.empty:
        fig.add_trace(
            go.Scatter(
                x=proj["date"], y=proj["share"], mode="lines", name="Projection",
                line=dict(color=GRADE_COLOURS["outstanding"], width=2.5, dash="dash"),
                hovertemplate="Projection %{x|%b %Y}: %{y:.0%}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=actual["date"], y=actual["share"], mode="lines", name="Inspected",
            line=dict(color=TEXT, width=4), customdata=actual[["n_inspected", "n_las"]],
            hovertemplate="%{x|%d %b %Y}: %{customdata[0]} of %{customdata[1]} "
            "(%{y:.0%})<extra></extra>",
        )
    )
    last = actual.iloc[-1]
    n_las = int(last["n_las"])
    fig.add_annotation(
        x=last["date"], y=float(last["share"]),
        text=(f"<b>{int(last['n_inspected'])} of {n_las} ({format_pct(float(last['share']))})"
              f"</b><br>inspected by {format_date(last['date'])}"),
        # below-right of the line end: the space under the projection is empty
        xanchor="left", yanchor="top", align="left", ax=14, ay=40, showarrow=True,
        arrowcolor=AXIS_LINE, arrowwidth=1, font=dict(size=BASE_FONT - 1, color=TEXT),
    )
    fig.add_hline(y=1, line=dict(color=AXIS_LINE, width=1, dash="dot"))
    x_min = data["date"].min()
    fig.add_annotation(
        x=x_min, y=1, text=f"All {n_las} LAs", xanchor="left", yanchor="bottom",
        showarrow=False, font=dict(size=BASE_FONT - 2, color=SECONDARY_TEXT),
    )
    done = _completion(data, "projection")
    if done is not None:
        early, late = _completion(data, "projection_high"), _completion(data, "projection_low")
        if early is not None and late is not None and early != late:
            rng = f"<br>(range {_month(early)} to {_month(late)})"
        elif late is None and not low.empty:
            rng = "<br>(slower path not complete in period shown)"
        else:
            rng = ""
        fig.add_trace(
            go.Scatter(
                x=[done], y=[1], mode="markers", name="Projected completion",
                showlegend=False,
                marker=dict(symbol="diamond", size=16, color=GRADE_COLOURS["outstanding"],
                            line=dict(color=TEXT, width=1.5)),
                hovertemplate="Projected completion %{x|%b %Y}<extra></extra>",
            )
        )
        # Below the band, where the slower path has not yet reached the label.
        fig.add_annotation(
            x=done, y=1, text=f"<b>Projected completion: {_month(done)}</b>{rng}",
            xanchor="right", yanchor="top", align="right", ax=0, ay=130, showarrow=True,
            arrowcolor=AXIS_LINE, arrowwidth=1, font=dict(size=BASE_FONT - 1, color=TEXT),
        )
    fig.update_yaxes(**_axis(range=[0, 1.08], tickformat=".0%", tickvals=[0, .25, .5, .75, 1],
                             showgrid=True))
    fig.update_xaxes(**_axis(showline=True, ticks="outside", tickcolor=AXIS_LINE,
                             range=[x_min - pd.Timedelta(days=20),
                                    data["date"].max() + pd.Timedelta(days=20)]))
    # Legend in the empty top-left of the plot (the actual line starts bottom-left).
    fig.update_layout(
        showlegend=True,
        legend=dict(x=0.01, xanchor="left", y=0.9, yanchor="top",
                    font=dict(size=BASE_FONT - 1), traceorder="reversed",
                    bgcolor="rgba(255,255,255,0.85)"),
    )
    return _frame(fig, spec, kind="cycle", alt=alt_text("cycle", df, spec),
                  plot_height=400, axis_space=46, margin_l=_label_margin(["100%"]))


# --------------------------------------------------------------------------- 5 by group


def _group_table(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str]]:
    _require_columns(df, ("group", "grade", "n", "share"), "grade by group")
    _check_grades(df["grade"], "grade by group")
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


# --------------------------------------------------------------------------- 6 hex map

_HEX_LAYOUTS = ("odd-r", "even-r", "odd-q", "even-q")


def read_hexjson(path: Path) -> tuple[pd.DataFrame, str]:
    """A HexJSON file as (hexes, layout): hexes has la_code (the file's key, an ONS code in
    the ODI files), name, q, r. Callers keyed on DfE codes map la_code with
    `LaResolver.by_code` first."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    layout = doc.get("layout")
    if layout not in _HEX_LAYOUTS:
        raise ValueError(f"{path}: unknown hexjson layout {layout!r}")
    rows = [
        {"la_code": key, "name": h.get("n") or h.get("name") or key,
         "q": int(h["q"]), "r": int(h["r"])}
        for key, h in doc["hexes"].items()
    ]
    return pd.DataFrame(rows, columns=["la_code", "name", "q", "r"]), layout


def hex_centres(q: int, r: int, layout: str = "odd-r") -> tuple[float, float]:
    """Centre of a hex in plot units (hex width 1 for pointy-top "-r" layouts, height 1 for
    flat-top "-q"). Rows/columns count upward/rightward, as the ODI HexJSON spec does."""
    root3 = math.sqrt(3)
    if layout in ("odd-r", "even-r"):
        shifted = (r % 2 == 1) if layout == "odd-r" else (r % 2 == 0)
        return q + (0.5 if shifted else 0.0), r * root3 / 2
    if layout in ("odd-q", "even-q"):
        shifted = (q % 2 == 1) if layout == "odd-q" else (q % 2 == 0)
        return q * root3 / 2, r + (0.5 if shifted else 0.0)
    raise ValueError(f"unknown hex layout {layout!r}; expected one of {_HEX_LAYOUTS}")


def _hex_polygon(cx: float, cy: float, layout: str, shrink: float = 1.0) -> list[tuple]:
    if layout.endswith("-r"):  # pointy-top: circumradius for width 1
        radius, start = shrink / math.sqrt(3), 30.0
    else:  # flat-top
        radius, start = shrink / math.sqrt(3), 0.0
    pts = [
        (cx + radius * math.cos(math.radians(start + 60 * k)),
         cy + radius * math.sin(math.radians(start + 60 * k)))
        for k in range(6)
    ]
    return [*pts, pts[0]]


def _polygons_trace(centres: list[tuple[float, float]], layout: str, **kwargs) -> go.Scatter:
    shrink = kwargs.pop("_shrink", 0.96)
    xs: list[float | None] = []
    ys: list[float | None] = []
    for cx, cy in centres:
        for x, y in _hex_polygon(cx, cy, layout, shrink=shrink):
            xs.append(x)
            ys.append(y)
        xs.append(None)
        ys.append(None)
    return go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", **kwargs)


_HEX_PX = 42.0  # approximate px per hex width at DESIGN_WIDTH for an England map


def _seg_dist(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy)
                                                  / (dx * dx + dy * dy)))
    return math.hypot(p[0] - (ax + t * dx), p[1] - (ay + t * dy))


def _free_label_spot(
    target: tuple[float, float],
    centres: list[tuple[float, float]],
    width: float,
    bounds: tuple[float, float, float, float],
) -> tuple[float, float, str]:
    """Where to put a label near `target` (plot units) so that it covers no hex if possible
    and its arrow crosses few: returns (x, y, xanchor) of the label's anchor point.
    bounds = (x0, x1, y0, y1) the label must stay inside."""
    tx, ty = target
    half_h = 0.3
    best: tuple[float, float, float, str] | None = None
    for dy in (0.0, 0.9, -0.9, 1.7, -1.7, 2.6, -2.6, 3.5, -3.5, 4.3, -4.3):
        for dx in (1.0, 1.5, 2.5, 3.5, 4.5, 5.5):
            for sign, anchor in ((1, "left"), (-1, "right")):
                x, y = tx + sign * dx, ty + dy
                x0, x1 = (x, x + width) if anchor == "left" else (x - width, x)
                if x0 < bounds[0] or x1 > bounds[1] or not bounds[2] < y < bounds[3]:
                    continue
                covered = sum(
                    1 for cx, cy in centres
                    if x0 - 0.45 < cx < x1 + 0.45 and abs(cy - y) < half_h + 0.45
                )
                crossed = sum(
                    1 for c in centres
                    if c != target and _seg_dist(c, (tx, ty), (x, y)) < 0.4
                )
                score = covered * 10 + crossed * 2 + math.hypot(dx, dy) * 0.5
                if best is None or score < best[0]:
                    best = (score, x, y, anchor)
    if best is None:  # nowhere inside the bounds: just above
        return tx, ty + 1.0, "center"
    return best[1], best[2], best[3]


def hexmap_figure(
    hexes: pd.DataFrame,
    grades: pd.DataFrame,
    spec: ChartSpec,
    focus: str | None = None,
    outlined: Sequence[str] = (),
    *,
    layout: str = "odd-r",
) -> go.Figure:
    """Hex cartogram of LAs coloured by grade, each hex printed with the grade's short code;
    the focus LA gets a thick black outline and a name label, `outlined` LAs (its neighbours)
    a thinner dark outline.

    hexes: la_code, name, q, r in the HexJSON `layout` (default "odd-r", the ODI UK
    upper-tier file's layout: pointy-top hexes, odd rows shifted right, r counting up from
    the south). grades: la_code, grade. LAs with a grade but no hex are listed in the footer
    rather than dropped silently; hexes without a grade are drawn as "No published grade".
    """
    _require_columns(hexes, ("la_code", "name", "q", "r"), "hexmap hexes")
    _require_columns(grades, ("la_code", "grade"), "hexmap grades")
    _check_grades(grades["grade"], "hexmap grades")
    if layout not in _HEX_LAYOUTS:
        raise ValueError(f"unknown hex layout {layout!r}; expected one of {_HEX_LAYOUTS}")
    if grades["la_code"].duplicated().any():
        dups = sorted(grades.loc[grades["la_code"].duplicated(), "la_code"])
        raise ValueError(f"hexmap grades: duplicate la_code {dups}")
    grade_of = dict(zip(grades["la_code"], grades["grade"], strict=True))
    hx = hexes.assign(grade=[grade_of.get(c, NO_GRADE_KEY) for c in hexes["la_code"]])
    centres = {c: hex_centres(int(q), int(r), layout)
               for c, q, r in zip(hx["la_code"], hx["q"], hx["r"], strict=True)}
    fig = go.Figure()
    keys = [g for g in ALL_GRADES if (hx["grade"] == g).any()]
    keys += [NO_GRADE_KEY] if (hx["grade"] == NO_GRADE_KEY).any() else []
    for key in keys:
        sub = hx[hx["grade"] == key]
        name = GRADE_LABELS.get(key, NO_GRADE_LABEL)
        short = GRADE_SHORT.get(key, "")
        fill = GRADE_COLOURS.get(key, NO_GRADE_COLOUR)
        legend = f"{short} {name} ({len(sub)})" if short else f"{name} ({len(sub)})"
        fig.add_trace(
            _polygons_trace(
                [centres[c] for c in sub["la_code"]], layout, fill="toself", fillcolor=fill,
                line=dict(color="#ffffff" if key != NO_GRADE_KEY else AXIS_LINE, width=0.8),
                name=legend, legendgroup=key,
            )
        )
        pts = [centres[c] for c in sub["la_code"]]
        fig.add_trace(
            go.Scatter(
                x=[p[0] for p in pts], y=[p[1] for p in pts], mode="text",
                text=[short] * len(sub),
                textfont=dict(size=11, color=GRADE_TEXT_COLOURS.get(key, TEXT)),
                customdata=list(sub["name"]), showlegend=False, legendgroup=key,
                hovertemplate="%{customdata}: " + name + "<extra></extra>",
            )
        )
    known = set(centres)
    xs = [p[0] for p in centres.values()]
    ys = [p[1] for p in centres.values()]
    pad = 0.7
    # extra room top-left for the legend (the Irish Sea on an England map)
    x_range = [min(xs) - pad - 1.0, max(xs) + pad]
    y_range = [min(ys) - pad, max(ys) + pad + 0.4]
    outlined = [c for c in outlined if c != focus]
    if outlined:
        on_map = [c for c in outlined if c in known]
        fig.add_trace(
            _polygons_trace([centres[c] for c in on_map], layout, _shrink=0.93,
                            line=dict(color=TEXT, width=2.2), name="Statistical neighbours")
        )
    if focus is not None and focus in known:
        fx, fy = centres[focus]
        fig.add_trace(
            _polygons_trace([(fx, fy)], layout, _shrink=0.93, line=dict(color=TEXT, width=4.5),
                            name="Focus LA")
        )
        fname = str(hx.loc[hx["la_code"] == focus, "name"].iloc[0])
        label = f"<b>{fname}</b>"
        lx, ly, anchor = _free_label_spot(
            (fx, fy), list(centres.values()), _text_width(label, BASE_FONT) / _HEX_PX,
            (x_range[0], x_range[1], y_range[0], y_range[1]),
        )
        fig.add_annotation(
            x=fx, y=fy, text=label, showarrow=True, ax=lx, ay=ly, axref="x", ayref="y",
            xanchor=anchor, yanchor="middle", arrowcolor=TEXT, arrowwidth=1.5,
            standoff=int(_HEX_PX * 0.5), bgcolor="rgba(255,255,255,0.9)",  # stop at the edge
            font=dict(size=BASE_FONT, color=TEXT),
        )
    footer = ["Each hexagon is one local authority; letters give the grade "
              "(O outstanding, G good, RI requires improvement, I inadequate, "
              "NJ not judged). Hexagon positions approximate geography."]
    names = (dict(zip(grades["la_code"], grades["name"], strict=True))
             if "name" in grades.columns else {})
    missing = [c for c in grades["la_code"] if c not in known]
    if missing:
        shown = [f"{names.get(c, c)} ({_grade_phrase(grade_of[c])})" for c in missing]
        footer.append(f"Not on this map ({len(missing)}, the map predates them or uses other "
                      f"codes): {'; '.join(shown)}.")
    if focus is not None and focus not in known:
        footer.append(f"Focus LA {focus} is not on this map.")
    off_map = [c for c in outlined if c not in known]
    if off_map:
        footer.append("Outlined LAs not on this map: "
                      f"{', '.join(names.get(c, c) for c in off_map)}.")
    fig.update_xaxes(visible=False, range=x_range)
    fig.update_yaxes(visible=False, range=y_range, scaleanchor="x", scaleratio=1)
    fig.update_layout(
        showlegend=True,
        legend=dict(x=0, y=1, xanchor="left", yanchor="top", font=dict(size=BASE_FONT - 1),
                    bgcolor="rgba(255,255,255,0.85)", traceorder="normal"),
        hovermode="closest",
    )
    # Plot height keeps the hexes regular at DESIGN_WIDTH.
    span_x = x_range[1] - x_range[0]
    span_y = y_range[1] - y_range[0]
    plot_height = int((DESIGN_WIDTH - 50) * span_y / span_x)
    return _frame(
        fig, spec, kind="hexmap",
        alt=alt_text("hexmap", grades, spec, focus=focus, hexes=hexes, outlined=outlined),
        plot_height=plot_height, axis_space=10, extra_footer=footer,
    )


# --------------------------------------------------------------------------- alt text


def _list_phrase(parts: Sequence[str]) -> str:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def alt_text(kind: str, df: pd.DataFrame, spec: ChartSpec, **kwargs: object) -> str:
    """One paragraph describing the chart from its data, for screen readers and papers.

    kind is one of KINDS; df is the frame the builder was given (for "hexmap", the grades
    frame; pass hexes=, focus=, outlined= to describe the map's extent and highlights).
    """
    when = format_date(spec.as_at)
    geo = spec.geography
    if kind == "national_distribution":
        counts = _grade_counts(df)
        total = int(counts["n"].sum())
        parts = [f"{n} {_grade_phrase(g)} ({format_pct(s)})"
                 for g, n, s in zip(counts["grade"], counts["n"], counts["share"], strict=True)]
        ok_n, ok_s, fail_n, fail_s = _good_or_better(counts)
        return (
            f"Bar chart of the {spec.subject} of {total} local authorities in {geo} as at "
            f"{when}: {_list_phrase(parts)}. {ok_n} ({format_pct(ok_s)}) are good or better "
            f"and {fail_n} ({format_pct(fail_s)}) require improvement or are inadequate."
        )
    if kind == "grade_share_over_time":
        data = df.assign(as_at=pd.to_datetime(df["as_at"]))
        first_at, last_at = data["as_at"].min(), data["as_at"].max()
        def at(when: pd.Timestamp) -> str:
            rows = data[data["as_at"] == when].set_index("grade")
            judged = int(rows["n"].sum())
            parts = [f"{_grade_phrase(g)} {format_pct(rows.loc[g, 'share'])}"
                     for g in GRADES if g in rows.index]
            return f"{_month(when)} ({judged} LAs judged): {_list_phrase(parts)}"
        return (f"Stacked area chart of the {spec.subject} of local authorities in {geo}, "
                f"monthly from {_month(first_at)} to {_month(last_at)}. {at(first_at)}; "
                f"{at(last_at)}. Data as at {when}.")
    if kind == "failing_over_time":
        measure = str(kwargs.get("measure", "share_failing"))
        phrase = _MEASURES[measure]
        data = df.assign(month=pd.to_datetime(df["month"])).sort_values("month")
        geos = list(dict.fromkeys(data["geography"]))
        others = [g for g in geos if g != "England"]
        start, end = data["month"].min(), data["month"].max()
        text = (
            f"Line chart of the share of local authorities whose {spec.subject} is {phrase}, "
            f"monthly from {_month(start)} to {_month(end)}"
        )
        text += f", for England and {len(others)} other areas." if others and "England" in geos \
            else f", for {_list_phrase(geos)}."
        if "England" in geos:
            e = data[data["geography"] == "England"]
            first, last = e.iloc[0], e.iloc[-1]
            text += (
                f" England: {format_pct(first[measure])} in {_month(first['month'])} "
                f"({int(first['n_judged'])} LAs judged), {format_pct(last[measure])} in "
                f"{_month(last['month'])} ({int(last['n_judged'])} judged)."
            )
        if others:
            latest = data[data["geography"].isin(others)].groupby("geography").tail(1)
            hi = latest.loc[latest[measure].idxmax()]
            lo = latest.loc[latest[measure].idxmin()]
            text += (
                f" Latest highest: {hi['geography']} ({format_pct(hi[measure])}); lowest: "
                f"{lo['geography']} ({format_pct(lo[measure])})."
            )
        return text + f" Data as at {when}."
    if kind == "neighbours":
        data = df.sort_values(["is_focus", "rank"], ascending=[False, True])
        focus = data[data["is_focus"].astype(bool)].iloc[0]
        nb = data[~data["is_focus"].astype(bool)]

        def describe(r: pd.Series) -> str:
            if _is_missing(r["grade"]):
                return f"{r['la_name']} no published grade"
            d = "" if _is_missing(r["published_date"]) else \
                f", published {format_date(r['published_date'])}"
            return f"{r['la_name']} {_grade_phrase(r['grade'])} ({r['framework']}{d})"

        graded = nb[nb["grade"].isin(GRADES)]
        counts = [f"{int((graded['grade'] == g).sum())} {_grade_phrase(g)}" for g in GRADES]
        ok = int(graded["grade"].isin(["outstanding", "good"]).sum())
        ranked = "; ".join(f"{int(r['rank'])} {describe(r)}" for _, r in nb.iterrows())
        return (
            f"Chart of the {spec.subject} of {focus['la_name']} and its {len(nb)} statistical "
            f"neighbours as at {when}. {describe(focus)}. Neighbours: {_list_phrase(counts)}; "
            f"{ok} of {len(nb)} good or better. By rank: {ranked}."
        )
    if kind == "cycle":
        data = df.assign(date=pd.to_datetime(df["date"]))
        actual = data[data["series"] == "actual"].sort_values("date")
        last = actual.iloc[-1]
        text = (
            f"Line chart of the cumulative share of {int(last['n_las'])} local authorities in "
            f"{geo} with a published {spec.subject}, from {format_date(actual['date'].min())}: "
            f"{int(last['n_inspected'])} ({format_pct(last['share'])}) by "
            f"{format_date(last['date'])}."
        )
        done = _completion(data, "projection")
        if done is not None:
            text += f" At the projected rate every LA is inspected by {_month(done)}"
            early = _completion(data, "projection_high")
            late = _completion(data, "projection_low")
            if early is not None and late is not None:
                text += f" (range {_month(early)} to {_month(late)})"
            text += "."
        elif (data["series"] == "projection").any():
            text += " The projection does not reach every LA within the period shown."
        return text + f" Data as at {when}."
    if kind == "grade_by_group":
        table, groups, _ = _group_table(df)
        good = table["share"][["outstanding", "good"]].sum(axis=1)
        totals = table["n"].sum(axis=1)
        parts = [f"{g} {format_pct(good[g])} of {totals[g]}" for g in
                 sorted(groups, key=lambda g: -good[g])]
        others = [g for g in groups if g != "England"]
        best = max(others, key=lambda g: good[g]) if others else groups[0]
        worst = min(others, key=lambda g: good[g]) if others else groups[0]
        return (
            f"Stacked bar chart of the {spec.subject} of local authorities in {geo} by group "
            f"({len(groups)} groups) as at {when}. Share good or better: {'; '.join(parts)}. "
            f"Highest: {best}; lowest: {worst}."
        )
    if kind == "hexmap":
        hexes = kwargs.get("hexes")
        focus = kwargs.get("focus")
        outlined = list(kwargs.get("outlined") or [])
        counts = df["grade"].value_counts()
        parts = [f"{int(counts.get(g, 0))} {_grade_phrase(g)}" for g in ALL_GRADES
                 if g in GRADES or counts.get(g, 0)]
        text = (
            f"Hex map of {len(df)} local authorities in {geo}, one hexagon each, coloured by "
            f"{spec.subject} as at {when}: {_list_phrase(parts)}."
        )
        if isinstance(hexes, pd.DataFrame):
            on_map = set(hexes["la_code"])
            missing = [c for c in df["la_code"] if c not in on_map]
            no_grade = len(on_map - set(df["la_code"]))
            if missing:
                text += f" {len(missing)} graded LAs are not on the map."
            if no_grade:
                text += f" {no_grade} hexagons have no published grade."
            names = dict(zip(hexes["la_code"], hexes["name"], strict=True))
        else:
            names = {}
        if focus:
            grade_of = dict(zip(df["la_code"], df["grade"], strict=True))
            g = grade_of.get(focus)
            text += (f" {names.get(focus, focus)} ("
                     f"{_grade_phrase(g) if g else 'no published grade'}) is outlined")
            text += f" with its {len(outlined)} statistical neighbours." if outlined else "."
        return text
    raise ValueError(f"unknown chart kind {kind!r}; expected one of {KINDS}")
