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
    # the frame the page plots: each grade (code and words), its count and share, the base they
    # share and how many LAs carry a superseded grade forward (none by default)
    assert text[0] == "grade,grade_label,n,share,n_judged,n_las,n_superseded"
    assert {line.split(",")[-2] for line in text[1:]} == {"153"}
    assert {line.split(",")[-1] for line in text[1:]} == {"0"}
    counts = {line.split(",")[0]: int(line.split(",")[2]) for line in text[1:]}
    # Published on or before 31 March 2025 (not the release's later cut-off): 33/67/34/19.
    assert counts == {"outstanding": 33, "good": 67, "requires_improvement": 34, "inadequate": 19}


def test_neighbours_needs_a_known_la(tmp_path: Path) -> None:
    proc, _ = _export(tmp_path, "neighbours", "--la", "Leicestshire", "--format", "csv")
    assert proc.returncode == 2
    assert "did you mean: Leicestershire" in proc.stderr


def test_local_providers_csv_for_an_la_named_by_name(tmp_path: Path) -> None:
    proc, out = _export(tmp_path, "local-providers", "--la", "Nottinghamshire", "--as-at",
                        "2023-03-31", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    import csv

    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    mine = {(r["provider_type"], r["comparator"]): r for r in rows}
    # the hand count of Provider_level_at_31_Mar_2023: 57 of Nottinghamshire's 60 providers
    allp = mine[("all", "la")]
    assert (allp["n_providers"], allp["n_good_or_better"], allp["band"]) == ("60", "57",
                                                                            "dark_green")
    assert {c for _, c in mine} == {"la", "neighbours", "region", "england"}


def test_an_la_created_after_the_release_exits_with_the_reason(tmp_path: Path) -> None:
    proc, _ = _export(tmp_path, "local-providers", "--la", "Cumberland", "--format", "csv")
    assert proc.returncode == 1
    assert "Cumberland was created on 1 April 2023" in proc.stderr


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


# ---------------------------------------------------------------- every chart in the registry

# The fewest options each chart needs for a figure that is not empty.
MINIMAL = {
    "national": ["--as-at", "2025-03-31"],
    "national-by-group": ["--as-at", "2025-03-31", "--group-by", "la_type"],
    "national-trend": ["--as-at", "2025-03-31"],
    "failing": ["--as-at", "2025-03-31", "--measure", "share_good_or_better"],
    "neighbours": ["--la", "855", "--as-at", "2025-03-31"],
    "neighbours-comparison": ["--la", "855", "--as-at", "2025-03-31"],
    "hexmap": ["--la", "855", "--as-at", "2025-03-31"],
    "cycle": ["--framework", "SIF", "--as-at", "2014-10-31"],
    "cycle-backtest": ["--framework", "SIF", "--as-at", "2014-10-31"],
    "la-timeline": ["--la", "891"],
    "themes": ["--framework", "SIF", "--from-date", "2013-11-01", "--to-date", "2014-10-31"],
    "workbench": ["--sql", "SELECT region_name, count(*) AS n FROM local_authorities GROUP BY 1"],
    "local-providers": ["--la", "Nottinghamshire", "--as-at", "2023-03-31"],
    "local-area-send": ["--la", "891", "--as-at", "2025-03-31"],
    "area-send-national": ["--as-at", "2025-03-31"],
    "provider-hexmap": ["--provider-type", "childrens_home"],
    "provider-national": ["--provider-type", "all_childrens_homes"],
}


def _in_process(tmp_path: Path, *args: str) -> tuple[int, Path]:
    from etl.cli import main

    tmp_path.mkdir(exist_ok=True)
    out = tmp_path / "out"
    return main(["export", *args, "--out", str(out)]), out


def test_every_registry_chart_has_an_export_command() -> None:
    from etl.figures.registry import CHARTS

    assert set(MINIMAL) == set(CHARTS)


@pytest.mark.parametrize("chart", sorted(MINIMAL))
def test_every_chart_exports_its_plotted_frame(chart: str, tmp_path: Path) -> None:
    code, out = _in_process(tmp_path, chart, *MINIMAL[chart], "--format", "xlsx")
    assert code == 0
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["data", "about"]
    assert wb["data"].max_row > 1
    about = {r[0].value: r[1].value for r in wb["about"].iter_rows(min_row=2)}
    assert about["title"] and about["alt_text"] and about["source"]


def test_la_by_name_resolves_from_the_database(tmp_path: Path) -> None:
    by_code, a = _in_process(tmp_path / "a", "neighbours", "--la", "855", "--as-at",
                             "2025-03-31", "--format", "csv")
    by_name, b = _in_process(tmp_path / "b", "neighbours", "--la", "leicestershire", "--as-at",
                             "2025-03-31", "--format", "csv")
    assert by_code == by_name == 0
    assert a.read_bytes() == b.read_bytes()


def test_resolver_is_built_from_the_database_not_the_snapshot() -> None:
    from etl.cli.figures import la_resolver
    from etl.local_authorities import UnknownLA
    from etl.warehouse.db import open_readonly

    con = open_readonly(DEFAULT_DB)
    try:
        resolver = la_resolver(con)
        codes = con.execute("SELECT la_code, name, ons_code FROM local_authorities").fetchall()
    finally:
        con.close()
    for code, name, ons in codes:
        assert resolver.resolve(code) == code
        assert resolver.resolve(name, on=None) in {code} | {c for c, n, _ in codes if n == name}
        if ons:
            assert resolver.resolve(ons) == code
    # Cumbria was split in April 2023: asked for after that, the error names its successors
    with pytest.raises(UnknownLA, match="Cumberland"):
        resolver.by_name("Cumbria", on="2024-01-01")


def test_nothing_to_plot_is_a_failure_with_the_reason(tmp_path: Path, capsys) -> None:
    code, out = _in_process(tmp_path, "national", "--as-at", "2014-10-31", "--framework",
                            "ILACS", "--format", "csv")
    assert code == 1 and not out.exists()
    assert "No LA has a published overall effectiveness judgement" in capsys.readouterr().err


def test_options_belong_to_their_chart(tmp_path: Path) -> None:
    proc, _ = _export(tmp_path, "cycle", "--la", "855", "--format", "csv")
    assert proc.returncode == 2 and "unrecognized arguments: --la" in proc.stderr
    proc, out = _export(tmp_path, "national", "--db", str(DEFAULT_DB), "--as-at", "2025-03-31",
                        "--format", "csv")
    assert proc.returncode == 0, proc.stderr  # --db after the chart's name too
