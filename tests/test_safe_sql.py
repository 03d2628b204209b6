"""The workbench's SQL runner refuses everything but one read-only SELECT, and the database
file is byte-for-byte untouched after every hostile query."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from etl import PROJECT_ROOT
from etl.cli import EXIT_FAILED, EXIT_REFUSED, EXIT_TIMEOUT
from etl.cli import main as cli_main
from etl.warehouse import safe_sql
from etl.warehouse.db import DatabaseUnavailable, open_readonly
from etl.warehouse.safe_sql import (
    FILES_DISABLED,
    QueryFailed,
    QueryRefused,
    QueryTimeout,
    check_sql,
    run_query,
)

SCHEMA = """
CREATE TABLE inspections (la_code VARCHAR, published DATE, grade VARCHAR);
INSERT INTO inspections VALUES
    ('201', DATE '2024-11-02', 'good'),
    ('202', DATE '2025-02-14', 'inadequate'),
    ('203', DATE '2025-05-20', 'outstanding');
CREATE TABLE secrets_canary (x INTEGER);
INSERT INTO secrets_canary VALUES (42);
CREATE VIEW latest AS SELECT * FROM inspections WHERE published >= DATE '2025-01-01';
CREATE MACRO grades_asof(as_of, la) AS TABLE
    SELECT * FROM inspections WHERE published <= as_of OR la_code = la;
CREATE MACRO double_it(x) AS x * 2;
CREATE MACRO rows_of(t) AS TABLE SELECT * FROM query_table(t);
CREATE SEQUENCE seq;
COMMENT ON TABLE inspections IS 'One row per inspection';
COMMENT ON COLUMN inspections.grade IS 'Overall effectiveness grade';
"""


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("safe_sql") / "tiny.duckdb"
    conn = duckdb.connect(str(path))
    conn.execute(SCHEMA)
    conn.close()
    return path


@pytest.fixture(scope="module")
def conn(db_path: Path):
    connection = open_readonly(db_path)
    yield connection
    connection.close()


def _snapshot(db_path: Path) -> tuple[str, int, list[str]]:
    """Contents, modification time, and the directory listing (no .wal or spill files)."""
    digest = hashlib.sha256(db_path.read_bytes()).hexdigest()
    return digest, os.stat(db_path).st_mtime_ns, sorted(os.listdir(db_path.parent))


# Each is refused; the comment says which layer DuckDB would have stopped it at anyway.
HOSTILE = [
    "INSERT INTO inspections VALUES ('999', NULL, 'good')",
    "UPDATE inspections SET grade = 'outstanding'",
    "DELETE FROM inspections",
    "MERGE INTO inspections USING (SELECT '201' AS la_code) s ON inspections.la_code = s.la_code "
    "WHEN MATCHED THEN DELETE",
    "CREATE TABLE x AS SELECT 1",
    "CREATE TEMP TABLE x AS SELECT 1",  # DuckDB alone allows this (temp catalog is in memory)
    "CREATE MACRO evil() AS 1",
    "CREATE SECRET (TYPE s3, KEY_ID 'k', SECRET 's')",
    "DROP TABLE inspections",
    "ALTER TABLE inspections ADD COLUMN z INTEGER",
    "ATTACH '/tmp/other.duckdb' AS other",
    "ATTACH ':memory:' AS scratch",
    "DETACH tiny",
    "COPY inspections TO '/tmp/leak.csv'",
    "COPY inspections FROM '/etc/passwd'",
    "COPY FROM DATABASE tiny TO memory",
    "EXPORT DATABASE '/tmp/exported'",
    "IMPORT DATABASE '/tmp/exported'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "SET threads = 1",
    "RESET threads",
    "SET VARIABLE p = '/etc/passwd'",
    "PRAGMA enable_profiling",
    "PRAGMA threads = 1",
    "USE memory",
    "BEGIN TRANSACTION",
    "CHECKPOINT",  # DuckDB alone allows this (a no-op when read-only)
    "VACUUM",
    "CALL pragma_version()",
    "PREPARE p AS SELECT 1",
    "EXPLAIN ANALYZE SELECT 1",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv_auto('/etc/passwd')",
    "SELECT * FROM read_parquet('x.parquet')",
    "SELECT * FROM read_json('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_blob('/etc/passwd')",
    "SELECT * FROM glob('*')",
    "SELECT * FROM sniff_csv('/etc/passwd')",
    "SELECT * FROM parquet_metadata('x.parquet')",
    "SELECT * FROM '/etc/passwd'",
    "FROM 'x.parquet'",
    "SELECT * FROM 'https://example.com/data.parquet'",
    "SELECT * FROM \"s3://bucket/key.csv\"",
    "DESCRIBE '/etc/passwd'",
    "SELECT * FROM inspections, 'x.csv'",
    "SELECT * FROM \"READ_CSV\"('/etc/passwd')",
    "SELECT * FROM system.main.read_text('/etc/passwd')",
    "SELECT * FROM read_csv /* spaced */ ('/etc/passwd')",
    "SELECT * FROM inspections WHERE la_code IN (SELECT column0 FROM read_csv('/etc/passwd'))",
    "SELECT * FROM inspections UNION ALL SELECT *, 1, 2 FROM read_text('/etc/passwd')",
    "SELECT list_transform([1], x -> (SELECT count(*) FROM read_text('/etc/passwd')))",
    "SELECT * FROM query('SELECT 1')",
    "SELECT * FROM query_table('inspections')",
    "SELECT * FROM json_execute_serialized_sql('{}')",
    "SELECT * FROM checkpoint()",
    "SELECT * FROM duckdb_secrets()",
    "SELECT nextval('seq')",
    "SELECT write_log('x')",
    "SELECT 1; DROP TABLE inspections",
    "SELECT 1 /* ; */; DELETE FROM inspections",
    "SELECT 1 -- harmless\n; DELETE FROM inspections",
    "-- comment\nDROP TABLE inspections",
    "/* SELECT */ DROP TABLE inspections",
    "WITH gone AS (DELETE FROM inspections RETURNING *) SELECT * FROM gone",
    "WITH added AS (INSERT INTO inspections VALUES ('9', NULL, 'good') RETURNING *) "
    "SELECT * FROM added",
    "PIVOT inspections ON grade USING count(*)",
    "SELECT 1\x00; DROP TABLE inspections",
]


def test_there_are_at_least_thirty_hostile_queries():
    assert len(HOSTILE) >= 30
    assert len(set(HOSTILE)) == len(HOSTILE)


@pytest.mark.parametrize("sql", HOSTILE)
def test_hostile_query_is_refused_and_database_unchanged(conn, db_path, sql):
    before = _snapshot(db_path)
    with pytest.raises(QueryRefused) as refused:
        run_query(conn, sql, timeout_s=2)
    assert str(refused.value)
    assert _snapshot(db_path) == before
    # The connection is still usable and the data still there.
    assert run_query(conn, "SELECT count(*) FROM inspections").rows == [(3,)]


# Layer 2 on its own: with the parser check switched off, the locked-down connection still
# refuses these. (CREATE TEMP TABLE, CHECKPOINT, VACUUM, BEGIN, CALL, PREPARE, SET VARIABLE,
# query() and `FROM '/etc/passwd'` are the ones DuckDB itself lets through or reports as a
# missing table: layer 1 is what refuses them.)
DUCKDB_GUARDED = [
    "INSERT INTO inspections VALUES ('999', NULL, 'good')",
    "DELETE FROM inspections",
    "DROP TABLE inspections",
    "CREATE MACRO evil() AS 1",
    "ATTACH '/tmp/other.duckdb' AS other",
    "COPY inspections TO '/tmp/leak.csv'",
    "EXPORT DATABASE '/tmp/exported'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "RESET threads",
    "PRAGMA enable_profiling",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM glob('*')",
    "SELECT * FROM 'https://example.com/data.parquet'",
    "SELECT * FROM query('SELECT * FROM read_text(''/etc/passwd'')')",
    "SELECT nextval('seq')",
    "WITH gone AS (DELETE FROM inspections RETURNING *) SELECT * FROM gone",
]


@pytest.mark.parametrize("sql", DUCKDB_GUARDED)
def test_locked_connection_refuses_even_without_the_parser_check(
    conn, db_path, monkeypatch, sql
):
    monkeypatch.setattr(safe_sql, "check_sql", lambda sql, conn=None: None)
    before = _snapshot(db_path)
    with pytest.raises(QueryRefused):
        run_query(conn, sql, timeout_s=2)
    assert _snapshot(db_path) == before


def test_file_read_refusal_names_the_reason(conn):
    with pytest.raises(QueryRefused, match=FILES_DISABLED):
        run_query(conn, "SELECT * FROM read_csv('/etc/passwd')")
    with pytest.raises(QueryRefused, match="looks like a file or URL"):
        run_query(conn, "SELECT * FROM 'x.parquet'")


def test_refusal_messages_are_readable():
    with pytest.raises(QueryRefused, match="only one SELECT statement is allowed; found 2"):
        check_sql("SELECT 1; SELECT 2")
    copy_refused = "COPY statements are refused: the workbench is read-only"
    with pytest.raises(QueryRefused, match=copy_refused):
        check_sql("COPY t TO 'x.csv'")
    with pytest.raises(QueryRefused, match="IMPORT statements are refused"):
        check_sql("IMPORT DATABASE 'x'")
    with pytest.raises(QueryRefused, match="RESET statements are refused: settings are locked"):
        check_sql("-- sneaky\nRESET threads")
    with pytest.raises(QueryRefused, match="DELETE inside a query is refused"):
        check_sql("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d")
    with pytest.raises(QueryRefused, match="empty"):
        check_sql("  -- nothing here\n ; ")


def test_syntax_error_is_a_failure_with_duckdbs_message(conn):
    with pytest.raises(QueryFailed) as failed:
        run_query(conn, "SELECT * FORM inspections")
    assert "syntax error" in str(failed.value).lower()
    assert "FORM" in str(failed.value)
    with pytest.raises(QueryFailed, match="nosuchcolumn"):
        run_query(conn, "SELECT nosuchcolumn FROM inspections")


def test_too_deeply_nested_query_fails_cleanly(conn):
    with pytest.raises(QueryFailed, match="expression depth"):
        run_query(conn, "SELECT " + "(" * 2000 + "1" + ")" * 2000)
    assert run_query(conn, "SELECT " + "(" * 200 + "1" + ")" * 200).rows == [(1,)]


def test_memory_hungry_query_fails_with_advice_that_can_be_followed(tmp_path):
    path = tmp_path / "small.duckdb"
    duckdb.connect(str(path)).close()
    small = open_readonly(path, memory_limit="30MB")
    try:
        with pytest.raises(QueryFailed, match="needs more memory than the workbench allows"):
            run_query(small, "SELECT list(range) FROM range(50000000)", timeout_s=5)
    finally:
        small.close()
    # DuckDB may spill to <db>.tmp/ while the connection is open; nothing is left after close.
    assert sorted(os.listdir(tmp_path)) == ["small.duckdb"]


def test_runaway_query_is_stopped_at_the_time_limit(conn):
    started = time.perf_counter()
    with pytest.raises(QueryTimeout, match="0.5 s"):
        run_query(
            conn,
            "SELECT count(*) FROM range(1000000) a, range(1000000) b WHERE a.range + b.range < 0",
            timeout_s=0.5,
        )
    assert time.perf_counter() - started < 3
    # The shared connection is not left interrupted.
    assert run_query(conn, "SELECT 1").rows == [(1,)]


def test_runaway_while_streaming_rows_is_stopped(conn):
    # Returns its first row only after scanning ~forever: the limit also covers fetching.
    started = time.perf_counter()
    with pytest.raises(QueryTimeout):
        run_query(conn, "SELECT * FROM range(1000000000000) WHERE hash(range) = 0", timeout_s=0.5)
    assert time.perf_counter() - started < 3


def test_row_cap_truncates_without_materialising_the_result(conn):
    result = run_query(conn, "SELECT * FROM range(25)", row_cap=10)
    assert result.rows == [(i,) for i in range(10)]
    assert result.truncated and result.row_cap == 10
    exact = run_query(conn, "SELECT * FROM range(10)", row_cap=10)
    assert len(exact.rows) == 10 and not exact.truncated
    # A trillion-row result comes back capped quickly because only cap + 1 rows are fetched.
    huge = run_query(conn, "SELECT * FROM range(1000000000000)", row_cap=5, timeout_s=2)
    assert huge.truncated and len(huge.rows) == 5 and huge.elapsed_s < 2


def test_result_shape_and_dataframe(conn):
    result = run_query(conn, "SELECT la_code, published FROM inspections ORDER BY la_code")
    assert result.columns == ["la_code", "published"]
    assert result.types == ["VARCHAR", "DATE"]
    assert result.rows[0] == ("201", dt.date(2024, 11, 2))
    assert not result.truncated and result.elapsed_s >= 0
    frame = result.to_dataframe()
    assert list(frame.columns) == ["la_code", "published"] and len(frame) == 3


def test_table_and_scalar_macros_are_callable_read_only(conn):
    rows = run_query(
        conn, "SELECT la_code FROM grades_asof(DATE '2025-03-31', '203') ORDER BY la_code"
    ).rows
    assert rows == [("201",), ("202",), ("203",)]
    rows = run_query(conn, "SELECT la_code FROM grades_asof(DATE '2024-12-31', 'none')").rows
    assert rows == [("201",)]
    assert run_query(conn, "SELECT double_it(21)").rows == [(42,)]
    assert run_query(conn, "SELECT la_code FROM latest ORDER BY 1").rows == [("202",), ("203",)]


def test_schema_browser_catalog_queries_work_read_only(conn):
    tables = run_query(
        conn, "SELECT table_name, comment FROM duckdb_tables() ORDER BY table_name"
    ).rows
    assert tables == [("inspections", "One row per inspection"), ("secrets_canary", None)]
    columns = run_query(
        conn,
        "SELECT column_name, data_type, comment FROM duckdb_columns() "
        "WHERE table_name = 'inspections' ORDER BY column_index",
    ).rows
    assert columns[2] == ("grade", "VARCHAR", "Overall effectiveness grade")
    views = run_query(conn, "SELECT view_name FROM duckdb_views() WHERE NOT internal").rows
    assert views == [("latest",)]
    info = run_query(
        conn,
        "SELECT table_name, table_type FROM information_schema.tables ORDER BY table_name",
    ).rows
    assert info == [
        ("inspections", "BASE TABLE"), ("latest", "VIEW"), ("secrets_canary", "BASE TABLE")
    ]
    macros = run_query(
        conn,
        "SELECT function_name FROM duckdb_functions() "
        "WHERE function_type = 'table_macro' AND NOT internal",
    ).rows
    assert macros == [("grades_asof",), ("rows_of",)]
    assert [r[0] for r in run_query(conn, "DESCRIBE inspections").rows] == [
        "la_code", "published", "grade"
    ]
    assert len(run_query(conn, "SUMMARIZE inspections").rows) == 3
    shown = run_query(conn, "SHOW TABLES").rows
    assert shown == [("inspections",), ("latest",), ("secrets_canary",)]
    assert run_query(conn, "SELECT * FROM pragma_table_info('inspections')").rows[0][1] == "la_code"


PATH_LEAKS = [
    "SELECT * FROM duckdb_settings()",
    "SELECT path FROM duckdb_databases()",
    "SELECT database_name, path FROM duckdb_databases",
    "SELECT current_setting('temp_directory')",
    "SELECT lower(current_setting('home_directory'))",
    "SELECT * FROM pragma_database_list",
    "SELECT file FROM pragma_database_list()",
    "SELECT * FROM pg_catalog.pg_settings",
    'SELECT * FROM "DUCKDB_DATABASES"',
    "SELECT * FROM duckdb_temporary_files()",
    "WITH s AS (SELECT * FROM duckdb_settings()) SELECT value FROM s",
]


@pytest.mark.parametrize("sql", PATH_LEAKS)
def test_queries_that_show_server_paths_are_refused(conn, sql):
    with pytest.raises(QueryRefused):
        run_query(conn, sql)


def test_no_allowed_catalog_function_shows_a_server_path(conn, db_path):
    """Every allowed table function that takes no arguments, run whole: no cell names the
    database's folder, the temp directory or the home directory."""
    import tempfile

    secret = [str(db_path.parent), tempfile.gettempdir(), str(Path.home())]
    no_args = [name for name in sorted(safe_sql.SAFE_TABLE_FUNCTIONS)
               if name.startswith(("duckdb_", "pragma_", "pg_", "icu_"))]
    checked = 0
    for name in no_args:
        try:
            result = run_query(conn, f"SELECT * FROM {name}()", row_cap=100_000)
        except QueryFailed:
            continue  # needs arguments
        checked += 1
        for row in result.rows:
            for cell in row:
                assert not any(s in str(cell) for s in secret if s not in ("/", "")), (name, cell)
    assert checked >= 8


def test_ordinary_selects_pass_the_check(conn):
    for sql in [
        "FROM inspections SELECT la_code",
        "SELECT 1;",
        "WITH x AS (SELECT * FROM inspections) SELECT count(*) FROM x",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) "
        "SELECT * FROM r",
        "SELECT * FROM inspections PIVOT (count(*) FOR grade IN ('good', 'inadequate'))",
        "SELECT '/etc/passwd' AS looks_like_a_path, 'x.csv' AS also_just_text",
        "SELECT version() <> ''",
        "SELECT * FROM range(3), generate_series(1, 2), unnest([1, 2])",
    ]:
        run_query(conn, sql)


def test_check_without_a_connection_knows_no_database_macros():
    check_sql("SELECT * FROM range(3)")
    with pytest.raises(QueryRefused, match="grades_asof"):
        check_sql("SELECT * FROM grades_asof(DATE '2025-01-01', 'x')")


def test_a_writable_connection_is_not_accepted(db_path):
    plain = duckdb.connect(":memory:")
    try:
        with pytest.raises(QueryRefused, match="not locked down"):
            run_query(plain, "SELECT 1")
    finally:
        plain.close()


def test_python_objects_are_not_scanned(conn):
    secret_frame = __import__("pandas").DataFrame({"password": ["hunter2"]})  # noqa: F841
    with pytest.raises(QueryFailed, match="secret_frame"):
        run_query(conn, "SELECT * FROM secret_frame")


def test_missing_database_is_a_clear_error(tmp_path):
    missing = tmp_path / "nope.duckdb"
    with pytest.raises(DatabaseUnavailable, match="no database at"):
        open_readonly(missing)
    with pytest.raises(QueryFailed, match="no database at"):
        run_query(missing, "SELECT 1")
    assert not missing.exists()


def test_run_query_by_path_opens_and_closes(db_path, conn):
    before = _snapshot(db_path)
    assert run_query(db_path, "SELECT count(*) FROM inspections").rows == [(3,)]
    assert _snapshot(db_path) == before


def test_one_connection_is_shared_by_concurrent_queries(conn):
    results: list[int] = []
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            results.append(run_query(conn, f"SELECT count(*) + {n} FROM range(100000)").rows[0][0])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == [100000 + n for n in range(6)]


def test_bad_limits_are_rejected(conn):
    with pytest.raises(ValueError):
        run_query(conn, "SELECT 1", timeout_s=0)
    with pytest.raises(ValueError):
        run_query(conn, "SELECT 1", row_cap=0)


# --- command line ----------------------------------------------------------------------------


def _main(*argv: str) -> tuple[int, str, str]:
    """`python -m etl sql ...` in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(["sql", *argv])
    return code, out.getvalue(), err.getvalue()


def test_cli_prints_csv_and_notes_truncation(db_path, conn):
    code, out, err = _main("--db", str(db_path), "SELECT la_code FROM inspections ORDER BY 1")
    assert code == 0
    assert out.splitlines() == ["la_code", "201", "202", "203"]
    code, out, err = _main("--db", str(db_path), "--max-rows", "2", "SELECT * FROM range(5)")
    assert code == 0 and out.splitlines() == ["range", "0", "1"]
    assert "truncated" in err


def test_cli_exit_codes_and_reasons(db_path, conn):
    before = _snapshot(db_path)
    code, out, err = _main("--db", str(db_path), "SELECT 1; DROP TABLE inspections")
    assert (code, out) == (EXIT_REFUSED, "") and "refused: only one SELECT statement" in err
    code, _, err = _main("--db", str(db_path), "SELECT * FROM read_text('/etc/passwd')")
    assert code == EXIT_REFUSED and FILES_DISABLED in err
    code, _, err = _main("--db", str(db_path), "SELEC 1")
    assert code == EXIT_FAILED and "syntax error" in err
    code, _, err = _main(
        "--db", str(db_path), "--timeout", "0.3",
        "SELECT count(*) FROM range(1000000) a, range(1000000) b WHERE a.range + b.range < 0",
    )
    assert code == EXIT_TIMEOUT and "timed out" in err
    code, _, err = _main("--db", str(db_path.parent / "missing.duckdb"), "SELECT 1")
    assert code == EXIT_FAILED and "no database at" in err
    assert _snapshot(db_path) == before


def test_cli_as_a_process(db_path):
    """The real entry point: non-zero exit and the reason on stderr, nothing on stdout."""
    refused = subprocess.run(
        [sys.executable, "-m", "etl", "sql", "--db", str(db_path), "-"],
        input="COPY inspections TO '/tmp/leak.csv'",
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60,
    )
    assert refused.returncode == EXIT_REFUSED
    assert refused.stdout == ""
    assert "COPY statements are refused" in refused.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "etl", "sql", "--db", str(db_path), "--format", "json",
         "SELECT x FROM secrets_canary"],
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == '[{"x":42}]'


def test_a_table_macro_reading_a_table_its_caller_names_is_refused(conn):
    """A stored table macro over query_table (the build's plumbing: winning_intervals,
    as_at_shown) would read a table named as text, which the checker never sees as a table: a
    catalog view revealing paths, say. It is refused as query_table itself is."""
    for sql in ("SELECT * FROM rows_of('duckdb_settings')", "SELECT * FROM rows_of('inspections')",
                "SELECT * FROM ROWS_OF('secrets_canary')"):
        with pytest.raises(QueryRefused, match="rows_of"):
            run_query(conn, sql)
