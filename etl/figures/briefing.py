"""A briefing paper on the reports published in a period, for any set of LAs: seed 004 (Kent's
"Ofsted inspection mapping" of the first year of SIF reports) regenerated from the reports
themselves.

    gather(con, scope) -> Briefing     runs the named queries (sql/queries/reports/briefing_*,
                                       published_figures, paper_tables; the window's grades from
                                       published_between, the National page's SQL for a window)
    compose(scope, ...) -> Briefing    pure: query results -> the document model
    to_markdown(briefing) -> str       the model as Markdown
    etl.figures.briefing_docx.to_docx  the model as a Word document (python-docx)

The document follows the seed: key themes of well-performing authorities (what inspectors
praise in reports on good or outstanding ones), key themes of authorities that perform poorly
(what they criticise in reports on those that require improvement or are inadequate, and what
the reports say must improve), each with counts and quotes that name the LA, the report and
the page; the period's grade statistics beside any figures a paper published for the same
window (and that paper's own table, where it differs from its text); the share of LAs
inspected; the list of reports; the method, source and licence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from etl import OGL_ATTRIBUTION
from etl.figures.chart import FRAMEWORK_START, NoData, data_status
from etl.figures.style import format_date, format_pct, list_phrase
from etl.vocab import AREA_LABELS, EXTRA_GRADE_LABELS, GRADE_LABELS, GRADES, TEXT_FRAMEWORKS
from etl.warehouse import queries

FRAMEWORK_NAMES = {
    "SIF": "single inspection framework (SIF)",
    "ILACS": "inspections of local authority children's services (ILACS)",
    "LAC2013": "2013 inspections of looked-after children services",
}
BANDS = {"good_or_better": "good or outstanding", "failing": "requires improvement or inadequate"}
STAT_AREAS = ("overall_effectiveness", "lscb")
TYPE_LABELS = {"full": "full inspection", "re-inspection": "re-inspection",
               "lscb_review": "LSCB review", "standard": "standard inspection",
               "short": "short inspection"}
SOURCE_LINE = ("Source: Ofsted inspection reports of local authority children's services "
               "(reports.ofsted.gov.uk), Crown copyright; Inspection Outcomes analysis. "
               f"{OGL_ATTRIBUTION}.")
# A theme counts as mentioned by a report at this many mentions per 10,000 words (theme_shares'
# default: once in a typical SIF report).
MIN_RATE = 1.0
QUOTE_SPARES = 3


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Scope:
    """What a briefing covers: reports published from `published_from` to `published_to`
    (inclusive) under `framework` (None: every children's services framework), of the LAs in
    `las` (DfE codes; None: every LA), which `group` names ("Nottinghamshire's statistical
    neighbours"). `themes_well`/`themes_poor`: themes in each section at most; `quotes`: quotes
    per theme."""

    published_from: dt.date
    published_to: dt.date
    framework: str | None = None
    las: tuple[str, ...] | None = None
    group: str | None = None
    themes_well: int = 10
    themes_poor: int = 6
    quotes: int = 2
    group_detail: str | None = None  # who is in the group, for the introduction
    # how `las` was chosen, for the command that regenerates the paper
    neighbours_of: str | None = None
    vintage: str = "current"
    region: str | None = None

    def __post_init__(self) -> None:
        if self.published_from > self.published_to:
            raise ValueError(f"the period starts ({self.published_from}) after it ends "
                             f"({self.published_to})")
        if self.framework is not None and self.framework not in TEXT_FRAMEWORKS:
            raise ValueError(f"framework must be one of {TEXT_FRAMEWORKS} or None, "
                             f"not {self.framework!r}")
        if self.las is not None and not self.las:
            raise ValueError("an empty set of LAs: give None for every LA")
        if min(self.themes_well, self.themes_poor, self.quotes) < 1:
            raise ValueError("themes and quotes must be at least 1")

    @property
    def las_arg(self) -> str | None:
        """The named queries' `las` parameter: comma-separated DfE codes."""
        return ",".join(self.las) if self.las else None


@dataclass(frozen=True)
class Quote:
    text: str
    la_code: str
    la_name: str
    published: dt.date | None
    page: int
    heading: str
    report_url: str | None

    @property
    def link(self) -> str | None:
        """The report at the quote's page (PDF viewers honour #page=N)."""
        return f"{self.report_url}#page={self.page}" if self.report_url else None

    @property
    def citation(self) -> str:
        when = f"report published {format_date(self.published)}" if self.published else "report"
        return f"{self.la_name}, {when}, page {self.page}"


@dataclass(frozen=True)
class ThemeFinding:
    theme_id: str
    label: str
    description: str
    band: str  # good_or_better (section 2) or failing (section 3)
    n_reports: int  # reports of the band with text
    n_judging: int  # of them, reports with a sentence praising (or criticising) the theme
    n_sentences: int
    n_mentioning: int  # reports mentioning it at least MIN_RATE times per 10,000 words
    rate: float  # mentions per 10,000 words, this band
    other_rate: float | None  # the other band's
    n_points: int  # improvement points carrying it
    n_reports_with_points: int
    quotes: tuple[Quote, ...]

    @property
    def short_label(self) -> str:
        """'Challenge and scrutiny' for 'Challenge and scrutiny: IRO, CP chairs, ...'."""
        return self.label.split(":")[0]

    @property
    def counts(self) -> str:
        """One sentence of counts, the finding's evidence."""
        if self.band == "good_or_better":
            # "praised in 9 of 9" would claim more than a word-list match shows: say what
            # was counted and how it was found
            text = (f"Sentences praising it, found by word lists (section 5), in "
                    f"{self.n_judging} of the {self.n_reports} reports on good or outstanding "
                    f"authorities ({_n(self.n_sentences, 'sentence')}).")
        else:
            text = (f"Sentences criticising it, found by word lists (section 5), in "
                    f"{self.n_judging} of the {self.n_reports} reports on authorities that "
                    f"require improvement or are inadequate ({_n(self.n_sentences, 'sentence')})")
            text += (f"; it is among what must improve in {self.n_reports_with_points} of the "
                     f"{self.n_reports} ({_n(self.n_points, 'improvement point')})."
                     if self.n_points else ".")
        other = ("reports on failing authorities" if self.band == "good_or_better"
                 else "reports on good or outstanding authorities")
        text += f" Mentioned {self.rate:.1f} times per 10,000 words"
        text += f" (in {other}: {self.other_rate:.1f})." if self.other_rate is not None else "."
        return text


@dataclass(frozen=True)
class GradeRow:
    grade: str
    label: str
    n: int  # computed from the reports' grades
    published: float | None = None  # the paper's text
    paper_table: int | None = None  # the paper's own table (an annex)


@dataclass(frozen=True)
class GradeTable:
    area: str
    label: str
    rows: tuple[GradeRow, ...]
    n_reports: int  # reports in the window, whether or not they give this judgement
    published_source: str | None = None
    paper_table_source: str | None = None
    published_failing: float | None = None
    notes: tuple[str, ...] = ()

    @property
    def n_judged(self) -> int:
        return sum(r.n for r in self.rows if r.grade in GRADES)

    @property
    def n_failing(self) -> int:
        return sum(r.n for r in self.rows if r.grade in ("requires_improvement", "inadequate"))

    @property
    def share_failing(self) -> float | None:
        return self.n_failing / self.n_judged if self.n_judged else None

    def total(self, column: str) -> int | None:
        values = [getattr(r, column) for r in self.rows if r.grade in GRADES]
        if any(v is None for v in values):
            return None
        return int(sum(values))


@dataclass(frozen=True)
class Coverage:
    n_inspected: int
    n_las: int
    what: str  # "local authorities in England on 31 October 2014", "Nottinghamshire's ..."
    is_group: bool = False
    published_share: float | None = None
    projection: str | None = None

    @property
    def share(self) -> float:
        return self.n_inspected / self.n_las if self.n_las else 0.0

    @property
    def sentence(self) -> str:
        """'33 of the 152 local authorities in England on 31 October 2014 (22%) had a report
        published in the period (the paper: 22%).'"""
        if self.is_group:
            text = (f"{self.n_inspected} of the {self.n_las} authorities chosen ({self.what}; "
                    f"{format_pct(self.share)}) had a report published in the period")
        else:
            text = (f"{self.n_inspected} of the {self.n_las} {self.what} "
                    f"({format_pct(self.share)}) had a report published in the period")
        if self.published_share is not None:
            text += f" (the paper: {format_pct(self.published_share)})"
        return text + "."


@dataclass(frozen=True)
class ReportRow:
    la_code: str
    la_name: str
    published: dt.date | None
    inspection_type: str
    framework: str
    overall: str
    lscb: str
    report_url: str | None
    note: str


@dataclass(frozen=True)
class Briefing:
    scope: Scope
    title: str
    subtitle: str
    summary: tuple[str, ...]
    introduction: tuple[str, ...]
    well: tuple[ThemeFinding, ...]
    poor: tuple[ThemeFinding, ...]
    statistics: tuple[GradeTable, ...]
    coverage: Coverage
    reports: tuple[ReportRow, ...]
    method: tuple[str, ...]
    source: str
    freshness: str
    generated: dt.date = field(default_factory=dt.date.today)


# --------------------------------------------------------------------------- wording


def _n(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def grade_label(grade: object) -> str:
    if not isinstance(grade, str) or not grade:
        return ""
    return {**GRADE_LABELS, **EXTRA_GRADE_LABELS}.get(grade, grade.replace("_", " "))


def period_phrase(start: dt.date, end: dt.date) -> str:
    """'November 2013 – October 2014' for whole months, '3 March 2023 – 20 August 2026'
    otherwise."""
    whole = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if whole:
        return f"{start:%B %Y} – {end:%B %Y}" if (start.year, start.month) != (
            end.year, end.month) else f"{start:%B %Y}"
    return f"{format_date(start)} – {format_date(end)}"


def reports_phrase(scope: Scope) -> str:
    """'SIF reports published November 2013 – October 2014', 'ILACS reports of
    Nottinghamshire's statistical neighbours published 1 January 2023 – 20 August 2026'."""
    what = f"{scope.framework} reports" if scope.framework else "Reports"
    if scope.group:
        what += f" of {scope.group}"
    return f"{what} published {period_phrase(scope.published_from, scope.published_to)}"


def in_sentence(text: str) -> str:
    """A phrase inside a sentence: 'Reports published' -> 'reports published'; an acronym
    ('SIF reports', 'LSCB effectiveness') stays as it is."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def is_ofsted_url(url: str | None) -> bool:
    """A link to Ofsted's own site (a report), not to a news story about an inspection."""
    return bool(url) and re.match(r"https://([a-z0-9-]+\.)*ofsted\.gov\.uk/", url) is not None


def clean_description(text: str) -> str:
    """A theme's description without the dictionary's references to the seed paper (a reader
    never sees a seed's number)."""
    return re.sub(r"\s*\(seed \d+[^)]*\)", "", str(text)).strip()



def paper_name(source: str) -> str:
    """'seed 004 (Kent CC cabinet committee paper, 3 Dec 2014)' -> the part in brackets."""
    m = re.fullmatch(r"seed \d+ \((.*)\)", str(source).strip())
    return m.group(1) if m else str(source)


def _date(v: object) -> dt.date | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return pd.Timestamp(v).date()


def _str(v: object) -> str:
    return v if isinstance(v, str) else ""


# --------------------------------------------------------------------------- composing


def _quotes(quotes: pd.DataFrame, theme_id: str, band: str) -> tuple[Quote, ...]:
    rows = quotes[(quotes["theme_id"] == theme_id) & (quotes["grade_band"] == band)]
    return tuple(
        Quote(text=str(r.sentence), la_code=str(r.la_code), la_name=str(r.la_name),
              published=_date(r.published_date), page=int(r.page), heading=_str(r.heading),
              report_url=_str(r.report_url) or None)
        for r in rows.sort_values("quote_rank").itertuples())


def findings(themes: pd.DataFrame, quotes: pd.DataFrame, band: str, limit: int,
             n_quotes: int = 2) -> tuple[ThemeFinding, ...]:
    """The key themes of one band, best first, each with counts and `n_quotes` quotes.

    Well-performing (good_or_better): ranked by the share of the band's reports that praise the
    theme, then by praising sentences per report. Poorly performing (failing): by the share of
    reports that criticise it, then by the reports whose improvement lists carry it, then by
    criticising sentences. A theme no report of the band judges (no quote) is left out. A
    sentence that carries several themes is quoted once, under the first of them: `quotes`
    holds a few more candidates per theme than are quoted.
    """
    if band not in BANDS:
        raise ValueError(f"band must be one of {list(BANDS)}, not {band!r}")
    mine = themes[themes["grade_band"] == band]
    other = themes[themes["grade_band"] != band].set_index("theme_id")
    stats = (quotes[quotes["grade_band"] == band]
             .groupby("theme_id")[["n_sentences", "n_reports"]].first())
    out = []
    for r in mine.itertuples():
        if r.theme_id not in stats.index:
            continue
        candidates = _quotes(quotes, r.theme_id, band)
        if not candidates:
            continue
        other_rate = (float(other.loc[r.theme_id, "mean_per_10k_words"])
                      if r.theme_id in other.index else None)
        out.append(ThemeFinding(
            theme_id=r.theme_id, label=str(r.label), description=clean_description(r.description),
            band=band, n_reports=int(r.n_reports),
            n_judging=int(stats.loc[r.theme_id, "n_reports"]),
            n_sentences=int(stats.loc[r.theme_id, "n_sentences"]),
            n_mentioning=int(r.n_reports_mentioning), rate=float(r.mean_per_10k_words),
            other_rate=other_rate, n_points=int(r.n_points_tagged),
            n_reports_with_points=int(r.n_reports_with_points), quotes=candidates))

    def key(f: ThemeFinding) -> tuple:
        judged = f.n_judging / f.n_reports if f.n_reports else 0.0
        per_report = f.n_sentences / f.n_reports if f.n_reports else 0.0
        if band == "good_or_better":
            return (-judged, -per_report, f.label)
        return (-judged, -f.n_reports_with_points, -per_report, f.label)

    chosen, used = [], set()
    for f in sorted(out, key=key):
        fresh = [q for q in f.quotes if q.text not in used][:n_quotes]
        if not fresh:
            continue
        used.update(q.text for q in fresh)
        chosen.append(dataclasses.replace(f, quotes=tuple(fresh)))
        if len(chosen) == limit:
            break
    return tuple(chosen)


def grade_tables(reports: pd.DataFrame, published: pd.DataFrame,
                 paper_tables: pd.DataFrame) -> tuple[GradeTable, ...]:
    """Overall effectiveness (always) and LSCB (where the window has LSCB grades) by grade:
    computed from the reports' grades, with a paper's published figures for the same window
    and that paper's own table where there are such, and a note on every difference."""
    out = []
    for area in STAT_AREAS:
        col = "overall_grade" if area == "overall_effectiveness" else "lscb_grade"
        grades = reports[col].dropna()
        pub = published[(published["area"] == area) & (published["unit"] == "count")]
        if area == "lscb" and grades.empty and pub.empty:
            continue
        pub_by = dict(zip(pub["grade"], pub["value"], strict=True))
        tab = paper_tables[paper_tables["area"] == area]
        tab_by = dict(zip(tab["grade"], tab["n"], strict=True))
        extra = [g for g in dict.fromkeys(grades) if g not in GRADES]
        rows = [GradeRow(g, grade_label(g), int((grades == g).sum()),
                         float(pub_by[g]) if g in pub_by else None,
                         int(tab_by.get(g, 0)) if len(tab) else None)
                for g in (*GRADES, *extra)]
        share = published[(published["area"] == area) & (published["unit"] == "share")
                          & (published["grade"] == "failing")]
        table = GradeTable(
            area=area, label=AREA_LABELS.get(area, area), rows=tuple(rows),
            n_reports=len(reports),
            published_source=paper_name(pub["source"].iloc[0]) if len(pub) else None,
            paper_table_source=str(tab["title"].iloc[0]) if len(tab) else None,
            published_failing=float(share["value"].iloc[0]) if len(share) else None)
        out.append(_with_notes(table))
    return tuple(out)


def _with_notes(t: GradeTable) -> GradeTable:
    """The table with a sentence for each way a paper's figures differ from the reports'."""
    notes = []
    what = "LSCBs" if t.area == "lscb" else "authorities"
    if t.published_source:
        differ = [r for r in t.rows if r.published is not None and r.published != r.n]
        if differ:
            text_total = sum(int(r.published) for r in t.rows if r.published is not None)
            parts = [f"{int(r.published)} {r.label.lower()} (the reports: {r.n})" for r in differ]
            note = (f"The paper's text ({t.published_source}) gives {list_phrase(parts)}, "
                    f"{text_total} {what} in all against {t.n_judged} graded in the reports")
            tab_differ = [r for r in differ if r.paper_table is not None]
            if tab_differ and all(r.paper_table == r.n for r in tab_differ):
                own = ("its annex" if "annex" in (t.paper_table_source or "").lower()
                       else "its own table")
                note += f"; {own} agrees with the reports, so its text miscounts"
            note += "."
            notes.append(note)
        if t.published_failing is not None and t.share_failing is not None \
                and format_pct(t.published_failing) != format_pct(t.share_failing):
            pub_n = [r.published for r in t.rows if r.published is not None]
            text_share = ""
            if len(pub_n) == len(GRADES) and sum(pub_n):
                failing = sum(r.published for r in t.rows
                              if r.grade in ("requires_improvement", "inadequate")
                              and r.published is not None)
                text_share = (f"; its own counts give {int(failing)} of {int(sum(pub_n))} "
                              f"({format_pct(failing / sum(pub_n))})")
            if text_share.endswith(f"{t.n_failing} of {t.n_judged} "
                                   f"({format_pct(t.share_failing)})"):
                text_share = "; so do its own counts"
            notes.append(f"The paper says {format_pct(t.published_failing)} of {what} failed to "
                         f"meet the required standard (requires improvement or inadequate); "
                         f"the reports give {t.n_failing} of {t.n_judged} "
                         f"({format_pct(t.share_failing)}){text_share}.")
    if t.paper_table_source:
        tab_differ = [r for r in t.rows if r.paper_table is not None and r.paper_table != r.n]
        if tab_differ:
            parts = [f"{r.paper_table} {r.label.lower()} (the reports: {r.n})"
                     for r in tab_differ]
            notes.append(f"The paper's table ({t.paper_table_source}) gives "
                         f"{list_phrase(parts)}.")
    not_graded = t.n_reports - t.n_judged
    if not_graded > 0:
        notes.append(f"{_n(not_graded, 'report')} of the period "
                     f"{'gives' if not_graded == 1 else 'give'} no "
                     f"{in_sentence(t.label)} grade on the four-point scale "
                     + ("(LSCB reviews were part of most SIF inspections, not all)."
                        if t.area == "lscb" else
                        "(inspections since the April 2026 change give none; earlier "
                        "frameworks graded on another scale)."))
    return dataclasses.replace(t, notes=tuple(notes))


def report_rows(reports: pd.DataFrame) -> tuple[ReportRow, ...]:
    out = []
    for r in reports.itertuples():
        notes = []
        if not r.has_text:
            notes.append("not in the report collection: counted in the statistics, not in the "
                         "themes")
        if _str(r.evidence) == "secondary":
            notes.append("grade from secondary evidence (news or council web page)")
        elif _str(r.evidence) == "derived" and not r.has_text:
            notes.append("grade from a list or official statistics")
        if _str(r.publication_basis) == "bound":
            notes.append("publication date not known exactly")
        url = _str(r.report_url) or None
        if url and not is_ofsted_url(url):
            notes.append("the link is a web page about the inspection, not the report")
        out.append(ReportRow(
            la_code=str(r.la_code), la_name=str(r.la_name), published=_date(r.published_date),
            inspection_type=TYPE_LABELS.get(_str(r.inspection_type), _str(r.inspection_type)),
            framework=_str(r.framework), overall=grade_label(r.overall_grade),
            lscb=grade_label(r.lscb_grade), report_url=url, note="; ".join(notes)))
    return tuple(out)


def coverage(reports: pd.DataFrame, las: pd.DataFrame, scope: Scope,
             published: pd.DataFrame, projection: str | None) -> Coverage:
    """LAs with a report published in the period, of the LAs in the set (or in England on the
    period's last day)."""
    inspected = set(reports["la_code"])
    if scope.las:
        members = set(scope.las)
        what = scope.group or "the local authorities chosen"
    else:
        end = pd.Timestamp(scope.published_to)
        valid = las[(las["valid_from"].isna() | (pd.to_datetime(las["valid_from"]) <= end))
                    & (las["valid_to"].isna() | (pd.to_datetime(las["valid_to"]) >= end))]
        members = set(valid["la_code"])
        what = f"local authorities in England on {format_date(scope.published_to)}"
    share = published[published["basis"] == "cycle_share"]
    return Coverage(n_inspected=len(inspected & members), n_las=len(members), what=what,
                    is_group=bool(scope.las),
                    published_share=float(share["value"].iloc[0]) if len(share) else None,
                    projection=projection)


def compose(scope: Scope, reports: pd.DataFrame, themes: pd.DataFrame, quotes: pd.DataFrame,
            published: pd.DataFrame, paper_tables: pd.DataFrame, las: pd.DataFrame, *,
            projection: str | None = None, freshness: str = "",
            generated: dt.date | None = None) -> Briefing:
    """The briefing from the named queries' results (pure)."""
    phrase = reports_phrase(scope)
    framework = FRAMEWORK_NAMES.get(scope.framework or "", "")
    stats = grade_tables(reports, published, paper_tables)
    cover = coverage(reports, las, scope, published, projection)
    n_text = int(reports["has_text"].sum()) if len(reports) else 0
    bands = themes.drop_duplicates("grade_band").set_index("grade_band")["n_reports"] \
        if len(themes) else pd.Series(dtype=int)
    n_good = int(bands.get("good_or_better", 0))
    n_failing = int(bands.get("failing", 0))
    well = findings(themes, quotes, "good_or_better", scope.themes_well, scope.quotes)
    poor = findings(themes, quotes, "failing", scope.themes_poor, scope.quotes)

    overall = stats[0]
    summary = [f"{_n(len(reports), 'report')} published: " + ", ".join(
        f"{r.n} {r.label.lower()}" for r in overall.rows if r.grade in GRADES) + "."]
    if overall.share_failing is not None:
        summary.append(f"{format_pct(overall.share_failing)} of the authorities graded "
                       f"({overall.n_failing} of {overall.n_judged}) require improvement or are "
                       "inadequate.")
    for t in stats:  # where a paper's text miscounts (its percentages: in section 4)
        summary += [n for n in t.notes if n.startswith("The paper's text")]
    summary.append(cover.sentence + (f" {cover.projection}" if cover.projection else ""))
    if well:
        summary.append("Most praised in reports on good or outstanding authorities: "
                       + list_phrase([in_sentence(f.short_label) for f in well[:4]]) + ".")
    if poor:
        summary.append("Most criticised in reports on authorities that require improvement or "
                       "are inadequate: " + list_phrase(
                           [in_sentence(f.short_label) for f in poor[:4]]) + ".")

    intro = [
        f"This paper gives an overview of the key themes of the {in_sentence(phrase)}"
        + (f" under the {framework}" if framework else "") + ": what inspectors praise in "
        "authorities judged good or outstanding, and what they criticise in authorities judged "
        "to require improvement or inadequate. It is generated from the text of the reports, "
        "so it can be regenerated for any period and any set of authorities.",
        f"The collection holds the text of {n_text} of the {_n(len(reports), 'report')}: "
        f"{n_good} on good or outstanding authorities and {n_failing} on authorities that "
        "require improvement or are inadequate. Every quotation names its authority, its "
        "report and the page it is printed on.",
    ]
    if scope.group_detail:
        intro.append(scope.group_detail)
    missing = [r for r in report_rows(reports) if "not in the report collection" in r.note]
    if missing:
        intro.append("Not in the collection (counted in the statistics, not in the themes): "
                     + list_phrase([f"{r.la_name} ({r.overall.lower() or 'no grade'}"
                                    + (f", published {format_date(r.published)})"
                                       if r.published else ")") for r in missing]) + ".")

    method = (
        "Reports: every inspection under the framework whose report was published in the "
        "period (sql/05_macros.sql published_between, the basis of the National page's figures "
        "for a window and of the counts in Kent CC's December 2014 paper), of the chosen "
        "authorities.",
        "Grade band: a report's overall effectiveness grade (the worst of its judgements where "
        "it gives none): good or outstanding against requires improvement or inadequate.",
        "Themes: the phrases of the theme dictionary (data/curated/themes.csv, version "
        f"{_themes_version(themes)}) found in the reports' sections and improvement points by "
        "the same stemmed matching as the full-text search (sql/08_text.sql).",
        "Praise and criticism: a sentence carrying a theme is praise when it has a strength word "
        "(effective, strong, good, robust, timely...) and no weakness word, criticism when it "
        "has more weakness words (not, too, poor, delay, drift, lack...) than strength words "
        "(the lists are in sql/queries/reports/briefing_quotes.sql). Improvement lists, "
        "recommendations and boilerplate are not quoted. Quotes: the most judging sentence of "
        "each authority, one authority per quote.",
        "Counts are of reports and sentences; \"mentioned N times per 10,000 words\" is the "
        "band's mean, so that long and short reports weigh alike.",
    )
    subtitle = ("Key themes, grade statistics and reports"
                + (f" — {scope.group}" if scope.group else ""))
    return Briefing(
        scope=scope, title=f"Ofsted inspection mapping: {phrase}", subtitle=subtitle,
        summary=tuple(summary), introduction=tuple(intro), well=well, poor=poor,
        statistics=stats, coverage=cover, reports=report_rows(reports), method=method,
        source=SOURCE_LINE, freshness=freshness, generated=generated or dt.date.today())


def _themes_version(themes: pd.DataFrame) -> str:
    return str(int(themes["version"].max())) if "version" in themes and len(themes) else "1"


# --------------------------------------------------------------------------- gathering


def neighbour_set(con: duckdb.DuckDBPyConnection, la_code: str,
                  vintage: str = "current") -> tuple[tuple[str, ...], str, str]:
    """(an LA's statistical neighbours' codes, the group's name, who they are) in DfE's current
    or previous set (la/neighbours, as the LA profile page lists them)."""
    if vintage not in ("current", "previous"):
        raise ValueError(f"vintage must be current or previous, not {vintage!r}")
    nbs = queries.run(con, "la/neighbours", la_code=la_code)
    nbs = nbs[nbs["vintage"] == vintage]
    names = queries.run(con, "la/local_authorities").set_index("la_code")["name"]
    name = str(names.get(la_code, la_code))
    if nbs.empty:
        raise NoData(f"{name} has no statistical neighbours in DfE's {vintage} set.")
    members = list_phrase([str(n) for n in nbs["la_name"].fillna(nbs["la_code"])])
    return (tuple(nbs["la_code"]), f"{name}'s statistical neighbours",
            f"{name}'s {len(nbs)} statistical neighbours in DfE's {vintage} set: {members}.")


def region_set(las: pd.DataFrame, region: str,
               on: dt.date) -> tuple[tuple[str, ...], str, str]:
    """(the codes of the LAs of a region existing on a date, the group's name, who they are)
    from la/local_authorities' rows."""
    day = pd.Timestamp(on)
    rows = las[(las["region_name"] == region)
               & (las["valid_from"].isna() | (pd.to_datetime(las["valid_from"]) <= day))
               & (las["valid_to"].isna() | (pd.to_datetime(las["valid_to"]) >= day))]
    if rows.empty:
        regions = sorted(las["region_name"].dropna().unique())
        raise ValueError(f"no local authority in a region called {region!r} on "
                         f"{format_date(on)}; regions: {', '.join(regions)}")
    rows = rows.sort_values("name")
    return (tuple(rows["la_code"]), f"the {region} region's authorities",
            f"The {len(rows)} local authorities of the {region} region on {format_date(on)}: "
            f"{list_phrase(list(rows['name']))}.")


def group_name(names: Sequence[str]) -> str:
    """'Nottinghamshire', 'Nottinghamshire and Nottingham', '5 chosen local authorities'."""
    if len(names) <= 3:
        return list_phrase(list(names))
    return f"{len(names)} chosen local authorities"


def argv(scope: Scope, fmt: str = "docx", out: str | None = None) -> list[str]:
    """The `python -m etl briefing` arguments that make this paper again."""
    args = ["briefing"]
    if scope.framework:
        args += ["--framework", scope.framework]
    args += ["--published-from", scope.published_from.isoformat(),
             "--published-to", scope.published_to.isoformat()]
    if scope.neighbours_of:
        args += ["--neighbours-of", scope.neighbours_of]
        if scope.vintage != "current":
            args += ["--vintage", scope.vintage]
    elif scope.region:
        args += ["--region", scope.region]
    elif scope.las:
        for code in scope.las:
            args += ["--la", code]
    if (scope.themes_well, scope.themes_poor) != (Scope.themes_well, Scope.themes_poor):
        args += ["--themes-well", str(scope.themes_well), "--themes-poor", str(scope.themes_poor)]
    if scope.quotes != Scope.quotes:
        args += ["--quotes", str(scope.quotes)]
    return args + ["--format", fmt, "--out", out or f"briefing.{fmt}"]


def command(scope: Scope, fmt: str = "docx", out: str | None = None) -> str:
    return "python -m etl " + shlex.join(argv(scope, fmt, out))



def gather(con: duckdb.DuckDBPyConnection, scope: Scope) -> Briefing:
    """Run the briefing's named queries for `scope` and compose the briefing; NoData when no
    report was published in the period."""
    window = dict(framework=scope.framework, from_date=scope.published_from,
                  to_date=scope.published_to)
    reports = queries.run(con, "reports/briefing_reports", **window, las=scope.las_arg)
    if reports.empty:
        raise NoData(f"No {in_sentence(reports_phrase(scope))}: "
                     "nothing to brief on. Try a longer period, another framework or more "
                     "local authorities.")
    themes = queries.run(con, "reports/briefing_themes", **window, las=scope.las_arg,
                         min_rate=MIN_RATE)
    version = queries.run(con, "reports/themes")["version"]
    themes["version"] = int(version.max()) if len(version) else 1
    # spare candidates: a sentence carrying two themes is quoted under one of them only
    quotes = queries.run(con, "reports/briefing_quotes", **window, las=scope.las_arg,
                         per_theme=scope.quotes + QUOTE_SPARES)
    if scope.las is None:
        # a paper's figures are for every LA: comparable only when the briefing is too
        published = queries.run(con, "reports/published_figures", **window)
        paper_tables = queries.run(con, "reports/paper_tables", **window)
    else:
        published = pd.DataFrame(columns=["figure_id", "source", "description", "basis", "area",
                                          "grade", "value", "unit"])
        paper_tables = pd.DataFrame(columns=["source_id", "title", "area", "grade", "n"])
    las = queries.run(con, "la/local_authorities")
    status = data_status(con)
    return compose(scope, reports, themes, quotes, published, paper_tables, las,
                   projection=_projection(con, scope, published), freshness=status["freshness"])


def _projection(con: duckdb.DuckDBPyConnection, scope: Scope,
                published: pd.DataFrame) -> str | None:
    """'At this pace ...' when the period is a framework's first (as seed 004's): the Cycle
    page's projection (etl.warehouse.reconcile.cycle_years) as at the period's end."""
    from etl.warehouse.reconcile import cycle_years

    start = FRAMEWORK_START.get(scope.framework or "")
    if scope.las is not None or start is None or scope.published_from != start:
        return None
    years = cycle_years(con, scope.framework, scope.published_to, start)
    if years is None:
        return None
    text = (f"At that pace ({years.rate_per_month:.1f} a month) Ofsted would complete the cycle "
            f"by {years.completion:%B %Y}, {years.years:.1f} years after it began")
    bounds = published[published["basis"] == "cycle_years"]["value"].tolist()
    if bounds:
        lo, hi = min(bounds), max(bounds)
        text += f" (the paper: {lo:g}–{hi:g} years)" if lo != hi else f" (the paper: {lo:g} years)"
    return text + "."


# --------------------------------------------------------------------------- markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: object) -> str:
    """Text from a report (or a paper) inside Markdown, shown as written: the characters
    Markdown would read as markup are backslash-escaped, line breaks flattened."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _md_link(text: str, url: str | None) -> str:
    if not url or not re.fullmatch(r"https?://[^\s()<>]+", url):
        return md(text)
    return f"[{md(text)}]({url})"


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(cells) + " |" for cells in rows]
    return out


def _grade_table_rows(t: GradeTable) -> tuple[list[str], list[list[str]]]:
    header = ["Grade", "From the reports"]
    if t.published_source:
        header.append("The paper's text")
    if t.paper_table_source:
        header.append("The paper's table")

    def cell(v: float | int | None) -> str:
        return "" if v is None else f"{int(v)}"

    rows = []
    for r in t.rows:
        row = [r.label, str(r.n)]
        if t.published_source:
            row.append(cell(r.published))
        if t.paper_table_source:
            row.append(cell(r.paper_table))
        rows.append(row)
    total = ["Total graded", str(t.n_judged)]
    if t.published_source:
        total.append(cell(t.total("published")))
    if t.paper_table_source:
        total.append(cell(t.total("paper_table")))
    rows.append(total)
    failing = ["Requires improvement or inadequate",
               format_pct(t.share_failing) if t.share_failing is not None else ""]
    if t.published_source:
        failing.append(format_pct(t.published_failing) if t.published_failing is not None else "")
    if t.paper_table_source:
        n, tot = (sum(r.paper_table or 0 for r in t.rows
                      if r.grade in ("requires_improvement", "inadequate")),
                  t.total("paper_table"))
        failing.append(format_pct(n / tot) if tot else "")
    rows.append(failing)
    return header, rows


def annex_table(b: Briefing) -> tuple[list[str], list[list[str]], list[float]]:
    """The list of reports: header, rows and column widths (cm). The type and framework
    columns only where the reports differ in them; notes only where there are any."""
    cols: list[tuple[str, float, object]] = [
        ("Local authority", 3.6, lambda r: r.la_name),
        ("Published", 2.3, lambda r: f"{r.published.day} {r.published:%b %Y}"
                                     if r.published else ""),
        ("Framework", 1.9, lambda r: r.framework),
        ("Type", 2.3, lambda r: r.inspection_type),
        ("Overall effectiveness", 2.8, lambda r: r.overall),
        ("LSCB", 2.6, lambda r: r.lscb),
        ("Report", 1.5, lambda r: ("open" if is_ofsted_url(r.report_url) else "web page")
                                  if r.report_url else ""),
        ("Note", 3.5, lambda r: r.note),
    ]
    keep = []
    for name, width, get in cols:
        values = {get(r) for r in b.reports}
        if name in ("Framework", "Type") and len(values) <= 1:
            continue
        if name in ("Note", "LSCB") and values <= {""}:
            continue
        keep.append((name, width, get))
    header = [name for name, _, _ in keep]
    rows = [[str(get(r)) for _, _, get in keep] for r in b.reports]
    return header, rows, [w for _, w, _ in keep]


def section_titles(b: Briefing) -> dict[str, str]:
    return {
        "summary": "Summary",
        "intro": "1. Introduction",
        "well": "2. Key themes of well-performing authorities",
        "poor": "3. Key themes of authorities that perform poorly",
        "stats": "4. Important statistics",
        "method": "5. How this paper was made",
        "annex": f"Annex: the {_n(len(b.reports), 'report')}",
    }


def to_markdown(b: Briefing) -> str:
    """The briefing as Markdown (GitHub-flavoured tables)."""
    titles = section_titles(b)
    out = [f"# {md(b.title)}", "", f"*{md(b.subtitle)}*", "",
           f"Prepared {format_date(b.generated)}.", "",
           f"## {titles['summary']}", ""]
    out += [f"- {md(s)}" for s in b.summary] + [""]
    out += [f"## {titles['intro']}", ""]
    for p in b.introduction:
        out += [md(p), ""]
    for key, items, empty in (
            ("well", b.well, "No report on a good or outstanding authority in this period."),
            ("poor", b.poor, "No report on an authority that requires improvement or is "
                             "inadequate in this period.")):
        out += [f"## {titles[key]}", ""]
        if not items:
            out += [empty, ""]
        for i, f in enumerate(items, start=1):
            out += [f"### {titles[key][0]}.{i} {md(f.label)}", "", f"*{md(f.description)}*", "",
                    md(f.counts), ""]
            for q in f.quotes:
                out += [f"> “{md(q.text)}”", ">",
                        f"> — {_md_link(q.citation, q.link)}", ""]
    out += [f"## {titles['stats']}", "", md(f"{reports_phrase(b.scope)}:"), ""]
    for t in b.statistics:
        out += [f"### {md(t.label)}", ""]
        header, rows = _grade_table_rows(t)
        out += _md_table(header, rows) + [""]
        out += [f"- {md(n)}" for n in t.notes]
        out += [""] if t.notes else []
    c = b.coverage
    out += ["### Local authorities inspected", "", md(c.sentence), ""]
    if c.projection:
        out += [md(c.projection), ""]
    out += [f"## {titles['method']}", ""] + [f"- {md(m)}" for m in b.method]
    out += [f"- The data: {md(b.freshness)}"] if b.freshness else []
    out += [""]
    out += ["Regenerate this paper:", "", "```", command(b.scope, "md"), "```", ""]
    out += [f"## {titles['annex']}", ""]
    header, rows, _ = annex_table(b)
    link_col = header.index("Report")
    cells = [[_md_link(v, r.report_url) if j == link_col and r.report_url else md(v)
              for j, v in enumerate(row)] for r, row in zip(b.reports, rows, strict=True)]
    out += _md_table(header, cells) + [""]
    out += ["---", "", md(b.source), ""]
    return "\n".join(out)
