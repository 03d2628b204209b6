"""An LA's area SEND inspection outcome beside its statistical neighbours', with its region's
and England's counts: one row each, a column per outcome on the 2023 framework's own scale.

Queries: local_area/area_send_outcomes_of (the LA's and its neighbours' latest outcome),
la/neighbours (the DfE set, so that a neighbour without an inspection is named rather than
dropped) and local_area/area_send_distribution (region and England, counted in SQL).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures import neighbours
from etl.figures.chart import Chart, NoData, data_status, make_chart, option
from etl.figures.local_area import AREA_SEND_BASIS, AREA_SEND_SOURCE, AREA_SEND_START, LOCAL_VINTAGES
from etl.figures.style import (
    AREA_SEND_COLOURS,
    AREA_SEND_LABELS,
    AREA_SEND_SHORT,
    AREA_SEND_TEXT_COLOURS,
    AXIS_LINE,
    BASE_FONT,
    GRID,
    NO_OUTCOME_KEY,
    NOT_INSPECTED_KEY,
    SECONDARY_TEXT,
    TEXT,
    ChartSpec,
    axis,
    format_date,
    format_pct,
    frame,
    is_missing,
    label_margin,
    list_phrase,
    month,
    require_columns,
)
from etl.vocab import AREA_SEND_GRADES
from etl.warehouse import queries

NAME = "local-area-send"
QUERIES = ("local_area/area_send_outcomes_of", neighbours.SET_QUERY,
           "local_area/area_send_distribution")
COLUMNS = ["row_kind", "rank", "la_code", "name", "outcome", "outcome_label", "n", "share",
           "n_inspected", "n_las", "start_date", "end_date", "published_date", "report_url"]
# Plain-English names of COLUMNS for the page's data table (the downloads keep the names).
LABELS = {"row_kind": "Row", "rank": "Neighbour rank", "la_code": "LA code", "name": "Name",
          "outcome": "Outcome code", "outcome_label": "Outcome", "n": "LAs",
          "share": "Share of LAs with an outcome", "n_inspected": "LAs inspected",
          "n_las": "LAs then", "start_date": "Inspection started",
          "end_date": "Inspection ended", "published_date": "Report published",
          "report_url": "Report"}
# Column headings: the outcomes' words, broken to fit a column.
HEADINGS = {
    "positive": "Positive<br>experiences<br>and outcomes",
    "inconsistent": "Inconsistent<br>experiences<br>and outcomes",
    "systemic_failings": "Widespread<br>and/or systemic<br>failings",
    NO_OUTCOME_KEY: "Inspected,<br>outcome not<br>readable",
    NOT_INSPECTED_KEY: "Not yet<br>inspected",
}


@dataclass(frozen=True)
class Params:
    la: str = field(metadata=option("the LA: DfE code or name (e.g. 891 or Nottinghamshire)"))
    as_at: dt.date = field(default_factory=dt.date.today,
                           metadata=option("the date the outcomes are as at (default today)"))
    vintage: str = field(default="current",
                         metadata=option("DfE statistical neighbour set",
                                         choices=LOCAL_VINTAGES))


def outcome_key(outcome: object, inspection_id: object) -> str:
    """An LA's column: its outcome, 'no_outcome' (inspected, unreadable), 'not_inspected'."""
    if isinstance(outcome, str) and outcome:
        return outcome
    return NOT_INSPECTED_KEY if is_missing(inspection_id) else NO_OUTCOME_KEY


def _dates(r: pd.Series) -> str:
    if is_missing(r["published_date"]):
        return ""
    ended = "" if is_missing(r["end_date"]) else f"inspection ended {format_date(r['end_date'])}, "
    return f"{ended}published {format_date(r['published_date'])}"


def describe_la(r: pd.Series) -> str:
    key = r["outcome"]
    if key == NOT_INSPECTED_KEY:
        return f"{r['name']}: not yet inspected under the 2023 framework"
    what = "inspected, outcome not readable" if key == NO_OUTCOME_KEY else \
        AREA_SEND_LABELS[key].lower()
    return f"{r['name']}: {what} ({_dates(r)})"


def describe_group(rows: pd.DataFrame) -> str:
    first = rows.iloc[0]
    counts = {r["outcome"]: int(r["n"]) for _, r in rows.iterrows()}
    parts = [f"{counts.get(g, 0)} {AREA_SEND_LABELS[g].lower()}" for g in AREA_SEND_GRADES]
    return (f"{first['name']}: {list_phrase(parts)}, of {int(first['n_inspected'])} of its "
            f"{int(first['n_las'])} LAs inspected")


# --------------------------------------------------------------------------- figure


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    las = df[df["row_kind"].isin(["la", "neighbour"])]
    focus = las[las["row_kind"] == "la"].iloc[0]
    nb = las[las["row_kind"] == "neighbour"]
    counts = [f"{int((nb['outcome'] == k).sum())} {AREA_SEND_LABELS[k].lower()}"
              for k in (*AREA_SEND_GRADES, NO_OUTCOME_KEY, NOT_INSPECTED_KEY)
              if k in AREA_SEND_GRADES or (nb["outcome"] == k).any()]
    groups = [describe_group(rows) for _, rows in
              df[df["row_kind"].isin(["region", "england"])].groupby("name", sort=False)]
    return (
        f"Chart of the area SEND inspection outcomes (2023 framework) of {focus['name']} and "
        f"its {len(nb)} statistical neighbours as at {format_date(spec.as_at)}. "
        f"{describe_la(focus)}. Neighbours: {list_phrase(counts)}. By rank: "
        + "; ".join(f"{int(r['rank'])} {describe_la(r)}" for _, r in nb.iterrows())
        + ". " + ". ".join(groups) + "."
    )


def figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """Rows: the LA (bold, top), its neighbours in rank order, then its region and England;
    columns: the three outcomes, then 'not yet inspected' (and 'outcome not readable' when an
    LA has one). An LA is a dot in its column, lettered with the outcome's code and dated with
    the report's month; the region and England give their count and share in each column.

    df: the COLUMNS frame (row_kind la / neighbour / region / england).
    """
    require_columns(df, ("row_kind", "rank", "name", "outcome", "n", "share", "n_las",
                         "n_inspected", "published_date"), "local area SEND")
    keys = set(df["outcome"])
    bad = sorted(keys - set(AREA_SEND_COLOURS))
    if bad:
        raise ValueError(f"local area SEND: unknown outcomes {bad}")
    las = df[df["row_kind"].isin(["la", "neighbour"])]
    if int((las["row_kind"] == "la").sum()) != 1:
        raise ValueError("local area SEND: exactly one row must be the LA")
    columns = [*AREA_SEND_GRADES]
    if (las["outcome"] == NO_OUTCOME_KEY).any():
        columns.append(NO_OUTCOME_KEY)
    columns.append(NOT_INSPECTED_KEY)
    xpos = {k: i for i, k in enumerate(columns)}
    groups = list(dict.fromkeys(df.loc[df["row_kind"].isin(["region", "england"]), "name"]))
    row_names = [*las["name"], *groups]
    ypos = {n: i + (0.5 if i >= len(las) else 0) for i, n in enumerate(row_names)}
    fig = go.Figure()
    # light column guides
    for k in columns:
        fig.add_vline(x=xpos[k], line=dict(color=GRID, width=1), layer="below")
    for key in columns:
        sub = las[las["outcome"] == key]
        if sub.empty:
            continue
        is_focus = (sub["row_kind"] == "la").tolist()
        fig.add_trace(go.Scatter(
            x=[xpos[key]] * len(sub), y=[ypos[n] for n in sub["name"]], mode="markers+text",
            marker=dict(symbol=["diamond" if f else "circle" for f in is_focus], opacity=1,
                        size=[30 if f else 24 for f in is_focus],
                        color=AREA_SEND_COLOURS[key],
                        line=dict(color=TEXT if key != NOT_INSPECTED_KEY else AXIS_LINE,
                                  width=[2 if f else 1 for f in is_focus])),
            text=[AREA_SEND_SHORT[key]] * len(sub), textposition="middle center",
            textfont=dict(size=11, color=AREA_SEND_TEXT_COLOURS[key]),
            customdata=[describe_la(r) for _, r in sub.iterrows()],
            hovertemplate="%{customdata}<extra></extra>", showlegend=False,
        ))
        dated = sub[sub["published_date"].notna()]
        if len(dated):
            fig.add_trace(go.Scatter(
                x=[xpos[key] + 0.2] * len(dated), y=[ypos[n] for n in dated["name"]],
                mode="text", text=[month(d) for d in dated["published_date"]],
                textposition="middle right", hoverinfo="skip", showlegend=False,
                textfont=dict(size=BASE_FONT - 3, color=SECONDARY_TEXT),
            ))
    for g in groups:
        rows = df[df["name"] == g].set_index("outcome")
        first = rows.iloc[0]
        for key in columns:
            if key == NOT_INSPECTED_KEY:
                left = int(first["n_las"]) - int(first["n_inspected"])
                text = f"{left} of {int(first['n_las'])}"
            elif key in rows.index:
                r = rows.loc[key]
                share = "" if is_missing(r["share"]) else f" ({format_pct(r['share'])})"
                text = f"{int(r['n'])}{share}"
            else:
                continue
            fig.add_annotation(x=xpos[key], y=ypos[g], text=text, showarrow=False,
                               font=dict(size=BASE_FONT - 1, color=TEXT))
    # a rule between the LAs and the region / England counts
    fig.add_hline(y=len(las) - 0.25 + 0.5 / 2, line=dict(color=AXIS_LINE, width=1))
    labels = []
    for n in row_names:
        r = df[df["name"] == n].iloc[0]
        if r["row_kind"] == "la":
            labels.append(f"<b>{n}</b>")
        elif r["row_kind"] == "neighbour":
            labels.append(f"{int(r['rank'])}. {n}")
        else:
            labels.append(f"<b>{n}</b> ({int(r['n_las'])} LAs)")
    fig.update_yaxes(**axis(tickvals=[ypos[n] for n in row_names], ticktext=labels,
                            autorange=False, range=[ypos[row_names[-1]] + 0.7, -0.7],
                            ticksuffix="  "))
    fig.update_xaxes(**axis(tickvals=list(range(len(columns))),
                            ticktext=[HEADINGS[k] for k in columns], side="top",
                            range=[-0.5, len(columns) - 0.35],
                            tickfont=dict(size=BASE_FONT - 2, color=TEXT)))
    fig.update_layout(showlegend=False, hovermode="closest")
    return frame(
        fig, spec, kind=NAME, alt=alt_text(df, spec), plot_height=34 * len(row_names) + 40,
        margin_l=label_margin(labels, BASE_FONT), axis_space=16, top_axis=3,
        extra_footer=["Letters: P positive, IN inconsistent, SF widespread and/or systemic "
                      "failings; the month is the report's publication. Region and England: "
                      "LAs with each outcome (share of those with a published outcome), and "
                      "LAs not yet inspected of all LAs then."],
    )


# --------------------------------------------------------------------------- render


def frame_rows(outcomes: pd.DataFrame, group: pd.DataFrame, dist: pd.DataFrame, la: str,
               la_name: str, region: str) -> pd.DataFrame:
    """The COLUMNS frame: the LA and its neighbours (named even when they did not exist on the
    date), then the region's and England's counts."""
    by_code = outcomes.set_index("la_code")
    rows = []
    for rank, code, name in [(0, la, la_name), *group[["rank", "la_code", "la_name"]]
                             .itertuples(index=False)]:
        if code in by_code.index:
            o = by_code.loc[code]
            rows.append({"row_kind": "la" if rank == 0 else "neighbour", "rank": int(rank),
                         "la_code": code, "name": o["la_name"],
                         "outcome": outcome_key(o["outcome"], o["inspection_id"]),
                         "n": 1, "start_date": o["start_date"], "end_date": o["end_date"],
                         "published_date": o["published_date"], "report_url": o["report_url"]})
        else:  # not an LA on the date (created later, or abolished)
            rows.append({"row_kind": "la" if rank == 0 else "neighbour", "rank": int(rank),
                         "la_code": code, "name": f"{name} (not an LA then)",
                         "outcome": NOT_INSPECTED_KEY, "n": 1})
    for geography in (region, "England"):
        sub = dist[dist["geography"] == geography]
        for r in sub.itertuples():
            rows.append({"row_kind": "england" if geography == "England" else "region",
                         "name": geography, "outcome": r.outcome, "n": int(r.n),
                         "share": r.share, "n_inspected": int(r.n_inspected),
                         "n_las": int(r.n_las)})
    out = pd.DataFrame(rows).reindex(columns=COLUMNS)
    out["outcome_label"] = out["outcome"].map(AREA_SEND_LABELS)
    for col in ("rank", "n_inspected", "n_las"):
        out[col] = out[col].astype("Int64")
    return out


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    p = params
    if p.as_at < AREA_SEND_START:
        raise NoData(f"The 2023 area SEND framework's inspections began in "
                     f"{AREA_SEND_START:%B %Y}: no outcome is as at "
                     f"{format_date(p.as_at)}. Choose a later date.")
    name, region = neighbours.la_facts(con, p.la)
    nb_set = queries.run(con, QUERIES[1], la_code=p.la)
    nb_set = nb_set[nb_set["vintage"] == p.vintage]
    # the LA's and its neighbours' rows only (every LA's is 150,000 rows at 1000 times today's)
    outcomes = queries.run(con, QUERIES[0], as_at=p.as_at,
                           las=",".join([p.la, *nb_set["la_code"].astype(str)]))
    if p.la not in set(outcomes["la_code"]):
        raise NoData(f"{name} was not a local authority on {format_date(p.as_at)}, so it has "
                     "no area SEND outcome then. Choose a date when it existed.")
    dist = queries.run(con, QUERIES[2], as_at=p.as_at, published_by=None)
    if not dist.loc[dist["geography"] == "England", "n_inspected"].sum():
        raise NoData(f"No area SEND report under the 2023 framework had been published by "
                     f"{format_date(p.as_at)} (the first reports came out in May 2023), so "
                     f"there is nothing to compare {name} with yet. Choose a later date.")
    data = frame_rows(outcomes, nb_set, dist, p.la, name, region)
    vintage = neighbours.VINTAGES[p.vintage]
    spec = ChartSpec(
        **data_status(con),
        title=f"{name}: area SEND inspection outcome beside its neighbours",
        subtitle=f"Latest inspection under the 2023 framework; statistical neighbours "
                 f"({vintage}), {region or 'its region'} and England",
        as_at=p.as_at, basis=AREA_SEND_BASIS, source=AREA_SEND_SOURCE,
        subject="area SEND inspection outcome",
        geography=f"{name}'s statistical neighbours, {region or 'its region'} and England",
    )
    return make_chart(NAME, params, spec, data, figure(data, spec), QUERIES)
