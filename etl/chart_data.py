"""The data frame and ChartSpec behind each exportable chart, from the named SQL queries.

Shared by the CLI's `export` and the dashboard pages, so a chart in a paper and the same
chart in the browser are built from the same numbers.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from etl.charts import ChartSpec, format_date
from etl.vocab import AREA_LABELS
from etl.warehouse import queries

HORIZON_YEARS = 6
AREA_NAMES = {"any_practice": "Worst of the practice judgements", **AREA_LABELS}


def cycle_path(series: str, start: dt.date, n0: int, n_las: int, end: object,
               horizon_years: int = HORIZON_YEARS) -> list[dict]:
    """Month-end points from `start` (n0 inspected) rising linearly to all n_las at `end`:
    the macro's projection is a constant rate, so its path is a straight line."""
    if end is None or pd.isna(end):
        return []
    end = pd.Timestamp(end)
    horizon = pd.Timestamp(start) + pd.DateOffset(years=horizon_years)
    last = min(end, horizon)
    dates = [pd.Timestamp(start),
             *pd.date_range(pd.Timestamp(start) + pd.offsets.MonthEnd(1), last, freq="ME"),
             last]
    span = max((end - pd.Timestamp(start)).days, 1)
    rows = []
    for d in sorted(set(dates)):
        frac = min(max((d - pd.Timestamp(start)).days / span, 0.0), 1.0)
        n = n0 + (n_las - n0) * frac
        rows.append({"date": d.date(), "n_inspected": round(n), "n_las": n_las,
                     "share": n / n_las, "series": series})
    return rows


def cycle_frame(actual: pd.DataFrame, projection: pd.Series, as_at: dt.date,
                horizon_years: int = HORIZON_YEARS) -> pd.DataFrame:
    """Actual cumulative progress plus the projection and its band, for etl.charts.cycle_figure."""
    n0, n_las = int(projection["n_inspected"]), int(projection["n_las"])
    frame = [{"date": pd.Timestamp(r.as_at).date(), "n_inspected": int(r.n_inspected),
              "n_las": int(r.n_las), "share": float(r.share), "series": "actual"}
             for r in actual.itertuples()]
    paths = {}
    for series, col in (("projection", "projected_completion"),
                        ("projection_high", "completion_earliest"),
                        ("projection_low", "completion_latest")):
        if n0 < n_las:
            paths[series] = cycle_path(series, as_at, n0, n_las, projection[col], horizon_years)
    # A path that completes early stays at 100% to the end of the slowest one, so the band
    # between the fast and slow paths covers the same months (no sloping top edge).
    end = max((rows[-1]["date"] for rows in paths.values() if rows), default=None)
    for rows in paths.values():
        if rows and rows[-1]["date"] < end and rows[-1]["n_inspected"] >= n_las:
            rows.append({**rows[-1], "date": end})
        frame += rows
    return pd.DataFrame(frame)


def national(con: duckdb.DuckDBPyConnection, as_at: dt.date, area: str,
             framework: str | None = None) -> tuple[pd.DataFrame, ChartSpec]:
    df = queries.run(con, "national/grade_distribution", as_at=as_at, area=area,
                     framework=framework, published_by=None, which="latest",
                     include_secondary=True)
    judged, total = int(df["n_judged"].iloc[0]), int(df["n_las"].iloc[0])
    spec = ChartSpec(
        title=f"{AREA_NAMES[area]}: latest grades of local authorities in England",
        subtitle=f"{judged} of {total} LAs with a published judgement"
                 + (f" ({framework})" if framework else ""),
        as_at=as_at, basis="Latest judgement published on or before the date.",
        subject=f"latest {AREA_NAMES[area].lower()} grade")
    return df[["grade", "n", "share"]], spec


def failing(con: duckdb.DuckDBPyConnection, as_at: dt.date, area: str,
            framework: str | None = None, since: dt.date = dt.date(2014, 3, 31)
            ) -> tuple[pd.DataFrame, ChartSpec]:
    df = queries.run(con, "failing/failing_over_time", area=area, from_date=since, to_date=as_at,
                     framework=framework)
    df = df[df["geography"] == "England"][["month", "geography", "share_failing",
                                           "share_good_or_better", "n_judged"]]
    spec = ChartSpec(
        title="Share of local authorities failing (requires improvement or inadequate)",
        subtitle=f"Basis: {AREA_NAMES[area].lower()}, latest published judgement each month",
        as_at=as_at, basis=f"Basis: {AREA_NAMES[area]}.", subject=AREA_NAMES[area].lower())
    return df.reset_index(drop=True), spec


def neighbours(con: duckdb.DuckDBPyConnection, as_at: dt.date, area: str, la_code: str,
               vintage: str = "current") -> tuple[pd.DataFrame, ChartSpec]:
    df = queries.run(con, "neighbours/neighbour_judgements", la_code=la_code, as_at=as_at, area=area,
                     vintage=vintage, framework=None)
    name = df.loc[df["is_focus"], "la_name"].iloc[0] if df["is_focus"].any() else la_code
    spec = ChartSpec(
        title=f"{name} and its statistical neighbours",
        subtitle=f"{AREA_NAMES[area]}, latest published grade; DfE {vintage} neighbour set",
        as_at=as_at, basis=f"DfE children's services statistical neighbours ({vintage}).",
        subject=f"latest {AREA_NAMES[area].lower()} grade", geography=name)
    cols = ["la_code", "la_name", "is_focus", "rank", "grade", "published_date", "framework"]
    return df[cols], spec


def cycle(con: duckdb.DuckDBPyConnection, as_at: dt.date, framework: str = "ILACS",
          cycle_start: dt.date | None = None, window_months: int = 12
          ) -> tuple[pd.DataFrame, ChartSpec]:
    origin = cycle_start or (dt.date(2013, 11, 1) if framework == "SIF" else dt.date(2018, 1, 1))
    actual = queries.run(con, "cycle/cycle_progress", framework=framework, from_date=origin,
                         to_date=as_at, cycle_start=cycle_start)
    proj = queries.run(con, "cycle/cycle_projection", framework=framework, from_date=as_at,
                       to_date=as_at, cycle_start=cycle_start, window_months=window_months)
    p = proj.iloc[-1]
    df = cycle_frame(actual, p, as_at)
    done = pd.notna(p["projected_completion"])
    spec = ChartSpec(
        title=f"{framework} inspection cycle: local authorities with a published inspection",
        subtitle=(f"{int(p['n_inspected'])} of {int(p['n_las'])} by {format_date(as_at)}; "
                  + (f"projected to complete {format_date(pd.Timestamp(p['projected_completion']))}"
                     if done else "no projection")),
        as_at=as_at,
        basis=(f"Projection from the rate of first inspections over the last "
               f"{int(p['window_months'])} months ({int(p['inspected_in_window'])} LAs), with a 95% "
               "Poisson band."),
        subject=f"{framework} cycle completion")
    return df, spec


BUILDERS = {"national": national, "failing": failing, "neighbours": neighbours, "cycle": cycle}
