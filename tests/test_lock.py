"""The lock file: every package, direct and transitive, pinned; `make` installs from it, so the
environment the tests run in is the one it records."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from etl import PROJECT_ROOT

LOCK = PROJECT_ROOT / "requirements.lock"


def _locked() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.lock: {line!r} is not pinned with =="
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_every_installed_package_is_the_locked_version():
    pins = _locked()
    installed = {re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower(): d.version
                 for d in metadata.distributions()}
    installed.pop("inspection-outcomes", None)
    for tool in ("pip", "setuptools", "wheel"):
        installed.pop(tool, None)
    assert {n: v for n, v in installed.items() if pins.get(n) != v} == {}
    assert set(pins) <= set(installed)


def test_every_direct_dependency_is_pinned_and_locked_alike():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    direct = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    pins = _locked()
    for requirement in direct:
        name, _, version = requirement.partition("==")
        assert version, f"pyproject.toml: {requirement!r} is not pinned"
        assert pins[re.sub(r"[-_.]+", "-", name).lower()] == version, requirement
