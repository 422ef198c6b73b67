"""The migration pathway as a picture: a vertical line of dated dots, for the PDF.

Pure: strings in, inline SVG out. SVG cannot wrap text, so lines are cut here by
character count, sized for DejaVu Sans at the font size below. Everything a participant
wrote is XML-escaped; the picture refers to nothing outside itself.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from markupsafe import Markup

from app.textdir import direction_of, visual

Event = tuple[str, str, str]  # when (partial ISO date), place, text

WIDTH = 640  # user units; the stylesheet scales the picture to the text column
FONT = "DejaVu Sans"
FONT_SIZE = 12
LINE = 16  # baseline to baseline
GAP = 14  # between two events
TOP = 14
DATE_EDGE = 92  # the date's edge, from the side the reader starts on
AXIS = 106
TEXT_EDGE = 122  # where place and text start
FAR_EDGE = WIDTH - 4
# DejaVu Sans runs at about 0.5 em a character in ordinary sentences, 0.6 em in wide
# ones and more in bold: these counts fill the 510 units of the text column, no more.
CHARS_PER_LINE = 70
CHARS_PER_BOLD_LINE = 62
# A picture cannot break across pages: a long pathway becomes several pictures, each
# shorter than an A4 text column (about 990 units at the stylesheet's scale).
MAX_HEIGHT = 860
ACCENT = "#0E4194"
INK = "#1d232b"
MUTED = "#5a6270"
RULE = "#b8c3d9"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not allowed in XML 1.0


def format_when(when: str) -> str:
    """A partial ISO date as people write it by hand: 2019, 03/2019, 14/03/2019."""
    return "/".join(reversed(when.strip().split("-")))


def _wrap(text: str, width: int) -> list[str]:
    clean = " ".join(_CONTROL.sub("", text).split())
    return textwrap.wrap(clean, width, break_long_words=True, break_on_hyphens=False)


@dataclass(frozen=True)
class _Placed:
    when: str
    lines: tuple[tuple[str, bool], ...]  # (line, is the place)

    @property
    def height(self) -> int:
        return max(len(self.lines), 1) * LINE


def _place(event: Event) -> _Placed:
    when, place, text = event
    lines = [(line, True) for line in _wrap(place, CHARS_PER_BOLD_LINE)]
    lines += [(line, False) for line in _wrap(text, CHARS_PER_LINE)]
    return _Placed(when, tuple(lines))


def _text(x: float, y: float, content: str, anchor: str, **attrs: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attrs.items())
    return (
        f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" font-family="{FONT}" '
        f'font-size="{FONT_SIZE}"{extra}>{escape(content)}</text>'
    )


def _picture(events: Sequence[_Placed], rtl: bool, before: bool, after: bool) -> Markup:
    """One picture; `before`/`after`: the line goes on from the previous or to the next."""

    def x(offset: float) -> float:
        # Offsets are measured from the side the reader starts on.
        return WIDTH - offset if rtl else offset

    start, end = ("end", "start") if rtl else ("start", "end")
    body: list[str] = []
    dots: list[str] = []
    y = TOP
    dot = first_dot = TOP + FONT_SIZE * 0.62
    for index, event in enumerate(events):
        baseline = y + FONT_SIZE
        body.append(
            _text(
                x(DATE_EDGE),
                baseline,
                format_when(event.when),
                end,
                font_weight="bold",
                fill=ACCENT,
            )
        )
        for number, (line, is_place) in enumerate(event.lines):
            if (direction_of(line) == "rtl") == rtl:
                position, anchor = x(TEXT_EDGE), start
            else:
                # A line in the other direction (Arabic in a French document) starts at
                # the far edge, where its reader looks for it, not against the axis.
                position, anchor = x(FAR_EDGE), end
            attrs = {"font_weight": "bold", "fill": INK} if is_place else {"fill": MUTED}
            # SVG text is drawn a letter at a time: order and join the letters here.
            body.append(_text(position, baseline + number * LINE, visual(line), anchor, **attrs))
        dot = y + FONT_SIZE * 0.62
        latest = not after and index == len(events) - 1
        dots.append(
            f'<circle cx="{x(AXIS):g}" cy="{dot:g}" r="5" fill="{ACCENT if latest else "#ffffff"}" '
            f'stroke="{ACCENT}" stroke-width="2"/>'
        )
        y += event.height + GAP
    height = y - GAP + TOP // 2
    # Drawn first so that the dots sit on the line.
    axis = (
        f'<line x1="{x(AXIS):g}" y1="{0 if before else first_dot:g}" x2="{x(AXIS):g}" '
        f'y2="{height if after else dot:g}" stroke="{RULE}" stroke-width="2"/>'
    )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-svg" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" aria-hidden="true">'
        f"{axis}{''.join(dots)}{''.join(body)}</svg>"
    )


def timeline_pictures(
    events: Sequence[Event], rtl: bool = False, max_height: int = MAX_HEIGHT
) -> list[Markup]:
    """The pathway oldest first, cut into pictures that each fit on a page."""
    placed = [_place(event) for event in sorted(events, key=lambda event: event[0])]
    chunks: list[list[_Placed]] = []
    height = max_height
    for event in placed:
        needed = event.height + GAP
        if height + needed > max_height:
            chunks.append([])
            height = TOP
        chunks[-1].append(event)
        height += needed
    last = len(chunks) - 1
    return [_picture(chunk, rtl, i > 0, i < last) for i, chunk in enumerate(chunks)]


def timeline_svg(events: Sequence[Event], rtl: bool = False) -> Markup:
    """Draw (when, place, text) events oldest first; `rtl` puts the dates on the right."""
    if not events:
        return Markup("")
    return _picture([_place(e) for e in sorted(events, key=lambda e: e[0])], rtl, False, False)
