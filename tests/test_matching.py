"""assign_inspection_ids: records of different sources that describe one inspection share an
id; different inspections never do. Hand-made records, so each rule is tested on its own."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.ingest.matching import END_DATE_TOLERANCE, PUBLISHED_TOLERANCE, assign_inspection_ids
from etl.ingest.records import InspectionRecord

D = dt.date
PRECEDENCE = {"pdf": 10, "ods": 20, "csv": 30, "council": 50, "news": 90}


def rec(source: str, la: str = "891", framework: str = "ILACS", kind: str = "standard",
        start: dt.date | None = None, end: dt.date | None = None,
        published: dt.date | None = None, by: dt.date | None = None,
        row: str = "row 1") -> InspectionRecord:
    return InspectionRecord(source_id=source, row_ref=row, la_code=la, la_name_raw="x",
                            framework=framework, inspection_type=kind, start_date=start,
                            end_date=end, published_date=published, published_on_or_before=by)


def ids(*records: InspectionRecord) -> list[str]:
    return assign_inspection_ids(list(records), PRECEDENCE)


def test_pdf_and_csv_published_days_apart_match() -> None:
    # The date printed in a PDF and the web publication date differ by days.
    pdf = rec("pdf", start=D(2019, 10, 7), end=D(2019, 10, 18), published=D(2019, 12, 19))
    csv = rec("csv", published=D(2019, 12, 16))
    a, b = ids(csv, pdf)  # order of input does not matter: precedence does
    assert a == b == "891-ILACS-2019-10-18"  # anchored on the most trusted record's end date


def test_published_dates_beyond_tolerance_do_not_match() -> None:
    pdf = rec("pdf", published=D(2019, 12, 19))
    csv = rec("csv", published=D(2019, 12, 19) + dt.timedelta(days=PUBLISHED_TOLERANCE + 1))
    a, b = ids(pdf, csv)
    assert a != b


@pytest.mark.parametrize(("days", "same"), [(0, True), (7, True), (END_DATE_TOLERANCE, True),
                                            (END_DATE_TOLERANCE + 1, False)])
def test_end_dates_within_tolerance_match(days: int, same: bool) -> None:
    pdf = rec("pdf", end=D(2015, 6, 4))
    ods = rec("ods", end=D(2015, 6, 4) + dt.timedelta(days=days))
    a, b = ids(pdf, ods)
    assert (a == b) is same


def test_end_dates_decide_before_published_dates() -> None:
    # Published 1 day apart but inspections ending 3 months apart are two inspections.
    a, b = ids(rec("pdf", end=D(2020, 1, 10), published=D(2020, 5, 1)),
               rec("ods", end=D(2020, 4, 10), published=D(2020, 5, 2)))
    assert a != b


def test_start_dates_match_when_nothing_else_is_shared() -> None:
    a, b = ids(rec("pdf", start=D(2022, 7, 11)), rec("ods", start=D(2022, 7, 13)))
    assert a == b


def test_visit_does_not_match_inspection_on_same_dates() -> None:
    full = rec("pdf", kind="standard", start=D(2023, 7, 10), end=D(2023, 7, 21),
               published=D(2023, 9, 4))
    visit = rec("ods", kind="monitoring_visit", start=D(2023, 7, 10), end=D(2023, 7, 21),
                published=D(2023, 9, 4))
    focused = rec("csv", kind="focused_visit", start=D(2023, 7, 10), end=D(2023, 7, 21),
                  published=D(2023, 9, 4))
    a, b, c = ids(full, visit, focused)
    assert len({a, b, c}) == 3
    assert b == "891-ILACS-monitoring_visit-2023-07-21"
    assert c == "891-ILACS-focused_visit-2023-07-21"


def test_short_and_standard_are_one_family() -> None:
    # Sources disagree on "short" vs "standard" for the same inspection.
    a, b = ids(rec("pdf", kind="short", end=D(2024, 5, 24)),
               rec("csv", kind="standard", end=D(2024, 5, 24)))
    assert a == b


def test_other_la_or_framework_never_matches() -> None:
    base = {"end": D(2015, 6, 4), "published": D(2015, 7, 20)}
    a, b, c = ids(rec("pdf", la="891", framework="SIF", **base),
                  rec("csv", la="892", framework="SIF", **base),
                  rec("ods", la="891", framework="ILACS", **base))
    assert len({a, b, c}) == 3


def test_two_inspections_of_one_la_stay_apart() -> None:
    first = [rec("pdf", row="a", end=D(2019, 10, 18), published=D(2019, 12, 19)),
             rec("csv", row="a", published=D(2019, 12, 19))]
    second = [rec("pdf", row="b", kind="short", end=D(2024, 5, 24), published=D(2024, 7, 12)),
              rec("csv", row="b", published=D(2024, 7, 12))]
    out = ids(*first, *second)
    assert out[0] == out[1] == "891-ILACS-2019-10-18"
    assert out[2] == out[3] == "891-ILACS-2024-05-24"


def test_undated_council_row_matches_first_inspection_published_by_bound() -> None:
    # Seed 004's annex: no dates, only "reports published by October 2014".
    sif1 = rec("pdf", la="860", framework="SIF", row="a", end=D(2014, 2, 5),
               published=D(2014, 3, 21))
    sif2 = rec("pdf", la="860", framework="SIF", row="b", end=D(2017, 6, 1),
               published=D(2017, 7, 20))
    annex = rec("council", la="860", framework="SIF", kind="full", by=D(2014, 10, 31))
    a, b, c = ids(sif2, annex, sif1)
    assert b == c == "860-SIF-2014-02-05"
    assert a == "860-SIF-2017-06-01"


def test_undated_row_with_bound_before_every_inspection_stays_alone() -> None:
    sif = rec("pdf", la="860", framework="SIF", end=D(2014, 2, 5), published=D(2014, 3, 21))
    annex = rec("council", la="860", framework="SIF", by=D(2014, 1, 31))
    a, b = ids(sif, annex)
    assert a == "860-SIF-2014-02-05"
    assert b.startswith("860-SIF-undated")


def test_undated_row_with_no_candidate_stays_alone() -> None:
    # Bournemouth: the annex lists it but no other source has its SIF inspection.
    annex = rec("council", la="837", framework="SIF", kind="full", by=D(2014, 10, 31))
    other_la = rec("pdf", la="836", framework="SIF", end=D(2014, 6, 1), published=D(2014, 7, 1))
    a, b = ids(annex, other_la)
    assert a == "837-SIF-undated1"
    assert b == "836-SIF-2014-06-01"


def test_undated_row_without_bound_joins_only_a_single_candidate() -> None:
    one = rec("pdf", la="835", framework="SIF", end=D(2016, 3, 17), published=D(2016, 5, 23))
    news = rec("news", la="835", framework="SIF")
    assert len(set(ids(one, news))) == 1
    two = rec("pdf", la="835", framework="SIF", row="b", end=D(2018, 1, 1),
              published=D(2018, 2, 1))
    out = ids(one, two, news)
    assert out[2] not in (out[0], out[1])


def test_clusters_anchored_on_one_date_get_distinct_ids() -> None:
    # Record A ends on 10 Jan; record B has only a publication date, 10 Jan, too far from
    # A's own publication date to match. Both anchor on 2020-01-10 but are different events.
    a = rec("pdf", row="a", end=D(2020, 1, 10), published=D(2020, 3, 1))
    b = rec("csv", row="b", published=D(2020, 1, 10))
    x, y = ids(a, b)
    assert x != y
    assert {x, y} == {"891-ILACS-2020-01-10", "891-ILACS-2020-01-10-2"}


def test_split_inspection_same_start_and_published_matches() -> None:
    # Devon: "30 September to 11 October 2024 and 13 to 16 January 2025"; the PDF ends in
    # January, the scraper in October.
    pdf = rec("pdf", start=D(2024, 9, 30), end=D(2025, 1, 16), published=D(2025, 5, 13))
    csv = rec("csv", start=D(2024, 9, 30), end=D(2024, 10, 11), published=D(2025, 5, 13))
    a, b = ids(pdf, csv)
    assert a == b


def test_same_start_date_matches_despite_misprinted_publication_date() -> None:
    # The 2024 release prints 2022-11-05 for Nottingham's report published 5 Sep 2022.
    pdf = rec("pdf", la="892", start=D(2022, 7, 11), end=D(2022, 7, 22), published=D(2022, 9, 5))
    ods = rec("ods", la="892", start=D(2022, 7, 11), published=D(2022, 11, 5))
    a, b = ids(pdf, ods)
    assert a == b


def test_undated_reinspection_does_not_join_the_full_inspection() -> None:
    # Cumbria: "SIF re-inspection, November 2017" (news, undated) is not its 2015 inspection.
    full = rec("news", la="909", framework="SIF", kind="full", row="a", published=D(2015, 5, 13))
    reinspection = rec("news", la="909", framework="SIF", kind="re-inspection", row="b")
    a, b = ids(full, reinspection)
    assert a != b
