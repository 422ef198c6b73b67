"""The urgent situations' guide, for any member of staff (app.tutor_pages.guides reads it)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template
from flask_babel import get_locale
from flask_login import login_required

from app.rendering import render_markdown
from app.tutor_pages import bp
from app.tutor_pages.guides import urgent_guide


@bp.get("/tutor/urgent")
@login_required
def urgent() -> str:
    """What to do when someone discloses an urgent situation: the guide, for any staff."""
    text, language = urgent_guide(Path(current_app.config["WORKSHOPS_DIR"]), str(get_locale()))
    return render_template("tutor/urgent.html", guide=render_markdown(text), language=language)
