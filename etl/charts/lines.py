"""Lines over time: the share failing, and cycle completion with its projection."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from etl.charts.alt_text import alt_text
from etl.charts.common import (
    _CYCLE_SERIES,
    _MEASURES,
    AXIS_LINE,
    BASE_FONT,
    CONTEXT_LINE,
    GRADE_COLOURS,
    HIGHLIGHT_COLOURS,
    SECONDARY_TEXT,
    TEXT,
    ChartSpec,
    _axis,
    _completion,
    _frame,
    _label_margin,
    _month,
    _require_columns,
    format_date,
    format_pct,
)

# --------------------------------------------------------------------------- 2 failing

def _spread_labels(values: dict[str, float], min_gap: float, lo: float, hi: float) -> dict:
    """Nudge end-of-line label positions apart so none overlap; keeps their order."""
    items = sorted(values.items(), key=lambda kv: kv[1])
    pos = [v for _, v in items]
    for i in range(1, len(pos)):
        pos[i] = max(pos[i], pos[i - 1] + min_gap)
    if pos and pos[-1] > hi:
        pos[-1] = hi
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - min_gap)
    if pos and pos[0] < lo:
        # more labels than fit: accept overlap at the top rather than lose one
        shift = lo - pos[0]
        pos = [p + shift for p in pos]
    return {k: p for (k, _), p in zip(items, pos, strict=True)}


def failing_over_time_figure(
    df: pd.DataFrame,
    spec: ChartSpec,
    *,
    measure: str = "share_failing",
    highlight: Sequence[str] = (),
) -> go.Figure:
    """Lines of a share over time per geography; England emphasised, others for context.

    df: month (month end), geography, share_failing, share_good_or_better, n_judged.
    `measure` picks the share; `highlight` names geographies to colour (others are grey).
    Every line is labelled at its end with its name and latest value.
    """
    _require_columns(
        df, ("month", "geography", "share_failing", "share_good_or_better", "n_judged"),
        "failing over time",
    )
    if measure not in _MEASURES:
        raise ValueError(f"measure must be one of {list(_MEASURES)}, not {measure!r}")
    if df.empty:
        raise ValueError("failing over time: no rows")
    data = df.assign(month=pd.to_datetime(df["month"])).sort_values(["geography", "month"])
    geos = list(dict.fromkeys(data["geography"]))
    # England drawn last so it sits on top; highlighted next; context lines first
    order = sorted(geos, key=lambda g: (g == "England", g in highlight, g))
    colour_for = {g: HIGHLIGHT_COLOURS[i % len(HIGHLIGHT_COLOURS)]
                  for i, g in enumerate(h for h in highlight if h in geos)}
    plot_height = 420
    fig = go.Figure()
    ends: dict[str, float] = {}
    end_text: dict[str, tuple[str, str, int]] = {}
    last_month = data["month"].max()
    for geo in order:
        g = data[data["geography"] == geo]
        if geo == "England":
            colour, width, size = TEXT, 4, BASE_FONT
        elif geo in colour_for:
            colour, width, size = colour_for[geo], 2.5, BASE_FONT - 1
        else:
            colour, width, size = CONTEXT_LINE, 1.5, BASE_FONT - 2
        fig.add_trace(
            go.Scatter(
                x=g["month"], y=g[measure], mode="lines", name=geo,
                line=dict(color=colour, width=width),
                customdata=g[["n_judged"]],
                hovertemplate=(f"{geo}<br>%{{x|%b %Y}}: %{{y:.0%}} "
                               "(of %{customdata[0]} LAs judged)<extra></extra>"),
            )
        )
        last = g.iloc[-1]
        ends[geo] = float(last[measure])
        label_colour = SECONDARY_TEXT if colour == CONTEXT_LINE else colour
        end_text[geo] = (f"{geo} {format_pct(float(last[measure]))}", label_colour, size)
        if last["month"] != last_month:
            end_text[geo] = (f"{geo} {format_pct(float(last[measure]))} "
                             f"({_month(last['month'])})", label_colour, size)
    gap = (BASE_FONT + 1) / plot_height
    placed = _spread_labels(ends, gap, 0.0, 1.0)
    for geo in order:
        text, colour, size = end_text[geo]
        bold = geo == "England"
        g_last = data[data["geography"] == geo]["month"].iloc[-1]
        fig.add_annotation(
            x=g_last, y=placed[geo], text=f"<b>{text}</b>" if bold else text,
            xanchor="left", yanchor="middle", xshift=8, showarrow=False,
            font=dict(size=size, color=colour),
        )
    longest = max(len(t) for t, _, _ in end_text.values())
    fig.update_yaxes(**_axis(range=[0, 1.01], tickformat=".0%", dtick=0.25, showgrid=True))
    # explicit range: autorange pads dates, leaving a gap between line ends and labels
    fig.update_xaxes(**_axis(showline=True, ticks="outside", tickcolor=AXIS_LINE,
                             range=[data["month"].min(), last_month]))
    fig.update_layout(showlegend=False, hovermode="closest")
    return _frame(
        fig, spec, kind="failing_over_time",
        alt=alt_text("failing_over_time", df, spec, measure=measure),
        plot_height=plot_height, margin_l=_label_margin(["100%"]),
        margin_r=int(longest * 8.2) + 24,
        axis_space=46,
    )



# --------------------------------------------------------------------------- 4 cycle

def cycle_figure(df: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """Cumulative share of LAs inspected, with a projection, its uncertainty band and the
    projected completion date.

    df: date, n_inspected (cumulative), n_las, share (0-1), series ('actual' | 'projection' |
    'projection_low' | 'projection_high'). 'projection_low' is the slower path (latest
    completion), 'projection_high' the faster.
    """
    _require_columns(df, ("date", "n_inspected", "n_las", "share", "series"), "cycle")
    bad = sorted(set(df["series"]) - set(_CYCLE_SERIES))
    if bad:
        raise ValueError(f"cycle: unknown series {bad}; expected {_CYCLE_SERIES}")
    data = df.assign(date=pd.to_datetime(df["date"])).sort_values(["series", "date"])
    actual = data[data["series"] == "actual"]
    if actual.empty:
        raise ValueError("cycle: no 'actual' rows")
    fig = go.Figure()
    low = data[data["series"] == "projection_low"]
    high = data[data["series"] == "projection_high"]
    if not low.empty and not high.empty:
        fig.add_trace(
            go.Scatter(
                x=[*low["date"], *high["date"][::-1]],
                y=[*low["share"], *high["share"][::-1]],
                fill="toself", fillcolor="rgba(5,113,176,0.15)", line=dict(width=0),
                mode="lines", name="Projection range", hoverinfo="skip",
            )
        )
    proj = data[data["series"] == "projection"]
    if not proj.empty:
        fig.add_trace(
            go.Scatter(
                x=proj["date"], y=proj["share"], mode="lines", name="Projection",
                line=dict(color=GRADE_COLOURS["outstanding"], width=2.5, dash="dash"),
                hovertemplate="Projection %{x|%b %Y}: %{y:.0%}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=actual["date"], y=actual["share"], mode="lines", name="Inspected",
            line=dict(color=TEXT, width=4), customdata=actual[["n_inspected", "n_las"]],
            hovertemplate="%{x|%d %b %Y}: %{customdata[0]} of %{customdata[1]} "
            "(%{y:.0%})<extra></extra>",
        )
    )
    last = actual.iloc[-1]
    n_las = int(last["n_las"])
    fig.add_annotation(
        x=last["date"], y=float(last["share"]),
        text=(f"<b>{int(last['n_inspected'])} of {n_las} ({format_pct(float(last['share']))})"
              f"</b><br>inspected by {format_date(last['date'])}"),
        # below-right of the line end, where the space under the projection is empty; near
        # the bottom that would sit on the axis labels, so it goes above the line instead
        xanchor="left", yanchor="top" if float(last["share"]) >= 0.2 else "bottom",
        align="left", ax=14, ay=40 if float(last["share"]) >= 0.2 else -60, showarrow=True,
        arrowcolor=AXIS_LINE, arrowwidth=1, font=dict(size=BASE_FONT - 1, color=TEXT),
    )
    fig.add_hline(y=1, line=dict(color=AXIS_LINE, width=1, dash="dot"))
    x_min = data["date"].min()
    fig.add_annotation(
        x=x_min, y=1, text=f"All {n_las} LAs", xanchor="left", yanchor="bottom",
        showarrow=False, font=dict(size=BASE_FONT - 2, color=SECONDARY_TEXT),
    )
    done = _completion(data, "projection")
    if done is not None:
        early, late = _completion(data, "projection_high"), _completion(data, "projection_low")
        if early is not None and late is not None and early != late:
            rng = f"<br>(range {_month(early)} to {_month(late)})"
        elif late is None and not low.empty:
            rng = "<br>(slower path not complete in period shown)"
        else:
            rng = ""
        fig.add_trace(
            go.Scatter(
                x=[done], y=[1], mode="markers", name="Projected completion",
                showlegend=False,
                marker=dict(symbol="diamond", size=16, color=GRADE_COLOURS["outstanding"],
                            line=dict(color=TEXT, width=1.5)),
                hovertemplate="Projected completion %{x|%b %Y}<extra></extra>",
            )
        )
        # Below the band, where the slower path has not yet reached the label.
        fig.add_annotation(
            x=done, y=1, text=f"<b>Projected completion: {_month(done)}</b>{rng}",
            xanchor="right", yanchor="top", align="right", ax=0, ay=130, showarrow=True,
            arrowcolor=AXIS_LINE, arrowwidth=1, font=dict(size=BASE_FONT - 1, color=TEXT),
        )
    fig.update_yaxes(**_axis(range=[0, 1.08], tickformat=".0%", tickvals=[0, .25, .5, .75, 1],
                             showgrid=True))
    fig.update_xaxes(**_axis(showline=True, ticks="outside", tickcolor=AXIS_LINE,
                             range=[x_min - pd.Timedelta(days=20),
                                    data["date"].max() + pd.Timedelta(days=20)]))
    # Legend in the empty top-left of the plot (the actual line starts bottom-left).
    fig.update_layout(
        showlegend=True,
        legend=dict(x=0.01, xanchor="left", y=0.9, yanchor="top",
                    font=dict(size=BASE_FONT - 1), traceorder="reversed",
                    bgcolor="rgba(255,255,255,0.85)"),
    )
    return _frame(fig, spec, kind="cycle", alt=alt_text("cycle", df, spec),
                  plot_height=400, axis_space=46, margin_l=_label_margin(["100%"]))


