"""The scraper's history CSV and summary workbook adapters, on the real files and bad inputs.

Counts below were checked by hand against the files (csv module / openpyxl listings).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from etl.ingest.adapters import scraper_csv, scraper_xlsx
from etl.ingest.adapters.scraper_csv import parse_scraper_csv, pdf_key, record_pdf_key
from etl.ingest.adapters.scraper_xlsx import parse_scraper_xlsx
from etl.ingest.records import SourceError
from etl.local_authorities import LA_COLUMNS, LaResolver, LocalAuthorities


def tiny_resolver() -> LaResolver:
    """A resolver over three LAs, so bad-input tests do not need ../shared."""
    rows = []
    for code, name, urn in (("370", "Barnsley", "80426"), ("891", "Nottinghamshire", "80534"),
                            ("886", "Kent", "80476")):
        row = {c: "" for c in LA_COLUMNS}
        row.update(la_code=code, name=name, ofsted_urn=urn)
        rows.append(row)
    return LaResolver(LocalAuthorities(rows=rows, neighbours=[]))


GOOD_ROW = {
    "urn": "80426", "local_authority": "barnsley",
    "inspection_link": "https://files.ofsted.gov.uk/v1/file/1",
    "pdf_filename": "children's services inspection - 27 october 2023.pdf",
    "publication_date": "27/10/23", "inspection_framework": "short", "inspector_name": "x",
    "inspection_start_date": "11/09/2023", "inspection_end_date": "15/09/2023",
    "overall_effectiveness_grade": "good", "impact_of_leaders_grade": "good",
    "help_and_protection_grade": "requires improvement", "in_care_grade": "good",
    "care_leavers_grade": "good", "parser_version": "1",
}


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or list(GOOD_ROW)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


# --- real history CSV -------------------------------------------------------------------

@pytest.fixture(scope="module")
def history(shared_data, resolver):
    return parse_scraper_csv(shared_data / scraper_csv.RELPATH, resolver, shared_data)


def test_history_every_row_is_a_record_or_a_reject(history):
    # 497 data rows; 8 published before the SIF (2012/2013), 3 ILACS-era rows with no
    # framework label or dates (rows 48, 328, 354), 2 'to requires improvement' (329, 415).
    assert len(history.records) + len(history.rejects) == 497
    assert len(history.rejects) == 13
    reasons = {r.row_ref: r.reason for r in history.rejects}
    assert sum("before the SIF began" in r for r in reasons.values()) == 8
    assert "'to requires improvement'" in reasons["row 415"]
    assert "'to requires improvement'" in reasons["row 329"]
    assert "standard vs short" in reasons["row 48"]
    assert "before the January 2023 split" in reasons["row 328"]
    assert all(r.file == "ilacs-history/ofsted_csc_ilacs_history.csv" for r in history.rejects)


def test_history_source(history):
    s = history.source
    assert (s.source_id, s.kind, s.parser) == (
        "scraper:ilacs-history", "scraper_csv", "etl.ingest.adapters.scraper_csv")
    assert s.path == "ilacs-history/ofsted_csc_ilacs_history.csv"
    assert len(s.sha256) == 64


def test_history_nottinghamshire(history):
    notts = {r.published_date: r for r in history.records if r.la_code == "891"}
    assert sorted(notts) == [dt.date(2015, 7, 20), dt.date(2019, 12, 19), dt.date(2024, 7, 12)]
    sif = notts[dt.date(2015, 7, 20)]
    assert (sif.framework, sif.inspection_type, sif.judgements) == ("SIF", "full", [])
    assert "grades data_unreadable in source" in sif.notes
    # Seed 001: leaders good, help and protection RI, children in care and care leavers good.
    ilacs = notts[dt.date(2019, 12, 19)]
    assert (ilacs.framework, ilacs.inspection_type, ilacs.evidence) == (
        "ILACS", "standard", "derived")
    assert (ilacs.start_date, ilacs.end_date) == (dt.date(2019, 10, 7), dt.date(2019, 10, 18))
    assert {j.area: j.grade for j in ilacs.judgements} == {
        "overall_effectiveness": "good", "leadership": "good",
        "help_and_protection": "requires_improvement",
        "children_in_care_and_care_leavers": "good"}
    assert ilacs.report_url == "https://files.ofsted.gov.uk/v1/file/50135440"
    assert record_pdf_key(ilacs) == ("80534", "children's services inspection - 19 december 2019")
    # From 2023 the care judgement is split.
    split = {j.area: j.grade for j in notts[dt.date(2024, 7, 12)].judgements}
    assert split["children_looked_after"] == "good" and split["care_leavers"] == "good"
    assert "children_in_care_and_care_leavers" not in split


def test_history_sif_reinspection_by_sequence(history):
    by_row = {r.row_ref: r for r in history.records}
    # Lambeth 9 May 2018: the PDF title says only "Inspection of services..." but it
    # re-inspected the LA judged inadequate in May 2015.
    assert by_row["row 251"].inspection_type == "re-inspection"
    assert by_row["row 252"].inspection_type == "full"
    # Doncaster: scraper labels it 'standard' but it started 9 Nov 2017 (SIF re-inspection).
    don = by_row["row 115"]
    assert (don.framework, don.inspection_type) == ("SIF", "re-inspection")
    assert "'standard' ignored" in don.notes
    # Surrey's June and August 2015 files are one inspection, not a re-inspection.
    assert by_row["row 443"].inspection_type == "full"
    kinds = Counter((r.framework, r.inspection_type) for r in history.records)
    # 20 LAs have two or more SIF-era reports (Surrey three, one pair two months apart).
    assert kinds[("SIF", "re-inspection")] == 20


def test_history_post_reform_and_longer_label(history):
    not_judged = [r for r in history.records
                  if any(j.grade_text == "not_reported_post_reform" for j in r.judgements)]
    assert len(not_judged) == 11
    for r in not_judged:
        overall = [j for j in r.judgements if j.area == "overall_effectiveness"]
        assert [j.grade for j in overall] == ["not_judged"]
    wilts = next(r for r in history.records if r.row_ref == "row 485")
    assert wilts.inspection_type == "standard" and "read as standard" in wilts.notes


def test_pdf_key():
    assert pdf_key(" 80534 ", "children's services inspection - 20 july 2015.pdf") == (
        "80534", "children's services inspection - 20 july 2015")


# --- real summary workbook ---------------------------------------------------------------

@pytest.fixture(scope="module")
def summary(shared_data, resolver):
    return parse_scraper_xlsx(shared_data / scraper_xlsx.RELPATH, resolver, shared_data)


def test_summary_rows(summary, history):
    # 153 LA rows: Brighton and Hove (row 11) and Nottingham (row 101) have no framework or
    # dates, like their rows in the history CSV.
    assert len(summary.records) + len(summary.rejects) == 153
    assert sorted(r.row_ref for r in summary.rejects) == [
        "sheet ofsted_cs_inspections_overview row 101",
        "sheet ofsted_cs_inspections_overview row 11"]
    assert len({r.la_code for r in summary.records}) == 151
    assert summary.source.kind == "scraper_summary_xlsx"
    # The latest inspection of each LA is one of the history's reports.
    history_urls = {r.report_url for r in history.records}
    assert all(r.report_url in history_urls for r in summary.records)


def test_summary_barnsley(summary):
    b = next(r for r in summary.records if r.la_code == "370")
    assert (b.inspection_type, b.start_date, b.published_date) == (
        "short", dt.date(2023, 9, 11), dt.date(2023, 10, 27))
    assert {j.area: j.grade for j in b.judgements}["help_and_protection"] == \
        "requires_improvement"


# --- hand-made bad inputs ------------------------------------------------------------------

def test_unknown_grade_word_is_rejected(tmp_path):
    bad = dict(GOOD_ROW, help_and_protection_grade="excellent")
    path = write_csv(tmp_path / "h.csv", [GOOD_ROW, bad])
    res = parse_scraper_csv(path, tiny_resolver(), tmp_path)
    assert len(res.records) == 1 and len(res.rejects) == 1
    rej = res.rejects[0]
    assert (rej.row_ref, rej.file) == ("row 3", "h.csv")
    assert "excellent" in rej.reason and "help_and_protection_grade" in rej.reason


def test_unknown_urn_falls_back_to_name_then_rejects_with_candidates(tmp_path):
    by_name = dict(GOOD_ROW, urn="99999", local_authority="Nottinghamshire")
    unknown = dict(GOOD_ROW, urn="99998", local_authority="Barnslee")
    res = parse_scraper_csv(write_csv(tmp_path / "h.csv", [by_name, unknown]),
                            tiny_resolver(), tmp_path)
    assert [r.la_code for r in res.records] == ["891"]
    assert "did you mean: Barnsley" in res.rejects[0].reason


def test_empty_csv_is_a_source_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(SourceError, match="empty"):
        parse_scraper_csv(path, tiny_resolver(), tmp_path)


def test_missing_column_is_a_source_error(tmp_path):
    columns = [c for c in GOOD_ROW if c != "care_leavers_grade"]
    path = write_csv(tmp_path / "h.csv", [GOOD_ROW], columns)
    with pytest.raises(SourceError, match="care_leavers_grade"):
        parse_scraper_csv(path, tiny_resolver(), tmp_path)


def test_shifted_row_and_bad_date_are_rejected(tmp_path):
    path = write_csv(tmp_path / "h.csv", [dict(GOOD_ROW, publication_date="2023-10-27")])
    with open(path, "a", encoding="utf-8") as f:
        f.write(",".join(GOOD_ROW.values()) + ",extra\n")
    res = parse_scraper_csv(path, tiny_resolver(), tmp_path)
    assert res.records == []
    reasons = [r.reason for r in res.rejects]
    assert "not a date" in reasons[0] and "more cells" in reasons[1]


def test_contradictory_care_split_is_rejected(tmp_path):
    # A separate care leavers grade on an inspection that started before January 2023.
    early = dict(GOOD_ROW, inspection_start_date="11/09/2022", inspection_end_date="15/09/2022",
                 publication_date="27/10/22")
    res = parse_scraper_csv(write_csv(tmp_path / "h.csv", [early]), tiny_resolver(), tmp_path)
    assert "before the January 2023 split" in res.rejects[0].reason


def _write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "overview"
    if header:
        ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_xlsx_bad_inputs(tmp_path):
    header = [c for c in GOOD_ROW if c != "pdf_filename"] + ["la_code"]
    good = [GOOD_ROW.get(c, "370") for c in header]
    wrong_code = [GOOD_ROW.get(c, "891") for c in header]
    bad_grade = [("superb" if c == "in_care_grade" else GOOD_ROW.get(c, "370")) for c in header]
    res = parse_scraper_xlsx(_write_xlsx(tmp_path / "s.xlsx", header,
                                         [good, wrong_code, bad_grade]),
                             tiny_resolver(), tmp_path)
    assert len(res.records) == 1
    assert [r.row_ref for r in res.rejects] == ["sheet overview row 3", "sheet overview row 4"]
    assert "disagrees" in res.rejects[0].reason and "superb" in res.rejects[1].reason
    with pytest.raises(SourceError, match="empty"):
        parse_scraper_xlsx(_write_xlsx(tmp_path / "e.xlsx", [], []), tiny_resolver(), tmp_path)
    with pytest.raises(SourceError, match="urn"):
        parse_scraper_xlsx(_write_xlsx(tmp_path / "m.xlsx", header[1:], [good[1:]]),
                           tiny_resolver(), tmp_path)
    not_xlsx = tmp_path / "x.xlsx"
    not_xlsx.write_text("hello")
    with pytest.raises(SourceError):
        parse_scraper_xlsx(not_xlsx, tiny_resolver(), tmp_path)
