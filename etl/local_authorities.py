"""The model's local authorities and their identifiers, shared by every stage.

An LA is named by its DfE 3-digit code (891 Nottinghamshire). Sources name it by Ofsted URN,
ONS code (old or new) or any spelling of its name; `LaResolver` turns each into the DfE code
and an unknown name into an error that lists the nearest candidates.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

LA_COLUMNS = (
    "la_code",
    "ons_code",
    "name",
    "region_code",
    "region_name",
    "la_type",
    "ofsted_urn",
    "valid_from",
    "valid_to",
    "also_known_as",
)


class UnknownLA(LookupError):
    """A name or identifier matched no LA; lists the nearest candidates."""

    def __init__(self, value: str, candidates: list[str]):
        hint = f"; did you mean: {', '.join(candidates)}" if candidates else ""
        super().__init__(f"unknown local authority {value!r}{hint}")
        self.value = value
        self.candidates = candidates


def name_key(name: str) -> str:
    """A spelling-insensitive key: "Bristol, City of" == "City of Bristol" == "bristol"."""
    s = name.lower().replace("\u2019", "'").replace("&", " and ")
    s = re.sub(r"\(.*?\)", " ", s)
    s = re.sub(r"\b(city of|county of|county council|metropolitan borough|borough council|council|"
               r"london borough of|royal borough of|the)\b", " ", s)
    s = re.sub(r"\bst\.? ", "st ", s)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())


@dataclass
class LocalAuthorities:
    rows: list[dict[str, str]]
    neighbours: list[dict[str, str]]
    reorganisations: list[dict[str, str]] = field(default_factory=list)
    # One row per neighbour-set vintage (sql/01_schema.sql neighbour_vintages).
    vintages: list[dict[str, str]] = field(default_factory=list)


class LaResolver:
    """Resolve Ofsted URNs, DfE codes, ONS codes and name spellings to a DfE LA code."""

    # Spellings seen in sources that no rule above derives.
    EXTRA_NAMES = {
        "hull": "810",
        "kingston upon hull": "810",
        "barking dagenham": "301",
        "bcp": "839",
        "bournemouth christchurch poole": "839",
        "durham": "840",
        "county durham": "840",
        "bristol": "801",
        "herefordshire": "884",
        "southend": "882",
        "st helens": "342",
        "telford": "894",
        "brighton": "846",
        "windsor maidenhead": "868",
        "hammersmith fulham": "205",
        "kensington chelsea": "207",
        "richmond": "318",
        "kingston": "314",
        "bedford": "822",
    }
    # ONS codes replaced in 2019-2023 that older releases still use.
    OLD_ONS_CODES = {"E10000002": "825", "E08000016": "370", "E08000019": "373",
                     "E10000023": "815", "E10000027": "933"}

    def __init__(self, las: LocalAuthorities):
        self._rows = {r["la_code"]: r for r in las.rows}
        self._by_urn: dict[str, str] = {}
        self._by_ons: dict[str, str] = {}
        self._exact: dict[str, str] = {}
        # One key can name several LAs over time ("Dorset": the old county to March 2019,
        # the new council since); validity dates pick between them.
        self._by_name: dict[str, list[str]] = {}
        self._successors: dict[str, list[str]] = {}
        for link in las.reorganisations:
            if link["predecessor_la_code"] != link["successor_la_code"]:
                self._successors.setdefault(link["predecessor_la_code"], []).append(
                    link["successor_la_code"])
        for r in las.rows:
            code = r["la_code"]
            if r["ofsted_urn"]:
                self._by_urn[r["ofsted_urn"]] = code
            if r["ons_code"]:
                self._by_ons[r["ons_code"]] = code
            names = [r["name"], *[a for a in r["also_known_as"].split(";") if a]]
            for n in names:
                self._exact.setdefault(n.strip().lower(), code)
                codes = self._by_name.setdefault(name_key(n), [])
                if code not in codes:
                    codes.append(code)
        for ons, code in self.OLD_ONS_CODES.items():
            self._by_ons.setdefault(ons, code)
        for k, code in self.EXTRA_NAMES.items():
            self._by_name.setdefault(k, [code])

    def row(self, la_code: str) -> dict[str, str]:
        return self._rows[la_code]

    def name(self, la_code: str) -> str:
        return self._rows[la_code]["name"]

    def by_urn(self, urn: str) -> str:
        try:
            return self._by_urn[str(urn).strip()]
        except KeyError:
            raise UnknownLA(f"Ofsted URN {urn}", []) from None

    def by_code(self, code: str) -> str:
        c = str(code).strip()
        if c in self._rows:
            return c
        if c in self._by_ons:
            return self._by_ons[c]
        raise UnknownLA(c, [])

    def _valid_on(self, code: str, on: str) -> bool:
        r = self._rows[code]
        return (not r["valid_from"] or r["valid_from"] <= on) and (not r["valid_to"] or on <= r["valid_to"])

    def by_name(self, name: str, *, on: str | None = None) -> str:
        """The LA code for a name; `on` (ISO date) picks between LAs of one name over time.

        "Dorset" before April 2019 is the old county (835), afterwards the new council (838);
        "Cumbria" after March 2023 names no LA and the error lists its successors.
        """
        exact = self._exact.get(name.strip().lower())
        if exact and (on is None or self._valid_on(exact, on)):
            return exact
        key = name_key(name)
        codes = self._by_name.get(key)
        if not codes:
            candidates = difflib.get_close_matches(key, list(self._by_name), n=3, cutoff=0.6)
            raise UnknownLA(name, [self.name(self._by_name[c][0]) for c in candidates])
        if on is None:
            current = [c for c in codes if not self._rows[c]["valid_to"]]
            return (current or codes)[0]
        valid = [c for c in codes if self._valid_on(c, on)]
        if valid:
            return valid[0]
        successors = [self.name(s) for c in codes for s in self._successors.get(c, [])]
        raise UnknownLA(f"{name} (on {on})", successors)

    def resolve(self, value: str, *, on: str | None = None) -> str:
        """Any identifier: DfE code, ONS code, Ofsted URN, or a name."""
        v = str(value).strip()
        if re.fullmatch(r"\d{3}", v) and v in self._rows:
            return v
        if re.fullmatch(r"E\d{8}", v):
            return self.by_code(v)
        if re.fullmatch(r"\d{5,8}", v) and v in self._by_urn:
            return self._by_urn[v]
        return self.by_name(v, on=on)
