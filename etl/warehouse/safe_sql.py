"""Safe, read-only ad-hoc SQL for the workbench page and `python -m etl sql`.

Safe by construction, in three layers, so that no single bug opens the database:

1. A parser-level check (`check_sql`): DuckDB's own parser must find exactly one statement, of
   type SELECT (which includes FROM-first queries, DESCRIBE, SHOW and SUMMARIZE). Its syntax
   tree (from `json_serialize_sql`) is then walked: table functions must be on an allow-list
   (catalog browsers, generators, and the table macros stored in the database), functions with
   side effects are refused, and a table name that looks like a path or URL is refused.
2. The connection (`etl.warehouse.db.open_readonly`): read-only, external access disabled (no files, URLs,
   ATTACH, COPY, extensions), no Python replacement scans, and its configuration locked, so
   even a query that slipped past layer 1 cannot write, change a setting, or read a file.
3. Execution (`run_query`): a fresh cursor per query, interrupted by a timer at the time limit,
   and at most `row_cap + 1` rows fetched from DuckDB's streaming result, so a huge result is
   never materialised.
"""

from __future__ import annotations

import atexit
import json
import threading
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from etl.warehouse.db import LOCKED_CONFIG, DatabaseUnavailable, open_readonly

DEFAULT_TIMEOUT_S = 5.0
DEFAULT_ROW_CAP = 10_000
_BATCH_ROWS = 1_024
# What a result may weigh in memory (Arrow bytes): a person reads a few thousand rows, and a
# browser table of tens of MB is unusable before it is a risk.
DEFAULT_BYTE_CAP = 8_000_000
# A workbench query is typed by a person; anything this long is not.
MAX_SQL_CHARS = 100_000

READ_ONLY = "the workbench is read-only"
FILES_DISABLED = "reading files or URLs is disabled"

# Table functions that read nothing but the catalog or generate values. Everything else
# (read_*, glob, sniff_csv, parquet_*, query, query_table, json_execute_serialized_sql,
# checkpoint, enable_logging, pandas_scan, ...) is refused; table macros stored in the database
# itself are allowed too (see `_database_table_macros`), except those that read a table their
# caller names (query_table inside, as the build's plumbing between macros does): given a name
# as text they would read what the checker never sees as a table (a refused catalog view).
SAFE_TABLE_FUNCTIONS = frozenset(
    {
        "duckdb_columns",
        "duckdb_constraints",
        "duckdb_dependencies",
        "duckdb_functions",
        "duckdb_indexes",
        "duckdb_keywords",
        "duckdb_schemas",
        "duckdb_sequences",
        "duckdb_tables",
        "duckdb_types",
        "duckdb_views",
        "pragma_collations",
        "pragma_show",
        "pragma_table_info",
        "pragma_version",
        "generate_series",
        "range",
        "repeat",
        "repeat_row",
        "unnest",
        "json_each",
        "json_tree",
        "histogram",
        "histogram_values",
        "pg_timezone_names",
        "icu_calendar_names",
    }
)

# Table functions refused with the "files or URLs" reason rather than the generic one, so the
# user learns why `read_csv` does not work.
_FILE_FUNCTION_PREFIXES = ("read_", "parquet_", "iceberg_", "delta_", "sniff_", "glob")
_FILE_FUNCTIONS = frozenset({"parquet_scan", "csv_scan", "json_scan", "read_duckdb"})

# Scalar functions with side effects (sequences, the log) or that reveal the process
# environment (settings hold the install, temp and home paths). Everything else scalar is pure
# computation.
REFUSED_SCALAR_FUNCTIONS = frozenset(
    {"nextval", "currval", "setval", "write_log", "getenv", "setseed", "current_setting"}
)

# Catalog views that show where the database, its temp files and the home directory are; the
# same names are refused as table functions above (by not being allowed).
PATH_REVEALING_VIEWS = frozenset(
    {"duckdb_databases", "duckdb_settings", "duckdb_temporary_files", "duckdb_extensions",
     "duckdb_secrets", "duckdb_memory", "pragma_database_list", "pg_settings"}
)
PATH_REVEALING_SCHEMAS = frozenset({"pg_catalog"})
NOT_YOURS = "it shows where the server keeps its files"

# A table name never legitimately holds these; a path or URL always does (DuckDB turns
# `FROM 'x.parquet'` into a file scan).
_PATH_CHARACTERS = frozenset("./\\:*?~")

_STATEMENT_REASONS: dict[str, str] = {
    "INSERT": READ_ONLY,
    "UPDATE": READ_ONLY,
    "DELETE": READ_ONLY,
    "MERGE_INTO": READ_ONLY,
    "CREATE": READ_ONLY,
    "CREATE_FUNC": READ_ONLY,
    "DROP": READ_ONLY,
    "ALTER": READ_ONLY,
    "COPY": READ_ONLY,
    "COPY_DATABASE": READ_ONLY,
    "EXPORT": READ_ONLY,
    "VACUUM": READ_ONLY,
    "ANALYZE": READ_ONLY,
    "ATTACH": "the workbench only queries its own database",
    "DETACH": "the workbench only queries its own database",
    "LOAD": "extensions cannot be installed or loaded",
    "EXTENSION": "extensions cannot be installed or loaded",
    "SET": "settings are locked",
    "VARIABLE_SET": "settings are locked",
    "PRAGMA": "settings are locked",
    "CALL": "only SELECT queries are allowed",
    "TRANSACTION": "each query runs on its own; transactions are not needed",
    "PREPARE": "only plain SELECT queries are allowed",
    "EXECUTE": "only plain SELECT queries are allowed",
    "EXPLAIN": "only SELECT queries are allowed",
    # A PIVOT without an IN list first creates an enum type, so DuckDB runs two statements.
    "MULTI": "a PIVOT must list its values, e.g. PIVOT t ON col IN ('a', 'b') USING count(*)",
}

# The statement type is coarse (IMPORT DATABASE is a PRAGMA, RESET and USE are SETs), so the
# message names the statement's first keyword when it is one of these.
_KEYWORD_REASONS: dict[str, str] = {
    "IMPORT": READ_ONLY,
    "COPY": READ_ONLY,
    "EXPORT": READ_ONLY,
    "CHECKPOINT": READ_ONLY,
    "FORCE": READ_ONLY,
    "ANALYZE": READ_ONLY,
    "VACUUM": READ_ONLY,
    "INSTALL": "extensions cannot be installed or loaded",
    "LOAD": "extensions cannot be installed or loaded",
    "UPDATE": READ_ONLY,
    "USE": "the workbench only queries its own database",
    "SET": "settings are locked",
    "RESET": "settings are locked",
    "PRAGMA": "settings are locked",
    "CALL": "only SELECT queries are allowed",
    "BEGIN": "each query runs on its own; transactions are not needed",
    "START": "each query runs on its own; transactions are not needed",
    "COMMIT": "each query runs on its own; transactions are not needed",
    "ROLLBACK": "each query runs on its own; transactions are not needed",
    "ABORT": "each query runs on its own; transactions are not needed",
    "END": "each query runs on its own; transactions are not needed",
}

# Query nodes that only read. DuckDB also has INSERT/UPDATE/DELETE/MERGE_INTO query nodes,
# which appear inside a SELECT as data-changing CTEs (`WITH x AS (DELETE ... RETURNING *)`).
_READ_QUERY_NODES = frozenset(
    {"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE"}
)


class SafeSqlError(Exception):
    """Base for the three outcomes a caller shows to the user instead of a result."""


class QueryRefused(SafeSqlError):
    """The query is not a single read-only SELECT over the database's own tables."""


class QueryTimeout(SafeSqlError):
    """The query ran past its time limit and was interrupted."""


class QueryFailed(SafeSqlError):
    """DuckDB rejected the query (syntax, unknown column, bad cast...); message is DuckDB's."""


class QueryTooLarge(SafeSqlError):
    """Even the first rows of the result are over the byte limit (one huge value)."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    types: list[str]
    table: pa.Table  # at most row_cap rows and about byte_cap bytes
    truncated: bool
    elapsed_s: float
    row_cap: int
    byte_cap: int = DEFAULT_BYTE_CAP
    limit_hit: str = ""  # "", "rows" or "bytes": which cap cut the result short

    @property
    def rows(self) -> list[tuple]:
        return list(zip(*(col.to_pylist() for col in self.table.columns), strict=True)) \
            if self.table.num_columns else [() for _ in range(self.table.num_rows)]

    @property
    def nbytes(self) -> int:
        return self.table.nbytes

    def to_dataframe(self):  # -> pandas.DataFrame; pandas imported lazily for the CLI's sake
        import pandas as pd

        return pd.DataFrame.from_records(self.rows, columns=self.columns)

    def limit_message(self) -> str:
        """Which limit cut the result short, in words ('' when none did)."""
        if self.limit_hit == "rows":
            return f"only the first {self.row_cap:,} rows are shown (the row limit)"
        if self.limit_hit == "bytes":
            return (f"only the first {self.table.num_rows:,} rows are shown: the result is over "
                    f"the {self.byte_cap / 1e6:g} MB size limit")
        return ""


def check_sql(sql: str, conn: duckdb.DuckDBPyConnection | None = None) -> None:
    """Raise QueryRefused (or QueryFailed for a syntax error) unless `sql` is one safe SELECT.

    With `conn`, table macros stored in that database are allowed; without it, only the
    built-in safe table functions are.
    """
    if not isinstance(sql, str) or not sql.strip():
        raise QueryRefused("the query is empty")
    if len(sql) > MAX_SQL_CHARS:
        raise QueryRefused(
            f"the query is too long ({len(sql):,} characters; limit {MAX_SQL_CHARS:,})"
        )
    parser = _parser_cursor(conn)
    try:
        statements = _extract_statements(parser, sql)
        if not statements:
            raise QueryRefused("the query is empty (only comments or semicolons)")
        if len(statements) > 1:
            kinds = ", ".join(_label(s.type.name) for s in statements)
            raise QueryRefused(
                f"only one SELECT statement is allowed; found {len(statements)} statements "
                f"({kinds})"
            )
        kind = statements[0].type.name
        if kind != "SELECT":
            raise QueryRefused(_statement_refusal(kind, statements[0].query))
        tree = _syntax_tree(parser, statements[0].query)
        _check_tree(tree, lambda: _database_table_macros(conn))
    finally:
        parser.close()


def run_query(
    db_path_or_conn: Path | str | duckdb.DuckDBPyConnection,
    sql: str,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    row_cap: int = DEFAULT_ROW_CAP,
    byte_cap: int = DEFAULT_BYTE_CAP,
) -> QueryResult:
    """Check and run one SELECT on a locked-down connection; at most `row_cap` rows and about
    `byte_cap` bytes come back, and the time limit covers running and fetching.

    Pass a path to open (and close) a connection for this query, or a connection from
    `open_readonly` to share one across queries: each query gets its own cursor.
    """
    if timeout_s <= 0:
        raise ValueError(f"timeout_s must be positive, got {timeout_s}")
    if row_cap < 1:
        raise ValueError(f"row_cap must be at least 1, got {row_cap}")
    if byte_cap < 1:
        raise ValueError(f"byte_cap must be at least 1, got {byte_cap}")
    if isinstance(db_path_or_conn, duckdb.DuckDBPyConnection):
        _require_locked(db_path_or_conn)
        return _run(db_path_or_conn, sql, timeout_s, row_cap, byte_cap)
    try:
        conn = open_readonly(Path(db_path_or_conn), build_if_missing=False)
    except DatabaseUnavailable as exc:
        raise QueryFailed(str(exc)) from exc
    try:
        return _run(conn, sql, timeout_s, row_cap, byte_cap)
    finally:
        conn.close()


def _fetch(reader: pa.RecordBatchReader, row_cap: int, byte_cap: int) -> tuple[pa.Table, str]:
    """Record batches from DuckDB's streaming result until a cap is reached, so a huge result
    is never materialised; the rows that fit, and which cap stopped the fetch."""
    batches: list[pa.RecordBatch] = []
    n_rows = n_bytes = 0
    hit = ""
    for batch in reader:
        if n_rows + batch.num_rows > row_cap:
            batch, hit = batch.slice(0, row_cap - n_rows), "rows"
        if n_bytes + batch.nbytes > byte_cap:
            batch, hit = _fit(batch, byte_cap - n_bytes), "bytes"
        batches.append(batch)
        n_rows += batch.num_rows
        n_bytes += batch.nbytes
        if not hit and n_rows == row_cap and _another_row(reader):
            hit = "rows"
        if hit or n_rows == row_cap:
            break
    if hit == "bytes" and n_rows == 0:
        raise QueryTooLarge(f"even the first row of the result is over the "
                            f"{byte_cap / 1e6:g} MB size limit; select fewer or smaller columns")
    return pa.Table.from_batches(batches, schema=reader.schema), hit


def _another_row(reader: pa.RecordBatchReader) -> bool:
    """Is there a row after the ones read? (Reads at most one more non-empty batch.)"""
    return any(batch.num_rows for batch in reader)


def _fit(batch: pa.RecordBatch, budget: int) -> pa.RecordBatch:
    """The longest prefix of `batch` whose bytes fit the budget."""
    lo, hi = 0, batch.num_rows
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if batch.slice(0, mid).nbytes <= budget:
            lo = mid
        else:
            hi = mid - 1
    return batch.slice(0, lo)


def _run(
    conn: duckdb.DuckDBPyConnection, sql: str, timeout_s: float, row_cap: int, byte_cap: int
) -> QueryResult:
    check_sql(sql, conn)
    cursor = conn.cursor()
    state = {"done": False, "fired": False}
    lock = threading.Lock()

    def interrupt() -> None:
        # Under the lock so a late timer cannot interrupt a cursor that finished (or closed).
        with lock:
            if not state["done"]:
                state["fired"] = True
                cursor.interrupt()

    timer = threading.Timer(timeout_s, interrupt)
    timer.daemon = True
    started = time.perf_counter()
    timer.start()
    try:
        # A relation streams its result (a DB-API cursor's Arrow reader copies it whole first).
        relation = cursor.sql(sql)
        columns, types = list(relation.columns), [str(t) for t in relation.types]
        table, hit = _fetch(relation.to_arrow_reader(_BATCH_ROWS), row_cap, byte_cap)
    except duckdb.Error as exc:
        with lock:
            state["done"] = True
        if state["fired"] or isinstance(exc, duckdb.InterruptException):
            raise QueryTimeout(
                f"the query was stopped at the {timeout_s:g} s time limit"
            ) from None
        raise _classify(exc) from None
    finally:
        with lock:
            state["done"] = True
        timer.cancel()
        cursor.close()
    elapsed = time.perf_counter() - started
    return QueryResult(
        columns=columns,
        types=types,
        table=table,
        truncated=bool(hit),
        elapsed_s=elapsed,
        row_cap=row_cap,
        byte_cap=byte_cap,
        limit_hit=hit,
    )


# --- parser-level check --------------------------------------------------------------------

_parser_lock = threading.Lock()
_parser_conn: duckdb.DuckDBPyConnection | None = None


def _parser_cursor(conn: duckdb.DuckDBPyConnection | None) -> duckdb.DuckDBPyConnection:
    """A cursor to parse with: the caller's connection, or a locked-down in-memory one."""
    global _parser_conn
    if conn is not None:
        return conn.cursor()
    with _parser_lock:
        if _parser_conn is None:
            _parser_conn = duckdb.connect(":memory:", config=dict(LOCKED_CONFIG))
            atexit.register(_parser_conn.close)
        return _parser_conn.cursor()


def _extract_statements(parser: duckdb.DuckDBPyConnection, sql: str) -> list:
    try:
        return parser.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryFailed(_clean(exc)) from None


def _syntax_tree(parser: duckdb.DuckDBPyConnection, statement: str) -> Any:
    try:
        (serialised,) = parser.execute("SELECT json_serialize_sql(?)", [statement]).fetchone()
    except duckdb.Error as exc:
        raise QueryRefused(f"the query could not be checked: {_clean(exc)}") from None
    tree = json.loads(serialised)
    if tree.get("error"):
        # Fail closed: a SELECT we cannot inspect (e.g. one holding a PIVOT) is not run.
        raise QueryRefused(
            "this query form cannot be checked and is refused: "
            f"{tree.get('error_message', 'unknown reason')}"
        )
    return tree


def _check_tree(tree: Any, table_macros) -> None:
    """Walk every node of the syntax tree; `table_macros()` is called only when needed."""
    macros: frozenset[str] | None = None
    for node in _nodes(tree):
        node_type = node.get("type")
        if isinstance(node_type, str) and node_type.endswith("_NODE"):
            if node_type not in _READ_QUERY_NODES:
                verb = node_type.removesuffix("_QUERY_NODE").replace("_", " ")
                raise QueryRefused(f"{verb} inside a query is refused: {READ_ONLY}")
        elif node_type == "TABLE_FUNCTION":
            name = _function_name(node.get("function"))
            if name in SAFE_TABLE_FUNCTIONS:
                continue
            if _reads_files(name):
                raise QueryRefused(f"{FILES_DISABLED} ({name} is not allowed)")
            if macros is None:
                macros = table_macros()
            if name not in macros:
                raise QueryRefused(
                    f"table function {name}() is not allowed; query the database's tables, "
                    "views and table macros"
                )
        elif node_type in ("BASE_TABLE", "SHOW_REF"):
            name = str(node.get("table_name") or "").strip('"')
            schema = str(node.get("schema_name") or "").strip('"').lower()
            if name.lower() in PATH_REVEALING_VIEWS or schema in PATH_REVEALING_SCHEMAS:
                raise QueryRefused(f"{schema + '.' if schema else ''}{name} is refused: "
                                   f"{NOT_YOURS}")
            if _PATH_CHARACTERS.intersection(name):
                raise QueryRefused(
                    f"{FILES_DISABLED}: {name!r} looks like a file or URL, not a table"
                )
        elif node.get("class") == "FUNCTION":
            name = _function_name(node)
            if name == "current_setting":
                raise QueryRefused(f"function {name}() is refused: {NOT_YOURS}")
            if name in REFUSED_SCALAR_FUNCTIONS:
                raise QueryRefused(f"function {name}() is refused: {READ_ONLY}")


def _nodes(tree: Any) -> Iterator[dict]:
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _function_name(node: Any) -> str:
    if not isinstance(node, dict):
        return ""
    return str(node.get("function_name") or "").lower()


def _reads_files(name: str) -> bool:
    return name in _FILE_FUNCTIONS or name.startswith(_FILE_FUNCTION_PREFIXES)


# duckdb_functions() lists every built-in function, ~50 ms a call, so the answer is kept per
# connection. It cannot go stale: a read-only connection holds a shared lock on the file, so no
# writer can change the catalog while the connection is open.
_macro_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_macro_cache_lock = threading.Lock()


def _database_table_macros(conn: duckdb.DuckDBPyConnection | None) -> frozenset[str]:
    if conn is None:
        return frozenset()
    with _macro_cache_lock:
        cached = _macro_cache.get(conn)
    if cached is not None:
        return cached
    cursor = conn.cursor()
    try:
        rows = cursor.execute(
            "SELECT function_name FROM duckdb_functions() "
            "WHERE function_type = 'table_macro' AND NOT internal "
            "AND coalesce(macro_definition, '') NOT ILIKE '%query_table%'"
        ).fetchall()
    finally:
        cursor.close()
    macros = frozenset(name.lower() for (name,) in rows)
    with _macro_cache_lock:
        _macro_cache[conn] = macros
    return macros


# --- connection and error handling ---------------------------------------------------------


def _require_locked(conn: duckdb.DuckDBPyConnection) -> None:
    """A shared connection must be one `open_readonly` made; a writable one would void layer 2."""
    cursor = conn.cursor()
    try:
        access, external, locked = cursor.execute(
            "SELECT current_setting('access_mode'), current_setting('enable_external_access'), "
            "current_setting('lock_configuration')"
        ).fetchone()
    finally:
        cursor.close()
    if str(access).lower() != "read_only" or external or not locked:
        raise QueryRefused(
            "the connection is not locked down (read-only, no external access, locked "
            "configuration); open it with etl.warehouse.db.open_readonly()"
        )


def _classify(exc: duckdb.Error) -> SafeSqlError:
    """Turn DuckDB's own guards (layer 2) into refusals and everything else into failures."""
    message = _clean(exc)
    if isinstance(exc, duckdb.PermissionException):
        return QueryRefused(f"{FILES_DISABLED}: {message}")
    lowered = message.lower()
    if "read-only" in lowered:
        return QueryRefused(f"{READ_ONLY}: {message}")
    if "configuration has been locked" in lowered:
        return QueryRefused(f"settings are locked: {message}")
    if isinstance(exc, duckdb.OutOfMemoryException):
        # DuckDB's advice ("SET memory_limit=...") cannot be followed here: settings are locked.
        return QueryFailed(
            f"the query needs more memory than the workbench allows ({message.splitlines()[0]}); "
            "narrow it with filters, aggregates or a LIMIT"
        )
    return QueryFailed(message)


def _clean(exc: BaseException) -> str:
    """DuckDB's message without trailing blank lines; the LINE/caret pointer is kept."""
    lines = [line.rstrip() for line in str(exc).strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out)


def _label(kind: str) -> str:
    return "PIVOT" if kind == "MULTI" else kind.replace("_", " ")


def _first_keyword(statement: str) -> str:
    """The statement's first keyword, past any comments ('' if the tokenizer disagrees)."""
    try:
        tokens = duckdb.tokenize(statement)
    except duckdb.Error:
        return ""
    for index, (offset, kind) in enumerate(tokens):
        if kind == duckdb.token_type.comment:
            continue
        end = tokens[index + 1][0] if index + 1 < len(tokens) else len(statement)
        return statement[offset:end].strip().upper()
    return ""


def _statement_refusal(kind: str, statement: str) -> str:
    keyword = _first_keyword(statement)
    if keyword in _KEYWORD_REASONS:
        return f"{keyword} statements are refused: {_KEYWORD_REASONS[keyword]}"
    reason = _STATEMENT_REASONS.get(kind, "only SELECT queries are allowed")
    return f"{_label(kind)} statements are refused: {reason}"
