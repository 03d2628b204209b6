"""Shared fixtures. Tests that need ../shared skip with a reason when it is absent,
except under CI=true, where a skip of that kind is a failure."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from etl import DEFAULT_SHARED_DATA, PROJECT_ROOT, SNAPSHOT_DIR

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI: CI must run every test."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    require(
        DEFAULT_SHARED_DATA.is_dir(),
        f"../shared/data not found at {DEFAULT_SHARED_DATA}: these tests read the raw sources",
    )
    return DEFAULT_SHARED_DATA


@pytest.fixture(scope="session")
def resolver(shared_data: Path):
    from etl.ingest.la_lookup import resolver_from_shared

    return resolver_from_shared(shared_data)


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built once per session from a private copy of the shipped snapshot, so a
    `python -m etl snapshot` run elsewhere cannot change it mid-session."""
    from etl.warehouse.build import build

    root = tmp_path_factory.mktemp("built_db")
    snapshot = root / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, snapshot)
    db = root / "inspection_outcomes.duckdb"
    build(db, snapshot)
    return db


def run_page(page: str, timeout: float = 60, **params: str):
    """Run one views/ page in Streamlit's AppTest with URL parameters; no exception allowed."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PROJECT_ROOT / "views" / page), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
