"""Chart modules' figures (pure data -> plotly): every figure builds from a realistic frame,
carries its title, as-at date, source and alt text, and rejects malformed input instead of
drawing something wrong.

The sample frames are realistic in shape and size. The national counts are England's latest
overall effectiveness grades as at 31 March 2025 (36 / 67 / 31 / 19 of 153); the regional
split, the time series and the neighbours' grades are illustrative values that add up to it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from etl.figures import national_distribution, registry, style
from etl.figures.chart import MIN_JUDGED_FOR_SHARE
from etl.figures.cycle import figure as cycle_figure
from etl.figures.failing import figure as failing_over_time_figure
from etl.figures.hexmap import figure as hexmap_figure
from etl.figures.hexmap import hex_centres, read_hexjson
from etl.figures.national_by_group import figure as grade_by_group_figure
from etl.figures.national_distribution import figure as national_distribution_figure
from etl.figures.neighbours import figure as neighbours_figure
from etl.figures.style import (
    DEFAULT_SOURCE,
    GRADE_COLOURS,
    GRADE_LABELS,
    GRID,
    ChartSpec,
    format_pct,
)

AS_AT = date(2025, 3, 31)
HEXJSON = Path("hexmap") / "uk-upper-tier-local-authorities.hexjson"

REGION_GRADES = {  # outstanding, good, requires improvement, inadequate
    "North East": (5, 4, 2, 1),
    "North West": (5, 10, 5, 4),
    "Yorkshire and the Humber": (4, 6, 3, 2),
    "East Midlands": (2, 4, 2, 2),
    "West Midlands": (2, 6, 4, 2),
    "East of England": (2, 5, 3, 1),
    "London": (10, 15, 5, 3),
    "South East": (4, 9, 4, 2),
    "South West": (2, 8, 3, 2),
}
GRADE_ORDER = ("outstanding", "good", "requires_improvement", "inadequate")

# Nottinghamshire (891) and its current DfE statistical neighbours, in rank order, from
# la-lookup/Provider_data_lookup.csv; grades and dates are illustrative.
NEIGHBOURS = [
    ("891", "Nottinghamshire", "good", date(2023, 7, 14), "ILACS"),
    ("830", "Derbyshire", "good", date(2024, 2, 9), "ILACS"),
    ("935", "Suffolk", "good", date(2023, 3, 31), "ILACS"),
    ("933", "Somerset", "requires_improvement", date(2024, 5, 3), "ILACS"),
    ("886", "Kent", "outstanding", date(2022, 8, 12), "ILACS"),
    ("926", "Norfolk", "good", date(2022, 9, 2), "ILACS"),
    ("937", "Warwickshire", "outstanding", date(2022, 5, 20), "ILACS"),
    ("855", "Leicestershire", "good", date(2024, 1, 26), "ILACS"),
    ("802", "North Somerset", "requires_improvement", date(2023, 6, 9), "ILACS"),
    ("860", "Staffordshire", "inadequate", date(2024, 11, 22), "ILACS"),
    ("888", "Lancashire", None, None, None),
]


def spec(**kw) -> ChartSpec:
    base = dict(
        title="Two in three councils are good or better",
        subtitle="Latest overall effectiveness grade of local authority children's services, "
        "England",
        as_at=AS_AT,
        basis="Latest judgement published on or before the date.",
    )
    base.update(kw)
    return ChartSpec(**base)


def national_frame() -> pd.DataFrame:
    n = {"outstanding": 36, "good": 67, "requires_improvement": 31, "inadequate": 19}
    total = sum(n.values())
    return pd.DataFrame(
        {"grade": list(n), "n": list(n.values()), "share": [v / total for v in n.values()]}
    )


def over_time_frame() -> pd.DataFrame:
    months = pd.date_range("2018-03-31", "2025-03-31", freq="ME")
    rows = []
    for i, region in enumerate(["England", *REGION_GRADES]):
        for k, m in enumerate(months):
            t = k / (len(months) - 1)
            failing = 0.62 - 0.29 * t + (0.0 if region == "England" else 0.03 * (i - 5))
            n_judged = 152 if m < pd.Timestamp("2019-04-01") else 151
            if m >= pd.Timestamp("2021-04-01"):
                n_judged = 152
            if m >= pd.Timestamp("2023-04-01"):
                n_judged = 153
            if region != "England":
                n_judged = sum(REGION_GRADES[region])
            rows.append(
                {"month": m.date(), "geography": region, "share_failing": failing,
                 "share_good_or_better": 1 - failing, "n_judged": n_judged}
            )
    return pd.DataFrame(rows)


def neighbours_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"la_code": c, "la_name": name, "is_focus": rank == 0, "rank": rank,
             "grade": grade, "published_date": published, "framework": fw}
            for rank, (c, name, grade, published, fw) in enumerate(NEIGHBOURS)
        ]
    )


def cycle_frame() -> pd.DataFrame:
    """SIF: 33 of 152 (22%) published by 31 Oct 2014 (seed 004); straight-line projection."""
    rows = []
    start = pd.Timestamp("2013-11-30")
    actual = [0, 2, 4, 6, 9, 12, 15, 18, 21, 24, 28, 33]
    for k, n in enumerate(actual):
        rows.append({"date": (start + pd.offsets.MonthEnd(k)).date(), "n_inspected": n,
                     "n_las": 152, "share": n / 152, "series": "actual"})
    last = start + pd.offsets.MonthEnd(len(actual) - 1)
    for series, per_month in (("projection", 3.0), ("projection_low", 2.5),
                              ("projection_high", 3.6)):
        n = 33.0
        d = last
        while True:
            rows.append({"date": d.date(), "n_inspected": round(n), "n_las": 152,
                         "share": min(n / 152, 1.0), "series": series})
            if n >= 152:
                break
            n = min(152.0, n + per_month)
            d = d + pd.offsets.MonthEnd(1)
    return pd.DataFrame(rows)


def group_frame() -> pd.DataFrame:
    rows = []
    for group, counts in REGION_GRADES.items():
        total = sum(counts)
        for grade, n in zip(GRADE_ORDER, counts, strict=True):
            rows.append({"group": group, "grade": grade, "n": n, "share": n / total})
    return pd.DataFrame(rows)


def hexmap_frames(shared_data: Path) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Hexes from the ODI file; grades for today's LAs keyed by ONS code: Cumbria and
    Northamptonshire are gone (no grade), their successors have grades but no hex."""
    hexes, layout = read_hexjson(shared_data / HEXJSON)
    cycle = ["good", "good", "outstanding", "requires_improvement", "good", "inadequate",
             "outstanding", "requires_improvement", "good"]
    abolished = {"E10000006", "E10000021"}  # Cumbria, Northamptonshire
    rows = [
        {"la_code": c, "name": n, "grade": cycle[i % len(cycle)]}
        for i, (c, n) in enumerate(zip(hexes["la_code"], hexes["name"], strict=True))
        if c not in abolished
    ]
    rows += [
        {"la_code": "E06000063", "name": "Cumberland", "grade": "requires_improvement"},
        {"la_code": "E06000064", "name": "Westmorland and Furness", "grade": "inadequate"},
        {"la_code": "E06000061", "name": "North Northamptonshire", "grade": "good"},
        {"la_code": "E06000062", "name": "West Northamptonshire", "grade": "requires_improvement"},
    ]
    return hexes, pd.DataFrame(rows), layout


# --------------------------------------------------------------------------- helpers


def texts(fig: go.Figure) -> str:
    """All text a reader sees: title, subtitle, annotations, axis ticks, trace text."""
    parts = [fig.layout.title.text or "", fig.layout.title.subtitle.text or ""]
    parts += [a.text or "" for a in fig.layout.annotations]
    for tr in fig.data:
        for attr in ("text", "y", "x", "name"):
            v = getattr(tr, attr, None)
            if isinstance(v, str):
                parts.append(v)
            elif v is not None:
                parts += [str(x) for x in v if isinstance(x, str)]
    return "\n".join(parts).replace("<br>", " ")


def assert_frame_text(fig: go.Figure, s: ChartSpec) -> None:
    assert s.title in fig.layout.title.text
    assert "As at 31 March 2025" in fig.layout.title.subtitle.text
    footer = [a for a in fig.layout.annotations if a.name == "footer"]
    assert len(footer) == 1
    flat = footer[0].text.replace("<br>", " ")
    assert "Open Government Licence v3.0" in flat
    assert "Source: Ofsted inspection reports" in flat
    assert fig.layout.meta["alt_text"]
    assert fig.layout.height and fig.layout.height > 300


# --------------------------------------------------------------------------- palette


def test_palette_is_one_ordered_definition():
    # adequate (pre-2013 scale) sits between good and requires improvement; "no overall grade"
    # (inspected since the April 2026 change) is a category of its own after "not judged"
    assert list(GRADE_COLOURS) == ["outstanding", "good", "adequate", "requires_improvement",
                                   "inadequate", "not_judged", "no_overall_grade"]
    assert GRADE_LABELS is style.GRADE_LABELS
    assert len(set(GRADE_COLOURS.values())) == 7
    assert style.CHART_GRADES == tuple(GRADE_COLOURS)
    # every category has its text colour, pattern, letter and label; letters are unique, and
    # every category beyond the four grades is patterned (stacked bars never rely on colour)
    for table in (style.GRADE_TEXT_COLOURS, style.GRADE_PATTERNS, style.GRADE_SHORT,
                  style.CHART_GRADE_LABELS):
        assert set(table) == set(GRADE_COLOURS)
    assert len(set(style.GRADE_SHORT.values())) == len(style.GRADE_SHORT)
    assert all(style.GRADE_PATTERNS[g] for g in ("adequate", "not_judged", "no_overall_grade"))
    # adequate is the neutral middle of ColorBrewer's 5-class RdBu
    assert GRADE_COLOURS["adequate"] == "#f7f7f7"


# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
_CVD = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}


def _lab(hex_colour: str, matrix=None) -> tuple[float, float, float]:
    """CIELAB (D65) of a hex colour, seen through a colour-vision-deficiency matrix."""
    srgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb]
    if matrix is not None:
        lin = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, lin, strict=True))))
               for row in matrix]
    r, g, b = lin
    xyz = (0.4124 * r + 0.3576 * g + 0.1805 * b, 0.2126 * r + 0.7152 * g + 0.0722 * b,
           0.0193 * r + 0.1192 * g + 0.9505 * b)

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = (f(v / w) for v, w in zip(xyz, (0.95047, 1.0, 1.08883), strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def test_palette_stays_apart_under_simulated_colour_blindness():
    """Every pair of the grade colours and "no published grade" (all can share a hex map) is
    at least 15 CIELAB units apart, in normal vision and simulated protanopia, deuteranopia
    and tritanopia: adequate's near-white included, beside "no published grade"."""
    colours = {**GRADE_COLOURS, "no published grade": style.NO_GRADE_COLOUR}
    worst = []
    for vision, matrix in {"normal": None, **_CVD}.items():
        labs = {k: _lab(v, matrix) for k, v in colours.items()}
        names = list(labs)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                d = sum((x - y) ** 2 for x, y in zip(labs[a], labs[b], strict=True)) ** 0.5
                worst.append((d, vision, a, b))
    closest = min(worst)
    assert closest[0] >= 15, f"too close: {closest}"
    # the check can fail: the old near-white "no published grade" sat on adequate's colour
    assert min(d for d, _, a, b in worst if {a, b} == {"adequate", "no published grade"}) > 15
    old = _lab("#f3f2f1")
    assert sum((x - y) ** 2 for x, y in zip(old, _lab(GRADE_COLOURS["adequate"]),
                                            strict=True)) ** 0.5 < 15


def test_format_pct_rounds_half_up():
    assert format_pct(36 / 153) == "24%"
    assert format_pct(0.125) == "13%"
    assert format_pct(0.335, 1) == "33.5%"


# --------------------------------------------------------------------------- 1 national


def test_national_distribution_labels_in_grade_order():
    s = spec()
    fig = national_distribution_figure(national_frame(), s)
    assert_frame_text(fig, s)
    bar = fig.data[0]
    assert list(bar.y) == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert list(bar.text) == ["36 (24%)", "67 (44%)", "31 (20%)", "19 (12%)"]
    assert list(bar.marker.color) == [GRADE_COLOURS[g] for g in GRADE_ORDER]
    assert "Good or better: 103 of 153 (67%)" in texts(fig)


def test_national_distribution_vertical_and_missing_grade_is_zero():
    df = national_frame()
    df = df[df["grade"] != "outstanding"]
    fig = national_distribution_figure(df, spec(), orientation="v")
    assert list(fig.data[0].x)[0] == "Outstanding"
    assert list(fig.data[0].text)[0] == "0 (0%)"


def test_national_distribution_rejects_unknown_grade():
    df = national_frame()
    df.loc[0, "grade"] = "Requires improvement to be good"
    with pytest.raises(ValueError, match="unknown grade"):
        national_distribution_figure(df, spec())


def test_national_alt_text():
    text = national_distribution.alt_text(national_frame(), spec())
    assert text.startswith(
        "Bar chart of the latest overall effectiveness grade of 153 local authorities in "
        "England as at 31 March 2025: 36 outstanding (24%), 67 good (44%), 31 requires "
        "improvement (20%) and 19 inadequate (12%)."
    )
    assert "103 (67%) are good or better" in text


# --------------------------------------------------------------------------- 2 over time


def test_failing_over_time_england_emphasised_and_labelled():
    s = spec(title="Fewer councils are failing")
    df = over_time_frame()
    fig = failing_over_time_figure(df, s, highlight=["London"])
    assert_frame_text(fig, s)
    assert len(fig.data) == 10
    widths = {tr.name: tr.line.width for tr in fig.data}
    assert widths["England"] > widths["London"] > widths["North East"]
    assert fig.data[-1].name == "England"  # drawn on top
    labels = [a.text for a in fig.layout.annotations if a.name != "footer"]
    assert "<b>England 33%</b>" in labels
    # end labels never closer than one line of text
    ys = sorted(a.y for a in fig.layout.annotations if a.name != "footer")
    assert min(b - a for a, b in zip(ys, ys[1:], strict=False)) >= 15 / 420


def test_failing_over_time_measure_and_alt_text():
    df = over_time_frame()
    fig = failing_over_time_figure(df, spec(), measure="share_good_or_better")
    england = next(tr for tr in fig.data if tr.name == "England")
    assert england.y[-1] == pytest.approx(0.67)
    alt = fig.layout.meta["alt_text"]
    assert "good or better, monthly from Mar 2018 to Mar 2025" in alt
    assert "England: 38% in Mar 2018 (152 LAs judged), 67% in Mar 2025 (153 judged)" in alt
    with pytest.raises(ValueError, match="measure"):
        failing_over_time_figure(df, spec(), measure="share_bad")


# --------------------------------------------------------------------------- 3 neighbours


def test_neighbours_focus_highlighted_without_colour():
    s = spec(title="Nottinghamshire and its statistical neighbours")
    fig = neighbours_figure(neighbours_frame(), s)
    assert_frame_text(fig, s)
    rows = list(fig.layout.yaxis.categoryarray)
    assert rows[0] == "<b>Nottinghamshire</b>"
    assert rows[1] == "1. Derbyshire" and rows[-1] == "10. Lancashire"
    symbols = [sym for tr in fig.data for sym in tr.marker.symbol]
    assert symbols.count("diamond") == 1
    cols = list(fig.layout.xaxis.categoryarray)
    assert [c.replace("<br>", " ") for c in cols] == [
        "Outstanding", "Good", "Requires improvement", "Inadequate", "No published grade"]
    alt = fig.layout.meta["alt_text"]
    assert "Nottinghamshire good (ILACS, published 14 July 2023)" in alt
    assert "Neighbours: 2 outstanding, 4 good, 2 requires improvement and 1 inadequate" in alt
    assert "6 of 10 good or better" in alt
    assert "10 Lancashire no published grade" in alt


def test_neighbours_needs_exactly_one_focus():
    df = neighbours_frame()
    df["is_focus"] = False
    with pytest.raises(ValueError, match="exactly one"):
        neighbours_figure(df, spec())


# --------------------------------------------------------------------------- 4 cycle


def test_cycle_projection_band_and_completion():
    s = spec(title="Ofsted will take 3.5 to 4 years to inspect every council",
             as_at=date(2014, 10, 31))
    df = cycle_frame()
    fig = cycle_figure(df, s)
    assert "As at 31 October 2014" in fig.layout.title.subtitle.text
    names = [tr.name for tr in fig.data]
    assert names == ["Projection range", "Projection", "Inspected", "Projected completion"]
    band = fig.data[0]
    assert band.fill == "toself"
    joined = texts(fig)
    # from 33 in Oct 2014: +3/month reaches 152 after 40 months (Feb 2018), +3.6 after 34
    # (Aug 2017), +2.5 after 48 (Oct 2018)
    assert "Projected completion: Feb 2018" in joined
    assert "(range Aug 2017 to Oct 2018)" in joined
    assert "33 of 152 (22%)" in joined
    alt = fig.layout.meta["alt_text"]
    assert "33 (22%) by 31 October 2014" in alt
    assert "every LA is inspected by Feb 2018 (range Aug 2017 to Oct 2018)" in alt


def test_cycle_rejects_unknown_series():
    df = cycle_frame()
    df.loc[0, "series"] = "forecast"
    with pytest.raises(ValueError, match="unknown series"):
        cycle_figure(df, spec())


# --------------------------------------------------------------------------- 5 by group


def test_grade_by_group_stacked_sorted_with_patterns():
    s = spec(title="London has the most good or better councils")
    fig = grade_by_group_figure(group_frame(), s)
    assert_frame_text(fig, s)
    assert fig.layout.barmode == "stack"
    assert [tr.name for tr in fig.data] == ["Outstanding", "Good", "Requires improvement",
                                            "Inadequate"]
    order = list(fig.layout.yaxis.categoryarray)
    # North East 9/12 = 75% good or better, London 25/33 = 76%
    assert order[:2] == ["London (33)", "North East (12)"]
    # each bar's segments add to 100%
    for i in range(len(order)):
        assert sum(tr.x[i] for tr in fig.data) == pytest.approx(1.0)
    assert fig.data[3].marker.pattern.shape == "x"
    alt = fig.layout.meta["alt_text"]
    assert "London 76% of 33" in alt and "Highest: London; lowest: West Midlands" in alt


def test_grade_by_group_rejects_duplicates():
    df = pd.concat([group_frame(), group_frame().head(1)])
    with pytest.raises(ValueError, match="duplicate"):
        grade_by_group_figure(df, spec())


# --------------------------------------------------------------------------- 6 hex map


def test_hex_centres_odd_r():
    assert hex_centres(0, 0) == (0.0, 0.0)
    assert hex_centres(0, 1)[0] == 0.5  # odd rows shifted right half a hex
    assert hex_centres(3, 2, "even-r")[0] == 3.5
    with pytest.raises(ValueError):
        hex_centres(0, 0, "axial")


def test_hexmap_on_odi_hexjson(shared_data: Path):
    hexes, grades, layout = hexmap_frames(shared_data)
    assert layout == "odd-r"  # the file's own "layout" field
    assert len(hexes) == 151
    nb = ["E10000007", "E10000029", "E06000066", "E10000016", "E10000020", "E10000031",
          "E10000018", "E06000024", "E10000028", "E10000017"]
    s = spec(title="Nottinghamshire's statistical neighbours")
    fig = hexmap_figure(hexes, grades, s, focus="E10000024", outlined=nb, layout=layout)
    assert_frame_text(fig, s)
    joined = texts(fig)
    # successors of Cumbria and Northamptonshire have grades but no hex: listed, not dropped
    assert "Not on this map (4" in joined and "Westmorland and Furness (inadequate)" in joined
    assert "No published grade (2)" in joined
    # Somerset's new unitary code is not in this older file
    assert "Outlined LAs not on this map: E06000066" in joined
    assert "<b>Nottinghamshire</b>" in joined
    outline = next(tr for tr in fig.data if tr.name == "Statistical neighbours")
    assert sum(v is None for v in outline.x) == 9
    assert fig.layout.yaxis.scaleanchor == "x"
    alt = fig.layout.meta["alt_text"]
    assert alt.startswith("Hex map of 153 local authorities in England")
    assert "Nottinghamshire (" in alt and "with its 10 statistical neighbours" in alt


def test_hexmap_names_the_first_few_of_many_las_off_the_map(shared_data: Path):
    # a warehouse of many more areas than the map's (the 1000x benchmark: 152,000 LAs without a
    # hexagon) listed every one in the footer and took 15 s to draw; it names twelve and counts
    # the rest, which are in the data table
    hexes, grades, layout = hexmap_frames(shared_data)
    extra = pd.DataFrame({"la_code": [f"X{i:05d}" for i in range(500)],
                          "name": [f"Synthetic area {i}" for i in range(500)], "grade": "good"})
    many = pd.concat([grades, extra], ignore_index=True)
    s = spec(title="Many areas")
    joined = " ".join(texts(hexmap_figure(hexes, many, s, layout=layout))
                      .replace("<br>", " ").split())
    assert "Not on this map (504, " in joined and "; and 492 more (in the data table)" in joined
    # the four real LAs first, then eight of the synthetic ones
    assert "Synthetic area 7 (good)" in joined and "Synthetic area 8 (good)" not in joined
    # today's four are all named, nothing counted as more
    assert "more (in the data table)" not in texts(hexmap_figure(hexes, grades, s, layout=layout))


def test_hexmap_north_is_up(shared_data: Path):
    hexes, layout = read_hexjson(shared_data / HEXJSON)
    y = {n: hex_centres(q, r, layout)[1]
         for n, q, r in zip(hexes["name"], hexes["q"], hexes["r"], strict=True)}
    assert y["Northumberland"] > y["Nottinghamshire"] > y["Cornwall"]


def test_hexmap_rejects_duplicate_grades(shared_data: Path):
    hexes, grades, layout = hexmap_frames(shared_data)
    with pytest.raises(ValueError, match="duplicate la_code"):
        hexmap_figure(hexes, pd.concat([grades, grades.head(1)]), spec(), layout=layout)


def test_read_hexjson_rejects_unknown_layout(tmp_path: Path):
    p = tmp_path / "bad.hexjson"
    p.write_text('{"layout": "axial", "hexes": {}}')
    with pytest.raises(ValueError, match="unknown hexjson layout"):
        read_hexjson(p)


# --------------------------------------------------------------------------- shared


def test_missing_column_named_in_error():
    with pytest.raises(ValueError, match=r"missing columns \['share'\]"):
        national_distribution_figure(national_frame().drop(columns="share"), spec())


def test_default_source_and_unknown_kind():
    assert spec().source == DEFAULT_SOURCE
    with pytest.raises(ValueError, match="unknown chart"):
        registry.chart_module("pie")


def test_national_with_not_judged_does_not_print_a_contradicting_base():
    df = pd.concat([national_frame(),
                    pd.DataFrame([{"grade": "not_judged", "n": 2, "share": 2 / 155}])])
    fig = national_distribution_figure(df, spec())
    assert list(fig.data[0].y)[-1] == "Not judged"
    assert list(fig.data[0].marker.color)[-1] == GRADE_COLOURS["not_judged"]
    joined = texts(fig)
    assert "Good or better: 103 (67%)" in joined
    assert "of 155" not in joined


def test_grade_share_over_time_labels_latest_shares_and_describes_both_ends() -> None:
    from etl.figures.national_trend import figure as grade_share_over_time_figure

    rows = []
    # Two month ends: 33 LAs judged in Oct 2014 (seed 004's SIF reports), 153 in Mar 2025.
    for as_at, counts in (("2014-10-31", {"good": 9, "requires_improvement": 18, "inadequate": 6}),
                          ("2025-03-31", {"outstanding": 36, "good": 67,
                                          "requires_improvement": 31, "inadequate": 19})):
        total = sum(counts.values())
        rows += [{"as_at": as_at, "grade": g, "n": n, "share": n / total} for g, n in counts.items()]
    df = pd.DataFrame(rows)
    spec = ChartSpec(title="Overall effectiveness: England, month by month", as_at=date(2025, 3, 31))
    fig = grade_share_over_time_figure(df, spec)
    labels = {a.text for a in fig.layout.annotations if a.name != "footer"}
    assert {"O 24%", "G 44%", "RI 20%", "I 12%"} <= labels
    alt = fig.layout.meta["alt_text"]
    assert "Oct 2014 (33 LAs judged): good 27%" in alt
    assert "Mar 2025 (153 LAs judged): outstanding 24%, good 44%" in alt


# --------------------------------------------------------------------------- every chart


def test_registry_charts_share_one_shape():
    """Each chart module: NAME (its registry key and `export` sub-command), a frozen Params
    whose optional fields default to None (the CLI leaves them out), figure, alt_text and
    render."""
    import dataclasses
    import typing

    for name, module in registry.CHARTS.items():
        assert module.NAME == name
        assert dataclasses.is_dataclass(module.Params)
        assert module.Params.__dataclass_params__.frozen, name
        hints = typing.get_type_hints(module.Params)
        for f in dataclasses.fields(module.Params):
            assert f.metadata.get("help"), f"{name}.{f.name} has no help text"
            if type(None) in typing.get_args(hints[f.name]):
                assert f.default is None, f"{name}.{f.name} is optional but defaults to {f.default}"
        for attr in ("figure", "alt_text", "render"):
            assert callable(getattr(module, attr)), f"{name} has no {attr}"


# --------------------------------------------------------------------------- cycle


def test_cycle_draws_what_happened_next_inside_the_figure():
    from etl.figures import cycle
    from etl.figures.style import CONTEXT_LINE

    df = cycle_frame()
    after = pd.DataFrame({"date": [date(2015, 3, 31), date(2017, 12, 31)],
                          "n_inspected": [60, 151], "n_las": [152, 152],
                          "share": [60 / 152, 151 / 152], "series": "actual_after_as_at"})
    fig = cycle_figure(pd.concat([df, after]), spec(as_at=date(2014, 10, 31)))
    last = fig.data[-1]
    assert last.name == "What happened next" and last.line.color == CONTEXT_LINE
    assert list(last.y) == pytest.approx([60 / 152, 151 / 152])
    assert "What happened next: 151 of 152 (99%) by 31 December 2017" in \
        fig.layout.meta["alt_text"]
    assert "actual_after_as_at" in cycle.SERIES


def test_cycle_projection_is_cut_off_at_one_horizon():
    """A slow projection stops HORIZON_YEARS after the date it is made from (one constant,
    used by the page's caption and the CLI alike)."""
    from etl.figures import cycle

    actual = pd.DataFrame({"as_at": [pd.Timestamp("2014-10-31")], "n_inspected": [33],
                           "n_las": [152], "share": [33 / 152]})
    proj = pd.Series({"n_inspected": 33, "n_las": 152,
                      "projected_completion": pd.Timestamp("2040-01-01"),
                      "completion_earliest": pd.Timestamp("2030-01-01"),
                      "completion_latest": pd.Timestamp("2050-01-01")})
    frame = cycle.cycle_frame(actual, proj, date(2014, 10, 31))
    assert cycle.HORIZON_YEARS == 12
    paths = frame[frame["series"] != "actual"]
    last = paths.sort_values("date").groupby("series").tail(1).set_index("series")
    # every path stops 12 years on; the slow ones there short of every LA
    assert set(last["date"]) == {date(2026, 10, 31)}
    assert last.loc["projection", "n_inspected"] < 152
    assert last.loc["projection_low", "n_inspected"] < last.loc["projection", "n_inspected"]


def test_cycle_backtest_marks_the_end_and_the_as_at_date():
    from etl.figures import cycle_backtest

    months = pd.date_range("2014-02-28", "2017-12-31", freq="ME")
    df = pd.DataFrame({
        "as_at": months.date,
        "projected_completion": [(m + pd.DateOffset(months=30 - i // 2)).date()
                                 for i, m in enumerate(months)],
        "completion_earliest": [(m + pd.DateOffset(months=20)).date() for m in months],
        "completion_latest": [(m + pd.DateOffset(months=40)).date() for m in months],
    })
    end = cycle_backtest.CycleEnd(date(2017, 12, 31), "Last first inspection", 151, 152,
                                  date(2018, 6, 30))
    s = spec(title="SIF cycle backtest", as_at=date(2014, 10, 31), subject="SIF")
    fig = cycle_backtest.figure(df, s, end=end)
    labels = [a.text for a in fig.layout.annotations]
    assert "Last first inspection: Dec 2017" in labels and "As at Oct 2014" in labels
    assert [tr.name for tr in fig.data] == ["Projection range", "Projected"]
    assert fig.layout.meta["alt_text"].startswith(
        "Line chart of the projected completion date of the SIF cycle, as projected at each "
        "month end from Feb 2014 to Dec 2017. As at Feb 2014 it said Aug 2016")
    assert fig.layout.yaxis.gridcolor == GRID


# --------------------------------------------------------------------------- LA and workbench


def test_la_timeline_places_each_inspection_on_its_row_with_its_letter():
    from etl.figures import la_timeline

    tl = pd.DataFrame({
        "la_code": ["891"] * 4, "la_name": ["Nottinghamshire"] * 4,
        "framework": ["SIF", "ILACS", "ILACS", "ILACS"],
        "inspection_type": ["full", "standard", "focused_visit", "short"],
        "start_date": [date(2015, 5, 18), date(2019, 10, 7), date(2021, 6, 1), None],
        "end_date": [date(2015, 6, 4), date(2019, 10, 18), None, None],
        "published_date": [date(2015, 7, 20), date(2019, 12, 19), date(2021, 7, 1), None],
        "overall_effectiveness": ["good", "good", None, "requires_improvement"],
        "evidence": ["primary"] * 4,
    })
    data = la_timeline.plotted(tl)
    assert len(data) == 3  # the undated short inspection is in the table, not on the chart
    assert list(data["date"]) == [date(2015, 6, 4), date(2019, 10, 18), date(2021, 6, 1)]
    assert list(data["row"]) == ["SIF inspection", "ILACS standard inspection",
                                 "ILACS focused visit"]
    fig = la_timeline.figure(data, spec(title="Nottinghamshire: inspections and visits",
                                        geography="Nottinghamshire"))
    good = next(tr for tr in fig.data if tr.name == "Good")
    assert list(good.text) == ["G", "G"] and good.marker.color == GRADE_COLOURS["good"]
    visit = next(tr for tr in fig.data if tr.marker.symbol == "diamond")
    assert list(visit.y) == ["ILACS focused visit"]
    assert fig.layout.xaxis.gridcolor == GRID
    assert "2 with an overall effectiveness grade (2 good) and 1 without" in \
        fig.layout.meta["alt_text"]


def test_workbench_bars_grades_in_scale_order_and_colour():
    from etl.figures import workbench
    from etl.figures.chart import NoData

    result = pd.DataFrame({"grade": ["inadequate", "good", "outstanding",
                                     "requires_improvement"], "n": [6, 9, 0, 17]})
    chart = workbench.chart(result, workbench.Params(sql="SELECT grade, n FROM t"),
                            ran_on=AS_AT)
    bar = chart.figure.data[0]
    assert list(bar.x) == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert list(bar.marker.color) == [GRADE_COLOURS[g] for g in GRADE_ORDER]
    assert list(chart.data["n"]) == [0, 9, 17, 6]
    assert chart.figure.layout.yaxis.gridcolor == GRID
    assert "highest Requires improvement (17), lowest Outstanding (0)" in chart.alt_text
    with pytest.raises(NoData, match="needs a column to go along the axis"):
        workbench.chart(pd.DataFrame({"n": [1, 2]}), workbench.Params(sql="SELECT 1"))


def test_workbench_draws_a_count_by_year_along_a_numeric_axis():
    """An integer x (a year: DuckDB's BIGINT comes back as floats beside a NULL) is a valid
    axis: numeric, ticks every year printed 2014 (no separator, no decimals); the row with no
    year is left out; a DECIMAL or HUGEINT number (Python objects) is drawn as a number."""
    from decimal import Decimal

    from etl.figures import workbench

    result = pd.DataFrame({"year": [2013.0, 2014.0, 2016.0, None], "n": [9, 38, 38, 220]})
    assert workbench.chart_columns(result) == (["year", "n"], ["year", "n"])
    chart = workbench.chart(result, workbench.Params(sql="SELECT year, n FROM t"), ran_on=AS_AT)
    assert list(chart.data["year"]) == [2013, 2014, 2016]
    assert str(chart.data["year"].dtype) == "int64"
    axis = chart.figure.layout.xaxis
    assert axis.type == "linear" and axis.tickformat == "d" and axis.dtick == 1
    assert list(chart.figure.data[0].x) == [2013, 2014, 2016]
    assert "1 row with no year left out" in chart.spec.subtitle
    assert "highest 2014 (38)" in chart.alt_text
    # a text column still comes first along the axis; a whole number is only the fallback
    mixed = pd.DataFrame({"region": ["A", "B"], "year": [2020, 2021],
                          "n": [Decimal("1.5"), Decimal("2")]})
    assert workbench.chart_columns(mixed) == (["region", "year"], ["year", "n"])
    chart = workbench.chart(mixed, workbench.Params(sql="SELECT 1"), ran_on=AS_AT)
    assert list(chart.data.columns) == ["region", "year"]  # the first number not on the axis
    chart = workbench.chart(mixed, workbench.Params(sql="SELECT 1", number="n"), ran_on=AS_AT)
    assert list(chart.figure.data[0].y) == [1.5, 2.0]
    # a large integer that is not a year keeps its thousands separator
    big = pd.DataFrame({"rank": [1000, 2000, 3000], "n": [1, 2, 3]})
    chart = workbench.chart(big, workbench.Params(sql="SELECT 1"), ran_on=AS_AT)
    assert chart.figure.layout.xaxis.tickformat == ",d"


def test_neighbours_comparison_keeps_its_groups_in_order():
    from etl.figures import neighbours_comparison

    rows = []
    for group, counts in (("Statistical neighbours of Leicestershire", (2, 5, 3, 0)),
                          ("East Midlands", (3, 3, 3, 1)), ("England", (41, 64, 32, 16))):
        rows += [{"group": group, "grade": g, "n": n, "share": n / sum(counts)}
                 for g, n in zip(GRADE_ORDER, counts, strict=True)]
    fig = neighbours_comparison.figure(pd.DataFrame(rows), spec())
    assert list(fig.layout.yaxis.categoryarray) == [
        "Statistical neighbours of Leicestershire (10)", "East Midlands (10)",
        "<b>England (153)</b>"]


# --------------------------------------------------------------------------- adequate and "no overall grade"


def test_national_distribution_shows_adequate_and_no_overall_grade_on_their_own():
    """As at 12 Jan 2016 every LA has a judgement from some framework, 39 of them adequate
    (pre-2013 scale); as at 1 Dec 2026 11 LAs have no overall grade (inspected since the April
    2026 change), outside the shares of the 142 with one (the database's figures)."""
    df = pd.DataFrame({"grade": ["outstanding", "good", "adequate", "requires_improvement",
                                 "inadequate"], "n": [0, 53, 39, 39, 21]})
    df["share"] = df["n"] / 152
    fig = national_distribution_figure(df, spec())
    bar = fig.data[0]
    assert [y.replace("<br>", " ") for y in bar.y] == [
        "Outstanding", "Good", "Adequate (pre-2013 scale)", "Requires improvement",
        "Inadequate"]
    assert list(bar.text)[2] == "39 (26%)"
    assert list(bar.marker.color)[2] == GRADE_COLOURS["adequate"]
    assert list(bar.marker.pattern.shape)[2] == style.GRADE_PATTERNS["adequate"]
    joined = texts(fig)
    assert "Adequate, requires improvement or inadequate: 99 (65%)" in joined
    assert "the requires improvement or inadequate share counts it with requires " \
        "improvement" in joined

    today = pd.DataFrame({"grade": ["outstanding", "good", "requires_improvement", "inadequate",
                                    "no_overall_grade"], "n": [46, 61, 24, 11, 11]})
    today["share"] = [n / 142 if g != "no_overall_grade" else float("nan")
                      for g, n in zip(today["grade"], today["n"], strict=True)]
    fig = national_distribution_figure(today, spec())
    bar = fig.data[0]
    assert list(bar.text)[-1] == "11 (outside the shares)"
    assert bar.x[-1] == pytest.approx(11 / 142)  # drawn on the same scale as the others
    assert list(bar.marker.color)[-1] == GRADE_COLOURS["no_overall_grade"]
    joined = texts(fig)
    assert "Good or better: 107 of 142 (75%)" in joined
    assert "No overall grade: 11 LAs whose latest inspection started on or after 20 April " \
        "2026" in joined
    assert "A further 11 have no overall grade" in fig.layout.meta["alt_text"]


def test_stacked_bars_count_no_overall_grade_outside_the_100_percent():
    from etl.figures import national_by_group

    rows = []
    for group, counts, none in (("England", (46, 61, 24, 11), 11), ("North West", (1, 10, 5, 4), 4),
                                ("London", (18, 11, 2, 1), 1)):
        rows += [{"group": group, "grade": g, "n": n, "share": n / sum(counts),
                  "n_superseded": 0} for g, n in zip(GRADE_ORDER, counts, strict=True)]
        rows.append({"group": group, "grade": "no_overall_grade", "n": none,
                     "share": float("nan"), "n_superseded": 0})
    fig = national_by_group.figure(pd.DataFrame(rows), spec())
    column = next(tr for tr in fig.data if tr.type == "scatter")
    assert list(column.text) == ["11", "1", "4"]  # England first, then by share good or better
    assert set(column.x) == {1.1} and column.marker.color == GRADE_COLOURS["no_overall_grade"]
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert [tr.name for tr in bars] == ["Outstanding", "Good", "Requires improvement",
                                        "Inadequate"]
    assert sum(bars[i].x[0] for i in range(4)) == pytest.approx(1.0)
    joined = texts(fig)
    assert "NO: no overall grade (count)" in joined
    assert "11 LAs in England whose latest inspection" in joined
    assert "No overall grade (inspected since the April 2026 change, outside the shares): " \
        "England 11" in fig.layout.meta["alt_text"]


def test_trend_draws_the_no_overall_grade_panel_and_the_adequate_band():
    from etl.figures.national_trend import figure as trend_figure

    rows = [{"as_at": "2013-11-30", "grade": g, "n": n, "share": n / 152}
            for g, n in (("good", 61), ("adequate", 70), ("inadequate", 21))]
    rows += [{"as_at": "2026-11-30", "grade": g, "n": n, "share": n / 142}
             for g, n in (("outstanding", 46), ("good", 61), ("requires_improvement", 24),
                          ("inadequate", 11))]
    rows.append({"as_at": "2026-11-30", "grade": "no_overall_grade", "n": 11,
                 "share": float("nan")})
    fig = trend_figure(pd.DataFrame(rows), ChartSpec(title="t", as_at=date(2026, 11, 30)))
    band = next(tr for tr in fig.data if tr.name == "Adequate (pre-2013 scale)")
    assert band.fillcolor == GRADE_COLOURS["adequate"] and band.fillpattern.shape == "\\"
    panel = next(tr for tr in fig.data if tr.type == "bar")
    assert panel.yaxis == "y2" and list(panel.y) == [11]
    labels = {a.text for a in fig.layout.annotations if a.name != "footer"}
    assert "NO 11" in labels and "O 32%" in labels
    footer = next(a.text for a in fig.layout.annotations if a.name == "footer")
    assert "Lower panel" in footer.replace("<br>", " ")


def test_hexmap_letters_adequate_and_no_overall_grade(shared_data: Path):
    hexes, grades, layout = hexmap_frames(shared_data)
    grades.loc[0, "grade"] = "adequate"
    grades.loc[1, "grade"] = "no_overall_grade"
    fig = hexmap_figure(hexes, grades, spec(), layout=layout)
    names = [tr.name for tr in fig.data if tr.name]
    assert "A Adequate (pre-2013) (1)" in names and "NO No overall grade (1)" in names
    letters = {t for tr in fig.data if tr.mode == "text" for t in tr.text}
    assert {"A", "NO"} <= letters
    footer = next(a.text for a in fig.layout.annotations if a.name == "footer")
    assert "NO no overall grade (inspected since the April 2026 change)" in \
        footer.replace("<br>", " ")


def test_la_timeline_keeps_area_send_out_of_the_grade_colours():
    from etl.figures import la_timeline

    tl = pd.DataFrame({
        "la_code": ["891"] * 3, "la_name": ["Nottinghamshire"] * 3,
        "framework": ["SLAC", "AREA_SEND", "ILACS"],
        "inspection_type": ["re-inspection", "full", "standard"],
        "is_inspection": [True, True, True],
        "start_date": [None, date(2023, 3, 6), date(2026, 5, 11)],
        "end_date": [None, date(2023, 3, 10), date(2026, 5, 22)],
        "published_date": [date(2011, 10, 17), date(2023, 5, 16), date(2026, 7, 7)],
        "overall_effectiveness": [None, None, "not_judged"],
        "overall_grade": ["adequate", None, None],
        "no_overall_by_design": [False, False, True],
        "area_send_outcome": [None, "systemic_failings", None],
        "evidence": ["primary"] * 3,
    })
    data = la_timeline.plotted(tl)
    assert list(data["grade"].fillna("-")) == ["adequate", "-", "no_overall_grade"]
    fig = la_timeline.figure(data, spec(title="t", geography="Nottinghamshire"))
    send = next(tr for tr in fig.data if tr.y[0] == "Area SEND (2023 framework)")
    assert send.marker.color == "#ffffff" and send.marker.symbol == "square"
    assert list(fig.layout.yaxis.categoryarray) == [
        "SLAC re-inspection", "ILACS standard inspection", "Area SEND (2023 framework)"]
    letters = {t for tr in fig.data for t in (tr.text or ())}
    assert {"A", "NO"} <= letters


# --------------------------------------------------------------------------- early months


def test_trend_greys_out_months_resting_on_few_las():
    """Issue 13, item 9: a month whose shares rest on fewer than MIN_JUDGED_FOR_SHARE LAs
    (here one LA, inadequate: "100% inadequate") draws no bands; it is greyed, labelled, and
    its count is in the hover and the frame."""
    from etl.figures.national_trend import figure as trend_figure
    from etl.figures.national_trend import with_counts

    rows = [{"as_at": "2014-01-31", "grade": "inadequate", "n": 1, "share": 1.0}]
    for m in ("2014-02-28", "2014-03-31"):
        rows += [{"as_at": m, "grade": g, "n": n, "share": n / 20}
                 for g, n in (("good", 8), ("requires_improvement", 9), ("inadequate", 3))]
    df = pd.DataFrame(rows)
    counted = with_counts(df)
    assert counted.drop_duplicates("as_at")["n_judged"].tolist() == [1, 20, 20]
    assert counted.drop_duplicates("as_at")["drawn"].tolist() == [False, True, True]
    fig = trend_figure(df, ChartSpec(title="t", as_at=date(2014, 3, 31)))
    bands = [tr for tr in fig.data if tr.stackgroup == "grades"]
    assert all(min(pd.to_datetime(tr.x)) == pd.Timestamp("2014-02-28") for tr in bands)
    inadequate = next(tr for tr in bands if tr.name == "Inadequate")
    assert 1.0 not in list(inadequate.y)
    counts = next(tr for tr in fig.data if tr.name == "LAs with a judgement")
    assert [int(c[0]) for c in counts.customdata] == [1, 20, 20]
    assert len(fig.layout.shapes) == 1  # the greyed months
    notes = {a.text for a in fig.layout.annotations}
    assert f"Fewer than<br>{MIN_JUDGED_FOR_SHARE} LAs<br>judged" in notes
    assert f"fewer than {MIN_JUDGED_FOR_SHARE} LAs had a judgement" in fig.layout.meta["alt_text"]


def test_failing_over_time_draws_no_share_of_a_handful_of_las():
    """Issue 13, item 9: England with three LAs judged (all failing) is not drawn as 100%;
    the line starts with the first month of MIN_JUDGED_FOR_SHARE judged LAs, the months before
    are greyed and their hover gives the count; a region below the minimum is not drawn."""
    months = pd.date_range("2014-01-31", periods=4, freq="ME")
    rows = []
    for i, m in enumerate(months):
        n = 3 if i == 0 else 40
        rows.append({"month": m, "geography": "England", "n_judged": n, "n_failing": n if
                     i == 0 else 20, "share_failing": 1.0 if i == 0 else 0.5,
                     "share_good_or_better": 0.0 if i == 0 else 0.5})
        rows.append({"month": m, "geography": "North East", "n_judged": 2, "n_failing": 2,
                     "share_failing": 1.0, "share_good_or_better": 0.0})
    fig = failing_over_time_figure(pd.DataFrame(rows), spec())
    names = [tr.name for tr in fig.data]
    assert "North East" not in names and names[-1] == "England"
    england = fig.data[-1]
    assert pd.isna(england.y[0]) and list(england.y[1:]) == [0.5, 0.5, 0.5]
    greyed = next(tr for tr in fig.data if tr.name == "England (too few LAs judged)")
    assert [int(c[0]) for c in greyed.customdata] == [3]
    assert "share not drawn" in greyed.hovertemplate
    assert "(%{customdata[0]} of %{customdata[1]} LAs judged)" in england.hovertemplate
    alt = fig.layout.meta["alt_text"]
    assert f"fewer than {MIN_JUDGED_FOR_SHARE} LAs had a judgement" in alt and "100%" not in alt


def test_a_wrapped_label_takes_the_margin_of_its_widest_line() -> None:
    # "No overall grade: inspected since the April 2026 change" is drawn on three lines; measured
    # as one (with its <br>s) it gave the national chart a 404 px margin, pushing the bars off a
    # phone's screen
    from etl.figures.style import label_margin

    wrapped = "No overall grade:<br>inspected since the<br>April 2026 change"
    assert label_margin(["Outstanding", wrapped]) == label_margin(["inspected since the"])
    assert label_margin(["Requires improvement"]) < label_margin([wrapped.replace("<br>", " ")])
