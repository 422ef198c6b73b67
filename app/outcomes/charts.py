"""Charts as server-rendered SVG, each with the table of the same figures.

Plain SVG strings built with markupsafe's escaping: no script, no library, no style
attribute (the pages' CSS colours them, for screen and print). A chart is `role="img"`
with a title and a description; the table beside it is what a screen reader reads.
A bar with no value (a hidden small count, a percentage not shown) is drawn as its
text alone, so that its length gives nothing away. Plain Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Each row is its label on a line, then its bar below: the picture stays readable on a
# 360 px phone, where a label column beside the bars would leave the text too small.
WIDTH = 360
BAR_W = 240  # the longest bar; what is left holds its text
LABEL_H = 20
BAR_H = 16
GAP = 10
TOP = 6
LEGEND_H = 26
MAX_LABEL = 40  # characters of a label in the picture; the table gives it whole
# Colours as presentation attributes, which the pages' CSS overrides: a PDF or an SVG
# opened alone still draws them.
FILLS = {
    "chart-bar-main": "#0b5c72",
    "chart-bar-before": "#0b5c72",
    "chart-bar-after": "#a86400",
}
INK = "#14171a"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # the bar's length on the chart's scale; None: no bar
    text: str  # written at the bar's end ("12", "<5", "84 %", "–")


@dataclass(frozen=True)
class Pair:
    label: str
    before: Bar
    after: Bar


@dataclass(frozen=True)
class Chart:
    """A picture and the table of its figures: headers, then one row per bar or pair."""

    id: str
    title: str
    description: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    svg: Markup


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def _open(chart_id: str, title: str, description: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" font-family="sans-serif" font-size="15" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'data-testid="chart-{escape(chart_id)}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]


def _bar(y: float, bar: Bar, scale: float, css: str) -> list[str]:
    parts = []
    length = 0.0
    if bar.value is not None and scale > 0:
        length = max(0.0, min(1.0, bar.value / scale)) * BAR_W
        parts.append(
            f'<rect class="chart-bar {css}" x="0" y="{y:.1f}" '
            f'width="{length:.1f}" height="{BAR_H}" fill="{FILLS[css]}" />'
        )
    parts.append(
        f'<text class="chart-value" x="{length + 6:.1f}" y="{y + BAR_H - 3:.1f}" '
        f'fill="{INK}" font-weight="bold">'
        f"{escape(bar.text)}</text>"
    )
    return parts


def _label(y: float, label: str) -> str:
    return (
        f'<text class="chart-label" x="0" y="{y:.1f}" fill="{INK}">{escape(_short(label))}</text>'
    )


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    headers: tuple[str, str],
    bars: Sequence[Bar],
    scale: float,
) -> Chart:
    """One bar per row, under its label; `scale` is the value of a full-length bar."""
    row_h = LABEL_H + BAR_H + GAP
    height = TOP * 2 + row_h * max(1, len(bars))
    parts = _open(chart_id, title, description, height)
    for index, bar in enumerate(bars):
        y = TOP + index * row_h
        parts.append(_label(y + LABEL_H - 5, bar.label))
        parts.extend(_bar(y + LABEL_H, bar, scale, "chart-bar-main"))
    parts.append("</svg>")
    rows = tuple((bar.label, bar.text) for bar in bars)
    return Chart(chart_id, title, description, headers, rows, Markup("".join(parts)))


def paired_chart(
    chart_id: str,
    title: str,
    description: str,
    headers: tuple[str, str, str],
    pairs: Sequence[Pair],
    scale: float,
) -> Chart:
    """Two bars per row, before and after (`headers`: the row's, before's, after's)."""
    pair_h = LABEL_H + 2 * BAR_H + 2 + GAP
    height = LEGEND_H + TOP * 2 + pair_h * max(1, len(pairs))
    parts = _open(chart_id, title, description, height)
    for offset, (css, word) in enumerate(
        (("chart-bar-before", headers[1]), ("chart-bar-after", headers[2]))
    ):
        x = offset * 150
        parts.append(
            f'<rect class="chart-bar {css}" x="{x}" y="{TOP}" width="14" height="14" '
            f'fill="{FILLS[css]}" />'
            f'<text class="chart-legend" x="{x + 20}" y="{TOP + 12}" fill="{INK}">'
            f"{escape(word)}</text>"
        )
    for index, pair in enumerate(pairs):
        y = LEGEND_H + TOP + index * pair_h
        parts.append(_label(y + LABEL_H - 5, pair.label))
        parts.extend(_bar(y + LABEL_H, pair.before, scale, "chart-bar-before"))
        parts.extend(_bar(y + LABEL_H + BAR_H + 2, pair.after, scale, "chart-bar-after"))
    parts.append("</svg>")
    rows = tuple((p.label, p.before.text, p.after.text) for p in pairs)
    return Chart(chart_id, title, description, headers, rows, Markup("".join(parts)))
