"""The model's controlled vocabulary and the normalisation of grade wording.

Grades arrive as "Requires improvement to be good", "RI", "Require improvement",
"Requires Improvement (Care Leavers: Good)", "n/a"... Every adapter goes through
`normalise_grade` so one spelling maps to one ordered grade everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Ordered best to worst; `GRADE_RANK` is what SQL sorts by too (sql/01_schema.sql mirrors it).
# GRADES is the four-point scale in force since the SIF (November 2013).
GRADES: tuple[str, ...] = ("outstanding", "good", "requires_improvement", "inadequate")
NOT_JUDGED = "not_judged"
ALL_GRADES: tuple[str, ...] = (*GRADES, NOT_JUDGED)
# The scale before it (SLAC 2009-2012, child protection inspections 2012-13, the 2013
# looked-after-children inspections): outstanding, good, *adequate*, inadequate. Adequate is
# its own grade, ranked beside requires improvement (the third point of a four-point scale),
# never mapped to it: the words and the meaning at the time differ.
ADEQUATE = "adequate"
PRE_2013_GRADES: tuple[str, ...] = ("outstanding", "good", ADEQUATE, "inadequate")
# Every grade a judgement can carry, on either scale, best to worst.
JUDGEMENT_GRADES: tuple[str, ...] = ("outstanding", "good", ADEQUATE, "requires_improvement",
                                     "inadequate", NOT_JUDGED)
# Not a grade but a category of the "as at" macros (sql/05_macros.sql): an LA whose latest
# inspection started after the April 2026 change, which gives no overall effectiveness grade.
NO_OVERALL_GRADE = "no_overall_grade"
GRADE_RANK = {g: i + 1 for i, g in enumerate(GRADES)} | {ADEQUATE: 3, NO_OVERALL_GRADE: 8,
                                                         NOT_JUDGED: 9}
GRADE_SCALE = {g: "four_point" for g in GRADES} | {ADEQUATE: "pre_2013", NOT_JUDGED: "four_point",
                                                   NO_OVERALL_GRADE: "post_2026"}
GRADE_LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
    NOT_JUDGED: "Not judged",
}
EXTRA_GRADE_LABELS = {
    ADEQUATE: "Adequate (pre-2013 scale)",
    NO_OVERALL_GRADE: "No overall grade: inspected since the April 2026 change",
}

AREAS: tuple[str, ...] = (
    "overall_effectiveness",
    "help_and_protection",
    "children_looked_after",
    "adoption",
    "care_leavers",
    "children_in_care_and_care_leavers",
    "leadership",
    "lscb",
    # Pre-SIF frameworks (the 2023 official statistics' LA history, the 2013 reports)
    "safeguarding",
    "capacity_to_improve",
    "lac_outcomes",
    "quality_of_provision",
)
AREA_LABELS = {
    "overall_effectiveness": "Overall effectiveness",
    "help_and_protection": "Children who need help and protection",
    "children_looked_after": "Children looked after / in care",
    "adoption": "Adoption performance",
    "care_leavers": "Care leavers",
    "children_in_care_and_care_leavers": "Children in care and care leavers (ILACS to 2022)",
    "leadership": "Leadership / impact of leaders",
    "lscb": "LSCB effectiveness",
    "safeguarding": "Safeguarding services (SLAC)",
    "capacity_to_improve": "Capacity to improve (2013 looked-after children)",
    "lac_outcomes": "Outcomes for looked after children (2013)",
    "quality_of_provision": "Quality of provision (2013 looked-after children)",
}

# Every framework since 2009, oldest first (sql/01_schema.sql `frameworks` describes each):
# SLAC: safeguarding and looked after children inspections (2009-2012) and re-inspections;
# CPI: inspections of LA arrangements for the protection of children (2012-13) and their
# re-inspections (CPRI); LAC2013: the 2013 targeted inspections of looked-after children
# services (the official statistics' "TLAC"); SIF (Nov 2013-2018); ILACS (2018-); and the local
# area SEND inspections (AREA_SEND from 2023, AREA_SEND_2016 before), graded on a scale of their own.
FRAMEWORKS: tuple[str, ...] = ("SLAC", "CPI", "LAC2013", "SIF", "ILACS", "AREA_SEND",
                               "AREA_SEND_2016")
# Frameworks graded on the pre-2013 scale (with "adequate" where SIF says requires improvement).
PRE_2013_FRAMEWORKS = frozenset({"SLAC", "CPI", "LAC2013"})
# the frameworks whose reports the product reads as text (search, themes, the briefing paper)
TEXT_FRAMEWORKS: tuple[str, ...] = ("SIF", "ILACS", "LAC2013")
INSPECTION_TYPES: tuple[str, ...] = (
    "full",
    "re-inspection",
    "lscb_review",
    "standard",
    "short",
    "focused_visit",
    "monitoring_visit",
    "jtai",
)
VISIT_TYPES = frozenset({"focused_visit", "monitoring_visit", "jtai"})

# ILACS inspections from this date give separate children-in-care and care-leaver judgements.
ILACS_SPLIT_CARE_FROM = "2023-01-01"
# Inspections starting from late April 2026 no longer give an overall effectiveness grade.
ILACS_REFORM_FROM = "2026-04-20"


# Area SEND: the joint Ofsted/CQC inspection of the local area partnership (not of the LA's
# children's services). The 2023 framework (inspections from January 2023) gives one outcome on
# a three-point scale of its own, best first, never mapped onto the four-point grades; it is
# kept out of AREAS so that no four-point page or figure offers it. The 2016-2022 framework
# (AREA_SEND_2016) gave no graded outcome: a letter, and a written statement of action when
# there were significant weaknesses.
AREA_SEND_AREA = "area_send_outcome"
AREA_SEND_GRADES: tuple[str, ...] = ("positive", "inconsistent", "systemic_failings")
AREA_SEND_LABELS = {
    "positive": "Positive experiences and outcomes",
    "inconsistent": "Inconsistent experiences and outcomes",
    "systemic_failings": "Widespread and/or systemic failings",
}


AREA_SEND_FRAMEWORKS = frozenset({"AREA_SEND", "AREA_SEND_2016"})


def scale_of(framework: str) -> str:
    """The grade scale a framework's judgements are on: 'pre_2013', 'area_send' or
    'four_point'."""
    if framework in PRE_2013_FRAMEWORKS:
        return "pre_2013"
    if framework in AREA_SEND_FRAMEWORKS:
        return "area_send"
    return "four_point"


class UnknownGrade(ValueError):
    """Raised for grade wording that maps to no grade; the caller quarantines the row."""


@dataclass(frozen=True)
class NormalisedGrade:
    grade: str
    # Sub-grades packed into the same cell by council papers, e.g.
    # "Requires Improvement (Care Leavers: Good)" -> {"care_leavers": "good"}.
    sub_grades: dict[str, str]
    text: str


_GRADE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^outstanding$"), "outstanding"),
    (re.compile(r"^good$"), "good"),
    (re.compile(r"^(requires?|required)[ _-]*improvement( to be good)?$"), "requires_improvement"),
    (re.compile(r"^ri$"), "requires_improvement"),
    (re.compile(r"^inadequate$"), "inadequate"),
    (re.compile(r"^adequate$"), ADEQUATE),
    (re.compile(r"^(not judged|not_judged|n/?a|not applicable|none)$"), NOT_JUDGED),
]

_SUB_AREA_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"care leavers?"), "care_leavers"),
    (re.compile(r"children in care|children looked after|\bcic\b|\bcla\b"), "children_looked_after"),
    (re.compile(r"adoption"), "adoption"),
    (re.compile(r"child protection|help and protection"), "help_and_protection"),
    (re.compile(r"leadership"), "leadership"),
    (re.compile(r"lscb"), "lscb"),
]


def _clean(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\xa0", " ")
    text = re.sub(r"\s+", " ", text).strip().strip(".").strip()
    return text.lower()


def grade_or_none(text: str) -> str | None:
    """The grade for a bare grade word, or None when the words are not a grade."""
    cleaned = _clean(text)
    for pattern, grade in _GRADE_PATTERNS:
        if pattern.match(cleaned):
            return grade
    return None


def normalise_grade(text: str) -> NormalisedGrade:
    """Map one cell of grade wording to the model's grade, keeping bracketed sub-grades.

    Raises UnknownGrade when the wording is not a grade we know: a guess would
    silently change a published figure.
    """
    if text is None or not str(text).strip():
        raise UnknownGrade("empty grade")
    original = str(text).strip()
    main, _, bracket = original.partition("(")
    grade = grade_or_none(main)
    if grade is None:
        raise UnknownGrade(f"unknown grade wording {original!r}")
    sub_grades: dict[str, str] = {}
    if bracket:
        inner = bracket.rsplit(")", 1)[0]
        # "Adoption: Outstanding; Care Leavers: Requires Improvement"
        for part in inner.split(";"):
            if ":" not in part:
                raise UnknownGrade(f"unreadable sub-grade {part!r} in {original!r}")
            areas_text, _, sub_text = part.partition(":")
            # "Good CIC" style trailers: the first grade words win
            sub_grade = grade_or_none(sub_text)
            if sub_grade is None:
                sub_grade = grade_or_none(sub_text.strip().split(" ")[0])
            if sub_grade is None:
                raise UnknownGrade(f"unknown sub-grade {sub_text.strip()!r} in {original!r}")
            areas_clean = re.sub(
                r"leadership,? (&|and) management( and governance)?", "leadership", _clean(areas_text)
            )
            for name in re.split(r",|&|\band\b", areas_clean):
                name = name.strip()
                if not name:
                    continue
                area = next((a for p, a in _SUB_AREA_WORDS if p.search(name)), None)
                if area is None:
                    raise UnknownGrade(f"unknown sub-grade area {name!r} in {original!r}")
                sub_grades[area] = sub_grade
    return NormalisedGrade(grade=grade, sub_grades=sub_grades, text=original)


def grade_on_scale(grade: str, framework: str) -> None:
    """Refuse a grade the framework's scale does not have (UnknownGrade): "adequate" on a SIF
    or ILACS inspection, or "requires improvement" on a pre-2013 one, is a misread, not a grade.
    """
    if grade in (NOT_JUDGED,):
        return
    scale = scale_of(framework)
    allowed = {"pre_2013": PRE_2013_GRADES, "area_send": AREA_SEND_GRADES}.get(scale, GRADES)
    if grade not in allowed:
        raise UnknownGrade(f"{grade.replace('_', ' ')!r} is not on the {framework} grade scale "
                           f"({', '.join(allowed)})")


# The three outcome statements as the 2023 framework words them ("The local area partnership's
# arrangements typically lead to positive experiences and outcomes for children and young
# people with SEND", "... lead to inconsistent experiences and outcomes ...", "There are
# widespread and/or systemic failings leading to significant concerns ..."). Each pattern
# names the one phrase that tells the outcomes apart; text matching two of them, or none, is
# not an outcome we can read.
_AREA_SEND_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\btypically lead to positive experiences and outcomes\b"), "positive"),
    (re.compile(r"\blead to inconsistent experiences and outcomes\b"), "inconsistent"),
    (re.compile(r"\bwidespread and/or systemic failings\b"), "systemic_failings"),
)


def normalise_area_send_outcome(text: str) -> str:
    """The area SEND outcome (AREA_SEND_GRADES) an outcome statement gives.

    Raises UnknownGrade for wording that states none of the three outcomes, or more than one.
    """
    if text is None or not str(text).strip():
        raise UnknownGrade("empty area SEND outcome")
    cleaned = _clean(str(text))
    found = {grade for pattern, grade in _AREA_SEND_PATTERNS if pattern.search(cleaned)}
    if len(found) != 1:
        what = "no" if not found else "more than one"
        short = " ".join(str(text).split())[:160]
        raise UnknownGrade(f"{what} area SEND outcome in {short!r}")
    return found.pop()


# Children's social care providers (Ofsted's provider-level statistics): the provision types,
# (code, label, counted among "all children's homes"), in Ofsted's table order. sql/01_schema.sql
# mirrors this in `provider_types`.
PROVIDER_TYPES: tuple[tuple[str, str, bool], ...] = (
    ("childrens_home", "Children's home", True),
    ("rss_childrens_home", "Residential special school (registered as a children's home)", True),
    ("secure_childrens_home", "Secure children's home", True),
    ("independent_fostering_agency", "Independent fostering agency", False),
    ("voluntary_adoption_agency", "Voluntary adoption agency", False),
    ("residential_special_school", "Residential special school", False),
    ("boarding_school", "Boarding school", False),
    ("residential_family_centre", "Residential family centre", False),
    ("adoption_support_agency", "Adoption support agency", False),
    ("fe_college_residential", "Further education college with residential accommodation", False),
    ("residential_holiday_scheme", "Residential holiday scheme for disabled children", False),
    ("secure_training_centre", "Secure training centre", False),
)
# Groups Ofsted's national tables report beside the types.
PROVIDER_GROUPS: tuple[tuple[str, str], ...] = (
    ("all", "All providers"),
    ("all_childrens_homes", "All children's homes"),
)
# Other wordings of a type or group in Ofsted's tables (as `provider_type_key` gives them).
_PROVIDER_ALIASES = {
    "voluntary adoption agency branch": "voluntary_adoption_agency",  # the providers series
    "all": "all",
    "all provider": "all",
    "all children home": "all_childrens_homes",
}


class UnknownProviderType(ValueError):
    """Provision type wording that names no type or group we know; the row is quarantined."""


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ches"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def provider_type_key(text: str) -> str:
    """A spelling-insensitive key: "Children's Homes" == "children's home" == "Childrens home"."""
    s = str(text).lower().replace("\u2019", "").replace("'", "")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(_singular(w) for w in s.split())


_PROVIDER_BY_KEY = {
    **{provider_type_key(label): code for code, label, _ in PROVIDER_TYPES},
    **{provider_type_key(label): code for code, label in PROVIDER_GROUPS},
    **_PROVIDER_ALIASES,
}
PROVIDER_TYPE_CODES = frozenset(code for code, _, _ in PROVIDER_TYPES)


def normalise_provider_type(text: str, *, groups: bool = False) -> str:
    """The provider type code for Ofsted's wording; `groups` also allows 'all' and
    'all_childrens_homes'. Raises UnknownProviderType (never guesses)."""
    if text is None or not str(text).strip():
        raise UnknownProviderType("empty provision type")
    code = _PROVIDER_BY_KEY.get(provider_type_key(text))
    if code is None or (code not in PROVIDER_TYPE_CODES and not groups):
        raise UnknownProviderType(f"unknown provision type {str(text).strip()!r}")
    return code
