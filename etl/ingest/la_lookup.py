"""Local authorities from the raw inputs: the DfE lookup (via the scraper repo) lists today's LAs
plus three abolished ones; `data/curated/la_overrides.csv` adds what it lacks (Bournemouth, old
Dorset, validity dates, a missing region) so that denominators "as at" a date use the LAs of
that date, and `data/curated/la_reorganisations.csv` links predecessors and successors.

Statistical neighbours come in vintages: the lookup's 'current' and 'previous' sets, and DfE's
own files, the April 2021 groupings and the 2025 model (each neighbour with a closeness band),
loaded as '2021' and '2025'. Which dated vintage each lookup set is, is found by comparing
them (`compare_vintages`), not assumed.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from etl import DATA_DIR
from etl.local_authorities import LA_COLUMNS, LaResolver, LocalAuthorities

# The version of what this module reads from the lookup and the neighbour files (sources rows
# of kind reference_data name it).
PARSER_VERSION = "1"
CURATED_DIR = DATA_DIR / "curated"
LOOKUP_RELPATH = Path("la-lookup") / "Provider_data_lookup.csv"
NEIGHBOURS_DIR = Path("statistical-neighbours")


class NeighbourFileError(ValueError):
    """A statistical-neighbour file that cannot be read as the model says: names file and row."""


# DfE's files, oldest first: (vintage, file, LA code column, neighbour column prefix, in force
# from, how that date is known).
NEIGHBOUR_FILES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("2021", "New_Statistical_Neighbour_Groupings_April_2021.csv", "LA num", "SN", "2021-04-01",
     "the file is named 'April 2021'"),
    ("2025", "sn_model_2025_wide.csv", "old_la_code", "SN_", "2025-04-01",
     "the file names the year only (sn_model_2025): taken as 1 April 2025, the start of the "
     "2025-26 year (approximate)"),
)
_BANDS = {"extremely close": "Extremely close", "very close": "Very close", "close": "Close",
          "somewhat close": "Somewhat close", "not close": "Not close"}


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
    for n in neighbours:
        n["closeness"] = ""
    dated: dict[str, list[dict[str, str]]] = {}
    for vintage, name, code_col, prefix, _, _ in NEIGHBOUR_FILES:
        dated[vintage] = read_neighbour_file(shared_data / NEIGHBOURS_DIR / name, vintage,
                                             code_col, prefix, set(rows))
        neighbours.extend(dated[vintage])
    reorganisations = _read_csv(CURATED_DIR / "la_reorganisations.csv")
    ordered = sorted(rows.values(), key=lambda x: x["name"])
    return LocalAuthorities(rows=ordered, neighbours=neighbours, reorganisations=reorganisations,
                            vintages=vintage_rows(neighbours))


def read_neighbour_file(path: Path, vintage: str, code_col: str, prefix: str,
                        known: set[str]) -> list[dict[str, str]]:
    """One DfE neighbour file: per LA its neighbours in rank order, each with its band.

    Columns `<prefix>1`..`<prefix>10` hold neighbour LA codes, each followed by its band column
    ("SNP" / "SN_1P"). Blank rows and captions ("Old SNs:" above the pre-2019 LAs) are skipped;
    an LA code the model does not know, or a row with fewer than ten neighbours, is an error
    naming the file and row (a neighbour set is never silently shortened).
    """
    if not path.is_file():
        raise NeighbourFileError(f"{path}: missing")
    with open(path, newline="", encoding="utf-8-sig") as f:
        table = list(csv.reader(f))
    if not table:
        raise NeighbourFileError(f"{path}: empty file")
    header = [h.strip() for h in table[0]]
    if code_col not in header:
        raise NeighbourFileError(f"{path}: row 1: no {code_col!r} column (header {header})")
    code_i = header.index(code_col)
    rank_cols = [(int(m.group(1)), i) for i, h in enumerate(header)
                 if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", h))]
    if sorted(r for r, _ in rank_cols) != list(range(1, 11)):
        raise NeighbourFileError(f"{path}: row 1: expected neighbour columns {prefix}1..{prefix}10, "
                                 f"found {[header[i] for _, i in rank_cols]}")
    out: list[dict[str, str]] = []
    for n, row in enumerate(table[1:], start=2):
        cells = [c.strip() for c in row]
        code = cells[code_i] if code_i < len(cells) else ""
        if not code:
            continue  # a blank row or a caption such as "Old SNs:"
        if code not in known:
            raise NeighbourFileError(f"{path}: row {n}: unknown LA code {code!r}")
        for rank, i in sorted(rank_cols):
            neighbour = cells[i] if i < len(cells) else ""
            band = cells[i + 1] if i + 1 < len(cells) else ""
            if neighbour not in known:
                raise NeighbourFileError(f"{path}: row {n}: neighbour {rank} of {code}: "
                                         f"unknown LA code {neighbour!r}")
            if band.lower() not in _BANDS:
                raise NeighbourFileError(f"{path}: row {n}: neighbour {rank} of {code}: "
                                         f"unknown closeness band {band!r}")
            out.append({"la_code": code, "neighbour_la_code": neighbour, "rank": str(rank),
                        "vintage": vintage, "closeness": _BANDS[band.lower()]})
    return out


def compare_vintages(neighbours: list[dict[str, str]], alias: str, dated: str) -> tuple[int, int, int]:
    """(LAs in both, LAs with the same neighbours in the same order, LAs with the same set)."""
    def sets(v: str) -> dict[str, list[str]]:
        out: dict[str, list[tuple[int, str]]] = {}
        for r in neighbours:
            if r["vintage"] == v:
                out.setdefault(r["la_code"], []).append((int(r["rank"]), r["neighbour_la_code"]))
        return {k: [c for _, c in sorted(v)] for k, v in out.items()}

    a, b = sets(alias), sets(dated)
    common = [k for k in a if k in b]
    return (len(common), sum(a[k] == b[k] for k in common),
            sum(set(a[k]) == set(b[k]) for k in common))


def vintage_rows(neighbours: list[dict[str, str]]) -> list[dict[str, str]]:
    """neighbour_vintages: the dated DfE files, and which of them each lookup set holds."""
    rows = [{"vintage": v, "label": f"DfE statistical neighbours {v}", "in_force_from": since,
             "dating": dating, "same_as": "", "source": f"statistical-neighbours/{name}",
             "notes": "rank order and closeness band as published"}
            for v, name, _, _, since, dating in NEIGHBOUR_FILES]
    for alias in ("current", "previous"):
        found = []
        for v, *_ in NEIGHBOUR_FILES:
            common, same_order, same_set = compare_vintages(neighbours, alias, v)
            if common and same_set == common:
                order = ("in the same rank order" if same_order == common else
                         f"as sets, but in another order (same order for {same_order} of {common})")
                found.append((v, f"same neighbours as the {v} file for all {common} LAs in both, "
                                 f"{order}"))
        rows.append({"vintage": alias, "label": f"DfE lookup ({alias} set)", "in_force_from": "",
                     "dating": f"the lookup does not date it; by comparison it is the "
                               f"{found[0][0]} vintage" if found else
                               "the lookup does not date it; it matches no dated file",
                     "same_as": found[0][0] if found else "",
                     "source": str(LOOKUP_RELPATH),
                     "notes": found[0][1] if found else "matches no dated vintage"})
    return rows


def resolver_from_shared(shared_data: Path) -> LaResolver:
    """A resolver over the LAs of the raw inputs (what every adapter resolves names with)."""
    return LaResolver(load_local_authorities(shared_data))
