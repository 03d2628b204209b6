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
from views._shared import (
    TODAY,
    build_id,
    computed,
    connection,
    empty_state,
    last_build,
    query,
    require_database,
    set_url,
    show_data_end_caveat,
    show_url_notes,
    url_choice,
)

ALL = "all"
HEX_ATTRIBUTION = (
    "Hex map layout: UK upper-tier local authorities HexJSON by Open Innovations "
    "(open-innovations.org), MIT licence."
)
DATE = st.column_config.DateColumn(format="D MMM YYYY")
SOURCE_ROWS = 1000


@st.cache_data(show_spinner="Reconciling computed figures with published ones…")
def _reconciled(build: str) -> pd.DataFrame:
    """etl.reconcile over the whole reference set, computed once per database build."""
    from etl.warehouse.reconcile import reconcile

    return reconcile(connection())


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
        st.dataframe(runs, hide_index=True, width="stretch")


def _frameworks() -> None:
    st.header("Frameworks since 2009")
    fw = query("data/framework_summary")
    st.caption("Every inspection framework the model holds, with its grade scale and where its "
               "overall effectiveness comes from: SLAC gave none (the worse of its two strands "
               "is used); the pre-2013 frameworks grade on a scale with 'adequate' (counted as "
               "failing, shown as its own category); ILACS inspections starting on or after "
               "the 'no overall from' date give no overall grade; area SEND inspections have a "
               "scale of their own and are in no four-point figure.")
    st.dataframe(fw, hide_index=True, width="stretch",
                 column_config={"period_from": DATE, "period_to": DATE,
                                "no_overall_from": DATE, "first_report": DATE,
                                "last_report": DATE,
                                "label": st.column_config.TextColumn("label", width="large")})


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
    cols[3].metric("LAs with a grade resting on secondary evidence only",
                   int(cov["has_secondary_evidence"].fillna(False).astype(bool).sum()))
    show_data_end_caveat(TODAY)
    if len(no_ilacs) or len(no_sif):
        st.caption(
            "Current LAs with no ILACS inspection in the collection: "
            + (", ".join(no_ilacs["la_name"]) or "none") + ". Pre-2019 LAs with no SIF "
            "inspection: " + (", ".join(no_sif["la_name"]) or "none") + "."
        )
    st.dataframe(cov, hide_index=True, width="stretch",
                 column_config={"valid_from": DATE, "valid_to": DATE})


def _provenance() -> None:
    st.header("Provenance")
    kinds = query("data/sources_by_kind")
    if kinds.empty:
        empty_state("No sources are recorded in this build.")
        return
    st.caption("Each kind of source, most trusted first: where sources disagree about a "
               "grade or date, the one with the lowest precedence number is used (the others "
               "are kept and listed under the conflicts below).")
    st.dataframe(kinds, hide_index=True, width="stretch")
    with st.expander("Every source file (path, URL, checksum, parser version)"):
        # One kind at a time and at most SOURCE_ROWS of them: a larger collection has far more
        # files than a table in a page can hold (issue 14).
        kind = st.selectbox("Kind of source file", [ALL, *kinds["kind"]], key="data_sources_kind",
                            format_func=lambda k: "All sources" if k == ALL else k)
        files = query("data/sources", kind=None if kind == ALL else kind, max_rows=SOURCE_ROWS)
        total = int(kinds["sources"].sum() if kind == ALL
                    else kinds.loc[kinds["kind"] == kind, "sources"].sum())
        if total > len(files):
            st.caption(f"The first {len(files):,} of {total:,} source files, most trusted "
                       "first; choose a kind to see others.")
        st.dataframe(files, hide_index=True, width="stretch",
                     column_config={"as_at": DATE, "published_by": DATE,
                                    "url": st.column_config.LinkColumn("url")})


def _reconcile() -> None:
    st.header("Published figures beside computed ones")
    st.caption("Figures quoted in papers and official statistics, and the same figure computed "
               "from the collection. They will not always match (missing reports, different "
               "counting dates, first vs latest inspection); the explanation says why.")
    try:
        rec = _reconciled(build_id())
    except Exception as exc:  # a failing figure must not take the page down
        st.error(f"The reconciliation could not be computed: {exc}")
        return
    if rec.empty:
        empty_state("No reference figures are loaded.")
        return
    matched = int(rec["matches"].sum())
    st.metric("Reference figures matched", f"{matched} of {len(rec)}")
    st.dataframe(
        rec, hide_index=True, width="stretch", key="reconcile-table",
        height=min(38 + 35 * len(rec), 1000),
        column_order=["figure_id", "published", "computed", "matches", "unit", "explanation",
                      "description", "source"],
        column_config={
            "figure_id": st.column_config.TextColumn("Figure", pinned=True, width="medium"),
            "explanation": st.column_config.TextColumn("Why they differ (or agree)",
                                                       width="large"),
            "description": st.column_config.TextColumn("Published figure", width="large"),
            "matches": st.column_config.CheckboxColumn("Matches"),
            "published": st.column_config.NumberColumn("Published", format="%.4g"),
            "computed": st.column_config.NumberColumn("Computed", format="%.4g"),
        },
    )
    st.download_button("CSV", export_data(rec, "csv"), "reconciliation.csv",
                       "text/csv", key="csv-reconcile")
    differ = rec[~rec["matches"].astype(bool)]
    if len(differ):
        with st.expander(f"Why the {len(differ)} figures that differ do so"):
            st.markdown("\n".join(
                f"- **{r.figure_id}** ({r.description}): published {r.published:g}, computed "
                f"{'–' if pd.isna(r.computed) else f'{r.computed:g}'}. {r.explanation}"
                for r in differ.itertuples(index=False)))


def _release_2023() -> None:
    """Ofsted's 2023 release ('as at 31 March 2023') beside the computed figures: the release
    counts an LA whose report came after its own cut-off, and says so in its Notes."""
    from etl.warehouse.reconcile import release_departures

    dep = computed(release_departures)
    if dep.empty:
        return
    st.subheader("Ofsted's 2023 release beside the computed figures")
    las_named = sorted({n for names in dep["departure_las"] for n in names.split(", ") if n})
    first = dep.iloc[0]
    st.markdown(
        f"*{first['source']}*: LAs by their latest judgement as at "
        f"{pd.Timestamp(first['as_at']):%-d %B %Y}, reports published by "
        f"{pd.Timestamp(first['published_by']):%-d %B %Y}. The release departs from that "
        f"basis for **{', '.join(las_named)}**; computed on the stated basis the figures differ "
        "by that LA, computed on the release's own basis they match.")
    st.info("**The release's note:** " + str(first["departure"]), icon=":material/format_quote:")
    from etl.figures.style import area_label, grade_label

    table = dep.assign(
        judgement=dep["area"].map(area_label), grade=dep["grade"].map(grade_label),
        difference=dep["computed_stated_basis"] - dep["published"])[[
            "judgement", "grade", "published", "computed_stated_basis",
            "computed_release_basis", "difference", "departure_las"]]
    st.dataframe(table, hide_index=True, width="stretch", key="release-2023",
                 column_config={
                     "published": st.column_config.NumberColumn("Release", format="%d"),
                     "computed_stated_basis": st.column_config.NumberColumn(
                         "Computed: reports published by the cut-off", format="%d"),
                     "computed_release_basis": st.column_config.NumberColumn(
                         "Computed: as the release counted", format="%d"),
                     "difference": st.column_config.NumberColumn(
                         "Stated basis − release", format="%+d"),
                     "departure_las": "Counted by the release after its cut-off"})
    st.download_button("CSV", export_data(dep, "csv"), "release-2023.csv", "text/csv",
                       key="csv-release-2023")


def _conflicts() -> None:
    st.header("Where sources disagree")
    conf = query("data/conflicts")
    if conf.empty:
        empty_state("No judgement has different grades in different sources.")
        return
    st.caption(f"{len(conf)} judgements have different grades in different sources. The model "
               "uses the most trusted source's grade (chosen_grade); every source's words are "
               "in observations.")
    st.dataframe(conf, hide_index=True, width="stretch",
                 column_config={"published_date": DATE})


def _quarantine() -> None:
    st.header("Quarantine")
    everything = query("data/quarantine", source_kind=None)
    if everything.empty:
        empty_state("No rows were refused in this build.")
        return
    kinds = sorted(everything["source_kind"].unique())
    if "data_quarantine" not in st.session_state:
        st.session_state["data_quarantine"] = url_choice("quarantine", [ALL, *kinds], ALL)
        show_url_notes()
    kind = st.selectbox("Source kind", [ALL, *kinds], key="data_quarantine",
                        format_func=lambda k: "All sources" if k == ALL else k)
    set_url(quarantine=None if kind == ALL else kind)
    rows = everything if kind == ALL else query("data/quarantine", source_kind=kind)
    st.caption(f"{len(rows)} rows refused by the build, each with its file, row and reason; "
               "none of them counts in any figure.")
    summary = rows.groupby(["source_kind", "file"], dropna=False).size().rename("rows")
    st.dataframe(summary.reset_index().sort_values("rows", ascending=False),
                 hide_index=True, width="stretch")
    st.dataframe(rows, hide_index=True, width="stretch",
                 column_order=["source_kind", "file", "row_ref", "reason", "raw", "source_id"],
                 column_config={"reason": st.column_config.TextColumn("reason", width="large")})


def _changes() -> None:
    st.header("Latest changes")
    changes = query("data/latest_changes")
    if changes.empty:
        empty_state("No changes recorded yet: the change feed fills when `python -m etl "
                    "refresh` finds new reports or changed grades.")
        return
    newest = pd.Timestamp(changes["detected_at"].max())
    st.caption(f"The {len(changes)} most recent changes, newest {newest:%d %b %Y %H:%M}. "
               "`python -m etl changes --since YYYY-MM-DD` gives the full feed.")
    st.dataframe(changes, hide_index=True, width="stretch")


def _licences() -> None:
    st.header("Licences and attribution")
    st.markdown(
        f"- {OGL_ATTRIBUTION} ([{OGL}](https://www.nationalarchives.gov.uk/doc/"
        "open-government-licence/version/3/)): Ofsted inspection reports and official "
        "statistics, DfE local authority and statistical neighbour data.\n"
        f"- {HEX_ATTRIBUTION}\n"
        "- Council papers quoted as reference figures are cited by name in the table above.\n"
        f"- Figures computed here: Inspection Outcomes analysis, as at the build of "
        f"{last_build() or dt.date.today():}."
    )


main()
