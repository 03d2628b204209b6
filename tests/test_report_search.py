"""Report text in the warehouse: the gzipped snapshot file, search_reports (BM25, stemming,
phrases, filters, snippets), themes and their measures, on the real build."""

from __future__ import annotations

import gzip
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl import PROJECT_ROOT, SNAPSHOT_DIR
from etl.ingest import snapshot as snap


@pytest.fixture(scope="module")
def con(built_db: Path):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


def rows(con, sql: str, *params) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


# ---------------------------------------------------------------------------- the snapshot file


def test_report_text_ships_gzipped_and_counted() -> None:
    meta = snap.verify_snapshot(SNAPSHOT_DIR)
    entry = meta["files"]["report_sections.csv.gz"]
    path = SNAPSHOT_DIR / "report_sections.csv.gz"
    assert entry["rows"] == len(snap.read_csv_rows(path)) > 1000
    assert "report_sections.csv" not in meta["files"]
    total = sum(p.stat().st_size for p in SNAPSHOT_DIR.iterdir())
    assert total < 25 * 1024 * 1024, f"the shipped snapshot is {total / 2**20:.1f} MB"


def test_gzip_written_reproducibly(tmp_path: Path) -> None:
    sample = snap.read_csv_rows(SNAPSHOT_DIR / "report_sections.csv.gz")[:50]
    a, b = tmp_path / "a.csv.gz", tmp_path / "b.csv.gz"
    snap._write_csv(a, "report_sections", sample)
    snap._write_csv(b, "report_sections", sample)
    assert a.read_bytes() == b.read_bytes()  # no name or time in the gzip header
    assert snap.read_csv_rows(a) == sample
    assert snap.file_manifest(tmp_path)["a.csv.gz"]["rows"] == 50


def test_truncated_gzip_refused(tmp_path: Path) -> None:
    copy = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, copy)
    path = copy / "report_sections.csv.gz"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(snap.SnapshotError, match=r"report_sections\.csv\.gz: -?\d+ rows, the manifest"):
        snap.verify_snapshot(copy)
    with pytest.raises(gzip.BadGzipFile):
        gzip.decompress(b"not gzip")


def test_every_report_has_sections_or_is_quarantined(con) -> None:
    missing = rows(con, """
        SELECT s.source_id FROM sources s
        WHERE s.kind = 'ofsted_report_pdf'
          AND s.source_id NOT IN (SELECT source_id FROM report_sections)
          AND s.source_id NOT IN (SELECT source_id FROM quarantine
                                  WHERE row_ref IN ('page 1', 'whole file', 'report text'))""")
    assert missing == []
    (n_text,) = rows(con, "SELECT count(DISTINCT source_id) FROM report_sections")[0]
    assert n_text > 450


def test_no_page_furniture_in_points(con) -> None:
    """Footers ("Inspection of X local authority children's services", the dates and the page
    number) never end up inside an improvement point."""
    leaks = rows(con, r"""
        SELECT source_id, seq, text FROM improvement_points
        WHERE regexp_matches(text, 'Inspection of [\w ,&]+ (?:local authority )?children.s services')
           OR regexp_matches(text, '\d{1,2} \w+ (?:to|–|-) \d{1,2} \w+ \d{4} \d{1,2}\b')""")
    assert leaks == []


# ---------------------------------------------------------------------------- search


def search(con, query: str, **kw) -> list[dict]:
    args = ", ".join([f"'{query}'"] + [f"{k} := {v!r}" if isinstance(v, str) else f"{k} := {v}"
                                        for k, v in kw.items()])
    cur = con.execute(f"SELECT * FROM search_reports({args})")
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def test_neglect_ranked_with_marked_snippets(con) -> None:
    hits = search(con, "neglect")
    assert len(hits) == 50
    assert [h["rank"] for h in hits] == list(range(1, 51))
    assert all(a["score"] >= b["score"] for a, b in zip(hits, hits[1:], strict=False))
    for h in hits:
        assert re.search(r"«neglect\w*»", h["snippet"], re.I), h["snippet"]
        assert h["la_name"] and h["page"] >= 1 and h["inspection_id"]


def test_bm25_scores(con) -> None:
    """The macro's score is BM25 (k1 = 1.2, b = 0.75) recomputed here from the index."""
    n, avgdl = rows(con, "SELECT n_docs, avg_doc_len FROM report_corpus")[0]
    (df,) = rows(con, "SELECT df FROM report_term_stats WHERE term = 'neglect'")[0]
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    for h in search(con, "neglect", max_results=20):
        tf, dl = rows(con, """SELECT t.tf, l.doc_len FROM report_terms t JOIN report_doc_lengths l
                              USING (doc_id) WHERE t.term = 'neglect' AND doc_id = ?""", h["doc_id"])[0]
        expected = idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * dl / avgdl))
        assert h["score"] == pytest.approx(expected, abs=1e-3)


def test_plural_stemming(con) -> None:
    def docs(q: str) -> set[int]:
        return {h["doc_id"] for h in search(con, q, max_results=100000)}

    assert docs("assessments") == docs("assessment") and len(docs("assessment")) > 1000
    assert docs("authorities") == docs("authority")
    assert docs("leaver") == docs("care leavers") - (docs("care") - docs("leaver"))


def test_phrase_query(con) -> None:
    quoted = search(con, '"care leavers"', max_results=100000)
    words = search(con, "care leavers", max_results=100000)
    assert 0 < len(quoted) < len(words)
    texts = dict(rows(con, "SELECT doc_id, heading || ' ' || text FROM report_docs"))
    for h in quoted:
        assert re.search(r"\bcare\W+leaver", texts[h["doc_id"]], re.I)
    # a document with both words apart, but not the phrase, is left out
    apart = [h for h in words
             if not re.search(r"\bcare\W+leaver", texts[h["doc_id"]], re.I)]
    assert apart and not ({h["doc_id"] for h in apart} & {h["doc_id"] for h in quoted})


def test_filters(con) -> None:
    sif = search(con, "drift", framework="SIF", max_results=500)
    assert sif and {h["framework"] for h in sif} == {"SIF"}
    notts = search(con, "strategy discussions", la="891", max_results=500)
    assert notts and {h["la_code"] for h in notts} == {"891"}
    assert {h["doc_id"] for h in search(con, "strategy discussions", la="Nottinghamshire",
                                        max_results=500)} == {h["doc_id"] for h in notts}
    inadequate = search(con, "drift", grade="inadequate", max_results=500)
    assert inadequate and {h["overall_grade"] for h in inadequate} == {"inadequate"}
    failing_any = search(con, "drift", grade="inadequate", area="any", max_results=2000)
    assert {h["doc_id"] for h in inadequate} < {h["doc_id"] for h in failing_any}
    good = search(con, "drift", grade="good_or_better", max_results=2000)
    assert {h["overall_grade"] for h in good} <= {"good", "outstanding"}
    london = search(con, "gangs", region="London", max_results=500)
    assert london and {h["region_name"] for h in london} == {"London"}
    window = search(con, "neglect", from_date="2014-01-01", to_date="2014-12-31", max_results=500)
    assert window and all(h["published_date"].year == 2014 for h in window)


def test_search_from_the_cli(built_db: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "etl", "sql", "--db", str(built_db),
                          "SELECT rank, la_name, snippet FROM search_reports('neglect')"],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "rank,la_name,snippet" and len(lines) == 51
    assert "«neglect" in out.stdout.lower() or "«Neglect" in out.stdout


# ---------------------------------------------------------------------------- themes


SEED_004_HEADINGS = {"multi_agency", "early_help", "social_work_practice", "care_leavers",
                     "legal_courts", "leadership", "challenge_scrutiny", "resourcing",
                     "education_virtual_school", "voice_of_child", "workforce", "health_camhs",
                     "exploitation_missing", "lscb_partnerships"}


def test_theme_dictionary(con) -> None:
    themes = rows(con, "SELECT theme_id, label, description, phrases, version FROM themes")
    assert {t[0] for t in themes} == SEED_004_HEADINGS
    for theme_id, label, description, phrases, version in themes:
        assert label and description and version >= 1
        assert len([p for p in phrases.split(";") if p.strip()]) >= 5, theme_id


def test_every_theme_tags_sections_and_points(con) -> None:
    tagged = dict(rows(con, "SELECT theme_id, count(*) FROM report_doc_themes GROUP BY 1"))
    points = dict(rows(con, "SELECT theme_id, count(*) FROM improvement_point_themes GROUP BY 1"))
    assert set(tagged) == set(points) == SEED_004_HEADINGS
    assert min(points.values()) >= 10


def test_theme_tagging_by_phrase(con) -> None:
    # a point about CAMHS waiting times carries health_camhs; one about IRO challenge carries
    # challenge_scrutiny
    camhs = rows(con, """SELECT DISTINCT t.theme_id FROM improvement_points p
                         JOIN improvement_point_themes t USING (source_id, seq)
                         WHERE p.text ILIKE '%Child and Adolescent Mental Health Service%'""")
    assert ("health_camhs",) in camhs
    assert rows(con, """SELECT count(*) FROM improvement_points p
                        WHERE p.text ILIKE '%independent reviewing officer%'
                          AND NOT EXISTS (SELECT 1 FROM improvement_point_themes t
                                          WHERE t.source_id = p.source_id AND t.seq = p.seq
                                            AND t.theme_id = 'challenge_scrutiny')""")[0][0] == 0


def test_theme_shares_and_separation(con) -> None:
    shares = rows(con, """SELECT theme_id, grade_band, framework, n_reports, share_reports,
                                 share_points FROM theme_shares(by_framework := true)""")
    assert shares
    for _theme, band, framework, _n, share_r, share_p in shares:
        assert band in ("good_or_better", "failing") and framework
        assert 0 <= share_r <= 1 and (share_p is None or 0 <= share_p <= 1)
    # every theme counts the same reports in a group
    groups: dict[tuple, set[int]] = {}
    for _theme, band, framework, n, *_ in shares:
        groups.setdefault((band, framework), set()).add(n)
    assert all(len(ns) == 1 for ns in groups.values())
    sep = rows(con, "SELECT theme_id, log2_ratio, more_in FROM theme_separation(framework := 'SIF')")
    assert {s[0] for s in sep} == SEED_004_HEADINGS
    assert all((s[1] >= 0) == (s[2] == "failing") for s in sep)
    logs = [abs(s[1]) for s in sep]
    assert logs == sorted(logs, reverse=True)


def test_theme_sentences(con) -> None:
    sentences = rows(con, """SELECT sentence, la_name, page FROM theme_sentences('health_camhs',
                             framework := 'SIF', max_results := 30)""")
    assert len(sentences) == 30
    pattern = re.compile(r"camhs|mental health|health assessment|dental|immunisation|"
                         r"strengths and difficulties|emotional health|health needs", re.I)
    assert all(pattern.search(s[0]) for s in sentences)
