"""Exports for papers: real PNG/SVG/PDF bytes from Debian chromium, CSV/XLSX data, the zip.

Image tests skip with the reason from `chromium_available()` when /usr/bin/chromium is
missing (and fail under CI=true, via `require`). Data and metadata tests always run.
"""

from __future__ import annotations

import io
import json
import struct
import xml.etree.ElementTree as ET
import zipfile
from hashlib import sha256
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from etl.figures import export
from etl.figures import national_distribution as national_chart
from etl.figures.chart import make_chart
from etl.figures.export import (
    chromium_available,
    export_data,
    export_figure,
    paper_pack,
    print_style,
)
from tests.conftest import require
from tests.test_figures import AS_AT, group_frame, national_frame, spec

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def browser() -> None:
    ok, reason = chromium_available()
    require(ok, f"static export needs chromium: {reason}")


@pytest.fixture(scope="module")
def national():
    s = spec()
    return national_chart.figure(national_frame(), s), national_frame(), s


def chart_of(fig, df, s):
    """A Chart as national_distribution.render returns it, from the sample frame."""
    return make_chart(national_chart.NAME, national_chart.Params(as_at=AS_AT), s, df, fig, [])


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return " ".join(t.strip() for t in root.itertext() if t.strip())


# --------------------------------------------------------------------------- no browser


def test_chromium_missing_gives_reason(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(export, "CHROMIUM", tmp_path / "no-chromium")
    ok, reason = chromium_available()
    assert not ok
    assert "no-chromium" in reason


def test_print_style_is_a_copy_and_idempotent(national):
    fig, _, _ = national
    styled = print_style(fig)
    assert styled is not fig
    assert fig.layout.width is None  # the app's figure stays responsive
    assert styled.layout.width == 800
    assert styled.layout.title.x == 0 and styled.layout.title.xanchor == "left"
    assert "Arial" in styled.layout.font.family
    assert print_style(styled).to_plotly_json() == styled.to_plotly_json()


def test_export_rejects_unknown_formats(national):
    fig, df, _ = national
    with pytest.raises(ValueError, match="format"):
        export_figure(fig, "eps")
    with pytest.raises(ValueError, match="format"):
        export_data(df, "ods")


def test_csv_round_trips():
    df = national_frame()
    data = export_data(df, "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 names correctly
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back["grade"]) == list(df["grade"])
    assert back["n"].sum() == 153


def test_xlsx_opens_with_openpyxl():
    df = group_frame()
    df["published"] = pd.Timestamp("2025-03-31").date()
    data = export_data(df, "xlsx", about={"title": "By region", "as_at": "31 March 2025"})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["data", "about"]
    ws = wb["data"]
    assert [c.value for c in ws[1]] == ["group", "grade", "n", "share", "published"]
    assert ws.max_row == len(df) + 1 == 37
    assert ws["A2"].value == "North East" and ws["C2"].value == 5
    assert ws["D2"].value == pytest.approx(5 / 12)
    assert ws["D2"].number_format == "0.0%"
    assert wb["about"]["B2"].value == "By region"


# --------------------------------------------------------------------------- browser


def test_png_is_print_resolution(browser, national, tmp_path: Path):
    fig, _, _ = national
    data = export_figure(fig, "png")
    width, height = png_size(data)
    assert width == 2000  # 800 px layout at scale 2.5
    assert height == round(fig.layout.height * 2.5)
    big = export_figure(fig, "png", width_px=2400, scale=3)
    assert png_size(big) == (2400, round(fig.layout.height * 3))


def test_svg_carries_title_as_at_and_source(browser, national):
    fig, _, s = national
    text = svg_text(export_figure(fig, "svg"))
    assert s.title in text
    assert "As at 31 March 2025" in text
    assert "Source: Ofsted inspection reports" in text
    assert "Open Government Licence v3.0" in text
    assert "36 (24%)" in text


def test_pdf_magic(browser, national):
    fig, _, _ = national
    data = export_figure(fig, "pdf")
    assert data[:5] == b"%PDF-"
    assert b"%%EOF" in data[-1024:]


def test_paper_pack_contents(browser, national):
    fig, df, s = national
    metadata = {
        "query": "SELECT grade, n, share FROM national_distribution(DATE '2025-03-31')",
        "parameters": {"as_at": "2025-03-31", "area": "overall_effectiveness"},
        "data_build": "test",
        "sources": ["ofsted-reports", "official"],
        "licence": "Open Government Licence v3.0",
        "chart": "national",
    }
    data = paper_pack(chart_of(fig, df, s), metadata)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = sorted(zf.namelist())
        assert names == sorted(["chart.png", "chart.svg", "chart.pdf", "data.csv",
                                "data.xlsx", "alt_text.txt", "metadata.json"])
        files = {n: zf.read(n) for n in names}
    assert png_size(files["chart.png"])[0] >= 2000
    assert files["chart.pdf"][:5] == b"%PDF-"
    assert s.title in svg_text(files["chart.svg"])
    alt = files["alt_text.txt"].decode("utf-8").strip()
    assert alt == fig.layout.meta["alt_text"]
    assert "36 outstanding (24%)" in alt
    meta = json.loads(files["metadata.json"])
    assert meta["query"] == metadata["query"]
    assert meta["parameters"]["as_at"] == "2025-03-31"
    assert meta["licence"] == "Open Government Licence v3.0"
    assert meta["chart"] == "national"  # the caller's keys are kept
    assert meta["alt_text"] == alt
    assert meta["generated_at"].endswith("+00:00")
    assert meta["figure"]["as_at"] == "31 March 2025"
    assert meta["figure"]["kind"] == "national"
    assert meta["rows"] == 4
    for name, digest in meta["files"].items():
        assert sha256(files[name]).hexdigest() == digest
    assert "metadata.json" not in meta["files"]
    wb = openpyxl.load_workbook(io.BytesIO(files["data.xlsx"]))
    assert wb["about"]["B2"].value == s.title


def test_paper_pack_needs_alt_text_for_foreign_figures(national):
    import dataclasses

    fig, df, s = national
    chart = dataclasses.replace(chart_of(fig, df, s), alt_text="")
    with pytest.raises(ValueError, match="alt text"):
        paper_pack(chart, {})


def test_browser_that_will_not_start_fails_fast(monkeypatch, tmp_path: Path, national):
    """A chromium that exits at once must raise with a reason, not hang the app."""
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setattr(export, "CHROMIUM", fake)
    monkeypatch.setattr(export, "_renderer", None)
    monkeypatch.setattr(export, "_cache", type(export._cache)())  # nothing served from cache
    fig, _, _ = national
    with pytest.raises(RuntimeError, match="failed to start"):
        export_figure(fig, "png")
    assert export._renderer is None


def test_concurrent_exports_share_one_browser(browser, national):
    from concurrent.futures import ThreadPoolExecutor

    fig, _, _ = national
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda fmt: export_figure(fig, fmt), ["png", "svg", "png"]))
    assert results[0][:8] == PNG_MAGIC and results[2][:8] == PNG_MAGIC
    assert b"<svg" in results[1][:200]


def test_repeat_export_is_served_from_cache(browser, national, monkeypatch):
    fig, _, _ = national
    first = export_figure(fig, "svg")

    def no_render(*_args, **_kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(export, "_render", no_render)
    assert export_figure(fig, "svg") == first
    with pytest.raises(AssertionError, match="rendered again"):
        export_figure(fig, "svg", width_px=2000, scale=2)  # 1000 px layout: a new render
