"""The shipped snapshot (data/snapshot/): writing it atomically and reading it back.

The snapshot is the warehouse's durable state: plain CSV, one file per table of
sql/01_schema.sql with exactly that table's columns (asked of DuckDB, so the schema is the one
place a column is declared), small enough to review in a diff. `build` loads it into DuckDB;
`refresh` reads it back, adds what it fetched and writes it again.
"""

from __future__ import annotations

import csv
import ctypes
import dataclasses
import datetime as dt
import errno
import functools
import gzip
import hashlib
import io
import json
import os
import shutil
import time
import types
import typing
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from etl import OGL, SNAPSHOT_DIR, SQL_DIR
from etl.ingest.coverage import coverage_markdown
from etl.ingest.la_lookup import CURATED_DIR
from etl.ingest.matching import assign_inspection_ids
from etl.ingest.records import InspectionRecord, Judgement, Reject, Source, SourceResult
from etl.local_authorities import LocalAuthorities
from etl.vocab import AREA_SEND_AREA, AREA_SEND_GRADES, AREA_SEND_LABELS, VISIT_TYPES

SCHEMA_FILE = SQL_DIR / "01_schema.sql"
MANIFEST = "snapshot.json"
# Tables written from the records themselves; every other table with a source_id column is a
# fact table that adapters fill through SourceResult.facts.
CORE_TABLES = frozenset({"sources", "inspection_records", "judgement_records", "quarantine"})
# Tables too big to ship as plain CSV (the report text: ~35 MB of text), written gzipped
# (`<table>.csv.gz`, byte-for-byte reproducible: no name or time in the gzip header). DuckDB
# reads them as they are.
COMPRESSED_TABLES = frozenset({"report_sections"})
SNAPSHOT_PATTERNS = ("*.csv", "*.csv.gz")


def table_file(table: str) -> str:
    """The snapshot file that holds a table."""
    return f"{table}.csv.gz" if table in COMPRESSED_TABLES else f"{table}.csv"


def snapshot_files(folder: Path) -> list[Path]:
    """The data files of a snapshot folder (plain and gzipped CSV), sorted by name."""
    return sorted(p for pattern in SNAPSHOT_PATTERNS for p in folder.glob(pattern))


def _open_text(path: Path, mode: str):
    """A CSV file for reading ("r") or writing ("w"), gzipped when its name ends in .gz."""
    if path.name.endswith(".gz"):
        if mode == "r":
            return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
        raw = open(path, "wb")  # noqa: SIM115 - closed with the wrapper
        gz = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9)
        return _ClosingWrapper(gz, raw)
    return open(path, mode, newline="", encoding="utf-8")


class _ClosingWrapper(io.TextIOWrapper):
    """A text wrapper over a GzipFile that also closes the file under it."""

    def __init__(self, gz: gzip.GzipFile, raw: io.BufferedWriter):
        super().__init__(gz, encoding="utf-8", newline="")
        self._raw = raw

    def close(self) -> None:
        super().close()
        self._raw.close()


@functools.cache
def table_columns() -> dict[str, list[str]]:
    """Columns of every table in sql/01_schema.sql, in order: the snapshot files' headers."""
    # imported here: the report parsers' worker processes (forked from the snapshot's process)
    # do not carry DuckDB (~30 MB resident) for the one schema read at the end
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
        rows = con.execute("SELECT table_name, column_name FROM duckdb_columns() "
                           "WHERE schema_name = 'main' AND NOT internal "
                           "ORDER BY table_name, column_index").fetchall()
    finally:
        con.close()
    out: dict[str, list[str]] = defaultdict(list)
    for table, column in rows:
        out[table].append(column)
    return dict(out)


def fact_tables() -> list[str]:
    """Schema tables an adapter may fill through SourceResult.facts."""
    return sorted(t for t, cols in table_columns().items()
                  if "source_id" in cols and t not in CORE_TABLES)


class SnapshotError(Exception):
    """The snapshot on disk is not the one its manifest describes; names the file and why."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _data_rows(path: Path) -> int:
    try:
        with _open_text(path, "r") as f:
            return max(sum(1 for _ in csv.reader(f)) - 1, 0)
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError, csv.Error):
        return -1  # a damaged gzip: the checksum says so


def file_manifest(folder: Path) -> dict[str, dict[str, object]]:
    """Every CSV (plain or gzipped) of a snapshot folder with its data-row count and checksum."""
    return {p.name: {"rows": _data_rows(p), "sha256": _sha256(p)} for p in snapshot_files(folder)}


def read_manifest(snapshot_dir: Path) -> dict:
    """snapshot.json, or SnapshotError naming what is wrong with it."""
    path = snapshot_dir / MANIFEST
    if not path.is_file():
        raise SnapshotError(f"{path}: missing (every snapshot has a manifest; re-derive it "
                            "with `python -m etl snapshot`)")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SnapshotError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("files"), dict):
        raise SnapshotError(f"{path}: no 'files' table of row counts and checksums")
    return meta


def verify_snapshot(snapshot_dir: Path) -> dict:
    """The manifest, after checking every file it lists is there, whole and unedited."""
    meta = read_manifest(snapshot_dir)
    problems = []
    for name, want in sorted(meta["files"].items()):
        path = snapshot_dir / name
        if not isinstance(want, dict) or "rows" not in want or "sha256" not in want:
            problems.append(f"{name}: the manifest entry is malformed ({want!r})")
        elif not path.is_file():
            problems.append(f"{name}: missing (the manifest lists {want['rows']} rows)")
        elif _sha256(path) != want["sha256"]:
            problems.append(f"{name}: {_data_rows(path)} rows, the manifest says {want['rows']}; "
                            "its checksum differs (truncated, or edited by hand)")
    for path in snapshot_files(snapshot_dir):
        if path.name not in meta["files"]:
            problems.append(f"{path.name}: not in the manifest")
    if problems:
        raise SnapshotError(f"{snapshot_dir}: the snapshot does not match its manifest "
                            f"({MANIFEST}): " + "; ".join(problems))
    return meta


@dataclass
class KindSummary:
    files_in: int = 0
    files_loaded: int = 0
    files_quarantined: int = 0
    records: int = 0
    judgements: int = 0
    rejects: int = 0


@dataclass
class SnapshotSummary:
    by_kind: dict[str, KindSummary] = field(default_factory=dict)
    inspections: int = 0
    conflicts: int = 0
    seconds: float = 0.0
    # Area SEND (2023 framework) inspections after matching, by outcome (the most trusted
    # source's; "none" when no source gives a readable one).
    area_send_outcomes: dict[str, int] = field(default_factory=dict)
    fact_rows: dict[str, int] = field(default_factory=dict)  # rows per fact table

    def table(self) -> str:
        lines = [f"{'source kind':<24}{'files in':>9}{'loaded':>8}{'quarant.':>9}"
                 f"{'records':>9}{'judgem.':>9}{'rejects':>9}"]
        for kind, s in sorted(self.by_kind.items()):
            lines.append(f"{kind:<24}{s.files_in:>9}{s.files_loaded:>8}{s.files_quarantined:>9}"
                         f"{s.records:>9}{s.judgements:>9}{s.rejects:>9}")
        lines.append(f"inspections after matching: {self.inspections}; "
                     f"judgements where sources disagree: {self.conflicts}; "
                     f"took {self.seconds:.1f} s")
        if self.area_send_outcomes:
            counts = ", ".join(f"{AREA_SEND_LABELS.get(g, 'no readable outcome').lower()} {n}"
                               for g, n in self.area_send_outcomes.items())
            lines.append(f"area SEND inspections (2023 framework) by outcome: {counts}")
        if self.fact_rows:
            lines.append("fact tables: " + ", ".join(f"{t} {n}" for t, n in self.fact_rows.items()))
        return "\n".join(lines)


def area_send_outcome_counts(records: list[InspectionRecord], ids: list[str],
                             precedence: dict[str, int]) -> dict[str, int]:
    """AREA_SEND inspections (after matching) by the outcome of their most trusted source that
    gives one, in the scale's order, then "none" for those with no readable outcome."""
    best: dict[str, tuple[int, str]] = {}
    for rec, inspection_id in zip(records, ids, strict=True):
        if rec.framework != "AREA_SEND" or rec.inspection_type in VISIT_TYPES:
            continue
        best.setdefault(inspection_id, (10**9, "none"))
        for j in rec.judgements:
            rank = precedence.get(rec.source_id, 10**9)
            if j.area == AREA_SEND_AREA and rank < best[inspection_id][0]:
                best[inspection_id] = (rank, j.grade)
    counts = Counter(grade for _, grade in best.values())
    return {g: counts[g] for g in (*AREA_SEND_GRADES, "none") if g in counts or g != "none"}


def summarise(results: list[SourceResult]) -> dict[str, KindSummary]:
    by_kind: dict[str, KindSummary] = {}
    for res in results:
        s = by_kind.setdefault(res.source.kind, KindSummary())
        s.files_in += 1
        whole_file_reject = any(r.row_ref in ("whole file", "page 1") for r in res.rejects) and \
            not res.records
        if whole_file_reject:
            s.files_quarantined += 1
        else:
            s.files_loaded += 1
        s.records += len(res.records)
        s.judgements += sum(len(r.judgements) for r in res.records)
        s.rejects += len(res.rejects)
    return by_kind


# ---------------------------------------------------------------- rows <-> records

def _cell(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def _row(obj: object, **extra: object) -> dict[str, object]:
    """A record's fields (and `extra` columns) as CSV cells; nested lists are not columns."""
    row = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)  # type: ignore[arg-type]
           if not isinstance(getattr(obj, f.name), list)}
    row.update(extra)
    return {k: _cell(v) for k, v in row.items()}


def _parse(kind: object, text: str) -> object:
    if typing.get_origin(kind) in (types.UnionType, typing.Union):
        if text == "":
            return None
        kind = next(a for a in typing.get_args(kind) if a is not type(None))
    if kind is dt.date:
        return dt.date.fromisoformat(text)
    if kind is int:
        return int(text)
    return text


@functools.cache
def _field_types(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)


def _from_row(cls: type, row: dict[str, str], **extra: object):
    hints = _field_types(cls)
    values = {f.name: _parse(hints[f.name], row[f.name]) for f in dataclasses.fields(cls)
              if f.name in row and f.name not in extra}
    return cls(**values, **extra)


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with _open_text(path, "r") as f:
        return list(csv.DictReader(f))


def _write_csv(path: Path, table: str, rows: Iterable[dict[str, object]]) -> int:
    """Write the rows (any iterable: the report text is streamed, never listed whole); the
    number written."""
    columns = table_columns()[table]
    n = 0
    with _open_text(path, "w") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n", extrasaction="raise")
        w.writeheader()
        for row in rows:
            w.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})
            n += 1
    return n


# ---------------------------------------------------------------- writing

def write_snapshot(results: list[SourceResult], las: LocalAuthorities, hexes: list[dict],
                   out_dir: Path = SNAPSHOT_DIR,
                   changes: list[dict[str, object]] | None = None) -> SnapshotSummary:
    """Write the snapshot atomically: a new folder is filled, then swapped in.

    `changes` is the change feed to carry (None keeps the current snapshot's feed).
    """
    started = time.perf_counter()
    if changes is None:
        changes = read_csv_rows(out_dir / "changes.csv")
    records: list[InspectionRecord] = [r for res in results for r in res.records]
    precedence = {res.source.source_id: res.source.precedence for res in results}
    ids = assign_inspection_ids(records, precedence)
    parser_version = {res.source.source_id: res.source.parser_version for res in results}

    record_rows, judgement_rows = [], []
    seen_ids: Counter[str] = Counter()
    for rec, inspection_id in zip(records, ids, strict=True):
        base = f"{rec.source_id}#{rec.row_ref}"
        seen_ids[base] += 1
        record_id = base if seen_ids[base] == 1 else f"{base}#{seen_ids[base]}"
        record_rows.append(_row(rec, record_id=record_id, inspection_id=inspection_id,
                                parser_version=parser_version.get(rec.source_id, "")))
        judgement_rows.extend(_row(j, record_id=record_id) for j in rec.judgements)
    quarantine_rows = [_row(r) for res in results for r in res.rejects]

    # Count judgements where sources give different grades for the same inspection and area.
    grades_seen: dict[tuple[str, str], set[str]] = {}
    rid_to_insp = {r["record_id"]: r["inspection_id"] for r in record_rows}
    for j in judgement_rows:
        grades_seen.setdefault((rid_to_insp[j["record_id"]], j["area"]), set()).add(j["grade"])
    conflicts = sum(1 for g in grades_seen.values() if len(g) > 1)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    tmp = temp_dir(out_dir, "new")
    tmp.mkdir()
    try:
        _write_csv(tmp / "sources.csv", "sources", [_row(r.source) for r in results])
        _write_csv(tmp / "inspection_records.csv", "inspection_records", record_rows)
        _write_csv(tmp / "judgement_records.csv", "judgement_records", judgement_rows)
        _write_csv(tmp / "quarantine.csv", "quarantine", quarantine_rows)
        _write_csv(tmp / "local_authorities.csv", "local_authorities", las.rows)
        _write_csv(tmp / "statistical_neighbours.csv", "statistical_neighbours", las.neighbours)
        _write_csv(tmp / "la_reorganisations.csv", "la_reorganisations", las.reorganisations)
        _write_csv(tmp / "neighbour_vintages.csv", "neighbour_vintages", las.vintages)
        _write_csv(tmp / "hexmap.csv", "hexmap", hexes)
        shutil.copyfile(CURATED_DIR / "reference_figures.csv", tmp / "reference_figures.csv")
        _write_csv(tmp / "changes.csv", "changes", changes)
        fact_rows: dict[str, int] = {}
        for table in fact_tables():
            rows = (row for res in results for row in res.facts.get(table, []))
            fact_rows[table] = _write_csv(tmp / table_file(table), table, rows)
        summary = SnapshotSummary(
            by_kind=summarise(results), inspections=len(set(ids)), conflicts=conflicts,
            area_send_outcomes=area_send_outcome_counts(records, ids, precedence),
            fact_rows=fact_rows)
        summary.seconds = time.perf_counter() - started
        meta = {
            "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "licence": OGL,
            "counts": {k: asdict(v) for k, v in summary.by_kind.items()},
            "records": len(record_rows), "judgements": len(judgement_rows),
            "quarantined": len(quarantine_rows), "inspections": summary.inspections,
            "conflicts": conflicts,
            "area_send_outcomes": summary.area_send_outcomes,
            "files": file_manifest(tmp),
        }
        (tmp / MANIFEST).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        (tmp / "COVERAGE.md").write_text(coverage_markdown(results, las, meta["generated_at"]),
                                         encoding="utf-8")
        swap_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return summary


# ---------------------------------------------------------------- swapping folders

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where the
    platform or file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


def temp_dir(out_dir: Path, role: str) -> Path:
    """A temporary sibling named for its owner, so a later run can tell a dead one's leftovers."""
    return out_dir.with_name(f".{out_dir.name}-{role}-{os.getpid()}-{uuid.uuid4().hex[:8]}")


def swap_into_place(new: Path, out_dir: Path) -> None:
    """Put the complete folder `new` at `out_dir` so that a kill at any moment leaves a complete
    snapshot there: one atomic exchange where the system has it; elsewhere two renames, which
    `recover` undoes at the next start if a kill falls between them."""
    if not out_dir.exists():
        os.replace(new, out_dir)
        return
    if _exchange(new, out_dir):
        shutil.rmtree(new)  # now the old snapshot
        return
    old = temp_dir(out_dir, "old")
    os.replace(out_dir, old)
    os.replace(new, out_dir)
    shutil.rmtree(old)


def _owner_alive(path: Path) -> bool:
    parts = path.name.split("-")
    try:
        pid = int(parts[-2])
    except (IndexError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out_dir: Path) -> list[str]:
    """At the start of anything that reads or writes a snapshot: put back a snapshot a kill took
    away between two renames, and remove temporary folders whose process is dead. Returns what
    it did, for the log."""
    done: list[str] = []
    leftovers = sorted(out_dir.parent.glob(f".{out_dir.name}-*"))
    if not (out_dir / MANIFEST).is_file():
        for role in ("new", "old"):
            for path in leftovers:
                if f"-{role}-" in path.name and path.exists() and not _owner_alive(path):
                    try:
                        verify_snapshot(path)
                    except SnapshotError:
                        continue
                    shutil.rmtree(out_dir, ignore_errors=True)
                    os.replace(path, out_dir)
                    done.append(f"restored {out_dir} from {path.name}")
                    break
            if (out_dir / MANIFEST).is_file():
                break
    for path in leftovers:
        if path.exists() and not _owner_alive(path):
            shutil.rmtree(path, ignore_errors=True)
            done.append(f"removed {path.name}")
    return done


# ---------------------------------------------------------------- reading back

def load_results(snapshot_dir: Path) -> list[SourceResult]:
    """Every source of the snapshot with its records, judgements and rejects."""
    judgements: dict[str, list[Judgement]] = defaultdict(list)
    for j in read_csv_rows(snapshot_dir / "judgement_records.csv"):
        judgements[j["record_id"]].append(_from_row(Judgement, j))
    results: dict[str, SourceResult] = {
        s["source_id"]: SourceResult(source=_from_row(Source, s))
        for s in read_csv_rows(snapshot_dir / "sources.csv")}
    for r in read_csv_rows(snapshot_dir / "inspection_records.csv"):
        results[r["source_id"]].records.append(
            _from_row(InspectionRecord, r, judgements=judgements.get(r["record_id"], [])))
    for q in read_csv_rows(snapshot_dir / "quarantine.csv"):
        if q["source_id"] in results:
            results[q["source_id"]].rejects.append(_from_row(Reject, q))
    for table in fact_tables():
        for row in read_csv_rows(snapshot_dir / table_file(table)):
            results[row["source_id"]].facts.setdefault(table, []).append(row)
    return list(results.values())


def load_las(snapshot_dir: Path) -> LocalAuthorities:
    return LocalAuthorities(
        rows=read_csv_rows(snapshot_dir / "local_authorities.csv"),
        neighbours=read_csv_rows(snapshot_dir / "statistical_neighbours.csv"),
        reorganisations=read_csv_rows(snapshot_dir / "la_reorganisations.csv"),
        vintages=read_csv_rows(snapshot_dir / "neighbour_vintages.csv"),
    )


def load_hexes(snapshot_dir: Path) -> list[dict]:
    return read_csv_rows(snapshot_dir / "hexmap.csv")
