"""Which PDF text engine: `python benchmarks/bench_pdf_engines.py [--sources PATH] [--diff FILE]`.

Side by side on every report file in ../shared/data/ofsted-reports, one process each:
  pypdf      the adapter as it was (pypdf's extract_text on the pages the layouts need)
  pypdfium2  the adapter as it is (PDFium through pypdfium2, with paragraph breaks from geometry)
and, to show what the report text costs, pypdfium2 reading every page with line geometry.

For the two parse runs it compares `parse-report`'s rows (document type, dates, every judgement)
and prints every difference; the engines must agree on every report. Prints a table: engine,
files, seconds, pages read, and differences.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from etl import DEFAULT_SHARED_DATA  # noqa: E402
from etl.ingest.adapters import reports_pdf as rp  # noqa: E402
from etl.ingest.adapters.pdf_pages import PdfPages  # noqa: E402

COMPARED = ("status", "document_type", "inspection_start", "inspection_end", "published_date",
            "area", "grade")


def run_parse(engine, files: list[Path]) -> tuple[float, int, dict[str, list[tuple]]]:
    rp._Pages = engine
    started = time.perf_counter()
    pages = 0
    out: dict[str, list[tuple]] = {}
    for f in files:
        parse = rp.describe_report(f)
        pages += parse.pages_read
        out[str(f)] = sorted(tuple(r[c] for c in COMPARED) for r in rp.parse_report_rows_from(parse, f))
    return time.perf_counter() - started, pages, out


def run_all_pages(files: list[Path]) -> tuple[float, int]:
    started = time.perf_counter()
    pages = 0
    for f in files:
        parse = rp.describe_report(f, read_text=True)
        pages += parse.pages_read
    return time.perf_counter() - started, pages


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=Path, default=DEFAULT_SHARED_DATA)
    ap.add_argument("--limit", type=int, default=0, help="first N files only")
    args = ap.parse_args()
    files = sorted((args.sources / rp.REPORTS_DIR).glob("*/*.pdf"))
    if args.limit:
        files = files[: args.limit]
    rows = []
    t_pdfium, p_pdfium, parsed_pdfium = run_parse(PdfPages, files)
    t_pypdf, p_pypdf, parsed_pypdf = run_parse(rp.PypdfPages, files)
    rp._Pages = PdfPages
    t_all, p_all = run_all_pages(files)
    diffs = [f for f in files if parsed_pdfium[str(f)] != parsed_pypdf[str(f)]]
    rows.append(("pypdf 7.1.0 (judgement pages)", len(files), t_pypdf, p_pypdf, "-"))
    rows.append(("pypdfium2 (judgement pages)", len(files), t_pdfium, p_pdfium, str(len(diffs))))
    rows.append(("pypdfium2 (every page, lines)", len(files), t_all, p_all, "-"))
    print(f"{'engine':<32}{'files':>7}{'seconds':>10}{'pages read':>12}{'ms/page':>9}"
          f"{'parse differs':>15}")
    for name, n, secs, pages, d in rows:
        print(f"{name:<32}{n:>7}{secs:>10.1f}{pages:>12}{1000 * secs / max(pages, 1):>9.1f}{d:>15}")
    print(f"speed-up on the judgement pages: {t_pypdf / t_pdfium:.1f}x")
    for f in diffs:
        print(f"\nDIFF {f}")
        a, b = set(parsed_pypdf[str(f)]), set(parsed_pdfium[str(f)])
        for r in sorted(a - b):
            print("  pypdf only:    ", r)
        for r in sorted(b - a):
            print("  pypdfium2 only:", r)
    return 0 if not diffs else 1


if __name__ == "__main__":
    sys.exit(main())
