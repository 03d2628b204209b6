"""The one way to open the built database for reading: read-only, no external access, its
configuration locked. The app, the CLI, the exports and the SQL workbench all read through
such a connection, so an ad-hoc query and a page's figure run under the same guarantees (and
DuckDB refuses a second connection to one file with a different configuration in a process)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from etl import DEFAULT_DB

DEFAULT_MEMORY_LIMIT = "1GB"

# Settings that make a connection safe. `lock_configuration` comes last in spirit: once the
# connection is open nobody (no SET, RESET, PRAGMA, CALL) can undo the others.
LOCKED_CONFIG: dict[str, Any] = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
    # Otherwise `FROM df` would scan any pandas/arrow object visible to the calling Python frame.
    "python_enable_replacements": False,
    "lock_configuration": True,
}


class DatabaseUnavailable(Exception):
    """No database at the path, or DuckDB cannot open it read-only; the message says which."""


def open_readonly(db_path: Path = DEFAULT_DB, *, memory_limit: str | None = DEFAULT_MEMORY_LIMIT,
                  build_if_missing: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database read-only and locked down.

    The project's own database (the default path) is built from the shipped snapshot first
    when it is missing or older than the snapshot or the SQL; another path must exist.
    """
    path = Path(db_path)
    if build_if_missing and path == DEFAULT_DB:
        from etl.warehouse.build import ensure_built

        ensure_built(DEFAULT_DB)
    if not path.is_file():
        raise DatabaseUnavailable(f"no database at {path}: run `python -m etl build`")
    config = dict(LOCKED_CONFIG)
    if memory_limit:
        config = {"memory_limit": memory_limit, **config}
    try:
        return duckdb.connect(str(path), read_only=True, config=config)
    except duckdb.Error as exc:
        raise DatabaseUnavailable(f"cannot open {path} read-only: {exc}") from exc
