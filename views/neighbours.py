"""Statistical neighbours: an LA against its 10 DfE statistical neighbours, its region and
England, with a hex map of England. URL: ?la=855&vintage=current&area=...&as_at=...&fw=..."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.charts import (
    GRADE_LABELS,
    ChartSpec,
    format_date,
    format_pct,
    grade_by_group_figure,
    hexmap_figure,
    neighbours_figure,
)
from etl.vocab import AREAS, GRADES
from views._shared import (
    TODAY,
    area_label,
    chart_block,
    empty_state,
    figure,
    las,
    query,
    seed_state,
    set_url,
    show_url_notes,
    url_choice,
    url_date,
)

DEFAULT_LA = "855"  # Leicestershire: seed 003 compares it with its neighbours
VINTAGES = {"current": "current DfE set", "previous": "previous DfE set"}
VINTAGE_LABELS = {"current": "Current DfE set", "previous": "Previous DfE set"}
FRAMEWORK_CHOICES = {"any": "Any (latest)", "SIF": "SIF 2013–18", "ILACS": "ILACS 2018–"}
TABLE_AREAS = ("overall_effectiveness", "leadership", "help_and_protection",
               "children_looked_after", "children_in_care_and_care_leavers", "care_leavers",
               "adoption", "lscb")


def _grade_label(g: object) -> str:
    return GRADE_LABELS.get(g, "") if isinstance(g, str) else ""


def _day(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s).dt.date


st.title("Statistical neighbours")
st.caption("How a local authority's Ofsted grades compare with the 10 authorities DfE's "
           "children's services statistical neighbour model finds most similar to it, with "
           "its region and England alongside.")

la_df = las()
names = dict(zip(la_df["la_code"], la_df["name"], strict=True))
la = url_choice("la", list(names), DEFAULT_LA if DEFAULT_LA in names else next(iter(names)))
vintage = url_choice("vintage", list(VINTAGES), "current")
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
vintage = c2.radio("Neighbour set", list(VINTAGES), key="nb_vintage",
                   format_func=VINTAGE_LABELS.get, horizontal=True)
area = c3.selectbox("Judgement", list(AREAS), key="nb_area", format_func=area_label)
fw = c4.selectbox("Framework", list(FRAMEWORK_CHOICES), key="nb_fw",
                  format_func=FRAMEWORK_CHOICES.get)
as_at = c5.date_input("As at", key="nb_as_at", min_value=pd.Timestamp("2013-11-01").date(),
                      max_value=TODAY, format="DD/MM/YYYY")
set_url(la=la, vintage=vintage, area=area, fw=fw, as_at=as_at)

framework = None if fw == "any" else fw
la_name = names[la]
vintage_phrase = VINTAGES[vintage]
fw_phrase = "any framework" if framework is None else framework

table = query("neighbours/neighbour_table", la_code=la, vintage=vintage, as_at=as_at,
              framework=framework)
neighbours = table[table["rank"] > 0]
if neighbours.empty:
    empty_state(f"{la_name} has no statistical neighbours in the {vintage_phrase}. "
                "(DfE gives neighbours to current LAs; an LA abolished before the set was "
                "made has none.) Try the other neighbour set.")
    st.stop()

st.markdown(f"**{la_name}** and its {len(neighbours)} statistical neighbours — "
            f"**{vintage_phrase}** (DfE children's services statistical neighbour model), "
            f"grades as at **{format_date(as_at)}** ({fw_phrase}).")

# ---------------------------------------------------------------- the neighbours table
st.subheader("Latest inspection grades")
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
notes = ["Each row is the LA's latest graded inspection published by the date; blank cells "
         "are judgements that inspection did not give (SIF gave adoption and the LSCB review; ILACS "
         "gives children in care and care leavers as one judgement until 2022)."]
no_insp = table[table["framework"].isna()]
if not no_insp.empty:
    notes.append("No graded inspection published by then: "
                 + ", ".join(no_insp["la_name"].fillna(no_insp["la_code"])) + ".")
gone = table[table["valid_to"].notna() & (pd.to_datetime(table["valid_to"]) < pd.Timestamp(as_at))]
if not gone.empty:
    notes.append("No longer exists (abolished in a reorganisation): "
                 + ", ".join(gone["la_name"]) + ".")
secondary = table[table["evidence"] == "secondary"]
if not secondary.empty:
    notes.append("Secondary evidence only (news or council web page, no Ofsted document): "
                 + ", ".join(secondary["la_name"]) + ".")
st.caption(" ".join(notes))
st.download_button("Download this table (CSV)", table.to_csv(index=False).encode(),
                   f"neighbours-{la}-{vintage}.csv", "text/csv", key="nb-table-csv")

# ---------------------------------------------------------------- one judgement, chart
st.subheader(f"{area_label(area)}: {la_name} against its neighbours")
nb = query("neighbours/neighbour_judgements", la_code=la, as_at=as_at, area=area, vintage=vintage,
           framework=framework)
basis = ("Latest judgement from an inspection ended and published on or before the date"
         + ("" if framework is None else f", {framework} only") + ".")
if nb.empty or not nb["is_focus"].any():
    empty_state(f"{la_name} did not exist on {format_date(as_at)}, so it has no grades "
                "to compare as at that date. Pick a later date.")
else:
    missing = sorted(set(neighbours["la_code"]) - set(nb["la_code"]))
    chart_df = nb[["la_code", "la_name", "is_focus", "rank", "grade", "published_date",
                   "framework"]]
    # The table shows each LA's latest inspection; the chart its latest grade in this area.
    # Say where they differ (e.g. an inspection from April 2026 gives no overall grade).
    both = table.merge(nb[["la_code", "inspection_id", "grade", "published_date"]],
                       on="la_code", how="inner", suffixes=("", "_nb"))
    differs = both[both["inspection_id_nb"].notna() & both["inspection_id"].notna()
                   & (both["inspection_id"] != both["inspection_id_nb"])]
    older = [f"{r.la_name} (latest inspection, published "
             f"{format_date(r.published_date)}, gave no {area_label(area).lower()} grade; "
             f"the chart shows the one published {format_date(r.published_date_nb)})"
             for r in differs.itertuples()]
    spec = ChartSpec(
        title=f"{la_name} and its statistical neighbours",
        subtitle=f"{area_label(area)}, latest grade ({fw_phrase}); {vintage_phrase} "
                 "of statistical neighbours",
        as_at=as_at, basis=basis, subject=f"latest {area_label(area).lower()} grade",
        geography=f"{la_name} and its statistical neighbours",
        notes=("Not shown (did not exist on the date): "
               + ", ".join(names.get(c, c) for c in missing) + ".") if missing else "",
    )
    chart_block(figure(neighbours_figure, chart_df, spec), chart_df, spec, "neighbours",
                key=f"nb-{la}", metadata={"la_code": la, "vintage": vintage, "area": area})
    if older:
        st.caption("Chart and table differ for: " + "; ".join(older) + ".")

    # ------------------------------------------------------------ group vs region vs England
    st.subheader("Neighbours, region and England")
    allj = query("national/latest_judgements", area=area, as_at=as_at, framework=framework,
                 published_by=None, which="latest", include_secondary=True)
    graded = allj[allj["grade"].isin(GRADES)]
    region = str(la_df.loc[la_df["la_code"] == la, "region_name"].iloc[0] or "")
    nb_codes = set(neighbours["la_code"])
    groups = {
        f"Statistical neighbours of {la_name}": graded[graded["la_code"].isin(nb_codes)],
        **({region: graded[graded["region_name"] == region]} if region else {}),
        "England": graded,
    }
    rows = []
    for group, sub in groups.items():
        for g in GRADES:
            n = int((sub["grade"] == g).sum())
            rows.append({"group": group, "grade": g, "n": n,
                         "share": n / len(sub) if len(sub) else 0.0})
    dist = pd.DataFrame(rows)
    if graded.empty:
        empty_state(f"No LA has a published {area_label(area).lower()} grade "
                    f"({fw_phrase}) by {format_date(as_at)}.")
    else:
        gspec = ChartSpec(
            title=f"{area_label(area)}: {la_name}'s neighbours, region and England",
            subtitle=f"Latest grade ({fw_phrase}); neighbours: {vintage_phrase}, "
                     f"excluding {la_name}",
            as_at=as_at, basis=basis + " Shares of LAs with a grade.",
            subject=f"latest {area_label(area).lower()} grade",
            geography=f"{la_name}'s statistical neighbours, {region} and England",
        )
        shown = dist[dist.groupby("group")["n"].transform("sum") > 0]
        chart_block(figure(grade_by_group_figure, shown, gspec, sort=False),
                    dist, gspec, "grade_by_group", key=f"nbgroup-{la}",
                    metadata={"la_code": la, "vintage": vintage, "area": area})

        # ------------------------------------------------------------ where the LA ranks
        focus = nb[nb["is_focus"]].iloc[0]
        if focus["grade"] in GRADES:
            rank = int(focus["grade_rank"])
            grp = nb[nb["grade"].isin(GRADES)]
            better = int((grp["grade_rank"] < rank).sum())
            same = int((grp["grade_rank"] == rank).sum()) - 1
            eng_better = int((graded["grade_rank"] < rank).sum())
            eng_same = int((graded["grade_rank"] == rank).sum())
            ok = graded["grade"].isin(["outstanding", "good"])
            st.markdown(
                f"**Where {la_name} ranks.** Its {area_label(area).lower()} grade is "
                f"**{GRADE_LABELS[focus['grade']].lower()}** "
                f"({focus['framework']}, published {format_date(focus['published_date'])}). "
                f"Among the {len(grp)} graded LAs in its group (itself and its neighbours) it "
                f"ranks {'joint ' if same else ''}**{better + 1} of {len(grp)}**: {better} "
                f"neighbour(s) have a better grade and {same} the same. In England, "
                f"{eng_better} of {len(graded)} graded LAs have a better grade and "
                f"{eng_same} (including {la_name}) the same; "
                f"{format_pct(ok.mean())} of England is good or better."
            )
        else:
            empty_state(f"{la_name} has no published {area_label(area).lower()} grade "
                        f"({fw_phrase}) by {format_date(as_at)}, so it has no rank.")

        # ------------------------------------------------------------ hex map
        st.subheader("England")
        hexes = query("neighbours/hexmap")
        if hexes.empty:
            empty_state("The database has no hex map cells (table hexmap is empty).")
        else:
            layout = str(hexes["layout"].iloc[0])
            hgrades = graded[["la_code", "la_name", "grade"]].rename(columns={"la_name": "name"})
            hspec = ChartSpec(
                title=f"{area_label(area)}: latest grade by local authority",
                subtitle=f"{la_name} (thick outline) and its statistical neighbours "
                         f"({vintage_phrase}, thin outline); {fw_phrase}",
                as_at=as_at, basis=basis, subject=f"latest {area_label(area).lower()} grade",
            )
            fig = figure(hexmap_figure, hexes[["la_code", "name", "q", "r"]], hgrades, hspec,
                         focus=la, outlined=tuple(sorted(nb_codes)), layout=layout)
            chart_block(fig, hgrades, hspec, "hexmap", key=f"nbhex-{la}",
                        metadata={"la_code": la, "vintage": vintage, "area": area})
