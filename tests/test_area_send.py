"""Area SEND inspections: the report PDFs and the scraper workbook, on the real files in
../shared and on hand-made bad inputs; and that no four-point figure counts an area SEND outcome.

Facts below were read by hand from the reports: Nottinghamshire (page 1: "Inspection dates: 30
January 2023 to 3 February 2023", "There are widespread and/or systemic failings ...", file
dated 16 May 2023; areas for priority action on pages 5-6, areas for improvement on page 6);
Dorset ("11 to 15 March 2024", "typically lead to positive experiences and outcomes", 15 May
2024). The workbook's Slough row (row 56) has outcome_grade "nan" and "Inspection outcome
section not found.".
"""

from __future__ import annotations

import datetime as dt
import textwrap
import zlib
from pathlib import Path

import duckdb
import openpyxl
import pytest

from etl.ingest.adapters import area_send_pdf, area_send_xlsx
from etl.ingest.adapters.area_send_pdf import (
    describe_area_send_report,
    findings_from_pages,
    parse_area_send_report,
    parse_area_send_reports,
    read_outcome,
)
from etl.ingest.adapters.area_send_xlsx import parse_area_send_xlsx
from etl.ingest.records import SourceError
from etl.local_authorities import LA_COLUMNS, LaResolver, LocalAuthorities
from etl.vocab import AREA_SEND_AREA, AREA_SEND_GRADES, UnknownGrade, normalise_area_send_outcome
from etl.warehouse import queries

REPORTS = Path(area_send_pdf.REPORTS_DIR)
NOTTS_PDF = REPORTS / "80534_nottinghamshire" / "area send full inspection - 16 may 2023.pdf"
DORSET_PDF = REPORTS / "2532283_dorset" / "area send full inspection - 15 may 2024.pdf"

POSITIVE = ("The local area partnership's arrangements typically lead to positive experiences "
            "and outcomes for children and young people with special educational needs and/or "
            "disabilities (SEND).")
INCONSISTENT = ("The local area partnership's arrangements lead to inconsistent experiences and "
                "outcomes for children and young people with special educational needs and/or "
                "disabilities (SEND).")
SYSTEMIC = ("There are widespread and/or systemic failings leading to significant concerns "
            "about the experiences and outcomes of children and young people with SEND.")


def tiny_resolver() -> LaResolver:
    rows = []
    for code, name, urn in (("891", "Nottinghamshire", "80534"), ("886", "Kent", "80476"),
                            ("838", "Dorset", "2532283")):
        row = {c: "" for c in LA_COLUMNS}
        row.update(la_code=code, name=name, ofsted_urn=urn)
        rows.append(row)
    return LaResolver(LocalAuthorities(rows=rows, neighbours=[]))


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF, one text line per entry (Helvetica), that pypdf extracts line by line."""
    objects: list[bytes] = []
    n_pages = len(pages)
    font_id = 3 + 2 * n_pages
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, lines in enumerate(pages):
        def esc(s: str) -> str:
            return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        body = "BT /F1 9 Tf 40 800 Td 11 TL " + " ".join(f"({esc(line)}) Tj T*" for line in lines)
        stream = zlib.compress((body + " ET").encode("latin-1"))
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents "
                       f"{4 + 2 * i} 0 R /Resources << /Font << /F1 {font_id} 0 R >> >> >>"
                       .encode())
        objects.append(f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
                       + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            .encode())
    return bytes(out)


def report_pages(outcome: str, la: str = "Nottinghamshire",
                 extra_last: list[str] | None = None) -> list[list[str]]:
    page1 = ["Local area partnership report", f"Area SEND inspection of {la} Local Area",
             "Partnership", "Inspection dates: 6 to 10 March 2023",
             "Date of previous inspection: 20 to 24 June 2016", "Inspection outcome",
             *textwrap.wrap(outcome, 90),
             "The next full area SEND inspection will be within approximately three years.",
             "Information about the local area partnership", "Some words."]
    findings = ["Area SEND inspection report: X Local Area Partnership", "6 to 10 March 2023", "4",
                "Areas for improvement", "Areas for improvement",
                "Leaders should improve the timeliness of plans.",
                *(extra_last or []), "Local area partnership details", "Names."]
    return [page1, ["Narrative page."], findings, ["Ofsted boilerplate."]]


def write_report(tmp_path: Path, pages: list[list[str]], folder: str = "80534_nottinghamshire",
                 name: str = "area send full inspection - 09 june 2023.pdf") -> tuple[Path, Path]:
    shared = tmp_path / "data"
    path = shared / REPORTS / folder / name
    path.parent.mkdir(parents=True)
    path.write_bytes(make_pdf(pages))
    return path, shared


# --- the real reports -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf_results(shared_data, resolver):
    paths = sorted((shared_data / REPORTS).glob("*/*.pdf"))
    return paths, parse_area_send_reports(paths, resolver, shared_data, workers=2)


def test_every_report_is_parsed_or_quarantined_with_a_reason(pdf_results):
    paths, results = pdf_results
    assert paths and len(results) == len(paths)
    for path, res in zip(paths, results, strict=True):
        assert res.source.kind == area_send_pdf.KIND and res.source.sha256
        if res.records:
            assert len(res.records) == 1, path
        else:
            assert res.rejects and all(r.reason.strip() for r in res.rejects), path


def test_every_2023_report_has_its_outcome_or_a_reason(pdf_results):
    for res in pdf_results[1]:
        for rec in res.records:
            if rec.framework != "AREA_SEND" or rec.inspection_type != "full":
                continue
            outcomes = [j.grade for j in rec.judgements if j.area == AREA_SEND_AREA]
            quarantined = [r for r in res.rejects if AREA_SEND_AREA in r.row_ref]
            assert len(outcomes) + len(quarantined) == 1, res.source.path
            assert not outcomes or outcomes[0] in AREA_SEND_GRADES
            assert rec.start_date and rec.end_date and rec.start_date <= rec.end_date
            assert rec.published_date and rec.published_date > rec.end_date
            assert rec.evidence == "primary"


def test_every_2023_report_has_its_findings_or_a_reason(pdf_results):
    for res in pdf_results[1]:
        for rec in res.records:
            if rec.framework != "AREA_SEND" or rec.inspection_type != "full":
                continue
            sections = {f["section"] for f in res.facts.get("area_send_findings", [])}
            missing = {r.row_ref.removeprefix("section ") for r in res.rejects
                       if r.row_ref.startswith("section ")}
            expected = {"areas_for_improvement"}
            if any(j.grade == "systemic_failings" for j in rec.judgements):
                expected.add("areas_for_priority_action")
            assert expected <= sections | missing, res.source.path
            for f in res.facts.get("area_send_findings", []):
                assert len(f["text"]) > 100 and f["first_page"] <= f["last_page"]
                assert "Area SEND inspection report" not in f["text"]  # running header gone


def test_nottinghamshire_2023(shared_data):
    parse = describe_area_send_report(shared_data / NOTTS_PDF)
    assert parse.status == "parsed" and parse.document_type == "area_send_2023"
    assert parse.outcome == "systemic_failings"
    assert parse.outcome_text.startswith("There are widespread and/or systemic failings")
    assert (parse.inspection_start, parse.inspection_end) == (dt.date(2023, 1, 30),
                                                              dt.date(2023, 2, 3))
    assert parse.web_published_date == dt.date(2023, 5, 16)
    assert parse.previous_inspection == "20 to 24 June 2016"
    sections = {f.section: f for f in parse.findings}
    assert (sections["areas_for_priority_action"].first_page,
            sections["areas_for_improvement"].first_page) == (5, 6)
    assert sections["areas_for_improvement"].text.startswith(
        "Leaders across the partnership should continue their work to gather a wider range")
    assert parse.pages_read < parse.pages  # read lazily


def test_dorset_2024_positive(shared_data, resolver):
    res = parse_area_send_report(shared_data / DORSET_PDF, resolver, shared_data)
    (rec,) = res.records
    assert rec.la_code == "838" and rec.framework == "AREA_SEND"
    assert [j.grade for j in rec.judgements] == ["positive"]
    assert (rec.start_date, rec.end_date, rec.published_date) == (
        dt.date(2024, 3, 11), dt.date(2024, 3, 15), dt.date(2024, 5, 15))
    assert [f["section"] for f in res.facts["area_send_findings"]] == ["areas_for_improvement"]


# --- the workbook ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def workbook(shared_data, resolver):
    return parse_area_send_xlsx(shared_data / area_send_xlsx.RELPATH, resolver, shared_data)


def test_every_workbook_row_is_a_record_or_quarantined(shared_data, workbook):
    ws = openpyxl.load_workbook(shared_data / area_send_xlsx.RELPATH, read_only=True).worksheets[0]
    n_rows = sum(1 for row in ws.iter_rows(min_row=2, values_only=True) if any(row))
    whole_row = [r for r in workbook.rejects if "judgement" not in r.row_ref]
    assert len(workbook.records) + len(whole_row) == n_rows
    assert all(r.framework == "AREA_SEND" and r.evidence == "derived" for r in workbook.records)


def test_slough_has_no_outcome_and_is_quarantined_with_the_reason(workbook):
    slough = [r for r in workbook.records if r.la_code == "871"]
    assert len(slough) == 1 and slough[0].judgements == []
    reject = next(r for r in workbook.rejects if r.row_ref.endswith(f"judgement {AREA_SEND_AREA}")
                  and "row 56" in r.row_ref)
    assert "no outcome" in reject.reason and "Inspection outcome section not found" in reject.reason


def test_pdf_outcomes_agree_with_the_workbook(pdf_results, workbook):
    """Every report the workbook also lists (same LA, published within a month) gives the same
    outcome; the warehouse test below shows a disagreement as a conflict."""
    listed = {r.la_code: r for r in workbook.records}
    compared = 0
    for res in pdf_results[1]:
        for rec in res.records:
            other = listed.get(rec.la_code)
            if other is None or abs((other.published_date - rec.published_date).days) > 31:
                continue
            compared += 1
            assert [j.grade for j in rec.judgements] == [j.grade for j in other.judgements] \
                or not other.judgements, rec.la_code
    assert compared >= 1


# --- bad inputs -----------------------------------------------------------------------------

def test_unknown_outcome_wording_is_quarantined(tmp_path):
    wording = "The local area partnership's arrangements are broadly effective."
    with pytest.raises(UnknownGrade, match="no area SEND outcome"):
        normalise_area_send_outcome(wording)
    path, shared = write_report(tmp_path, report_pages(wording))
    res = parse_area_send_report(path, tiny_resolver(), shared)
    (rec,) = res.records  # the inspection happened; its outcome cannot be read
    assert rec.judgements == [] and rec.start_date == dt.date(2023, 3, 6)
    reject = next(r for r in res.rejects if AREA_SEND_AREA in r.row_ref)
    assert reject.file.endswith(".pdf") and "page 1" in reject.row_ref
    assert "no area SEND outcome" in reject.reason and "broadly effective" in reject.raw


def test_two_outcomes_in_one_statement_are_not_guessed():
    with pytest.raises(UnknownGrade, match="more than one"):
        normalise_area_send_outcome(POSITIVE + " " + SYSTEMIC)


@pytest.mark.parametrize("statement,grade", [(POSITIVE, "positive"),
                                             (INCONSISTENT, "inconsistent"),
                                             (SYSTEMIC, "systemic_failings")])
def test_a_made_report_parses_end_to_end(tmp_path, statement, grade):
    path, shared = write_report(tmp_path, report_pages(statement))
    res = parse_area_send_report(path, tiny_resolver(), shared)
    (rec,) = res.records
    assert [j.grade for j in rec.judgements] == [grade]
    assert rec.published_date == dt.date(2023, 6, 9)  # from the file name
    assert [f["section"] for f in res.facts["area_send_findings"]] == ["areas_for_improvement"]
    # a systemic-failings report without its priority actions says so
    missing = [r for r in res.rejects if r.row_ref == "section areas_for_priority_action"]
    assert bool(missing) == (grade == "systemic_failings")


def test_outcome_is_read_only_from_its_section():
    page = "Area SEND inspection of Kent Local Area Partnership\nInspection dates: 1 to 5 May 2023\n"
    assert read_outcome(page + "Some narrative. " + POSITIVE)[0] is None
    assert read_outcome(page + "Inspection outcome\n" + INCONSISTENT)[0] == "inconsistent"


def test_html_saved_as_pdf_and_empty_file_are_quarantined(tmp_path):
    shared = tmp_path / "data"
    folder = shared / REPORTS / "80534_nottinghamshire"
    folder.mkdir(parents=True)
    html = folder / "area send full inspection - 01 may 2023.pdf"
    html.write_text("<!DOCTYPE html><html><body>Report not found</body></html>")
    empty = folder / "area send full inspection - 02 may 2023.pdf"
    empty.write_bytes(b"")
    truncated = folder / "area send full inspection - 03 may 2023.pdf"
    truncated.write_bytes(make_pdf(report_pages(POSITIVE))[:300])
    results = parse_area_send_reports([html, empty, truncated], tiny_resolver(), shared,
                                      workers=1)
    reasons = [res.rejects[0].reason for res in results]
    assert all(not res.records for res in results)
    assert "HTML page" in reasons[0] and reasons[1] == "empty file"
    assert "unreadable PDF" in reasons[2]


def test_unknown_layout_is_quarantined(tmp_path):
    path, shared = write_report(tmp_path, [["Joint targeted area inspection of Kent"]])
    res = parse_area_send_report(path, tiny_resolver(), shared)
    assert not res.records and "unknown layout" in res.rejects[0].reason


def test_report_naming_another_la_than_its_folder_is_quarantined(tmp_path):
    path, shared = write_report(tmp_path, report_pages(POSITIVE, la="Kent"))
    res = parse_area_send_report(path, tiny_resolver(), shared)
    assert not res.records
    assert "names 'Kent'" in res.rejects[0].reason and "Nottinghamshire" in res.rejects[0].reason


def test_a_2016_framework_letter_is_recorded_as_a_different_framework(tmp_path):
    letter = [["Joint local area SEND inspection in Nottinghamshire",
               "Between 20 June 2016 and 24 June 2016, Ofsted and the Care Quality Commission",
               "(CQC) conducted a joint inspection of the local area of Nottinghamshire.",
               "As a result of the findings of this inspection HMCI has determined that a",
               "Written Statement of Action is required because of significant areas of",
               "weakness in the local area's practice."]]
    path, shared = write_report(tmp_path, letter,
                                name="local area send inspection - 14 july 2016.pdf")
    res = parse_area_send_report(path, tiny_resolver(), shared)
    (rec,) = res.records
    assert (rec.framework, rec.inspection_type) == ("AREA_SEND_2016", "full")
    assert rec.judgements == []  # the 2016 framework gave no graded outcome
    assert (rec.start_date, rec.end_date) == (dt.date(2016, 6, 20), dt.date(2016, 6, 24))
    assert rec.published_date == dt.date(2016, 7, 14)
    assert "written statement of action required" in rec.notes


def test_findings_sections_run_to_the_next_heading():
    pages = {4: "Area SEND inspection report: X\n1 to 5 May 2023\n5\nAreas for priority action\n"
                "Responsible body Areas for priority action\nThe council should act now.\n",
             5: "Area SEND inspection report: X\n1 to 5 May 2023 6\nstill acting.\n"
                "Areas for improvement\nLeaders should improve.\n"
                "Local area partnership details\nNames\n"}
    found, missing = findings_from_pages(pages)
    assert missing == []
    assert [(f.section, f.text, f.first_page, f.last_page) for f in found] == [
        ("areas_for_priority_action", "The council should act now. still acting.", 5, 6),
        ("areas_for_improvement", "Leaders should improve.", 6, 6)]


def _workbook(tmp_path: Path, **changes: str) -> Path:
    header = list(area_send_xlsx.REQUIRED_COLUMNS)
    row = {"urn": "80534", "la_code": "891", "local_authority": "nottinghamshire",
           "inspection_link": "https://files.ofsted.gov.uk/v1/file/1", "outcome_grade": "2.0",
           "previous_inspection_date": "01/01/1900", "inspection_start_date": "30/01/23",
           "inspection_end_date": "03/02/23", "publication_date": "16/05/23",
           "next_inspection": "3 years", "inspection_outcome_text": INCONSISTENT, **changes}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    ws.append([row[c] for c in header])
    path = tmp_path / "area-send.xlsx"
    wb.save(path)
    return path


def test_workbook_code_disagreeing_with_its_own_statement_is_quarantined(tmp_path):
    res = parse_area_send_xlsx(_workbook(tmp_path, outcome_grade="1.0"), tiny_resolver(),
                               tmp_path)
    (rec,) = res.records
    assert rec.judgements == []
    assert "disagrees with inspection_outcome_text" in res.rejects[0].reason


def test_workbook_unknown_code_or_wording_is_quarantined(tmp_path):
    res = parse_area_send_xlsx(_workbook(tmp_path, outcome_grade="4.0"), tiny_resolver(),
                               tmp_path)
    assert res.records[0].judgements == [] and "not an outcome code" in res.rejects[0].reason
    res = parse_area_send_xlsx(
        _workbook(tmp_path, outcome_grade="nan", inspection_outcome_text="Broadly fine."),
        tiny_resolver(), tmp_path)
    assert res.records[0].judgements == [] and "no area SEND outcome" in res.rejects[0].reason


def test_workbook_bad_rows_and_missing_columns(tmp_path):
    res = parse_area_send_xlsx(_workbook(tmp_path, la_code="886"), tiny_resolver(), tmp_path)
    assert not res.records and "disagrees with URN" in res.rejects[0].reason
    assert "row 2" in res.rejects[0].row_ref
    res = parse_area_send_xlsx(_workbook(tmp_path, publication_date="someday"), tiny_resolver(),
                               tmp_path)
    assert not res.records and "not a date" in res.rejects[0].reason
    wb = openpyxl.Workbook()
    wb.active.append(["urn", "la_code"])
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(SourceError, match="missing column"):
        parse_area_send_xlsx(tmp_path / "bad.xlsx", tiny_resolver(), tmp_path)


# --- the warehouse --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


def _has_area_send(con) -> None:
    if not con.execute("SELECT count(*) FROM inspections WHERE framework = 'AREA_SEND'").fetchone()[0]:
        pytest.skip("the shipped snapshot predates area SEND (re-derive it)")


def test_disagreeing_sources_show_in_conflicts(con):
    _has_area_send(con)
    disagreeing = con.execute("""
        SELECT inspection_id FROM judgement_observations WHERE area = 'area_send_outcome'
        GROUP BY inspection_id HAVING count(DISTINCT grade) > 1""").fetchall()
    shown = con.execute("SELECT inspection_id FROM conflicts WHERE area = 'area_send_outcome'"
                        ).fetchall()
    assert sorted(disagreeing) == sorted(shown)


def test_each_report_is_matched_with_its_workbook_row(con):
    """A report and the workbook row for the same inspection become one inspection."""
    _has_area_send(con)
    unmatched = con.execute("""
        SELECT p.inspection_id FROM records_ranked p
        JOIN records_ranked x ON x.la_code = p.la_code AND x.source_kind = 'scraper_area_send_xlsx'
        WHERE p.source_kind = 'area_send_report_pdf'
          AND abs(datediff('day', p.published_date, x.published_date)) <= 31
          AND p.inspection_id <> x.inspection_id""").fetchall()
    assert unmatched == []


def test_area_send_outcomes_stay_out_of_four_point_figures(con):
    _has_area_send(con)
    as_at = dt.date(2025, 11, 30)
    dist = queries.run(con, "national/grade_distribution", area="overall_effectiveness",
                       as_at=as_at, framework=None, include_secondary=True, published_by=None,
                       which="latest", superseded="not_current", wording="at_the_time")
    assert set(dist["grade"]) == {"outstanding", "good", "requires_improvement", "inadequate"}
    latest = con.execute("SELECT DISTINCT framework FROM latest_judgements(?, "
                         "'overall_effectiveness')", [as_at]).fetchall()
    assert not {f for (f,) in latest if f} & {"AREA_SEND", "AREA_SEND_2016"}
    window = con.execute("SELECT DISTINCT framework FROM published_between('overall_effectiveness',"
                         " DATE '2023-01-01', ?)", [as_at]).fetchall()
    assert not {f for (f,) in window} & {"AREA_SEND", "AREA_SEND_2016"}
    failing = queries.run(con, "failing/failing_las", area="overall_effectiveness", as_at=as_at,
                          framework=None, superseded="not_current", wording="at_the_time")
    assert not failing["last_inspection_type"].str.startswith("AREA_SEND").any()
    # the area SEND scale's rows of judgement_bases are the outcomes themselves, never a
    # practice basis (the pre-2013 scale has rows of its own there since the history merge)
    practice = con.execute("SELECT count(*) FROM judgement_bases jb JOIN grades g USING (grade) "
                           "WHERE g.scale = 'area_send'").fetchone()[0]
    assert practice == con.execute("SELECT count(*) FROM judgements "
                                   "WHERE area = 'area_send_outcome'").fetchone()[0]
    assert con.execute("SELECT count(*) FROM judgement_bases jb JOIN grades g USING (grade) "
                       "WHERE g.scale = 'area_send' AND jb.area <> 'area_send_outcome'"
                       ).fetchone() == (0,)
    areas = queries.run(con, "national/areas")
    assert "area_send_outcome" not in set(areas["area"])
    flags = con.execute("SELECT count(*) FROM grades WHERE scale = 'area_send' "
                        "AND (is_failing IS NOT NULL OR is_good_or_better IS NOT NULL)").fetchone()
    assert flags == (0,)


def test_area_send_distribution_as_at(con):
    _has_area_send(con)
    as_at = dt.date(2025, 6, 30)
    dist = queries.run(con, "local_area/area_send_distribution", as_at=as_at, published_by=None)
    england = dist[dist["geography"] == "England"]
    assert list(england["outcome"]) == list(AREA_SEND_GRADES)
    assert england["share"].sum() == pytest.approx(1.0)
    assert int(england["n"].sum()) == int(england["n_with_outcome"].iloc[0])
    progress = queries.run(con, "local_area/area_send_progress", from_date=dt.date(2023, 1, 1),
                           to_date=as_at).iloc[-1]
    assert england["share_inspected"].iloc[0] == pytest.approx(progress["share"])
    assert int(england["n_las"].iloc[0]) == int(progress["n_las"])
    regions = dist[dist["geography"] != "England"]
    assert int(regions["n"].sum()) == int(england["n"].sum())
    outcomes = queries.run(con, "local_area/area_send_outcomes", as_at=as_at, published_by=None)
    notts = outcomes[outcomes["la_code"] == "891"].iloc[0]
    assert notts["outcome"] == "systemic_failings" and notts["source_kind"] == "area_send_report_pdf"
    assert str(notts["published_date"])[:10] == "2023-05-16" and notts["n_sources"] == 2


def test_area_send_findings_query(con):
    _has_area_send(con)
    found = queries.run(con, "local_area/area_send_findings", la_code="891")
    assert set(found["section"]) == {"areas_for_priority_action", "areas_for_improvement"}
    assert found["inspection_id"].nunique() == 1
