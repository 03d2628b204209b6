"""The local area charts (issue 12): their numbers against the SQL and hand counts, their empty
states, the shared hex map drawing and the colour-blind safety of their palettes.

Numbers checked by hand against ../shared/data:
- Nottinghamshire's providers as at 31 March 2023 (Provider_level_at_31_Mar_2023, rows with an
  overall grade): 60, of which 57 outstanding or good (95%, dark green); children's homes 49 of 52
  (the area helper's hand count, tests/test_social_care_providers.py).
- area-send/ofsted_csc_send_overview.xlsx, rows published by 30 June 2024: 33 LAs, outcome_grade
  1 (positive) 9, 2 (inconsistent) 14, 3 (systemic failings) 10; Nottinghamshire's row: grade 3,
  inspection ended 3 February 2023, published 16 May 2023.
"""

from __future__ import annotations

import datetime as dt
import itertools

import duckdb
import numpy as np
import pandas as pd
import pytest

from etl.figures import (
    area_send_national,
    hexmap,
    local_area_send,
    local_providers,
    provider_hexmap,
    provider_national,
    style,
)
from etl.figures.chart import NoData
from etl.warehouse import queries

MARCH_2023 = dt.date(2023, 3, 31)


@pytest.fixture(scope="module")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    if not c.execute("SELECT count(*) FROM social_care_providers").fetchone()[0]:
        pytest.skip("the shipped snapshot predates the local area facts (re-derive it)")
    yield c
    c.close()


# --------------------------------------------------------------------------- palettes

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
_CVD = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def _lab(hex_colour: str, matrix: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a colour as seen through a colour-vision simulation."""
    srgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    seen = np.clip(matrix @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ seen / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("palette", ["AREA_SEND_COLOURS", "BAND_COLOURS"])
def test_local_palettes_stay_apart_for_colour_blind_readers(palette: str) -> None:
    colours = getattr(style, palette)
    for vision, matrix in _CVD.items():
        for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
            gap = float(np.linalg.norm(_lab(ca, matrix) - _lab(cb, matrix)))
            assert gap >= 15, f"{palette}: {a} and {b} are {gap:.1f} apart under {vision}"


def test_a_simulation_that_merges_red_and_green_is_caught() -> None:
    # the check above can fail: a plain traffic-light red and green merge for deuteranopes
    gap = np.linalg.norm(_lab("#1b7837", _CVD["deuteranopia"])
                         - _lab("#b2182b", _CVD["deuteranopia"]))
    assert gap < 15


def test_every_class_is_lettered_or_labelled() -> None:
    for key in style.BAND_COLOURS:
        assert style.BAND_LABELS[key] and key in style.BAND_TEXT_COLOURS
    for key in style.AREA_SEND_COLOURS:
        assert style.AREA_SEND_LABELS[key] and key in style.AREA_SEND_TEXT_COLOURS
    bands = [style.BAND_SHORT[b] for b in style.BAND_NAMES]
    outcomes = [style.AREA_SEND_SHORT[o] for o in ("positive", "inconsistent",
                                                   "systemic_failings")]
    assert all(bands) and len(set(bands)) == 4
    assert all(outcomes) and len(set(outcomes)) == 3


def test_band_zones_are_the_sql_bands(con) -> None:
    bands = con.execute("SELECT band, min_share FROM performance_bands ORDER BY sort_order"
                        ).fetchall()
    assert [(b, pytest.approx(s)) for b, s in bands] == list(style.BAND_FLOORS)


# --------------------------------------------------------------------------- providers


def test_nottinghamshire_providers_as_at_march_2023(con) -> None:
    chart = local_providers.render(con, local_providers.Params(la="891", as_at=MARCH_2023))
    d = chart.data.set_index(["provider_type", "comparator"])
    allp = d.loc[("all", "la")]
    assert (allp["n_providers"], allp["n_good_or_better"], allp["band"]) == (60, 57, "dark_green")
    assert allp["share_good_or_better"] == pytest.approx(0.95)
    homes = d.loc[("childrens_home", "la")]
    assert (homes["n_providers"], homes["n_good_or_better"]) == (52, 49)
    assert chart.spec.as_at == MARCH_2023
    assert set(d.index.get_level_values("comparator")) == {"la", "neighbours", "region",
                                                          "england"}
    shown = [a.text for a in chart.figure.layout.annotations]
    assert "<b>95% (57 of 60) · dark green</b>" in shown
    assert "Nottinghamshire: 376 places, 97% good or better" in " ".join(shown)
    assert "All providers: Nottinghamshire 95% (57 of 60) · dark green" in chart.alt_text
    # a later as-at date uses the same (latest) release, and says so
    later = local_providers.render(con, local_providers.Params(la="891",
                                                               as_at=dt.date(2025, 12, 31)))
    assert later.spec.as_at == MARCH_2023
    assert "The latest release on or before 31 December 2025" in later.spec.basis


@pytest.mark.parametrize("la", ["891", "855", "822"])
def test_provider_comparison_agrees_with_the_local_area_summary(con, la: str) -> None:
    as_at = dt.date(2024, 6, 30)
    comp = queries.run(con, local_providers.QUERY, la_code=la, as_at=as_at, vintage="current")
    summary = queries.run(con, "local_area/la_summary", la_code=la, as_at=as_at,
                          vintage="current", framework="ILACS")
    summary = summary[summary["section"] == "providers"]
    left = comp.set_index(["provider_type", "comparator"])
    right = summary.set_index(["measure", "comparator"])
    assert set(left.index) == set(right.index)
    for key, row in left.iterrows():
        other = right.loc[key]
        assert (row["n_providers"], row["n_good_or_better"]) == (other["n_judged"],
                                                                 other["n_favourable"]), key
        assert row["band"] == other["band"] or (pd.isna(row["band"]) and pd.isna(other["band"]))


def test_places_are_the_providers_own(con) -> None:
    shares = queries.run(con, "local_area/provider_shares", as_at=MARCH_2023,
                         provider_type="childrens_home").set_index("la_code")
    comp = queries.run(con, local_providers.QUERY, la_code="891", as_at=MARCH_2023,
                       vintage="current").set_index(["provider_type", "comparator"])
    assert comp.loc[("childrens_home", "la"), "places"] == shares.loc["891", "places"]
    assert comp.loc[("childrens_home", "england"), "places"] == shares["places"].sum()


def test_an_la_created_after_the_release_says_why(con) -> None:
    with pytest.raises(NoData) as exc:
        local_providers.render(con, local_providers.Params(la="942"))
    message = str(exc.value)
    assert "Cumberland was created on 1 April 2023" in message
    assert "providers as at 31 March 2023" in message
    assert "Cumbria" in message and "(909)" in message


def test_no_release_before_the_first(con) -> None:
    with pytest.raises(NoData, match="first is as at 31 March 2023"):
        local_providers.render(con, local_providers.Params(la="891", as_at=dt.date(2022, 1, 1)))


def test_provider_hexmap_bands_and_the_reorganised_north_west(con) -> None:
    chart = provider_hexmap.render(con, provider_hexmap.Params(as_at=dt.date(2025, 12, 31),
                                                               la="891"))
    data = chart.data.set_index("la_code")
    assert data.loc["891", "band"] == "dark_green" and data.loc["891", "n_providers"] == 60
    # Cumbria is in the 2023 release but not on today's map; its successors are on the map
    # but not in the release
    assert not data.loc["909", "on_map"]
    assert "942" not in data.index and "943" not in data.index
    hexes = queries.run(con, "neighbours/hexmap")
    classes = provider_hexmap.hex_classes(hexes, chart.data)
    assert classes["942"] == classes["943"] == style.NOT_IN_RELEASE_KEY
    assert classes["891"] == "dark_green"
    legend = [t.name for t in chart.figure.data if t.showlegend is not False and t.name]
    bands = {b: int((data.loc[data["on_map"], "band"] == b).sum()) for b in style.BAND_NAMES}
    assert f"DG {style.BAND_LABELS['dark_green']} ({bands['dark_green']})" in legend
    assert "Not an LA at the release (2)" in legend
    footer = " ".join(a.text for a in chart.figure.layout.annotations
                      if a.name == "footer").replace("<br>", " ")
    assert "Cumbria (county council to March 2023): 84% (41 of 49)" in footer
    assert sum(bands.values()) + int((data.loc[data["on_map"], "n_providers"] == 0).sum()) \
        == int(data["on_map"].sum())


def test_provider_national_published_beside_computed(con) -> None:
    chart = provider_national.render(con, provider_national.Params())
    last = chart.data.iloc[-1]
    assert (last["n_good_or_better"], last["n_judged"]) == (2915, 3546)
    assert (last["computed_n_good_or_better"], last["computed_n_judged"]) == (2915, 3546)
    assert "2023: published 82% (2915 of 3546), computed 82% (2915 of 3546)" in chart.alt_text
    # children's homes: table 8c counts two homes fewer than the provider-level sheet
    homes = provider_national.render(con, provider_national.Params(provider_type="childrens_home"))
    last = homes.data.iloc[-1]
    assert (last["n_judged"], last["computed_n_judged"]) == (2819, 2821)
    # the year's inspections: 2020-21 had none (the line breaks there, and the text says so)
    year = provider_national.render(con, provider_national.Params(
        provider_type="childrens_home", measure="in_year_overall_effectiveness"))
    assert "No figure for 2020-21" in year.alt_text
    with pytest.raises(NoData, match="children's homes and residential special schools"):
        provider_national.render(con, provider_national.Params(
            measure="in_year_overall_effectiveness"))


# --------------------------------------------------------------------------- area SEND


def test_area_send_national_is_the_hand_count(con) -> None:
    chart = area_send_national.render(con, area_send_national.Params(as_at=dt.date(2024, 6, 30)))
    england = chart.data[chart.data["geography"] == "England"].set_index("outcome")
    assert england["n"].to_dict() == {"positive": 9, "inconsistent": 14, "systemic_failings": 10}
    assert int(england["n_inspected"].iloc[0]) == 33 and int(england["n_las"].iloc[0]) == 153
    assert "33 of England's 153 LAs (22%) inspected so far" in chart.spec.subtitle
    assert "<b>England: 33 of 153 inspected (22%)</b>" in list(chart.figure.data[0].y)
    # every region's counts add up to England's
    regions = chart.data[chart.data["geography"] != "England"]
    assert regions.groupby("outcome")["n"].sum().to_dict() == england["n"].to_dict()
    with pytest.raises(NoData, match="began in January 2023"):
        area_send_national.render(con, area_send_national.Params(as_at=dt.date(2022, 12, 1)))
    with pytest.raises(NoData, match="No area SEND inspection"):
        area_send_national.render(con, area_send_national.Params(as_at=dt.date(2023, 3, 31)))


def test_nottinghamshire_area_send_beside_its_neighbours(con) -> None:
    p = local_area_send.Params(la="891", as_at=dt.date(2024, 6, 30))
    chart = local_area_send.render(con, p)
    d = chart.data
    la = d[d["row_kind"] == "la"].iloc[0]
    assert la["outcome"] == "systemic_failings"
    assert str(la["published_date"])[:10] == "2023-05-16" and str(la["end_date"])[:10] == \
        "2023-02-03"
    current = queries.run(con, "la/neighbours", la_code="891")
    current = current[current["vintage"] == "current"].sort_values("rank")
    nb = d[d["row_kind"] == "neighbour"]
    assert list(nb["la_code"]) == list(current["la_code"]) and list(nb["rank"]) == \
        list(range(1, 11))
    dist = queries.run(con, "local_area/area_send_distribution", as_at=p.as_at,
                       published_by=None)
    for geo, kind in (("England", "england"), ("East Midlands", "region")):
        mine = d[d["row_kind"] == kind].set_index("outcome")["n"].to_dict()
        theirs = dist[dist["geography"] == geo].set_index("outcome")["n"].to_dict()
        assert mine == theirs
    assert "Nottinghamshire: widespread and/or systemic failings (inspection ended 3 February " \
           "2023, published 16 May 2023)" in chart.alt_text
    # the LA is a lettered diamond in its outcome's column
    marks = [t for t in chart.figure.data if t.mode == "markers+text"]
    sf = next(t for t in marks if list(t.text)[0] == "SF")
    assert "diamond" in list(sf.marker.symbol)


def test_local_area_send_empty_states(con) -> None:
    with pytest.raises(NoData, match="first reports came out in May 2023"):
        local_area_send.render(con, local_area_send.Params(la="891", as_at=MARCH_2023))
    # Cumbria was abolished on 31 March 2023
    with pytest.raises(NoData, match="was not a local authority on 30 June 2024"):
        local_area_send.render(con, local_area_send.Params(la="909", as_at=dt.date(2024, 6, 30)))


def test_an_unreadable_outcome_has_its_own_column(con) -> None:
    chart = local_area_send.render(con, local_area_send.Params(la="871",
                                                               as_at=dt.date(2025, 12, 31)))
    slough = chart.data[chart.data["row_kind"] == "la"].iloc[0]
    assert slough["outcome"] == style.NO_OUTCOME_KEY
    assert "Inspected,<br>outcome not<br>readable" in list(chart.figure.layout.xaxis.ticktext)


# --------------------------------------------------------------------------- shared drawing


def test_draw_hexes_refuses_a_hex_of_unknown_class() -> None:
    hexes = pd.DataFrame({"la_code": ["1", "2"], "name": ["A", "B"], "q": [0, 1], "r": [0, 0]})
    keys = [hexmap.HexKey("x", "X", "X", "#000000")]
    with pytest.raises(ValueError, match="unknown class"):
        hexmap.draw_hexes(hexes, {"1": "x", "2": "y"}, keys)
    fig, height = hexmap.draw_hexes(hexes, {"1": "x", "2": "x"}, keys,
                                    hover={"1": "A: all good"})
    assert height > 0
    assert fig.data[0].name == "X X (2)"
    assert list(fig.data[1].customdata) == ["A: all good", "B: X"]


def test_figures_refuse_values_off_their_scale() -> None:
    spec = style.ChartSpec(title="t", as_at=MARCH_2023)
    bad = pd.DataFrame({"geography": ["England"], "outcome": ["good"], "n": [1], "share": [1.0],
                        "n_with_outcome": [1], "n_inspected": [1], "n_las": [1],
                        "share_inspected": [1.0]})
    with pytest.raises(ValueError, match="unknown outcomes"):
        area_send_national.figure(bad, spec)
    rows = pd.DataFrame({"la_code": ["1"], "la_name": ["A"], "n_providers": [1],
                         "share_good_or_better": [1.0], "band": ["green"], "places": [0],
                         "on_map": [True]})
    hexes = pd.DataFrame({"la_code": ["1"], "name": ["A"], "q": [0], "r": [0]})
    with pytest.raises(ValueError, match="unknown bands"):
        provider_hexmap.figure(hexes, rows, spec)
