"""Group records from different sources that describe the same inspection.

Sources describe one inspection in different ways: the report PDF prints its inspection
dates, the scraper gives the web publication date, the official statistics give
inspection dates, a council annex gives no date at all. Records are matched within one
LA, one framework and one family of inspection types, most trusted source first:

- both have a start date: within END_DATE_TOLERANCE days (the most stable fact: split
  inspections end on different dates in different sources, releases misprint publication dates);
- else both have an end date: within END_DATE_TOLERANCE days;
- else both have a publication date: within PUBLISHED_TOLERANCE days (the date printed in
  a PDF and its web publication date differ by days);
- an undated record with a "published on or before" bound (a council annex) matches the LA's
  first inspection under the framework published by then;
- an undated record without one matches only when the LA has exactly one candidate of the
  same inspection type.

Anything else starts an inspection of its own: a non-match is kept, never forced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from etl.ingest.records import InspectionRecord
from etl.vocab import VISIT_TYPES

END_DATE_TOLERANCE = 10
PUBLISHED_TOLERANCE = 31


def type_family(inspection_type: str) -> str:
    """Records of one family can describe the same event; visits only match their own kind."""
    if inspection_type in VISIT_TYPES or inspection_type == "lscb_review":
        return inspection_type
    return "inspection"


@dataclass
class _Cluster:
    la_code: str
    framework: str
    family: str
    members: list[int] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    start: dt.date | None = None
    end: dt.date | None = None
    published: dt.date | None = None

    def absorb(self, rec: InspectionRecord, index: int) -> None:
        self.members.append(index)
        self.types.add(rec.inspection_type)
        # The first (most trusted) record's dates anchor the cluster.
        self.start = self.start or rec.start_date
        self.end = self.end or rec.end_date
        self.published = self.published or rec.published_date

    def sort_date(self) -> dt.date:
        return self.end or self.published or self.start or dt.date.max


def _close(a: dt.date | None, b: dt.date | None, days: int) -> bool | None:
    if a is None or b is None:
        return None
    return abs((a - b).days) <= days


def _matches(c: _Cluster, rec: InspectionRecord) -> bool:
    # The start date is the most stable fact: a split inspection's end date and a misprinted
    # publication date differ between sources, but no LA starts two inspections within days.
    for ours, theirs, tolerance in ((c.start, rec.start_date, END_DATE_TOLERANCE),
                                    (c.end, rec.end_date, END_DATE_TOLERANCE),
                                    (c.published, rec.published_date, PUBLISHED_TOLERANCE)):
        close = _close(ours, theirs, tolerance)
        if close is not None:
            return close
    return False


def inspection_id_for(c: _Cluster, seq: int) -> str:
    anchor = c.end or c.published or c.start
    family = "" if c.family == "inspection" else f"-{c.family}"
    when = anchor.isoformat() if anchor else f"undated{seq}"
    return f"{c.la_code}-{c.framework}{family}-{when}"


def assign_inspection_ids(records: list[InspectionRecord], precedence: dict[str, int]) -> list[str]:
    """Return an inspection_id for each record (same order as `records`).

    `precedence` maps source_id to its precedence (lower is more trusted).
    """
    order = sorted(
        range(len(records)),
        key=lambda i: (precedence[records[i].source_id], records[i].source_id, records[i].row_ref),
    )
    clusters: dict[tuple[str, str, str], list[_Cluster]] = {}
    undated: list[int] = []
    for i in order:
        rec = records[i]
        key = (rec.la_code, rec.framework, type_family(rec.inspection_type))
        if rec.start_date is None and rec.end_date is None and rec.published_date is None:
            undated.append(i)
            continue
        group = clusters.setdefault(key, [])
        match = next((c for c in group if _matches(c, rec)), None)
        if match is None:
            match = _Cluster(*key)
            group.append(match)
        match.absorb(rec, i)

    for i in undated:
        rec = records[i]
        key = (rec.la_code, rec.framework, type_family(rec.inspection_type))
        group = sorted(clusters.get(key, []), key=_Cluster.sort_date)
        target = None
        if rec.published_on_or_before is not None:
            dated = [c for c in group if c.published and c.published <= rec.published_on_or_before]
            target = dated[0] if dated else None
        else:
            # "SIF re-inspection, November 2017" must not land on the LA's first SIF inspection.
            same_type = [c for c in group if rec.inspection_type in c.types]
            target = same_type[0] if len(same_type) == 1 else None
        if target is None:
            target = _Cluster(*key)
            clusters.setdefault(key, []).append(target)
        target.absorb(rec, i)

    ids = [""] * len(records)
    for group in clusters.values():
        for seq, c in enumerate(sorted(group, key=_Cluster.sort_date), start=1):
            cid = inspection_id_for(c, seq)
            for i in c.members:
                ids[i] = cid
    # Two clusters anchored on the same date (e.g. two sources disagreeing beyond tolerance)
    # must still get distinct ids.
    seen: dict[str, set[int]] = {}
    for group in clusters.values():
        for c in group:
            base = ids[c.members[0]]
            owners = seen.setdefault(base, set())
            owners.add(id(c))
            if len(owners) > 1:
                new = f"{base}-{len(owners)}"
                for i in c.members:
                    ids[i] = new
    return ids
