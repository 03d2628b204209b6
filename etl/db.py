"""Opening the built database for reading (app, CLI reports)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl import DEFAULT_DB


def connect_readonly(db_path: Path = DEFAULT_DB) -> duckdb.DuckDBPyConnection:
    """A read-only connection; builds the database first if it is missing or stale."""
    from etl.build import ensure_built

    # Only the project's own database is built on demand; another path must already exist.
    if Path(db_path) == DEFAULT_DB:
        ensure_built(DEFAULT_DB)
    if not Path(db_path).exists():
        raise FileNotFoundError(f"no database at {db_path}: run `python -m etl build`")
    return duckdb.connect(str(db_path), read_only=True)
