"""Ingest pieces of the 2009-2026 history: which kind reads which official release, the grade
scale guard, statistical-neighbour vintages (real files and bad ones), the fast ODS reader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from etl.ingest.adapters import csc_statistics_ods, official_ods
from etl.ingest.adapters.ods_tables import OdsError, read_tables, sheet_names
from etl.ingest.collect import enforce_scales
from etl.ingest.la_lookup import (
    NEIGHBOURS_DIR,
    NeighbourFileError,
    load_local_authorities,
    read_neighbour_file,
)
from etl.ingest.records import InspectionRecord, Judgement, Source, SourceResult
from etl.ingest.registry import IngestContext, source_kind
from etl.vocab import UnknownGrade, grade_on_scale, normalise_grade, scale_of


def test_each_official_release_has_one_kind(shared_data, resolver):
    ctx = IngestContext(shared_data=shared_data, seeds_dir=shared_data, resolver=resolver)
    as_at = {p.name for p in source_kind(official_ods.KIND).inputs(ctx)}
    csc = {p.name for p in source_kind(csc_statistics_ods.KIND).inputs(ctx)}
    everything = {p.name for p in (shared_data / "official").glob("*.ods")}
    assert as_at and csc and not as_at & csc and as_at | csc == everything
    assert all(n.startswith("LA_Inspection_Outcomes_") for n in as_at)
    assert "Childrens_social_care_in_England_2023_underlying_data.ods" in csc


def test_adequate_is_a_grade_only_on_the_pre_2013_scale():
    assert normalise_grade("Adequate").grade == "adequate"
    assert scale_of("SLAC") == scale_of("CPI") == scale_of("LAC2013") == "pre_2013"
    assert scale_of("SIF") == scale_of("ILACS") == "four_point"
    grade_on_scale("adequate", "LAC2013")
    grade_on_scale("not_judged", "SIF")
    with pytest.raises(UnknownGrade, match="'adequate' is not on the ILACS grade scale"):
        grade_on_scale("adequate", "ILACS")
    with pytest.raises(UnknownGrade, match="not on the SLAC grade scale"):
        grade_on_scale("requires_improvement", "SLAC")


def test_a_grade_off_its_scale_is_quarantined_not_mapped():
    source = Source(source_id="s", kind="k", title="t", path="some/file.csv")
    rec = InspectionRecord(source_id="s", row_ref="row 7", la_code="891", la_name_raw="Notts",
                           framework="ILACS", inspection_type="standard",
                           judgements=[Judgement("overall_effectiveness", "adequate", "Adequate"),
                                       Judgement("leadership", "good", "Good")])
    res = SourceResult(source=source, records=[rec])
    enforce_scales(res)
    assert [j.area for j in rec.judgements] == ["leadership"]
    (reject,) = res.rejects
    assert (reject.file, reject.row_ref, reject.raw) == (
        "some/file.csv", "row 7 judgement overall_effectiveness", "Adequate")
    assert "not on the ILACS grade scale" in reject.reason


def test_neighbour_vintages_from_the_real_files(shared_data):
    las = load_local_authorities(shared_data)
    by_vintage: dict[str, dict[str, list[str]]] = {}
    for n in las.neighbours:
        by_vintage.setdefault(n["vintage"], {}).setdefault(n["la_code"], []).append(
            n["neighbour_la_code"])
    assert {"current", "previous", "2021", "2025"} <= set(by_vintage)
    for vintage in ("2021", "2025"):
        assert all(len(v) == 10 for v in by_vintage[vintage].values())
        assert all(n["closeness"] for n in las.neighbours if n["vintage"] == vintage)
    # the 2021 file also holds the LAs abolished in 2019 and 2021 ("Old SNs")
    assert {"835", "836", "837", "928"} <= set(by_vintage["2021"])
    same = {v["vintage"]: v["same_as"] for v in las.vintages}
    assert same["current"] == "2025" and same["previous"] == "2021"
    assert by_vintage["current"]["855"] == by_vintage["2025"]["855"]
    assert set(by_vintage["previous"]["855"]) == set(by_vintage["2021"]["855"])


def _neighbour_csv(path: Path, rows: list[list[str]]) -> Path:
    header = ["LA num", "LA Name", *[c for i in range(1, 11) for c in (f"SN{i}", "SNP")]]
    pd.DataFrame(rows, columns=header).to_csv(path, index=False)
    return path


def _row(code: str, neighbour: str = "892", band: str = "Very Close") -> list[str]:
    return [code, "x", *[c for _ in range(10) for c in (neighbour, band)]]


def test_bad_neighbour_files_name_the_file_and_row(tmp_path):
    known = {"891", "892"}
    good = read_neighbour_file(_neighbour_csv(tmp_path / "ok.csv", [_row("891")]), "v", "LA num",
                               "SN", known)
    assert len(good) == 10 and good[0]["closeness"] == "Very close"
    with pytest.raises(NeighbourFileError, match=r"unknown\.csv: row 3: unknown LA code '999'"):
        read_neighbour_file(_neighbour_csv(tmp_path / "unknown.csv", [_row("891"), _row("999")]),
                            "v", "LA num", "SN", known)
    with pytest.raises(NeighbourFileError, match=r"band\.csv: row 2: neighbour 1 of 891: "
                                                 r"unknown closeness band 'Near'"):
        read_neighbour_file(_neighbour_csv(tmp_path / "band.csv", [_row("891", band="Near")]),
                            "v", "LA num", "SN", known)
    with pytest.raises(NeighbourFileError, match=r"row 1: no 'old_la_code' column"):
        read_neighbour_file(_neighbour_csv(tmp_path / "col.csv", [_row("891")]), "v",
                            "old_la_code", "SN_", known)
    with pytest.raises(NeighbourFileError, match="missing"):
        read_neighbour_file(tmp_path / NEIGHBOURS_DIR / "nope.csv", "v", "LA num", "SN", known)


def test_ods_reader_keeps_spreadsheet_row_numbers_and_types(tmp_path):
    path = tmp_path / "t.ods"
    with pd.ExcelWriter(path, engine="odf") as w:
        pd.DataFrame([["a", None, 3], [None, None, None],
                      ["x", pd.Timestamp("2020-01-02"), "two  spaces"]]).to_excel(
            w, sheet_name="S & T", header=False, index=False)
        pd.DataFrame([["other"]]).to_excel(w, sheet_name="U", header=False, index=False)
    assert sheet_names(path) == ["S & T", "U"]
    table = read_tables(path, {"S & T"})["S & T"]
    assert table.row(1) == ["a", None, 3.0] and table.row(2) == []
    assert table.row(3) == ["x", dt.date(2020, 1, 2), "two  spaces"]
    assert table.row(99) == []
    junk = tmp_path / "junk.ods"
    junk.write_bytes(b"not a zip")
    with pytest.raises(OdsError, match="not a readable ODS spreadsheet"):
        read_tables(junk, {"S"})
