"""The refresh's on-disk cache: downloaded report files and crawled pages, keyed by URL.

Layout under the cache directory:
    index.json                     what is cached: {"files": {url: ...}, "pages": {url: ...}}
    reports/<urn>_<name>/<label>.pdf   report files, laid out like ../shared/data/ofsted-reports
    pages/<sha1 of url>.html       last copy of each crawled page, for conditional GETs
    tmp/                           downloads in progress (*.part), swept at the start of a run
    .lock                          held (flock) while a refresh runs

Crash safety: a file is written to tmp/, then renamed into place, then the index is rewritten
(temp file + fsync + rename). A kill at any point leaves either no index entry (the file is
fetched again next run, into the same path, so nothing is duplicated) or a complete entry.
Entries record whether the file has been handed to `ingest`; a crash between download and ingest
leaves them pending, and the next run hands them over again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from etl import DATA_DIR
from etl.ingest.refresh.site_errors import RefreshLocked

DEFAULT_CACHE_DIR = DATA_DIR / "cache" / "refresh"
INDEX_VERSION = 1

_UNSAFE = re.compile(r"[\x00-\x1f/\\]+")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _safe_part(text: str, limit: int = 120) -> str:
    """A path component from free text: no separators or control characters, bounded length."""
    cleaned = _UNSAFE.sub(" ", text).strip().strip(".") or "unnamed"
    return cleaned[:limit]


@dataclass(frozen=True)
class CachedFile:
    url: str
    path: Path  # absolute
    sha256: str
    size: int
    etag: str | None
    last_modified: str | None
    fetched_at: str
    ingested_at: str | None
    link: dict  # the ReportLink as a dict (see crawl.ReportLink.to_dict)


@dataclass(frozen=True)
class CachedPage:
    url: str
    body: bytes
    etag: str | None
    last_modified: str | None


class Cache:
    """URL-keyed store of downloaded files and pages. One process at a time (see `lock`)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.index_path = self.root / "index.json"
        self._index = self._load_index()

    def reload(self) -> None:
        """Re-read the index (after taking the lock: another run may have just written it)."""
        self._index = self._load_index()

    # -- files --------------------------------------------------------------------------------

    def file(self, url: str) -> CachedFile | None:
        """The cached copy of `url`, if its entry exists and the file on disk is intact
        (present, right size); a half-deleted cache is treated as not cached."""
        entry = self._index["files"].get(url)
        if entry is None:
            return None
        path = self.root / entry["path"]
        try:
            if path.stat().st_size != entry["size"]:
                return None
        except FileNotFoundError:
            return None
        return CachedFile(
            url=url,
            path=path,
            sha256=entry["sha256"],
            size=entry["size"],
            etag=entry.get("etag"),
            last_modified=entry.get("last_modified"),
            fetched_at=entry["fetched_at"],
            ingested_at=entry.get("ingested_at"),
            link=entry["link"],
        )

    def files(self) -> list[CachedFile]:
        found = (self.file(url) for url in self._index["files"])
        return [f for f in found if f is not None]

    def pending(self) -> list[CachedFile]:
        """Downloaded but never handed to a successful `ingest` (e.g. a run killed midway)."""
        return [f for f in self.files() if f.ingested_at is None]

    def new_tmp_path(self) -> Path:
        tmp = self.root / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        return tmp / f"{uuid.uuid4().hex}.part"

    def sweep_tmp(self) -> int:
        """Delete leftovers of interrupted downloads; returns how many there were."""
        tmp = self.root / "tmp"
        parts = list(tmp.glob("*.part")) + list(self.root.glob(".index.*.tmp"))
        for part in parts:
            part.unlink(missing_ok=True)
        return len(parts)

    def path_for(self, url: str, provider_dir: str, label: str) -> Path:
        """Where a report lands: mirrors ../shared/data/ofsted-reports (<urn>_<name>/<label>.pdf)
        so the PDF adapter reads it unchanged. Two URLs with the same label under one provider
        (a re-issued report) get the file id appended rather than overwriting each other."""
        folder = _safe_part(provider_dir)
        name = _safe_part(label)
        rel = Path("reports") / folder / f"{name}.pdf"
        owner = self._owner_of(rel)
        if owner is not None and owner != url:
            tail = _safe_part(url.rstrip("/").rsplit("/", 1)[-1], 40)
            rel = Path("reports") / folder / f"{name} [{tail}].pdf"
        return self.root / rel

    def store_file(
        self,
        url: str,
        tmp_path: Path,
        final_path: Path,
        *,
        sha256: str,
        size: int,
        etag: str | None,
        last_modified: str | None,
        link: dict,
    ) -> CachedFile:
        """Move a finished download into place, then record it (index rewritten atomically)."""
        final_path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_path, final_path)
        self._index["files"][url] = {
            "path": final_path.relative_to(self.root).as_posix(),
            "sha256": sha256,
            "size": size,
            "etag": etag,
            "last_modified": last_modified,
            "fetched_at": _now(),
            "ingested_at": None,
            "link": link,
        }
        self._write_index()
        cached = self.file(url)
        assert cached is not None
        return cached

    def mark_ingested(self, urls: list[str]) -> None:
        stamp = _now()
        for url in urls:
            self._index["files"][url]["ingested_at"] = stamp
        self._write_index()

    # -- pages --------------------------------------------------------------------------------

    def page(self, url: str) -> CachedPage | None:
        entry = self._index["pages"].get(url)
        if entry is None:
            return None
        try:
            body = (self.root / entry["path"]).read_bytes()
        except FileNotFoundError:
            return None
        return CachedPage(url, body, entry.get("etag"), entry.get("last_modified"))

    def store_page(
        self, url: str, body: bytes, etag: str | None, last_modified: str | None
    ) -> None:
        rel = Path("pages") / f"{hashlib.sha1(url.encode()).hexdigest()}.html"
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.new_tmp_path()
        tmp.write_bytes(body)
        os.replace(tmp, path)
        self._index["pages"][url] = {
            "path": rel.as_posix(),
            "etag": etag,
            "last_modified": last_modified,
            "fetched_at": _now(),
        }
        # A lost page entry only costs an unconditional GET next time: skip the fsync.
        self._write_index(durable=False)

    # -- locking ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive, non-blocking: a second refresh on the same cache fails at once."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise RefreshLocked(str(self.root)) from exc
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- index --------------------------------------------------------------------------------

    def _owner_of(self, rel: Path) -> str | None:
        posix = rel.as_posix()
        for url, entry in self._index["files"].items():
            if entry["path"] == posix:
                return url
        return None

    def _load_index(self) -> dict:
        try:
            data = json.loads(self.index_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"version": INDEX_VERSION, "files": {}, "pages": {}}
        except json.JSONDecodeError as exc:
            # Only a hand edit can do this (the index is replaced atomically): say so, don't guess.
            raise ValueError(f"{self.index_path}: unreadable cache index ({exc})") from exc
        if data.get("version") != INDEX_VERSION:
            raise ValueError(
                f"{self.index_path}: cache index version {data.get('version')!r}, "
                f"expected {INDEX_VERSION}; delete the cache directory to rebuild it"
            )
        data.setdefault("files", {})
        data.setdefault("pages", {})
        return data

    def _write_index(self, *, durable: bool = True) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.index_path.with_name(f".index.{uuid.uuid4().hex}.tmp")
        with open(tmp, "w", encoding="utf-8") as out:
            json.dump(self._index, out, ensure_ascii=False, indent=1, sort_keys=True)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.replace(tmp, self.index_path)
