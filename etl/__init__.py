"""Inspection Outcomes ETL: Ofsted children's services inspection sources into DuckDB."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
SNAPSHOT_DIR = DATA_DIR / "snapshot"
# The app and the CLI read this database; INSPECTION_OUTCOMES_DB points them at another one
# (a benchmark's scaled warehouse, a refreshed copy).
DEFAULT_DB = Path(os.environ.get("INSPECTION_OUTCOMES_DB", DATA_DIR / "inspection_outcomes.duckdb"))
SQL_DIR = PROJECT_ROOT / "sql"
DEFAULT_SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"

OGL = "Open Government Licence v3.0"
OGL_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0"
)
