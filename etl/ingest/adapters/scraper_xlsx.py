"""The public scraper's summary workbook: each LA's latest inspection (ADCS-summary-like layout).

One sheet, header on row 1, one row per LA: urn, la_code, region_code, la_code_new (ONS),
stat_neighbours, stat_neighbour_judgement, local_authority, inspection_link, the ILACS grade
columns, inspection_framework, inspector_name, start/end and publication dates (text, same
formats as the history CSV), local_link_to_all_inspections (an Excel HYPERLINK to the
scraper's local folder) and inspectors_inspections_count.

Rows go through the history CSV's row logic (`scraper_csv.row_to_record`). The workbook's
own la_code must agree with the URN's LA. `stat_neighbours`/`stat_neighbour_judgement` are
not facts here: neighbours come from the DfE lookup and their grades from their own rows.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from etl.ingest.adapters.files import file_sha256, relative_path
from etl.ingest.adapters.scraper_csv import ROW_COLUMNS, RowError, row_to_record
from etl.ingest.records import Reject, Source, SourceError, SourceResult
from etl.local_authorities import LaResolver

PARSER_VERSION = "1"
PARSER = __name__
KIND = "scraper_summary_xlsx"
SOURCE_ID = "scraper:ilacs-summary"
RELPATH = Path("ilacs-summary") / "ofsted_csc_ilacs_overview.xlsx"
REQUIRED_COLUMNS = (*ROW_COLUMNS, "la_code")
# pandas wrote missing values as these strings when the scraper exported the workbook.
MISSING_TEXT = ("None", "nan", "NaN", "NaT")


def _cell(value: object) -> str | dt.date:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    return "" if text in MISSING_TEXT else text


def parse_scraper_xlsx(path: Path, resolver: LaResolver, shared_data: Path) -> SourceResult:
    """The summary workbook -> one InspectionRecord (the LA's latest inspection) per LA row."""
    path = Path(path)
    import openpyxl  # here, not at import: only the process that reads a workbook needs it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise SourceError(str(path), f"not a readable .xlsx workbook: {e}") from None
    try:
        if not wb.worksheets:
            raise SourceError(str(path), "workbook has no sheets")
        ws = wb.worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        sheet = ws.title
    finally:
        wb.close()
    if not rows or not any(v not in (None, "") for v in rows[0]):
        raise SourceError(str(path), f"sheet {sheet!r} is empty")
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise SourceError(str(path), f"sheet {sheet!r} missing column(s): {', '.join(missing)}")
    rel = relative_path(path, shared_data)
    source = Source(
        source_id=SOURCE_ID,
        kind=KIND,
        title="Ofsted children's services inspections: latest per LA (public scraper summary)",
        path=rel,
        publisher="Ofsted (collected by a public scraper)",
        parser=PARSER,
        parser_version=PARSER_VERSION,
        sha256=file_sha256(path),
    )
    result = SourceResult(source=source)
    for n, values in enumerate(rows[1:], start=2):
        if all(v in (None, "") for v in values):
            continue  # trailing blank rows openpyxl reports for formatted cells
        row = {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
        row_ref = f"sheet {sheet} row {n}"
        try:
            record = row_to_record(row, source_id=SOURCE_ID, row_ref=row_ref, resolver=resolver)
            if row["la_code"] and row["la_code"] != record.la_code:
                raise RowError(f"la_code {row['la_code']!r} disagrees with URN {row['urn']!r} "
                               f"(LA {record.la_code})")
            result.records.append(record)
        except RowError as e:
            result.rejects.append(Reject(
                source_id=SOURCE_ID, file=rel, row_ref=row_ref, reason=str(e),
                raw=",".join(str(row.get(c, "")) for c in REQUIRED_COLUMNS),
            ))
    return result
