"""What every adapter says about the file it read: its path relative to the sources root and
its checksum (provenance columns of `sources`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from etl.ingest.records import SourceError


def relative_path(path: Path, root: Path) -> str:
    """`path` relative to `root` (POSIX separators); the whole path when it lies elsewhere."""
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_source(path: Path, rel: str) -> bytes:
    """The file's bytes; an unreadable file is a SourceError naming it (`rel`) and the reason."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(rel, f"cannot read file: {exc}") from exc
