"""The house style every chart shares: the grade palette, fonts, `ChartSpec`, formatting,
input validation and the common frame (title, subtitle, "As at" line, footer).

Every figure carries its own title, subtitle, "As at <date>" line and source line *inside*
the figure, so a PNG pasted into a paper explains itself. Grades always use `GRADE_COLOURS`
(ColorBrewer RdBu, a diverging blue-red scheme that ColorBrewer lists as colour-blind safe: the
4-class colours for the four-point grades and the 5-class neutral middle for the pre-2013
scale's "adequate"; greys for "not judged", "no overall grade" and "no published grade").
Simulated deuteranopia, protanopia and tritanopia (Machado 2009) keep every pair of these
colours at least 15 CIELAB units apart (tests/test_figures.py), and no chart relies on colour
alone: grades are also named on an axis, printed in the hexes, or patterned.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import plotly.graph_objects as go

from etl import OGL_ATTRIBUTION
from etl.vocab import (
    ADEQUATE,
    AREA_LABELS,
    EXTRA_GRADE_LABELS,
    GRADE_LABELS,
    NO_OVERALL_GRADE,
    NOT_JUDGED,
)

DEFAULT_SOURCE = (
    "Source: Ofsted inspection reports and official statistics; Inspection Outcomes analysis. "
    f"{OGL_ATTRIBUTION}."
)

# ColorBrewer RdBu (4-class) for the four grades, best (blue) to worst (red); the 5-class
# scheme's neutral middle for the pre-2013 scale's "adequate" (between good and requires
# improvement); greys for "not judged" and for "no overall grade" (an LA inspected since the
# April 2026 change, which gives none). One palette for app and exports.
GRADE_COLOURS: dict[str, str] = {
    "outstanding": "#0571b0",
    "good": "#92c5de",
    ADEQUATE: "#f7f7f7",
    "requires_improvement": "#f4a582",
    "inadequate": "#ca0020",
    NOT_JUDGED: "#8c8c8c",  # mid grey: lightness apart from the two light grades
    NO_OVERALL_GRADE: "#404040",  # dark grey: apart from every grade and from "not judged"
}
# Text drawn on top of a grade fill: white on the dark ends, near-black on the light middle.
GRADE_TEXT_COLOURS: dict[str, str] = {
    "outstanding": "#ffffff",
    "good": "#0b0c0c",
    ADEQUATE: "#0b0c0c",
    "requires_improvement": "#0b0c0c",
    "inadequate": "#ffffff",
    NOT_JUDGED: "#0b0c0c",
    NO_OVERALL_GRADE: "#ffffff",
}
# Where segments are told apart by fill only (stacked bars), the two light middle grades
# would merge in a greyscale print; a pattern on the failing grades keeps them apart
# (adequate counts as failing too), and "no overall grade" is striped across.
GRADE_PATTERNS: dict[str, str] = {
    "outstanding": "",
    "good": "",
    ADEQUATE: "\\",
    "requires_improvement": "/",
    "inadequate": "x",
    NOT_JUDGED: ".",
    NO_OVERALL_GRADE: "-",
}
GRADE_SHORT: dict[str, str] = {
    "outstanding": "O",
    "good": "G",
    ADEQUATE: "A",
    "requires_improvement": "RI",
    "inadequate": "I",
    NOT_JUDGED: "NJ",
    NO_OVERALL_GRADE: "NO",
}
# Every category a grade chart can show, in the order charts list them: the four-point grades
# with adequate beside requires improvement, then "not judged" and "no overall grade".
CHART_GRADES: tuple[str, ...] = tuple(GRADE_COLOURS)
CHART_GRADE_LABELS: dict[str, str] = {**GRADE_LABELS, **EXTRA_GRADE_LABELS}
# An LA with no published grade: light grey, outlined (apart from adequate's near-white).
NO_GRADE_COLOUR = "#c8c8c8"
NO_GRADE_LABEL = "No published grade"
NO_GRADE_KEY = "none"

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
BAND_FILL = "rgba(5,113,176,0.15)"  # a projection's uncertainty band (outstanding's blue)

BASE_FONT = 15
TITLE_FONT = 21
SUBTITLE_FONT = 15
NOTE_FONT = 12.5
# Figures are designed at this width (px); exports render at it and scale up.
DESIGN_WIDTH = 800
FOOTER_WRAP = 118  # characters per footer line at DESIGN_WIDTH and NOTE_FONT
SUBTITLE_WRAP = 88
# The title's first line stays clear of the top-right corner, where plotly's toolbar (the few
# buttons the app keeps) appears on hover; a long title is set smaller, down to MIN_TITLE_FONT,
# before it wraps.
MODEBAR_ROOM = 150
MIN_TITLE_FONT = 16
TITLE_PAD_L = 14
TITLE_PAD_T = 20


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
    # "Reports to 20 August 2026; built 2 December 2026." (etl.figures.chart.data_status)
    freshness: str = ""
    # The newest report held: an as-at date after it gets a caveat beside it.
    data_end: date | None = None

    def as_at_line(self) -> str:
        line = f"As at {format_date(self.as_at)}"
        if self.data_end is not None and self.as_at > self.data_end:
            line += (f" (the data end on {format_date(self.data_end)}: later inspections are "
                     "not counted)")
        return line


# --------------------------------------------------------------------------- formatting


def plot_text(value: object) -> str:
    """Text from outside (a column name or value of a person's query) as plotly shows it
    literally: plotly reads a subset of HTML in titles, labels and hover text (links among it),
    so &, < and > become entities."""
    return html.escape(str(value), quote=False)


def format_date(d: date | pd.Timestamp) -> str:
    """'31 March 2025' (GOV.UK style: no leading zero, month in full)."""
    d = pd.Timestamp(d)
    return f"{d.day} {d:%B %Y}"


def month(d: date | pd.Timestamp) -> str:
    """'Mar 2025'."""
    return f"{pd.Timestamp(d):%b %Y}"


def format_pct(share: float, digits: int = 0) -> str:
    """Percent rounded half up, as official statistics do (12.5% -> 13%, not 12%)."""
    q = Decimal(1).scaleb(-digits)
    value = (Decimal(repr(float(share))) * 100).quantize(q, rounding=ROUND_HALF_UP)
    return f"{value}%"


def area_label(area: str) -> str:
    """A judgement area's label; `any_practice` is the worst of the practice judgements."""
    return {"any_practice": "Worst of the practice judgements", **AREA_LABELS}.get(area, area)


def area_phrase(area: str) -> str:
    """An area's label inside a sentence: lower-case, but 'LSCB' stays an acronym."""
    label = area_label(area)
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def grade_label(grade: str) -> str:
    """A grade's (or chart category's) label: "Requires improvement", "Adequate (pre-2013
    scale)", "No overall grade: inspected since the April 2026 change"."""
    return CHART_GRADE_LABELS[grade]


def grade_phrase(grade: str) -> str:
    """A grade's label inside a sentence: "requires improvement", "adequate (pre-2013 scale)",
    "no overall grade (inspected since the April 2026 change)"."""
    if grade == NO_OVERALL_GRADE:
        return "no overall grade (inspected since the April 2026 change)"
    return grade_label(grade).lower()


def list_phrase(parts: Sequence[str]) -> str:
    """'a, b and c'."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


# How many items a footer or alt text names before "and N more": a list of LAs off a map is a
# few LAs since replaced today, but a warehouse of many more areas than the map's must not print
# them all (at 1000 times today's data the footer alone took seconds to wrap).
MAX_NAMED = 12


def first_few(parts: Sequence[str], total: int | None = None) -> str:
    """'a; b; c' or, beyond MAX_NAMED items, 'a; b; ...; and 40 more (in the data table)'.
    `total`: how many there are when `parts` holds only the first few of them."""
    total = len(parts) if total is None else total
    shown = list(parts[:MAX_NAMED])
    rest = total - len(shown)
    return "; ".join(shown) + (f"; and {rest:,} more (in the data table)" if rest > 0 else "")


def wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        lines.extend(textwrap.wrap(para, width) or [""])
    return lines


def fit_title(title: str) -> tuple[list[str], float]:
    """The title's lines and font size: one line at TITLE_FONT when it fits beside the toolbar's
    corner, else one line set smaller (not below MIN_TITLE_FONT), else wrapped at that size."""
    room = DESIGN_WIDTH - TITLE_PAD_L - MODEBAR_ROOM
    wide = text_width(f"<b>{title}</b>", TITLE_FONT)
    if wide <= room:
        return [title], TITLE_FONT
    size = max(MIN_TITLE_FONT, math.floor(TITLE_FONT * room / wide * 2) / 2)
    if text_width(f"<b>{title}</b>", size) <= room:
        return [title], size
    lines: list[str] = []
    for word in title.split():
        if lines and text_width(f"<b>{lines[-1]} {word}</b>", size) <= room:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines, size


_NARROW = set("ijl|.,:;'!")
_THIN = set("ftrI()[]-/ ")
_WIDE = set("mwMW%")


def text_width(text: str, size: float) -> float:
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


def label_margin(labels: Iterable[str], size: float = BASE_FONT) -> int:
    """Left margin (px) that fits the widest y tick label plus its two-space suffix; a label
    wrapped with <br> is as wide as its widest line."""
    lines = (line for t in labels for line in re.split(r"<br\s*/?>", str(t)))
    return int(max((text_width(line, size) for line in lines), default=0) + 24)


# --------------------------------------------------------------------------- validation


def require_columns(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: missing columns {missing}; got {list(df.columns)}")


def check_grades(values: Iterable[object], what: str, *, allow_missing: bool = False) -> None:
    bad = sorted(
        {
            str(v)
            for v in values
            if not (allow_missing and is_missing(v)) and v not in CHART_GRADES
        }
    )
    if bad:
        raise ValueError(f"{what}: unknown grade values {bad}; expected one of {CHART_GRADES}")


def is_missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT


# --------------------------------------------------------------------------- common frame


def axis(**overrides: object) -> dict:
    """An axis in the house style (no grid unless asked, light grid when asked)."""
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


def frame(
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
    """Title, subtitle, as-at line, footer (basis, notes, source), fonts and margins; the
    kind and alt text go into `layout.meta` so the app and the exports reuse them."""
    subtitle_lines = wrap(spec.subtitle, SUBTITLE_WRAP) if spec.subtitle else []
    subtitle_lines.extend(wrap(spec.as_at_line(), SUBTITLE_WRAP))
    footer_lines: list[str] = []
    for part in (*extra_footer, spec.basis, spec.notes, spec.source, spec.freshness):
        if part:
            footer_lines.extend(wrap(part, FOOTER_WRAP))
    title_lines, title_size = fit_title(spec.title)
    head = (TITLE_PAD_T + 2 + int(title_size) + int(title_size * 1.3) * (len(title_lines) - 1)
            + 8 + int(SUBTITLE_FONT * 1.3) * len(subtitle_lines))
    margin_t = head + 18
    # lines of tick labels or legend above the plot need their own band under the subtitle
    margin_t += int(top_axis * BASE_FONT * 1.25) + (14 if top_axis else 0)
    foot = int(NOTE_FONT * 1.35) * len(footer_lines) + 16
    margin_b = axis_space + foot
    height = spec.height or (plot_height + margin_t + margin_b)
    fig.update_layout(
        template="none",
        font=dict(family=FONT_FAMILY, size=BASE_FONT, color=TEXT),
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        title=dict(
            text="<b>" + "<br>".join(title_lines) + "</b>",
            font=dict(size=title_size, color=TEXT),
            x=0,
            xref="container",
            xanchor="left",
            y=1,
            yref="container",
            yanchor="top",
            pad=dict(l=TITLE_PAD_L, t=TITLE_PAD_T),
            subtitle=dict(
                text="<br>".join(subtitle_lines),
                font=dict(size=SUBTITLE_FONT, color=SECONDARY_TEXT),
            ),
        ),
        margin=dict(l=margin_l, r=margin_r, t=margin_t, b=margin_b, pad=4),
        height=height,
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=13)),
        meta={"kind": kind, "alt_text": alt, "title": spec.title,
              "as_at": spec.as_at.isoformat(), "source": spec.source,
              # What a narrow screen may trim (views/_shared.chart_block): the px band of the
              # title and subtitle at the top and of the footer at the bottom, which the page
              # then prints as wrapping text, and the width the plot keeps to stay legible.
              "screen": {"head": head, "foot": foot, "min_width": DESIGN_WIDTH,
                         "subtitle": [p for p in (spec.subtitle, spec.as_at_line()) if p],
                         "footer": [p for p in (*extra_footer, spec.basis, spec.notes,
                                                spec.source, spec.freshness) if p]}},
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


# --------------------------------------------------------------------------- local area palettes
# (issue 12: area SEND outcomes and seed 003's provider bands). Each has its own dictionaries so
# the grade palette above stays the one definition of the four-point grades. Every pair of
# colours in each palette (with its "none" entries) stays at least 15 CIELAB units apart under
# simulated protanopia, deuteranopia and tritanopia (Machado 2009; tests/test_local_figures.py),
# and no chart shows them by colour alone: each carries a short code and a label.

# (imported here rather than at the top: the grade palette above is edited in parallel)
from etl import vocab as _vocab  # noqa: E402

NOT_INSPECTED_KEY = "not_inspected"  # no area SEND inspection under the 2023 framework yet
NO_OUTCOME_KEY = "no_outcome"  # inspected, but the outcome could not be read (quarantined)

# Area SEND outcomes are a scale of their own (never the four-point grades): purple, sand and red
# so that no outcome borrows a grade's blue.
AREA_SEND_COLOURS: dict[str, str] = {
    "positive": "#5e3c99",
    "inconsistent": "#e9c46a",
    "systemic_failings": "#b2182b",
    NO_OUTCOME_KEY: "#8c8c8c",
    NOT_INSPECTED_KEY: NO_GRADE_COLOUR,
}
AREA_SEND_TEXT_COLOURS: dict[str, str] = {
    "positive": "#ffffff",
    "inconsistent": "#0b0c0c",
    "systemic_failings": "#ffffff",
    NO_OUTCOME_KEY: "#0b0c0c",
    NOT_INSPECTED_KEY: "#0b0c0c",
}
AREA_SEND_SHORT: dict[str, str] = {
    "positive": "P",
    "inconsistent": "IN",
    "systemic_failings": "SF",
    NO_OUTCOME_KEY: "?",
    NOT_INSPECTED_KEY: "",
}
AREA_SEND_LABELS: dict[str, str] = {
    **_vocab.AREA_SEND_LABELS,
    NO_OUTCOME_KEY: "Inspected, outcome not readable",
    NOT_INSPECTED_KEY: "Not yet inspected (2023 framework)",
}
AREA_SEND_PATTERNS: dict[str, str] = {
    "positive": "",
    "inconsistent": "/",
    "systemic_failings": "x",
    NO_OUTCOME_KEY: ".",
    NOT_INSPECTED_KEY: "",
}

NO_PROVIDERS_KEY = "no_providers"  # no provider of the type with a grade in the release
NOT_IN_RELEASE_KEY = "not_in_release"  # the LA did not exist on the release's date

# The paper the bands are taken from (seed 003): named, never numbered, wherever a reader sees it.
BANDS_PAPER = "Leicestershire County Council's paper of 27 November 2009"
# Ofsted's 2009 performance bands of the share good or better, as seed 003 quotes them. Green /
# amber / red as the seed drew them, but
# dark green much darker than red (and red lighter than a pure red) so the two ends stay apart for
# red-green colour blindness, where they would otherwise look the same olive.
BAND_COLOURS: dict[str, str] = {
    "dark_green": "#00441b",
    "light_green": "#a6dba0",
    "amber": "#fdb863",
    "red": "#d7301f",
    NO_PROVIDERS_KEY: NO_GRADE_COLOUR,
    NOT_IN_RELEASE_KEY: "#8c8c8c",
}
BAND_TEXT_COLOURS: dict[str, str] = {
    "dark_green": "#ffffff",
    "light_green": "#0b0c0c",
    "amber": "#0b0c0c",
    "red": "#ffffff",
    NO_PROVIDERS_KEY: "#0b0c0c",
    NOT_IN_RELEASE_KEY: "#0b0c0c",
}
BAND_SHORT: dict[str, str] = {
    "dark_green": "DG",
    "light_green": "LG",
    "amber": "A",
    "red": "R",
    NO_PROVIDERS_KEY: "",
    NOT_IN_RELEASE_KEY: "",
}
BAND_LABELS: dict[str, str] = {
    "dark_green": "Dark green: 80%+",
    "light_green": "Light green: 65–79%",
    "amber": "Amber: 50–64%",
    "red": "Red: under 50%",
    NO_PROVIDERS_KEY: "No provider with a grade",
    NOT_IN_RELEASE_KEY: "Not an LA at the release",
}
BAND_NAMES: dict[str, str] = {
    "dark_green": "dark green", "light_green": "light green", "amber": "amber", "red": "red",
}
# Lower bound of each band's share, best first: the zones drawn behind shares. The SQL's
# performance_bands table is the definition (a test keeps the two equal).
BAND_FLOORS: tuple[tuple[str, float], ...] = (
    ("dark_green", 0.80), ("light_green", 0.65), ("amber", 0.50), ("red", 0.0),
)

