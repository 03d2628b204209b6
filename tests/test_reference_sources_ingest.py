"""Every file under ../shared/data is a source of the shipped snapshot (a row of sources.csv)
or quarantined with a reason: the reference files (LA lookup, DfE's neighbour models, the hex
map) as sources of kind reference_data, a file no adapter reads as one of kind unread_file.
And every source has a title a person would cite, not a file name.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import re
from pathlib import Path

import duckdb

from etl import SNAPSHOT_DIR
from etl.ingest.adapters import reference
from etl.ingest.collect import parse_kind
from etl.ingest.registry import UNREAD_KIND, IngestContext, source_kind


def _rows(name: str) -> list[dict[str, str]]:
    with open(SNAPSHOT_DIR / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


SOURCES = _rows("sources.csv")


def _shared_files(shared_data: Path) -> list[str]:
    return sorted(p.relative_to(shared_data).as_posix() for p in shared_data.rglob("*")
                  if p.is_file() and not p.name.startswith("."))


# ---------------------------------------------------------------- every file is a source


def test_every_shared_file_is_a_source_or_quarantined(shared_data: Path) -> None:
    named = {s["path"] for s in SOURCES}
    quarantined = {q["file"] for q in _rows("quarantine.csv")}
    files = _shared_files(shared_data)
    assert len(files) > 500
    missing = [f for f in files if f not in named and f not in quarantined]
    assert missing == [], (f"{len(missing)} files under ../shared/data are neither a source nor "
                           f"quarantined in data/snapshot, e.g. {missing[:5]}")


def test_reference_files_are_sources_with_their_provenance(shared_data: Path) -> None:
    refs = {s["path"]: s for s in SOURCES if s["kind"] == reference.KIND}
    assert sorted(refs) == [
        "hexmap/uk-upper-tier-local-authorities.hexjson",
        "la-lookup/Provider_data_lookup.csv",
        "statistical-neighbours/New_Statistical_Neighbour_Groupings_April_2021.csv",
        "statistical-neighbours/sn_model_2025_wide.csv",
    ]
    for path, s in refs.items():
        assert s["sha256"] == hashlib.sha256((shared_data / path).read_bytes()).hexdigest(), path
        assert s["url"].startswith("https://github.com/") and s["title"] and s["publisher"]
        module = importlib.import_module(s["parser"])  # the module that reads its contents
        assert s["parser_version"] == module.PARSER_VERSION
        assert int(s["precedence"]) > max(int(o["precedence"]) for o in SOURCES
                                          if o["kind"] not in (reference.KIND, UNREAD_KIND))
    assert refs["hexmap/uk-upper-tier-local-authorities.hexjson"]["licence"] == "MIT"
    assert {refs[p]["licence"] for p in refs if not p.startswith("hexmap")} == {
        "Open Government Licence v3.0"}
    assert "dfe-analytical-services/CSC_outcomes_and_enablers" in \
        refs["statistical-neighbours/sn_model_2025_wide.csv"]["url"]


def test_neighbour_vintages_cite_registered_sources() -> None:
    paths = {s["path"] for s in SOURCES if s["kind"] == reference.KIND}
    cited = {v["source"] for v in _rows("neighbour_vintages.csv")}
    assert cited and cited <= paths


def test_a_file_no_adapter_reads_is_quarantined_with_the_reason(tmp_path: Path) -> None:
    shared = tmp_path / "data"
    (shared / "la-lookup").mkdir(parents=True)
    (shared / "la-lookup" / "Another_lookup.csv").write_text("a,b\n1,2\n")
    (shared / "surprise").mkdir()
    (shared / "surprise" / "new.xlsx").write_bytes(b"PK")
    ctx = IngestContext(shared_data=shared, seeds_dir=tmp_path / "seeds", resolver=None)  # type: ignore[arg-type]
    unread = parse_kind(source_kind(UNREAD_KIND), ctx)
    assert [r.source.path for r in unread] == ["la-lookup/Another_lookup.csv", "surprise/new.xlsx"]
    for res in unread:
        (reject,) = res.rejects
        assert reject.row_ref == "whole file" and "no adapter reads this file" in reject.reason
        assert reject.file == res.source.path  # relative to ../shared/data, as other rows
        assert res.source.source_id == f"unreadable:{res.source.path}"
        assert res.source.title.startswith("Files no adapter reads: ")
    # and a reference file that is not there is quarantined as unreadable, never skipped
    refs = parse_kind(source_kind(reference.KIND), ctx)
    assert len(refs) == len(reference.REFERENCE_FILES)
    assert all(r.rejects and "cannot read file" in r.rejects[0].reason for r in refs)


def test_build_loads_the_reference_sources(built_db: Path) -> None:
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        kinds = dict(con.execute("SELECT kind, sources FROM source_kinds").fetchall())
        last = con.execute("SELECT kind FROM source_kinds ORDER BY precedence DESC LIMIT 1").fetchone()
    finally:
        con.close()
    assert kinds[reference.KIND] == 4 and last == (reference.KIND,)


# ---------------------------------------------------------------- titles


def test_every_source_has_a_human_title_not_its_file_name() -> None:
    bad = []
    for s in SOURCES:
        title, stem = s["title"], Path(s["path"]).stem
        if (not title or not title[0].isupper() or stem.lower() in title.lower()
                or re.search(r"\d{4}-\d{2}-\d{2}", title)  # dates in words, as the pages write them
                or re.search(r"\b0\d \w+ \d{4}", title) or "  " in title):
            bad.append((s["source_id"], title))
    assert bad == [], bad[:5]


def test_report_titles_are_their_headings_with_the_la_and_date() -> None:
    by_id = {s["source_id"]: s["title"] for s in SOURCES}
    assert by_id["report:80418_norfolk/children's services inspection - 20 october 2015"] == (
        "Norfolk: Inspection of services for children in need of help and protection, children "
        "looked after and care leavers and Review of the effectiveness of the Local Safeguarding "
        "Children Board (published 20 October 2015)")
    assert by_id["report:2532283_dorset/children's services inspection - 09 may 2025"] == (
        "Inspection of Dorset local authority children's services (published 9 May 2025)")
    # a saved "report not found" web page: titled for the report it should have been
    assert by_id["report:80429_birmingham/children's services inspection - 19 october 2012"] == (
        "Birmingham: Children's services inspection report (published 19 October 2012)")
    assert by_id["area-send:80564_stoke-on-trent/area send full inspection - 03 april 2024"] == (
        "Area SEND inspection of Stoke-on-Trent Local Area Partnership (published 3 April 2024)")
    by_urn = {r["ofsted_urn"]: r["name"] for r in _rows("local_authorities.csv")}
    for s in SOURCES:
        if s["kind"] not in ("ofsted_report_pdf", "area_send_report_pdf"):
            continue
        title, urn = s["title"], Path(s["path"]).parent.name.split("_")[0]
        # the LA as the model names it (by the folder's URN), or a heading naming the authority
        names_la = title.startswith(f"{by_urn[urn]}: ")
        assert names_la or re.match(r"(Inspection|Area SEND inspection|Joint local area SEND "
                                    r"\w+) (of|in) (?!services|children|local authority)",
                                    title), title
        assert re.search(r"\(published \d{1,2} [A-Z][a-z]+ \d{4}\)$", title), title
