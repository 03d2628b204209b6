"""Reading Ofsted's 2023 "Children's social care in England" ODS: `python benchmarks/bench_ods.py`.

The file is 2 MB zipped but its content.xml is 40 MB (mostly provider sheets). Compares, each in
its own subprocess (wall seconds and peak RSS):
  pandas + odfpy, every sheet (what the "as at" adapter does with its small releases);
  pandas + odfpy, only the three LA sheets (odfpy still parses the whole document);
  etl.ingest.adapters.ods_tables.read_tables, the six sheets the adapter reads;
  the whole adapter (parse_csc_statistics).
Target for the adapter: < 5 s and < 300 MB (the whole `snapshot` must stay < 90 s, < 300 MB).
Option: --skip-pandas (the two pandas runs take about a minute together).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from etl import DEFAULT_SHARED_DATA  # noqa: E402

RELEASE = DEFAULT_SHARED_DATA / "official" / "Childrens_social_care_in_England_2023_underlying_data.ods"
LA_SHEETS = ["LA_inspections_2009-2023", "LA_level_at_31_Mar_2023", "LA_level_in_year_2022-23"]
TARGET_S, TARGET_MB = 5.0, 300.0


def run_case(case: str) -> None:
    """Inside the subprocess: one way of reading the file."""
    started = time.perf_counter()
    if case == "pandas_all":
        import pandas as pd
        pd.read_excel(RELEASE, engine="odf", sheet_name=None, header=None)
    elif case == "pandas_la_sheets":
        import pandas as pd
        pd.read_excel(RELEASE, engine="odf", sheet_name=LA_SHEETS, header=None)
    elif case == "read_tables":
        from etl.ingest.adapters.ods_tables import read_tables
        read_tables(RELEASE, {*LA_SHEETS, "Cover", "Guidance", "Notes"})
    elif case == "adapter":
        from etl.ingest.adapters.csc_statistics_ods import parse_csc_statistics
        from etl.ingest.la_lookup import resolver_from_shared
        resolver = resolver_from_shared(DEFAULT_SHARED_DATA)
        started = time.perf_counter()  # the resolver is shared by every adapter
        parse_csc_statistics(RELEASE, resolver, DEFAULT_SHARED_DATA)
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": rss}))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--skip-pandas", action="store_true")
    p.add_argument("--case", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.case:
        run_case(args.case)
        return 0
    cases = ["read_tables", "adapter"]
    if not args.skip_pandas:
        cases = ["pandas_all", "pandas_la_sheets", *cases]
    print(f"{'case':<18}{'seconds':>9}{'peak RSS MB':>13}  target")
    failed = False
    for case in cases:
        out = subprocess.run([sys.executable, __file__, "--case", case], capture_output=True,
                             text=True, check=True)
        r = json.loads(out.stdout)
        verdict = ""
        if case == "adapter":
            ok = r["seconds"] < TARGET_S and r["peak_rss_mb"] < TARGET_MB
            failed |= not ok
            verdict = f"< {TARGET_S:g} s, < {TARGET_MB:g} MB: {'PASS' if ok else 'FAIL'}"
        print(f"{case:<18}{r['seconds']:>9.2f}{r['peak_rss_mb']:>13.0f}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
