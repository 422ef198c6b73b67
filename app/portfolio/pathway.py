"""The migration pathway as a picture, for the PDF: dates, a line of dots, and the words.

The dots are SVG; the words are HTML text beside them (templates/pdf/portfolio.html),
which WeasyPrint shapes, orders and wraps like every other paragraph. In SVG they could
not be: WeasyPrint draws an SVG `<text>` one code point at a time, which splits a joined
emoji, an Indic conjunct or an Arabic letter from its marks, and ignores the
bidirectional algorithm (an Arabic line's "14/03/2019" came out as "2019/03/14").
Pure: strings in, steps and a constant picture out; the template escapes the words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from app.dates import show_when

Event = tuple[str, str, str]  # when (partial ISO date), place, text

ACCENT = "#0E4194"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not allowed in XML 1.0


def _dot(filled: bool) -> Markup:
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="pathway-dot" width="10" height="10" '
        'viewBox="0 0 14 14" aria-hidden="true">'
        f'<circle cx="7" cy="7" r="5" fill="{ACCENT if filled else "#ffffff"}" '
        f'stroke="{ACCENT}" stroke-width="2"/></svg>'
    )


# The only two pictures there are: every step shares one of them.
HOLLOW, FILLED = _dot(False), _dot(True)


def format_when(when: str) -> str:
    """A stored date as people write it by hand: 2019, 03/2019, 14/03/2019, 2012 – 2016."""
    return show_when(when)


def _clean(text: str) -> str:
    return " ".join(_CONTROL.sub("", text).split())


@dataclass(frozen=True)
class Step:
    """One dot of the pathway: its date as written by hand, the place, what happened."""

    when: str
    place: str
    text: str
    dot: Markup


def pathway(events: Sequence[Event]) -> list[Step]:
    """The events oldest first, the latest one with a filled dot."""
    ordered = sorted(events, key=lambda event: event[0])
    return [
        Step(
            format_when(when),
            _clean(place),
            _clean(text),
            FILLED if index == len(ordered) - 1 else HOLLOW,
        )
        for index, (when, place, text) in enumerate(ordered)
    ]
