"""Pictograms: one drawing per board type, card field and main action, always shown
beside its words (never instead of them), the same on the phone, the projector and the
PDF, for people who read little.

Drawn here, on a 24 × 24 grid, as strokes in the text's colour: no icon font, no
outside file, nothing a strict CSP or a PDF renderer would refuse. `svg(name)` is the
inline drawing; pages whose scripts draw cards also carry all of them once as
`<symbol id="icon-NAME">` (app.pictograms.sprite) for `<use href="#icon-NAME">`.
"""

from __future__ import annotations

from html import escape

from app.vocabulary import PORTFOLIO_SECTIONS
from app.vocabulary.boards import BOARDS

# name -> the path data of its strokes (and "c:x,y,r" for a circle).
DRAWINGS: dict[str, tuple[str, ...]] = {
    "rules": (
        "M9 6h11",
        "M9 12h11",
        "M9 18h11",
        "M3.5 6l1.5 1.5L7.5 5",
        "M3.5 12l1.5 1.5 2.5-2.5",
        "M3.5 18l1.5 1.5 2.5-2.5",
    ),
    "timeline": ("M2 12h20", "c:6,12,2", "c:12,12,2", "c:18,12,2", "M6 8V5", "M18 8V5"),
    "work": ("M3 8h18v12H3z", "M8 8V5h8v3", "M3 13h18"),
    "star": ("M12 3l2.7 5.6 6.1.8-4.5 4.2 1.1 6.1L12 16.8l-5.4 2.9 1.1-6.1-4.5-4.2 6.1-.8z",),
    "flag": ("M5 21V4", "M5 4h13l-2.5 4 2.5 4H5"),
    "speech": ("M4 4h16v12H10l-5 4v-4H4z",),
    "school": ("M2 9l10-5 10 5-10 5z", "M6 11v5c3 2.5 9 2.5 12 0v-5", "M22 9v6"),
    "page": ("M6 3h9l4 4v14H6z", "M14 3v5h5", "M9 12h7", "M9 16h7"),
    "chart": ("M4 20h16", "M6 20v-8", "M12 20V5", "M18 20v-11"),
    "gauge": ("M4 17a8 8 0 0 1 16 0", "M12 17l4-5", "c:12,17,1"),
    "heart": (
        "M12 20s-7.5-4.6-7.5-10.2A4.2 4.2 0 0 1 12 7.6a4.2 4.2 0 0 1 7.5 2.2"
        "C19.5 15.4 12 20 12 20z",
    ),
    "calendar": ("M4 6h16v14H4z", "M4 10h16", "M8 3v5", "M16 3v5"),
    "pin": ("M12 21s-6.5-6.3-6.5-11.5a6.5 6.5 0 0 1 13 0C18.5 14.7 12 21 12 21z", "c:12,9.5,2.3"),
    "lines": ("M5 7h14", "M5 12h14", "M5 17h9"),
    "globe": (
        "c:12,12,9",
        "M3 12h18",
        "M12 3c3.2 3.6 3.2 14.4 0 18",
        "M12 3c-3.2 3.6-3.2 14.4 0 18",
    ),
    "coin": ("c:12,12,8.5", "M15 8.8A4 4 0 1 0 15 15.2", "M7.5 10.8h5.5", "M7.5 13.2h5.5"),
    "tag": ("M3 12V3h9l9 9-9 9z", "c:7.5,7.5,1.5"),
    "proof": ("c:12,10,6", "M9 10l2 2 4-4", "M8.5 15l-1.5 6 5-2.5 5 2.5-1.5-6"),
    "checklist": (
        "M10 6h10",
        "M10 12h10",
        "M10 18h10",
        "M4 5h3v3H4z",
        "M4 11h3v3H4z",
        "M4 17h3v3H4z",
    ),
    "people": (
        "c:9,8,3",
        "M3 20c0-3.5 2.7-6 6-6s6 2.5 6 6",
        "c:17,9,2.5",
        "M15.5 14.3c3 .1 5.5 2.3 5.5 5.7",
    ),
    "change": ("M4 12a8 8 0 0 1 14-5.3", "M20 12a8 8 0 0 1-14 5.3", "M18 3v4h-4", "M6 21v-4h4"),
    "person": ("c:12,8,4", "M4 21c0-4.4 3.6-7.5 8-7.5s8 3.1 8 7.5"),
    "link": (
        "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1",
        "M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
    ),
    "send": ("M3 11L21 3l-8 18-2-8z", "M11 13L21 3"),
    "edit": ("M4 20l1-4L16.5 4.5l3 3L8 19z", "M14 7l3 3"),
    "undo": ("M9 14L4 9l5-5", "M4 9h10a6 6 0 0 1 0 12h-4"),
    "eye": ("M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z", "c:12,12,3"),
    "vote": ("c:12,12,4.5", "c:12,12,9"),
    "agree": ("M5 12.5l4.5 4.5L19 7",),
    "disagree": ("M6 6l12 12", "M18 6L6 18"),
    "listen": ("M4 9h4l5-4v14l-5-4H4z", "M16 8.5a5 5 0 0 1 0 7", "M18.5 6a8.5 8.5 0 0 1 0 12"),
    "folder": ("M3 6h6l2 2h10v11H3z",),
    "download": ("M12 4v11", "M7 10l5 5 5-5", "M5 20h14"),
    "language": (
        "M3 5h10",
        "M8 3v2",
        "M5 5c.5 4 3 7 6.5 8.5",
        "M11 5c-.6 3.6-3 6.8-6.5 8.5",
        "M13 21l4-9 4 9",
        "M14.5 18h5",
    ),
    "close": ("M6 6l12 12", "M18 6L6 18"),
    "plus": ("M12 5v14", "M5 12h14"),
    "door": ("M5 21V4h10v17", "M15 4l4 2v15h-4", "c:12,13,0.8", "M3 21h18"),
}

# What each board type is drawn with: its icon heads its step on every screen.
BOARD_ICONS: dict[str, str] = {
    "group_rules": "rules",
    "timeline": "timeline",
    "experiences": "work",
    "competences": "star",
    "action_plan": "flag",
    "free_text": "speech",
    "education": "school",
    "cv_lines": "page",
    "poll": "chart",
    "self_assessment": "gauge",
    "programme_feedback": "heart",
}

# Each card field, by name, on whichever board it appears.
FIELD_ICONS: dict[str, str] = {
    "text": "speech",
    "when": "calendar",
    "place": "pin",
    "where": "pin",
    "country": "globe",
    "what": "work",
    "setting": "globe",
    "kind": "coin",
    "details": "lines",
    "documents": "page",
    "name": "star",
    "category": "tag",
    "evidence": "proof",
    "esco": "link",
    "goal": "flag",
    "actions": "checklist",
    "resources": "people",
    "title": "school",
    "type": "tag",
    "headline": "work",
    "about": "person",
    "confidence": "gauge",
    "network": "people",
    "labour_market": "work",
    "skills": "star",
    "project": "flag",
    "helped": "heart",
    "change": "change",
}

# Each part of a portfolio (app.vocabulary.PORTFOLIO_SECTIONS), on its page and its PDF.
SECTION_ICONS: dict[str, str] = {
    "profile": "person",
    "languages": "language",
    "migration_pathway": "timeline",
    "professional_experiences": "work",
    "social_experiences": "people",
    "education": "school",
    "competences": "star",
    "action_plan": "flag",
    "cv": "page",
    "evaluation": "gauge",
}

# The main actions a person takes, by the name the pages use.
ACTION_ICONS: dict[str, str] = {
    "post": "send",
    "edit": "edit",
    "withdraw": "undo",
    "cancel": "close",
    "show": "eye",
    "vote": "vote",
    "agree": "agree",
    "disagree": "disagree",
    "listen": "listen",
    "portfolio": "folder",
    "download": "download",
    "language": "language",
    "cv": "page",
    "add": "plus",
    "join": "door",
    "my_cards": "person",
    "board": "people",
}


def icon_of(kind: str, name: str) -> str | None:
    """The drawing for a board, a field, an action or a portfolio section, by name."""
    table = {
        "board": BOARD_ICONS,
        "field": FIELD_ICONS,
        "action": ACTION_ICONS,
        "section": SECTION_ICONS,
    }[kind]
    return table.get(name)


def _element(stroke: str) -> str:
    if stroke.startswith("c:"):
        x, y, r = stroke[2:].split(",")
        return f'<circle cx="{x}" cy="{y}" r="{r}"/>'
    return f'<path d="{escape(stroke)}"/>'


def strokes(name: str) -> str:
    """The drawing's elements, without the <svg> around them."""
    return "".join(_element(stroke) for stroke in DRAWINGS[name])


def svg(name: str, css_class: str = "icon") -> str:
    """The drawing as inline SVG, hidden from screen readers: its words say it."""
    return (
        f'<svg class="{escape(css_class)}" viewBox="0 0 24 24" width="24" height="24" '
        'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" '
        f'stroke-linejoin="round" aria-hidden="true" focusable="false" data-icon="{name}">'
        f"{strokes(name)}</svg>"
    )


def missing() -> list[str]:
    """Board types and fields with no icon, or icons with no drawing (tests)."""
    gaps = [f"board {b}" for b in BOARDS if b != "none" and b not in BOARD_ICONS]
    fields = {f.name for board in BOARDS.values() for f in board.fields}
    gaps += [f"field {f}" for f in sorted(fields) if f not in FIELD_ICONS]
    gaps += [f"section {s}" for s in PORTFOLIO_SECTIONS if s not in SECTION_ICONS]
    tables = (BOARD_ICONS, FIELD_ICONS, ACTION_ICONS, SECTION_ICONS)
    gaps += [f"drawing {n}" for t in tables for n in t.values() if n not in DRAWINGS]
    return gaps
