"""Print-ready exports for cabinet papers: PNG/SVG/PDF charts, CSV/XLSX data, a zip pack.

Static images come from kaleido 1.x driving Debian's chromium at /usr/bin/chromium; kaleido
is never asked to download a browser. The browser starts once per process, on first
use, and stays warm, so after the first export a PNG takes a fraction of a second.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import copy
import hashlib
import io
import json
import os
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from etl.figures.chart import Chart
from etl.figures.style import (
    BASE_FONT,
    DESIGN_WIDTH,
    FONT_FAMILY,
    GRID,
    NOTE_FONT,
    SUBTITLE_FONT,
    TEXT,
    TITLE_FONT,
    format_date,
)

__all__ = [
    "CHROMIUM",
    "FIGURE_FORMATS",
    "DATA_FORMATS",
    "chromium_available",
    "clear_cache",
    "export_data",
    "export_figure",
    "paper_pack",
    "print_style",
    "stop_browser",
]

CHROMIUM = Path(os.environ.get("INSPECTION_OUTCOMES_CHROMIUM", "/usr/bin/chromium"))
FIGURE_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "xlsx")
# 800 layout px x 2.5 = 2000 px: about 320 dpi across a 16 cm A4 text column. (x3 = 2400 px
# costs a quarter more render time for no visible gain in print.)
DEFAULT_WIDTH_PX = 2000
DEFAULT_SCALE = 2.5

# Seconds allowed for chromium to start, and for one render.
START_TIMEOUT = 60.0
RENDER_TIMEOUT = 60.0


def chromium_available() -> tuple[bool, str]:
    """(True, path) when static export can run; (False, reason) otherwise."""
    if not CHROMIUM.exists():
        return False, f"chromium not found at {CHROMIUM} (apt-get install chromium)"
    if not os.access(CHROMIUM, os.X_OK):
        return False, f"chromium at {CHROMIUM} is not executable"
    try:
        import kaleido  # noqa: F401
    except ImportError as e:  # pragma: no cover - kaleido is a pinned dependency
        return False, f"kaleido not importable: {e}"
    return True, str(CHROMIUM)


class _Renderer:
    """One warm kaleido/chromium on a private event-loop thread.

    Not kaleido's start_sync_server: its callers wait on a queue with no timeout, so a
    browser that fails to start (or dies) hangs the process forever. Here every call is a
    concurrent Future with a timeout, and a broken browser is replaced on the next call.
    Thread-safe: Streamlit sessions may export at the same time.
    """

    def __init__(self) -> None:
        import kaleido

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="kaleido-chromium", daemon=True
        )
        self._thread.start()

        async def open_browser() -> kaleido.Kaleido:
            # path= pins Debian chromium (no search, never a download); mathjax=False as
            # the charts use no LaTeX and the default fetches MathJax from a CDN.
            k = kaleido.Kaleido(path=str(CHROMIUM), mathjax=False, timeout=RENDER_TIMEOUT)
            await k.open()
            return k

        try:
            self._kaleido = self._run(open_browser(), START_TIMEOUT)
        except BaseException:
            self._loop.call_soon_threadsafe(self._loop.stop)
            raise

    def _run(self, coro, timeout: float):
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise TimeoutError(f"chromium did not answer within {timeout:.0f} s") from None

    def render(self, fig_dict: dict, opts: dict) -> bytes:
        return self._run(self._kaleido.calc_fig(fig_dict, opts=opts), RENDER_TIMEOUT + 5)

    def close(self) -> None:
        try:
            self._run(self._kaleido.close(), 10)
        except Exception:  # noqa: BLE001 - closing a dead browser must not mask the caller
            pass
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)


# Recent exports by figure+options hash (a few MB at most).
CACHE_ENTRIES = 24
_cache: OrderedDict[str, bytes] = OrderedDict()
_cache_lock = threading.Lock()

_renderer: _Renderer | None = None
_renderer_lock = threading.Lock()


def _get_renderer() -> _Renderer:
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            ok, reason = chromium_available()
            if not ok:
                raise RuntimeError(f"static export unavailable: {reason}")
            try:
                _renderer = _Renderer()
            except Exception as e:
                raise RuntimeError(f"static export unavailable: chromium at {CHROMIUM} "
                                   f"failed to start: {e}") from e
            atexit.register(stop_browser)
        return _renderer


def clear_cache() -> None:
    """Forget cached exports (benchmarks, or after changing the print style)."""
    with _cache_lock:
        _cache.clear()


def stop_browser() -> None:
    """Stop the warm browser (also registered to run at interpreter exit)."""
    global _renderer
    with _renderer_lock:
        if _renderer is not None:
            _renderer.close()
            _renderer = None


def _render(fig_dict: dict, opts: dict) -> bytes:
    global _renderer
    renderer = _get_renderer()
    try:
        return renderer.render(fig_dict, opts)
    except (TimeoutError, ConnectionError, OSError):
        # the browser died or hung: drop it so the next export starts a fresh one
        with _renderer_lock:
            if _renderer is renderer:
                _renderer = None
        renderer.close()
        raise


# --------------------------------------------------------------------------- print look


def print_style(fig: go.Figure) -> go.Figure:
    """A copy styled for a paper at A4 column width (Analysis Function chart guidance:
    left-aligned title, sans-serif, light gridlines, no decoration, white background).

    The chart modules already follow this look; print_style also normalises figures built
    elsewhere, fixes the design width, hides interactive chrome, and is idempotent.
    """
    out = go.Figure(fig)
    out.update_layout(
        font=dict(family=FONT_FAMILY, color=TEXT),
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        width=DESIGN_WIDTH,
        hovermode=False,
        dragmode=False,
        title=dict(x=0, xref="container", xanchor="left"),
        modebar=dict(remove=["zoom", "pan", "select", "lasso2d"]),
    )
    if out.layout.font.size is None:
        out.update_layout(font_size=BASE_FONT)
    if out.layout.title.font.size is None:
        out.update_layout(title_font_size=TITLE_FONT)
    if out.layout.title.subtitle.text and out.layout.title.subtitle.font.size is None:
        out.update_layout(title_subtitle_font_size=SUBTITLE_FONT)
    # Gridlines light, and only where the builder asked for them.
    out.update_xaxes(gridcolor=GRID, zeroline=False)
    out.update_yaxes(gridcolor=GRID, zeroline=False)
    for ann in out.layout.annotations:
        if ann.name == "footer" and ann.font.size is None:
            ann.font.size = NOTE_FONT
    return out


# --------------------------------------------------------------------------- figures


def export_figure(
    fig: go.Figure,
    fmt: str,
    *,
    width_px: int = DEFAULT_WIDTH_PX,
    scale: float = DEFAULT_SCALE,
    styled: bool = True,
) -> bytes:
    """The figure as PNG, SVG or PDF bytes.

    The layout is drawn `width_px / scale` px wide (the design width by default) and PNGs
    are rasterised at `scale`, so text keeps its size relative to the chart whatever the
    resolution. SVG and PDF are vector; `scale` does not change them.
    """
    if fmt not in FIGURE_FORMATS:
        raise ValueError(f"format must be one of {FIGURE_FORMATS}, not {fmt!r}")
    if width_px <= 0 or scale <= 0:
        raise ValueError("width_px and scale must be positive")
    styled_fig = print_style(fig) if styled else go.Figure(fig)
    width = round(width_px / scale)
    height = styled_fig.layout.height or round(width * 0.62)
    opts = {"format": fmt, "width": width, "height": height,
            "scale": scale if fmt == "png" else 1}
    fig_json = styled_fig.to_json()
    # Streamlit reruns a page on every click: the same figure comes back again and again.
    key = hashlib.sha256((fig_json + json.dumps(opts, sort_keys=True)).encode()).hexdigest()
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    data = _render(json.loads(fig_json), opts)
    with _cache_lock:
        _cache[key] = data
        while len(_cache) > CACHE_ENTRIES:
            _cache.popitem(last=False)
    return data


# --------------------------------------------------------------------------- data


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _defused(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made plain text with a leading
    apostrophe (as OWASP advises); numbers and other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def defuse_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with every text cell and column name that starts like a formula neutralised."""
    out = df.copy()
    out.columns = [_defused(c) if isinstance(c, str) else c for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_defused)
    return out


def export_data(
    df: pd.DataFrame, fmt: str, *, about: Mapping[str, str] | None = None
) -> bytes:
    """The data behind a chart as CSV (UTF-8 with BOM, so Excel reads names right) or XLSX.

    Every download and export goes through here, so no text cell (a query's column or value
    included) reaches a spreadsheet as a live formula: in CSV such a cell gets a leading
    apostrophe (OWASP's advice), in XLSX it is stored as a string. For XLSX, `about` (title, as at,
    source...) goes on a second sheet, and share columns are formatted as percentages while
    keeping their 0-1 values.
    """
    if fmt == "csv":
        return defuse_formulas(df).to_csv(index=False, date_format="%Y-%m-%d").encode(
            "utf-8-sig")
    if fmt != "xlsx":
        raise ValueError(f"format must be one of {DATA_FORMATS}, not {fmt!r}")
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        df.to_excel(writer, sheet_name="data", index=False)
        ws = writer.sheets["data"]
        for idx, col in enumerate(df.columns, start=1):
            letter = ws.cell(row=1, column=idx).column_letter
            values = [str(v) for v in df[col].head(200)]
            ws.column_dimensions[letter].width = min(
                60, max(10, len(str(col)) + 2, *(len(v) + 2 for v in values))
            )
            if str(col).startswith("share"):
                for cell in ws[letter][1:]:
                    cell.number_format = "0.0%"
            elif pd.api.types.is_datetime64_any_dtype(df[col]) or _is_date_column(df[col]):
                for cell in ws[letter][1:]:
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        if about:
            pd.DataFrame(list(about.items()), columns=["field", "value"]).to_excel(
                writer, sheet_name="about", index=False
            )
            writer.sheets["about"].column_dimensions["A"].width = 16
            writer.sheets["about"].column_dimensions["B"].width = 120
        for sheet in writer.sheets.values():
            _cells_as_text(sheet)
    return buf.getvalue()


def _cells_as_text(sheet) -> None:
    """openpyxl stores text starting with '=' as a formula: keep it as the text it is (an
    XLSX cell of type string is shown, never run, and needs no apostrophe)."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _is_date_column(s: pd.Series) -> bool:
    first = s.dropna().head(1)
    return not first.empty and isinstance(first.iloc[0], date)


# --------------------------------------------------------------------------- paper pack


ABOUT_FIELDS = ("title", "subtitle", "as_at", "basis", "notes", "footnotes", "source",
                "alt_text")


def about(chart: Chart) -> dict[str, str]:
    """What a chart is, for the "about" sheet of its XLSX: title, subtitle, as at, basis,
    notes, the figure's footnotes (how the shares treat adequate and the LAs with no overall
    grade, among others), source and alt text (empty ones left out)."""
    spec = chart.spec
    footer = next((a.text for a in chart.figure.layout.annotations if a.name == "footer"), "")
    footnotes = " ".join(str(footer or "").split("<br>"))
    if spec.data_end is not None and spec.as_at > spec.data_end:
        footnotes = (f"The data end on {format_date(spec.data_end)}: later inspections are not "
                     f"counted. {footnotes}")
    values = {"title": spec.title, "subtitle": spec.subtitle, "as_at": format_date(spec.as_at),
              "basis": spec.basis, "notes": spec.notes, "footnotes": footnotes,
              "source": spec.source, "alt_text": chart.alt_text}
    return {k: values[k] for k in ABOUT_FIELDS if values[k]}


def paper_pack(chart: Chart, metadata: Mapping[str, object] | None = None) -> bytes:
    """A zip for a report writer: chart.png/.svg/.pdf, data.csv/.xlsx (the frame as plotted),
    alt_text.txt and metadata.json (the chart's name, parameters and named queries, the
    caller's metadata, generated_at, alt_text, "figure" (kind, title, as-at, source...), rows,
    and a sha256 per file so a pasted chart can be traced back to its pack).
    """
    if not chart.alt_text:
        raise ValueError(f"paper_pack: chart {chart.kind!r} has no alt text")
    spec, df, alt = chart.spec, chart.data, chart.alt_text
    styled = print_style(chart.figure)
    described = about(chart)
    files: dict[str, bytes] = {
        f"chart.{fmt}": export_figure(styled, fmt, styled=False) for fmt in FIGURE_FORMATS
    }
    files["data.csv"] = export_data(df, "csv")
    files["data.xlsx"] = export_data(df, "xlsx", about=described)
    files["alt_text.txt"] = (alt + "\n").encode("utf-8")
    meta: dict[str, object] = {**chart.metadata(), **copy.deepcopy(dict(metadata or {}))}
    meta.update(
        {
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "figure": {k: described.get(k, "") for k in ABOUT_FIELDS if k != "alt_text"}
            | {"kind": chart.kind, "as_at_iso": spec.as_at.isoformat()}
            | ({"extra": spec.extra} if spec.extra else {}),
            "alt_text": alt,
            "rows": len(df),
            "files": {name: hashlib.sha256(b).hexdigest() for name, b in files.items()},
        }
    )
    files["metadata.json"] = json.dumps(meta, indent=2, default=str).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, payload in files.items():
            zf.writestr(name, payload)
    return buf.getvalue()
