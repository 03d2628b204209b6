"""Local authorities from the raw inputs: the DfE lookup (via the scraper repo) lists today's LAs
plus three abolished ones; `data/curated/la_overrides.csv` adds what it lacks (Bournemouth, old
Dorset, validity dates, a missing region) so that denominators "as at" a date use the LAs of
that date, and `data/curated/la_reorganisations.csv` links predecessors and successors.
"""

from __future__ import annotations

import csv
from pathlib import Path

from etl import DATA_DIR
from etl.local_authorities import LA_COLUMNS, LaResolver, LocalAuthorities

CURATED_DIR = DATA_DIR / "curated"
LOOKUP_RELPATH = Path("la-lookup") / "Provider_data_lookup.csv"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def load_local_authorities(shared_data: Path) -> LocalAuthorities:
    """LAs (every one that existed since 2013) and their neighbour sets, from the DfE lookup."""
    lookup = _read_csv(shared_data / LOOKUP_RELPATH)
    overrides = {r["la_code"]: r for r in _read_csv(CURATED_DIR / "la_overrides.csv")}
    rows: dict[str, dict[str, str]] = {}
    for r in lookup:
        code = r["la_code"].strip()
        aka = r["also_known_as"].strip().strip("[]")
        rows[code] = {
            "la_code": code,
            "ons_code": r["la_code_new"].strip(),
            "name": r["local_authority_ons_name"].strip(),
            "region_code": r["region_code"].strip(),
            "region_name": r["region_name"].strip(),
            "la_type": r["ons_la_type"].strip(),
            "ofsted_urn": r["urn"].strip(),
            "valid_from": "",
            "valid_to": "",
            # The lookup's lists are comma-separated, so a name containing a comma
            # ("Bournemouth, Christchurch & Poole") is split; la_overrides.csv corrects those.
            "also_known_as": ";".join(a.strip() for a in aka.split(",") if a.strip()),
        }
    for code, o in overrides.items():
        base = rows.setdefault(code, {c: "" for c in LA_COLUMNS})
        for c in LA_COLUMNS:
            if o.get(c, "").strip():
                base[c] = o[c].strip()
    neighbours: list[dict[str, str]] = []
    for r in lookup:
        for vintage, col in (("current", "stat_neighbours"), ("previous", "stat_neighbours_previous")):
            codes = [c.strip() for c in r[col].split(",") if c.strip()]
            for rank, n in enumerate(codes, start=1):
                neighbours.append(
                    {"la_code": r["la_code"].strip(), "neighbour_la_code": n,
                     "rank": str(rank), "vintage": vintage}
                )
    reorganisations = _read_csv(CURATED_DIR / "la_reorganisations.csv")
    ordered = sorted(rows.values(), key=lambda x: x["name"])
    return LocalAuthorities(rows=ordered, neighbours=neighbours, reorganisations=reorganisations)


def resolver_from_shared(shared_data: Path) -> LaResolver:
    """A resolver over the LAs of the raw inputs (what every adapter resolves names with)."""
    return LaResolver(load_local_authorities(shared_data))
