"""Languages: the locale of each request and the text direction of each language."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, support
from flask import Flask, current_app, g, has_app_context, has_request_context, request
from flask_babel import Domain, force_locale, get_domain, get_locale, gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup, escape

from app import catalogues
from app.extensions import babel
from app.languages import FALLBACK_LANGUAGE, STAFF_LANGUAGES, Counted

LANG_COOKIE = "mp_lang"


def supported() -> tuple[str, ...]:
    return current_app.config["LANGUAGES"]


def language_name(code: str) -> str:
    """The language's own name for itself, as a speaker looks for it in a list."""
    return Locale.parse(code).get_display_name(code).capitalize()


def direction(code: str) -> str:
    return Locale.parse(code).text_direction


def _staff_request() -> bool:
    return (
        getattr(g, "participant", None) is None
        and getattr(g, "participant_locale", None) is None
        and bool(current_user)
        and current_user.is_authenticated
    )


def offered() -> tuple[str, ...]:
    """The languages this request's reader may choose: participants every configured
    one; tutors and coordinators French and English, the languages staff pages and
    tutor guides are complete in."""
    if has_request_context() and _staff_request():
        return tuple(code for code in supported() if code in STAFF_LANGUAGES) or supported()
    return supported()


def select_locale() -> str:
    if not has_request_context():  # e.g. the socket guard's refusals: the default language
        return supported()[0]
    languages = offered()
    chosen = getattr(g, "participant_locale", None) or request.cookies.get(LANG_COOKIE)
    if chosen not in languages and _staff_request():
        chosen = current_user.locale
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


class _FrenchUnderneath(Domain):
    """Translations that fall back to French, string by string: a catalogue still being
    written (Arabic, Spanish) shows the programme's French, never the English msgid. The
    catalogues come from app/catalogues.py, compiled however the app was installed."""

    def get_translations(self) -> support.NullTranslations:
        if not has_app_context():
            return support.NullTranslations()
        locale = get_locale()
        if locale is None:
            return support.NullTranslations()
        cache = self.get_translations_cache(None)
        key = (str(locale), self.domain[0])
        found = cache.get(key)
        if found is None:
            found = cache[key] = catalogues.translations(str(locale))
        return found


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    babel.domain_instance = _FrenchUnderneath(domain=catalogues.DOMAIN)
    catalogues.warm(app.config["LANGUAGES"])
    app.jinja_env.globals["plural_attrs"] = plural_attrs
    app.jinja_env.globals["beside"] = beside
    app.jinja_env.globals["french_beside"] = french_beside

    @app.context_processor
    def _language_context() -> dict[str, object]:
        code = str(get_locale())
        return {
            "lang": code,
            "text_dir": direction(code),
            "languages": [(c, language_name(c)) for c in offered()],
        }


# Every plural category a language may have (CLDR): the phone's Intl.PluralRules picks one.
_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
_SAMPLES = (*range(0, 200), 1000, 1_000_000)


@lru_cache(maxsize=16)
def _samples(code: str) -> dict[str, int]:
    """A number of each plural category of `code`'s language ("few" → 3 in Arabic)."""
    rule = Locale.parse(code).plural_form
    found: dict[str, int] = {}
    for n in _SAMPLES:
        found.setdefault(rule(n), n)
    return found


def plural_forms(singular: str, plural: str) -> Counted:
    """A count's wording in this request's language, for each plural category: gettext
    words a number of that category ("few": 3 in Arabic). Every category is filled in
    (with "other" where the language has none), so any rule may pick any of them."""
    code = str(get_locale())
    translations = get_domain().get_translations()
    samples = _samples(code)
    other = translations.ungettext(singular, plural, samples.get("other", 10))
    forms = {"other": other}
    for category in _CATEGORIES[:-1]:
        n = samples.get(category)
        forms[category] = other if n is None else translations.ungettext(singular, plural, n)
    return Counted(code, forms)


def plural_attrs(key: str, singular: str, plural: str) -> Markup:
    """``data-<key>`` (the "other" wording) and ``data-<key>-<category>`` for each plural
    category: the page's script picks one with Intl.PluralRules (static/js/texts.js,
    pluralKey), so Arabic's six forms are all there and French says "0 vote"."""
    forms = plural_forms(singular, plural).forms
    parts = [f'data-{key}="{escape(forms["other"])}"']
    parts += [f'data-{key}-{c}="{escape(forms[c])}"' for c in _CATEGORIES[:-1]]
    return Markup(" ".join(parts))


def french_beside() -> bool:
    """Whether this page shows the workshop's French under the reader's own words: a
    participant who asked for it ("Show French with my language"), reading another
    language than French."""
    person = getattr(g, "participant", None) if has_request_context() else None
    return bool(
        person is not None and person.french_beside and str(get_locale()) != FALLBACK_LANGUAGE
    )


def beside(text: str | LazyString) -> Markup:
    """A label, button or heading in the reader's language and, when `french_beside()`,
    in French under it: the words the tutor says and the projector shows. `text` is a
    msgid, or a lazy string (read again in French, as any lazy string is)."""

    def said() -> str:
        return str(text) if isinstance(text, LazyString) else gettext(text)

    own = said()
    if not french_beside():
        return escape(own)
    with force_locale(FALLBACK_LANGUAGE):
        french = said()
    if french == own:
        return escape(own)
    return Markup(
        '<span class="own-words">{}</span> <span class="french-words" lang="fr" dir="ltr">{}</span>'
    ).format(own, french)
