"""Tables for people on the Cycle, LA profile, Neighbours and SQL workbench pages: the column
settings and cell texts that show a frame's data in plain English (labels for column names,
percentages for shares, dates as "31 March 2025", grades and codes as words) without changing
the frame itself, so downloads keep their names and values.

Wide tables are drawn with `st.table` (`people_table`): its cells and headings wrap, so a table
with a dozen judgements fits a 1440 px screen with no sideways scrolling, and it is a real HTML
table for screen readers. Long ones (every LA) stay in `st.dataframe`, which can be sorted and
searched."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import pandas as pd
import streamlit as st

from etl.figures.style import CHART_GRADES, format_date, grade_label
from views._shared import as_text

# What st.dataframe's DateColumn draws: "31 March 2025" (moment.js tokens).
DATE_FORMAT = "D MMMM YYYY"


def day_column(label: str, **kw: Any) -> Any:
    """A date column shown as "31 March 2025"."""
    return st.column_config.DateColumn(label, format=DATE_FORMAT, **kw)


def month_column(label: str, **kw: Any) -> Any:
    """A date column shown as "Mar 2025", as the charts write a month (a projection is no
    finer than its month)."""
    return st.column_config.DateColumn(label, format="MMM YYYY", **kw)


def percent_column(label: str, **kw: Any) -> Any:
    """A share (0-1) shown as a percentage."""
    return st.column_config.NumberColumn(label, format="percent", **kw)


def count_column(label: str, **kw: Any) -> Any:
    """A whole number or a year, shown with neither decimals nor thousands separators."""
    return st.column_config.NumberColumn(label, format="%d", **kw)


def words_column(label: str, words: Mapping[str, str] | Callable[[str], str],
                 options: Sequence[str] | None = None, **kw: Any) -> Any:
    """A column of codes (grades, series, kinds) shown as words: `words` maps each code
    (`options`: the codes, when `words` is a function)."""
    if callable(words):
        codes = list(options or [])
        fmt = words
    else:
        codes = list(words)
        fmt = words.get  # type: ignore[assignment]
    return st.column_config.SelectboxColumn(label, options=codes, format_func=fmt, **kw)


def grade_column(label: str = "Grade", extra: Sequence[str] = (), **kw: Any) -> Any:
    """A column of grade codes (outstanding … inadequate, adequate, no overall grade) in words."""
    codes = list(dict.fromkeys([*CHART_GRADES, *extra]))
    return words_column(label, grade_label, codes, **kw)


def date_text(value: object) -> str:
    """"31 March 2025", or "" for a missing date."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return format_date(value)


def date_range_text(start: object, end: object) -> str:
    """"13–24 May 2024", "30 September – 11 October 2019", or whichever end is known."""
    s = None if start is None or pd.isna(start) else pd.Timestamp(start)
    e = None if end is None or pd.isna(end) else pd.Timestamp(end)
    if s is None or e is None or s == e:
        return date_text(e if e is not None else s)
    if (s.year, s.month) == (e.year, e.month):
        return f"{s.day}–{format_date(e)}"
    if s.year == e.year:
        return f"{s.day} {s:%B} – {format_date(e)}"
    return f"{format_date(s)} – {format_date(e)}"


def link(text: object, url: object) -> str:
    """A markdown link for a `people_table` cell: the text escaped (it may come from a source
    document), the address only if it is a web address, with the characters that would end a
    markdown link percent-encoded."""
    shown = as_text(text, limit=300)
    if not isinstance(url, str) or not url.startswith(("https://", "http://", "/")):
        return shown
    return f"[{shown}]({quote(url, safe=':/?&=#%~+,;@!$*')})"


def people_table(frame: pd.DataFrame) -> None:
    """A table whose cells and headings wrap to the page width. Cells are markdown: text from
    a source document goes through `as_text`, links through `link`."""
    st.table(frame.fillna(""), hide_index=True, border="horizontal")
