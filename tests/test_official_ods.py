"""The Ofsted official statistics ODS adapter, on both real releases and hand-made sheets.

Counts were checked by hand against the sheets (pandas value counts of each column):
2025 history 171 standard + 100 short; in-year 36 focused visits, 24 monitoring visits;
latest overall 36/67/31/19 (the release's own summary). 2024 history first ILACS 107
standard + 47 short, second 43 + 22; in-year 37 focused, 28 monitoring visits; latest
overall 30/61/43/17 with Cumberland and Westmorland and Furness "Not yet inspected".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from etl.ingest.adapters.official_ods import (
    KIND,
    LATEST_NOTE,
    PARSER_VERSION,
    is_release_latest,
    parse_official_ods,
)
from etl.ingest.records import SourceError

FILE_2025 = Path("official") / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
FILE_2024 = Path("official") / "LA_Inspection_Outcomes_as_at_March_2024.ods"


@pytest.fixture(scope="module")
def release_2025(shared_data, resolver):
    return parse_official_ods(shared_data / FILE_2025, resolver, shared_data)


@pytest.fixture(scope="module")
def release_2024(shared_data, resolver):
    return parse_official_ods(shared_data / FILE_2024, resolver, shared_data)


def _overall(record) -> str:
    return next(j.grade for j in record.judgements if j.area == "overall_effectiveness")


def _areas(record) -> dict[str, str]:
    return {j.area: j.grade for j in record.judgements}


# --- the real releases -------------------------------------------------------------------


def test_2025_source_metadata(release_2025):
    src = release_2025.source
    assert src.source_id == "official:LA_Inspection_Outcomes_as_at_31_March_2025"
    assert src.kind == KIND and src.parser == "etl.ingest.adapters.official_ods"
    assert src.parser_version == PARSER_VERSION
    assert src.as_at == dt.date(2025, 3, 31)
    assert src.published_by == dt.date(2025, 6, 30)  # Cover: "report published by 30 June 2025"
    assert src.path == FILE_2025.as_posix()
    assert src.title.startswith("Local authority inspection outcomes as at 31 March 2025")
    assert src.url.startswith("https://www.gov.uk/government/collections/childrens-social-care")
    assert len(src.sha256) == 64


def test_2025_counts(release_2025):
    assert release_2025.rejects == []
    types = Counter(r.inspection_type for r in release_2025.records)
    assert types == {"standard": 171, "short": 100, "focused_visit": 36, "monitoring_visit": 24}
    assert {r.framework for r in release_2025.records} == {"ILACS"}
    # 2025 gives both dates on every row
    assert all(r.start_date and r.published_date for r in release_2025.records)


def test_2025_latest_reproduces_release_summary(release_2025):
    latest = [r for r in release_2025.records if is_release_latest(r)]
    assert len(latest) == 153
    assert len({r.la_code for r in latest}) == 153
    assert Counter(_overall(r) for r in latest) == {
        "outstanding": 36, "good": 67, "requires_improvement": 31, "inadequate": 19,
    }
    assert all(r.published_date <= release_2025.source.published_by for r in latest)
    assert all(r.start_date <= release_2025.source.as_at for r in latest)


def test_2025_nottinghamshire(release_2025):
    notts = sorted((r for r in release_2025.records if r.la_code == "891"
                    and r.inspection_type in ("short", "standard")), key=lambda r: r.start_date)
    assert [(r.inspection_type, r.start_date, r.published_date) for r in notts] == [
        ("standard", dt.date(2019, 10, 7), dt.date(2019, 12, 19)),
        ("short", dt.date(2024, 5, 20), dt.date(2024, 7, 12)),
    ]
    # seed 001: leaders good, help and protection RI, children in care and care leavers good
    assert _areas(notts[0]) == {
        "overall_effectiveness": "good", "leadership": "good",
        "help_and_protection": "requires_improvement",
        "children_in_care_and_care_leavers": "good",
    }
    assert _areas(notts[1]) == {
        "overall_effectiveness": "good", "leadership": "outstanding",
        "help_and_protection": "good", "children_looked_after": "good", "care_leavers": "good",
    }
    # the 2024 inspection is on all three sheets but emitted once, from the history
    assert notts[1].row_ref == "sheet ILACS_inspection_history row 174"
    assert "In-year_inspections row 71" in notts[1].notes
    assert "Inspections_as_at_31_March row 96" in notts[1].notes
    assert LATEST_NOTE in notts[1].notes and LATEST_NOTE not in notts[0].notes


def test_2025_visits_carry_theme_and_no_judgements(release_2025):
    bradford = [r for r in release_2025.records
                if r.la_code == "380" and r.inspection_type == "monitoring_visit"]
    assert sorted((r.start_date, r.notes) for r in bradford) == [
        (dt.date(2024, 5, 22), "theme: Achieving permanence"),
        (dt.date(2025, 2, 11), "theme: Children in care"),
    ]
    visits = [r for r in release_2025.records if r.inspection_type.endswith("visit")]
    assert visits and all(r.judgements == [] and r.notes.startswith("theme: ") for r in visits)


def test_2025_abolished_las_and_superseded_ons_codes(release_2025):
    by_code = Counter(r.la_code for r in release_2025.records
                      if r.inspection_type in ("short", "standard"))
    # Bournemouth, Northamptonshire, Cumbria: "No longer exists"
    assert by_code["837"] == by_code["928"] == by_code["909"] == 1
    # Barnsley (E08000016) and Sheffield (E08000019) use ONS codes the lookup lacks
    assert by_code["370"] == 2 and by_code["373"] == 2


def test_2024_source_and_counts(release_2024):
    src = release_2024.source
    assert src.as_at == dt.date(2024, 3, 31) and src.published_by == dt.date(2024, 6, 30)
    assert release_2024.rejects == []
    types = Counter(r.inspection_type for r in release_2024.records)
    assert types == {"standard": 150, "short": 69, "focused_visit": 37, "monitoring_visit": 28}


def test_2024_latest_distribution(release_2024):
    latest = [r for r in release_2024.records if is_release_latest(r)]
    # 153 LAs, two of them (Cumberland, Westmorland and Furness) "Not yet inspected"
    assert len(latest) == 151
    assert Counter(_overall(r) for r in latest) == {
        "outstanding": 30, "good": 61, "requires_improvement": 43, "inadequate": 17,
    }
    assert not {"942", "943"} & {r.la_code for r in release_2024.records}


def test_2024_wide_history_merged_with_latest_dates(release_2024):
    notts = [r for r in release_2024.records if r.la_code == "891"]
    assert len(notts) == 1
    (r,) = notts
    # publication date from the history, inspection date from the latest-judgement sheet
    assert (r.inspection_type, r.start_date, r.published_date) == (
        "standard", dt.date(2019, 10, 7), dt.date(2019, 12, 19))
    assert r.row_ref == "sheet ILACS_inspections_2018-2024 row 97 group 1"
    assert "Inspections_31_March_2024 row 96" in r.notes
    assert _areas(r)["children_in_care_and_care_leavers"] == "good"
    # Barking and Dagenham's superseded 2019 inspection: the release gives no inspection date
    barking = sorted((x for x in release_2024.records if x.la_code == "301"
                      and x.inspection_type == "standard"), key=lambda x: x.published_date)
    assert [(x.start_date, x.published_date) for x in barking] == [
        (None, dt.date(2019, 4, 1)), (dt.date(2023, 7, 10), dt.date(2023, 9, 4))]
    assert "inspection date not given" in barking[0].notes


def test_2024_abolished_table_and_staffordshire_error(release_2024):
    northants = [r for r in release_2024.records if r.la_code == "928"]
    assert [(r.published_date, _overall(r)) for r in northants] == [
        (dt.date(2019, 7, 29), "inadequate")]
    assert northants[0].row_ref == "sheet ILACS_inspections_2018-2024 row 161"
    # the 2024 release printed Staffordshire's 2023 care-leaver grade as Good (corrected in 2025)
    staffs = next(r for r in release_2024.records
                  if r.la_code == "860" and r.start_date == dt.date(2023, 11, 6))
    assert _areas(staffs)["care_leavers"] == "good"


# --- hand-made files ---------------------------------------------------------------------

COVER = [
    ["Local authority inspection outcomes as at 31 March 2025", None],
    ["Section", "Detail"],
    ["Period covered:",
     "Inspections as at 31 March 2025, with a report published by 30 June 2025"],
]
LATEST_2025_HEADER = [
    "Web link", "Local authority area code", "Local authority name", "Ofsted region",
    "Inspection date", "Publication date", "Overall effectiveness",
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
]


def _latest_sheet(*rows: list) -> list[list]:
    return [["Local authority inspection judgements as at 31 March 2025"],
            ["This worksheet contains one table."], LATEST_2025_HEADER, *rows]


def _notts(overall: str = "Good", inspected: object = None) -> list:
    return ["Ofsted Local Authority Webpage", "E10000024", "Nottinghamshire", "East Midlands",
            inspected or dt.datetime(2024, 5, 20), dt.datetime(2024, 7, 12), overall,
            "Outstanding", "Good", "Good", "Good"]


def _write_ods(path: Path, sheets: dict[str, list[list]]) -> Path:
    with pd.ExcelWriter(path, engine="odf") as writer:
        for name, rows in sheets.items():
            width = max(len(r) for r in rows)
            padded = [list(r) + [None] * (width - len(r)) for r in rows]
            pd.DataFrame(padded).to_excel(writer, sheet_name=name, header=False, index=False)
    return path


def test_hand_made_latest_sheet_parses(tmp_path, shared_data, resolver):
    path = _write_ods(tmp_path / "ok.ods", {"Cover": COVER, "Latest": _latest_sheet(_notts())})
    result = parse_official_ods(path, resolver, shared_data)
    assert result.rejects == []
    (r,) = result.records
    assert (r.la_code, r.start_date, r.published_date, r.row_ref) == (
        "891", dt.date(2024, 5, 20), dt.date(2024, 7, 12), "sheet Latest row 4")
    # no history row and no type: recorded as standard and said so
    assert r.inspection_type == "standard" and "inspection type not given" in r.notes


def test_unknown_grade_word_is_rejected(tmp_path, shared_data, resolver):
    path = _write_ods(tmp_path / "grade.ods", {
        "Cover": COVER,
        "Latest": _latest_sheet(_notts(overall="Superb"),
                                _notts(inspected=dt.datetime(2023, 6, 5))),
    })
    result = parse_official_ods(path, resolver, shared_data)
    assert len(result.records) == 1  # the good row still comes through
    (reject,) = result.rejects
    assert reject.file == str(path) and reject.row_ref == "sheet Latest row 4"
    assert "overall judgement" in reject.reason and "'Superb'" in reject.reason
    assert "Nottinghamshire" in reject.raw


def test_unknown_la_and_bad_date_are_rejected(tmp_path, shared_data, resolver):
    unknown = _notts()
    unknown[1:3] = ["", "Gotham"]
    path = _write_ods(tmp_path / "rows.ods", {
        "Cover": COVER, "Latest": _latest_sheet(unknown, _notts(inspected="31/02/2024")),
    })
    reasons = {r.row_ref: r.reason for r in parse_official_ods(path, resolver, shared_data).rejects}
    assert "unknown local authority 'Gotham'" in reasons["sheet Latest row 4"]
    assert reasons["sheet Latest row 5"] == "unreadable inspection date '31/02/2024'"


def test_care_leavers_grade_before_2023_is_rejected(tmp_path, shared_data, resolver):
    # the separate care-leavers judgement exists only for inspections from January 2023
    path = _write_ods(tmp_path / "split.ods", {
        "Cover": COVER, "Latest": _latest_sheet(_notts(inspected=dt.datetime(2019, 10, 7))),
    })
    result = parse_official_ods(path, resolver, shared_data)
    assert result.records == []
    (reject,) = result.rejects
    assert reject.reason.startswith("care leavers judgement on an inspection of 2019-10-07")


def test_conflicting_duplicate_is_rejected_not_merged(tmp_path, shared_data, resolver):
    history_header = [
        "Web link", "Local authority area code", "Local authority name", "Local authority status",
        "Ofsted region", "Inspection date", "Publication date", "Inspection type",
        *LATEST_2025_HEADER[6:],
    ]
    history_row = ["Ofsted Local Authority Webpage", "E10000024", "Nottinghamshire", "Current",
                   "East Midlands", dt.datetime(2024, 5, 20), dt.datetime(2024, 7, 12),
                   "ILACS Short Inspection", "Good", "Outstanding", "Good", "Good", "Good"]
    path = _write_ods(tmp_path / "dup.ods", {
        "Cover": COVER,
        "Latest": _latest_sheet(_notts(overall="Inadequate")),
        "History": [["ILACS inspection history"], ["One table."], history_header, history_row],
    })
    result = parse_official_ods(path, resolver, shared_data)
    assert [r.row_ref for r in result.records] == ["sheet History row 4"]
    (reject,) = result.rejects
    assert reject.row_ref == "sheet Latest row 4"
    assert reject.reason.startswith("same inspection as sheet History row 4 but overall")


def test_wrong_layout_raises_naming_file_sheet_and_row(tmp_path, shared_data, resolver):
    header = list(LATEST_2025_HEADER)
    header[4] = "Date of inspection"
    sheet = [["Local authority inspection judgements as at 31 March 2025"], ["note"], header,
             _notts()]
    path = _write_ods(tmp_path / "layout.ods", {"Cover": COVER, "Inspections": sheet})
    with pytest.raises(SourceError) as err:
        parse_official_ods(path, resolver, shared_data)
    assert err.value.file == str(path)
    assert err.value.reason.startswith("sheet Inspections: expected header ")
    assert "on row 3 (latest_2025)" in err.value.reason
    assert "'date of inspection'" in err.value.reason


def test_header_on_wrong_row_raises(tmp_path, shared_data, resolver):
    sheet = [["title"], LATEST_2025_HEADER, _notts()]  # header moved up to row 2
    path = _write_ods(tmp_path / "shifted.ods", {"Cover": COVER, "Inspections": sheet})
    with pytest.raises(SourceError, match=r"sheet Inspections: expected header .* on row 3"):
        parse_official_ods(path, resolver, shared_data)


def test_empty_file_raises(tmp_path, shared_data, resolver):
    path = tmp_path / "empty.ods"
    path.write_bytes(b"")
    with pytest.raises(SourceError) as err:
        parse_official_ods(path, resolver, shared_data)
    assert err.value.file == str(path) and err.value.reason == "empty file"


def test_not_a_spreadsheet_raises(tmp_path, shared_data, resolver):
    path = tmp_path / "junk.ods"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(SourceError, match="not a readable ODS spreadsheet"):
        parse_official_ods(path, resolver, shared_data)


def test_no_tables_or_no_as_at_raises(tmp_path, shared_data, resolver):
    only_cover = _write_ods(tmp_path / "cover.ods", {"Cover": COVER})
    with pytest.raises(SourceError, match="no inspection tables"):
        parse_official_ods(only_cover, resolver, shared_data)
    no_date = _write_ods(tmp_path / "nodate.ods", {
        "Cover": [["Inspection outcomes"]],
        "Latest": [["Judgements"], ["note"], LATEST_2025_HEADER, _notts()],
    })
    with pytest.raises(SourceError, match="no 'as at' date"):
        parse_official_ods(no_date, resolver, shared_data)
