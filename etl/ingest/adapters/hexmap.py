"""The hex cartogram of English upper-tier LAs, adjusted from 2020 to current geography.

The Open Innovations layout (MIT) predates the Northamptonshire (2021) and Cumbria (2023)
splits. Each split LA keeps its hex for one successor and the other successor takes the
nearest free neighbouring hex, so the map keeps its shape and shows all current LAs.
"""

from __future__ import annotations

import json
from pathlib import Path

from etl.ingest.records import SourceError
from etl.local_authorities import LaResolver, UnknownLA

PARSER_VERSION = "1"  # named by the hex map's sources row (etl.ingest.adapters.reference)
HEXMAP_RELPATH = Path("hexmap") / "uk-upper-tier-local-authorities.hexjson"
LAYOUT = "odd-r"
# predecessor -> (successor keeping the hex, successor placed beside it, preferred direction)
SPLITS = {"928": ("940", "941", "west"), "909": ("942", "943", "east")}


def odd_r_neighbours(q: int, r: int) -> dict[str, tuple[int, int]]:
    """Neighbouring cells in an odd-r layout (odd rows shifted right)."""
    shift = 1 if r % 2 else 0
    return {
        "east": (q + 1, r),
        "west": (q - 1, r),
        "north_east": (q + shift, r + 1),
        "north_west": (q + shift - 1, r + 1),
        "south_east": (q + shift, r - 1),
        "south_west": (q + shift - 1, r - 1),
    }


def nearest_free(start: tuple[int, int], taken: set[tuple[int, int]], direction: str,
                 max_steps: int = 4) -> tuple[int, int]:
    """The closest free cell, searching outward ring by ring, `direction` first in each ring."""
    frontier = [start]
    seen = {start}
    for _ in range(max_steps):
        ring: list[tuple[int, int]] = []
        for cell in frontier:
            options = odd_r_neighbours(*cell)
            for c in [options[direction], *options.values()]:
                if c not in seen:
                    seen.add(c)
                    ring.append(c)
        free = [c for c in ring if c not in taken]
        if free:
            return free[0]
        frontier = ring
    raise ValueError(f"no free hex within {max_steps} steps of {start}")


def load_hexmap(shared_data: Path, resolver: LaResolver) -> list[dict[str, object]]:
    """One row per current English LA: la_code, name, q, r, layout."""
    path = shared_data / HEXMAP_RELPATH
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SourceError(str(path), f"cannot read hexjson: {exc}") from exc
    if doc.get("layout") != LAYOUT:
        raise SourceError(str(path), f"expected layout {LAYOUT!r}, found {doc.get('layout')!r}")
    rows: dict[str, dict[str, object]] = {}
    for code, h in doc["hexes"].items():
        if not code.startswith("E"):
            continue
        try:
            la = resolver.by_code(code)
        except UnknownLA:
            try:
                la = resolver.by_name(h["n"])
            except UnknownLA as exc:
                raise SourceError(str(path), f"hex {code}: {exc}") from exc
        rows[la] = {"la_code": la, "name": resolver.name(la), "q": h["q"], "r": h["r"]}
    taken = {(int(r["q"]), int(r["r"])) for r in rows.values()}
    for old, (keep, place, direction) in SPLITS.items():
        if old not in rows:
            continue
        hexagon = rows.pop(old)
        q, r = int(hexagon["q"]), int(hexagon["r"])
        rows[keep] = {"la_code": keep, "name": resolver.name(keep), "q": q, "r": r}
        free = nearest_free((q, r), taken, direction)
        taken.add(free)
        rows[place] = {"la_code": place, "name": resolver.name(place), "q": free[0], "r": free[1]}
    return [dict(r, layout=LAYOUT) for r in sorted(rows.values(), key=lambda x: str(x["name"]))]
