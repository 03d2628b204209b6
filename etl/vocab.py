"""The model's controlled vocabulary and the normalisation of grade wording.

Grades arrive as "Requires improvement to be good", "RI", "Require improvement",
"Requires Improvement (Care Leavers: Good)", "n/a"... Every adapter goes through
`normalise_grade` so one spelling maps to one ordered grade everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Ordered best to worst; `GRADE_RANK` is what SQL sorts by too (sql/schema.sql mirrors it).
GRADES: tuple[str, ...] = ("outstanding", "good", "requires_improvement", "inadequate")
NOT_JUDGED = "not_judged"
ALL_GRADES: tuple[str, ...] = (*GRADES, NOT_JUDGED)
GRADE_RANK = {g: i + 1 for i, g in enumerate(GRADES)} | {NOT_JUDGED: 9}
GRADE_LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
    NOT_JUDGED: "Not judged",
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
}

FRAMEWORKS: tuple[str, ...] = ("SLAC", "LAC2013", "SIF", "ILACS")
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
