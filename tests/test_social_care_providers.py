"""Children's social care providers (Ofsted's "Children's social care in England 2023"
underlying data): the streaming ODS reader, the provider adapter on the real release and on
hand-made bad releases, and the provider shares in the warehouse.

Hand counts, from sheet Provider_level_at_31_Mar_2023 (rows whose "Local authority" is the LA,
counted with a separate iterparse script, not this adapter):
- Nottinghamshire: 60 providers; overall 13 outstanding, 44 good, 2 requires improvement,
  1 inadequate -> 57 good or better (95.0%, dark green); children's homes 52, of which 49 good
  or better; places 376, of which 366 at providers good or better.
- Rutland: 2 providers (a residential special school registered as a children's home, good;
  a residential special school, requires improvement) -> 1 good or better = 50.0%, amber
  (the band's lower edge); places 82, of which 12 good or better.
The release's own national figures (sheet Latest_OE_31_Mar_Time_Series, table 8a, 31 March
2023): 468 outstanding, 2447 good, 558 requires improvement, 73 inadequate.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.ingest.adapters import social_care_providers as scp
from etl.ingest.adapters.ods_stream import OdsDocument, OdsError
from etl.ingest.records import SourceError
from etl.local_authorities import LA_COLUMNS, LaResolver, LocalAuthorities
from etl.vocab import PROVIDER_TYPES, UnknownProviderType, normalise_provider_type
from etl.warehouse import queries

RELEASE = Path("official") / "Childrens_social_care_in_England_2023_underlying_data.ods"
AS_AT = dt.date(2023, 3, 31)


@pytest.fixture(scope="module")
def release(shared_data, resolver):
    return scp.parse_provider_stats(shared_data / RELEASE, resolver, shared_data)


def _series(release, table: str, period_end: dt.date) -> dict[str, float]:
    return {r["grade"]: r["value"] for r in release.facts[scp.SERIES_TABLE]
            if r["table_ref"] == table and r["period_end"] == period_end}


# --- the real release -------------------------------------------------------------------------

def test_release_metadata(release):
    src = release.source
    assert src.source_id == "providers:csc-england-2023" and src.kind == scp.KIND
    assert src.as_at == AS_AT and src.published_by == dt.date(2023, 4, 30)
    assert src.path == RELEASE.as_posix() and len(src.sha256) == 64


def test_every_provider_row_is_a_fact_or_quarantined(shared_data, release):
    doc = OdsDocument(shared_data / RELEASE)
    for sheet, table in (("Provider_level_at_31_Mar_2023", scp.PROVIDERS_TABLE),
                         ("Provider_level_in_year_2022-23", scp.INSPECTIONS_TABLE)):
        rows = [values for _, values in doc.rows(sheet)]
        header = next(i for i, v in enumerate(rows) if v and v[0] == "Web link")
        data_rows = sum(1 for v in rows[header + 1:] if any(x is not None for x in v))
        rejects = [r for r in release.rejects if r.row_ref.startswith(f"sheet {sheet} ")]
        assert len(release.facts[table]) + len(rejects) == data_rows, sheet


def test_provider_facts_match_the_release_national_table(release):
    """Table 8a counts every provider of the as-at sheet, grade by grade."""
    providers = release.facts[scp.PROVIDERS_TABLE]
    assert release.rejects == []
    assert Counter(p["overall_grade"] for p in providers) == {
        "outstanding": 468, "good": 2447, "requires_improvement": 558, "inadequate": 73}
    assert _series(release, "Table 8a", AS_AT) == {
        "outstanding": 468, "good": 2447, "requires_improvement": 558, "inadequate": 73}
    assert all(p["as_at"] == AS_AT and p["la_code"] for p in providers)
    assert len({p["provider_urn"] for p in providers}) == len(providers)


def test_table_8c_leaves_out_two_homes_regraded_by_monitoring(release):
    """Ofsted's table 8c (children's homes) has 506 requiring improvement, the sheet 508: the
    two homes whose latest 'full' inspection is a monitoring inspection (8a and 8b count them)."""
    homes = [p for p in release.facts[scp.PROVIDERS_TABLE] if p["provider_type"] == "childrens_home"]
    table = _series(release, "Table 8c", AS_AT)
    assert table["requires_improvement"] == 506
    assert Counter(p["overall_grade"] for p in homes)["requires_improvement"] == 508
    monitored = [p for p in homes if p["inspection_type"] == "monitoring"]
    assert len(monitored) == 2 and {p["overall_grade"] for p in monitored} == {"requires_improvement"}


def test_in_year_full_inspections_match_table_9a(release):
    homes = {code for code, _, is_home in PROVIDER_TYPES if is_home}
    full = [i for i in release.facts[scp.INSPECTIONS_TABLE]
            if i["provider_type"] in homes and i["inspection_type"] == "full"]
    assert Counter(i["overall_grade"] for i in full) == _series(release, "Table 9a", AS_AT)
    assert all(i["period_start"] == dt.date(2022, 4, 1) for i in full)


def test_national_series_are_complete(release):
    series = release.facts[scp.SERIES_TABLE]
    tables = {r["table_ref"] for r in series}
    assert tables == {"Table 6a", "Table 6b", *(f"Table 8{c}" for c in "abcdefghijklmn"),
                      *(f"Table 9{c}" for c in "abcde")}
    groups = {r["provider_group"] for r in series if r["table_ref"].startswith("Table 8")}
    assert groups == {code for code, _, _ in PROVIDER_TYPES} | {"all", "all_childrens_homes"}
    # "31-Mar-15 [Note 3]" is a date with its note; "-" is not collected
    noted = [r for r in series if r["period_label"] == "31-Mar-15 [Note 3]"]
    assert noted and all(r["period_end"] == dt.date(2015, 3, 31) and r["note"] == "Note 3"
                         for r in noted)
    assert any(r["value"] is None and "not collected" in r["note"] for r in series)


def test_hand_counted_las_in_the_adapter(release):
    def count(la: str, types: set[str] | None = None) -> tuple[int, int, int, int]:
        rows = [p for p in release.facts[scp.PROVIDERS_TABLE] if p["la_code"] == la
                and (types is None or p["provider_type"] in types)]
        gob = [p for p in rows if p["overall_grade"] in ("outstanding", "good")]
        return (len(rows), len(gob), sum(p["places"] or 0 for p in rows),
                sum(p["places"] or 0 for p in gob))
    assert count("891") == (60, 57, 376, 366)
    assert count("891", {"childrens_home"})[:2] == (52, 49)
    assert count("857") == (2, 1, 82, 12)


# --- bad releases (hand-made ODS files) ---------------------------------------------------------

def tiny_resolver() -> LaResolver:
    rows = []
    for code, name in (("891", "Nottinghamshire"), ("857", "Rutland")):
        row = {c: "" for c in LA_COLUMNS}
        row.update(la_code=code, name=name)
        rows.append(row)
    return LaResolver(LocalAuthorities(rows=rows, neighbours=[]))


PROVIDER_HEADER = ["Web link", "URN", "Linked Education URN", "Provision type", "Registration date",
                   "Registration status", "Name", "Ofsted region", "Local authority", "Sector",
                   "Places"]
GRADE_HEADER = ["Overall experiences and progress of children and young people",
                "Outcomes in education and related learning activities", "Health services",
                "How well children and young people are helped and protected",
                "The effectiveness of leaders and managers"]


def provider_sheet(prefix: str, rows: list[list[object]], drop: str = "") -> pd.DataFrame:
    header = PROVIDER_HEADER + [f"{prefix} event type", f"{prefix} date",
                                f"{prefix} publication date", f"{prefix} event number",
                                *GRADE_HEADER]
    header = [h for h in header if h != drop]
    top = [["Title"] + [None] * (len(header) - 1), [None] * len(header), [None] * len(header)]
    return pd.DataFrame(top + [header] + [r[:len(header)] for r in rows])


def provider_row(la: str = "Nottinghamshire", kind: str = "Children's home",
                 grade: str = "Good", urn: object = "SC000001", places: object = 4) -> list:
    return ["link", urn, None, kind, dt.date(2020, 1, 1), "Active", "REDACTED", "East Midlands",
            la, "Private", places, "Full inspection", dt.date(2022, 10, 1), dt.date(2022, 11, 1),
            123.0, grade, None, None, grade, grade]


def frame(rows: list[list[object]]) -> pd.DataFrame:
    width = max(len(r) for r in rows)
    return pd.DataFrame([r + [None] * (width - len(r)) for r in rows])


def series_sheets() -> dict[str, pd.DataFrame]:
    grades = ["Outstanding", "Good", "Requires improvement to be good", "Inadequate"]
    latest = frame([["Latest overall effectiveness"], [],
                           ["Table 8a: Latest overall effectiveness judgement for all providers, "
                            "as at 31 March 2023"], ["Period as at", *grades],
                           [dt.date(2023, 3, 31), 0, 2, 0, 0]])
    in_year = frame([["In year"], [],
                            ["Table 9a: Overall effectiveness judgement of all children's home "
                             "inspections between 01 April 2013 and 31 March 2023"],
                            ["Period", *grades], ["2022-23", 0, 1, 0, 0]])
    places = frame([["Providers and places"], [],
                           ["Table 6a: National number of children\u2019s social care providers, "
                            "by provision type as at 31 March 2023"],
                           ["Date", "Data type", "Children's Homes", "All"],
                           [dt.date(2023, 3, 31), "Providers", 2, 2]])
    return {"Providers+places_Time_series": places, "Latest_OE_31_Mar_Time_Series": latest,
            "In_Year_Time_series": in_year}


def write_release(tmp_path: Path, as_at_rows: list[list], *, as_at_name: str =
                  "Provider_level_at_31_Mar_2023", drop: str = "") -> Path:
    path = tmp_path / "Childrens_social_care_in_England_2023_underlying_data.ods"
    sheets = {as_at_name: provider_sheet("Latest full inspection", as_at_rows, drop),
              "Provider_level_in_year_2022-23": provider_sheet("Inspection", [provider_row()]),
              **series_sheets()}
    with pd.ExcelWriter(path, engine="odf") as writer:
        for name, df in sheets.items():
            df.to_excel(writer, sheet_name=name, header=False, index=False)
    return path


def test_a_good_made_release_parses(tmp_path):
    res = scp.parse_provider_stats(write_release(tmp_path, [provider_row(), provider_row(
        la="Rutland", urn=2611190.0, kind="Children's Home", places=None)]), tiny_resolver(),
        tmp_path)
    assert res.rejects == []
    providers = res.facts[scp.PROVIDERS_TABLE]
    assert [(p["provider_urn"], p["la_code"], p["provider_type"], p["places"]) for p in providers] \
        == [("SC000001", "891", "childrens_home", 4), ("2611190", "857", "childrens_home", None)]
    assert providers[0]["registration_date"] == dt.date(2020, 1, 1)
    assert len(res.facts[scp.INSPECTIONS_TABLE]) == 1
    assert {r["table_ref"] for r in res.facts[scp.SERIES_TABLE]} == {"Table 6a", "Table 8a",
                                                                      "Table 9a"}


def test_a_provider_with_no_la_is_quarantined(tmp_path):
    res = scp.parse_provider_stats(write_release(tmp_path, [provider_row(), provider_row(la=None,
        urn="SC000002")]), tiny_resolver(), tmp_path)
    assert len(res.facts[scp.PROVIDERS_TABLE]) == 1
    (reject,) = res.rejects
    assert reject.file.endswith("underlying_data.ods")
    assert reject.row_ref == "sheet Provider_level_at_31_Mar_2023 row 6"
    assert reject.reason == "provider SC000002 has no local authority"


def test_unknown_la_grade_type_and_places_are_quarantined(tmp_path):
    rows = [provider_row(la="Atlantis", urn="A"), provider_row(grade="Satisfactory", urn="B"),
            provider_row(kind="Space station", urn="C"), provider_row(places=2.5, urn="D")]
    res = scp.parse_provider_stats(write_release(tmp_path, rows), tiny_resolver(), tmp_path)
    assert res.facts[scp.PROVIDERS_TABLE] == []
    reasons = [r.reason for r in res.rejects]
    assert "unknown local authority 'Atlantis'" in reasons[0]
    assert "unknown grade wording 'Satisfactory'" in reasons[1]
    assert reasons[2] == "unknown provision type 'Space station'"
    assert reasons[3] == "places '2.5' is not a whole number"
    assert [r.row_ref.rsplit(" ", 1)[1] for r in res.rejects] == ["5", "6", "7", "8"]


def test_a_renamed_sheet_is_a_clear_error(tmp_path):
    path = write_release(tmp_path, [provider_row()], as_at_name="Providers_31Mar2023")
    with pytest.raises(SourceError) as exc:
        scp.parse_provider_stats(path, tiny_resolver(), tmp_path)
    message = str(exc.value)
    assert message.startswith("Childrens_social_care_in_England_2023_underlying_data.ods: ")
    assert "no sheet Provider_level_at_<dd>_<Mon>_<yyyy>" in message
    assert "Providers_31Mar2023" in message  # the sheets found are listed


def test_a_missing_column_is_a_clear_error(tmp_path):
    path = write_release(tmp_path, [provider_row()], drop="Local authority")
    with pytest.raises(SourceError, match=r"sheet Provider_level_at_31_Mar_2023 row 4: header "
                                          r"lacks column\(s\) 'local authority'"):
        scp.parse_provider_stats(path, tiny_resolver(), tmp_path)


def test_not_an_ods_file(tmp_path):
    path = tmp_path / "Childrens_social_care_in_England_2023_underlying_data.ods"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SourceError, match="not a readable ODS spreadsheet"):
        scp.parse_provider_stats(path, tiny_resolver(), tmp_path)


def test_ods_stream_reads_what_pandas_reads(tmp_path):
    df = pd.DataFrame([["a  b", 1.5, dt.date(2023, 3, 31), None, "x"], [None] * 5,
                       ["c", 2.0, None, True, None]])
    path = tmp_path / "t.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        df.to_excel(writer, sheet_name="One & Two", header=False, index=False)
        df.to_excel(writer, sheet_name="Other", header=False, index=False)
    doc = OdsDocument(path)
    assert doc.sheet_names == ["One & Two", "Other"]
    assert list(doc.rows("One & Two")) == [
        (1, ["a  b", 1.5, dt.date(2023, 3, 31), None, "x"]), (2, []), (3, ["c", 2.0, None, True])]
    with pytest.raises(KeyError):
        list(doc.rows("Missing"))
    with pytest.raises(OdsError):
        OdsDocument(tmp_path / "nothing.ods")


def test_provider_type_vocabulary():
    assert normalise_provider_type("Children's Home") == "childrens_home"
    assert normalise_provider_type("Voluntary Adoption Agency Branches", groups=True) == \
        "voluntary_adoption_agency"
    assert normalise_provider_type("All Children's Homes", groups=True) == "all_childrens_homes"
    with pytest.raises(UnknownProviderType):
        normalise_provider_type("All Children's Homes")  # a group, not a type
    with pytest.raises(UnknownProviderType):
        normalise_provider_type("Nursery")


# --- the warehouse --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    if not c.execute("SELECT count(*) FROM social_care_providers").fetchone()[0]:
        pytest.skip("the shipped snapshot predates the provider facts (re-derive it)")
    yield c
    c.close()


def test_provider_types_table_mirrors_the_vocabulary(con):
    rows = con.execute("SELECT provider_type, label, is_childrens_home FROM provider_types "
                       "ORDER BY sort_order").fetchall()
    assert rows == list(PROVIDER_TYPES)


def test_england_share_equals_the_release_national_figures(con):
    """provider_shares for England at 31 March 2023 equals Ofsted's own table, per group."""
    for group in ("all", "all_childrens_homes", *(c for c, _, _ in PROVIDER_TYPES)):
        england = queries.run(con, "local_area/provider_shares_by_geography", as_at=AS_AT,
                              provider_type=None if group == "all" else group)
        england = england[england["geography"] == "England"].iloc[0]
        published = queries.run(con, "local_area/provider_national_series", provider_group=group,
                                measure="latest_overall_effectiveness")
        published = published[published["period_end"] == pd.Timestamp(AS_AT)].iloc[0]
        gap = 2 if group == "childrens_home" else 0  # table 8c leaves out two homes (above)
        assert england["n_providers"] == published["n_judged"] + gap, group
        assert england["n_good_or_better"] == published["n_good_or_better"], group
        assert published["computed_n_judged"] == england["n_providers"], group
    all_ = queries.run(con, "local_area/provider_national_series", provider_group="all",
                       measure="latest_overall_effectiveness")
    row = all_[all_["period_end"] == pd.Timestamp(AS_AT)].iloc[0]
    assert row["share_good_or_better"] == pytest.approx((468 + 2447) / 3546)
    assert row["computed_share_good_or_better"] == pytest.approx(row["share_good_or_better"])
    assert row["band"] == "dark_green" and row["n_registered"] == 3812


def test_hand_counted_las_in_the_warehouse(con):
    shares = queries.run(con, "local_area/provider_shares", as_at=dt.date(2024, 1, 1),
                         provider_type=None).set_index("la_code")
    notts, rutland = shares.loc["891"], shares.loc["857"]
    assert (notts["n_providers"], notts["n_good_or_better"]) == (60, 57)
    assert notts["share_good_or_better"] == pytest.approx(0.95) and notts["band"] == "dark_green"
    assert (notts["places"], notts["places_good_or_better"]) == (376, 366)
    assert (rutland["n_providers"], rutland["n_good_or_better"]) == (2, 1)
    assert rutland["band"] == "amber"  # exactly 50%: the band's lower edge
    assert rutland["share_places_good_or_better"] == pytest.approx(12 / 82)
    homes = queries.run(con, "local_area/provider_shares", as_at=AS_AT,
                        provider_type="childrens_home").set_index("la_code")
    assert (homes.loc["891", "n_providers"], homes.loc["891", "n_good_or_better"]) == (52, 49)
    assert list(shares.columns[:5]) == ["provider_type", "n_providers", "n_good_or_better",
                                        "share_good_or_better", "band"]


def test_provider_shares_cover_every_la_of_the_release_date(con):
    shares = queries.run(con, "local_area/provider_shares", as_at=AS_AT, provider_type=None)
    las = con.execute("SELECT count(*) FROM las_on(DATE '2023-03-31')").fetchone()[0]
    assert len(shares) == las == shares["la_code"].nunique()
    empty = shares[shares["n_providers"] == 0]  # Westminster has no inspected provider
    assert empty["share_good_or_better"].isna().all() and empty["band"].isna().all()
    assert shares["n_providers"].sum() == 3546
    before = queries.run(con, "local_area/provider_shares", as_at=dt.date(2023, 3, 30),
                         provider_type=None)
    assert before.empty  # no release as at that date


def test_bands_follow_seed_003(con):
    bands = con.execute("SELECT performance_band(0.8), performance_band(0.7999), "
                        "performance_band(0.65), performance_band(0.5), performance_band(0.4999), "
                        "performance_band(NULL)").fetchone()
    assert bands == ("dark_green", "light_green", "light_green", "amber", "red", None)


def test_unknown_provider_type_is_an_error(con):
    with pytest.raises(duckdb.Error, match="unknown provider type childrens_homes"):
        queries.run(con, "local_area/provider_shares", as_at=AS_AT, provider_type="childrens_homes")
