"""Bar charts for the statistics page, laid out on the server and drawn as inline SVG.

No chart library and no script: the page works with scripts off, asks no other origin, and
a chart is a few hundred bytes. Bars run across, each with its label above it, so a long
station name fits a 390 px phone; the SVG scales to the column's width (viewBox).
"""

from dataclasses import dataclass

WIDTH = 360
BAR_MAX = 280  # leaves room for the number after the longest bar
ROW = 38
BAR = 14
LABEL_MAX = 48  # characters; the table under the chart has the full name


@dataclass
class Bar:
    label: str
    value: str  # the number, or "< 5"
    label_y: int
    bar_y: int
    width: int
    value_x: int
    hidden: bool


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    height: int
    bars: list[Bar]


def _short(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def chart(id: str, title: str, desc: str, rows: list[tuple[str, dict]], hidden_text: str) -> Chart:
    """A chart of (label, cell) rows; a hidden cell has no bar, only its "< N"."""
    top = max((c["count"] or 0 for _l, c in rows), default=0) or 1
    bars = []
    for i, (label, cell) in enumerate(rows):
        y = i * ROW
        hidden = cell["suppressed"]
        width = 0 if hidden else round(BAR_MAX * cell["count"] / top)
        if not hidden and cell["count"]:
            width = max(width, 2)  # a count of one in ten thousand still shows
        value = hidden_text if hidden else str(cell["count"])
        bars.append(Bar(_short(label), value, y + 14, y + 19, width, width + 6, hidden))
    return Chart(id, title, desc, max(len(rows) * ROW, ROW), bars)
