"""Secondary evidence for the abolished LAs' SIF outcomes: the real file and bad inputs."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from etl.ingest.adapters import secondary_web
from etl.ingest.adapters.secondary_web import REQUIRED_COLUMNS, parse_period, parse_secondary
from etl.ingest.records import SourceError
from etl.local_authorities import LA_COLUMNS, LaResolver, LocalAuthorities


@pytest.fixture(scope="module")
def secondary(shared_data, resolver):
    return parse_secondary(shared_data / secondary_web.RELPATH, resolver, shared_data)


def test_rows_group_into_inspections(secondary):
    # 29 judgement rows: Bournemouth 7, Poole 1, old Dorset 7, Northamptonshire 1,
    # Cumbria 7 (2015) + 6 (2017 re-inspection).
    assert secondary.rejects == []
    assert sum(len(r.judgements) for r in secondary.records) == 29
    got = [(r.la_code, r.inspection_type, len(r.judgements)) for r in secondary.records]
    assert got == [("837", "full", 7), ("836", "full", 1), ("835", "full", 7),
                   ("928", "full", 1), ("909", "full", 7), ("909", "re-inspection", 6)]
    s = secondary.source
    assert (s.kind, s.publisher, s.licence) == (
        "secondary_web", "news and council web pages (compiled)",
        "quoted for reference; see each row's source URL")
    assert all(r.evidence == "secondary" and r.framework == "SIF" for r in secondary.records)


def test_bournemouth_and_dorset(secondary):
    bmth, _, dorset = secondary.records[:3]
    assert bmth.row_ref == "rows 2-8"
    # Four of its seven rows are 'medium', inferred from "everything else ... improved".
    assert bmth.confidence == "medium"
    assert "help_and_protection=medium" in bmth.notes
    assert bmth.start_date is None and "'April 2014' (not exact)" in bmth.notes
    assert bmth.report_url == "https://www.bournemouthecho.co.uk/news/11308201"
    assert (dorset.start_date, dorset.end_date, dorset.published_date) == (
        dt.date(2016, 2, 22), dt.date(2016, 3, 17), dt.date(2016, 5, 23))
    assert dorset.report_url.startswith("https://www.dorsetforyou.gov.uk/")
    assert "bournemouthecho.co.uk/news/14510867" in dorset.notes  # every source listed
    assert {j.area: j.grade for j in dorset.judgements}["lscb"] == "inadequate"


def test_period_parsing():
    assert parse_period("2016-02-22 to 2016-03-17")[:2] == (dt.date(2016, 2, 22),
                                                            dt.date(2016, 3, 17))
    assert parse_period("February 2016 (five weeks)") == (None, None, dt.date(2016, 2, 1))
    assert parse_period("") == (None, None, None)


def tiny_resolver() -> LaResolver:
    rows = []
    # Validity dates tell the two Dorsets apart, as in the real lookup.
    for code, name, valid_from, valid_to in (
            ("837", "Bournemouth", "", "2019-03-31"), ("838", "Dorset", "2019-04-01", ""),
            ("835", "Dorset (county council to March 2019)", "", "2019-03-31")):
        row = {c: "" for c in LA_COLUMNS}
        row.update(la_code=code, name=name, valid_from=valid_from, valid_to=valid_to)
        rows.append(row)
    return LaResolver(LocalAuthorities(rows=rows, neighbours=[]))


ROW = dict(la_name="Bournemouth", event="SIF inspection", inspection_period="April 2014",
           published_date="", area="overall_effectiveness", grade="requires_improvement",
           confidence="high", source_url="https://example.org/a", evidence="words")


def _write(path: Path, rows: list[dict[str, str]], columns=REQUIRED_COLUMNS) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def test_bad_rows(tmp_path):
    rows = [
        ROW,
        dict(ROW, area="adoption", grade="splendid"),
        dict(ROW, la_name="Bornemouth"),
        dict(ROW, event="JTAI"),
        dict(ROW, la_name="Dorset", inspection_period="2016-02-22 to 2016-03-17",
             published_date="2016-05-23"),
        # The same name after April 2019 is the new Dorset council.
        dict(ROW, la_name="Dorset", inspection_period="", published_date="2020-01-10"),
    ]
    res = parse_secondary(_write(tmp_path / "s.csv", rows), tiny_resolver(), tmp_path)
    assert [(r.la_code, r.row_ref) for r in res.records] == [
        ("837", "row 2"), ("835", "row 6"), ("838", "row 7")]
    reasons = {r.row_ref: r.reason for r in res.rejects}
    assert "splendid" in reasons["row 3"]
    assert "did you mean: Bournemouth" in reasons["row 4"]
    assert "unknown event 'JTAI'" in reasons["row 5"]


def test_contradicting_group_is_rejected_whole(tmp_path):
    rows = [dict(ROW, published_date="2014-06-01"),
            dict(ROW, area="adoption", grade="good", published_date="2014-06-02")]
    res = parse_secondary(_write(tmp_path / "s.csv", rows), tiny_resolver(), tmp_path)
    assert res.records == []
    assert [r.row_ref for r in res.rejects] == ["row 2", "row 3"]
    assert "different published dates" in res.rejects[0].reason


def test_empty_and_missing_column(tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_text("")
    with pytest.raises(SourceError, match="empty"):
        parse_secondary(empty, tiny_resolver(), tmp_path)
    with pytest.raises(SourceError, match="confidence"):
        parse_secondary(_write(tmp_path / "m.csv", [ROW],
                               [c for c in REQUIRED_COLUMNS if c != "confidence"]),
                        tiny_resolver(), tmp_path)
    with pytest.raises(SourceError, match="no data rows"):
        parse_secondary(_write(tmp_path / "h.csv", []), tiny_resolver(), tmp_path)
