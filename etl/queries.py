"""Named queries from sql/queries/*.sql, run with named parameters.

The app, the CLI and the exports all go through here, so every figure comes from one
SQL definition. Parameters a query does not use are dropped; ones it uses but the caller
did not give are passed as NULL (the macros' defaults).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import duckdb
import pandas as pd

from etl import SQL_DIR

QUERY_DIR = SQL_DIR / "queries"
# Defaults for parameters whose NULL would not mean "the macro's default".
DEFAULTS: dict[str, Any] = {"which": "latest", "vintage": "current", "window_months": 12,
                           "include_secondary": True}


@functools.cache
def query_text(name: str) -> str:
    path = QUERY_DIR / f"{name}.sql"
    if not path.exists():
        raise KeyError(f"no query sql/queries/{name}.sql")
    return path.read_text(encoding="utf-8")


def query_params(name: str) -> list[str]:
    text = re.sub(r"--[^\n]*", "", query_text(name))
    return sorted(set(re.findall(r"\$([a-z_]+)", text)))


def _plain(value: Any) -> Any:
    """pandas' missing values (NaN, NaT, NA) reach SQL as NULL, not as a float."""
    if value is None or isinstance(value, (str, bytes)):
        return value
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):
        return value


def run(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run sql/queries/<name>.sql and return a DataFrame."""
    wanted = query_params(name)
    bound = {p: _plain(params.get(p, DEFAULTS.get(p))) for p in wanted}
    return con.cursor().execute(query_text(name), bound).df()


def execute(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> None:
    """Run a statement from sql/queries/<name>.sql that returns nothing (the build's writes)."""
    wanted = query_params(name)
    con.execute(query_text(name), {p: _plain(params.get(p)) for p in wanted})


@functools.cache
def examples() -> dict[str, str]:
    """The SQL workbench's example queries (sql/examples/*.sql), title -> SQL.

    Each file's first line is `-- title: ...`; the rest is the query as the user sees it.
    """
    out = {}
    for path in sorted((SQL_DIR / "examples").glob("*.sql")):
        first, _, body = path.read_text(encoding="utf-8").partition("\n")
        out[first.removeprefix("-- title:").strip()] = body.strip()
    return out
