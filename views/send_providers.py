"""Area SEND and providers: the national views of the local picture — area SEND inspection
outcomes in England and each region as at a date (with the share of LAs inspected under the
2023 framework so far), the providers' 2009 performance bands on the hex map, and Ofsted's national series of
providers good or better beside the figure computed from the provider-level data.
URL: ?as_at=2025-12-31&type=childrens_home&la=891&measure=latest_overall_effectiveness"""

from __future__ import annotations

import streamlit as st

from etl.figures import area_send_national, provider_hexmap, provider_national
from etl.figures.local_area import AREA_SEND_START, PROVIDER_CHOICES, PROVIDER_LABELS
from etl.figures.style import AREA_SEND_LABELS, BAND_LABELS, BANDS_PAPER, format_date, format_pct
from etl.vocab import AREA_SEND_GRADES
from views._shared import (
    TODAY,
    as_text,
    la_names,
    plain_columns,
    query,
    require_database,
    seed_state,
    set_url,
    show,
    show_url_notes,
    url_choice,
    url_date,
    url_la,
)

NO_LA = "none"
MEASURE_LABELS = {"latest_overall_effectiveness": "Latest grades as at 31 March",
                  "in_year_overall_effectiveness": "The year's full inspections"}
# Each chart's table in words: coded values named, and the codes that repeat a labelled column
# beside them left out (the downloads keep both).
TABLES = {
    area_send_national.NAME: dict(hide=("outcome",)),
    provider_hexmap.NAME: dict(values={"provider_type": PROVIDER_LABELS, "band": BAND_LABELS}),
    provider_national.NAME: dict(values={"provider_group": PROVIDER_LABELS,
                                         "measure": MEASURE_LABELS, "band": BAND_LABELS},
                                 hide=("period_label",)),
}


def _columns(module) -> dict:
    return plain_columns(module.COLUMNS, module.LABELS, **TABLES.get(module.NAME, {}))


def _send_headline(as_at) -> None:
    dist = query(area_send_national.QUERY, as_at=as_at, published_by=None)
    england = dist[dist["geography"] == "England"].set_index("outcome")
    if england.empty:
        return
    first = england.iloc[0]
    cols = st.columns(4)
    cols[0].metric("LAs inspected so far",
                   f"{int(first['n_inspected'])} of {int(first['n_las'])} "
                   f"({format_pct(first['share_inspected'])})",
                   help="LAs existing on the date with an area SEND inspection under the 2023 "
                        "framework whose report was published by then.")
    for col, outcome in zip(cols[1:], AREA_SEND_GRADES, strict=True):
        r = england.loc[outcome]
        col.metric(AREA_SEND_LABELS[outcome],
                   f"{int(r['n'])} ({format_pct(r['share'] or 0)})" if first["n_with_outcome"]
                   else "—")
    unread = int(first["n_inspected"]) - int(first["n_with_outcome"])
    if unread:
        st.caption(f"{unread} inspected LA(s) have no readable outcome in the sources (see Data "
                   "and sources → quarantine); shares are of the LAs with an outcome.")


def main() -> None:
    st.title("Area SEND and providers")
    require_database()
    st.caption("England's local area picture beyond children's services: area SEND inspection "
               "outcomes (the joint Ofsted/CQC inspection of the local area partnership, on the "
               "2023 framework's own three-point scale) and children's social care providers "
               f"judged good or better, in Ofsted's 2009 performance bands (as {BANDS_PAPER} "
               "quotes them). One LA's figures against its "
               "neighbours are on the Local area page.")

    names = la_names()
    seed_state("sp_as_at", url_date("as_at", TODAY, lo=AREA_SEND_START))
    seed_state("sp_type", url_choice("type", list(PROVIDER_CHOICES), "all"))
    seed_state("sp_measure", url_choice("measure", list(MEASURE_LABELS),
                                        "latest_overall_effectiveness"))
    seed_state("sp_la", url_la("la", NO_LA, names) if "la" in st.query_params else NO_LA)
    show_url_notes()

    st.header("Area SEND inspection outcomes")
    as_at = st.columns([1, 3])[0].date_input("As at", key="sp_as_at", min_value=AREA_SEND_START,
                                             max_value=TODAY, format="DD/MM/YYYY")
    _send_headline(as_at)
    show(area_send_national, area_send_national.Params(as_at=as_at), "send-national",
         column_config=_columns(area_send_national))

    st.header("Children's social care providers by local authority")
    c1, c2 = st.columns([3, 2])
    ptype = c1.selectbox("Provider type", list(PROVIDER_CHOICES), key="sp_type",
                         format_func=PROVIDER_LABELS.get)
    la = c2.selectbox("Outline a local authority", [NO_LA, *names], key="sp_la",
                      format_func=lambda c: "No local authority" if c == NO_LA
                      else f"{names[c]} ({c})")
    focus = None if la == NO_LA else la
    chart = show(provider_hexmap, provider_hexmap.Params(as_at=as_at, provider_type=ptype,
                                                         la=focus), f"provider-hexmap-{ptype}",
                 column_config=_columns(provider_hexmap))
    if chart is not None:
        facts = chart.spec.as_at
        if facts < as_at:
            st.caption(f"Providers as at {format_date(facts)}: the latest release of Ofsted's "
                       f"provider-level data on or before {format_date(as_at)}.")
        if focus is not None:
            st.caption(f"[{as_text(names[focus])} against its neighbours, region and England]"
                       f"(/local?la={focus}) on the Local area page.")

    st.header("England over time: published and computed")
    measure = st.radio("Series", list(MEASURE_LABELS), key="sp_measure",
                       format_func=MEASURE_LABELS.get, horizontal=True)
    show(provider_national, provider_national.Params(provider_type=ptype, measure=measure),
         f"provider-national-{ptype}-{measure}",
         column_config=_columns(provider_national))
    set_url(as_at=as_at, type=ptype, la=focus, measure=measure)


main()
