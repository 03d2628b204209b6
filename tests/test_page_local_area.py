"""Streamlit AppTest of the Local area and the Area SEND and providers pages against the built
database: the numbers shown, the LA named by code or by name in the link, the empty states
and the charts.

Numbers checked by hand against ../shared/data (see tests/test_local_figures.py):
- Nottinghamshire's providers as at 31 March 2023: 57 of 60 good or better (95%), dark green;
  places 366 of 376 (Provider_level_at_31_Mar_2023, places of the providers with a grade).
- Nottinghamshire's area SEND inspection: 30 January to 3 February 2023, published 16 May 2023,
  widespread and/or systemic failings (ofsted_csc_send_overview.xlsx, its report PDF).
- Nottinghamshire's ILACS of October 2019, published 19 December 2019: good overall, help and
  protection requires improvement (seed 001).
- Area SEND reports published by 31 December 2025: 72 LAs of 153, outcomes 15 / 36 / 20 and one
  unreadable (Slough's, published 6 November 2025).
"""

from __future__ import annotations

import pytest

from tests.conftest import (
    every_la_read,
    frame_with,
    metric,
    page_charts,
    plain,
    run_page,
    texts,
)

pytestmark = pytest.mark.usefixtures("page_db")
TIMEOUT = 120


def _kinds(at) -> list[str]:
    return [fig["layout"]["meta"]["kind"] for fig, _ in page_charts(at)]


def table_with(at, *columns: str):
    """The first static table (st.table: small tables wrap to the page) with these columns,
    its row headings as the first column."""
    for t in at.table:
        df = t.value.reset_index()
        if all(c in df.columns for c in columns):
            return df
    raise AssertionError(f"no table with columns {columns}")


def test_nottinghamshire_as_at_march_2023() -> None:
    at = run_page("local_area.py", TIMEOUT, la="891", as_at="2023-03-31")
    assert at.header[0].value == "Nottinghamshire"
    assert metric(at, "Providers good or better") == "95% (57 of 60)"
    assert metric(at, "Band (2009 performance bands)") == "Dark green"
    assert metric(at, "Places good or better") == "97% (366 of 376)"
    cs = table_with(at, "Judgement", "Nottinghamshire", "Published", "Neighbours")
    overall = cs[cs["Judgement"] == "Overall effectiveness"].iloc[0]
    assert (overall["Nottinghamshire"], overall["Published"]) == ("Good", "19 December 2019")
    help_ = cs[cs["Judgement"] == "Children who need help and protection"].iloc[0]
    assert help_["Nottinghamshire"] == "Requires improvement"
    # inspected before the date, published after it: said, not shown as an outcome
    info = plain(texts(at.info))
    assert "had no area SEND inspection under the 2023 framework with a report published by " \
           "31 March 2023" in info
    assert "Its inspection ending 3 February 2023 was published on 16 May 2023, after this " \
           "date (widespread and/or systemic failings)" in info
    assert "No area SEND report under the 2023 framework had been published by 31 March " \
           "2023" in info
    assert _kinds(at) == ["local-providers"]
    providers = table_with(at, "Provider type", "Providers with a grade", "Band", "Places")
    homes = providers[providers["Provider type"] == "Children's home"].iloc[0]
    assert (homes["Providers with a grade"], homes["Good or better"], homes["Places"]) == \
        (52, 49, "191")
    assert at.query_params["la"] == "891" and at.query_params["as_at"] == "2023-03-31"


def test_an_la_named_in_the_link_and_its_area_send_outcome() -> None:
    at = run_page("local_area.py", TIMEOUT, la="nottinghamshire", as_at="2025-12-31")
    assert at.query_params["la"] == "891"  # the URL now says what is shown
    shown = texts(at.markdown)
    assert "**Widespread and/or systemic failings**" in shown
    caption = plain(texts(at.caption))
    assert "Inspected 30 January 2023 to 3 February 2023; published 16 May 2023" in caption
    assert "72 of England's 153 LAs (47%) had an area SEND report" in caption
    labels = [e.label for e in at.expander]
    assert any(label.startswith("Areas for priority action") for label in labels)
    assert any(label.startswith("Areas for improvement") for label in labels)
    assert _kinds(at) == ["local-area-send", "local-providers"]
    send = frame_with(at, "row_kind", "outcome", "published_date")
    la = send[send["row_kind"] == "la"].iloc[0]
    assert la["outcome"] == "systemic_failings" and la["name"] == "Nottinghamshire"
    england = send[send["row_kind"] == "england"].set_index("outcome")["n"].to_dict()
    assert england == {"positive": 15, "inconsistent": 36, "systemic_failings": 20}


def test_an_la_created_after_the_provider_release() -> None:
    at = run_page("local_area.py", TIMEOUT, la="Cumberland", as_at="2025-12-31")
    assert at.query_params["la"] == "942"
    info = plain(texts(at.info))
    assert "Cumberland was created on 1 April 2023, after the latest provider release" in info
    assert "Cumbria (county council to March 2023) (909)" in info
    assert "local-providers" not in _kinds(at)
    assert not [m for m in at.metric if m.label == "Providers good or better"]
    # its area SEND inspection is there (2025, from the scraper's list)
    assert "**Inconsistent experiences and outcomes**" in texts(at.markdown)


def test_an_unreadable_outcome_is_a_warning() -> None:
    at = run_page("local_area.py", TIMEOUT, la="871", as_at="2025-12-31")
    warning = texts(at.warning)
    assert "Slough was inspected (7 July 2025 to 11 July 2025, published 6 November 2025), but " \
           "its outcome could not be read" in warning


def test_an_unknown_la_falls_back_with_candidates() -> None:
    at = run_page("local_area.py", TIMEOUT, la="Leicestshire")
    notes = plain(texts(at.info))
    assert "la value “Leicestshire” names no local authority we know" in notes
    assert "Did you mean Leicestershire" in notes
    assert at.header[0].value == "Nottinghamshire" and at.query_params["la"] == "891"


def test_area_send_and_providers_national_views() -> None:
    at = run_page("send_providers.py", TIMEOUT, as_at="2025-12-31")
    assert metric(at, "LAs inspected so far") == "72 of 153 (47%)"
    assert metric(at, "Positive experiences and outcomes") == "15 (21%)"
    assert metric(at, "Inconsistent experiences and outcomes") == "36 (51%)"
    assert metric(at, "Widespread and/or systemic failings") == "20 (28%)"
    assert "1 inspected LA(s) have no readable outcome" in texts(at.caption)
    assert _kinds(at) == ["area-send-national", "provider-hexmap", "provider-national"]
    hexdata = frame_with(at, "la_code", "band", "on_map")
    notts = hexdata[hexdata["la_code"] == "891"].iloc[0]
    assert (notts["n_providers"], notts["n_good_or_better"], notts["band"]) == \
        (60, 57, "dark_green")
    series = frame_with(at, "period_end", "computed_n_judged")
    assert series["computed_n_judged"].dropna().tolist() == [3546]
    assert at.query_params["type"] == "all"


def test_a_provider_type_and_an_outlined_la_from_the_link() -> None:
    at = run_page("send_providers.py", TIMEOUT, as_at="2025-12-31", type="childrens_home",
                  la="Rutland", measure="in_year_overall_effectiveness")
    assert at.query_params["la"] == "857" and at.query_params["type"] == "childrens_home"
    figs = {fig["layout"]["meta"]["kind"]: fig for fig, _ in page_charts(at)}
    assert figs["provider-hexmap"]["layout"]["title"]["text"].startswith(
        "<b>Children's home: share good or better")
    assert "Rutland outlined" in figs["provider-hexmap"]["layout"]["title"]["subtitle"]["text"]
    assert "2022-23: published 73% (1940 of 2659)" in \
        figs["provider-national"]["layout"]["meta"]["alt_text"]


def test_a_series_ofsted_does_not_publish_is_an_empty_state() -> None:
    at = run_page("send_providers.py", TIMEOUT, type="all",
                  measure="in_year_overall_effectiveness")
    assert "cover children's homes and residential special schools only" in texts(at.info)
    assert "provider-national" not in _kinds(at)


def test_chart_tables_are_shown_in_plain_english() -> None:
    """Each chart's data table names its columns in words and shows shares as percentages
    (the CSV/XLSX keep the frame's own names and 0-1 values)."""
    import json

    at = run_page("send_providers.py", TIMEOUT, as_at="2025-12-31", type="childrens_home")
    charted = [table for _, table in page_charts(at)]
    configs = [json.loads(d.proto.columns) for d in at.dataframe
               if any(d.value.columns.equals(t.columns) for t in charted)]
    assert len(configs) == 3
    for config in configs:
        for col, shown in config.items():
            if col == "_index" or shown.get("hidden"):
                continue
            assert "_" not in shown["label"] and "seed" not in shown["label"].lower(), \
                (col, shown)
            if col.startswith("share") or "_share_" in col:
                assert shown["type_config"]["format"] == "percent", col
            if col.endswith(("_date", "facts_as_at", "period_end")):
                assert shown["type_config"]["format"] == "D MMMM YYYY", col
            if col == "band":  # the band named, not its code
                assert shown["type_config"]["type"] == "selectbox", col


def test_the_page_reads_the_las_it_shows_not_every_la(queries_read) -> None:
    """Issue 14: the LA's area SEND outcome (now and at the date), its neighbours' and its name
    in each chart's title are read for those LAs only; every LA's list is read once, for the
    choice of LA, codes and names only (at 1000 times today's data each list is ~150,000
    rows; every LA's other columns took four times as long)."""
    at = run_page("local_area.py", TIMEOUT, la="855", as_at="2024-06-30")
    assert any("had an area SEND report under the 2023 framework published by 30 June 2024"
               in c.value for c in [*at.caption, *at.markdown, *at.info])
    # (la/identifiers: every LA's names, read once to resolve the LA a link names)
    assert every_la_read(queries_read, allowed=("la/names", "la/identifiers")) == []
    names = [name for name, _ in queries_read]
    assert names.count("la/names") <= 1 and "la/local_authorities" not in names
