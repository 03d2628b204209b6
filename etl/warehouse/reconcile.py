"""Computed figures beside the figures published in papers (reference_figures), with the gap
explained: which LAs are missing from the collection or counted differently.

Figures from report-level data will not always equal published ones (missing reports,
different counting dates, first vs latest inspection); this shows both, never forces a match.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from etl.warehouse import queries

FAILING = ("adequate", "requires_improvement", "inadequate")  # grades.is_failing
# "Today" as the SQL defines it (sql/05_macros.sql): an LA inspected since the April 2026 change
# has no current overall grade and is not counted under its superseded one; grades as given.
TODAY_BASIS = {"superseded": "not_current", "wording": "at_the_time"}

# While reconciling the whole reference set, each named query's answer for the same parameters
# is read once: a release's figures (one per grade) share their LAs, dates and cut-off, so ~140
# queries are ~30 different ones (at 1000 times today's data each costs a tenth of a second).
_answers: contextvars.ContextVar[dict | None] = contextvars.ContextVar("answers", default=None)


@contextlib.contextmanager
def _answers_kept() -> Iterator[None]:
    token = _answers.set({} if _answers.get() is None else _answers.get())
    try:
        yield
    finally:
        _answers.reset(token)


def _run(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """queries.run, its answer kept while _answers_kept holds (callers must not change it)."""
    kept = _answers.get()
    if kept is None:
        return queries.run(con, name, **params)
    key = (id(con), name, tuple(sorted(params.items())))
    if key not in kept:
        kept[key] = queries.run(con, name, **params)
    return kept[key]


@dataclass
class Reconciled:
    figure_id: str
    source: str
    description: str
    published: float
    computed: float | None
    unit: str
    explanation: str

    @property
    def matches(self) -> bool:
        if self.computed is None:
            return False
        # A published range ("3.5-4 years") is kept as its two ends.
        if self.unit == "years_at_least":
            return self.computed >= self.published - 0.05
        if self.unit == "years_at_most":
            return self.computed <= self.published + 0.05
        tolerance = 0.005 if self.unit == "share" else 0
        return abs(self.computed - self.published) <= tolerance


def _count_or_share(dist: pd.DataFrame, grade: str, unit: str) -> float:
    dist = dist[dist["grade"] != "no_overall_grade"]  # outside every share
    judged = dist["n"].sum()
    n = dist.loc[dist["grade"].isin(FAILING), "n"].sum() if grade == "failing" else \
        dist.loc[dist["grade"] == grade, "n"].sum()
    return float(n / judged) if unit == "share" and judged else float(n)


def _missing_note(con: duckdb.DuckDBPyConnection, fig: pd.Series) -> str:
    lj = _run(con, "national/latest_judgements", as_at=fig.as_at, area=fig.area,
              framework=fig.framework, published_by=fig.published_by, which="latest",
              include_secondary=True, **TODAY_BASIS)
    missing = lj.loc[lj["grade"].isna(), "la_name"].tolist()
    secondary = lj.loc[lj["evidence"] == "secondary", "la_name"].tolist()
    parts = [f"{len(lj) - len(missing)} of {len(lj)} LAs existing on {fig.as_at:%d %b %Y} "
             f"have a published judgement"]
    if missing:
        parts.append(f"none for: {', '.join(missing[:20])}{' …' if len(missing) > 20 else ''}")
    if secondary:
        parts.append(f"from secondary evidence: {', '.join(secondary)}")
    return "; ".join(parts)


def _actual_end(con: duckdb.DuckDBPyConnection, fig: pd.Series) -> str:
    """What happened: when the cycle's coverage peaked in the collection."""
    p = _run(con, "cycle/cycle_progress", framework=fig.framework,
             from_date=fig.window_start,
             to_date=fig.window_start + dt.timedelta(days=365 * 6),
             cycle_start=fig.window_start)
    best = p.loc[p["share"].idxmax()]
    return (f"actual: {int(best['n_inspected'])} of {int(best['n_las'])} LAs had a published "
            f"{fig.framework} report in the collection by {pd.Timestamp(best['as_at']):%b %Y} "
            f"({(pd.Timestamp(best['as_at']).date() - fig.window_start).days / 365.25:.1f} years)")


def release_basis_count(con: duckdb.DuckDBPyConnection, fig: pd.Series) -> tuple[float, list[str]]:
    """The figure on the release's own basis: the LAs it names as a departure from its stated
    publication cut-off (departure_la_codes) counted with the judgement their later report
    gave, every other LA as the stated basis counts it. Returns the count and the LAs' names."""
    codes = [c for c in str(fig.departure_la_codes or "").split(";") if c]
    stated = _run(con, "national/latest_judgements", as_at=fig.as_at, area=fig.area,
                  framework=fig.framework, published_by=fig.published_by, which="latest",
                  include_secondary=True, **TODAY_BASIS)
    later = _run(con, "national/latest_judgements", as_at=fig.as_at, area=fig.area,
                 framework=fig.framework,
                 published_by=fig.as_at + dt.timedelta(days=366), which="latest",
                 include_secondary=True, **TODAY_BASIS)
    swapped = pd.concat([stated[~stated["la_code"].isin(codes)],
                         later[later["la_code"].isin(codes)]])
    dist = swapped.groupby("grade").size().rename("n").reset_index()
    return _count_or_share(dist, fig.grade, fig.unit), \
        later.loc[later["la_code"].isin(codes), "la_name"].tolist()


def _departure_note(con: duckdb.DuckDBPyConnection, fig: pd.Series, computed: float) -> str:
    """What the release's own departure from its basis explains (named LA and its Notes)."""
    on_release_basis, names = release_basis_count(con, fig)
    agrees = "matches" if abs(on_release_basis - float(fig.value)) < 1e-9 else "still differs"
    return (f"on the release's own basis ({', '.join(names) or 'the LAs it names'} counted with "
            f"the later report): {on_release_basis:g} ({agrees}); on its stated basis: "
            f"{computed:g}. Why: {fig.departure}")


@dataclass(frozen=True)
class CycleYears:
    """A projection of a cycle's completion made as at a date, in years from its start."""

    as_at: dt.date
    start: dt.date
    completion: dt.date
    earliest: dt.date | None
    latest: dt.date | None
    rate_per_month: float
    window_months: int

    @property
    def years(self) -> float:
        return (self.completion - self.start).days / 365.25

    def describe(self) -> str:
        band = (f" (band {self.earliest:%b %Y} – {self.latest:%b %Y})"
                if self.earliest and self.latest else "")
        return (f"rate {self.rate_per_month:.1f} LAs a month over {self.window_months} months; "
                f"completion projected {self.completion:%b %Y}{band}")


def cycle_years(con: duckdb.DuckDBPyConnection, framework: str, as_at: dt.date,
                start: dt.date, window_months: int = 12) -> CycleYears | None:
    """What a paper's "N years to complete the cycle" is computed as, here and on the Cycle
    page: the rate of first inspections over the last `window_months` (or since the
    framework's first report, if that is shorter: 33 reports in 9 months by Oct 2014), with
    every inspection under the framework counted."""
    p = _run(con, "cycle/cycle_projection", framework=framework, from_date=as_at,
             to_date=as_at, cycle_start=None, window_months=window_months)
    if p.empty or pd.isna(p["projected_completion"].iloc[-1]):
        return None
    row = p.iloc[-1]

    def day(v: object) -> dt.date | None:
        return None if pd.isna(v) else pd.Timestamp(v).date()

    return CycleYears(as_at=as_at, start=start, completion=day(row["projected_completion"]),
                      earliest=day(row["completion_earliest"]),
                      latest=day(row["completion_latest"]),
                      rate_per_month=float(row["rate_per_month"]),
                      window_months=int(row["window_months"]))


def reconcile_figure(con: duckdb.DuckDBPyConnection, fig: pd.Series) -> Reconciled:
    basis = fig.basis
    computed: float | None = None
    note = ""
    if basis == "published_in_window":
        rows = _run(con, "national/published_between", area=fig.area,
                    from_date=fig.window_start, to_date=fig.as_at,
                    framework=fig.framework)
        graded = rows[rows["grade"].notna() & (rows["grade"] != "not_judged")]
        dist = graded.groupby("grade").size().rename("n").reset_index()
        computed = _count_or_share(dist, fig.grade, fig.unit)
        bound = rows.loc[rows["publication_basis"] == "bound", "la_name"].tolist()
        note = (f"{len(rows)} {fig.framework} reports published {fig.window_start:%d %b %Y} – "
                f"{fig.as_at:%d %b %Y}, {len(graded)} with this judgement: "
                + ", ".join(f"{r.n} {r.grade.replace('_', ' ')}" for r in dist.itertuples()))
        if bound:
            note += f"; publication date known only as 'by {fig.as_at:%b %Y}': {', '.join(bound)}"
    elif basis == "latest_published":
        dist = _run(con, "national/grade_distribution", as_at=fig.as_at, area=fig.area,
                    framework=fig.framework, published_by=fig.published_by,
                    which="latest", include_secondary=True, **TODAY_BASIS)
        computed = _count_or_share(dist, fig.grade, fig.unit)
        note = _missing_note(con, fig)
        if fig.unit == "share":
            note = f"{_count_or_share(dist, fig.grade, 'count'):g} of {dist['n'].sum()}; " + note
        departure = getattr(fig, "departure", None)
        if isinstance(departure, str) and departure:
            note = _departure_note(con, fig, computed) + "; " + note
        if fig.published_by is None and fig.framework:
            # Papers often count inspections carried out by the date (reports published later)
            # and each LA's first inspection under the framework: show those bases too.
            later = fig.as_at + dt.timedelta(days=140)
            alt = [(f"latest, reports published by {later:%d %b %Y}", "latest"),
                   (f"first {fig.framework} inspection, reports published by {later:%d %b %Y}",
                    "first")]
            for label, which in alt:
                d = _run(con, "national/grade_distribution", as_at=fig.as_at,
                         area=fig.area, framework=fig.framework, published_by=later,
                         which=which, include_secondary=True, **TODAY_BASIS)
                note += (f"; {label}: {_count_or_share(d, fig.grade, fig.unit):g} "
                         f"(of {int(d['n_judged'].iloc[0])} judged)")
    elif basis in ("cycle_share", "cycle_count"):
        p = _run(con, "cycle/cycle_progress", framework=fig.framework,
                 from_date=fig.as_at, to_date=fig.as_at, cycle_start=fig.window_start)
        row = p.iloc[-1]
        computed = float(row["share"] if basis == "cycle_share" else row["n_inspected"])
        note = f"{int(row['n_inspected'])} of {int(row['n_las'])} LAs with a published inspection"
    elif basis == "cycle_years":
        years = cycle_years(con, fig.framework, fig.as_at, fig.window_start)
        if years is not None:
            computed = round(years.years, 2)
            note = years.describe() + "; " + _actual_end(con, fig)
    elif basis == "la_grade":
        r = _run(con, "la/judgement_near_date", la_code=fig.la_code, area=fig.area,
                 framework=fig.framework, as_at=fig.as_at)
        if len(r):
            computed = 1.0 if r.iloc[0]["grade"] == fig.grade else 0.0
            note = (f"report published {pd.Timestamp(r.iloc[0]['published_date']):%d %b %Y}: "
                    f"{r.iloc[0]['grade_text']!s} ({r.iloc[0]['source_id']})")
        else:
            note = "no inspection of this LA published within a month of that date"
    else:
        note = f"unknown basis {basis!r}"
    return Reconciled(fig.figure_id, fig.source, fig.description, float(fig.value), computed,
                      fig.unit, note)


RECONCILED_COLUMNS = ["figure_id", "description", "published", "computed", "unit", "matches",
                      "explanation", "source"]


def _reconciled_or_why(con: duckdb.DuckDBPyConnection, fig: Any) -> Reconciled:
    """reconcile_figure, or the figure with nothing computed and why: one figure that cannot be
    computed (a bug, or data it was not written for) must not hide the others."""
    try:
        return reconcile_figure(con, fig)
    except Exception as exc:  # noqa: BLE001 - reported in the figure's explanation
        return Reconciled(fig.figure_id, fig.source, fig.description, float(fig.value), None,
                          fig.unit, f"could not be computed: {type(exc).__name__}: {exc}")


def reconcile(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    figs = queries.run(con, "data/reference_figures")
    for c in ("as_at", "window_start", "published_by"):
        figs[c] = figs[c].map(lambda v: None if pd.isna(v) else pd.Timestamp(v).date())
    with _answers_kept():
        out = [_reconciled_or_why(con, f) for f in figs.itertuples(index=False)]
    return pd.DataFrame([{**o.__dict__, "matches": o.matches} for o in out],
                        columns=RECONCILED_COLUMNS)[RECONCILED_COLUMNS]


def store(con: duckdb.DuckDBPyConnection) -> None:
    """Write reconcile() and release_departures() into the tables of the same names made by
    sql/09_reconciliation.sql (the build calls this after its steps): the Data page reads them
    instead of reconciling on its first view, which at 1000 times today's data took minutes
    (issue 14). Reconciled together, the two read each named query's answer once."""
    with _answers_kept():
        for table, df in (("reconciliation", reconcile(con)),
                          ("release_departures", release_departures(con))):
            con.register("_reconciled", df)
            try:
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _reconciled")
            finally:
                con.unregister("_reconciled")



def release_departures(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Published figures of a release that departs from its own stated basis (reference
    figures with a `departure`, e.g. the 2023 'as at 31 March 2023' release counting South
    Tyneside, whose report came out after its cut-off), each beside the figure computed on the
    stated basis and on the release's own: figure_id, area, grade, published,
    computed_stated_basis, computed_release_basis, departure_las (names), departure (the
    release's words), source."""
    figs = queries.run(con, "data/reference_figures")
    figs = figs[figs["departure"].notna() & (figs["departure"] != "")]
    rows = []
    with _answers_kept():
        for fig in figs.itertuples(index=False):
            rows.append(_departure_row(con, fig))
    return pd.DataFrame(rows, columns=["figure_id", "area", "grade", "as_at", "published_by",
                                       "published", "computed_stated_basis",
                                       "computed_release_basis", "departure_las", "departure",
                                       "source"])


def _departure_row(con: duckdb.DuckDBPyConnection, fig: Any) -> dict[str, Any]:
    fig = fig._replace(**{c: None if pd.isna(getattr(fig, c)) else
                          pd.Timestamp(getattr(fig, c)).date()
                          for c in ("as_at", "window_start", "published_by")})
    dist = _run(con, "national/grade_distribution", as_at=fig.as_at, area=fig.area,
         framework=fig.framework, published_by=fig.published_by,
         which="latest", include_secondary=True, **TODAY_BASIS)
    stated = _count_or_share(dist, fig.grade, fig.unit)
    own, names = release_basis_count(con, fig)
    return {"figure_id": fig.figure_id, "area": fig.area, "grade": fig.grade,
            "as_at": fig.as_at, "published_by": fig.published_by,
            "published": float(fig.value), "computed_stated_basis": stated,
            "computed_release_basis": own, "departure_las": ", ".join(names),
            "departure": fig.departure, "source": fig.source}
