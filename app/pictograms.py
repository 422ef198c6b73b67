"""The pictograms in the pages: Jinja's `icon(...)` helpers and the sprite the pages'
scripts draw from (the drawings and which one goes with what: app.vocabulary.icons)."""

from __future__ import annotations

import json

from flask import Flask
from markupsafe import Markup

from app.vocabulary import icons


def icon(name: str | None, css_class: str = "icon") -> Markup:
    """A drawing by its name, inline (nothing for None: an action without one)."""
    return Markup(icons.svg(name, css_class)) if name else Markup("")


def board_icon(board: str) -> Markup:
    return icon(icons.icon_of("board", board))


def field_icon(field: str) -> Markup:
    return icon(icons.icon_of("field", field))


def action_icon(action: str) -> Markup:
    return icon(icons.icon_of("action", action))


def section_icon(section: str) -> Markup:
    return icon(icons.icon_of("section", section))


def sprite() -> Markup:
    """Every drawing once, as <symbol id="icon-NAME">, with the tables that say which
    goes with a board, a field or an action: static/js/icons.js reads them."""
    symbols = "".join(
        f'<symbol id="icon-{name}" viewBox="0 0 24 24">{icons.strokes(name)}</symbol>'
        for name in icons.DRAWINGS
    )
    tables = json.dumps(
        {"board": icons.BOARD_ICONS, "field": icons.FIELD_ICONS, "action": icons.ACTION_ICONS},
        separators=(",", ":"),
    )
    return Markup(
        '<svg class="icon-sprite" width="0" height="0" aria-hidden="true" focusable="false"'
        ' fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"'
        ' stroke-linejoin="round" data-icons="{}">{}</svg>'
    ).format(tables, Markup(symbols))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        icon=icon,
        board_icon=board_icon,
        field_icon=field_icon,
        action_icon=action_icon,
        section_icon=section_icon,
        icon_sprite=sprite,
    )
