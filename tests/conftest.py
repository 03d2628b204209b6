"""Shared fixtures. Tests that need ../shared skip with a reason when it is absent,
except under CI=true, where a skip of that kind is a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from etl import DEFAULT_SHARED_DATA

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
    from etl.la_lookup import LaResolver

    return LaResolver.from_shared(shared_data)
