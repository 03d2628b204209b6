"""The model's history since 2009 and "today" after the April 2026 change (sql/01_schema.sql,
03_model.sql, 05_macros.sql), on a database built from the shipped snapshot.

Figures checked by hand: the 2023 release's "LA level at 31 March 2023" sheet (25 / 65 / 48 / 14
of 152 LAs; South Tyneside's report published 10 May 2023, after the 30 April cut-off, counted by
the release per its note 4); the 2024 and 2025 releases; the post-April-2026 reports (Liverpool
started 11 May 2026, South Tyneside 15 June 2026, neither with an overall grade).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from etl.warehouse.reconcile import reconcile

D = dt.date


@pytest.fixture(scope="module")
def con(built_db: Path):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


def rows(con, sql: str, *params) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


def dist(con, sql: str) -> dict[str, int]:
    return dict(rows(con, f"SELECT grade, n FROM ({sql})"))


# --- the grade scales ------------------------------------------------------------------------

def test_adequate_is_its_own_grade_on_the_pre_2013_scale(con):
    got = {g: r for g, *r in rows(con, "SELECT grade, grade_rank, scale, is_failing, "
                                       "is_good_or_better, current_wording FROM grades")}
    assert got["adequate"] == [3, "pre_2013", True, False, "requires_improvement"]
    assert got["requires_improvement"] == [3, "four_point", True, False, "requires_improvement"]
    assert got["good"][1:] == ["four_point", False, True, "good"]
    assert got["no_overall_grade"][1:4] == ["post_2026", False, False]


def test_every_framework_since_2009_is_in_the_model(con):
    got = dict(rows(con, "SELECT framework, count(*) FROM inspections WHERE is_inspection "
                         "GROUP BY ALL"))
    # (and area SEND inspections, on a scale of their own: tests/test_area_send.py)
    assert set(got) == {"SLAC", "CPI", "LAC2013", "SIF", "ILACS", "AREA_SEND"}
    assert got["SLAC"] >= 152 and got["CPI"] >= 50 and got["LAC2013"] >= 5
    # adequate only on the pre-2013 frameworks, requires improvement only since
    scales = rows(con, """SELECT DISTINCT i.framework, j.grade FROM judgements j
                          JOIN inspections i USING (inspection_id)
                          WHERE j.grade IN ('adequate', 'requires_improvement')""")
    assert {f for f, g in scales if g == "adequate"} == {"SLAC", "CPI", "LAC2013"}
    assert {f for f, g in scales if g == "requires_improvement"} == {"SIF", "ILACS"}


def test_kent_2013_adequate_loads_from_the_report_and_agrees_with_the_statistics(con):
    got = rows(con, """
        SELECT i.source_kinds, j.grade, j.grade_text, j.source_kind, j.has_conflict
        FROM inspections i JOIN judgements j USING (inspection_id)
        WHERE i.la_code = '886' AND i.framework = 'LAC2013' AND j.area = 'overall_effectiveness'""")
    assert got == [("ofsted_csc_statistics, ofsted_report_pdf", "adequate", "Adequate",
                    "ofsted_report_pdf", False)]
    words = {k: t for k, t in rows(con, """
        SELECT source_kind, grade_text FROM judgement_observations
        WHERE inspection_id LIKE '886-LAC2013-%' AND area = 'overall_effectiveness'""")}
    # the statistics print today's wording; both are the grade adequate
    assert words == {"ofsted_report_pdf": "Adequate",
                     "ofsted_csc_statistics": "Requires improvement to be good"}


def test_slac_overall_is_the_worse_strand_and_says_so(con):
    (got,) = rows(con, """
        SELECT b.grade, b.grade_text FROM judgement_bases b JOIN inspections i USING (inspection_id)
        WHERE i.la_code = '301' AND i.framework = 'SLAC' AND b.area = 'overall_effectiveness'""")
    # Barking and Dagenham 2012: safeguarding good, looked-after children adequate
    assert got[0] == "adequate"
    assert got[1].startswith("derived (SLAC gives no overall grade): worse of")


# --- 2016: every LA with a judgement from some framework -------------------------------------

def test_every_la_on_12_january_2016_has_a_grade_from_some_framework(con):
    sql = "SELECT * FROM grade_distribution(DATE '2016-01-12', 'overall_effectiveness')"
    (n_judged, n_las), = set(rows(con, f"SELECT n_judged, n_las FROM ({sql})"))
    assert (n_judged, n_las) == (152, 152)
    got = dist(con, sql)
    assert got["adequate"] > 0 and sum(got.values()) == 152
    frameworks = dict(rows(con, "SELECT framework, count(*) FROM latest_judgements("
                                "DATE '2016-01-12', 'overall_effectiveness') GROUP BY ALL"))
    assert {"SIF", "SLAC"} <= set(frameworks) and sum(frameworks.values()) == 152
    # Ofsted's current wording folds adequate into requires improvement
    current = dist(con, "SELECT * FROM grade_distribution(DATE '2016-01-12', "
                        "'overall_effectiveness', wording := 'current')")
    assert "adequate" not in current
    assert current["requires_improvement"] == got["requires_improvement"] + got["adequate"]


def test_failing_share_counts_adequate_as_the_grades_table_says(con):
    (row,) = rows(con, """SELECT n_failing, n_adequate, n_judged, share_failing FROM
        failing_over_time('overall_effectiveness', DATE '2016-01-12', DATE '2016-01-12')
        WHERE geography = 'England'""")
    d = dist(con, "SELECT * FROM grade_distribution(DATE '2016-01-12', 'overall_effectiveness')")
    assert row[0] == d["adequate"] + d["requires_improvement"] + d["inadequate"]
    assert row[1] == d["adequate"] and row[2] == 152


# --- the official releases ------------------------------------------------------------------

def test_2023_release_reproduced_except_south_tyneside(con):
    got = dist(con, "SELECT * FROM grade_distribution(DATE '2023-03-31', 'overall_effectiveness', "
                    "published_by := DATE '2023-04-30')")
    # the release: 25 / 65 / 48 / 14; South Tyneside (inadequate, report 10 May 2023) counts
    # with its SIF grade (good) on the stated cut-off
    assert got == {"outstanding": 25, "good": 66, "requires_improvement": 48, "inadequate": 13}
    (st,) = rows(con, "SELECT grade, framework FROM latest_judgements(DATE '2023-03-31', "
                      "'overall_effectiveness', published_by := DATE '2023-04-30') "
                      "WHERE la_code = '393'")
    assert st == ("good", "SIF")
    figures = dict(rows(con, "SELECT grade, value FROM reference_figures WHERE figure_id LIKE "
                             "'csc2023_overall_effectiveness_%'"))
    assert figures == {"outstanding": 25, "good": 65, "requires_improvement": 48,
                       "inadequate": 14}


@pytest.mark.parametrize(("as_at", "published_by", "want"), [
    ("2024-03-31", "2024-06-30", {"outstanding": 30, "good": 61, "requires_improvement": 43,
                                  "inadequate": 17}),
    ("2025-03-31", "2025-06-30", {"outstanding": 36, "good": 67, "requires_improvement": 31,
                                  "inadequate": 19}),
])
def test_2024_and_2025_releases_still_exact(con, as_at, published_by, want):
    assert dist(con, f"SELECT * FROM grade_distribution(DATE '{as_at}', 'overall_effectiveness', "
                     f"published_by := DATE '{published_by}')") == want


def test_reconcile_names_the_departure(con):
    df = reconcile(con)
    row = df.set_index("figure_id").loc["csc2023_overall_effectiveness_inadequate"]
    assert (row["published"], row["computed"], bool(row["matches"])) == (14, 13, False)
    assert "South Tyneside" in row["explanation"] and "note 4" in row["explanation"]
    assert "on the release's own basis (South Tyneside counted with the later report): 14 " \
           "(matches)" in row["explanation"]
    same = df.set_index("figure_id").loc["csc2023_overall_effectiveness_outstanding"]
    assert bool(same["matches"])
    assert df.set_index("figure_id").loc[["ods2024_ri", "ods2025_ri"], "matches"].all()


# --- "today" after the April 2026 change -----------------------------------------------------

POST_REFORM_LAS = """
    SELECT DISTINCT la_code FROM inspections
    WHERE framework = 'ILACS' AND is_inspection AND start_date >= DATE '2026-04-20'
      AND published_date <= DATE '2026-09-01'"""


def test_no_la_with_a_post_reform_inspection_counts_under_its_old_grade(con):
    post = {c for (c,) in rows(con, POST_REFORM_LAS)}
    assert {"341", "393"} <= post  # Liverpool, South Tyneside
    got = dict(rows(con, "SELECT la_code, grade FROM latest_judgements(DATE '2026-09-01', "
                         "'overall_effectiveness')"))
    assert {c: g for c, g in got.items() if c in post and g != "no_overall_grade"} == {}
    assert [c for c, g in got.items() if g == "no_overall_grade" and c not in post] == []
    (liverpool,) = rows(con, """
        SELECT grade, previous_grade, no_overall_since, is_superseded, start_date, grade_text
        FROM latest_judgements(DATE '2026-09-01', 'overall_effectiveness') WHERE la_code = '341'""")
    assert liverpool[:5] == ("no_overall_grade", "inadequate", D(2026, 5, 11), False,
                             D(2026, 5, 11))
    assert "after the April 2026 change" in liverpool[5]


def test_carry_forward_keeps_the_old_grade_flagged_superseded(con):
    got = rows(con, """SELECT la_code, grade, is_superseded, no_overall_since FROM
        latest_judgements(DATE '2026-09-01', 'overall_effectiveness', superseded := 'carry_forward')
        WHERE la_code IN ('341', '393') ORDER BY la_code""")
    assert got == [("341", "inadequate", True, D(2026, 5, 11)),
                   ("393", "inadequate", True, D(2026, 6, 15))]


def test_the_cut_off_follows_the_inspection_start_not_publication(con):
    # North Lincolnshire: started 16 March 2026, published 30 April 2026, graded overall
    (nl,) = rows(con, "SELECT grade, no_overall_since FROM latest_judgements(DATE '2026-09-01', "
                      "'overall_effectiveness') WHERE la_code = '813'")
    assert nl == ("outstanding", None)
    (cut,) = rows(con, "SELECT no_overall_from FROM frameworks WHERE framework = 'ILACS'")
    started = rows(con, """SELECT min(start_date) FILTER (WHERE NOT graded),
                                  max(start_date) FILTER (WHERE graded)
        FROM (SELECT i.start_date, bool_or(j.area = 'overall_effectiveness'
                                            AND j.grade <> 'not_judged') AS graded
              FROM inspections i LEFT JOIN judgements j USING (inspection_id)
              WHERE i.framework = 'ILACS' AND i.is_inspection GROUP BY ALL)""")
    first_ungraded, last_graded = started[0]
    assert last_graded < cut[0] <= first_ungraded


def test_distribution_and_failing_series_show_the_category_outside_the_shares(con):
    d = {g: (n, s) for g, n, s in rows(con, "SELECT grade, n, share FROM grade_distribution("
                                            "DATE '2026-09-01', 'overall_effectiveness')")}
    n_post = len(rows(con, POST_REFORM_LAS))
    assert d["no_overall_grade"] == (n_post, None)
    assert sum(s for g, (_, s) in d.items() if s is not None) == pytest.approx(1.0)
    (f,) = rows(con, """SELECT n_las, n_judged, n_no_overall_grade FROM failing_over_time(
        'overall_effectiveness', DATE '2026-09-01', DATE '2026-09-01') WHERE geography = 'England'""")
    assert f == (153, 153 - n_post, n_post)
    # the worst-practice basis is unaffected: post-reform inspections keep their four judgements
    (p,) = rows(con, """SELECT n_no_overall_grade, n_judged FROM failing_over_time('any_practice',
        DATE '2026-09-01', DATE '2026-09-01') WHERE geography = 'England'""")
    assert p == (0, 153)


def test_neighbour_judgements_show_the_category_and_old_calls_still_work(con):
    got = dict(rows(con, "SELECT la_code, grade FROM neighbour_judgements('341', "
                         "DATE '2026-09-01', 'overall_effectiveness')"))
    assert got["341"] == "no_overall_grade" and len(got) == 11
    # the signatures of before: positional as_at/area, named framework / published_by
    assert rows(con, "SELECT count(*) FROM latest_judgements(DATE '2017-11-10', "
                     "'overall_effectiveness', framework := 'SIF')") == [(152,)]
    with pytest.raises(duckdb.Error, match="superseded must be"):
        rows(con, "SELECT * FROM latest_judgements(DATE '2026-09-01', 'overall_effectiveness', "
                  "superseded := 'maybe')")


# --- statistical-neighbour vintages ----------------------------------------------------------

def test_lookup_sets_are_the_2025_and_2021_vintages(con):
    assert dict(rows(con, "SELECT vintage, same_as FROM neighbour_vintages "
                          "WHERE vintage IN ('current', 'previous')")) == {
        "current": "2025", "previous": "2021"}
    differ = rows(con, """
        SELECT la_code FROM statistical_neighbours WHERE vintage = 'current'
        EXCEPT SELECT la_code FROM (
            SELECT c.la_code FROM statistical_neighbours c JOIN statistical_neighbours d
              ON d.vintage = '2025' AND c.la_code = d.la_code AND c.rank = d.rank
             AND c.neighbour_la_code = d.neighbour_la_code
            WHERE c.vintage = 'current' GROUP BY c.la_code HAVING count(*) = 10)""")
    assert differ == []
    bands = {b for (b,) in rows(con, "SELECT DISTINCT closeness FROM statistical_neighbours "
                                     "WHERE vintage = '2025'")}
    assert bands and bands <= {"Extremely close", "Very close", "Close", "Somewhat close",
                               "Not close"}


@pytest.mark.parametrize(("as_at", "vintage", "before_first"), [
    ("2019-06-30", "2021", True), ("2022-06-30", "2021", False), ("2025-06-30", "2025", False)])
def test_vintage_in_force_at_a_date(con, as_at, vintage, before_first):
    (got,) = rows(con, f"SELECT vintage, before_first_vintage FROM neighbour_vintage_on(DATE '{as_at}')")
    assert got == (vintage, before_first)
    used = {v for (v,) in rows(con, f"SELECT DISTINCT vintage_used FROM neighbour_judgements("
                                    f"'855', DATE '{as_at}', 'overall_effectiveness', "
                                    f"vintage := 'in_force')")}
    assert used == {vintage}


def test_reform_date_is_one_fact(con):
    # pages and the scraper adapter read etl.vocab; the macros read frameworks: they must agree
    from etl.vocab import ILACS_REFORM_FROM
    (cut,) = rows(con, "SELECT no_overall_from FROM frameworks WHERE framework = 'ILACS'")
    assert cut[0].isoformat() == ILACS_REFORM_FROM


def test_named_queries_for_pages(con):
    from etl.warehouse import queries
    v = queries.run(con, "neighbours/vintage_in_force", as_at=D(2023, 1, 1))
    assert v[["vintage", "also_known_as"]].values.tolist() == [["2021", "previous"]]
    f = queries.run(con, "data/frameworks")
    assert f["framework"].tolist() == ["SLAC", "CPI", "LAC2013", "SIF", "ILACS", "AREA_SEND",
                                       "AREA_SEND_2016"]
    assert f.set_index("framework").loc["SLAC", "overall_basis"] == "worst_strand"
