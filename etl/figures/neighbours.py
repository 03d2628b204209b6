"""An LA against its statistical neighbours: a dot chart of each one's latest grade, the LA
itself on top in bold with a diamond marker. By default the neighbour set in force on the date
(DfE's 2021 or 2025 model), named in the subtitle.

Queries: neighbours/neighbour_judgements (the grades), la/neighbours (the DfE set, so that
neighbours that did not exist on the date are named rather than dropped silently),
neighbours/vintage_in_force and neighbours/vintages (which set, and how it is dated).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl.figures import categories
from etl.figures.chart import Chart, NoData, data_status, make_chart, option
from etl.figures.style import (
    AXIS_LINE,
    BASE_FONT,
    CHART_GRADES,
    GRADE_COLOURS,
    GRADE_SHORT,
    GRADE_TEXT_COLOURS,
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
    grade_label,
    grade_phrase,
    is_missing,
    label_margin,
    list_phrase,
    month,
    require_columns,
)
from etl.vocab import AREAS, FRAMEWORKS, GRADES, NO_OVERALL_GRADE
from etl.warehouse import queries

NAME = "neighbours"
QUERY = "neighbours/neighbour_judgements"
SET_QUERY = "la/neighbours"
IN_FORCE_QUERY = "neighbours/vintage_in_force"
VINTAGES_QUERY = "neighbours/vintages"
# The sets a comparison can use (statistical_neighbours.vintage, or 'in_force': the model in
# force on the date); the lookup's sets are the 2025 (current) and 2021 (previous) models.
VINTAGES = {
    "in_force": "DfE set in force on the date",
    "2025": "DfE 2025 model",
    "2021": "DfE 2021 model",
    "current": "current DfE set",
    "previous": "previous DfE set",
}
COLUMNS = ["la_code", "la_name", "is_focus", "rank", "grade", "published_date", "framework",
           "closeness", "previous_grade", "is_superseded", "vintage_used"]
# Column heads of the dot chart (wrapped): the two extra categories in a few words.
HEADS = {"adequate": "Adequate (pre-2013)", NO_OVERALL_GRADE: "No overall grade (since April 2026)"}


@dataclass(frozen=True)
class Params:
    la: str = field(metadata=option("the LA: DfE code or name (e.g. 855 or Leicestershire)"))
    as_at: dt.date = field(default_factory=dt.date.today,
                           metadata=option("the date the grades are as at (default today)"))
    area: str = field(default="overall_effectiveness",
                      metadata=option("judgement area (or any_practice: the worst practice "
                                      "judgement)", choices=(*AREAS, "any_practice")))
    vintage: str = field(default="in_force",
                         metadata=option("DfE statistical neighbour set (default: the one in "
                                         "force on the date)", choices=tuple(VINTAGES)))
    framework: str | None = field(default=None,
                                  metadata=option("only this framework (default any)",
                                                  choices=FRAMEWORKS))
    superseded: str = field(
        default="not_current",
        metadata=option("an LA inspected since the April 2026 change (no overall grade): "
                        "'not_current' shows it as a category of its own, 'carry_forward' "
                        "its previous overall grade, flagged as superseded",
                        choices=tuple(categories.SUPERSEDED)))
    wording: str = field(
        default="at_the_time",
        metadata=option("grades as given at the time (adequate before 2013) or in Ofsted's "
                        "current wording", choices=tuple(categories.WORDING)))


# --------------------------------------------------------------------------- shared wording
# (the comparison and hex map charts of the same page say the same things)


def framework_phrase(p: Params) -> str:
    return "any framework" if p.framework is None else p.framework


def basis(p: Params) -> str:
    return ("Latest judgement from an inspection ended and published on or before the date"
            + ("" if p.framework is None else f", {p.framework} only") + ".")


def la_facts(con: duckdb.DuckDBPyConnection, la_code: str) -> tuple[str, str]:
    """(name, region) of an LA; the code and "" for a code the database does not hold."""
    la = queries.run(con, "la/local_authority", la_code=la_code)  # its row, not every LA's
    if la.empty:
        return la_code, ""
    region = la["region_name"].iloc[0]
    return str(la["name"].iloc[0]), "" if is_missing(region) else str(region)


def vintage_used(con: duckdb.DuckDBPyConnection, p: Params) -> str:
    """The statistical_neighbours vintage the comparison uses ('in_force' resolved)."""
    if p.vintage != "in_force":
        return p.vintage
    return str(queries.run(con, IN_FORCE_QUERY, as_at=p.as_at)["vintage"].iloc[0])


def vintage_phrase(con: duckdb.DuckDBPyConnection, p: Params) -> str:
    """Which set, said in full: "DfE 2025 model, in force on 31 December 2025 (the lookup's
    current set)"; "current DfE set (the lookup's; by comparison the 2025 model)"."""
    known = queries.run(con, VINTAGES_QUERY).set_index("vintage")
    used = vintage_used(con, p)
    aka = [str(v) for v, row in known.iterrows() if row["same_as"] == used]
    also = f" (the lookup's {' and '.join(aka)} set)" if aka else ""
    if used in ("current", "previous"):
        same = known.at[used, "same_as"] if used in known.index else None
        return (f"{used} DfE set (the lookup's"
                + (f"; by comparison the {same} model)" if isinstance(same, str) and same
                   else ")"))
    if p.vintage != "in_force":
        return f"DfE {used} model{also}"
    row = queries.run(con, IN_FORCE_QUERY, as_at=p.as_at).iloc[0]
    if bool(row["before_first_vintage"]):
        return (f"DfE {used} model{also}: the earliest set held, in force from "
                f"{format_date(row['in_force_from'])}, after this date")
    return f"DfE {used} model, in force on {format_date(p.as_at)}{also}"


def neighbour_set(con: duckdb.DuckDBPyConnection, p: Params) -> pd.DataFrame:
    """The LA's neighbours in the chosen DfE set: rank, la_code, la_name, closeness."""
    group = queries.run(con, SET_QUERY, la_code=p.la)
    return group[group["vintage"] == vintage_used(con, p)][["rank", "la_code", "la_name",
                                                             "closeness"]]


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

    graded = nb[nb["grade"].isin(CHART_GRADES)]
    counts = [f"{int((graded['grade'] == g).sum())} {grade_phrase(g)}" for g in CHART_GRADES
              if g in GRADES or (graded["grade"] == g).any()]
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
    # the four grades always; adequate, not judged, no overall grade, none only where present
    columns = [g for g in CHART_GRADES if g in GRADES or (data["grade_key"] == g).any()]
    if (data["grade_key"] == NO_GRADE_KEY).any():
        columns.append(NO_GRADE_KEY)
    col_label = {**{g: grade_label(g) for g in CHART_GRADES}, NO_GRADE_KEY: NO_GRADE_LABEL}
    # column heads wrap so seven fit across the design width
    col_head = {k: "<br>".join(textwrap.wrap(HEADS.get(k, v), 12)) for k, v in col_label.items()}
    head_lines = max(col_head[c].count("<br>") + 1 for c in columns)

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
        if "is_superseded" in sub.columns:  # carried forward: say so beside the date
            when = [f"{w} (superseded)" if s is True else w
                    for w, s in zip(when, sub["is_superseded"], strict=True)]
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
        if key not in GRADES and key in GRADE_SHORT:
            # the extra categories carry their letters too (colour is never the only cue)
            fig.add_trace(go.Scatter(
                x=[col_head[key]] * len(sub), y=[row_label(r) for _, r in sub.iterrows()],
                mode="text", text=[GRADE_SHORT[key]] * len(sub), hoverinfo="skip",
                textfont=dict(size=9, color=GRADE_TEXT_COLOURS[key]), showlegend=False))
    # Shade the focus row so it stands out in greyscale too.
    fig.add_shape(
        type="rect", xref="paper", yref="y", x0=0, x1=1, y0=-0.5, y1=0.5,
        fillcolor="#f3f2f1", line=dict(width=0), layer="below",
    )
    fig.update_yaxes(**axis(categoryorder="array", categoryarray=rows,
                            autorange="reversed", ticksuffix="  "))
    fig.update_xaxes(**axis(categoryorder="array",
                            categoryarray=[col_head[c] for c in columns],
                            side="top", showgrid=True,
                            # room right of the last column for its date labels
                            range=[-0.5, len(columns) - 0.5 + 0.6]))
    fig.update_layout(showlegend=False)
    footer = ["Diamond and shaded row: the focus LA. Numbers: statistical neighbour "
              "rank (1 = most similar). Text: month published and framework."]
    if "closeness" in data.columns and data["closeness"].notna().any():
        bands = data.dropna(subset=["closeness"])
        footer.append("Closeness (DfE's band): " + "; ".join(
            f"{int(r['rank'])}. {r['closeness'].lower()}" for _, r in bands.iterrows()) + ".")
    n_superseded = int(data["is_superseded"].fillna(False).astype(bool).sum()) \
        if "is_superseded" in data.columns else 0
    footer += categories.notes(list(data["grade_key"]),
                               wording=str(spec.extra.get("wording", "at_the_time")),
                               n_superseded=n_superseded, shares=False)
    return frame(
        fig, spec, kind=NAME, alt=alt_text(df, spec),
        plot_height=34 * len(rows) + 10, axis_space=16, top_axis=max(2, head_lines),
        margin_l=label_margin(rows),
        extra_footer=footer,
    )


# --------------------------------------------------------------------------- render


def render(con: duckdb.DuckDBPyConnection, params: Params) -> Chart:
    nb = queries.run(con, QUERY, la_code=params.la, as_at=params.as_at, area=params.area,
                     vintage=params.vintage, framework=params.framework,
                     superseded=params.superseded, wording=params.wording)
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
                 f"statistical neighbours: {vintage_phrase(con, params)}",
        as_at=params.as_at, basis=basis(params),
        subject=f"latest {area_phrase(params.area)} grade",
        geography=f"{name} and its statistical neighbours",
        notes=("Not shown (did not exist on the date): "
               + ", ".join(missing["la_name"].fillna(missing["la_code"])) + ".")
        if len(missing) else "",
        extra={"wording": params.wording, "superseded": params.superseded},
    )
    data = nb[COLUMNS]
    return make_chart(NAME, params, spec, data, figure(data, spec),
                      [QUERY, SET_QUERY, IN_FORCE_QUERY, VINTAGES_QUERY])
