"""Statistical neighbours: an LA against its 10 DfE statistical neighbours, its region and
England, with a hex map of England. By default the neighbour set in force on the date (DfE's
2021 or 2025 model), named, with the 2025 model's closeness bands; the lookup's current and
previous sets (the 2025 and 2021 models) can still be chosen.
URL: ?la=855&vintage=in_force&area=...&as_at=...&fw=...&superseded=carry_forward"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from etl.figures import categories, hexmap, neighbours, neighbours_comparison
from etl.figures.chart import HISTORY_START, NoData
from etl.figures.export import export_data
from etl.figures.style import CHART_GRADES, area_label, area_phrase, format_date, format_pct
from etl.figures.style import grade_label as chart_grade_label
from etl.vocab import GRADE_RANK, NO_OVERALL_GRADE
from views._shared import (
    TODAY,
    cached_reads,
    chart_block,
    empty_state,
    la_names,
    no_data,
    no_overall_table,
    query,
    render,
    require_database,
    seed_state,
    seed_superseded,
    set_url,
    show,
    show_data_end_caveat,
    show_url_notes,
    superseded_option,
    url_choice,
    url_date,
    url_la,
)
from views._tables import (
    date_text,
    day_column,
    grade_column,
    link,
    people_table,
    percent_column,
)

DEFAULT_LA = "855"  # Leicestershire: seed 003 compares it with its neighbours
VINTAGE_LABELS = {"in_force": "In force on the date", "2025": "2025 model",
                  "2021": "2021 model", "current": "Lookup: current",
                  "previous": "Lookup: previous"}
FRAMEWORK_CHOICES = {"any": "Any (latest)", "SIF": "SIF 2013–18", "ILACS": "ILACS 2018–"}
TABLE_AREAS = ("overall_effectiveness", "leadership", "help_and_protection",
               "children_looked_after", "children_in_care_and_care_leavers", "care_leavers",
               "adoption", "lscb", "safeguarding")
# The grades table's headings: short, so eleven LAs' grades fit side by side on a 1440 px
# screen (the full names are the Judgement choice's).
SHORT_AREAS = {
    "overall_effectiveness": "Overall effectiveness",
    "leadership": "Leadership / impact of leaders",
    "help_and_protection": "Help and protection",
    "children_looked_after": "Children in care",
    "children_in_care_and_care_leavers": "Children in care and care leavers",
    "care_leavers": "Care leavers",
    "adoption": "Adoption",
    "lscb": "LSCB",
    "safeguarding": "Safeguarding (SLAC)",
}
EVIDENCE_WORDS = {"primary": "Ofsted document", "derived": "Scraped list or council paper",
                  "secondary": "⚠ News or council web page only"}


# The charts' data in words (their CSV/XLSX keep the codes).
NEIGHBOUR_COLUMNS = {  # widths that fit a 1440 px screen, the longest grade label included
    "la_code": None, "is_focus": None,
    "la_name": st.column_config.TextColumn("Local authority", width=180),
    "rank": st.column_config.NumberColumn("Rank", format="%d", width=60,
                                          help="0: the LA itself; 1: its closest neighbour."),
    "grade": grade_column("Grade", width=330),
    "published_date": day_column("Published", width=130),
    "framework": st.column_config.TextColumn("Framework", width=90),
    "closeness": st.column_config.TextColumn("Closeness", width=110),
    # the set is the chart's subtitle; the superseded grade only matters when carried forward
    "vintage_used": None,
    "previous_grade": grade_column("Previous overall grade (superseded)"),
    "is_superseded": st.column_config.CheckboxColumn("Carried forward (superseded)"),
}
COMPARISON_COLUMNS = {
    "group": "Group",
    "grade": grade_column("Grade"),
    "n": st.column_config.NumberColumn("LAs", format="%d"),
    "share": percent_column("Share of the group's graded LAs"),
}
HEXMAP_COLUMNS = {
    "la_code": None,
    "name": "Local authority",
    "grade": grade_column("Grade"),
    "is_superseded": st.column_config.CheckboxColumn("Carried forward (superseded)"),
}


def _grade_label(g: object) -> str:
    return chart_grade_label(g) if isinstance(g, str) and g in CHART_GRADES else ""


def _overall_label(r: pd.Series) -> str:
    """The overall column: an inspection since the April 2026 change gives none (and says
    which grade it supersedes)."""
    if bool(r.get("no_overall_by_design")):
        prev = r.get("previous_overall")
        return ("No overall grade (since April 2026"
                + (f"; was {_grade_label(prev)})" if isinstance(prev, str) else ")"))
    return _grade_label(r.get("overall_effectiveness"))


def _day(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s).dt.date


def _not_yet(table: pd.DataFrame, as_at: dt.date) -> pd.Series:
    """Whether each LA was created after the date (a neighbour set drawn up later names it)."""
    return pd.to_datetime(table["valid_from"]) > pd.Timestamp(as_at)


def _grades_table(table: pd.DataFrame, la: str, vintage: str, as_at: dt.date) -> None:
    """Each LA's latest graded inspection with all its grades side by side: headings and
    cells wrap, so the table fits the page."""
    from etl.figures.la_timeline import row_label

    shown = pd.DataFrame({
        "Rank": table["rank"].map(lambda r: "LA" if r == 0 else str(int(r))),
        "Local authority": table["la_name"].fillna(table["la_code"]),
        "Closeness": table["closeness"].fillna(""),
        "Inspection": [row_label(f, t) if isinstance(f, str) else
                       "Did not exist yet" if born else "None published"
                       for f, t, born in zip(table["framework"], table["inspection_type"],
                                             _not_yet(table, as_at), strict=True)],
        "Published": table["published_date"].map(date_text),
        **{SHORT_AREAS[a]: table[a].map(_grade_label) for a in TABLE_AREAS},
        "Evidence": table["evidence"].map(lambda e: EVIDENCE_WORDS.get(e, "")),
        # a row with no inspection has no report to point to
        "Report": [link("report", u) if isinstance(u, str) and u else "" for u in table["report_url"]],
    })
    shown[SHORT_AREAS["overall_effectiveness"]] = [_overall_label(r)
                                                   for _, r in table.iterrows()]
    if not shown["Closeness"].ne("").any():
        shown = shown.drop(columns="Closeness")
    if not table["evidence"].isin(["derived", "secondary"]).any():
        shown = shown.drop(columns="Evidence")  # every row rests on an Ofsted document
    # Drop area columns nobody in the group has a grade for (e.g. adoption under ILACS).
    shown = shown[[c for c in shown.columns
                   if c not in set(SHORT_AREAS.values()) or shown[c].ne("").any()]]
    people_table(shown)


def _table_notes(table: pd.DataFrame, as_at) -> None:
    notes = ["Each row is the LA's latest graded inspection published by the date; blank cells "
             "are judgements that inspection did not give (SIF gave adoption and the LSCB "
             "review; ILACS gives children in care and care leavers as one judgement until "
             "2022; ILACS inspections starting from 20 April 2026 give no overall grade)."]
    if table["closeness"].notna().any():
        notes.append("Closeness: the DfE model's band for each neighbour (very close, close, "
                     "somewhat close…).")
    grades = table[[a for a in TABLE_AREAS if a in table.columns]].stack()
    if (grades == "adequate").any():
        notes.append(categories.adequate_note())
    if table["overall_text"].notna().any():
        notes.append("SLAC inspections (2009–2012) gave no overall grade: the overall column "
                     "shows the worse of their safeguarding and children-in-care grades, as "
                     "every figure counts it.")
    not_yet = table[_not_yet(table, as_at)]
    if not not_yet.empty:
        notes.append("Did not exist yet on the date (created in a later reorganisation; the "
                     "neighbour set was drawn up after it): "
                     + ", ".join(not_yet["la_name"]) + ".")
    no_insp = table[table["framework"].isna() & ~_not_yet(table, as_at)]
    if not no_insp.empty:
        notes.append("No graded inspection published by then: "
                     + ", ".join(no_insp["la_name"].fillna(no_insp["la_code"])) + ".")
    gone = table[table["valid_to"].notna()
                 & (pd.to_datetime(table["valid_to"]) < pd.Timestamp(as_at))]
    if not gone.empty:
        notes.append("No longer exists (abolished in a reorganisation): "
                     + ", ".join(gone["la_name"]) + ".")
    secondary = table[table["evidence"] == "secondary"]
    if not secondary.empty:
        notes.append("Secondary evidence only (news or council web page, no Ofsted document): "
                     + ", ".join(secondary["la_name"]) + ".")
    st.caption(" ".join(notes))


def _differs(table: pd.DataFrame, nb: pd.DataFrame, area: str) -> None:
    """The table shows each LA's latest inspection; the chart its latest grade in this area.
    Say where they differ (e.g. an inspection from April 2026 gives no overall grade)."""
    both = table.merge(nb[["la_code", "inspection_id", "grade", "published_date"]],
                       on="la_code", how="inner", suffixes=("", "_nb"))
    differs = both[both["inspection_id_nb"].notna() & both["inspection_id"].notna()
                   & (both["inspection_id"] != both["inspection_id_nb"])]
    older = [f"{r.la_name} (latest inspection, published "
             f"{format_date(r.published_date)}, gave no {area_label(area).lower()} grade; "
             f"the chart shows the one published {format_date(r.published_date_nb)})"
             for r in differs.itertuples()]
    if older:
        st.caption("Chart and table differ for: " + "; ".join(older) + ".")


def _rank(params: neighbours.Params, la_name: str, nb: pd.DataFrame,
          england: pd.DataFrame) -> None:
    """Where the LA ranks in its group and in England (from the comparison chart's England
    counts, so the sentence and the chart agree)."""
    focus = nb[nb["is_focus"]].iloc[0]
    phrase = area_phrase(params.area)
    if focus["grade"] == NO_OVERALL_GRADE:
        empty_state(f"{la_name} has no current {phrase} grade: its latest inspection (started "
                    f"{format_date(focus['start_date'])}) came after the April 2026 change, "
                    "which gives none, so it has no rank on this basis. Its four other "
                    "judgements are listed above; choose one of them as the judgement to rank "
                    "it, or carry the previous grade forward.")
        return
    if not isinstance(focus["grade"], str) or focus["grade"] not in GRADE_RANK \
            or focus["grade"] == "not_judged":
        empty_state(f"{la_name} has no published {phrase} grade "
                    f"({neighbours.framework_phrase(params)}) by {format_date(params.as_at)}, "
                    "so it has no rank.")
        return
    rank = int(focus["grade_rank"])
    ranked = [g for g in CHART_GRADES if GRADE_RANK[g] <= 4]  # the graded categories
    grp = nb[nb["grade"].isin(ranked)]
    better = int((grp["grade_rank"] < rank).sum())
    same = int((grp["grade_rank"] == rank).sum()) - 1
    n_of = {g: int(n) for g, n in zip(england["grade"], england["n"], strict=True)
            if g in ranked}
    n_england = sum(n_of.values())
    eng_better = sum(n for g, n in n_of.items() if GRADE_RANK[g] < rank)
    eng_same = sum(n for g, n in n_of.items() if GRADE_RANK[g] == rank)
    ok = (n_of.get("outstanding", 0) + n_of.get("good", 0)) / n_england
    superseded = " (superseded, carried forward)" if focus.get("is_superseded") is True else ""
    st.markdown(
        f"**Where {la_name} ranks.** Its {phrase} grade is "
        f"**{chart_grade_label(focus['grade']).lower()}**{superseded} "
        f"({focus['framework']}, published {format_date(focus['published_date'])}). "
        f"Among the {len(grp)} graded LAs in its group (itself and its neighbours) it "
        f"ranks {'joint ' if same else ''}**{better + 1} of {len(grp)}**: {better} "
        f"neighbour(s) have a better grade and {same} the same. In England, "
        f"{eng_better} of {n_england} graded LAs have a better grade and "
        f"{eng_same} (including {la_name}) the same; "
        f"{format_pct(ok)} of England's graded LAs are good or better."
        + (" Adequate (pre-2013 scale) ranks with requires improvement."
           if "adequate" in n_of or focus["grade"] == "adequate" else "")
    )
    show_data_end_caveat(params.as_at)


def main() -> None:
    st.title("Statistical neighbours")
    require_database()
    st.caption("How a local authority's Ofsted grades compare with the 10 authorities DfE's "
               "children's services statistical neighbour model finds most similar to it, with "
               "its region and England alongside.")

    names = la_names()
    area_options = [*query("national/areas")["area"], "any_practice"]
    la = url_la("la", DEFAULT_LA if DEFAULT_LA in names else next(iter(names)), names)
    vintage = url_choice("vintage", list(neighbours.VINTAGES), "in_force")
    area = url_choice("area", area_options, "overall_effectiveness")
    fw = url_choice("fw", list(FRAMEWORK_CHOICES), "any")
    as_at = url_date("as_at", TODAY)
    seed_superseded("nb_superseded")
    show_url_notes()

    seed_state("nb_la", la)
    seed_state("nb_vintage", vintage)
    seed_state("nb_area", area)
    seed_state("nb_fw", fw)
    seed_state("nb_as_at", as_at)

    c1, c2, c3, c4 = st.columns([3, 3, 2, 2])
    la = c1.selectbox("Local authority", list(names), key="nb_la",
                      format_func=lambda c: f"{names[c]} ({c})")
    area = c2.selectbox("Judgement", area_options, key="nb_area", format_func=area_label)
    fw = c3.selectbox("Framework", list(FRAMEWORK_CHOICES), key="nb_fw",
                      format_func=FRAMEWORK_CHOICES.get)
    as_at = c4.date_input("As at", key="nb_as_at", min_value=HISTORY_START, max_value=TODAY,
                          format="DD/MM/YYYY")
    vintage = st.radio("Neighbour set", list(neighbours.VINTAGES), key="nb_vintage",
                       format_func=VINTAGE_LABELS.get, horizontal=True,
                       help="DfE's children's services statistical neighbour models: the 2021 "
                            "groupings (in force from April 2021) and the 2025 model. By "
                            "default the one in force on the date. The LA lookup's 'current' "
                            "set holds the 2025 model's neighbours, its 'previous' set the 2021 "
                            "model's (in another rank order).")
    superseded = superseded_option("nb_superseded")
    set_url(la=la, vintage=vintage, area=area, fw=fw, as_at=as_at)

    params = neighbours.Params(la=la, as_at=as_at, area=area, vintage=vintage,
                               framework=None if fw == "any" else fw, superseded=superseded)
    la_name = names[la]
    vintage_phrase = neighbours.vintage_phrase(cached_reads(), params)

    table = query("neighbours/neighbour_table", la_code=la, vintage=vintage, as_at=as_at,
                  framework=params.framework)
    group = table[table["rank"] > 0]
    if group.empty:
        empty_state(f"{la_name} has no statistical neighbours in the {vintage_phrase}. "
                    "(DfE gives neighbours to current LAs; an LA abolished before the set was "
                    "made has none.) Try another neighbour set.")
        return

    st.markdown(f"**{la_name}** and its {len(group)} statistical neighbours — "
                f"**{vintage_phrase}** (DfE children's services statistical neighbour model), "
                f"grades as at **{format_date(as_at)}** ({neighbours.framework_phrase(params)}).")
    show_data_end_caveat(as_at)

    st.header("Latest inspection grades")
    _grades_table(table, la, vintage, as_at)
    _table_notes(table, as_at)
    if area == "overall_effectiveness":
        no_overall_table(as_at, framework=params.framework, only=list(table["la_code"]),
                         key=f"nb-no-overall-{la}")
    st.download_button("Download this table (CSV)", export_data(table, "csv"),
                       f"neighbours-{la}-{vintage}.csv", "text/csv", key="nb-table-csv")

    st.header(f"{area_label(area)}: {la_name} against its neighbours")
    try:
        chart = render(neighbours, params)
        carried = bool(chart.data["is_superseded"].any())
        chart_block(chart, f"nb-{la}", column_config={
            **NEIGHBOUR_COLUMNS, **({} if carried else {"previous_grade": None,
                                                        "is_superseded": None})})
    except NoData as exc:
        no_data(exc)
        return
    nb = query(neighbours.QUERY, la_code=la, as_at=as_at, area=area, vintage=vintage,
               framework=params.framework, superseded=superseded, wording="at_the_time")
    _differs(table, nb, area)

    st.header("Neighbours, region and England")
    try:
        comparison = render(neighbours_comparison, params)
    except NoData as exc:
        no_data(exc)
        return
    chart_block(comparison, f"nbgroup-{la}", column_config=COMPARISON_COLUMNS)
    _rank(params, la_name, nb, comparison.data[comparison.data["group"] == "England"])

    st.header("England")
    show(hexmap, params, f"nbhex-{la}", column_config=HEXMAP_COLUMNS)


main()
