"""The two categories beyond the four-point grades that every grade chart, table and export
shows on its own where it occurs, and the one wording of how the shares treat them:

- **adequate**, the third grade of the pre-2013 scale (SLAC, child protection and the 2013
  looked-after-children inspections): counted with requires improvement or inadequate
  ("failing" in the seed papers: grades.is_failing), never as good or
  better; `wording := 'current'` folds it into requires improvement, as Ofsted's 2023 statistics
  print it;
- **no overall grade** (sql/05_macros.sql, judgements_as_at_series): an LA whose latest
  inspection started on or after frameworks.no_overall_from (20 April 2026) has no current
  overall effectiveness grade. By default (`superseded := 'not_current'`) it is a category of
  its own, outside the shares; `superseded := 'carry_forward'` counts it under its previous
  overall grade, flagged as superseded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from etl.figures.style import format_date
from etl.vocab import ADEQUATE, ILACS_REFORM_FROM, NO_OVERALL_GRADE

REFORM_FROM = dt.date.fromisoformat(ILACS_REFORM_FROM)
# "Requires improvement" came with the SIF on 1 November 2013, replacing "adequate".
REQUIRES_IMPROVEMENT_FROM = dt.date(2013, 11, 1)
# The macros' `superseded` and `wording` parameters, with the pages' and the CLI's labels.
SUPERSEDED = {
    "not_current": "No overall grade as a category of its own",
    "carry_forward": "Carry the previous overall grade forward (flagged as superseded)",
}
WORDING = {
    "at_the_time": "Grades as given at the time (adequate before 2013)",
    "current": "Ofsted's current wording (adequate shown as requires improvement)",
}
GOOD_OR_BETTER = ("outstanding", "good")  # grades.is_good_or_better
FAILING = (ADEQUATE, "requires_improvement", "inadequate")  # grades.is_failing


def plural(n: int, word: str = "LA") -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def adequate_note(wording: str = "at_the_time") -> str:
    """How the shares treat adequate (a footer line wherever it can show)."""
    if wording == "current":
        return ("Ofsted's current wording: the pre-2013 scale's 'adequate' is shown as requires "
                "improvement (as Ofsted's 2023 statistics print it) and counts with requires "
                "improvement or inadequate.")
    return ("Adequate (the pre-2013 scale's third grade: SLAC, child protection and 2013 "
            "looked-after-children inspections) is kept as given, not relabelled; the requires "
            "improvement or inadequate share counts it with requires improvement and "
            "inadequate, the good-or-better share does not.")


def no_overall_note(n: int, superseded: str = "not_current", *,
                    n_judged: int | None = None, where: str = "", shares: bool = True) -> str:
    """What happened to the LAs inspected since the April 2026 change (n of them, `where`:
    e.g. " in England")."""
    since = f"started on or after {format_date(REFORM_FROM)}"
    if superseded == "carry_forward":
        return (f"Superseded grades: {plural(n)}{where} inspected since the April 2026 change (an ILACS "
                f"inspection {since} gives no overall effectiveness grade) "
                f"{'is' if n == 1 else 'are'} counted under the previous overall grade, flagged "
                "as superseded.")
    base = (f" (shares are of the {plural(n_judged)} with a current overall grade)"
            if n_judged is not None else "")
    own = f"a category of their own, outside the shares{base}" if shares else \
        "a category of their own"
    return (f"No overall grade: {plural(n)}{where} whose latest inspection {since}, since when "
            f"ILACS gives no overall effectiveness grade; {own}.")


def notes(grades: Iterable[object], *, wording: str = "at_the_time",
          superseded: str = "not_current", n_superseded: int = 0,
          n_judged: int | None = None, shares: bool = True) -> list[str]:
    """The footer lines a grade chart or table needs for the categories it shows: adequate
    (or the current wording), no overall grade, superseded grades carried forward."""
    shown = [g for g in grades if isinstance(g, str)]
    out = []
    if ADEQUATE in shown or wording == "current":
        out.append(adequate_note(wording))
    n_none = shown.count(NO_OVERALL_GRADE)
    if n_none:
        out.append(no_overall_note(n_none, "not_current", n_judged=n_judged, shares=shares))
    if n_superseded:
        out.append(no_overall_note(n_superseded, "carry_forward"))
    return out


def counted_notes(counts: dict[str, int], **kwargs: object) -> list[str]:
    """`notes` from counts per category ({grade: n}) rather than one value per LA."""
    grades: list[str] = []
    for g, n in counts.items():
        grades.extend([g] * int(n))
    return notes(grades, **kwargs)  # type: ignore[arg-type]


def grades_not_yet_given(as_at: dt.date | None) -> set[str]:
    """Grades no LA could hold at `as_at`, left out of charts and tables then rather than shown
    as 0: before November 2013 a "requires improvement 0" would read as a finding."""
    if as_at is not None and as_at < REQUIRES_IMPROVEMENT_FROM:
        return {"requires_improvement"}
    return set()
