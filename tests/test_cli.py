"""`python -m etl` as a user runs it: a subprocess, output on stdout, reasons on stderr, exit
codes that say what happened, and the database file never changed by a query."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl import PROJECT_ROOT, SNAPSHOT_DIR
from etl.ingest.adapters.reports_pdf import CSV_HEADER
from tests.conftest import require

PARSE_REPORT_HEADER = list(CSV_HEADER)

REPORTS = Path("ofsted-reports")
NOTTS = REPORTS / "80534_nottinghamshire"
ILACS_2019 = NOTTS / "children's services inspection - 19 december 2019.pdf"
SIF_2015 = NOTTS / "children's services inspection - 20 july 2015.pdf"
# Saved from the web as .pdf but actually an HTML page.
HTML_AS_PDF = REPORTS / "80429_birmingham" / "children's services inspection - 19 october 2012.pdf"


def etl(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "etl", *map(str, args)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=timeout)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()




def test_parse_report_two_pdfs_and_an_html_page(shared_data: Path, built_db: Path) -> None:
    files = [shared_data / p for p in (ILACS_2019, SIF_2015, HTML_AS_PDF)]
    for f in files:
        require(f.exists(), f"report file missing from ../shared: {f}")
    out = etl("parse-report", "--db", built_db, *files)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == ("file,status,document_type,inspection_start,inspection_end,published_date,"
                        "area,grade,reason")
    assert lines[0].split(",") == PARSE_REPORT_HEADER
    # file names and these reasons contain no comma; a parsed file's reason is empty
    body = [line.rsplit(",", 8)[:-1] for line in lines[1:]]
    assert {line.rsplit(",", 1)[1] for line in lines[1:-1]} == {""}
    assert lines[-1].endswith(",not a PDF: an HTML page saved as .pdf (report not found on the web site)")
    ilacs = ["parsed", "ilacs_standard", "2019-10-07", "2019-10-18", "2019-12-19"]
    sif = ["parsed", "sif", "2015-05-11", "2015-06-04", "2015-07-20"]
    # Checked against page 1 of each PDF: "Inspection dates: 7 October 2019 to 18 October 2019"
    # with its judgement table; "Inspection date: 11 May 2015 – 4 June 2015, Report published:
    # 20 July 2015", "Children's services in Nottinghamshire County Council are good", 1., 2.,
    # 2.1, 2.2, 3. and the LSCB review.
    assert body == [
        [str(files[0]), *ilacs, "leadership", "good"],
        [str(files[0]), *ilacs, "help_and_protection", "requires_improvement"],
        [str(files[0]), *ilacs, "children_in_care_and_care_leavers", "good"],
        [str(files[0]), *ilacs, "overall_effectiveness", "good"],
        [str(files[1]), *sif, "overall_effectiveness", "good"],
        [str(files[1]), *sif, "help_and_protection", "good"],
        [str(files[1]), *sif, "children_looked_after", "good"],
        [str(files[1]), *sif, "adoption", "good"],
        [str(files[1]), *sif, "care_leavers", "requires_improvement"],
        [str(files[1]), *sif, "leadership", "good"],
        [str(files[1]), *sif, "lscb", "good"],
        # the publication date comes from the file name; nothing else can be read
        [str(files[2]), "not_pdf", "unknown", "", "", "2012-10-19", "", ""],
    ]


def test_sql_prints_csv(built_db: Path) -> None:
    out = etl("sql", "--db", built_db, "SELECT count(*) FROM local_authorities")
    assert out.returncode == 0, out.stderr
    # 156 LAs in the DfE lookup (153 today + Poole, Northamptonshire, Cumbria) + Bournemouth
    # and old Dorset from data/curated/la_overrides.csv
    assert out.stdout == "count_star()\n158\n"
    out = etl("sql", "--db", built_db, "SELECT grade, n FROM grade_distribution(DATE '2025-03-31', "
              "'overall_effectiveness', published_by := DATE '2025-05-31')")
    assert out.stdout.splitlines() == ["grade,n", "outstanding,36", "good,67",
                                       "requires_improvement,31", "inadequate,19"]


def test_build_does_not_load_the_charts_or_pandas_before_its_peak(
        small_snapshot: Path, tmp_path: Path) -> None:
    # the export command's parser is made from every chart module (plotly, pandas: ~125 MB), and
    # pandas (~65 MB) is needed only for the build's last step: `build` inside `snapshot` must
    # stay under 300 MB a process (issue 14)
    probe = ("import sys; from etl.cli import main; import etl.warehouse.build as b; "
             "run = b.run_sql_file; "
             "b.run_sql_file = lambda con, name: (run(con, name), "
             "print(name, sorted(m for m in ('plotly', 'pandas', 'etl.figures.registry') "
             "if m in sys.modules))); "
             "main(sys.argv[1:])")
    out = subprocess.run([sys.executable, "-c", probe, "build", "--db", str(tmp_path / "b.duckdb"),
                          "--snapshot", str(small_snapshot)],
                         capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    steps = [line for line in out.stdout.splitlines() if line.endswith(".sql []")]
    assert any(s.startswith("08_text.sql") for s in steps), out.stdout  # the text index: no pandas
    out = subprocess.run([sys.executable, "-m", "etl", "export", "--help"],
                         capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60)
    assert "national-by-group" in out.stdout  # export still lists every chart


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("DROP TABLE grades", "DROP statements are refused"),
        ("SELECT 1; DROP TABLE grades", "only one SELECT statement is allowed; found 2"),
        ("SELECT 1; SELECT 2", "only one SELECT statement is allowed; found 2"),
    ],
)
def test_sql_refuses_writes_and_multiple_statements(built_db: Path, query: str,
                                                    reason: str) -> None:
    before = sha256(built_db)
    out = etl("sql", "--db", built_db, query)
    assert out.returncode != 0
    assert out.stdout == ""
    assert reason in out.stderr
    assert sha256(built_db) == before


def test_reconcile_prints_both_columns_and_conflicts(built_db: Path) -> None:
    out = etl("reconcile", "--db", built_db)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.startswith("Published figures beside the figures computed from report-level data")
    line = next(x for x in text.splitlines() if "ods2025_good" in x)
    assert line.startswith("= ") and "published 67" in line and "computed 67" in line
    # seed 004's text says 6 inadequate LSCBs; its annex (and the reports) have 7
    line = next(x for x in text.splitlines() if "seed004_lscb_inadequate" in x)
    assert line.startswith("≠ ") and "published 6 " in line and "computed 7 " in line
    assert "Judgements where sources disagree (" in text
    conflicts = text.split("Judgements where sources disagree (", 1)[1]
    assert any("Staffordshire" in x and "care_leavers" in x for x in conflicts.splitlines())


def test_build_command(tmp_path: Path) -> None:
    target = tmp_path / "x.duckdb"
    out = etl("build", "--db", target)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"built {target} from {SNAPSHOT_DIR} in ")
    assert "inspections" in out.stdout and "quarantined" in out.stdout
    assert target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["x.duckdb"]


def test_build_command_failure_keeps_database(tmp_path: Path, built_db: Path) -> None:
    target = tmp_path / "x.duckdb"
    shutil.copyfile(built_db, target)
    before = sha256(target)
    empty = tmp_path / "no_snapshot"
    empty.mkdir()
    out = etl("build", "--db", target, "--snapshot", empty)
    assert out.returncode == 1
    assert "build failed: no snapshot at" in out.stderr
    assert "the previous database (if any) is unchanged" in out.stderr
    assert sha256(target) == before
