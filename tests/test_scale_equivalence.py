"""The fast macros and queries (judgement intervals counted with change events, figures
materialised at build) give exactly what their definitions give: every named query in
sql/queries/, over many parameter sets on the real data, answers the same with the macros of
sql/05_macros.sql as with the definitional macros of tests/sql/*_by_definition.sql loaded over a
copy of the database; a named query rewritten for speed is compared with its definition, the
query as it was, kept in tests/sql/queries_by_definition/<name>.sql."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import PROJECT_ROOT
from etl.warehouse import queries

D = dt.date
DEFINITIONS = sorted((PROJECT_ROOT / "tests" / "sql").glob("*_by_definition.sql"))
QUERY_DEFINITIONS = PROJECT_ROOT / "tests" / "sql" / "queries_by_definition"
SKIP = {
    "build/record_ingest_run",  # a write
    # reads none of the series macros (only the report text and published_between), and each
    # run splits every sentence of the period's reports (seconds): the same on both databases
    "reports/briefing_quotes",
}

# Parameter values per name; a named query is run with every combination of the values of the
# parameters it declares (capped below), so a new query is covered without editing this file.
VALUES: dict[str, list[object]] = {
    "as_at": [D(2014, 10, 31), D(2017, 11, 10), D(2023, 3, 31), D(2026, 11, 30)],
    "area": ["overall_effectiveness", "leadership", "any_practice", "children_looked_after"],
    "framework": [None, "SIF", "ILACS"],
    # a later cut-off than some dates (the fast path), an earlier one than others (ranked afresh)
    "published_by": [None, D(2018, 3, 30), D(2023, 7, 31)],
    "which": ["latest", "first"],
    "include_secondary": [True, False],
    "superseded": ["not_current", "carry_forward"],
    "wording": ["at_the_time", "current"],
    "group_by": ["region", "la_type"],
    "from_date": [D(2009, 1, 1), D(2013, 11, 1), D(2018, 1, 1)],
    "to_date": [D(2014, 10, 31), D(2026, 11, 30)],
    "cycle_start": [None, D(2013, 11, 1)],
    "window_months": [12],
    "la_code": ["891", "855", "839", "941"],
    "vintage": ["current", "in_force"],
    "source_kind": [None],
    "since": [D(2020, 1, 1)],
    "provider_type": [None, "childrens_home"],
    "source_id": ["report:80534_nottinghamshire/children's services inspection - 19 december 2019"],
    "provider_group": ["all", "all_childrens_homes"],
    "measure": ["latest_overall_effectiveness", "in_year_overall_effectiveness"],
    # the report text (sql/queries/reports/)
    "query": ["neglect", '"care leavers" accommodation'],
    "grade": [None, "failing"],
    "la": [None, "891"],
    "region": [None, "London"],
    "max_results": [25],
    "max_names": [5, 1000],
    "theme": ["workforce", "voice_of_child"],
    "grade_band": [None, "good_or_better"],
    "las": [None, "891,855,839"],
    "min_rate": [1.0],
    "per_theme": [2],
    # the Data page's list of source files: one kind or all, a page of them or every one
    "kind": [None, "ofsted_report_pdf", "area_send_report_pdf"],
    "max_rows": [7, 100_000],
    # the Cycle completion page's next-due table: due within six months, all LAs or those due
    "soon_days": [183],
    "only_due": [False, True],
}
MAX_COMBINATIONS = 24


def _combinations(q: queries.NamedQuery,
                  values: dict[str, list[object]] = VALUES) -> list[dict[str, object]]:
    names = [p.name for p in q.params]
    missing = [n for n in names if n not in values]
    if missing:
        pytest.fail(f"{q.name}: give test values for {missing} in VALUES")
    grid = list(itertools.product(*(values[n] for n in names)))
    step = max(1, len(grid) // MAX_COMBINATIONS)
    return [dict(zip(names, combo, strict=True)) for combo in grid[::step]]


def _canon(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].map(lambda v: None if pd.isna(v) else round(v, 12))
    out = out.astype(str)
    return out.sort_values(list(out.columns)).reset_index(drop=True)


@pytest.fixture(scope="module")
def databases(built_db: Path, tmp_path_factory) -> tuple[duckdb.DuckDBPyConnection, ...]:
    copy = tmp_path_factory.mktemp("definition") / "definition.duckdb"
    shutil.copyfile(built_db, copy)
    con = duckdb.connect(str(copy))
    for path in DEFINITIONS:
        con.execute(path.read_text(encoding="utf-8"))
    con.close()
    fast = duckdb.connect(str(built_db), read_only=True)
    slow = duckdb.connect(str(copy), read_only=True)
    yield fast, slow
    fast.close()
    slow.close()


def definition(name: str) -> queries.NamedQuery:
    """The query to compare `name` with: its text before it was rewritten for speed, if it was
    (declaring the same parameters), else the query itself over the definitional macros."""
    q = queries.named_query(name)
    path = QUERY_DEFINITIONS / f"{name}.sql"
    if not path.is_file():
        return q
    old = queries.parse_query(name, path.read_text(encoding="utf-8"), path)
    assert [p.name for p in old.params] == [p.name for p in q.params], name
    return old


def test_every_query_definition_names_a_query() -> None:
    names = {q.name for q in queries.all_queries()}
    kept = {p.relative_to(QUERY_DEFINITIONS).with_suffix("").as_posix()
            for p in QUERY_DEFINITIONS.rglob("*.sql")}
    assert kept <= names


@pytest.mark.parametrize("name", [q.name for q in queries.all_queries() if q.name not in SKIP])
def test_named_query_answers_as_its_definition(name: str, databases) -> None:
    fast, slow = databases
    q = queries.named_query(name)
    old = definition(name)
    compared = 0
    for params in _combinations(q):
        try:
            want = slow.cursor().execute(old.sql, old.bind(params)).df()
        except duckdb.Error:
            continue  # parameters the query refuses (e.g. a framework it has no data for)
        got = queries.run(fast, name, **params)
        assert list(got.columns) == list(want.columns), (name, params)
        pd.testing.assert_frame_equal(_canon(got), _canon(want), obj=f"{name} {params}")
        compared += 1
    # a definition that fails on every parameter set (e.g. a macro signature it no longer
    # matches) would otherwise pass silently
    assert compared, f"{name}: no parameter set could be compared"


# One date with a later publication cut-off (Ofsted's statistics basis): judgements_as_at reads
# the judgement each LA holds on the date and the reports published since, instead of ranking
# every judgement (judgements_as_at_cut_off). Dense over the cut-offs: the same date, a few
# months later (a release's), a year later, and before the date.
CUT_OFFS = [dt.timedelta(0), dt.timedelta(days=30), dt.timedelta(days=122),
            dt.timedelta(days=366), -dt.timedelta(days=400)]


@pytest.mark.parametrize("as_at", [D(2014, 10, 31), D(2017, 11, 10), D(2023, 3, 31),
                                   D(2026, 6, 30), D(2026, 11, 30)])
def test_latest_judgements_with_a_cut_off_answer_as_the_definition(as_at: dt.date,
                                                                    databases) -> None:
    fast, slow = databases
    q = queries.named_query("national/latest_judgements")
    grid = itertools.product(CUT_OFFS, ["overall_effectiveness", "any_practice", "leadership"],
                             [None, "SIF", "ILACS"], ["latest", "first"],
                             ["not_current", "carry_forward"])
    compared = 0
    for cut, area, framework, which, superseded in grid:
        params = {"as_at": as_at, "area": area, "framework": framework,
                  "published_by": as_at + cut, "which": which, "include_secondary": True,
                  "superseded": superseded, "wording": "at_the_time"}
        want = slow.cursor().execute(q.sql, q.bind(params)).df()
        got = queries.run(fast, "national/latest_judgements", **params)
        pd.testing.assert_frame_equal(_canon(got), _canon(want), obj=str(params))
        compared += len(got)
    assert compared


def test_reconciliation_kept_at_build_is_the_reconciliation_by_definition(databases) -> None:
    """The build keeps the published figures beside the computed ones (sql/09_reconciliation.sql,
    read by the Data page); reconciled afresh over the definitional macros, they are the same."""
    from etl.warehouse.reconcile import reconcile, release_departures

    fast, slow = databases
    kept = queries.run(fast, "data/reconciliation")
    assert len(kept) >= 20 and kept["matches"].sum() >= 20
    pd.testing.assert_frame_equal(_canon(kept), _canon(reconcile(slow)))
    departures = queries.run(fast, "data/release_departures")
    assert set(departures["departure_las"]) == {"South Tyneside"}
    by_definition = release_departures(slow)
    for c in ("as_at", "published_by"):
        by_definition[c] = pd.to_datetime(by_definition[c])
    pd.testing.assert_frame_equal(_canon(departures), _canon(by_definition))


# The narrow queries a page reads instead of every LA's row (issue 14) are the wide query's rows
# they stand for, in its order.
NARROW = {
    "national/secondary_evidence": ("national/latest_judgements",
                                    lambda df, _: df.loc[df["evidence"] == "secondary",
                                                         ["la_code", "la_name"]]),
    "national/without_judgement": ("national/latest_judgements",
                                   lambda df, _: df.loc[df["grade"].isna(),
                                                        ["la_code", "la_name", "region_name",
                                                         "la_type"]]
                                   .sort_values("la_name", kind="stable")),
    "national/latest_judgements_of": ("national/latest_judgements",
                                      lambda df, p: df[df["la_code"].isin(p["las"].split(","))]),
    "local_area/area_send_outcomes_of": ("local_area/area_send_outcomes",
                                         lambda df, p: df[df["la_code"].isin(p["las"].split(","))]),
    "la/local_authority": ("la/local_authorities", lambda df, p: df[df["la_code"] == p["la_code"]]),
    # the same query, its LAs named against every LA's rows (las NULL) filtered
    "national/no_overall_grade": ("national/no_overall_grade",
                                  lambda df, p: df[df["la_code"].isin(p["las"].split(","))]),
    "la/names": ("la/local_authorities", lambda df, _: df[["la_code", "name"]]),
    "cycle/ilacs_next_due_of": ("cycle/ilacs_next_due",
                                lambda df, p: df[df["la_code"] == p["la_code"]]),
    "cycle/ilacs_next_due_first": ("cycle/ilacs_next_due", lambda df, p: _due_first(df, p)),
    "cycle/ilacs_next_due_counts": ("cycle/ilacs_next_due", lambda df, p: _due_counts(df, p)),
}


def _due_soon(df: pd.DataFrame, p: dict[str, object]) -> pd.Series:
    """Next due within soon_days of the date and not overdue, as the Cycle completion page
    counted it over every LA's row."""
    overdue = df["overdue"].fillna(False).astype(bool)
    return (~overdue & df["next_due"].notna()
            & (pd.to_datetime(df["next_due"])
               <= pd.Timestamp(p["as_at"]) + pd.Timedelta(days=p["soon_days"])))


def _due_first(df: pd.DataFrame, p: dict[str, object]) -> pd.DataFrame:
    out = df.assign(due_soon=_due_soon(df, p))
    if p["only_due"]:
        out = out[out["overdue"].fillna(False).astype(bool) | out["due_soon"]
                  | out["last_inspected"].isna()]
    return out.head(p["max_rows"])


def _due_counts(df: pd.DataFrame, p: dict[str, object]) -> pd.DataFrame:
    overdue = df["overdue"].fillna(False).astype(bool)
    soon, never = _due_soon(df, p), df["last_inspected"].isna()
    return pd.DataFrame({"n_las": [len(df)], "n_overdue": [int(overdue.sum())],
                         "n_due_soon": [int(soon.sum())], "n_never": [int(never.sum())],
                         "n_shown_due": [int((overdue | soon | never).sum())]})


def _in_order(df: pd.DataFrame) -> pd.DataFrame:
    """Values as objects, missing ones None (a text column with nothing in it comes back with
    another type than one with text), rows in their order."""
    return df.astype(object).where(df.notna(), None).reset_index(drop=True)


@pytest.mark.parametrize("name", sorted(NARROW))
def test_a_narrow_query_is_its_wide_query_filtered(name: str, databases) -> None:
    fast, _ = databases
    wide, keep = NARROW[name]
    wide_params = {p.name for p in queries.named_query(wide).params}
    values = {**VALUES, "las": ["891,855,839,941,826", "855"], "la_code": ["891", "855"],
              "published_by": [None, D(2023, 7, 31), D(2026, 12, 31)]}
    compared = rows = 0
    for params in _combinations(queries.named_query(name), values):
        got = queries.run(fast, name, **params)
        whole = queries.run(fast, wide, **{k: v for k, v in params.items() if k in wide_params}
                            | ({"published_by": None} if "published_by" in wide_params
                               and "published_by" not in params else {})
                            | ({"las": None} if wide == name else {}))
        want = keep(whole, params).reset_index(drop=True)
        pd.testing.assert_frame_equal(_in_order(got), _in_order(want), obj=f"{name} {params}")
        compared += 1
        rows += len(got)
    assert compared, f"{name}: no parameter set compared"
    # (no grade in today's collection rests on secondary evidence alone: test_page_national)
    assert rows or name == "national/secondary_evidence", f"{name}: no rows compared"
