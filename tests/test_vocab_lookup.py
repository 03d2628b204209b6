"""Grade wording and LA names: every spelling the sources use maps to one model value, and
anything unknown is refused with a reason (never guessed)."""

from __future__ import annotations

import pytest

from etl.local_authorities import LaResolver, UnknownLA, name_key
from etl.vocab import GRADE_RANK, GRADES, UnknownGrade, grade_or_none, normalise_grade


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("Outstanding", "outstanding"),
        ("Outstanding.", "outstanding"),
        ("  good ", "good"),
        ("GOOD", "good"),
        ("Requires improvement to be good", "requires_improvement"),
        ("Requires Improvement", "requires_improvement"),
        ("requires improvement", "requires_improvement"),
        ("Require improvement", "requires_improvement"),
        ("requires_improvement", "requires_improvement"),
        ("RI", "requires_improvement"),
        ("Requires\xa0improvement  to be good", "requires_improvement"),
        ("Inadequate", "inadequate"),
        ("Not judged", "not_judged"),
        ("n/a", "not_judged"),
        ("N/A", "not_judged"),
    ],
)
def test_normalise_grade_spellings(text: str, grade: str) -> None:
    g = normalise_grade(text)
    assert g.grade == grade
    assert g.sub_grades == {}
    assert g.text == text.strip()  # the original words are kept


# Cells of seed 004's annex (Kent CC cabinet committee paper, 3 Dec 2014), copied verbatim.
@pytest.mark.parametrize(
    ("text", "grade", "subs"),
    [
        ("Requires Improvement (Care Leavers: Good)", "requires_improvement",
         {"care_leavers": "good"}),
        ("Requires Improvement (Children in Care, Leadership & Management: Good CIC)",
         "requires_improvement", {"children_looked_after": "good", "leadership": "good"}),
        ("Good (Adoption: Outstanding; Care Leavers: Requires Improvement)", "good",
         {"adoption": "outstanding", "care_leavers": "requires_improvement"}),
        ("Good (Adoption, Leadership & Management: Outstanding)", "good",
         {"adoption": "outstanding", "leadership": "outstanding"}),
        ("Requires Improvement (Child Protection, Care Leavers, Leadership & Management: Good)",
         "requires_improvement",
         {"help_and_protection": "good", "care_leavers": "good", "leadership": "good"}),
        ("Inadequate (Adoption, Care Leavers: Requires Improvement)", "inadequate",
         {"adoption": "requires_improvement", "care_leavers": "requires_improvement"}),
        ("Good (Child Protection: Requires Improvement)", "good",
         {"help_and_protection": "requires_improvement"}),
        ("Requires Improvement (Care Leavers: Inadequate)", "requires_improvement",
         {"care_leavers": "inadequate"}),
    ],
)
def test_normalise_grade_council_annex_sub_grades(text: str, grade: str, subs: dict) -> None:
    g = normalise_grade(text)
    assert (g.grade, g.sub_grades, g.text) == (grade, subs, text)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("Satisfactory", "Satisfactory"),
        ("excellent", "excellent"),
        ("judgement", "judgement"),  # a PDF table header read as a grade
        ("Good Services for children and families", "Good Services"),  # run-on PDF text
        ("Good (Care Leavers: Brilliant)", "Brilliant"),
        ("Good (Pets: Good)", "pets"),
        ("Good (Care leavers Good)", "unreadable sub-grade"),
    ],
)
def test_unknown_grade_wording_is_refused(text: str, fragment: str) -> None:
    with pytest.raises(UnknownGrade, match=fragment):
        normalise_grade(text)


def test_grade_or_none_and_rank() -> None:
    assert grade_or_none("Requires improvement to be good") == "requires_improvement"
    assert grade_or_none("Requires Improvement (Care Leavers: Good)") is None  # bare words only
    # the pre-2013 scale's third grade is its own grade, ranked beside requires improvement
    assert grade_or_none("Adequate") == "adequate"
    assert GRADE_RANK["adequate"] == GRADE_RANK["requires_improvement"]
    # best to worst, the order every chart and SQL sort relies on
    assert [GRADE_RANK[g] for g in GRADES] == [1, 2, 3, 4]
    assert GRADE_RANK["not_judged"] > GRADE_RANK["inadequate"]


def test_name_key_ignores_spelling() -> None:
    assert name_key("Bristol, City of") == name_key("City of Bristol") == name_key("bristol")
    assert name_key("Herefordshire, County of") == "herefordshire"
    assert name_key("Barking & Dagenham") == name_key("Barking and Dagenham")
    assert name_key("St. Helens") == name_key("St Helens")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Bristol, City of", "801"),
        ("Bristol", "801"),
        ("City of Bristol", "801"),
        ("Kingston upon Hull", "810"),
        ("Kingston upon Hull, City of", "810"),
        ("Hull", "810"),
        ("Bournemouth, Christchurch & Poole", "839"),
        ("Bournemouth, Christchurch and Poole", "839"),
        ("BCP", "839"),
        ("Herefordshire, County of", "884"),
        ("Herefordshire", "884"),
        ("Nottinghamshire", "891"),
        ("Nottingham", "892"),  # not confused with the county
        ("Barking & Dagenham", "301"),
        ("St. Helens", "342"),
        ("County Durham", "840"),
        ("Kingston upon Thames", "314"),  # "Kingston" alone is Thames, never Hull
    ],
)
def test_resolver_names(resolver: LaResolver, name: str, code: str) -> None:
    assert resolver.by_name(name) == code
    assert resolver.resolve(name) == code


def test_resolver_identifiers(resolver: LaResolver) -> None:
    assert resolver.resolve("891") == "891"
    assert resolver.resolve("E10000024") == "891"  # ONS code
    assert resolver.resolve("80534") == "891"  # Ofsted URN (the report folder's prefix)
    assert resolver.by_urn("80534") == "891"
    # Buckinghamshire's ONS code changed when it became a unitary (April 2020)
    assert resolver.resolve("E10000002") == resolver.resolve("E06000060") == "825"
    with pytest.raises(UnknownLA):
        resolver.by_urn("1")
    with pytest.raises(UnknownLA):
        resolver.by_code("E99999999")


def test_resolver_dorset_by_date(resolver: LaResolver) -> None:
    # The old county (835) until 31 March 2019, the new Dorset Council (838) from 1 April 2019.
    assert resolver.by_name("Dorset", on="2016-05-23") == "835"
    assert resolver.by_name("Dorset", on="2019-03-31") == "835"
    assert resolver.by_name("Dorset", on="2019-04-01") == "838"
    assert resolver.by_name("Dorset") == "838"
    assert resolver.by_name("Dorset Council") == "838"
    assert resolver.row("835")["valid_to"] == "2019-03-31"
    assert resolver.row("838")["valid_from"] == "2019-04-01"


def test_resolver_old_dorset_by_its_own_name(resolver: LaResolver) -> None:
    # name_key reduces both to "dorset"; the exact name must still find the old county.
    assert resolver.by_name("Dorset (county council to March 2019)") == "835"
    assert resolver.by_name("Dorset County Council") == "835"


def test_resolver_northamptonshire_after_split(resolver: LaResolver) -> None:
    assert resolver.by_name("Northamptonshire", on="2016-04-27") == "928"
    with pytest.raises(UnknownLA) as exc:
        resolver.by_name("Northamptonshire", on="2021-04-01")
    assert exc.value.candidates == ["North Northamptonshire", "West Northamptonshire"]


def test_resolver_cumbria_after_split(resolver: LaResolver) -> None:
    assert resolver.by_name("Cumbria", on="2015-05-13") == "909"
    with pytest.raises(UnknownLA) as exc:
        resolver.by_name("Cumbria", on="2024-01-01")
    assert sorted(exc.value.candidates) == ["Cumberland", "Westmorland and Furness"]


def test_resolver_unknown_name_lists_candidates(resolver: LaResolver) -> None:
    with pytest.raises(UnknownLA) as exc:
        resolver.by_name("Notingham")
    assert exc.value.value == "Notingham"
    assert "Nottingham" in exc.value.candidates
    assert "Nottingham" in str(exc.value)
    with pytest.raises(UnknownLA) as exc:
        resolver.resolve("Atlantis")
    assert exc.value.candidates == []


def test_abolished_and_new_las_have_validity_dates(resolver: LaResolver) -> None:
    ends = {c: resolver.row(c)["valid_to"] for c in ("837", "836", "835", "928", "909")}
    assert ends == {"837": "2019-03-31", "836": "2019-03-31", "835": "2019-03-31",
                    "928": "2021-03-31", "909": "2023-03-31"}
    starts = {c: resolver.row(c)["valid_from"] for c in ("839", "838", "940", "941", "942", "943")}
    assert starts == {"839": "2019-04-01", "838": "2019-04-01", "940": "2021-04-01",
                      "941": "2021-04-01", "942": "2023-04-01", "943": "2023-04-01"}


def test_bcp_aliases_are_read_whole(resolver: LaResolver) -> None:
    # An alias containing a comma must survive both the lookup's and the overrides' CSV.
    assert resolver.row("839")["also_known_as"].split(";") == [
        "BCP", "Bournemouth, Christchurch & Poole"]
