"""`python -m etl export`: papers regenerate their charts by script, from the same SQL as the app."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import require

from etl import DEFAULT_DB, PROJECT_ROOT
from etl.figures.export import chromium_available


def _export(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "etl", "export", *args, "--out", str(out)],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    return proc, out


@pytest.fixture(scope="module", autouse=True)
def database() -> None:
    require(DEFAULT_DB.exists(), f"no database at {DEFAULT_DB}: run `python -m etl build`")


def test_national_csv_is_the_official_distribution_basis(tmp_path: Path) -> None:
    proc, out = _export(tmp_path, "national", "--as-at", "2025-03-31", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    text = out.read_bytes().decode("utf-8-sig").splitlines()
    # the frame the page plots: each grade's count and share, and the base they share
    assert text[0] == "grade,n,share,n_judged,n_las"
    assert {line.split(",")[-1] for line in text[1:]} == {"153"}
    counts = {line.split(",")[0]: int(line.split(",")[1]) for line in text[1:]}
    # Published on or before 31 March 2025 (not the release's later cut-off): 33/67/34/19.
    assert counts == {"outstanding": 33, "good": 67, "requires_improvement": 34, "inadequate": 19}


def test_neighbours_needs_a_known_la(tmp_path: Path) -> None:
    proc, _ = _export(tmp_path, "neighbours", "--la", "Leicestshire", "--format", "csv")
    assert proc.returncode == 2
    assert "did you mean: Leicestershire" in proc.stderr


def test_neighbours_pack_holds_every_format(tmp_path: Path) -> None:
    ok, reason = chromium_available()
    require(ok, reason)
    proc, out = _export(tmp_path, "neighbours", "--la", "855", "--as-at", "2025-03-31",
                        "--format", "pack")
    assert proc.returncode == 0, proc.stderr
    z = zipfile.ZipFile(io.BytesIO(out.read_bytes()))
    assert {"chart.png", "chart.svg", "chart.pdf", "data.csv", "data.xlsx", "alt_text.txt",
            "metadata.json"} <= set(z.namelist())
    assert z.read("chart.png")[:8] == b"\x89PNG\r\n\x1a\n"
    meta = json.loads(z.read("metadata.json"))
    assert meta["parameters"]["la"] == "855"
    data = z.read("data.csv").decode("utf-8-sig").splitlines()
    assert len(data) == 12  # header + Leicestershire + its 10 neighbours
    assert "Leicestershire" in z.read("chart.svg").decode()


def test_cycle_png_is_print_resolution(tmp_path: Path) -> None:
    ok, reason = chromium_available()
    require(ok, reason)
    proc, out = _export(tmp_path, "cycle", "--as-at", "2014-10-31", "--framework", "SIF",
                        "--format", "png")
    assert proc.returncode == 0, proc.stderr
    png = out.read_bytes()
    width = int.from_bytes(png[16:20], "big")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and width >= 2000
