"""The fast series (judgement intervals counted with change events) give exactly what their
definition gives: every named query in sql/queries/, over many parameter sets on the real data,
answers the same with the macros of sql/05_macros.sql as with the definitional macros of
tests/sql/series_by_definition.sql loaded over a copy of the database."""

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
DEFINITIONS = PROJECT_ROOT / "tests" / "sql" / "series_by_definition.sql"
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
    "published_by": [None],
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
    "theme": ["workforce", "voice_of_child"],
    "grade_band": [None, "good_or_better"],
    "las": [None, "891,855,839"],
    "min_rate": [1.0],
    "per_theme": [2],
}
MAX_COMBINATIONS = 24


def _combinations(q: queries.NamedQuery) -> list[dict[str, object]]:
    names = [p.name for p in q.params]
    missing = [n for n in names if n not in VALUES]
    if missing:
        pytest.fail(f"{q.name}: give test values for {missing} in VALUES")
    grid = list(itertools.product(*(VALUES[n] for n in names)))
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
    con.execute(DEFINITIONS.read_text(encoding="utf-8"))
    con.close()
    fast = duckdb.connect(str(built_db), read_only=True)
    slow = duckdb.connect(str(copy), read_only=True)
    yield fast, slow
    fast.close()
    slow.close()


@pytest.mark.parametrize("name", [q.name for q in queries.all_queries() if q.name not in SKIP])
def test_named_query_answers_as_its_definition(name: str, databases) -> None:
    fast, slow = databases
    q = queries.named_query(name)
    for params in _combinations(q):
        try:
            want = queries.run(slow, name, **params)
        except duckdb.Error:
            continue  # parameters the query refuses (e.g. a framework it has no data for)
        got = queries.run(fast, name, **params)
        assert list(got.columns) == list(want.columns), (name, params)
        pd.testing.assert_frame_equal(_canon(got), _canon(want), obj=f"{name} {params}")
