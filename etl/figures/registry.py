"""Every chart by name: what `python -m etl export <name>` loops over and the pages draw.

Each entry is a chart module with NAME, Params (a frozen dataclass whose fields are the
chart's parameters, their help and choices in `field(metadata=option(...))`), `figure`,
`alt_text` and `render(con, params) -> Chart`.
"""

from __future__ import annotations

import dataclasses
from types import ModuleType

from etl.figures import (
    area_send_national,
    cycle,
    cycle_backtest,
    failing,
    hexmap,
    la_timeline,
    local_area_send,
    local_providers,
    national_by_group,
    national_distribution,
    national_trend,
    neighbours,
    neighbours_comparison,
    provider_hexmap,
    provider_national,
    report_themes,
    workbench,
)

CHARTS: dict[str, ModuleType] = {m.NAME: m for m in (
    national_distribution,
    national_by_group,
    national_trend,
    failing,
    neighbours,
    neighbours_comparison,
    hexmap,
    cycle,
    cycle_backtest,
    la_timeline,
    report_themes,
    workbench,
    local_providers,
    local_area_send,
    area_send_national,
    provider_hexmap,
    provider_national,
)}


def chart_module(name: str) -> ModuleType:
    try:
        return CHARTS[name]
    except KeyError:
        raise ValueError(f"unknown chart {name!r}; expected one of {list(CHARTS)}") from None


def fields(name: str) -> tuple[dataclasses.Field, ...]:
    return dataclasses.fields(chart_module(name).Params)
