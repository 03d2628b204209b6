"""Ofsted report PDF adapter: real reports from ../shared and hand-made bad inputs.

Every grade asserted here was read by hand from the report's page 1 (or the LSCB
section page named in the test).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.ingest.adapters import reports_pdf as rp
from etl.ingest.adapters.reports_pdf import (
    CSV_HEADER,
    describe_report,
    ilacs_judgements_from_text,
    judgements_from_text,
    lscb_judgement_from_text,
    parse_inspection_dates,
    parse_report,
    parse_report_rows,
    parse_reports,
    sif_judgements_from_text,
    web_date_from_name,
)
from etl.ingest.records import SourceError

D = dt.date
NOTTS = "80534_nottinghamshire"
NOTTS_SIF = f"{NOTTS}/children's services inspection - 20 july 2015.pdf"
NOTTS_ILACS = f"{NOTTS}/children's services inspection - 19 december 2019.pdf"
BARNSLEY_2014 = "80426_barnsley/children's services inspection - 08 august 2014.pdf"
OLDHAM_2015 = "80535_oldham/children's services inspection - 03 august 2015.pdf"
BIRMINGHAM_REINSPECTION = "80429_birmingham/children's services inspection - 25 november 2016.pdf"
LAMBETH_2018 = "80506_lambeth/children's services inspection - 09 may 2018.pdf"
ST_HELENS_2023 = "80560_st helens/children's services inspection - 04 september 2023.pdf"
BRENT_2026 = "80489_brent/children's services inspection - 17 june 2026.pdf"
HTML_AS_PDF = "80429_birmingham/children's services inspection - 19 october 2012.pdf"
KENT_LAC2013 = "80476_kent/children's services inspection,  pdf - 23 august 2013.pdf"


def report(shared_data: Path, rel: str) -> Path:
    path = shared_data / "ofsted-reports" / rel
    if not path.exists():
        pytest.fail(f"expected report missing from ../shared: {rel}")
    return path


def grades(parse) -> dict[str, str]:
    return {j.area: j.grade for j in parse.judgements}


# ---------------------------------------------------------------------------
# Real reports


def test_nottinghamshire_sif_2015(shared_data: Path) -> None:
    p = describe_report(report(shared_data, NOTTS_SIF))
    assert (p.status, p.document_type) == ("parsed", "sif")
    assert (p.inspection_start, p.inspection_end) == (D(2015, 5, 11), D(2015, 6, 4))
    assert p.published_date == D(2015, 7, 20) == p.web_published_date
    assert grades(p) == {
        "overall_effectiveness": "good",
        "help_and_protection": "good",
        "children_looked_after": "good",
        "adoption": "good",
        "care_leavers": "requires_improvement",
        "leadership": "good",
        # "The Local Safeguarding Children Board is good", page 40 of 47
        "lscb": "good",
    }
    assert p.lscb_page == 40
    # found through the contents page, not by reading the whole report
    assert p.pages_read <= 4


def test_nottinghamshire_ilacs_2019(shared_data: Path) -> None:
    p = describe_report(report(shared_data, NOTTS_ILACS))
    assert (p.status, p.document_type) == ("parsed", "ilacs_standard")
    assert (p.inspection_start, p.inspection_end) == (D(2019, 10, 7), D(2019, 10, 18))
    assert p.published_date is None  # ILACS reports print no publication date
    assert p.web_published_date == D(2019, 12, 19)
    assert grades(p) == {
        "leadership": "good",
        "help_and_protection": "requires_improvement",
        "children_in_care_and_care_leavers": "good",
        "overall_effectiveness": "good",
    }
    texts = {j.area: j.grade_text for j in p.judgements}
    assert texts["help_and_protection"] == "Requires improvement"
    assert p.pages_read == 1


def test_parse_report_record_and_source(shared_data: Path, resolver) -> None:
    path = report(shared_data, NOTTS_ILACS)
    result = parse_report(path, resolver, shared_data)
    src = result.source
    assert src.source_id == "report:" + NOTTS_ILACS[: -len(".pdf")]
    assert src.kind == "ofsted_report_pdf"
    assert src.path == "ofsted-reports/" + NOTTS_ILACS
    assert src.parser == "etl.ingest.adapters.reports_pdf"
    assert src.parser_version == rp.PARSER_VERSION
    assert len(src.sha256) == 64
    assert result.rejects == []
    (rec,) = result.records
    assert rec.la_code == "891"
    assert rec.la_name_raw == "nottinghamshire"
    assert (rec.framework, rec.inspection_type) == ("ILACS", "standard")
    # no printed date: the file name's web date is the published date
    assert rec.published_date == D(2019, 12, 19)
    assert rec.report_url == ""
    assert len(rec.judgements) == 4


def test_parse_report_sif_notes_web_date_when_it_differs(shared_data: Path, resolver) -> None:
    # West Berkshire 2015 prints "Report published: 13 May 2015"; the web date is 18 May
    path = report(shared_data, "80577_west berkshire/children's services inspection - 18 may 2015.pdf")
    (rec,) = parse_report(path, resolver, shared_data).records
    assert (rec.framework, rec.inspection_type) == ("SIF", "full")
    assert rec.published_date == D(2015, 5, 13)
    assert "web publication date 2015-05-18" in rec.notes


def test_sif_2014_lscb_on_page_1(shared_data: Path) -> None:
    p = describe_report(report(shared_data, BARNSLEY_2014))
    assert p.document_type == "sif"
    assert p.lscb_page == 1
    assert grades(p) == {
        "overall_effectiveness": "requires_improvement",
        "help_and_protection": "requires_improvement",
        "children_looked_after": "requires_improvement",
        "adoption": "requires_improvement",
        "care_leavers": "good",
        "leadership": "requires_improvement",
        "lscb": "requires_improvement",
    }


def test_sif_grade_list_running_onto_page_2(shared_data: Path) -> None:
    # Oldham 2015: rows 2.2 and 3 are on page 2, after a footnote on page 1
    p = describe_report(report(shared_data, OLDHAM_2015))
    assert p.unreadable == []
    g = grades(p)
    assert g["adoption"] == "good"
    assert g["care_leavers"] == "requires_improvement"
    assert g["leadership"] == "requires_improvement"
    assert g["lscb"] == "requires_improvement"


def test_titled_reinspection(shared_data: Path, resolver) -> None:
    path = report(shared_data, BIRMINGHAM_REINSPECTION)
    p = describe_report(path)
    assert p.document_type == "sif_reinspection"
    assert p.says_reinspection
    assert (p.inspection_start, p.inspection_end) == (D(2016, 9, 12), D(2016, 10, 6))
    assert grades(p) == {
        "overall_effectiveness": "inadequate",
        "help_and_protection": "inadequate",
        "children_looked_after": "requires_improvement",
        "adoption": "requires_improvement",
        "care_leavers": "requires_improvement",
        "leadership": "inadequate",
    }
    (rec,) = parse_report(path, resolver, shared_data).records
    assert (rec.framework, rec.inspection_type) == ("SIF", "re-inspection")


def test_reinspection_told_only_by_the_text(shared_data: Path) -> None:
    # Lambeth 2018 has the ordinary SIF title; page 2 says "This is a re-inspection"
    p = describe_report(report(shared_data, LAMBETH_2018))
    assert p.document_type == "sif_reinspection"
    assert p.says_reinspection
    assert grades(p)["adoption"] == "inadequate"
    assert "lscb" not in grades(p)


def test_ilacs_2023_split_care_judgements(shared_data: Path) -> None:
    p = describe_report(report(shared_data, ST_HELENS_2023))
    assert p.document_type == "ilacs_standard"
    assert grades(p) == {
        "leadership": "good",
        "help_and_protection": "requires_improvement",
        "children_looked_after": "good",
        "care_leavers": "outstanding",
        "overall_effectiveness": "good",
    }


def test_ilacs_after_april_2026_has_no_overall(shared_data: Path, resolver) -> None:
    path = report(shared_data, BRENT_2026)
    p = describe_report(path)
    assert p.document_type == "ilacs_post_2026"
    assert (p.inspection_start, p.inspection_end) == (D(2026, 4, 27), D(2026, 5, 1))
    assert grades(p) == {
        "leadership": "good",
        "help_and_protection": "good",
        "children_looked_after": "good",
        "care_leavers": "good",
    }
    (rec,) = parse_report(path, resolver, shared_data).records
    # a one-week inspection: short
    assert (rec.framework, rec.inspection_type) == ("ILACS", "short")


def test_lac2013_adequate_loads_as_adequate(shared_data: Path, resolver) -> None:
    # Kent 2013 "Record of main findings": overall, outcomes, quality of provision and
    # leadership "Adequate" (the old scale's third grade, kept as its own grade), capacity to
    # improve "Good"
    path = report(shared_data, KENT_LAC2013)
    p = describe_report(path)
    assert (p.status, p.document_type) == ("parsed", "lac2013")
    assert p.unreadable == [] and p.missing == []
    assert {j.area: (j.grade, j.grade_text) for j in p.judgements} == {
        "overall_effectiveness": ("adequate", "Adequate"),
        "capacity_to_improve": ("good", "Good"),
        "lac_outcomes": ("adequate", "Adequate"),
        "quality_of_provision": ("adequate", "Adequate"),
        "leadership": ("adequate", "Adequate"),
    }
    result = parse_report(path, resolver, shared_data)
    (rec,) = result.records
    assert (rec.framework, rec.inspection_type) == ("LAC2013", "full")
    assert rec.published_date == D(2013, 8, 23)
    assert result.rejects == []


def test_html_saved_as_pdf_in_the_collection(shared_data: Path, resolver) -> None:
    path = report(shared_data, HTML_AS_PDF)
    p = describe_report(path)
    assert p.status == "not_pdf"
    assert "HTML" in p.reason
    result = parse_report(path, resolver, shared_data)
    assert result.records == []
    (rej,) = result.rejects
    assert rej.row_ref == "page 1"
    assert rej.file == "ofsted-reports/" + HTML_AS_PDF
    assert "HTML" in rej.reason


def test_parse_reports_pool_keeps_order_and_reports_progress(shared_data: Path, resolver) -> None:
    paths = [report(shared_data, r) for r in (NOTTS_ILACS, HTML_AS_PDF, BRENT_2026)]
    seen: list[tuple[int, int]] = []
    results = parse_reports(
        paths, resolver, shared_data, workers=2, progress=lambda d, t: seen.append((d, t))
    )
    assert [r.source.path for r in results] == [
        "ofsted-reports/" + r for r in (NOTTS_ILACS, HTML_AS_PDF, BRENT_2026)
    ]
    assert sorted(seen) == [(1, 3), (2, 3), (3, 3)]
    assert [len(r.records) for r in results] == [1, 0, 1]


def test_parse_report_rows(shared_data: Path) -> None:
    rows = parse_report_rows([report(shared_data, NOTTS_ILACS), report(shared_data, HTML_AS_PDF)])
    assert all(tuple(r) == CSV_HEADER for r in rows)
    notts = [r for r in rows if r["status"] == "parsed"]
    assert len(notts) == 4
    assert {(r["area"], r["grade"]) for r in notts} >= {("help_and_protection", "requires_improvement")}
    assert notts[0]["inspection_start"] == "2019-10-07"
    assert notts[0]["published_date"] == "2019-12-19"
    (html,) = [r for r in rows if r["status"] == "not_pdf"]
    assert (html["area"], html["grade"], html["document_type"]) == ("", "", "unknown")


# ---------------------------------------------------------------------------
# Hand-made bad inputs


def test_truncated_pdf(shared_data: Path, tmp_path: Path, resolver) -> None:
    data = report(shared_data, NOTTS_ILACS).read_bytes()[:1000]
    bad = tmp_path / "80534_nottinghamshire" / "children's services inspection - 19 december 2019.pdf"
    bad.parent.mkdir()
    bad.write_bytes(data)
    p = describe_report(bad)
    assert p.status == "not_pdf"
    assert "unreadable PDF" in p.reason
    result = parse_report(bad, resolver, tmp_path)
    assert result.records == []
    assert [r.row_ref for r in result.rejects] == ["page 1"]


def test_html_and_empty_files(tmp_path: Path) -> None:
    html = tmp_path / "html.pdf"
    html.write_text("<!DOCTYPE html>\n<html><body>Report not found</body></html>")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert (describe_report(html).status, describe_report(empty).status) == ("not_pdf", "not_pdf")
    assert "HTML" in describe_report(html).reason
    assert describe_report(empty).reason == "empty file"
    rows = parse_report_rows([empty])
    assert len(rows) == 1 and rows[0]["area"] == ""


def test_missing_file_is_a_source_error(tmp_path: Path, resolver) -> None:
    with pytest.raises(SourceError):
        parse_report(tmp_path / "80534_x" / "gone.pdf", resolver, tmp_path)


class FakePages:
    """Stands in for the pdf reader: the pages' text is given."""

    def __init__(self, texts: list[str]):
        self._texts = texts
        self.count = len(texts)
        self.read = 0

    def text(self, index: int) -> str:
        self.read += 1
        return self._texts[index]

    def lines(self, index: int):
        from etl.ingest.adapters.pdf_pages import Line

        out, top = [], 800.0
        for text in self._texts[index].split("\n"):
            if text.strip():
                out.append(Line(text, top, 72.0, 12.0, False))
            top -= 15.0 if text.strip() else 15.0
        return out

    def height(self, index: int) -> float:
        return 842.0

    def close(self) -> None:
        pass


ILACS_PAGE_UNKNOWN_WORD = """Inspection of Nowhere local authority children's services
Inspection dates: 2 to 6 June 2025
Lead inspector: A N Other, His Majesty's Inspector
Judgement Grade
The impact of leaders on social work
practice with children and families
Excellent
The experiences and progress of
children who need help and protection
Requires
improvement to be good
The experiences and progress of
children in care
Good
The experiences and progress of care
leavers
Good
Overall effectiveness Good

Narrative starts here.
"""


def test_unknown_grade_word_becomes_a_reject(tmp_path: Path, monkeypatch, resolver) -> None:
    monkeypatch.setattr(rp, "_Pages", lambda path: FakePages([ILACS_PAGE_UNKNOWN_WORD]))
    folder = tmp_path / "ofsted-reports" / "80534_nottinghamshire"
    folder.mkdir(parents=True)
    pdf = folder / "children's services inspection - 01 august 2025.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% stand-in: the text comes from FakePages\n")
    p = describe_report(pdf)
    assert (p.status, p.document_type) == ("parsed", "ilacs_short")
    assert grades(p) == {
        "help_and_protection": "requires_improvement",
        "children_looked_after": "good",
        "care_leavers": "good",
        "overall_effectiveness": "good",
    }
    result = parse_report(pdf, resolver, tmp_path)
    # (the fake report's text has no list of improvement points: quarantined as such)
    (rej,) = [r for r in result.rejects if r.row_ref.startswith("judgement")]
    assert rej.row_ref == "judgement leadership"
    assert rej.raw == "Excellent"
    assert "unknown grade wording" in rej.reason
    (rec,) = result.records
    assert "leadership" not in {j.area for j in rec.judgements}


def test_text_without_any_known_layout(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(rp, "_Pages", lambda path: FakePages(["Minutes of the cabinet meeting"]))
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    p = describe_report(pdf)
    assert (p.status, p.document_type) == ("unknown_layout", "unknown")
    assert "unknown layout" in p.reason


# ---------------------------------------------------------------------------
# Pure text functions


SIF_PAGE = """Somewhere Council
Inspection of services for children in need of help and
protection, children looked after and care leavers
Inspection date: 14 January - 5 February 2014
The overall judgement is that children's service requires improvement
1. Children who need help and protection Satisfactory
2. Children looked after and achieving
permanence Requires
Improvement
2.1 Adoption performance Good
2.2 Experiences and progress of care leavers Require improvement
1. Leadership, management and governance Inadequate

1 Ofsted produces this report under its power to combine reports.
"""


def test_sif_text_to_judgements() -> None:
    out = sif_judgements_from_text(SIF_PAGE)
    got = {j.area: (j.grade, j.grade_text) for j in out.judgements}
    assert got == {
        "overall_effectiveness": ("requires_improvement", "requires improvement"),
        "children_looked_after": ("requires_improvement", "Requires Improvement"),
        "adoption": ("good", "Good"),
        "care_leavers": ("requires_improvement", "Require improvement"),
        "leadership": ("inadequate", "Inadequate"),
    }
    (bad,) = out.unreadable
    assert (bad.area, bad.grade_text) == ("help_and_protection", "Satisfactory")
    assert judgements_from_text("sif", SIF_PAGE).unreadable == out.unreadable


def test_lscb_sentences() -> None:
    heading = "The Local Safeguarding Children Board (LSCB)\nThe Local Safeguarding Children Board is\ngood\n"
    assert [j.grade for j in lscb_judgement_from_text(heading).judgements] == ["good"]
    early = (
        "governance Requires improvement The effectiveness of the Local Safeguarding Children"
        " Board (LSCB) is requires improvement The arrangements"
    )
    assert [j.grade for j in lscb_judgement_from_text(early).judgements] == ["requires_improvement"]
    # the judgement descriptors at the end of a report are not a judgement
    descriptors = "What the inspection judgements mean: the LSCB An outstanding LSCB is highly influential"
    assert lscb_judgement_from_text(descriptors).judgements == []


def test_ilacs_table_ignores_overall_in_the_narrative() -> None:
    page = ILACS_PAGE_UNKNOWN_WORD.replace("Overall effectiveness Good\n", "").replace(
        "Narrative starts here.", "At the last inspection the overall effectiveness was good."
    )
    out = ilacs_judgements_from_text(page)
    assert "overall_effectiveness" not in {j.area for j in out.judgements}
    assert rp.classify(page)[0] == "ilacs_post_2026"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17 March to 21 March 2025 Lead inspector", (D(2025, 3, 17), D(2025, 3, 21), 5)),
        ("20 to 24 May 2024", (D(2024, 5, 20), D(2024, 5, 24), 5)),
        ("7 October 2019 to 18 October 2019", (D(2019, 10, 7), D(2019, 10, 18), 12)),
        ("16 September 2014 \u2013 8 October 2014", (D(2014, 9, 16), D(2014, 10, 8), 23)),
        ("9\u201324 November 2017", (D(2017, 11, 9), D(2017, 11, 24), 16)),
        ("18 Feb 2014 \u2013 12 March 2014", (D(2014, 2, 18), D(2014, 3, 12), 23)),
        ("12/09/2016 to 06/10/2016", (D(2016, 9, 12), D(2016, 10, 6), 25)),
        ("1/06/2015 \u2013 25/06/2015", (D(2015, 6, 1), D(2015, 6, 25), 25)),
        ("28 July 2016", (D(2016, 7, 28), D(2016, 7, 28), 1)),
        ("30 December to 3 January 2020", (D(2019, 12, 30), D(2020, 1, 3), 5)),
        # an interrupted inspection: the first period's length decides standard/short
        (
            "5 to 9 December 2022 and 14 to 15 February 2023",
            (D(2022, 12, 5), D(2023, 2, 15), 5),
        ),
        ("no dates here", (None, None, None)),
    ],
)
def test_inspection_dates(text: str, expected) -> None:
    assert parse_inspection_dates(text) == expected


def test_web_date_from_file_names() -> None:
    assert web_date_from_name("children's services inspection - 19 december 2019.pdf") == D(2019, 12, 19)
    assert web_date_from_name("children's services inspection,  pdf - 23 august 2013.pdf") == D(2013, 8, 23)
    assert web_date_from_name(
        "single inspection of la children's services as pdf - 10 february 2015.pdf"
    ) == D(2015, 2, 10)
    assert web_date_from_name("report.pdf") is None


def test_judgement_missing_from_the_table_is_rejected(tmp_path: Path, monkeypatch, resolver) -> None:
    # the care-leaver label lost (as a damaged text layer could): its grade runs into
    # the row above, which becomes unreadable, and care_leavers is reported missing
    page = ILACS_PAGE_UNKNOWN_WORD.replace("Excellent", "Good").replace(
        "The experiences and progress of care\nleavers\n", ""
    )
    monkeypatch.setattr(rp, "_Pages", lambda path: FakePages([page]))
    folder = tmp_path / "ofsted-reports" / "80534_nottinghamshire"
    folder.mkdir(parents=True)
    pdf = folder / "children's services inspection - 01 august 2025.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    p = describe_report(pdf)
    assert [u.area for u in p.unreadable] == ["children_looked_after"]
    assert p.missing == ["care_leavers"]
    rejects = [r for r in parse_report(pdf, resolver, tmp_path).rejects
               if r.row_ref.startswith("judgement")]
    assert sorted(r.row_ref for r in rejects) == [
        "judgement care_leavers",
        "judgement children_looked_after",
    ]
    rows = parse_report_rows([pdf])
    assert {(r["area"], r["grade"]) for r in rows} == {
        ("leadership", "good"),
        ("help_and_protection", "requires_improvement"),
        ("overall_effectiveness", "good"),
        ("children_looked_after", ""),
        ("care_leavers", ""),
    }


# ---------------------------------------------------------------------------
# Hostile files: caps, encryption (issue 9 #8)


def _sif_page_then_blanks(shared_data: Path, out: Path, blanks: int) -> Path:
    """A real SIF report's page 1 followed by `blanks` empty pages: the LSCB grade is then
    searched for through the second half of the file, page by page."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(report(shared_data, NOTTS_SIF)).pages[0])
    for _ in range(blanks):
        writer.add_blank_page(595, 842)
    writer.write(out)
    return out


def test_three_thousand_pages_stop_at_the_page_cap(shared_data: Path, tmp_path: Path) -> None:
    from etl.ingest.adapters.pdf_pages import MAX_PAGES

    pdf = _sif_page_then_blanks(shared_data, tmp_path / "long.pdf", 2999)
    p = describe_report(pdf, read_text=True)
    assert (p.status, p.document_type) == ("capped", "sif")
    assert p.reason == f"page cap: read {MAX_PAGES} pages of 3000"
    assert p.pages_read == MAX_PAGES
    (row,) = parse_report_rows([pdf])
    assert row["status"] == "capped" and row["reason"].startswith("page cap")


def test_time_cap(shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import functools

    from etl.ingest.adapters.pdf_pages import PdfPages

    monkeypatch.setattr(rp, "_Pages", functools.partial(PdfPages, cpu_seconds=-1.0))
    p = describe_report(report(shared_data, NOTTS_SIF))
    assert p.status == "capped"
    assert p.reason.startswith("time cap: -1 s of CPU spent after 0 of 47 pages")


def test_text_cap_keeps_the_grades_and_quarantines_the_text(
        shared_data: Path, resolver, monkeypatch: pytest.MonkeyPatch) -> None:
    import functools

    from etl.ingest.adapters.pdf_pages import PdfPages

    monkeypatch.setattr(rp, "_Pages", functools.partial(PdfPages, max_pages=3))
    result = parse_report(report(shared_data, NOTTS_ILACS), resolver, shared_data)
    (rec,) = result.records
    assert len(rec.judgements) == 4
    assert "report_sections" not in result.facts
    (reject,) = result.rejects
    assert reject.row_ref == "report text"
    assert reject.reason == "report text not read: page cap: read 3 pages of 12"


@pytest.mark.parametrize("user_password", ["secret"])
def test_encrypted_pdf_says_encrypted(tmp_path: Path, user_password: str) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password, "owner")
    pdf = tmp_path / "locked.pdf"
    writer.write(pdf)
    p = describe_report(pdf)
    assert p.status == "encrypted"
    assert p.reason == "encrypted: the PDF needs a password to open"
    assert "damaged" not in p.reason
    (row,) = parse_report_rows([pdf])
    assert (row["status"], row["reason"]) == ("encrypted", p.reason)


def test_owner_password_only_is_read(shared_data: Path, tmp_path: Path) -> None:
    """Encrypted with an empty user password (printing/copying restrictions only): readable."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(report(shared_data, NOTTS_ILACS)))
    writer.encrypt("", "owner")
    pdf = tmp_path / "restricted.pdf"
    writer.write(pdf)
    p = describe_report(pdf)
    assert (p.status, p.document_type) == ("parsed", "ilacs_standard")
    assert len(p.judgements) == 4


def test_parse_report_reason_column(shared_data: Path) -> None:
    assert CSV_HEADER[-1] == "reason"
    rows = parse_report_rows([report(shared_data, NOTTS_ILACS), report(shared_data, HTML_AS_PDF)])
    assert rows[0]["reason"] == ""
    assert rows[-1]["reason"].startswith("not a PDF: an HTML page")
