"""The briefing export (`python -m etl briefing`, etl.figures.briefing): seed 004 regenerated
from the reports on the real build, read back from the DOCX with python-docx; the Markdown;
other periods and sets of LAs; bad input; and the pure parts on hand-made frames."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from etl import DEFAULT_DB, PROJECT_ROOT
from etl.figures import briefing
from tests.conftest import require

SEED_004 = ("--framework", "SIF", "--published-from", "2013-11-01", "--published-to",
            "2014-10-31")
# Seed 004's headings (sections 3 and 4) as themes of the dictionary.
SEED_004_THEMES = {"multi_agency", "early_help", "social_work_practice", "care_leavers",
                   "legal_courts", "leadership", "challenge_scrutiny", "resourcing",
                   "education_virtual_school", "voice_of_child", "workforce", "health_camhs",
                   "lscb_partnerships"}


@pytest.fixture(scope="module")
def con():
    require(DEFAULT_DB.exists(), f"no database at {DEFAULT_DB}: run `python -m etl build`")
    from etl.warehouse.db import open_readonly

    c = open_readonly(DEFAULT_DB)
    yield c
    c.close()


def _briefing(tmp_path: Path, *args: str, out: str = "paper.docx"):
    path = tmp_path / out
    proc = subprocess.run([sys.executable, "-m", "etl", "briefing", *args, "--out", str(path)],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    return proc, path


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory, con):
    """Seed 004's period as the CLI writes it, opened with python-docx."""
    import docx

    proc, path = _briefing(tmp_path_factory.mktemp("brief"), *SEED_004)
    assert proc.returncode == 0, proc.stderr
    return docx.Document(str(path))


def _table_after(doc, heading: str) -> list[list[str]]:
    """The rows of the first table after the heading with this text."""
    body = doc.element.body
    seen = False
    for el in body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p" and "".join(t.text or "" for t in el.iter() if t.tag.endswith("}t")) \
                .strip() == heading:
            seen = True
        elif tag == "tbl" and seen:
            from docx.table import Table

            t = Table(el, doc)
            return [[c.text.strip() for c in row.cells] for row in t.rows]
    raise AssertionError(f"no table after {heading!r}")


def _text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def _hyperlinks(paragraph) -> list[str]:
    rels = paragraph.part.rels
    return [rels[h.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]
            .target_ref for h in paragraph._p.iter()
            if h.tag.endswith("}hyperlink")]


# ---------------------------------------------------------------------------- seed 004


def test_seed_004_grade_statistics(seed_docx) -> None:
    overall = _table_after(seed_docx, "Overall effectiveness")
    assert overall[0] == ["Grade", "From the reports", "The paper's text", "The paper's table"]
    rows = {r[0]: r[1:] for r in overall[1:]}
    # seed 004 section 5: 0 outstanding, 9 good, 18 requires improvement, 6 inadequate; 33
    assert rows["Outstanding"] == ["0", "0", "0"]
    assert rows["Good"] == ["9", "9", "9"]
    assert rows["Requires improvement"] == ["18", "18", "18"]
    assert rows["Inadequate"] == ["6", "6", "6"]
    assert rows["Total graded"] == ["33", "33", "33"]
    assert rows["Requires improvement or inadequate"] == ["73%", "71%", "73%"]


def test_seed_004_lscb_discrepancy_surfaced(seed_docx) -> None:
    lscb = {r[0]: r[1:] for r in _table_after(seed_docx, "LSCB effectiveness")[1:]}
    # the paper's text: 0/11/15/6 (32); its annex and the reports: 7 inadequate (33)
    assert lscb["Good"] == ["11", "11", "11"]
    assert lscb["Requires improvement"] == ["15", "15", "15"]
    assert lscb["Inadequate"] == ["7", "6", "7"]
    assert lscb["Total graded"] == ["33", "32", "33"]
    text = _text(seed_docx)
    assert "gives 6 inadequate (the reports: 7), 32 LSCBs in all against 33 graded" in text
    assert "its annex agrees with the reports, so its text miscounts" in text
    assert "The paper says 65% of LSCBs" in text and "its own counts give 21 of 32 (66%)" in text


def test_seed_004_share_inspected_and_reports(seed_docx) -> None:
    text = _text(seed_docx)
    assert "33 of the 152 local authorities in England on 31 October 2014 (22%) had a report " \
           "published in the period (the paper: 22%)." in text
    assert re.search(r"complete the cycle by \w+ \d{4}, 3\.\d years after it began "
                     r"\(the paper: 3\.5–4 years\)", text)
    annex = _table_after(seed_docx, "Annex: the 33 reports")
    assert len(annex) == 34
    names = {r[0] for r in annex[1:]}
    assert {"Birmingham", "Hampshire", "Bournemouth", "Southampton"} <= names
    bournemouth = next(r for r in annex if r[0] == "Bournemouth")
    assert "not in the report collection" in bournemouth[-1]


def test_seed_004_themes_named_from_the_reports_with_quotes(seed_docx, con) -> None:
    """At least five of seed 004's themes, each with quotes that are in the report at the page
    cited, linked to that page."""
    from docx.text.paragraph import Paragraph  # noqa: F401  (python-docx's paragraphs)

    labels = dict(con.execute("SELECT label, theme_id FROM themes").fetchall())
    sections: dict[str, list[tuple[str, str, str]]] = {}  # "2.1 Label" -> quotes
    current = None
    paragraphs = seed_docx.paragraphs
    for i, p in enumerate(paragraphs):
        if p.style.name == "Heading 2" and re.match(r"[23]\.\d+ ", p.text):
            current = p.text
            sections.setdefault(current, [])
        elif p.style.name.startswith("Heading 1") and current:
            current = None if not p.text.startswith(("2.", "3.")) else current
        elif current and p.style.name == "Quote" and p.text.startswith("“"):
            cite = paragraphs[i + 1]
            links = _hyperlinks(cite)
            assert len(links) == 1, cite.text
            sections[current].append((p.text.strip("“”"), cite.text, links[0]))
    named = {labels[s.split(" ", 1)[1]] for s in sections if sections[s]}
    assert len(named & SEED_004_THEMES) >= 5, named
    checked = 0
    for quotes in sections.values():
        assert 1 <= len(quotes) <= 3
        for text, cite, link in quotes:
            m = re.fullmatch(r"— (.+), report published (\d+ \w+ \d{4}), page (\d+)", cite)
            assert m, cite
            la, page = m.group(1), int(m.group(3))
            assert link.endswith(f"#page={page}") and link.startswith("https://files.ofsted.gov.uk/")
            # the quote is printed on that page of that LA's report
            docs = con.execute(
                "SELECT text FROM report_docs WHERE la_name = ? AND page = ? "
                "AND report_url = ?", [la, page, link.split("#")[0]]).fetchall()
            flat = " ".join(" ".join(t.split()) for (t,) in docs)
            assert " ".join(text.split()) in flat, (la, page, text)
            checked += 1
    assert checked >= 15


def test_seed_004_sections_say_praise_and_criticism(seed_docx) -> None:
    text = _text(seed_docx)
    assert "2. Key themes of well-performing authorities" in text
    assert "3. Key themes of authorities that perform poorly" in text
    assert re.search(r"Sentences praising it, found by word lists \(section 5\), in \d+ of the 9 "
                     r"reports on good or outstanding authorities", text)
    assert re.search(r"Sentences criticising it, found by word lists \(section 5\), in \d+ of the "
                     r"23 reports on authorities that require improvement or are inadequate "
                     r"\(\d+ sentences\); it is among what must improve in \d+ of the 23 "
                     r"\(\d+ improvement points\)", text)
    assert "Praised in" not in text
    # the paper's first lines are about 2014, not about the product's build
    top = [p.text for p in seed_docx.paragraphs[:3]]
    assert not any("built" in t for t in top), top
    assert re.search(r"The data: Reports to \d+ \w+ \d{4}; built \d+ \w+ \d{4}", text)
    footer = seed_docx.sections[0].footer.paragraphs[0].text
    assert "Contains public sector information licensed under the Open Government Licence v3.0" \
        in footer and "Ofsted" in footer
    assert seed_docx.core_properties.title.startswith("Ofsted inspection mapping: SIF reports "
                                                      "published November 2013 – October 2014")


def test_markdown_is_the_same_paper(tmp_path: Path, seed_docx) -> None:
    proc, path = _briefing(tmp_path, *SEED_004, "--format", "md", out="paper.md")
    assert proc.returncode == 0, proc.stderr
    md = path.read_text(encoding="utf-8")
    assert md.startswith("# Ofsted inspection mapping: SIF reports published November 2013 – "
                         "October 2014\n")
    assert "| Inadequate | 7 | 6 | 7 |" in md and "| Good | 9 | 9 | 9 |" in md
    headings = [p.text for p in seed_docx.paragraphs if p.style.name == "Heading 2"]
    for h in headings:
        assert f"### {briefing.md(h)}" in md, h
    assert md.count("](https://files.ofsted.gov.uk/v1/file/") > 33
    assert "Contains public sector information licensed under the Open Government Licence v3.0" \
        in md
    assert "python -m etl briefing --framework SIF --published-from 2013-11-01 " \
           "--published-to 2014-10-31 --format md" in md


# ---------------------------------------------------------------------------- other scopes


def test_statistical_neighbours_since_2023(tmp_path: Path, con) -> None:
    proc, path = _briefing(tmp_path, "--framework", "ILACS", "--published-from", "2023-01-01",
                           "--neighbours-of", "Nottinghamshire", "--format", "md",
                           out="nb.md")
    assert proc.returncode == 0, proc.stderr
    md = path.read_text(encoding="utf-8")
    assert md.startswith("# Ofsted inspection mapping: ILACS reports of Nottinghamshire's "
                         "statistical neighbours published 1 January 2023 – ")
    neighbours = {n for (n,) in con.execute(
        "SELECT l.name FROM statistical_neighbours s JOIN local_authorities l "
        "ON l.la_code = s.neighbour_la_code WHERE s.la_code = '891' AND vintage = 'current'"
    ).fetchall()}
    annex = md.split("## Annex", 1)[1]
    listed = {line.split(" | ")[0].strip("| ") for line in annex.splitlines()
              if line.startswith("| ") and not line.startswith("| Local authority")}
    assert listed and listed <= neighbours
    assert "Nottinghamshire" not in listed
    # no paper published figures for a set of LAs: only the reports' column
    assert "The paper's text" not in md
    assert "--neighbours-of 891" in md


def test_las_by_name_and_a_region(tmp_path: Path) -> None:
    proc, path = _briefing(tmp_path, *SEED_004, "--la", "Birmingham", "--la", "hampshire",
                           "--format", "md", out="two.md")
    assert proc.returncode == 0, proc.stderr
    md = path.read_text(encoding="utf-8")
    assert "SIF reports of Birmingham and Hampshire published" in md
    assert "| Good | 1 |" in md and "| Inadequate | 1 |" in md
    proc, path = _briefing(tmp_path, "--framework", "SIF", "--published-from", "2013-11-01",
                           "--published-to", "2018-08-31", "--region", "London",
                           "--format", "md", out="london.md")
    assert proc.returncode == 0, proc.stderr
    assert "the London region's authorities" in path.read_text(encoding="utf-8")


def test_bad_input_exits_with_the_reason(tmp_path: Path) -> None:
    proc, _ = _briefing(tmp_path, *SEED_004, "--la", "Nottinghamshyre")
    assert proc.returncode == 2 and "Nottinghamshire" in proc.stderr
    proc, _ = _briefing(tmp_path, "--published-from", "2015-01-01", "--published-to",
                        "2014-01-01")
    assert proc.returncode == 2 and "starts" in proc.stderr
    proc, _ = _briefing(tmp_path, "--framework", "LAC2013", "--published-from", "2020-01-01")
    assert proc.returncode == 1 and "nothing to brief on" in proc.stderr
    proc, _ = _briefing(tmp_path, *SEED_004, "--region", "Narnia")
    assert proc.returncode == 2 and "London" in proc.stderr
    proc, _ = _briefing(tmp_path, *SEED_004, "--la", "891", "--neighbours-of", "891")
    assert proc.returncode == 2 and "not allowed with" in proc.stderr
    proc, out = _briefing(tmp_path, *SEED_004, out="missing/dir/paper.docx")
    assert proc.returncode == 1 and "cannot write" in proc.stderr and not out.exists()


# ---------------------------------------------------------------------------- pure parts


def _frames(**over):
    reports = pd.DataFrame({
        "la_code": ["1", "2", "3"], "la_name": ["A", "B", "C"], "region_name": "X",
        "inspection_id": ["i1", "i2", "i3"], "framework": "SIF", "inspection_type": "full",
        "start_date": None, "end_date": None,
        "published_date": [dt.date(2014, 2, 1), dt.date(2014, 3, 1), dt.date(2014, 4, 1)],
        "publication_basis": "date", "overall_grade": ["good", "inadequate", "inadequate"],
        "overall_grade_text": "", "evidence": "primary",
        "lscb_grade": ["good", "inadequate", None], "lscb_grade_text": "",
        "lscb_evidence": "primary",
        "report_url": ["https://files.ofsted.gov.uk/v1/file/1", None, "https://news.example/x"],
        "has_text": [True, True, False]})
    themes = pd.DataFrame({
        "theme_id": ["t1", "t1", "t2", "t2"], "label": ["Theme one", "Theme one", "CAMHS: x",
                                                          "CAMHS: x"],
        "description": ["About one (seed 004 §3.1)"] * 2 + ["About two"] * 2,
        "grade_band": ["good_or_better", "failing"] * 2, "n_reports": [1, 2, 1, 2],
        "n_reports_mentioning": [1, 2, 1, 1], "mean_per_10k_words": [3.0, 5.0, 1.0, 9.0],
        "n_points": [4, 8, 4, 8], "n_points_tagged": [0, 2, 1, 5],
        "n_reports_with_points": [0, 1, 1, 2], "version": 1})
    quote = dict(quote_rank=1, la_code="2", la_name="B", published_date=dt.date(2014, 3, 1),
                 inspection_type="full", overall_grade="inadequate", page=4, heading="H",
                 report_url="https://files.ofsted.gov.uk/v1/file/2", source_id="s2",
                 phrases=["x"], strengths=0, weaknesses=2)
    quotes = pd.DataFrame([
        {**quote, "theme_id": "t1", "grade_band": "failing", "n_sentences": 3, "n_reports": 1,
         "sentence": "Plans [drift](http://evil) *too* long."},
        {**quote, "theme_id": "t2", "grade_band": "failing", "n_sentences": 6, "n_reports": 2,
         "sentence": "CAMHS waits are too long.\x0b"},
        {**quote, "theme_id": "t1", "grade_band": "good_or_better", "n_sentences": 2,
         "n_reports": 1, "la_code": "1", "la_name": "A", "page": 7,
         "sentence": "Plans are strong."},
    ])
    published = pd.DataFrame({
        "figure_id": ["f1", "f2", "f3", "f4", "f5"], "source": "seed 004 (Paper, 2014)",
        "description": "", "basis": "published_in_window",
        "area": ["overall_effectiveness"] * 5, "grade": ["outstanding", "good",
                                                         "requires_improvement", "inadequate",
                                                         "failing"],
        "value": [0, 1, 0, 1, 0.5], "unit": ["count"] * 4 + ["share"]})
    paper = pd.DataFrame({"source_id": "c", "title": "Paper, Annex 1",
                          "area": "overall_effectiveness",
                          "grade": ["good", "inadequate"], "n": [1, 2]})
    las = pd.DataFrame({"la_code": ["1", "2", "3", "4"], "name": list("ABCD"),
                        "region_name": "X", "valid_from": None,
                        "valid_to": [None, None, None, dt.date(2010, 1, 1)]})
    frames = dict(reports=reports, themes=themes, quotes=quotes, published=published,
                  paper_tables=paper, las=las)
    frames.update(over)
    return frames


def _compose(**over):
    scope = briefing.Scope(published_from=dt.date(2014, 1, 1), published_to=dt.date(2014, 12, 31),
                           framework="SIF")
    return briefing.compose(scope, **_frames(**over), generated=dt.date(2026, 1, 1))


def test_compose_counts_and_notes() -> None:
    b = _compose()
    overall = b.statistics[0]
    assert [(r.grade, r.n, r.published, r.paper_table) for r in overall.rows] == [
        ("outstanding", 0, 0.0, 0), ("good", 1, 1.0, 1), ("requires_improvement", 0, 0.0, 0),
        ("inadequate", 2, 1.0, 2)]
    assert overall.share_failing == pytest.approx(2 / 3)
    notes = " ".join(overall.notes)
    assert "The paper's text (Paper, 2014) gives 1 inadequate (the reports: 2)" in notes
    assert "so its text miscounts" in notes
    assert "The paper says 50% of authorities" in notes and "2 of 3 (67%)" in notes
    lscb = b.statistics[1]
    assert lscb.n_judged == 2 and "1 report of the period gives no" in " ".join(lscb.notes)
    # coverage: LAs of the period's England (D was abolished in 2010)
    assert (b.coverage.n_inspected, b.coverage.n_las) == (3, 3)
    # the theme with criticism in both reports and most improvement points leads section 3
    assert [f.theme_id for f in b.poor] == ["t2", "t1"]
    assert [f.theme_id for f in b.well] == ["t1"]  # t2 has no praising quote
    assert b.poor[0].counts.startswith("Sentences criticising it, found by word lists (section "
                                       "5), in 2 of the 2 reports")
    assert "among what must improve in 2 of the 2 (5 improvement points)" in b.poor[0].counts
    assert b.well[0].description == "About one"  # the dictionary's seed reference left out
    c = b.reports[2]
    assert "not in the report collection" in c.note and "not the report" in c.note
    assert "Most criticised in reports on authorities that require improvement or are " \
           "inadequate: CAMHS and theme one." in b.summary


def test_renderers_keep_report_text_inert() -> None:
    import io

    import docx

    b = _compose()
    md = briefing.to_markdown(b)
    assert "Plans \\[drift\\](http://evil) \\*too\\* long." in md
    assert not re.search(r"(?<!\\)\]\(http://evil", md)  # the bracket escaped: no link
    # a non-Ofsted link is not offered as the report
    assert "[web page](https://news.example/x)" in md
    from etl.figures.briefing_docx import to_docx

    doc = docx.Document(io.BytesIO(to_docx(b)))  # a control character does not break the file
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "“Plans [drift](http://evil) *too* long.”" in text
    assert "“CAMHS waits are too long.”" in text


def test_scope_checks_and_phrases() -> None:
    with pytest.raises(ValueError, match="starts"):
        briefing.Scope(published_from=dt.date(2015, 1, 1), published_to=dt.date(2014, 1, 1))
    with pytest.raises(ValueError, match="framework"):
        briefing.Scope(published_from=dt.date(2015, 1, 1), published_to=dt.date(2016, 1, 1),
                       framework="SLAC")
    s = briefing.Scope(published_from=dt.date(2013, 11, 1), published_to=dt.date(2014, 10, 31),
                       framework="SIF")
    assert briefing.reports_phrase(s) == "SIF reports published November 2013 – October 2014"
    s2 = briefing.Scope(published_from=dt.date(2023, 1, 3), published_to=dt.date(2026, 8, 20),
                        las=("891",), group="Nottinghamshire", neighbours_of=None)
    assert briefing.reports_phrase(s2) == ("Reports of Nottinghamshire published 3 January "
                                           "2023 – 20 August 2026")
    assert briefing.argv(s2, "md") == ["briefing", "--published-from", "2023-01-03",
                                       "--published-to", "2026-08-20", "--la", "891",
                                       "--format", "md", "--out", "briefing.md"]
    assert briefing.in_sentence("LSCB effectiveness") == "LSCB effectiveness"
    assert briefing.in_sentence("Reports of X") == "reports of X"


def test_a_sentence_is_quoted_under_one_theme_only() -> None:
    frames = _frames()
    q = frames["quotes"]
    same = q[(q["theme_id"] == "t1") & (q["grade_band"] == "failing")].assign(theme_id="t2")
    other = same.assign(quote_rank=2, la_code="3", la_name="C", sentence="Waits are too long.")
    quotes = pd.concat([q[q["theme_id"] != "t2"], same, other], ignore_index=True)
    b = _compose(quotes=quotes)
    texts = [q.text for f in b.poor for q in f.quotes]
    assert len(texts) == len(set(texts))
    # t2 ranks first and takes the shared sentence; t1 has no other, so it is left out
    assert [f.theme_id for f in b.poor] == ["t2"]
    assert [q.text for q in b.poor[0].quotes] == ["Plans [drift](http://evil) *too* long.",
                                                  "Waits are too long."]
