"""Data and sources: when the database was built, what it holds for each framework since 2009
and for each LA, where every record came from (and under which licence), how computed figures
compare with published ones (Ofsted's 2023 release beside ours, with its own departure from its
basis named and quoted), where sources disagree, what was refused and why, and the latest
changes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from etl import OGL, OGL_ATTRIBUTION
from etl.figures.export import export_data
from etl.figures.style import format_date, format_pct
from views._shared import (
    DAY_FORMAT,
    TODAY,
    dates_in_words,
    empty_state,
    last_build,
    query,
    require_database,
    set_url,
    show_data_end_caveat,
    show_url_notes,
    url_choice,
    wrapping_table,
)

ALL = "all"
HEX_ATTRIBUTION = (
    "Hex map layout: UK upper-tier local authorities HexJSON by Open Innovations "
    "(open-innovations.org), MIT licence."
)
DATE = st.column_config.DateColumn(format=DAY_FORMAT)
SOURCE_ROWS = 1000
WHEN = st.column_config.DatetimeColumn(format="D MMMM YYYY, HH:mm")
SCALES = {"pre_2013": "Four points with “adequate” (before 2013)",
          "four_point": "Outstanding, good, requires improvement, inadequate",
          "area_send": "Area SEND's three outcomes"}
OVERALL_BASIS = {"worst_strand": "The worse of its two strands (no overall grade given)",
                 "judged": "Judged by the inspection", "none": "None (no four-point grade)"}
CHANGES = {"change_type": "Change", "la_code": "LA code", "la_name": "Local authority",
           "inspection_id": "Inspection", "area": "Judgement", "old_value": "Before",
           "new_value": "After", "detail": "Detail"}


def _kinds() -> dict[str, str]:
    """Each kind of source in words ("Ofsted inspection report (PDF)"), from the registry that
    defines the kinds (imported here: only this page names them)."""
    from etl.ingest.registry import BY_KIND

    return {kind: k.label for kind, k in BY_KIND.items()}


def _breakable(path: object) -> str:
    """A file path that may wrap after each / and _ (a zero-width space there): a long path
    would otherwise widen its table column past the page."""
    return str(path).replace("/", "/\u200b").replace("_", "_\u200b")


def _day(value: object) -> str:
    return "" if value is None or pd.isna(value) else format_date(value)


def _span(start: object, end: object) -> str:
    """'August 2009 – August 2012' (or 'since January 2018')."""
    def month(v: object) -> str:
        return "" if v is None or pd.isna(v) else f"{pd.Timestamp(v):%B %Y}"

    if month(start) and month(end):
        return f"{month(start)} – {month(end)}"
    return f"since {month(start)}" if month(start) else ""


def _count(v: object) -> str:
    return "" if v is None or pd.isna(v) else f"{int(v):,}"


def main() -> None:
    st.title("Data and sources")
    require_database()

    _build()
    _frameworks()
    _coverage()
    _provenance()
    _reconcile()
    _release_2023()
    _conflicts()
    _quarantine()
    _changes()
    _licences()


def _build() -> None:
    runs = query("data/ingest_runs")
    built = last_build()
    st.caption(f"Database built {built}." if built else "No build run recorded.")
    if runs.empty:
        return
    last = runs.iloc[0]
    cols = st.columns(5)
    for col, (label, field) in zip(cols, [("Files read", "files_in"), ("Records", "records"),
                                          ("Judgements", "judgements"),
                                          ("Quarantined rows", "quarantined"),
                                          ("Conflicts", "conflicts")], strict=True):
        value = last[field]
        col.metric(label, "–" if pd.isna(value) else f"{int(value):,}")
    with st.expander("Recent builds and refreshes"):
        st.dataframe(runs, hide_index=True, width="stretch", placeholder="",
                     column_order=["finished_at", "command", "snapshot_made", "files_in",
                                   "records", "judgements", "quarantined", "conflicts",
                                   "code_version"],
                     column_config={
                         "finished_at": WHEN | {"label": "Finished", "width": 170},
                         "command": st.column_config.TextColumn("Command", width=90),
                         "snapshot_made": WHEN | {"label": "Snapshot made", "width": 170},
                         "files_in": st.column_config.NumberColumn("Files", width=70),
                         "records": st.column_config.NumberColumn("Records", width=80),
                         "judgements": st.column_config.NumberColumn("Judgements", width=95),
                         "quarantined": st.column_config.NumberColumn("Rows refused",
                                                                      width=105),
                         "conflicts": st.column_config.NumberColumn("Conflicts", width=85),
                         "code_version": st.column_config.TextColumn("Version", width=75)})


def _frameworks() -> None:
    st.header("Frameworks since 2009")
    fw = query("data/framework_summary")
    st.caption("Every inspection framework the model holds, with its grade scale and where its "
               "overall effectiveness comes from: SLAC gave none (the worse of its two strands "
               "is used); the pre-2013 frameworks grade on a scale with “adequate” (counted "
               "with the failing grades, shown as its own category); ILACS inspections "
               "starting on or after the date under “No overall grade from” give no overall "
               "grade; area SEND inspections have a scale of their own and are in no "
               "four-point figure.")
    wrapping_table(pd.DataFrame({
        # the short name where readers use one (SIF, ILACS); area SEND's label says it all
        "Framework": [label if "_" in code else f"{code}: {label}"
                      for code, label in zip(fw["framework"], fw["label"], strict=True)],
        "In force": [_span(a, b) for a, b in zip(fw["period_from"], fw["period_to"],
                                                 strict=True)],
        "Grade scale": fw["scale"].map(lambda v: SCALES.get(v, v)),
        "Overall effectiveness": fw["overall_basis"].map(lambda v: OVERALL_BASIS.get(v, v)),
        "No overall grade from": fw["no_overall_from"].map(_day),
        "Inspections": fw["inspections"].map(_count),
        "Visits and reviews": fw["visits_and_reviews"].map(_count),
        "LAs inspected": fw["las_inspected"].map(_count),
        "Judgements": fw["judgements"].map(_count),
        "Where sources disagree": fw["judgements_in_conflict"].map(_count),
        "Reports held": [_span(a, b) for a, b in zip(fw["first_report"], fw["last_report"],
                                                     strict=True)],
    }))


def _coverage() -> None:
    st.header("Coverage")
    cov = query("data/coverage")
    current = cov[cov["valid_to"].isna()]
    no_sif = current[(current["sif_inspections"] == 0) & current["valid_from"].isna()]
    no_ilacs = current[current["ilacs_inspections"] == 0]
    cols = st.columns(4)
    cols[0].metric("Local authorities (incl. abolished)", len(cov))
    cols[1].metric("Current LAs with an ILACS inspection",
                   f"{len(current) - len(no_ilacs)} of {len(current)}")
    cols[2].metric("LAs with a SIF inspection", int((cov["sif_inspections"] > 0).sum()))
    cols[3].metric("On secondary evidence only",
                   int(cov["has_secondary_evidence"].fillna(False).astype(bool).sum()),
                   help="LAs with a grade that rests on news or council web pages alone")
    show_data_end_caveat(TODAY)
    if len(no_ilacs) or len(no_sif):
        st.caption(
            "Current LAs with no ILACS inspection in the collection: "
            + (", ".join(no_ilacs["la_name"]) or "none") + ". Pre-2019 LAs with no SIF "
            "inspection: " + (", ".join(no_sif["la_name"]) or "none") + "."
        )
    def existed(start: object, end: object) -> str:
        parts = ([f"from {_day(start)}"] if _day(start) else []) + \
                ([f"until {_day(end)}"] if _day(end) else [])
        return " ".join(parts)

    everyone = cov
    # the first SOURCE_ROWS LAs on screen (at 1000 times today's data, 158,000 rows took most of
    # the page's second); the CSV has every LA
    cov = cov.head(SOURCE_ROWS)
    cov = cov.assign(existed=[existed(a, b) for a, b in zip(cov["valid_from"], cov["valid_to"],
                                                            strict=True)])
    if len(everyone) > len(cov):
        st.caption(f"The first {len(cov):,} of {len(everyone):,} LAs; the CSV has every LA.")
        st.download_button("CSV", lambda: export_data(everyone, "csv"), "coverage.csv",
                           "text/csv", key="csv-coverage", on_click="ignore")
    st.dataframe(cov, hide_index=True, width="stretch", placeholder="",
                 column_order=["la_name", "la_code", "region_name", "existed",
                               "pre_sif_inspections", "sif_inspections", "ilacs_inspections",
                               "visits_and_reviews", "report_pdfs", "has_secondary_evidence"],
                 column_config={
                     "la_name": st.column_config.TextColumn("Local authority", pinned=True,
                                                            width=175),
                     "la_code": st.column_config.TextColumn("Code", width=55),
                     "region_name": st.column_config.TextColumn("Region", width=160),
                     "existed": st.column_config.TextColumn(
                         "Existed", width=165, help="For an LA created or abolished since "
                                                    "2009: when it existed"),
                     "pre_sif_inspections": st.column_config.NumberColumn(
                         "Before SIF", width=80, help="Inspections before November 2013"),
                     "sif_inspections": st.column_config.NumberColumn("SIF", width=50),
                     "ilacs_inspections": st.column_config.NumberColumn("ILACS", width=60),
                     "visits_and_reviews": st.column_config.NumberColumn(
                         "Visits", width=60, help="Monitoring and focused visits, reviews"),
                     "report_pdfs": st.column_config.NumberColumn(
                         "PDFs", width=55, help="Report PDFs in the collection"),
                     "has_secondary_evidence": st.column_config.CheckboxColumn(
                         "Secondary only", width=100,
                         help="A grade resting on news or council web pages alone")})


def _provenance() -> None:
    st.header("Provenance")
    kinds = query("data/sources_by_kind")
    if kinds.empty:
        empty_state("No sources are recorded in this build.")
        return
    names = _kinds()
    st.caption("Each kind of source, most trusted first: where sources disagree about a "
               "grade or date, the one with the lowest precedence number is used (the others "
               "are kept and listed under the conflicts below).")
    wrapping_table(pd.DataFrame({
        "Kind of source": kinds["kind"].map(lambda k: names.get(k, k)),
        "Precedence": kinds["precedence"].map(_count),
        "Files": kinds["sources"].map(_count),
        "Records": kinds["records"].map(_count),
        "Judgements": kinds["judgements"].map(_count),
        "Rows refused": kinds["quarantined"].map(_count),
        "Publisher": kinds["publishers"], "Licence": kinds["licences"],
    }))
    with st.expander("Every source file (path, web address, checksum, parser version)"):
        # One kind at a time and at most SOURCE_ROWS of them: a larger collection has far more
        # files than a table in a page can hold (issue 14).
        kind = st.selectbox("Kind of source file", [ALL, *kinds["kind"]], key="data_sources_kind",
                            format_func=lambda k: "All kinds" if k == ALL else names.get(k, k))
        sources = query("data/sources", kind=None if kind == ALL else kind,
                        max_rows=SOURCE_ROWS)
        total = int(kinds["sources"].sum() if kind == ALL
                    else kinds.loc[kinds["kind"] == kind, "sources"].sum())
        if total > len(sources):
            st.caption(f"The first {len(sources):,} of {total:,} source files, most trusted "
                       "first; choose a kind to see others.")
        st.dataframe(pd.DataFrame({
            "Source": sources["title"].map(dates_in_words),
            "Web address": sources["url"],
            "Records": sources["records"], "Refused": sources["quarantined"],
            "File": sources["path"], "Checksum (SHA-256)": sources["sha256"],
            "Parser": sources["parser"].str.rsplit(".", n=1).str[-1] + " "
                      + sources["parser_version"].astype(str),
        }), hide_index=True, width="stretch", placeholder="", column_config={
            "Source": st.column_config.TextColumn(width=300),
            "Web address": st.column_config.LinkColumn(width=75, display_text="open"),
            "Records": st.column_config.NumberColumn(width=70),
            "Refused": st.column_config.NumberColumn(width=70),
            "File": st.column_config.TextColumn(width=170),
            "Checksum (SHA-256)": st.column_config.TextColumn(width=110),
            "Parser": st.column_config.TextColumn(width=115)})


def _value(v: object, unit: str) -> str:
    """A published or computed figure as its unit reads: a count, a percentage, years, or (for
    an LA's grade, held as 1 when the collection has the grade the paper states) words."""
    if v is None or pd.isna(v):
        return "–"
    if unit == "share":
        return format_pct(float(v))
    if unit == "grade":
        return "the grade stated" if float(v) == 1 else "another grade"
    if unit == "years_at_most":
        return f"at most {float(v):g} years"
    if unit == "years_at_least":
        return f"at least {float(v):g} years"
    if unit.startswith("years"):
        return f"{float(v):g} years"
    return f"{float(v):,.4g}"


def _reconcile() -> None:
    st.header("Published figures beside computed ones")
    st.caption("Figures quoted in papers and official statistics, and the same figure computed "
               "from the collection. They will not always match (missing reports, different "
               "counting dates, first vs latest inspection); the explanation says why.")
    # reconciled at build (etl.warehouse.reconcile.store), in reference-figure order
    rec = query("data/reconciliation")
    if rec.empty:
        empty_state("No reference figures are loaded.")
        return
    from etl.figures.briefing import paper_name

    matched = int(rec["matches"].sum())
    st.metric("Reference figures matched", f"{matched} of {len(rec)}")
    wrapping_table(pd.DataFrame({
        "Published figure": rec["description"].map(dates_in_words),
        "Published": [_value(v, u) for v, u in zip(rec["published"], rec["unit"], strict=True)],
        "Computed": [_value(v, u) for v, u in zip(rec["computed"], rec["unit"], strict=True)],
        "Matches": rec["matches"].map(lambda m: "Yes" if m else "No"),
        "Why they differ (or agree)": rec["explanation"].map(dates_in_words),
        "Source": rec["source"].map(lambda v: dates_in_words(paper_name(v))),
    }))
    st.download_button("CSV", export_data(rec, "csv"), "reconciliation.csv",
                       "text/csv", key="csv-reconcile", icon=":material/download:",
                       on_click="ignore", help="The table above with the figures' codes")


def _release_2023() -> None:
    """Ofsted's 2023 release ('as at 31 March 2023') beside the computed figures: the release
    counts an LA whose report came after its own cut-off, and says so in its Notes."""
    dep = query("data/release_departures")
    if dep.empty:
        return
    st.subheader("Ofsted's 2023 release beside the computed figures")
    las_named = sorted({n for names in dep["departure_las"] for n in names.split(", ") if n})
    first = dep.iloc[0]
    st.markdown(
        f"*{dates_in_words(first['source'])}*: LAs by their latest judgement as at "
        f"{format_date(first['as_at'])}, reports published by "
        f"{format_date(first['published_by'])}. The release departs from that "
        f"basis for **{', '.join(las_named)}**; computed on the stated basis the figures differ "
        "by that LA, computed on the release's own basis they match.")
    st.info("**The release's note:** " + str(first["departure"]), icon=":material/format_quote:")
    from etl.figures.style import area_label, grade_label

    wrapping_table(pd.DataFrame({
        "Judgement": dep["area"].map(area_label), "Grade": dep["grade"].map(grade_label),
        "Release": dep["published"].map(_count),
        "Computed: reports published by the cut-off": dep["computed_stated_basis"].map(_count),
        "Computed: as the release counted": dep["computed_release_basis"].map(_count),
        "Stated basis − release": (dep["computed_stated_basis"] - dep["published"]).map(
            lambda d: f"{int(d):+d}" if d else "0"),
        "Counted by the release after its cut-off": dep["departure_las"],
    }))
    st.download_button("CSV", export_data(dep, "csv"), "release-2023.csv", "text/csv",
                       key="csv-release-2023", icon=":material/download:", on_click="ignore")


def _observations(text: object, kinds: dict[str, str]) -> str:
    """'ofsted_report_pdf: good (Good); scraper_csv: requires_improvement (…)' in words:
    'Ofsted inspection report (PDF): good; Community scraper: report list (CSV): requires
    improvement'."""
    from etl.figures.style import grade_phrase

    out = []
    for part in str(text or "").split("; "):
        kind, _, said = part.partition(": ")
        grade = said.split(" (", 1)[0]
        try:
            grade = grade_phrase(grade)
        except KeyError:
            pass
        out.append(f"{kinds.get(kind, kind)}: {grade}")
    return "; ".join(out)


def _conflicts() -> None:
    st.header("Where sources disagree")
    conf = query("data/conflicts")
    if conf.empty:
        empty_state("No judgement has different grades in different sources.")
        return
    from etl.figures.style import area_label, grade_label

    kinds = _kinds()
    st.caption(f"{len(conf)} judgements have different grades in different sources. The model "
               "uses the most trusted source's grade (“Grade used”); what every source says is "
               "listed beside it, most trusted first.")
    wrapping_table(pd.DataFrame({
        "Local authority": conf["la_name"], "Framework": conf["framework"],
        "Report published": conf["published_date"].map(_day),
        "Judgement": conf["area"].map(area_label),
        "Grade used": conf["chosen_grade"].map(grade_label),
        "What each source says": conf["observations"].map(lambda o: _observations(o, kinds)),
        "Sources": conf["n_sources"].map(_count),
    }))


def _quarantine() -> None:
    st.header("Quarantine")
    everything = query("data/quarantine", source_kind=None)
    if everything.empty:
        empty_state("No rows were refused in this build.")
        return
    names = _kinds()
    kinds = sorted(everything["source_kind"].unique())
    if "data_quarantine" not in st.session_state:
        st.session_state["data_quarantine"] = url_choice("quarantine", [ALL, *kinds], ALL)
        show_url_notes()
    kind = st.selectbox("Source kind", [ALL, *kinds], key="data_quarantine",
                        format_func=lambda k: "All sources" if k == ALL else names.get(k, k))
    set_url(quarantine=None if kind == ALL else kind)
    rows = everything if kind == ALL else query("data/quarantine", source_kind=kind)
    st.caption(f"{len(rows)} rows refused by the build, each with its file, row and reason; "
               "none of them counts in any figure.")
    summary = (rows.groupby(["source_kind", "file"], dropna=False).size().rename("rows")
               .reset_index().sort_values("rows", ascending=False))
    wrapping_table(pd.DataFrame({
        "File": summary["file"].map(_breakable),
        "Kind of source": summary["source_kind"].map(lambda k: names.get(k, k)),
        "Rows refused": summary["rows"].map(_count)}))
    if len(rows) > SOURCE_ROWS:
        # a page of them in words (at 1000 times today's data, 22,000 rows); the CSV has all
        every = rows
        st.caption(f"The first {SOURCE_ROWS:,} of {len(rows):,} rows; the CSV has every row.")
        st.download_button("CSV", lambda: export_data(every, "csv"), "quarantine.csv",
                           "text/csv", key="csv-quarantine", on_click="ignore")
        rows = rows.head(SOURCE_ROWS)
    wrapping_table(pd.DataFrame({
        "Where": (rows["file"] + " · " + rows["row_ref"].fillna("")).map(_breakable),
        "Kind of source": rows["source_kind"].map(lambda k: names.get(k, k)),
        "Why it was refused": rows["reason"].fillna("").map(dates_in_words).map(_breakable),
        "The row as read": rows["raw"].fillna("").map(
            lambda r: _breakable(r if len(r) <= 400 else r[:400] + "…").replace(
                ",", ",\u200b")),
    }))


def _changes() -> None:
    st.header("Latest changes")
    changes = query("data/latest_changes")
    if changes.empty:
        empty_state("No changes recorded yet: the change feed fills when `python -m etl "
                    "refresh` finds new reports or changed grades.")
        return
    newest = changes["detected_at"].max()
    st.caption(f"The {len(changes)} most recent changes, newest {format_date(newest)} at "
               f"{pd.Timestamp(newest):%H:%M}. `python -m etl changes --since YYYY-MM-DD` "
               "gives the full feed.")
    st.dataframe(changes, hide_index=True, width="stretch", placeholder="",
                 column_config={"detected_at": WHEN | {"label": "Found"}, **CHANGES,
                                "la_code": None, "inspection_id": None})


def _licences() -> None:
    st.header("Licences and attribution")
    st.markdown(
        f"- {OGL_ATTRIBUTION} ([{OGL}](https://www.nationalarchives.gov.uk/doc/"
        "open-government-licence/version/3/)): Ofsted inspection reports and official "
        "statistics, DfE local authority and statistical neighbour data.\n"
        f"- {HEX_ATTRIBUTION}\n"
        "- Council papers quoted as reference figures are cited by name in the table above.\n"
        f"- Figures computed here: Inspection Outcomes analysis, as at the build of "
        f"{last_build() or format_date(dt.date.today())}."
    )


main()
