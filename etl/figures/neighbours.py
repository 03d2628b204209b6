"""An LA against its statistical neighbours: a dot chart of each one's latest grade, the LA
itself on top in bold with a diamond marker.

Queries: neighbours/neighbour_judgements (the grades), la/neighbours (the DfE set, so that
neighbours that did not exist on the date are named rather than dropped silently).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures.chart import Chart, NoData, data_status, make_chart, option
from etl.figures.style import (
    AXIS_LINE,
    BASE_FONT,
    GRADE_COLOURS,
    NO_GRADE_COLOUR,
    NO_GRADE_KEY,
    NO_GRADE_LABEL,
    SECONDARY_TEXT,
    TEXT,
    ChartSpec,
    area_label,
    area_phrase,
    axis,
    check_grades,
    format_date,
    frame,
    grade_phrase,
    is_missing,
    label_margin,
    list_phrase,
    month,
    require_columns,
)
from etl.vocab import ALL_GRADES, AREAS, FRAMEWORKS, GRADE_LABELS, GRADES, NOT_JUDGED
from etl.warehouse import queries

NAME = "neighbours"
QUERY = "neighbours/neighbour_judgements"
SET_QUERY = "la/neighbours"
VINTAGES = {"current": "current DfE set", "previous": "previous DfE set"}
COLUMNS = ["la_code", "la_name", "is_focus", "rank", "grade", "published_date", "framework"]


@dataclass(frozen=True)
class Params:
    la: str = field(metadata=option("the LA: DfE code or name (e.g. 855 or Leicestershire)"))
    as_at: dt.date = field(default_factory=dt.date.today,
                           metadata=option("the date the grades are as at (default today)"))
    area: str = field(default="overall_effectiveness",
                      metadata=option("judgement area", choices=(*AREAS, "any_practice")))
    vintage: str = field(default="current",
                         metadata=option("DfE statistical neighbour set",
                                         choices=tuple(VINTAGES)))
    framework: str | None = field(default=None,
                                  metadata=option("only this framework (default any)",
                                                  choices=FRAMEWORKS))


# --------------------------------------------------------------------------- shared wording
# (the comparison and hex map charts of the same page say the same things)


def framework_phrase(p: Params) -> str:
    return "any framework" if p.framework is None else p.framework


def basis(p: Params) -> str:
    return ("Latest judgement from an inspection ended and published on or before the date"
            + ("" if p.framework is None else f", {p.framework} only") + ".")


def la_facts(con: duckdb.DuckDBPyConnection, la_code: str) -> tuple[str, str]:
    """(name, region) of an LA; the code and "" for a code the database does not hold."""
    las = queries.run(con, "la/local_authorities").set_index("la_code")
    if la_code not in las.index:
        return la_code, ""
    region = las.at[la_code, "region_name"]
    return str(las.at[la_code, "name"]), "" if is_missing(region) else str(region)


def neighbour_set(con: duckdb.DuckDBPyConnection, p: Params) -> pd.DataFrame:
    """The LA's neighbours in the chosen DfE set: rank, la_code, la_name."""
    group = queries.run(con, SET_QUERY, la_code=p.la)
    return group[group["vintage"] == p.vintage][["rank", "la_code", "la_name"]]


# --------------------------------------------------------------------------- figure


def alt_text(df: pd.DataFrame, spec: ChartSpec) -> str:
    data = df.sort_values(["is_focus", "rank"], ascending=[False, True])
    focus = data[data["is_focus"].astype(bool)].iloc[0]
    nb = data[~data["is_focus"].astype(bool)]

    def describe(r: pd.Series) -> str:
        if is_missing(r["grade"]):
            return f"{r['la_name']} no published grade"
        d = "" if is_missing(r["published_date"]) else \
            f", published {format_date(r['published_date'])}"
        return f"{r['la_name']} {grade_phrase(r['grade'])} ({r['framework']}{d})"

    graded = nb[nb["grade"].isin(GRADES)]
    counts = [f"{int((graded['grade'] == g).sum())} {grade_phrase(g)}" for g in GRADES]
    ok = int(graded["grade"].isin(["outstanding", "good"]).sum())
    ranked = "; ".join(f"{int(r['rank'])} {describe(r)}" for _, r in nb.iterrows())
    return (
        f"Chart of the {spec.subject} of {focus['la_name']} and its {len(nb)} statistical "
        f"neighbours as at {format_date(spec.as_at)}. {describe(focus)}. Neighbours: "
        f"{list_phrase(counts)}; {ok} of {len(nb)} good or better. By rank: {ranked}."
    )


def figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """Dot chart: the focus LA and its statistical neighbours (rows, in rank order) against
    grade (columns). The focus LA is the top row, in bold, with a larger diamond marker.

    df: la_code, la_name, is_focus, rank (0 focus, 1-10), grade (may be null: no published
    grade), published_date, framework.
    """
    require_columns(
        df, ("la_code", "la_name", "is_focus", "rank", "grade", "published_date", "framework"),
        "neighbours",
    )
    check_grades(df["grade"], "neighbours", allow_missing=True)
    if int(df["is_focus"].astype(bool).sum()) != 1:
        raise ValueError("neighbours: exactly one row must have is_focus = True")
    data = df.assign(is_focus=df["is_focus"].astype(bool)).sort_values(
        ["is_focus", "rank"], ascending=[False, True]
    )
    data = data.assign(grade_key=[NO_GRADE_KEY if is_missing(g) else g for g in data["grade"]])
    columns = [*GRADES]
    if (data["grade_key"] == NOT_JUDGED).any():
        columns.append(NOT_JUDGED)
    if (data["grade_key"] == NO_GRADE_KEY).any():
        columns.append(NO_GRADE_KEY)
    col_label = {**{g: GRADE_LABELS[g] for g in ALL_GRADES}, NO_GRADE_KEY: NO_GRADE_LABEL}
    # column heads wrap so five fit across the design width
    col_head = {k: "<br>".join(textwrap.wrap(v, 12)) for k, v in col_label.items()}

    def row_label(r: pd.Series) -> str:
        if r["is_focus"]:
            return f"<b>{r['la_name']}</b>"
        return f"{int(r['rank'])}. {r['la_name']}"

    rows = [row_label(r) for _, r in data.iterrows()]
    fig = go.Figure()
    for key in columns:
        sub = data[data["grade_key"] == key]
        if sub.empty:
            continue
        focus = sub["is_focus"].to_numpy()
        when = [
            "" if is_missing(d) else f"{month(d)}, {fw}"
            for d, fw in zip(sub["published_date"], sub["framework"], strict=True)
        ]
        fill = GRADE_COLOURS.get(key, NO_GRADE_COLOUR)
        fig.add_trace(
            go.Scatter(
                x=[col_head[key]] * len(sub),
                y=[row_label(r) for _, r in sub.iterrows()],
                mode="markers+text",
                marker=dict(
                    color=fill,
                    opacity=1,
                    size=[24 if f else 17 for f in focus],
                    symbol=["diamond" if f else "circle" for f in focus],
                    line=dict(color=[TEXT if f else AXIS_LINE for f in focus],
                              width=[2.5 if f else 1 for f in focus]),
                ),
                text=[f"  <b>{w}</b>" if f else w for w, f in zip(when, focus, strict=True)],
                textposition="middle right",
                textfont=dict(size=BASE_FONT - 3, color=SECONDARY_TEXT),
                cliponaxis=False,
                name=col_label[key],
                customdata=list(zip(sub["la_name"], when, strict=True)),
                hovertemplate="%{customdata[0]}: " + col_label[key]
                + "<br>%{customdata[1]}<extra></extra>",
            )
        )
    # Shade the focus row so it stands out in greyscale too.
    fig.add_shape(
        type="rect", xref="paper", yref="y", x0=0, x1=1, y0=-0.5, y1=0.5,
        fillcolor="#f3f2f1", line=dict(width=0), layer="below",
    )
    fig.update_yaxes(**axis(categoryorder="array", categoryarray=rows,
                            autorange="reversed", ticksuffix="  "))
    fig.update_xaxes(**axis(categoryorder="array",
                            categoryarray=[col_head[c] for c in columns],
                            side="top", showgrid=True, range=[-0.5, len(columns) - 0.5 + 0.1]))
    fig.update_layout(showlegend=False)
    return frame(
        fig, spec, kind=NAME, alt=alt_text(df, spec),
        plot_height=34 * len(rows) + 10, axis_space=16, top_axis=2,
        margin_l=label_margin(rows),
        extra_footer=["Diamond and shaded row: the focus LA. Numbers: statistical neighbour "
                      "rank (1 = most similar). Text: month published and framework."],
    )


# --------------------------------------------------------------------------- render


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    nb = queries.run(con, QUERY, la_code=params.la, as_at=params.as_at, area=params.area,
                     vintage=params.vintage, framework=params.framework)
    name, _ = la_facts(con, params.la)
    if nb.empty or not nb["is_focus"].any():
        raise NoData(f"{name} did not exist on {format_date(params.as_at)}, so it has no "
                     "grades to compare as at that date. Pick a later date.")
    group = neighbour_set(con, params)
    missing = group[~group["la_code"].isin(nb["la_code"])].sort_values("la_code")
    spec = ChartSpec(
        **data_status(con),
        title=f"{name} and its statistical neighbours",
        subtitle=f"{area_label(params.area)}, latest grade ({framework_phrase(params)}); "
                 f"{VINTAGES[params.vintage]} of statistical neighbours",
        as_at=params.as_at, basis=basis(params),
        subject=f"latest {area_phrase(params.area)} grade",
        geography=f"{name} and its statistical neighbours",
        notes=("Not shown (did not exist on the date): "
               + ", ".join(missing["la_name"].fillna(missing["la_code"])) + ".")
        if len(missing) else "",
    )
    data = nb[COLUMNS]
    return make_chart(NAME, params, spec, data, figure(data, spec), [QUERY, SET_QUERY])
