"""Languages: the locale of each request and the text direction of each language."""

from __future__ import annotations

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user

from app.extensions import babel

LANG_COOKIE = "mp_lang"


def supported() -> tuple[str, ...]:
    return current_app.config["LANGUAGES"]


def language_name(code: str) -> str:
    """The language's own name for itself, as a speaker looks for it in a list."""
    return Locale.parse(code).get_display_name(code).capitalize()


def direction(code: str) -> str:
    return Locale.parse(code).text_direction


def select_locale() -> str:
    if not has_request_context():  # e.g. the socket guard's refusals: the default language
        return supported()[0]
    chosen = getattr(g, "participant_locale", None) or request.cookies.get(LANG_COOKIE)
    if not chosen and current_user and current_user.is_authenticated:
        chosen = current_user.locale
    if chosen in supported():
        return chosen
    return request.accept_languages.best_match(supported()) or supported()[0]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def _language_context() -> dict[str, object]:
        from flask_babel import get_locale

        code = str(get_locale())
        return {
            "lang": code,
            "text_dir": direction(code),
            "languages": [(c, language_name(c)) for c in supported()],
        }
