"""Council paper tables: Kent's Dec 2014 SIF annex (seed 004) and hand-made bad tables."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from conftest import require

from etl import DEFAULT_SHARED_DATA
from etl.ingest.adapters.council_tables import (
    COUNCIL_PAPERS,
    header_area,
    parse_council_tables,
    parse_paper_file,
)
from etl.ingest.records import SourceError
from etl.local_authorities import LA_COLUMNS, LaResolver, LocalAuthorities

SEEDS = DEFAULT_SHARED_DATA.parent / "seeds"
KW = dict(paper_date=dt.date(2014, 12, 3), framework="SIF",
          published_on_or_before=dt.date(2014, 10, 31))


def tiny_resolver() -> LaResolver:
    rows = []
    for code, name in (("370", "Barnsley"), ("886", "Kent"), ("837", "Bournemouth")):
        row = {c: "" for c in LA_COLUMNS}
        row.update(la_code=code, name=name)
        rows.append(row)
    return LaResolver(LocalAuthorities(rows=rows, neighbours=[]))


@pytest.fixture(scope="module")
def kent(resolver):
    paper = COUNCIL_PAPERS[0]
    path = SEEDS / paper.file
    require(path.is_file(), f"seed paper not found at {path}")
    return parse_paper_file(path, resolver)


def test_kent_annex_counts(kent):
    # Annex 1 lists 33 LAs (lines 168-200 of the seed).
    assert len(kent.records) == 33 and kent.rejects == []
    overall = Counter(j.grade for r in kent.records for j in r.judgements
                      if j.area == "overall_effectiveness")
    # The paper's text: 0 outstanding, 9 good, 18 RI, 6 inadequate.
    assert overall == {"good": 9, "requires_improvement": 18, "inadequate": 6}
    lscb = Counter(j.grade for r in kent.records for j in r.judgements if j.area == "lscb")
    # The text says 6 inadequate LSCBs; the table has 7. We keep what the table says.
    assert lscb == {"good": 11, "requires_improvement": 15, "inadequate": 7}


def test_kent_records_shape(kent):
    s = kent.source
    assert (s.kind, s.publisher, s.path, s.as_at) == (
        "council_paper_table", "Kent County Council", "004_94dce6978bd3ae2c.txt",
        dt.date(2014, 10, 31))
    assert s.licence == "Open Government Licence v3.0"
    for r in kent.records:
        assert (r.framework, r.inspection_type, r.evidence) == ("SIF", "full", "derived")
        assert r.published_on_or_before == dt.date(2014, 10, 31)
        assert r.start_date is None and r.published_date is None
    by_name = {r.la_name_raw: r for r in kent.records}
    assert by_name["Bournemouth"].la_code == "837"  # the pre-2019 LA, not BCP
    assert by_name["Barking & Dagenham"].la_code == "301"


def test_kent_sub_grades(kent):
    barnsley = next(r for r in kent.records if r.la_name_raw == "Barnsley")
    assert barnsley.row_ref == "table 1 line 169"
    got = {j.area: (j.grade, j.grade_text) for j in barnsley.judgements}
    cell = "Requires Improvement (Care Leavers: Good)"
    assert got == {"overall_effectiveness": ("requires_improvement", cell),
                   "care_leavers": ("good", cell),
                   "lscb": ("requires_improvement", "Requires Improvement")}
    # "Children in Care, Leadership & Management: Good CIC" -> two sub-grades.
    bradford = {j.area: j.grade for j in next(
        r for r in kent.records if r.la_name_raw == "Bradford").judgements}
    assert bradford["children_looked_after"] == "good" and bradford["leadership"] == "good"


def test_header_words():
    assert header_area("Overall Judgment") == "overall_effectiveness"
    assert header_area("LCSB effectiveness") == "lscb"  # the paper's own typo
    assert header_area("Children looked after and achieving permanence") == \
        "children_looked_after"
    assert header_area("Children in care and care leavers") == \
        "children_in_care_and_care_leavers"
    assert header_area("Colour") is None


def _paper(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "paper.md"
    path.write_text(text, encoding="utf-8")
    return path


TABLE = """Some text | not a table

| Local Authority | Overall Judgement | LSCB |
|---|---|---|
| Barnsley | Good | Good |
| Kent | Smashing | Good |
| Barnslee | Good | Good |
| Bournemouth | Requires Improvement (Adoption: Good) | Inadequate |
"""


def test_bad_rows_are_rejected(tmp_path):
    res = parse_council_tables(_paper(tmp_path, TABLE), tiny_resolver(), tmp_path, **KW)
    assert [r.la_code for r in res.records] == ["370", "837"]
    reasons = {r.row_ref: r.reason for r in res.rejects}
    assert "Smashing" in reasons["table 1 line 6"]
    assert "did you mean: Barnsley" in reasons["table 1 line 7"]  # UnknownLA lists candidates
    assert res.rejects[0].file == "paper.md"
    assert res.source.publisher == "council (not identified)"


def test_unrecognised_judgement_column_is_a_source_error(tmp_path):
    text = ("| Local Authority | Overall Judgement | Colour rating |\n|--|--|--|\n"
            "| Kent | Good | Red |\n")
    with pytest.raises(SourceError, match="Colour rating"):
        parse_council_tables(_paper(tmp_path, text), tiny_resolver(), tmp_path, **KW)


def test_empty_or_tableless_paper_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="empty"):
        parse_council_tables(_paper(tmp_path, "  \n"), tiny_resolver(), tmp_path, **KW)
    with pytest.raises(SourceError, match="no table"):
        parse_council_tables(_paper(tmp_path, "just words"), tiny_resolver(), tmp_path, **KW)


def test_html_table(tmp_path):
    html = """<html><body><table>
    <tr><th>Local Authority</th><th>Overall effectiveness</th><th>Adoption</th></tr>
    <tr><td>Kent</td><td>Requires improvement to be good</td><td>Outstanding</td></tr>
    <tr><td>Barnsley</td><td>Good</td></tr>
    </table></body></html>"""
    res = parse_council_tables(_paper(tmp_path, html), tiny_resolver(), tmp_path, **KW)
    assert [(j.area, j.grade) for j in res.records[0].judgements] == [
        ("overall_effectiveness", "requires_improvement"), ("adoption", "outstanding")]
    assert res.records[0].row_ref == "table 1 row 2"
    assert "2 cells for 3 header columns" in res.rejects[0].reason
