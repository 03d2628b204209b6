"""Reports and themes: search the text of every Ofsted report in the collection (ranked by
BM25, plural forms folded, "quoted phrases"), compare the themes of reports on good or
outstanding authorities with those on failing ones, read the sentences that carry a theme, and
download a briefing paper on the reports of a period (like Kent County Council's of 3 December
2014, seed 004, regenerated) as DOCX or Markdown.
URL: ?q=neglect&framework=SIF&grade=failing&la=891&region=London&from=2014-01-01&to=2014-12-31
&view=themes&measure=share_points&theme=workforce&brief=neighbours (the filters apply to every
tab; only the open tab is computed)

Everything shown from a report or a person (snippets, headings, sentences, the query) goes
through views._shared.as_text or as_marked: escaped first, then the matched words marked here.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote_plus

import pandas as pd
import streamlit as st

from etl.figures import briefing, report_themes
from etl.figures.chart import FRAMEWORK_START, NoData
from etl.figures.export import export_data
from etl.figures.style import GRADE_LABELS, format_date
from views._shared import (
    TODAY,
    as_marked,
    as_text,
    computed,
    data_status,
    empty_state,
    la_names,
    las,
    plain_columns,
    query,
    region_names,
    require_database,
    seed_state,
    set_url,
    show,
    show_url_notes,
    url_choice,
    url_date,
)

FIRST_REPORT = dt.date(2012, 1, 1)  # before the collection's oldest report
MAX_RESULTS = 25
MAX_SENTENCES = 30
FRAMEWORKS = {"any": "Any framework", "SIF": "SIF (2013–18)", "ILACS": "ILACS (2018–)",
              "LAC2013": "Looked-after children (2013)"}
GRADES = {"any": "Any grade", "good_or_better": "Good or outstanding",
          "failing": "Requires improvement or inadequate",
          **{g: GRADE_LABELS[g] for g in ("outstanding", "good", "requires_improvement",
                                          "inadequate")}}
BAND_OF = {"good_or_better": "good_or_better", "failing": "failing", "outstanding":
           "good_or_better", "good": "good_or_better", "requires_improvement": "failing",
           "inadequate": "failing"}
ALL = "all"
VIEWS = {"search": "Search the reports", "themes": "Themes by grade band",
         "briefing": "Briefing paper"}
EXAMPLES = ("neglect", '"care leavers" accommodation', "drift", "return home interviews",
            '"voice of the child"')
# A report link the page prints: Ofsted's files only, nothing a markdown link could break on.
_SAFE_REPORT_URL = re.compile(r"https://([a-z0-9-]+\.)*ofsted\.gov\.uk/[A-Za-z0-9/_.~%?=&+-]*")


def _report_link(url: object, page: object) -> str:
    """'[open the report at page 9](https://files.ofsted.gov.uk/...#page=9)', or '' for
    anything but an Ofsted file."""
    if not isinstance(url, str) or not _SAFE_REPORT_URL.fullmatch(url):
        return ""
    try:
        n = int(page)
    except (TypeError, ValueError):
        return f"[open the report]({url})"
    return f"[open the report at page {n}]({url}#page={n})"


def _la_link(code: object, name: object) -> str:
    if isinstance(code, str) and code.isdigit():
        return f"[{as_text(name)}](/la?la={code})"
    return as_text(name)


def _when(d: object) -> str:
    return "" if d is None or pd.isna(d) else format_date(d)


def _grade_phrase(grade: object) -> str:
    return GRADE_LABELS.get(grade, "").lower() if isinstance(grade, str) else ""


# ---------------------------------------------------------------- search


def _filters_in_use(fw: str, grade: str, la: str, region: str, from_date, to_date,
                    names: dict[str, str]) -> list[str]:
    used = []
    if fw != "any":
        used.append(f"framework {FRAMEWORKS[fw]}")
    if grade != "any":
        used.append(f"grade {GRADES[grade].lower()}")
    if la != ALL:
        used.append(f"local authority {names.get(la, la)}")
    if region != ALL:
        used.append(f"region {region}")
    if from_date:
        used.append(f"published from {format_date(from_date)}")
    if to_date:
        used.append(f"published to {format_date(to_date)}")
    return used


def _no_match(q: str, terms: list[str], used: list[str]) -> None:
    if not terms:
        empty_state(f"“{as_text(q)}” has no word the search can look for: it reads words of two "
                    "or more letters or digits. Try a word such as neglect or drift.")
        return
    tips = []
    if used:
        tips.append("removing a filter (" + as_text("; ".join(used), limit=400) + ")")
    if '"' in q:
        tips.append("the words of a quoted phrase without the quotes")
    if len(terms) > 1:
        tips.append("fewer words")
    tips.append("another spelling (plural forms are found already)")
    tried = "; ".join(tips[:-1]) + ("; or " if len(tips) > 1 else "") + tips[-1]
    empty_state(f"No section of a report matches “{as_text(q)}”"
                + (" with these filters" if used else "") + f". Try {tried}.")


def _results(hits: pd.DataFrame, pattern: str | None) -> None:
    for r in hits.itertuples():
        with st.container(border=True):
            grade = _grade_phrase(r.overall_grade)
            head = [f"**{_la_link(r.la_code, r.la_name)}**",
                    as_text(f"{r.framework} " + briefing.TYPE_LABELS.get(
                        str(r.inspection_type), str(r.inspection_type).replace("_", " ")))]
            if _when(r.published_date):
                head.append(f"published {_when(r.published_date)}")
            head.append(f"overall: {grade}" if grade else "no overall grade")
            st.markdown(" · ".join(head))
            where = [f"*{as_text(r.heading)}*" if isinstance(r.heading, str) and r.heading
                     else "", f"page {int(r.page)}", _report_link(r.report_url, r.page)]
            st.caption(" · ".join(w for w in where if w))
            # the snippet as the report prints it: the search's own «marks» taken out, the text
            # escaped, the matched words marked here
            snippet = str(r.snippet).replace("«", "").replace("»", "")
            st.markdown(as_marked(snippet, pattern))


def _search(q: str, fw: str, grade: str, la: str, region: str, from_date, to_date,
            names: dict[str, str]) -> None:
    if not q.strip():
        links = " · ".join(f"[{as_text(e)}](/reports?q={quote_plus(e)})" for e in EXAMPLES)
        empty_state("Search the text of every report in the collection: words (any of them; "
                    "the more and rarer, the higher a section ranks; plural forms are found) "
                    "and \"quoted phrases\" (each must appear, words in order).")
        st.markdown("Try: " + links)
        return
    hits = query("reports/search", query=q, framework=None if fw == "any" else fw,
                 grade=None if grade == "any" else grade, la=None if la == ALL else la,
                 region=None if region == ALL else region, from_date=from_date,
                 to_date=to_date, max_results=MAX_RESULTS)
    words = query("reports/query_words", query=q).iloc[0]
    terms = [str(t) for t in words["terms"]] if words["terms"] is not None else []
    used = _filters_in_use(fw, grade, la, region, from_date, to_date, names)
    if hits.empty:
        _no_match(q, terms, used)
        return
    more = (f" (the {MAX_RESULTS} best-scoring: narrow the search to reach others)"
            if len(hits) == MAX_RESULTS else "")
    st.caption(f"{len(hits)} sections of {hits['source_id'].nunique()} reports, best first"
               f"{more}. Ranked by BM25 over the words "
               + as_text(", ".join(terms), limit=300) + ".")
    _results(hits, str(words["pattern"]) if terms else None)
    table = hits.drop(columns=["doc_id", "section_no"]).assign(
        snippet=hits["snippet"].str.replace("[«»]", "", regex=True))
    st.download_button("Download these results (CSV)", export_data(table, "csv"),
                       "report-search.csv", "text/csv", key="rep-csv")


# ---------------------------------------------------------------- themes


def _theme_sentences(theme: str, themes: pd.DataFrame, fw: str, grade: str, from_date,
                     to_date, codes: dict[str, str]) -> None:
    band = BAND_OF.get(grade)
    # the newest sentences, at most three from one report, so that one report does not fill
    # the list
    rows = query("reports/theme_sentences", theme=theme, from_date=from_date, to_date=to_date,
                 framework=None if fw == "any" else fw, grade_band=band,
                 max_results=10 * MAX_SENTENCES)
    rows = rows.groupby("source_id", sort=False).head(3).head(MAX_SENTENCES)
    label = themes.set_index("theme_id").loc[theme, "label"]
    if rows.empty:
        empty_state(f"No sentence of the reports chosen carries “{as_text(label)}”. Try a wider "
                    "date range, any framework or any grade.")
        return
    pattern = query("reports/theme_pattern", theme=theme).iloc[0]["pattern"]
    st.caption(f"{len(rows)} of the newest sentences carrying the theme, three at most from a "
               "report"
               + (f" in reports on authorities rated {GRADES[grade].lower()}" if band else "")
               + "; the theme's phrases in bold.")
    for r in rows.itertuples():
        cite = [_la_link(codes.get(r.la_name), r.la_name), _when(r.published_date),
                f"page {int(r.page)}", _report_link(r.report_url, r.page)]
        st.markdown(f"“{as_marked(r.sentence, pattern)}”")
        st.caption("— " + " · ".join(c for c in cite if c))


def _themes(fw: str, grade: str, from_date, to_date, codes: dict[str, str]) -> None:
    themes = query("reports/themes")
    measure = st.radio("Compare", list(report_themes.MEASURE_LABELS), key="rep_measure",
                       format_func=report_themes.MEASURE_LABELS.get, horizontal=True)
    st.caption("How much the reports on good or outstanding authorities and on authorities that "
               "require improvement or are inadequate carry each theme of the dictionary "
               "(data/curated/themes.csv). The framework and dates above apply; the grade, LA "
               "and region filters do not (the chart compares the bands).")
    params = report_themes.Params(framework=None if fw == "any" else fw, from_date=from_date,
                                  to_date=to_date, measure=measure)
    shares = report_themes.MEASURES[measure][2]
    chart = show(report_themes, params, f"rep-themes-{measure}", column_config=plain_columns(
        report_themes.COLUMNS, report_themes.LABELS, hide=("theme_id",),
        values={"measure": report_themes.MEASURE_LABELS},
        shares=("good_or_better", "failing", "difference") if shares else ()))
    order = list(chart.data["theme_id"]) if chart is not None else []
    ids = order + sorted(set(themes["theme_id"]) - set(order))
    labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
    st.subheader("Sentences that carry a theme")
    if st.session_state.get("rep_theme") not in ids:
        st.session_state["rep_theme"] = ids[0]  # the theme the chart puts first
    theme = st.selectbox("Theme", ids, key="rep_theme", format_func=labels.get)
    description = themes.set_index("theme_id").loc[theme, "description"]
    st.caption(as_text(briefing.clean_description(description), limit=400))
    _theme_sentences(theme, themes, fw, grade, from_date, to_date, codes)


# ---------------------------------------------------------------- briefing


def _briefing_scope(fw: str, la: str, region: str, from_date, to_date,
                    names: dict[str, str]) -> briefing.Scope | None:
    start = from_date or FRAMEWORK_START.get(fw, FRAMEWORK_START["SIF"])
    end = to_date or data_status()["data_end"] or TODAY
    if start > end:
        empty_state("The period starts after it ends: change the dates above.")
        return None
    choices = {ALL: "Every local authority"}
    if la != ALL:
        choices["neighbours"] = f"{names.get(la, la)}'s statistical neighbours"
    if region != ALL:
        choices["region"] = f"The {region} region's authorities"
    seed_state("rep_brief", url_choice("brief", list(choices), ALL))
    if st.session_state["rep_brief"] not in choices:  # its LA or region filter was cleared
        st.session_state["rep_brief"] = ALL
    who = st.radio("Authorities", list(choices), key="rep_brief", format_func=choices.get,
                   horizontal=True,
                   help="Pick a local authority or a region above for more choices.")
    las_codes, group, detail, neighbours_of = None, None, None, None
    try:
        if who == "neighbours":
            neighbours_of = la
            las_codes, group, detail = computed(briefing.neighbour_set, la, "current")
        elif who == "region":
            las_codes, group, detail = briefing.region_set(las(), region, end)
    except (ValueError, NoData) as exc:
        empty_state(as_text(exc, limit=400))
        return None
    return briefing.Scope(published_from=start, published_to=end,
                          framework=None if fw == "any" else fw, las=las_codes, group=group,
                          group_detail=detail, neighbours_of=neighbours_of,
                          region=region if who == "region" else None)


def _briefing(scope: briefing.Scope) -> None:
    reports = query("reports/briefing_reports", framework=scope.framework,
                    from_date=scope.published_from, to_date=scope.published_to,
                    las=scope.las_arg)
    st.caption(as_text(briefing.reports_phrase(scope), limit=400)
               + f": {len(reports)} reports. A paper like Kent County Council's of 3 December "
               "2014 (its cabinet committee's inspection mapping): the key "
               "themes of well-performing and of poorly performing authorities with counts and "
               "quotes (each with its LA, report and page), the period's grades beside any "
               "figures a paper published for it, the share of LAs inspected and the list of "
               "reports. The framework and dates above set the period (from the framework's "
               "first report and to the newest report held, when they are empty).")
    if reports.empty:
        empty_state("No report was published in this period for these authorities: widen the "
                    "dates or choose another framework.")
        return
    stem = re.sub(r"[^a-z0-9]+", "-", briefing.reports_phrase(scope).lower()).strip("-")[:80]
    c1, c2, _ = st.columns([1, 1, 2])
    c1.download_button(
        "Briefing (Word)", lambda: _docx(scope), f"{stem}.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="rep-docx", icon=":material/description:", on_click="ignore")
    c2.download_button("Briefing (Markdown)", lambda: _markdown(scope), f"{stem}.md",
                       "text/markdown", key="rep-md", icon=":material/article:",
                       on_click="ignore")
    st.caption("The same paper from the command line: `" + briefing.command(scope) + "`")


def _docx(scope: briefing.Scope) -> bytes:
    from etl.figures.briefing_docx import to_docx

    return to_docx(computed(briefing.gather, scope))


def _markdown(scope: briefing.Scope) -> bytes:
    return briefing.to_markdown(computed(briefing.gather, scope)).encode("utf-8")


# ---------------------------------------------------------------- page


def main() -> None:
    st.title("Reports and themes")
    require_database()

    names = la_names()
    codes = {v: k for k, v in names.items()}
    regions = region_names()
    theme_ids = list(query("reports/themes")["theme_id"])
    seed_state("rep_q", " ".join(str(st.query_params.get("q", "")).split())[:300])
    seed_state("rep_framework", url_choice("framework", list(FRAMEWORKS), "any"))
    seed_state("rep_grade", url_choice("grade", list(GRADES), "any"))
    seed_state("rep_la", url_choice("la", [ALL, *names], ALL))
    seed_state("rep_region", url_choice("region", [ALL, *regions], ALL))
    seed_state("rep_from", url_date("from", None, lo=FIRST_REPORT))
    seed_state("rep_to", url_date("to", None, lo=FIRST_REPORT))
    seed_state("rep_view", VIEWS[url_choice("view", list(VIEWS), "search")])
    seed_state("rep_measure", url_choice("measure", list(report_themes.MEASURE_LABELS),
                                         "per_10k_words"))
    if "theme" in st.query_params:
        seed_state("rep_theme", url_choice("theme", theme_ids, theme_ids[0]))
    show_url_notes()

    q = st.text_input("Search the reports", key="rep_q", max_chars=300,
                      placeholder='e.g. neglect, or "care leavers" accommodation',
                      help='Words: any of them (plural forms are found). "Quoted phrases": '
                           "each must appear, its words in order.")
    active = _filters_in_use(st.session_state["rep_framework"], st.session_state["rep_grade"],
                             st.session_state["rep_la"], st.session_state["rep_region"],
                             st.session_state["rep_from"], st.session_state["rep_to"], names)
    # folded unless one is set (on a phone six stacked filters would push the results down)
    box = st.expander("Filters" + (": " + as_text("; ".join(active), 300) if active else
                                   " (framework, grade, LA, region, dates)"),
                      expanded=bool(active))
    c1, c2, c3, c4, c5, c6 = box.columns([1.2, 1.5, 1.5, 1.3, 1.2, 1.2])
    fw = c1.selectbox("Framework", list(FRAMEWORKS), key="rep_framework",
                      format_func=FRAMEWORKS.get)
    grade = c2.selectbox("Grade", list(GRADES), key="rep_grade", format_func=GRADES.get,
                         help="The inspection's overall effectiveness grade. Inspections "
                              "since April 2026 give none: the search leaves them out, the "
                              "theme sentences count their worst judgement.")
    la = c3.selectbox("Local authority", [ALL, *names], key="rep_la",
                      format_func=lambda c: "All" if c == ALL else f"{names[c]} ({c})")
    region = c4.selectbox("Region", [ALL, *regions], key="rep_region",
                          format_func=lambda r: "England" if r == ALL else r)
    if (st.session_state["rep_from"] and st.session_state["rep_to"]
            and st.session_state["rep_from"] > st.session_state["rep_to"]):
        st.session_state["rep_from"] = None
        st.info("The start date was after the end date; the start is cleared.",
                icon=":material/info:")
    from_date = c5.date_input("Published from", key="rep_from", min_value=FIRST_REPORT,
                              max_value=TODAY, format="DD/MM/YYYY")
    to_date = c6.date_input("Published to", key="rep_to", min_value=FIRST_REPORT,
                            max_value=TODAY, format="DD/MM/YYYY")
    q = " ".join(q.split())

    # only the open tab runs its queries (a tab change reruns the page)
    search_tab, themes_tab, brief_tab = st.tabs(list(VIEWS.values()), key="rep_view",
                                                on_change="rerun")
    if getattr(search_tab, "open", True):
        with search_tab:
            _search(q, fw, grade, la, region, from_date, to_date, names)
    if getattr(themes_tab, "open", True):
        with themes_tab:
            _themes(fw, grade, from_date, to_date, codes)
    if getattr(brief_tab, "open", True):
        with brief_tab:
            scope = _briefing_scope(fw, la, region, from_date, to_date, names)
            if scope is not None:
                _briefing(scope)

    view = {label: key for key, label in VIEWS.items()}[st.session_state["rep_view"]]
    measure = st.session_state["rep_measure"]
    brief = st.session_state.get("rep_brief", st.query_params.get("brief", ALL))
    set_url(q=q or None, framework=None if fw == "any" else fw,
            grade=None if grade == "any" else grade, la=None if la == ALL else la,
            region=None if region == ALL else region, **{"from": from_date, "to": to_date},
            view=None if view == "search" else view,
            measure=None if measure == "per_10k_words" else measure,
            theme=st.session_state.get("rep_theme"), brief=None if brief == ALL else brief)


main()
