"""The one definition of every chart: pure data (pandas) -> plotly figure.

The Streamlit pages and the `python -m etl export` CLI both call these builders, so a chart
looks the same on screen and in a cabinet paper. Nothing here imports Streamlit.

Every figure carries its own title, subtitle, "As at <date>" line and source line *inside*
the figure, so a PNG pasted into a paper explains itself. Grades always use `GRADE_COLOURS`
(ColorBrewer RdBu, 4 classes: a diverging blue-red scheme that ColorBrewer lists as
colour-blind safe; simulated deuteranopia, protanopia and tritanopia (Machado 2009) keep every
pair of the five colours at least 15 CIELAB units apart), and no chart relies on colour
alone: grades are also named on an axis, printed in the hexes, or patterned.

Each builder stores `{"kind": ..., "alt_text": ...}` in `fig.layout.meta` so exports and
the app can reuse the generated description.
"""

from etl.charts.alt_text import alt_text
from etl.charts.bars import (
    grade_by_group_figure,
    grade_share_over_time_figure,
    national_distribution_figure,
)
from etl.charts.common import (
    ALL_GRADES,
    AXIS_LINE,
    CONTEXT_LINE,
    DEFAULT_SOURCE,
    FONT_FAMILY,
    GRADE_COLOURS,
    GRADE_LABELS,
    GRADE_PATTERNS,
    GRADE_SHORT,
    GRADE_TEXT_COLOURS,
    GRID,
    HIGHLIGHT_COLOURS,
    KINDS,
    NO_GRADE_COLOUR,
    SECONDARY_TEXT,
    TEXT,
    ChartSpec,
    format_date,
    format_pct,
)
from etl.charts.hexmap import hex_centres, hexmap_figure, read_hexjson
from etl.charts.lines import cycle_figure, failing_over_time_figure
from etl.charts.neighbours import neighbours_figure

__all__ = [
    "ALL_GRADES",
    "AXIS_LINE",
    "CONTEXT_LINE",
    "DEFAULT_SOURCE",
    "GRID",
    "HIGHLIGHT_COLOURS",
    "NO_GRADE_COLOUR",
    "SECONDARY_TEXT",
    "TEXT",
    "FONT_FAMILY",
    "GRADE_COLOURS",
    "GRADE_LABELS",
    "GRADE_PATTERNS",
    "GRADE_SHORT",
    "GRADE_TEXT_COLOURS",
    "KINDS",
    "ChartSpec",
    "alt_text",
    "cycle_figure",
    "failing_over_time_figure",
    "format_date",
    "format_pct",
    "grade_by_group_figure",
    "grade_share_over_time_figure",
    "hex_centres",
    "hexmap_figure",
    "national_distribution_figure",
    "neighbours_figure",
    "read_hexjson",
]
