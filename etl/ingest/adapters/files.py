"""What every adapter says about the file it read: its path relative to the sources root, its
checksum and its title (provenance columns of `sources`)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from etl.ingest.records import SourceError
from etl.local_authorities import LaResolver, UnknownLA

_SMALL_WORDS = frozenset({"and", "of", "on", "upon", "the", "in", "with"})


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


def date_words(d: dt.date) -> str:
    """"9 May 2025": a date as the pages write it, for source titles."""
    return f"{d.day} {d:%B %Y}"


def la_display_name(resolver: LaResolver, urn: str, folder_name: str) -> str:
    """The LA a report folder ("80534_nottinghamshire") belongs to, named as the model names it
    (by the folder's Ofsted URN); the folder's own words, capitalised, for a URN it lacks."""
    try:
        return resolver.name(resolver.by_urn(urn))
    except (UnknownLA, KeyError):
        words = folder_name.split()
        return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:]
                        for i, w in enumerate(words)) or urn
