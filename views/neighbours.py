"""Statistical neighbours: an LA against its 10 DfE statistical neighbours, its region and
England, with a hex map of England. URL: ?la=855&vintage=current&area=...&as_at=...&fw=..."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.figures import hexmap, neighbours, neighbours_comparison
from etl.figures.chart import EARLIEST, NoData
from etl.figures.export import export_data
from etl.figures.style import area_label, area_phrase, format_date, format_pct
from etl.vocab import AREAS, GRADE_LABELS, GRADES
from views._shared import (
    TODAY,
    chart_block,
    empty_state,
    las,
    no_data,
    query,
    render,
    require_database,
    seed_state,
    set_url,
    show,
    show_url_notes,
    url_choice,
    url_date,
)

DEFAULT_LA = "855"  # Leicestershire: seed 003 compares it with its neighbours
VINTAGE_LABELS = {"current": "Current DfE set", "previous": "Previous DfE set"}
FRAMEWORK_CHOICES = {"any": "Any (latest)", "SIF": "SIF 2013–18", "ILACS": "ILACS 2018–"}
TABLE_AREAS = ("overall_effectiveness", "leadership", "help_and_protection",
               "children_looked_after", "children_in_care_and_care_leavers", "care_leavers",
               "adoption", "lscb")


def _grade_label(g: object) -> str:
    return GRADE_LABELS.get(g, "") if isinstance(g, str) else ""


def _day(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s).dt.date


def _grades_table(table: pd.DataFrame, la: str, vintage: str) -> None:
    """Each LA's latest graded inspection with all its grades side by side."""
    shown = pd.DataFrame({
        "Rank": table["rank"].map(lambda r: "LA" if r == 0 else str(int(r))),
        "Local authority": table["la_name"].fillna(table["la_code"]),
        "Framework": table["framework"],
        "Inspection": table["inspection_type"],
        "Inspected (end)": _day(table["end_date"]),
        "Published": _day(table["published_date"]),
        **{area_label(a): table[a].map(_grade_label) for a in TABLE_AREAS},
        "Evidence": table["evidence"],
        "Report": table["report_url"],
    })
    # Drop area columns nobody in the group has a grade for (e.g. adoption under ILACS).
    shown = shown[[c for c in shown.columns
                   if c not in {area_label(a) for a in TABLE_AREAS} or shown[c].ne("").any()]]
    st.dataframe(shown, hide_index=True, width="stretch", height=36 * (len(shown) + 1) + 4,
                 column_config={"Report": st.column_config.LinkColumn("Report",
                                                                      display_text="report")})


def _table_notes(table: pd.DataFrame, as_at) -> None:
    notes = ["Each row is the LA's latest graded inspection published by the date; blank cells "
             "are judgements that inspection did not give (SIF gave adoption and the LSCB "
             "review; ILACS gives children in care and care leavers as one judgement until "
             "2022)."]
    no_insp = table[table["framework"].isna()]
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
    if focus["grade"] not in GRADES:
        empty_state(f"{la_name} has no published {phrase} grade "
                    f"({neighbours.framework_phrase(params)}) by {format_date(params.as_at)}, "
                    "so it has no rank.")
        return
    rank = int(focus["grade_rank"])
    grp = nb[nb["grade"].isin(GRADES)]
    better = int((grp["grade_rank"] < rank).sum())
    same = int((grp["grade_rank"] == rank).sum()) - 1
    n_of = dict(zip(england["grade"], england["n"].astype(int), strict=True))
    n_england = sum(n_of.values())
    eng_better = sum(n_of.get(g, 0) for g in GRADES[:rank - 1])
    eng_same = n_of.get(focus["grade"], 0)
    ok = (n_of.get("outstanding", 0) + n_of.get("good", 0)) / n_england
    st.markdown(
        f"**Where {la_name} ranks.** Its {phrase} grade is "
        f"**{GRADE_LABELS[focus['grade']].lower()}** "
        f"({focus['framework']}, published {format_date(focus['published_date'])}). "
        f"Among the {len(grp)} graded LAs in its group (itself and its neighbours) it "
        f"ranks {'joint ' if same else ''}**{better + 1} of {len(grp)}**: {better} "
        f"neighbour(s) have a better grade and {same} the same. In England, "
        f"{eng_better} of {n_england} graded LAs have a better grade and "
        f"{eng_same} (including {la_name}) the same; "
        f"{format_pct(ok)} of England is good or better."
    )


def main() -> None:
    st.title("Statistical neighbours")
    require_database()
    st.caption("How a local authority's Ofsted grades compare with the 10 authorities DfE's "
               "children's services statistical neighbour model finds most similar to it, with "
               "its region and England alongside.")

    la_df = las()
    names = dict(zip(la_df["la_code"], la_df["name"], strict=True))
    la = url_choice("la", list(names), DEFAULT_LA if DEFAULT_LA in names else next(iter(names)))
    vintage = url_choice("vintage", list(neighbours.VINTAGES), "current")
    area = url_choice("area", list(AREAS), "overall_effectiveness")
    fw = url_choice("fw", list(FRAMEWORK_CHOICES), "any")
    as_at = url_date("as_at", TODAY)
    show_url_notes()

    seed_state("nb_la", la)
    seed_state("nb_vintage", vintage)
    seed_state("nb_area", area)
    seed_state("nb_fw", fw)
    seed_state("nb_as_at", as_at)

    c1, c2, c3, c4, c5 = st.columns([3, 2, 3, 2, 2])
    la = c1.selectbox("Local authority", list(names), key="nb_la",
                      format_func=lambda c: f"{names[c]} ({c})")
    vintage = c2.radio("Neighbour set", list(neighbours.VINTAGES), key="nb_vintage",
                       format_func=VINTAGE_LABELS.get, horizontal=True)
    area = c3.selectbox("Judgement", list(AREAS), key="nb_area", format_func=area_label)
    fw = c4.selectbox("Framework", list(FRAMEWORK_CHOICES), key="nb_fw",
                      format_func=FRAMEWORK_CHOICES.get)
    as_at = c5.date_input("As at", key="nb_as_at", min_value=EARLIEST, max_value=TODAY,
                          format="DD/MM/YYYY")
    set_url(la=la, vintage=vintage, area=area, fw=fw, as_at=as_at)

    params = neighbours.Params(la=la, as_at=as_at, area=area, vintage=vintage,
                               framework=None if fw == "any" else fw)
    la_name = names[la]
    vintage_phrase = neighbours.VINTAGES[vintage]

    table = query("neighbours/neighbour_table", la_code=la, vintage=vintage, as_at=as_at,
                  framework=params.framework)
    group = table[table["rank"] > 0]
    if group.empty:
        empty_state(f"{la_name} has no statistical neighbours in the {vintage_phrase}. "
                    "(DfE gives neighbours to current LAs; an LA abolished before the set was "
                    "made has none.) Try the other neighbour set.")
        return

    st.markdown(f"**{la_name}** and its {len(group)} statistical neighbours — "
                f"**{vintage_phrase}** (DfE children's services statistical neighbour model), "
                f"grades as at **{format_date(as_at)}** ({neighbours.framework_phrase(params)}).")

    st.subheader("Latest inspection grades")
    _grades_table(table, la, vintage)
    _table_notes(table, as_at)
    st.download_button("Download this table (CSV)", export_data(table, "csv"),
                       f"neighbours-{la}-{vintage}.csv", "text/csv", key="nb-table-csv")

    st.subheader(f"{area_label(area)}: {la_name} against its neighbours")
    try:
        chart_block(render(neighbours, params), f"nb-{la}")
    except NoData as exc:
        no_data(exc)
        return
    nb = query(neighbours.QUERY, la_code=la, as_at=as_at, area=area, vintage=vintage,
               framework=params.framework)
    _differs(table, nb, area)

    st.subheader("Neighbours, region and England")
    try:
        comparison = render(neighbours_comparison, params)
    except NoData as exc:
        no_data(exc)
        return
    chart_block(comparison, f"nbgroup-{la}")
    _rank(params, la_name, nb, comparison.data[comparison.data["group"] == "England"])

    st.subheader("England")
    show(hexmap, params, f"nbhex-{la}")


main()
