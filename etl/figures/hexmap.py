"""Hex map of England: one hexagon per LA coloured by grade and printed with its letter, the
focus LA outlined thickly and its statistical neighbours thinly.

Queries: neighbours/hexmap (cells and layout), neighbours/hexmap_grades (each LA's latest
grade), la/neighbours (the outlined set).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures import categories, neighbours
from etl.figures.chart import Chart, NoData, data_status, make_chart
from etl.figures.style import (
    AXIS_LINE,
    BASE_FONT,
    CHART_GRADES,
    DESIGN_WIDTH,
    GRADE_COLOURS,
    GRADE_SHORT,
    GRADE_TEXT_COLOURS,
    MAX_NAMED,
    NO_GRADE_COLOUR,
    NO_GRADE_KEY,
    NO_GRADE_LABEL,
    TEXT,
    ChartSpec,
    area_label,
    area_phrase,
    check_grades,
    first_few,
    format_date,
    frame,
    grade_label,
    grade_phrase,
    list_phrase,
    require_columns,
    text_width,
)
from etl.vocab import GRADES, NO_OVERALL_GRADE
from etl.warehouse import queries

NAME = "hexmap"
QUERIES = ("neighbours/hexmap", "neighbours/hexmap_grades", neighbours.SET_QUERY,
           neighbours.IN_FORCE_QUERY, neighbours.VINTAGES_QUERY)
Params = neighbours.Params

LEGEND_NAMES = {NO_OVERALL_GRADE: "No overall grade", "adequate": "Adequate (pre-2013)"}

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
    steps_y = (0.0, 0.9, -0.9, 1.7, -1.7, 2.6, -2.6, 3.5, -3.5, 4.3, -4.3)
    steps_x = (1.0, 1.5, 2.5, 3.5, 4.5, 5.5)
    # only hexes a label or its arrow could reach count (the same answer; a map of thousands of
    # areas would otherwise be scanned for each of the 132 spots tried)
    reach_x, reach_y = max(steps_x) + width + 1.0, max(steps_y) + half_h + 1.0
    centres = [c for c in centres if abs(c[0] - tx) <= reach_x and abs(c[1] - ty) <= reach_y]
    best: tuple[float, float, float, str] | None = None
    for dy in steps_y:
        for dx in steps_x:
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


@dataclass(frozen=True)
class HexKey:
    """One class of hexes on a map and its legend entry: the fill, the short code printed in
    each hexagon (so the map never relies on colour alone) and the label."""

    key: str
    label: str
    short: str
    fill: str
    text: str = TEXT  # colour of the short code on the fill
    outline: str = "#ffffff"


def draw_hexes(
    hexes: pd.DataFrame,
    key_of: Mapping[str, str],
    keys: Sequence[HexKey],
    *,
    layout: str = "odd-r",
    focus: str | None = None,
    outlined: Sequence[str] = (),
    hover: Mapping[str, str] | None = None,
) -> tuple[go.Figure, int]:
    """A hex cartogram of England (every hex map's drawing): one hexagon per LA in `hexes`
    (la_code, name, q, r in the HexJSON `layout`), filled and lettered by its class
    (`key_of[la_code]`, one of `keys`, drawn and listed in the legend in that order with its
    count), the focus LA outlined thickly with a name label, `outlined` LAs thinly. `hover`
    gives each LA's hover text (default "name: label"). Returns the figure and the plot
    height (px at DESIGN_WIDTH) that keeps the hexes regular; the caller adds the frame."""
    if layout not in _HEX_LAYOUTS:
        raise ValueError(f"unknown hex layout {layout!r}; expected one of {_HEX_LAYOUTS}")
    by_key = {k.key: k for k in keys}
    unknown = sorted({key_of.get(c, "") for c in hexes["la_code"]} - set(by_key))
    if unknown:
        raise ValueError(f"hex map: hexes of unknown class {unknown}; expected {list(by_key)}")
    hx = hexes.assign(key=[key_of[c] for c in hexes["la_code"]])
    centres = {c: hex_centres(int(q), int(r), layout)
               for c, q, r in zip(hx["la_code"], hx["q"], hx["r"], strict=True)}
    fig = go.Figure()
    for k in keys:
        sub = hx[hx["key"] == k.key]
        if sub.empty:
            continue
        legend = f"{k.short} {k.label} ({len(sub)})" if k.short else f"{k.label} ({len(sub)})"
        fig.add_trace(
            _polygons_trace(
                [centres[c] for c in sub["la_code"]], layout, fill="toself", fillcolor=k.fill,
                line=dict(color=k.outline, width=0.8), name=legend, legendgroup=k.key,
            )
        )
        pts = [centres[c] for c in sub["la_code"]]
        hover_text = [(hover or {}).get(c) or f"{n}: {k.label}"
                      for c, n in zip(sub["la_code"], sub["name"], strict=True)]
        fig.add_trace(
            go.Scatter(
                x=[p[0] for p in pts], y=[p[1] for p in pts], mode="text",
                text=[k.short] * len(sub), textfont=dict(size=11, color=k.text),
                customdata=hover_text, showlegend=False, legendgroup=k.key,
                hovertemplate="%{customdata}<extra></extra>",
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
            (fx, fy), list(centres.values()), text_width(label, BASE_FONT) / _HEX_PX,
            (x_range[0], x_range[1], y_range[0], y_range[1]),
        )
        fig.add_annotation(
            x=fx, y=fy, text=label, showarrow=True, ax=lx, ay=ly, axref="x", ayref="y",
            xanchor=anchor, yanchor="middle", arrowcolor=TEXT, arrowwidth=1.5,
            standoff=int(_HEX_PX * 0.5), bgcolor="rgba(255,255,255,0.9)",  # stop at the edge
            font=dict(size=BASE_FONT, color=TEXT),
        )
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
    return fig, int((DESIGN_WIDTH - 50) * span_y / span_x)


def grade_keys() -> list[HexKey]:
    """The grade map's classes: every grade in scale order, then "No published grade"."""
    # short labels in the legend (it sits beside the map); the footer says what NO stands for;
    # the two lightest fills (adequate, no grade) are outlined against the page
    keys = [HexKey(g, LEGEND_NAMES.get(g, grade_label(g)), GRADE_SHORT.get(g, ""),
                   GRADE_COLOURS.get(g, NO_GRADE_COLOUR), GRADE_TEXT_COLOURS.get(g, TEXT),
                   AXIS_LINE if g == "adequate" else "#ffffff")
            for g in CHART_GRADES]
    return [*keys, HexKey(NO_GRADE_KEY, NO_GRADE_LABEL, "", NO_GRADE_COLOUR, TEXT, AXIS_LINE)]


def _plain_strings(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with its text columns as Python strings: the map's loops read each LA's code,
    name and grade several times, and an Arrow-backed column hands them over one by one (over a
    second at 1000 times today's LAs)."""
    text = [c for c in ("la_code", "name", "grade") if c in df.columns]
    return df.astype(dict.fromkeys(text, object))


def figure(
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
    require_columns(hexes, ("la_code", "name", "q", "r"), "hexmap hexes")
    require_columns(grades, ("la_code", "grade"), "hexmap grades")
    hexes, grades = _plain_strings(hexes), _plain_strings(grades)
    check_grades(grades["grade"], "hexmap grades")
    if grades["la_code"].duplicated().any():
        dups = sorted(grades.loc[grades["la_code"].duplicated(), "la_code"])
        raise ValueError(f"hexmap grades: duplicate la_code {dups}")
    grade_of = dict(zip(grades["la_code"], grades["grade"], strict=True))
    key_of = {c: grade_of.get(c, NO_GRADE_KEY) for c in hexes["la_code"]}
    fig, plot_height = draw_hexes(hexes, key_of, grade_keys(), layout=layout, focus=focus,
                                  outlined=outlined)
    known = set(hexes["la_code"])
    outlined = [c for c in outlined if c != focus]
    present = set(grade_of.values())
    letters = ", ".join(f"{GRADE_SHORT[g]} {grade_phrase(g)}" for g in CHART_GRADES
                        if g in GRADES or g in present)
    footer = [f"Each hexagon is one local authority; letters give the grade ({letters}; "
              f"blank: {NO_GRADE_LABEL.lower()}). Hexagon positions approximate geography."]
    n_superseded = (int(grades["is_superseded"].fillna(False).astype(bool).sum())
                    if "is_superseded" in grades.columns else 0)
    footer += categories.notes(list(grades["grade"]),
                               wording=str(spec.extra.get("wording", "at_the_time")),
                               n_superseded=n_superseded, shares=False)
    names = (dict(zip(grades["la_code"], grades["name"], strict=True))
             if "name" in grades.columns else {})
    missing = [c for c in grades["la_code"] if c not in known]
    if missing:
        shown = [f"{names.get(c, c)} ({grade_phrase(grade_of[c])})" for c in missing[:MAX_NAMED]]
        footer.append(f"Not on this map ({len(missing):,}, the map predates them or uses other "
                      f"codes): {first_few(shown, len(missing))}.")
    if focus is not None and focus not in known:
        footer.append(f"Focus LA {focus} is not on this map.")
    off_map = [c for c in outlined if c not in known]
    if off_map:
        footer.append("Outlined LAs not on this map: "
                      f"{', '.join(names.get(c, c) for c in off_map)}.")
    return frame(
        fig, spec, kind=NAME,
        alt=alt_text(grades, spec, focus=focus, hexes=hexes, outlined=outlined),
        plot_height=plot_height, axis_space=10, extra_footer=footer,
    )




def alt_text(grades: pd.DataFrame, spec: ChartSpec, *, focus: str | None = None,
             hexes: pd.DataFrame | None = None, outlined: Sequence[str] = ()) -> str:
    """Describes the map's grades, its extent (graded LAs off the map, hexes without a grade)
    and its highlights."""
    grades = _plain_strings(grades)
    hexes = None if hexes is None else _plain_strings(hexes)
    counts = grades["grade"].value_counts()
    parts = [f"{int(counts.get(g, 0))} {grade_phrase(g)}" for g in CHART_GRADES
             if g in GRADES or counts.get(g, 0)]
    text = (
        f"Hex map of {len(grades)} local authorities in {spec.geography}, one hexagon each, "
        f"coloured by {spec.subject} as at {format_date(spec.as_at)}: {list_phrase(parts)}."
    )
    names: dict[str, str] = {}
    if hexes is not None:
        on_map = set(hexes["la_code"])
        missing = [c for c in grades["la_code"] if c not in on_map]
        no_grade = len(on_map - set(grades["la_code"]))
        if missing:
            text += f" {len(missing)} graded LAs are not on the map."
        if no_grade:
            text += f" {no_grade} hexagons have no published grade."
        names = dict(zip(hexes["la_code"], hexes["name"], strict=True))
    if focus:
        grade_of = dict(zip(grades["la_code"], grades["grade"], strict=True))
        g = grade_of.get(focus)
        text += (f" {names.get(focus, focus)} ("
                 f"{grade_phrase(g) if g else 'no published grade'}) is outlined")
        text += f" with its {len(outlined)} statistical neighbours." if outlined else "."
    return text


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    p = params
    hexes = queries.run(con, QUERIES[0])
    if hexes.empty:
        raise NoData("The database has no hex map cells (table hexmap is empty).")
    grades = queries.run(con, QUERIES[1], as_at=p.as_at, area=p.area, framework=p.framework,
                         superseded=p.superseded, wording=p.wording)
    if grades.empty:
        raise NoData(f"No LA has a published {area_phrase(p.area)} grade "
                     f"({neighbours.framework_phrase(p)}) by {format_date(p.as_at)}.")
    name, _ = neighbours.la_facts(con, p.la)
    outlined = tuple(sorted(neighbours.neighbour_set(con, p)["la_code"]))
    spec = ChartSpec(
        **data_status(con),
        title=f"{area_label(p.area)}: latest grade by local authority",
        subtitle=f"{name} (thick outline) and its statistical neighbours "
                 f"({neighbours.vintage_phrase(con, p)}, thin outline); "
                 f"{neighbours.framework_phrase(p)}",
        as_at=p.as_at, basis=neighbours.basis(p),
        subject=f"latest {area_phrase(p.area)} grade",
        extra={"wording": p.wording, "superseded": p.superseded},
    )
    fig = figure(hexes[["la_code", "name", "q", "r"]], grades, spec, focus=p.la,
                 outlined=outlined, layout=str(hexes["layout"].iloc[0]))
    return make_chart(NAME, params, spec, grades, fig, QUERIES)
