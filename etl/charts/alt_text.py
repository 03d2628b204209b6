"""Alt text: a one-paragraph description of each chart, generated from its data."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from etl.charts.common import (
    _MEASURES,
    KINDS,
    ChartSpec,
    _completion,
    _good_or_better,
    _grade_counts,
    _grade_phrase,
    _group_table,
    _is_missing,
    _month,
    format_date,
    format_pct,
)
from etl.vocab import ALL_GRADES, GRADES

# --------------------------------------------------------------------------- alt text


def _list_phrase(parts: Sequence[str]) -> str:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def alt_text(kind: str, df: pd.DataFrame, spec: ChartSpec, **kwargs: object) -> str:
    """One paragraph describing the chart from its data, for screen readers and papers.

    kind is one of KINDS; df is the frame the builder was given (for "hexmap", the grades
    frame; pass hexes=, focus=, outlined= to describe the map's extent and highlights).
    """
    when = format_date(spec.as_at)
    geo = spec.geography
    if kind == "national_distribution":
        counts = _grade_counts(df)
        total = int(counts["n"].sum())
        parts = [f"{n} {_grade_phrase(g)} ({format_pct(s)})"
                 for g, n, s in zip(counts["grade"], counts["n"], counts["share"], strict=True)]
        ok_n, ok_s, fail_n, fail_s = _good_or_better(counts)
        return (
            f"Bar chart of the {spec.subject} of {total} local authorities in {geo} as at "
            f"{when}: {_list_phrase(parts)}. {ok_n} ({format_pct(ok_s)}) are good or better "
            f"and {fail_n} ({format_pct(fail_s)}) require improvement or are inadequate."
        )
    if kind == "grade_share_over_time":
        data = df.assign(as_at=pd.to_datetime(df["as_at"]))
        first_at, last_at = data["as_at"].min(), data["as_at"].max()
        def at(when: pd.Timestamp) -> str:
            rows = data[data["as_at"] == when].set_index("grade")
            judged = int(rows["n"].sum())
            parts = [f"{_grade_phrase(g)} {format_pct(rows.loc[g, 'share'])}"
                     for g in GRADES if g in rows.index]
            return f"{_month(when)} ({judged} LAs judged): {_list_phrase(parts)}"
        return (f"Stacked area chart of the {spec.subject} of local authorities in {geo}, "
                f"monthly from {_month(first_at)} to {_month(last_at)}. {at(first_at)}; "
                f"{at(last_at)}. Data as at {when}.")
    if kind == "failing_over_time":
        measure = str(kwargs.get("measure", "share_failing"))
        phrase = _MEASURES[measure]
        data = df.assign(month=pd.to_datetime(df["month"])).sort_values("month")
        geos = list(dict.fromkeys(data["geography"]))
        others = [g for g in geos if g != "England"]
        start, end = data["month"].min(), data["month"].max()
        text = (
            f"Line chart of the share of local authorities whose {spec.subject} is {phrase}, "
            f"monthly from {_month(start)} to {_month(end)}"
        )
        text += f", for England and {len(others)} other areas." if others and "England" in geos \
            else f", for {_list_phrase(geos)}."
        if "England" in geos:
            e = data[data["geography"] == "England"]
            first, last = e.iloc[0], e.iloc[-1]
            text += (
                f" England: {format_pct(first[measure])} in {_month(first['month'])} "
                f"({int(first['n_judged'])} LAs judged), {format_pct(last[measure])} in "
                f"{_month(last['month'])} ({int(last['n_judged'])} judged)."
            )
        if others:
            latest = data[data["geography"].isin(others)].groupby("geography").tail(1)
            hi = latest.loc[latest[measure].idxmax()]
            lo = latest.loc[latest[measure].idxmin()]
            text += (
                f" Latest highest: {hi['geography']} ({format_pct(hi[measure])}); lowest: "
                f"{lo['geography']} ({format_pct(lo[measure])})."
            )
        return text + f" Data as at {when}."
    if kind == "neighbours":
        data = df.sort_values(["is_focus", "rank"], ascending=[False, True])
        focus = data[data["is_focus"].astype(bool)].iloc[0]
        nb = data[~data["is_focus"].astype(bool)]

        def describe(r: pd.Series) -> str:
            if _is_missing(r["grade"]):
                return f"{r['la_name']} no published grade"
            d = "" if _is_missing(r["published_date"]) else \
                f", published {format_date(r['published_date'])}"
            return f"{r['la_name']} {_grade_phrase(r['grade'])} ({r['framework']}{d})"

        graded = nb[nb["grade"].isin(GRADES)]
        counts = [f"{int((graded['grade'] == g).sum())} {_grade_phrase(g)}" for g in GRADES]
        ok = int(graded["grade"].isin(["outstanding", "good"]).sum())
        ranked = "; ".join(f"{int(r['rank'])} {describe(r)}" for _, r in nb.iterrows())
        return (
            f"Chart of the {spec.subject} of {focus['la_name']} and its {len(nb)} statistical "
            f"neighbours as at {when}. {describe(focus)}. Neighbours: {_list_phrase(counts)}; "
            f"{ok} of {len(nb)} good or better. By rank: {ranked}."
        )
    if kind == "cycle":
        data = df.assign(date=pd.to_datetime(df["date"]))
        actual = data[data["series"] == "actual"].sort_values("date")
        last = actual.iloc[-1]
        text = (
            f"Line chart of the cumulative share of {int(last['n_las'])} local authorities in "
            f"{geo} with a published {spec.subject}, from {format_date(actual['date'].min())}: "
            f"{int(last['n_inspected'])} ({format_pct(last['share'])}) by "
            f"{format_date(last['date'])}."
        )
        done = _completion(data, "projection")
        if done is not None:
            text += f" At the projected rate every LA is inspected by {_month(done)}"
            early = _completion(data, "projection_high")
            late = _completion(data, "projection_low")
            if early is not None and late is not None:
                text += f" (range {_month(early)} to {_month(late)})"
            text += "."
        elif (data["series"] == "projection").any():
            text += " The projection does not reach every LA within the period shown."
        return text + f" Data as at {when}."
    if kind == "grade_by_group":
        table, groups, _ = _group_table(df)
        good = table["share"][["outstanding", "good"]].sum(axis=1)
        totals = table["n"].sum(axis=1)
        parts = [f"{g} {format_pct(good[g])} of {totals[g]}" for g in
                 sorted(groups, key=lambda g: -good[g])]
        others = [g for g in groups if g != "England"]
        best = max(others, key=lambda g: good[g]) if others else groups[0]
        worst = min(others, key=lambda g: good[g]) if others else groups[0]
        return (
            f"Stacked bar chart of the {spec.subject} of local authorities in {geo} by group "
            f"({len(groups)} groups) as at {when}. Share good or better: {'; '.join(parts)}. "
            f"Highest: {best}; lowest: {worst}."
        )
    if kind == "hexmap":
        hexes = kwargs.get("hexes")
        focus = kwargs.get("focus")
        outlined = list(kwargs.get("outlined") or [])
        counts = df["grade"].value_counts()
        parts = [f"{int(counts.get(g, 0))} {_grade_phrase(g)}" for g in ALL_GRADES
                 if g in GRADES or counts.get(g, 0)]
        text = (
            f"Hex map of {len(df)} local authorities in {geo}, one hexagon each, coloured by "
            f"{spec.subject} as at {when}: {_list_phrase(parts)}."
        )
        if isinstance(hexes, pd.DataFrame):
            on_map = set(hexes["la_code"])
            missing = [c for c in df["la_code"] if c not in on_map]
            no_grade = len(on_map - set(df["la_code"]))
            if missing:
                text += f" {len(missing)} graded LAs are not on the map."
            if no_grade:
                text += f" {no_grade} hexagons have no published grade."
            names = dict(zip(hexes["la_code"], hexes["name"], strict=True))
        else:
            names = {}
        if focus:
            grade_of = dict(zip(df["la_code"], df["grade"], strict=True))
            g = grade_of.get(focus)
            text += (f" {names.get(focus, focus)} ("
                     f"{_grade_phrase(g) if g else 'no published grade'}) is outlined")
            text += f" with its {len(outlined)} statistical neighbours." if outlined else "."
        return text
    raise ValueError(f"unknown chart kind {kind!r}; expected one of {KINDS}")
