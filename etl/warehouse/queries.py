"""Named queries (sql/queries/<subject>/<name>.sql), bound strictly.

Each file declares its parameters in its header, one per line:

    -- param as_at DATE: the date the figure is "as at"
    -- param framework VARCHAR NULL: SIF, ILACS, ... or NULL for any framework

(or `-- params: none`). Binding is strict because a dropped or defaulted parameter gives a
plausible wrong number, not an error: a query that declares a parameter it does not use, or
uses one it does not declare, is a definition error; a call that passes an unknown parameter,
leaves a declared one out, passes None where NULL is not allowed or a value of the wrong type
is a binding error. The app, the CLI, the exports and `reconcile` all run figures through here,
so every figure comes from one SQL definition.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from etl import SQL_DIR

# pandas (~90 MB resident) is not imported here: the build runs its heavy SQL before it needs
# a DataFrame, so its process stays under the snapshot's memory target (issue 14).
if TYPE_CHECKING:
    import pandas as pd

QUERY_DIR = SQL_DIR / "queries"

_PARAM_LINE = re.compile(r"^--\s*param\s+([a-z_]+)\s+([A-Z]+)(\s+NULL)?\s*(?::\s*(.*))?$")
_USED = re.compile(r"\$([a-z_]+)")
# Python values each declared SQL type accepts (bool is an int in Python: refused for INTEGER).
_ACCEPTS: dict[str, tuple[type, ...]] = {
    "DATE": (dt.date,),
    "TIMESTAMP": (dt.datetime,),
    "VARCHAR": (str,),
    "BOOLEAN": (bool,),
    "INTEGER": (int,),
    "DOUBLE": (int, float),
}


class QueryDefinitionError(ValueError):
    """A query file whose declared parameters do not match the ones its SQL uses."""


class QueryBindingError(TypeError):
    """A call whose parameters do not match the query's declaration."""


@dataclass(frozen=True)
class Param:
    name: str
    sql_type: str
    nullable: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str  # "national/grade_distribution"
    path: Path
    description: str  # the header's first comment lines
    params: tuple[Param, ...]
    sql: str

    def bind(self, params: dict[str, Any]) -> dict[str, Any]:
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(params) - set(declared))
        missing = sorted(set(declared) - set(params))
        if unknown or missing:
            parts = []
            if unknown:
                parts.append(f"unknown parameter(s) {', '.join(unknown)}")
            if missing:
                parts.append(f"missing parameter(s) {', '.join(missing)}")
            raise QueryBindingError(
                f"query {self.name}: {'; '.join(parts)} (declares: "
                f"{', '.join(declared) or 'none'})")
        bound = {}
        for name, value in params.items():
            p = declared[name]
            value = _plain(value)
            if value is None:
                if not p.nullable:
                    raise QueryBindingError(f"query {self.name}: {name} may not be NULL")
            elif not _accepts(p.sql_type, value):
                raise QueryBindingError(
                    f"query {self.name}: {name} must be {p.sql_type}, got "
                    f"{type(value).__name__} {value!r}")
            bound[name] = value
        return bound


def _accepts(sql_type: str, value: Any) -> bool:
    allowed = _ACCEPTS.get(sql_type)
    if allowed is None:
        return True
    if sql_type in ("INTEGER", "DOUBLE") and isinstance(value, bool):
        return False
    if sql_type == "DATE" and isinstance(value, dt.datetime):
        return False
    return isinstance(value, allowed)


def _plain(value: Any) -> Any:
    """pandas' missing values (NaN, NaT, NA) are NULL; numpy scalars and Timestamps become the
    Python values they stand for, so the type check sees what DuckDB will bind."""
    if value is None or isinstance(value, (str, bytes, bool, dt.date)):
        return value
    if isinstance(value, float) and math.isnan(value):
        return None
    pd = sys.modules.get("pandas")  # a pandas value comes only from a process that loaded it
    if pd is None:
        return value.item() if hasattr(value, "item") else value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def parse_query(name: str, text: str, path: Path) -> NamedQuery:
    header: list[str] = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        header.append(line)
    params: list[Param] = []
    description: list[str] = []
    for line in header:
        m = _PARAM_LINE.match(line)
        if m:
            params.append(Param(m.group(1), m.group(2), bool(m.group(3)), m.group(4) or ""))
        elif re.match(r"^--\s*param\b", line):
            raise QueryDefinitionError(f"{path}: unreadable parameter line {line!r}")
        elif line.strip() != "-- params: none" and not params:
            description.append(line.removeprefix("--").strip())
    used = set(_USED.findall(re.sub(r"--[^\n]*", "", text)))
    declared = [p.name for p in params]
    if len(set(declared)) != len(declared):
        raise QueryDefinitionError(f"{path}: a parameter is declared twice: {declared}")
    if "-- params: none" not in header and not params and not used:
        raise QueryDefinitionError(f"{path}: declare parameters (or `-- params: none`)")
    for p in params:
        if p.sql_type not in _ACCEPTS:
            raise QueryDefinitionError(f"{path}: {p.name} has unknown type {p.sql_type}")
    if unused := sorted(set(declared) - used):
        raise QueryDefinitionError(f"{path}: declares {', '.join(unused)} but does not use it")
    if undeclared := sorted(used - set(declared)):
        raise QueryDefinitionError(f"{path}: uses ${', $'.join(undeclared)} without declaring it")
    return NamedQuery(name, path, " ".join(description), tuple(params), text)


@functools.cache
def named_query(name: str) -> NamedQuery:
    path = (QUERY_DIR / f"{name}.sql").resolve()
    if QUERY_DIR.resolve() not in path.parents or not path.is_file():
        raise KeyError(f"no query sql/queries/{name}.sql")
    return parse_query(name, path.read_text(encoding="utf-8"), path)


def all_queries() -> list[NamedQuery]:
    """Every named query, parsed (a definition error surfaces here)."""
    return [named_query(p.relative_to(QUERY_DIR).with_suffix("").as_posix())
            for p in sorted(QUERY_DIR.rglob("*.sql"))]


class CachedReads:
    """A connection whose named queries are read through `read(name, params)` (the app's cache
    of query results, keyed on the database build), so that a chart and the page that shows
    it, or two charts, reading the same query with the same parameters run it once. Anything
    else (a cursor, an ad-hoc statement) goes to the connection itself."""

    def __init__(self, con: duckdb.DuckDBPyConnection,
                 read: Callable[[str, dict[str, Any]], pd.DataFrame]) -> None:
        self.connection = con
        self.read = read

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.connection, attr)


def run(con: duckdb.DuckDBPyConnection | CachedReads, name: str, **params: Any) -> pd.DataFrame:
    """Run a named query with exactly its declared parameters; a DataFrame back."""
    q = named_query(name)
    bound = q.bind(params)
    if isinstance(con, CachedReads):
        return con.read(name, bound)
    return con.cursor().execute(q.sql, bound).df()


def execute(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> None:
    """Run a named statement that returns nothing (the build's writes)."""
    q = named_query(name)
    con.execute(q.sql, q.bind(params))


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
