"""Reference files: what the model's local authorities, statistical neighbours and hex map are
read from (the DfE LA lookup, DfE's two neighbour models, Open Innovations' hex layout).

They state no inspection and no grade, so they never compete in precedence; but every file
the snapshot is derived from is a row of `sources`, with its title, origin, licence, parser and
checksum, so these are too. Their contents are read by `etl.ingest.la_lookup` and
`etl.ingest.adapters.hexmap` before any other source (every adapter resolves LA names through
the lookup), and reach the snapshot as local_authorities.csv, statistical_neighbours.csv,
neighbour_vintages.csv and hexmap.csv; here each file is described.

Titles, origins and licences are those ../shared/README.md gives each file (the files carry no
title of their own); the web addresses are the public repositories it names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from etl import OGL
from etl.ingest import la_lookup
from etl.ingest.adapters import hexmap
from etl.ingest.adapters.files import read_source, relative_path
from etl.ingest.records import Source, SourceError, SourceResult

KIND = "reference_data"

_DFE_REPO = "https://github.com/dfe-analytical-services/CSC_outcomes_and_enablers"
_DFE_VIA_REPO = "Department for Education (via DfE's CSC outcomes and enablers repository)"


@dataclass(frozen=True)
class ReferenceFile:
    relpath: str  # relative to ../shared/data
    source_id: str
    title: str
    url: str
    publisher: str
    licence: str
    parser: str  # the module that reads its contents
    parser_version: str


def _neighbour_file(vintage: str) -> str:
    name = next(f for v, f, *_ in la_lookup.NEIGHBOUR_FILES if v == vintage)
    return (la_lookup.NEIGHBOURS_DIR / name).as_posix()


REFERENCE_FILES: tuple[ReferenceFile, ...] = (
    ReferenceFile(
        relpath=la_lookup.LOOKUP_RELPATH.as_posix(), source_id="reference:la-lookup",
        title="Local authority lookup: Ofsted URN, DfE and ONS codes, region, type and ten "
              "statistical neighbours per local authority (current and previous sets)",
        url="https://github.com/data-to-insight/ofsted-ilacs-scrape-tool",
        publisher="Department for Education statistical neighbour model (via a community "
                  "scraper's repository)",
        licence=OGL, parser=la_lookup.__name__, parser_version=la_lookup.PARSER_VERSION),
    ReferenceFile(
        relpath=_neighbour_file("2021"), source_id="reference:statistical-neighbours-2021",
        title="Children's services statistical neighbours: April 2021 groupings (ten "
              "neighbours per local authority, with closeness bands)",
        url=_DFE_REPO, publisher=_DFE_VIA_REPO, licence=OGL, parser=la_lookup.__name__,
        parser_version=la_lookup.PARSER_VERSION),
    ReferenceFile(
        relpath=_neighbour_file("2025"), source_id="reference:statistical-neighbours-2025",
        title="Children's services statistical neighbours: 2025 model (ten neighbours per "
              "local authority, with closeness bands)",
        url=_DFE_REPO, publisher=_DFE_VIA_REPO, licence=OGL, parser=la_lookup.__name__,
        parser_version=la_lookup.PARSER_VERSION),
    ReferenceFile(
        relpath=hexmap.HEXMAP_RELPATH.as_posix(), source_id="reference:hexmap",
        title="Hex map of upper-tier local authorities (2020 geography, adjusted here for the "
              "Northamptonshire and Cumbria splits)",
        url="https://github.com/odileeds/hexmaps", publisher="Open Innovations",
        licence="MIT", parser=hexmap.__name__, parser_version=hexmap.PARSER_VERSION),
)
BY_PATH = {r.relpath: r for r in REFERENCE_FILES}


def reference_inputs(shared_data: Path) -> list[Path]:
    """Every described reference file (a missing one too, to be quarantined as missing)."""
    return [shared_data / r.relpath for r in REFERENCE_FILES]


def parse_reference(path: Path, shared_data: Path) -> SourceResult:
    """The file as a source: described, checksummed. SourceError for a file that cannot be
    read (or one this module does not describe)."""
    path = Path(path)
    rel = relative_path(path, shared_data)
    ref = BY_PATH.get(rel)
    if ref is None:
        raise SourceError(rel, f"not a reference file ({', '.join(BY_PATH)})")
    data = read_source(path, rel)
    if not data:
        raise SourceError(rel, "empty file")
    return SourceResult(source=Source(
        source_id=ref.source_id, kind=KIND, title=ref.title, path=rel, url=ref.url,
        publisher=ref.publisher, licence=ref.licence, parser=ref.parser,
        parser_version=ref.parser_version, sha256=hashlib.sha256(data).hexdigest()))
