"""'Today' after the April 2026 change, through the pages (Streamlit AppTest) and the exports:
an LA whose latest inspection started on or after 20 April 2026 has no current overall grade,
so by default it is never counted under its old one; the option to carry the old grade forward
flags it as superseded. And every page shown for a date after the newest report says the data
end there.

Checked by hand against ../shared/data/ofsted-reports:
- Liverpool (341): "Inspection dates: 11 May to 22 May 2026", no overall effectiveness row;
  leaders good, help and protection good, children in care good, care leavers requires
  improvement (report of 7 July 2026). Its 2023 report (13-24 March 2023): overall
  inadequate.
- South Tyneside (393): "Inspection dates: 15 to 26 June 2026", no overall row; good, good,
  good, care leavers outstanding (4 August 2026). Its 2023 report: inadequate overall.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from etl import PROJECT_ROOT
from tests.conftest import frame_with, metric, page_charts, run_page, texts

pytestmark = pytest.mark.usefixtures("page_db")
TIMEOUT = 90
AFTER = "2026-11-30"  # after the reform and after the newest report (20 August 2026)
NAMED = {"341": "Liverpool", "393": "South Tyneside"}


def _chart(at, kind: str) -> tuple[dict, pd.DataFrame]:
    return next((fig, table) for fig, table in page_charts(at)
                if fig["layout"]["meta"].get("kind") == kind)


def _no_overall(at) -> pd.DataFrame:
    return frame_with(at, "Local authority", "Impact of leaders", "Help and protection",
                      "Children in care", "Care leavers", "Previous overall grade (superseded)")


# ---------------------------------------------------------------- National


def test_national_never_counts_a_post_reform_la_under_its_old_grade() -> None:
    at = run_page("national.py", TIMEOUT, as_at=AFTER)
    _, dist = _chart(at, "national")
    counts = dict(zip(dist["grade"], dist["n"].astype(int), strict=True))
    n_none = counts["no_overall_grade"]
    assert n_none >= 2
    judged, total = (int(x) for x in metric(at, "LAs with a published judgement").split(" of "))
    assert judged + n_none == total
    assert sum(n for g, n in counts.items() if g != "no_overall_grade") == judged
    assert metric(at, "No overall grade (since April 2026)") == str(n_none)
    # the named LAs: in the category, with their four other judgements one click away
    table = _no_overall(at).set_index("Local authority")
    assert {"Liverpool", "South Tyneside"} <= set(table.index)
    liverpool = table.loc["Liverpool"]
    assert (liverpool["Impact of leaders"], liverpool["Help and protection"],
            liverpool["Children in care"], liverpool["Care leavers"]) == (
        "Good", "Good", "Good", "Requires improvement")
    assert liverpool["Previous overall grade (superseded)"] == "Inadequate"
    assert str(liverpool["Inspection started"]) == "2026-05-11"
    assert table.loc["South Tyneside", "Care leavers"] == "Outstanding"
    # ... and counted under no grade: carrying forward moves exactly those LAs back
    carried = run_page("national.py", TIMEOUT, as_at=AFTER, superseded="carry_forward")
    _, dist2 = _chart(carried, "national")
    counts2 = dict(zip(dist2["grade"], dist2["n"].astype(int), strict=True))
    assert "no_overall_grade" not in counts2
    assert sum(counts2.values()) == total
    assert counts2["inadequate"] - counts["inadequate"] >= 2  # Liverpool, South Tyneside
    assert set(dist2["n_superseded"]) == {n_none}
    assert "counted under the previous overall grade, flagged as superseded" in \
        texts(carried.caption)
    assert carried.query_params["superseded"] == "carry_forward"


def test_national_as_at_12_january_2016_shows_adequate_on_its_own() -> None:
    """Every LA had a judgement from some framework (SLAC, CPI, LAC2013 or SIF); adequate, the
    pre-2013 scale's third grade, is a category of its own and counts as failing."""
    at = run_page("national.py", TIMEOUT, as_at="2016-01-12")
    assert metric(at, "LAs with a published judgement") == "152 of 152"
    _, dist = _chart(at, "national")
    counts = dict(zip(dist["grade"], dist["n"].astype(int), strict=True))
    assert counts["adequate"] > 0 and sum(counts.values()) == 152
    failing = counts["adequate"] + counts["requires_improvement"] + counts["inadequate"]
    assert metric(at, "Adequate, requires improvement or inadequate").startswith(f"{failing} (")
    fig, _ = _chart(at, "national")
    footer = next(a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "footer")
    assert "the requires improvement or inadequate share counts it" in \
        footer.replace("<br>", " ")
    # Ofsted's current wording folds it into requires improvement
    current = run_page("national.py", TIMEOUT, as_at="2016-01-12", wording="current")
    _, dist2 = _chart(current, "national")
    counts2 = dict(zip(dist2["grade"], dist2["n"].astype(int), strict=True))
    assert "adequate" not in counts2
    assert counts2["requires_improvement"] == counts["requires_improvement"] + counts["adequate"]


# ---------------------------------------------------------------- Failing and Neighbours


def test_failing_list_leaves_post_reform_las_out_unless_carried_forward() -> None:
    at = run_page("failing.py", TIMEOUT, as_at=AFTER)
    failing = frame_with(at, "Local authority", "Profile", "Grade")
    assert not set(NAMED.values()) & set(failing["Local authority"])
    assert {"Liverpool", "South Tyneside"} <= set(_no_overall(at)["Local authority"])
    carried = run_page("failing.py", TIMEOUT, as_at=AFTER, superseded="carry_forward")
    failing = frame_with(carried, "Local authority", "Grade", "Superseded") \
        .set_index("Local authority")
    for name in NAMED.values():
        assert failing.loc[name, "Grade"] == "Inadequate"
        assert failing.loc[name, "Superseded"] == "Superseded"


def test_neighbours_show_post_reform_las_in_their_own_category() -> None:
    at = run_page("neighbours.py", TIMEOUT, la="341", as_at=AFTER)
    _, nb = _chart(at, "neighbours")
    grade = dict(zip(nb["la_code"], nb["grade"], strict=True))
    assert grade["341"] == "no_overall_grade" and grade["393"] == "no_overall_grade"
    assert set(nb.loc[nb["la_code"].isin(list(NAMED)), "previous_grade"]) == {"inadequate"}
    table = frame_with(at, "Rank", "Local authority", "Overall effectiveness")
    liverpool = table[table["Local authority"] == "Liverpool"].iloc[0]
    assert liverpool["Overall effectiveness"] == "No overall grade (since April 2026; was Inadequate)"
    _, hexes = _chart(at, "hexmap")
    on_map = dict(zip(hexes["la_code"], hexes["grade"], strict=True))
    assert on_map["341"] == on_map["393"] == "no_overall_grade"
    # the four sub-judgement bases and the worst practice judgement are offered wherever
    # overall effectiveness is
    offered = next(s for s in at.selectbox if s.label == "Judgement").options
    assert {"Overall effectiveness", "Leadership / impact of leaders",
            "Children who need help and protection", "Children looked after / in care",
            "Care leavers", "Worst of the practice judgements"} <= set(offered)
    failing = run_page("failing.py", TIMEOUT, as_at=AFTER)
    bases = next(r for r in failing.radio if r.label == "Basis").options
    assert bases == ["Overall effectiveness", "Impact of leaders (leadership)",
                     "Help and protection", "Children in care (looked after)", "Care leavers",
                     "Any of the practice judgements (worst of them)"]


# ---------------------------------------------------------------- the exports


def _export(tmp_path: Path, *args: str) -> pd.DataFrame:
    out = tmp_path / "out.csv"
    proc = subprocess.run([sys.executable, "-m", "etl", "export", *args, "--format", "csv",
                           "--out", str(out)], capture_output=True, text=True, cwd=PROJECT_ROOT,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return pd.read_csv(out, dtype={"la_code": str})


def test_exports_never_count_a_post_reform_la_under_its_old_grade(tmp_path: Path) -> None:
    grades = _export(tmp_path, "hexmap", "--la", "Liverpool", "--as-at", AFTER)
    by_la = grades.set_index("la_code")
    for code in NAMED:
        assert by_la.loc[code, "grade"] == "no_overall_grade"
    carried = _export(tmp_path, "hexmap", "--la", "341", "--as-at", AFTER,
                      "--superseded", "carry_forward").set_index("la_code")
    for code in NAMED:
        assert carried.loc[code, "grade"] == "inadequate"
        assert bool(carried.loc[code, "is_superseded"])
    national = _export(tmp_path, "national", "--as-at", AFTER).set_index("grade")
    assert national.loc["no_overall_grade", "n"] == (by_la["grade"] == "no_overall_grade").sum()
    assert pd.isna(national.loc["no_overall_grade", "share"])


# ---------------------------------------------------------------- the data-end caveat


def _data_end() -> dt.date:
    from etl import DEFAULT_DB
    from etl.figures.chart import data_status
    from etl.warehouse.db import open_readonly

    con = open_readonly(DEFAULT_DB)
    try:
        return data_status(con)["data_end"]
    finally:
        con.close()


@pytest.mark.parametrize(("page", "params"), [
    ("national.py", {"as_at": "after"}),
    ("failing.py", {"as_at": "after"}),
    ("neighbours.py", {"as_at": "after"}),
    ("cycle.py", {"fw": "ILACS", "as_at": "after", "due_at": "after"}),
    ("la_profile.py", {}),  # its neighbours' grades are today's
    ("data_sources.py", {}),  # coverage today
])
def test_every_page_after_the_data_end_says_so(page: str, params: dict[str, str]) -> None:
    end = _data_end()
    after = min(end + dt.timedelta(days=60), dt.date.today())
    if after <= end:
        pytest.skip("today is not after the newest report: no date to test")
    at = run_page(page, TIMEOUT, **{k: after.isoformat() if v == "after" else v
                                    for k, v in params.items()})
    caveat = (f"The data end on {end.day} {end:%B %Y} (the newest report held): inspections "
              "published since are not counted.")
    assert caveat in texts(at.caption), page
    # and not for a date before it
    if params:
        before = run_page(page, TIMEOUT, **{k: "2025-03-31" if v == "after" else v
                                            for k, v in params.items()})
        assert "The data end on" not in texts(before.caption), page


def test_an_xlsx_about_sheet_says_how_the_shares_treat_the_two_categories() -> None:
    """A chart's XLSX (and paper pack) carries the figure's footnotes: the LAs with no overall
    grade outside the shares, and the data-end caveat for a date after the newest report."""
    from etl import DEFAULT_DB
    from etl.figures import national_distribution as national
    from etl.figures.export import about
    from etl.warehouse.db import open_readonly

    con = open_readonly(DEFAULT_DB)
    try:
        chart = national.render(con, national.Params(as_at=dt.date.fromisoformat(AFTER)))
        early = national.render(con, national.Params(as_at=dt.date(2016, 1, 12)))
    finally:
        con.close()
    notes = about(chart)["footnotes"]
    n_none = int(chart.data.set_index("grade").loc["no_overall_grade", "n"])
    assert f"No overall grade: {n_none} LAs whose latest inspection started on or after " \
        "20 April 2026" in notes
    assert notes.startswith(f"The data end on {_data_end().day} ")
    assert "the requires improvement or inadequate share counts it with requires " \
        "improvement" in about(early)["footnotes"]
