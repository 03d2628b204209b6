"""Ofsted's "Children's social care in England 2023" underlying data (ODS): the real release
and hand-made bad ones.

Counts checked against the sheets: 152 LAs in the history's main table (BCP, new Dorset, North
and West Northamptonshire have no SLAC or SIF rows) and 4 in the predecessor table; first SIF
152 = 148 + 4; 50 child protection inspections; 5 TLAC; LA level at 31 March 2023 25 / 65 /
48 / 14 (152 LAs); in-year 2022-23: 36 focused and 24 monitoring visits.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from etl.ingest.adapters.csc_statistics_ods import (
    HISTORY_HEADER,
    IN_YEAR_HEADER,
    KIND,
    LATEST_HEADER,
    PREDECESSOR_HEADER,
    parse_csc_statistics,
)
from etl.ingest.adapters.ods_tables import read_tables, sheet_names
from etl.ingest.records import SourceError

RELEASE = Path("official") / "Childrens_social_care_in_England_2023_underlying_data.ods"
D = dt.date


@pytest.fixture(scope="module")
def release(shared_data, resolver):
    return parse_csc_statistics(shared_data / RELEASE, resolver, shared_data)


def by(records, la_code: str, framework: str) -> list:
    return sorted((r for r in records if r.la_code == la_code and r.framework == framework),
                  key=lambda r: r.published_date or r.start_date)


# --- the real release ------------------------------------------------------------------------

def test_source_and_sheets(release, shared_data):
    src = release.source
    assert src.kind == KIND and src.as_at == D(2023, 3, 31)
    assert src.published_by == D(2023, 4, 30)  # Cover: "As at 31 March 2023, published by 30 April"
    assert "published 6 July 2023" in src.title and len(src.sha256) == 64
    names = sheet_names(shared_data / RELEASE)
    assert {"LA_inspections_2009-2023", "LA_level_at_31_Mar_2023",
            "LA_level_in_year_2022-23"} <= set(names)


def test_every_row_of_every_la_sheet_is_a_record_or_a_reject(release, shared_data):
    tables = read_tables(shared_data / RELEASE, {"LA_inspections_2009-2023",
                                                 "LA_level_at_31_Mar_2023",
                                                 "LA_level_in_year_2022-23"})
    history = tables["LA_inspections_2009-2023"]
    la_rows = [n for n in range(1, len(history.rows) + 1)
               if history.row(n)[:1] == ["Ofsted Local Authority Webpage"]]
    assert len(la_rows) == 152 + 4
    cited = {r.row_ref.split(" (")[0] for r in release.records} | \
        {r.row_ref.split(" (")[0] for r in release.rejects}
    for n in la_rows:
        assert f"sheet LA_inspections_2009-2023 row {n}" in cited
    for name in ("LA_level_in_year_2022-23",):
        t = tables[name]
        rows = [n for n in range(1, len(t.rows) + 1)
                if t.row(n)[:1] == ["Ofsted Local Authority Webpage"]]
        mentioned = " ".join(r.row_ref + " " + r.notes for r in release.records) + \
            " ".join(r.row_ref for r in release.rejects)
        assert all(f"sheet {name} row {n}" in mentioned for n in rows)


def test_frameworks_and_counts(release):
    kinds = Counter((r.framework, r.inspection_type) for r in release.records)
    assert kinds[("SLAC", "full")] == 152
    assert kinds[("SIF", "full")] == 152
    assert kinds[("CPI", "full")] == 50 and kinds[("CPI", "re-inspection")] == 1
    assert kinds[("LAC2013", "full")] == 5
    assert kinds[("ILACS", "focused_visit")] == 36 and kinds[("ILACS", "monitoring_visit")] == 24
    # SLAC re-inspections: 9 of safeguarding, 2 of looked-after children services, the 2 on the
    # same day as a safeguarding one (Cornwall, Warrington) merged into one inspection
    assert kinds[("SLAC", "re-inspection")] == 9
    assert all(r.published_date for r in release.records if r.inspection_type not in
               ("focused_visit", "monitoring_visit") and "not on the release's history" not in r.notes)


def test_pre_2013_grades_are_adequate_with_the_words_kept(release):
    pre = [j for r in release.records if r.framework in ("SLAC", "CPI", "LAC2013")
           for j in r.judgements]
    assert pre and not [j for j in pre if j.grade == "requires_improvement"]
    adequate = [j for j in pre if j.grade == "adequate"]
    assert adequate and {j.grade_text for j in adequate} == {"Requires improvement to be good"}
    # SIF and ILACS keep requires improvement; adequate never appears there
    later = [j for r in release.records if r.framework in ("SIF", "ILACS") for j in r.judgements]
    assert "adequate" not in {j.grade for j in later}
    # Kent: TLAC 2013 "Requires improvement to be good" in today's wording = adequate (the PDF)
    (kent,) = by(release.records, "886", "LAC2013")
    assert (kent.published_date, [(j.area, j.grade) for j in kent.judgements]) == (
        D(2013, 8, 23), [("overall_effectiveness", "adequate")])
    assert "today's wording" in kent.notes


def test_slac_strands_and_a_dash_is_not_judged(release):
    (barnet,) = by(release.records, "302", "SLAC")
    assert barnet.published_date == D(2012, 2, 24)
    assert {j.area: j.grade for j in barnet.judgements} == {"safeguarding": "good",
                                                            "children_looked_after": "good"}
    (scilly,) = by(release.records, "420", "SLAC")
    assert {j.area: (j.grade, j.grade_text) for j in scilly.judgements}[
        "children_looked_after"] == ("not_judged", "-")
    cornwall = by(release.records, "908", "SLAC")
    reinspection = [r for r in cornwall if r.inspection_type == "re-inspection"]
    assert len(reinspection) == 1 and {j.area for j in reinspection[0].judgements} == {
        "safeguarding", "children_looked_after"}


def test_first_sif_has_every_sub_judgement_and_the_lscb(release):
    (notts,) = by(release.records, "891", "SIF")
    assert notts.published_date == D(2015, 7, 20)
    assert {j.area: j.grade for j in notts.judgements}["overall_effectiveness"] == "good"
    assert {j.area for j in notts.judgements} == {
        "overall_effectiveness", "help_and_protection", "children_looked_after", "adoption",
        "care_leavers", "leadership", "lscb"}


def test_predecessor_table_resolves_to_the_abolished_las(release):
    for code, published in (("837", D(2014, 6, 30)), ("835", D(2016, 5, 23)),
                            ("836", D(2017, 11, 24)), ("928", D(2016, 4, 27))):
        sif = by(release.records, code, "SIF")
        assert [r.published_date for r in sif] == [published], code
        # rows 162-165: the second table, below its caption and header on rows 160-161
        assert int(sif[0].row_ref.split(" row ")[1].split(" ")[0]) > 161, code
    # today's Dorset (838) has no SIF: the old county's is the predecessor table's
    assert by(release.records, "838", "SIF") == []


def test_latest_sheet_dates_the_history_and_gives_the_published_figure(release):
    (tyneside,) = [r for r in by(release.records, "393", "ILACS")
                   if r.inspection_type in ("standard", "short")]
    assert (tyneside.inspection_type, tyneside.start_date, tyneside.published_date) == (
        "short", D(2022, 12, 5), D(2023, 5, 10))
    figures = {f["figure_id"]: f for f in release.facts["release_figures"]}
    overall = {f["grade"]: f["value"] for f in figures.values()
               if f["area"] == "overall_effectiveness"}
    assert overall == {"outstanding": 25, "good": 65, "requires_improvement": 48,
                       "inadequate": 14}
    dep = figures["csc2023_overall_effectiveness_inadequate"]
    assert dep["departure_la_codes"] == "393"
    assert "South Tyneside" in dep["departure"] and "note 4" in dep["departure"]
    assert "10 May 2023" in dep["departure"]


def test_the_only_reject_is_a_real_disagreement_inside_the_release(release):
    # Cumbria's September 2022 inspection: the in-year sheet says it started on the 21st, the
    # latest-judgement sheet on the 20th. Shown, not resolved.
    assert [(r.row_ref, r.reason) for r in release.rejects] == [
        ("sheet LA_level_in_year_2022-23 row 21",
         "same inspection as sheet LA_inspections_2009-2023 row 35 (first ilacs) but inspection "
         "date 2022-09-21 vs 2022-09-20")]


def test_national_time_series_holds_no_la_outcomes(shared_data):
    # "Latest_OE_31_Mar_Time_Series" is about providers (Tables 8a-8n; Meta-data: "Local
    # authorities: No"), so the release publishes no national LA series to reconcile against.
    # If a later release adds one, this test says it is time to read it.
    sheet = read_tables(shared_data / RELEASE, {"Latest_OE_31_Mar_Time_Series"})[
        "Latest_OE_31_Mar_Time_Series"]
    titles = [str(r[0]) for r in sheet.rows if r and str(r[0]).startswith("Table ")]
    assert len(titles) == 14
    assert not [t for t in titles if "local authorit" in t.lower()]


# --- hand-made bad releases ------------------------------------------------------------------

COVER = [["Cover sheet - Official statistics"], ["Section", "Detail"],
         ["Policy area:", "Children's social care data in England 2023"],
         ["Published on:", dt.datetime(2023, 7, 6)],
         ["Period covered - Inspection outcomes for local authority children's services "
          "inspections:", "As at 31 March 2023, published by 30 April 2023"]]
GUIDANCE = [["Guidance"], ["In the as at 31 March data, we have used the current inspection "
                           "framework's sub judgement wording rather than the wording at the "
                           "time of inspection."]]
NOTES = [["Notes"], ["Note Number", "Note Text"], ["1", "A note."]]


def _title(header: list[str], n: int) -> list[list]:
    return [["title"]] + [["caption"]] * (n - 2) + [header]


def _history_row(name: str = "Nottinghamshire", slac: str = "Good") -> list:
    row: list = [None] * len(HISTORY_HEADER)
    row[0:4] = ["Ofsted Local Authority Webpage", name, "East Midlands", "Shire County"]
    row[HISTORY_HEADER.index(
        "safeguarding & looked after children (slac) inspection publication date")] = \
        dt.datetime(2011, 10, 17)
    row[HISTORY_HEADER.index("slac safeguarding overall effectiveness (oe)")] = slac
    row[HISTORY_HEADER.index("slac looked after children overall effectiveness (oe)")] = \
        "Requires improvement to be good"
    return row


def _sheets(history_rows=None, history_header=None, names=None) -> dict[str, list[list]]:
    title_case = [h.title() for h in HISTORY_HEADER]
    sheets = {
        "Cover": COVER, "Guidance": GUIDANCE, "Notes": NOTES,
        "LA_level_at_31_Mar_2023": _title([h.capitalize() for h in LATEST_HEADER], 4),
        "LA_level_in_year_2022-23": _title([h.capitalize() for h in IN_YEAR_HEADER], 3),
        "LA_inspections_2009-2023": _title(history_header or title_case, 5)
        + (history_rows if history_rows is not None else [_history_row()]),
    }
    for old, new in (names or {}).items():
        sheets[new] = sheets.pop(old)
    return sheets


def _write_ods(path: Path, sheets: dict[str, list[list]]) -> Path:
    with pd.ExcelWriter(path, engine="odf") as writer:
        for name, rows in sheets.items():
            width = max(len(r) for r in rows)
            padded = [list(r) + [None] * (width - len(r)) for r in rows]
            pd.DataFrame(padded).to_excel(writer, sheet_name=name, header=False, index=False)
    return path


def test_hand_made_release_parses(tmp_path, shared_data, resolver):
    path = _write_ods(tmp_path / "ok.ods", _sheets())
    result = parse_csc_statistics(path, resolver, shared_data)
    assert result.rejects == []
    (rec,) = result.records
    assert (rec.la_code, rec.framework, rec.published_date, rec.row_ref) == (
        "891", "SLAC", D(2011, 10, 17), "sheet LA_inspections_2009-2023 row 6 (SLAC)")
    assert {j.area: j.grade for j in rec.judgements} == {"safeguarding": "good",
                                                         "children_looked_after": "adequate"}


def test_renamed_sheet_raises_naming_file_and_sheets(tmp_path, shared_data, resolver):
    path = _write_ods(tmp_path / "renamed.ods",
                      _sheets(names={"LA_inspections_2009-2023": "LA_history"}))
    with pytest.raises(SourceError) as err:
        parse_csc_statistics(path, resolver, shared_data)
    assert err.value.file == str(path)
    assert "no sheet named like" in err.value.reason and "the history table" in err.value.reason
    assert "LA_history" in err.value.reason


def test_moved_header_raises_naming_sheet_row_and_column(tmp_path, shared_data, resolver):
    header = [h.title() for h in HISTORY_HEADER]
    header[5], header[6] = header[6], header[5]  # two columns swapped
    path = _write_ods(tmp_path / "moved.ods", _sheets(history_header=header))
    with pytest.raises(SourceError) as err:
        parse_csc_statistics(path, resolver, shared_data)
    assert err.value.file == str(path)
    assert err.value.reason.startswith("sheet LA_inspections_2009-2023 row 5: not the expected "
                                       "header; column 6: expected 'slac safeguarding")


def test_header_on_another_row_raises_and_says_where(tmp_path, shared_data, resolver):
    sheets = _sheets()
    sheets["LA_level_at_31_Mar_2023"] = _title([h.capitalize() for h in LATEST_HEADER], 3)
    path = _write_ods(tmp_path / "shifted.ods", sheets)
    with pytest.raises(SourceError, match=r"sheet LA_level_at_31_Mar_2023 row 4: not the "
                                          r"expected header \(it is on row 3\)"):
        parse_csc_statistics(path, resolver, shared_data)


def test_unknown_grade_word_is_a_reject_naming_sheet_row_and_column(tmp_path, shared_data,
                                                                   resolver):
    rows = [_history_row(slac="Superb"), _history_row("Kent")]
    path = _write_ods(tmp_path / "grade.ods", _sheets(history_rows=rows))
    result = parse_csc_statistics(path, resolver, shared_data)
    assert [r.la_code for r in result.records] == ["886"]  # the good row still comes through
    (reject,) = result.rejects
    assert reject.file == str(path)
    assert reject.row_ref == "sheet LA_inspections_2009-2023 row 6 (SLAC)"
    assert "slac safeguarding overall effectiveness (oe)" in reject.reason
    assert "'Superb'" in reject.reason and "Nottinghamshire" in reject.raw


def test_unknown_la_is_a_reject_naming_the_row(tmp_path, shared_data, resolver):
    path = _write_ods(tmp_path / "la.ods", _sheets(history_rows=[_history_row("Gotham")]))
    result = parse_csc_statistics(path, resolver, shared_data)
    assert result.records == []
    (reject,) = result.rejects
    assert reject.row_ref == "sheet LA_inspections_2009-2023 row 6"
    assert "unknown local authority 'Gotham'" in reject.reason


def test_pre_2013_requires_improvement_without_the_wording_note_is_refused(tmp_path, shared_data,
                                                                          resolver):
    sheets = _sheets()
    sheets["Guidance"] = [["Guidance"], ["Nothing about wording."]]
    path = _write_ods(tmp_path / "wording.ods", sheets)
    result = parse_csc_statistics(path, resolver, shared_data)
    assert result.records == []
    (reject,) = result.rejects
    assert "does not say it uses current wording" in reject.reason


def test_predecessor_header_must_be_the_known_one(tmp_path, shared_data, resolver):
    bad = [h.title() for h in PREDECESSOR_HEADER][:-1]  # a column missing
    rows = [_history_row(), [], ["Table 11: ... before the restructure"], bad]
    path = _write_ods(tmp_path / "pred.ods", _sheets(history_rows=rows))
    with pytest.raises(SourceError, match=r"sheet LA_inspections_2009-2023 row 9: not the "
                                          r"expected header"):
        parse_csc_statistics(path, resolver, shared_data)


def test_empty_and_broken_files_raise(tmp_path, shared_data, resolver):
    empty = tmp_path / "empty.ods"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match="empty file"):
        parse_csc_statistics(empty, resolver, shared_data)
    junk = tmp_path / "junk.ods"
    junk.write_bytes(b"not a zip")
    with pytest.raises(SourceError, match="not a readable ODS spreadsheet"):
        parse_csc_statistics(junk, resolver, shared_data)
