"""One definition per chart: every chart in etl.figures.registry, drawn by its page (Streamlit
AppTest with URL parameters, the plotly JSON read from the element tree) and by
`python -m etl export` for the same parameters, has the same title, data and alt text.

The page's figure names its chart and parameters in `layout.meta`; the export side turns them
into `python -m etl export` arguments (etl.cli.figures.export_argv), parses them with the CLI's
own parser and renders what the CLI renders. For national, failing, neighbours and cycle the
real command also writes a paper pack, whose metadata.json and data.csv are compared with the
page (and for each chart of the local area pages): for national as a subprocess, for the others
through the command's entry point (`etl.cli.main`) in this process, where one chromium stays
warm between packs (a new process starts its own, five seconds a pack).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from etl import DEFAULT_DB, PROJECT_ROOT
from etl.cli import build_parser, main
from etl.cli.figures import export_argv, params_from_args
from etl.figures.export import chromium_available, export_data
from etl.figures.registry import CHARTS, chart_module
from tests.conftest import page_charts, require, run_page

pytestmark = pytest.mark.usefixtures("page_db")

WORKBENCH_SQL = ("SELECT grade, n FROM grade_distribution(DATE '2014-10-31', "
                 "'overall_effectiveness', framework := 'SIF')")
# (page, URL parameters): between them every chart in the registry, some with options off
# their defaults.
PAGES = [
    ("national.py", {"as_at": "2025-03-31", "published_by": "2025-06-30"}),
    ("national.py", {"as_at": "2017-11-10", "framework": "SIF", "which": "first",
                     "secondary": "exclude", "group": "la_type"}),
    ("failing.py", {"as_at": "2025-03-31", "basis": "leadership", "region": "London",
                    "from": "2016-01-01"}),
    ("neighbours.py", {"la": "855", "as_at": "2025-12-31", "vintage": "previous"}),
    ("cycle.py", {}),
    ("cycle.py", {"fw": "ILACS", "start": "all", "as_at": "2019-06-30", "window": "6"}),
    ("la_profile.py", {"la": "839"}),
    ("sql_workbench.py", {"q": WORKBENCH_SQL}),  # a linked query runs when Run is pressed
    ("local_area.py", {"la": "Nottinghamshire", "as_at": "2025-12-31", "vintage": "previous"}),
    ("send_providers.py", {"as_at": "2024-06-30", "type": "childrens_home", "la": "857",
                           "measure": "in_year_overall_effectiveness"}),
    ("sql_workbench.py", {"q": WORKBENCH_SQL}),
    ("reports.py", {"view": "themes", "framework": "SIF", "from": "2013-11-01",
                    "to": "2014-10-31", "measure": "share_points"}),
]
# chart -> the PAGES entry whose figure the real `python -m etl export` pack is compared with
CLI_PACKED = {"national": 0, "failing": 2, "neighbours": 3, "cycle": 4, "local-providers": 8,
              "local-area-send": 8, "area-send-national": 9, "provider-hexmap": 9,
              "provider-national": 9}
PACKED_IN_A_SUBPROCESS = {"national"}


def _title(fig: dict) -> str:
    return re.sub(r"</?b>", "", fig["layout"]["title"]["text"])


def _csv(df: pd.DataFrame) -> str:
    """A frame as the CSV export writes it: the page's table (from Arrow) and the render's
    frame compare as the same text when they hold the same values."""
    return export_data(df, "csv").decode("utf-8-sig")


_RUNS: dict[int, list[tuple[dict, pd.DataFrame]]] = {}
PRESS = {"sql_workbench.py": "wb_run"}  # the button a page needs pressed before it draws


def figures_of(i: int) -> list[tuple[dict, pd.DataFrame]]:
    """(a chart's figure JSON, the data table shown with it) for every chart PAGES[i] draws;
    each page runs once per session, so a page that fails fails only its own tests."""
    if i not in _RUNS:
        page, params = PAGES[i]
        at = run_page(page, 120, **params)
        if page in PRESS:
            at.button(key=PRESS[page]).click().run()
            assert not at.exception, [e.value for e in at.exception]
        _RUNS[i] = page_charts(at)
    return _RUNS[i]


def _page_id(i: int) -> str:
    return f"{PAGES[i][0].removesuffix('.py')}-{i}"


@pytest.fixture(scope="module")
def con():
    from etl.warehouse.db import open_readonly

    c = open_readonly(DEFAULT_DB)
    yield c
    c.close()


def _cli_render(con, kind: str, params: dict):
    """What `python -m etl export` renders for these parameters (parsed by its parser)."""
    argv = ["export", *export_argv(kind, params), "--format", "csv", "--out", "unused"]
    args = build_parser().parse_args(argv)
    module = chart_module(args.chart)
    return module.render(con, params_from_args(module, args, con))


def test_every_chart_is_drawn_by_a_page() -> None:
    kinds = {fig["layout"]["meta"].get("kind") for i in range(len(PAGES))
             for fig, _ in figures_of(i)}
    assert set(CHARTS) <= kinds, f"charts no page test draws: {sorted(set(CHARTS) - kinds)}"


@pytest.mark.parametrize("i", range(len(PAGES)), ids=_page_id)
def test_page_and_export_agree_on_title_data_and_alt_text(i: int, con) -> None:
    page, params = PAGES[i]
    checked = 0
    for fig, table in figures_of(i):
        meta = fig["layout"]["meta"]
        where = f"{page} {params}: {meta.get('kind')}"
        assert meta.get("kind") in CHARTS and "params" in meta, \
            f"{where}: the page's figure does not name its chart and parameters"
        chart = _cli_render(con, meta["kind"], meta["params"])
        assert _title(fig) == chart.spec.title, where
        assert meta["alt_text"] == chart.alt_text, where
        assert fig["layout"]["title"]["subtitle"]["text"] == \
            chart.figure.layout.title.subtitle.text, where
        # the page draws the figure as rendered: no trace or note added after the chart module
        drawn = json.loads(chart.figure.to_json())
        assert fig["data"] == drawn["data"], f"{where}: the page's traces differ"
        assert fig["layout"].get("annotations") == drawn["layout"].get("annotations"), where
        assert table is not None, f"{where}: no data table under the chart"
        assert _csv(table) == _csv(chart.data), where
        checked += 1
    assert checked, f"{page} {params} drew no chart"


@pytest.mark.parametrize("kind", CLI_PACKED)
def test_page_and_cli_pack_agree(kind: str, tmp_path: Path) -> None:
    ok, reason = chromium_available()
    require(ok, f"paper packs need chromium: {reason}")
    fig, table = next(f for f in figures_of(CLI_PACKED[kind])
                      if f[0]["layout"]["meta"]["kind"] == kind)
    out = tmp_path / f"{kind}.zip"
    argv = ["export", *export_argv(kind, fig["layout"]["meta"]["params"]), "--format", "pack",
            "--out", str(out)]
    if kind in PACKED_IN_A_SUBPROCESS:
        proc = subprocess.run([sys.executable, "-m", "etl", *argv], capture_output=True,
                              text=True, cwd=PROJECT_ROOT, timeout=180)
        assert proc.returncode == 0, proc.stderr
    else:
        assert main(argv) == 0
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as zf:
        meta = json.loads(zf.read("metadata.json"))
        data = zf.read("data.csv").decode("utf-8-sig")
        alt = zf.read("alt_text.txt").decode("utf-8").strip()
    assert meta["chart"] == kind
    assert meta["parameters"] == fig["layout"]["meta"]["params"]
    assert meta["figure"]["title"] == _title(fig)
    assert meta["alt_text"] == alt == fig["layout"]["meta"]["alt_text"]
    assert data == _csv(table)
