"""Streamlit AppTest of the Reports and themes page: a search with ranked, marked, linked
results; the filters; URL state both ways; a hostile query shown as text; the themes chart with
its table and the sentences of a theme; the briefing tab's downloads; empty states that help."""

from __future__ import annotations

import re

import pytest

from tests.conftest import frame_with, page_charts, plain, run_page, texts
from views._shared import as_marked, as_text

pytestmark = pytest.mark.usefixtures("page_db")
TIMEOUT = 120
HOSTILE = ("**Your session has expired.** [Sign in again](http://127.0.0.1:8799/phish) "
           "![](http://127.0.0.1:8799/px.png) <script>alert(1)</script>")


def _results(at) -> list[tuple[str, str]]:
    """(the result's header line, its snippet) for every result card, in order."""
    md = [m.value for m in at.markdown]
    heads = [i for i, v in enumerate(md) if re.match(r"\*\*\[.+\]\(/la\?la=\d{3}\)\*\*", v)]
    return [(md[i], md[i + 1]) for i in heads]


def _la_codes(results) -> list[str]:
    return [re.search(r"/la\?la=(\d{3})", head).group(1) for head, _ in results]


def test_search_ranks_marks_and_links() -> None:
    at = run_page("reports.py", TIMEOUT, q="neglect")
    results = _results(at)
    assert len(results) == 25
    captions = texts(at.caption)
    assert re.search(r"25 sections of \d+ reports, best first", captions)
    for head, snippet in results:
        assert "published" in head
        # the matched word is marked by the page, in bold, on the escaped text
        assert re.search(r"\*\*neglect(?:\\'s)?\*\*", snippet, re.I), snippet
        assert "«" not in snippet and "»" not in snippet
    # every result links its report at the section's page
    pages = re.findall(r"\[open the report at page (\d+)\]\((https://files\.ofsted\.gov\.uk/"
                       r"v1/file/\d+)#page=(\d+)\)", captions)
    assert len(pages) == 25 and all(a == b for a, _, b in pages)


def test_plural_and_phrase_searches() -> None:
    at = run_page("reports.py", TIMEOUT, q='"care leavers" accommodation')
    snippets = [s for _, s in _results(at)]
    assert snippets
    # the query's words are marked in whatever form the report prints them (the snippet is
    # cut around the first word matched, so the phrase itself may fall outside it)
    assert all(re.search(r"\*\*(care|leavers?|accommodation)\*\*", s, re.I) for s in snippets)
    assert sum(bool(re.search(r"\*\*care\*\* \*\*leavers\*\*", s, re.I)) for s in snippets) \
        > len(snippets) / 2


def test_filters_narrow_the_results() -> None:
    from etl.warehouse.db import open_readonly

    at = run_page("reports.py", TIMEOUT, q="drift", framework="SIF", grade="failing",
                  region="London")
    results = _results(at)
    assert results
    for head, _ in results:
        assert "SIF" in head
        assert re.search(r"overall: (requires improvement|inadequate)", head), head
    from etl import DEFAULT_DB

    con = open_readonly(DEFAULT_DB)
    regions = dict(con.execute("SELECT la_code, region_name FROM local_authorities").fetchall())
    assert {regions[c] for c in _la_codes(results)} == {"London"}
    # one LA and a window of dates
    at = run_page("reports.py", TIMEOUT, q="strategy discussions", la="891",
                  **{"from": "2015-01-01", "to": "2015-12-31"})
    results = _results(at)
    assert results and set(_la_codes(results)) == {"891"}
    assert all("2015" in head for head, _ in results)


def test_url_state_both_ways() -> None:
    params = {"q": "neglect", "framework": "ILACS", "grade": "good_or_better", "la": "891",
              "from": "2019-01-01", "to": "2025-12-31"}
    at = run_page("reports.py", TIMEOUT, **params)
    assert at.text_input(key="rep_q").value == "neglect"
    assert at.selectbox(key="rep_framework").value == "ILACS"
    assert at.selectbox(key="rep_la").value == "891"
    assert str(at.date_input(key="rep_from").value) == "2019-01-01"
    assert {k: at.query_params[k] for k in params} == params
    # a change in the page goes into the link
    at.text_input(key="rep_q").set_value("drift").run()
    at.selectbox(key="rep_framework").set_value("SIF").run()
    assert at.query_params["q"] == "drift" and at.query_params["framework"] == "SIF"
    at.selectbox(key="rep_grade").set_value("any").run()
    assert "grade" not in at.query_params


def test_bad_link_values_fall_back_with_a_note() -> None:
    at = run_page("reports.py", TIMEOUT, q="neglect", framework="XYZ", la="999",
                  **{"from": "last week"})
    notes = plain(texts(at.info))
    assert "framework value “XYZ”" in notes and "la value “999”" in notes
    assert "from value “last week” is not a date" in notes and "leaving it empty" in notes
    assert _results(at)


def test_hostile_query_is_shown_as_text() -> None:
    # filters that leave nothing to find, so the page echoes the query in its empty state
    at = run_page("reports.py", TIMEOUT, q=HOSTILE, la="891", framework="LAC2013")
    shown = "\n".join(texts(k) for k in (at.info, at.markdown, at.caption, at.warning))
    assert "127.0.0.1:8799" not in shown and "**Your" not in shown and "<script>" not in shown
    assert as_text(HOSTILE) in shown
    assert HOSTILE in plain(shown)
    assert "removing a filter" in plain(texts(at.info))
    # with results, the query's words are listed as text and nothing of it is live
    at = run_page("reports.py", TIMEOUT, q=HOSTILE)
    shown = "\n".join(texts(k) for k in (at.info, at.markdown, at.caption))
    assert "](http" not in shown.replace("](https://files.ofsted.gov.uk", "")
    assert "127.0.0.1:8799" not in shown and "<script>" not in shown


def test_marking_leaves_only_the_bold_live() -> None:
    text = "A [link](http://x.y/z) about long-term neglect's *impact*, <b>Neglect</b> and neglected."
    out = as_marked(text, r"\bneglect(?:es|s)?(?:['’]s?)?\b")
    assert out.count("**") == 4  # two marked words, nothing else bold
    assert "**neglect\\'s**" in out and "**Neglect**" in out
    assert "neglected" in out and "**neglected" not in out
    assert plain(out.replace("**", "")) == text
    assert "](http" not in out and "<b>" not in out
    # a pattern Python cannot compile marks nothing
    assert as_marked("a (b", "(") == as_text("a (b")


def test_no_query_and_no_match_help() -> None:
    at = run_page("reports.py", TIMEOUT)
    assert "Search the text of every report" in texts(at.info)
    assert "/reports?q=neglect" in texts(at.markdown)
    at = run_page("reports.py", TIMEOUT, q='"zzqx flibber" wobblequark')
    msg = plain(texts(at.info))
    assert "No section of a report matches" in msg
    assert "without the quotes" in msg and "fewer words" in msg
    at = run_page("reports.py", TIMEOUT, q="!! ?")
    assert "two or more letters or digits" in plain(texts(at.info))


def test_themes_chart_with_its_table_and_sentences() -> None:
    at = run_page("reports.py", TIMEOUT, view="themes", framework="SIF",
                  **{"from": "2013-11-01", "to": "2014-10-31"})
    charts = [(fig, table) for fig, table in page_charts(at)
              if fig["layout"]["meta"].get("kind") == "themes"]
    assert len(charts) == 1
    fig, table = charts[0]
    assert table is not None and len(table) == 14
    assert set(table["good_reports"]) == {9} and set(table["failing_reports"]) == {23}
    assert "SIF reports published 1 November 2013 – 31 October 2014" in \
        fig["layout"]["title"]["subtitle"]["text"]
    # the sentences of the theme the chart puts first, each linked
    assert at.query_params["theme"] == table["theme_id"].iloc[0]
    cites = [c for c in texts(at.caption).splitlines() if c.startswith("— ")]
    assert cites and all("/la?la=" in c and "#page=" in c for c in cites)
    # another theme and another measure, kept in the link
    at.selectbox(key="rep_theme").set_value("voice_of_child").run()
    at.radio(key="rep_measure").set_value("share_points").run()
    assert at.query_params["theme"] == "voice_of_child"
    assert at.query_params["measure"] == "share_points"
    sentences = [m.value for m in at.markdown if m.value.startswith("“")]
    assert sentences and all("**" in s for s in sentences)  # the theme's phrase marked
    table = frame_with(at, "theme_id", "good_or_better", "failing", "measure")
    assert set(table["measure"]) == {"share_points"}


def test_briefing_tab_offers_both_formats() -> None:
    at = run_page("reports.py", TIMEOUT, view="briefing", framework="SIF",
                  **{"from": "2013-11-01", "to": "2014-10-31"})
    captions = plain(texts(at.caption))
    assert "SIF reports published November 2013 – October 2014: 33 reports" in captions
    assert "python -m etl briefing --framework SIF --published-from 2013-11-01 " \
           "--published-to 2014-10-31" in captions
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Briefing (Word)", "Briefing (Markdown)"]
    # an LA chosen: its statistical neighbours, kept in the link
    at = run_page("reports.py", TIMEOUT, view="briefing", framework="ILACS", la="891",
                  brief="neighbours", **{"from": "2023-01-01"})
    captions = plain(texts(at.caption))
    assert "ILACS reports of Nottinghamshire's statistical neighbours published" in captions
    assert "--neighbours-of 891" in captions
    assert at.query_params["brief"] == "neighbours"
    # a period with nothing in it
    at = run_page("reports.py", TIMEOUT, view="briefing", framework="LAC2013",
                  **{"from": "2020-01-01"})
    assert "No report was published in this period" in texts(at.info)
