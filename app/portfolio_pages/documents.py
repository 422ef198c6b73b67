"""The two documents a participant takes away, as HTML for the PDF worker: portfolio and CV.

Both are written in the participant's language, whoever asks for them; the CV in the
language chosen at export (French, or their own). Every field written in sentences goes
through the one Markdown path; every other field is escaped by Jinja. The HTML refers
to nothing outside itself (the worker would refuse it anyway): the migration pathway's
dots are inline SVG beside HTML text, and fonts are named, not linked (static/css/pdf.css
declares the one font stack). The CV's ESCO links are links, never fetched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from app import texts
from app.i18n import direction
from app.paths import ROOT
from app.portfolio import cv as cv_model
from app.portfolio.pathway import format_when, pathway
from app.portfolio.projection import Entry, Portfolio
from app.portfolio.schemas import CEFR_SKILLS
from app.portfolio_pages import wording
from app.rendering import render_markdown
from app.textdir import direction_of
from app.vocabulary import PORTFOLIO_SECTIONS
from app.vocabulary.boards import COMPETENCE_CATEGORIES
from app.workshops.suggestions import esco_of

if TYPE_CHECKING:
    from app.models import Participant

# The print stylesheet in parts, read in this order: shared, the portfolio, the CV.
STYLESHEETS = tuple(
    ROOT / "static" / "css" / name
    for name in ("pdf.css", "pdf-portfolio.css", "pdf-cv.css", "icons.css")
)

Group = tuple[str | None, list[Entry]]

# A word longer than this many characters cannot fit the narrowest column (the CV's
# dates, 38 mm): the text holding it may break anywhere.
LONG_WORD = 24
# A card of up to this many lines is kept on one page; a longer one breaks where the page
# ends, or it would leave a page mostly empty before it. A line of the text column holds
# about 90 characters.
KEEP_WHOLE_LINES = 14
CHARS_PER_LINE = 90


@cache
def stylesheet() -> str:
    """The print stylesheet shared by both documents, its parts joined in order."""
    return "".join(part.read_text(encoding="utf-8") for part in STYLESHEETS)


def prepare(app: Flask) -> None:
    """Compile both documents' templates before the server takes traffic.

    Jinja compiles a template on first use: some 50 ms of CPU that, under eventlet or
    gevent, would hold every live room still during the first export of the day.
    The same goes for the first use of a locale's date formats and of the Markdown
    path, and for forking the PDF worker: all done here, once, before the first request.
    """
    from app.models import Participant
    from app.pdf import renderer

    with app.test_request_context():
        for locale in app.config["LANGUAGES"]:
            nobody = Participant(display_name="-", locale=locale)
            portfolio_html(Portfolio(0), nobody)
            cv_html({}, Portfolio(0), nobody, {})
    stylesheet()
    renderer.start()


def has_long_word(text: str) -> bool:
    """Whether `text` holds a word too long for any line, which must break inside."""
    return any(texts.too_long(word, LONG_WORD) for word in text.split())


def _lines(value: Any) -> int:
    if isinstance(value, str):
        return sum(max(1, -(-texts.length(line) // CHARS_PER_LINE)) for line in value.splitlines())
    if isinstance(value, Mapping):
        return sum(_lines(item) for item in value.values())
    if isinstance(value, list | tuple):
        return sum(_lines(item) for item in value)
    return 0


def keep_whole(fields: Any) -> bool:
    """Whether a card (its fields, or one text) is short enough to keep on one page."""
    return _lines(fields) <= KEEP_WHOLE_LINES


def origin_label(entry: Entry) -> str:
    """Where an entry comes from, in one quiet line: workshop, step, date."""
    if entry.provenance is None:
        return " · ".join((_("Added by the participant"), wording.day_of(entry.added_ms)))
    where = wording.origin_label(entry.provenance) or _("Workshop")
    parts = [where, wording.day_of(entry.provenance.posted_ms)]
    if entry.by_staff:
        parts.append(_("written down by a tutor"))
    return " · ".join(parts)


def _split(
    entries: Iterable[Entry], board: str, field: str, labels: Mapping[str, str]
) -> list[Group]:
    """Entries grouped by one field's value, in the labels' order; others last, untitled."""
    groups: dict[str, list[Entry]] = {value: [] for value in labels}
    rest: list[Entry] = []
    for entry in entries:
        value = entry.fields.get(field)
        if entry.board == board and value in groups:
            groups[value].append(entry)
        else:
            rest.append(entry)
    out: list[Group] = [(labels[value], items) for value, items in groups.items() if items]
    if rest:
        out.append((None, rest))
    return out


def _groups(section: str, entries: list[Entry]) -> list[Group]:
    if section == "professional_experiences":
        return _split(entries, "experiences", "setting", wording.CHOICE_LABELS["setting"])
    if section == "competences":
        return _split(entries, "competences", "category", wording.CATEGORY_TITLES)
    if section == "migration_pathway":
        # The list reads in the same order as the picture above it.
        entries = sorted(entries, key=lambda e: (str(e.fields.get("when", "")), e.added_ms))
    return [(None, entries)]


def language_rows(portfolio: Portfolio) -> list[dict[str, Any]]:
    """The self-assessed languages: name, mother tongue or not, a level per CEFR skill."""
    return [
        {
            "language": str(entry.fields["language"]),
            "mother_tongue": entry.fields.get("mother_tongue") == "yes",
            "levels": [str(entry.fields.get(skill, "")) for skill in CEFR_SKILLS],
        }
        for entry in portfolio.entries("languages")
        if entry.board == "language"
    ]


def _common(participant: Participant, locale: str | None = None, name: str = "") -> dict[str, Any]:
    """What both documents name and format: in `locale` (the participant's by default)."""
    lang = locale or participant.locale
    return {
        "lang": lang,
        "text_dir": direction(lang),
        "name": name or participant.display_name,
        "render_markdown": render_markdown,
        "direction_of": direction_of,
        "has_long_word": has_long_word,
        "keep_whole": keep_whole,
        "format_ms": wording.day_of,
        "cefr_skills": CEFR_SKILLS,
        "section_titles": wording.SECTION_TITLES,
        "field_labels": wording.FIELD_LABELS,
        "choice_labels": wording.CHOICE_LABELS,
        "document_kinds": wording.DOCUMENT_KINDS,
        "document_held": wording.DOCUMENT_HELD,
        "exported": format_date(datetime.now(UTC), format="long"),
    }


def portfolio_html(portfolio: Portfolio, participant: Participant) -> str:
    """The whole portfolio (everything of the participant's, no tutor comments) as HTML."""
    with force_locale(participant.locale):
        sections = []
        for name in PORTFOLIO_SECTIONS:
            entries = portfolio.entries(name)
            if not entries:
                continue
            sections.append({"name": name, "groups": _groups(name, entries)})
        events = [
            (str(e.fields["when"]), str(e.fields.get("place", "")), str(e.fields.get("text", "")))
            for e in portfolio.entries("migration_pathway")
            if e.board == "timeline"
        ]
        return render_template(
            "pdf/portfolio.html",
            sections=sections,
            pathway=pathway(events),
            languages=language_rows(portfolio),
            format_when=format_when,
            origin_label=origin_label,
            **_common(participant),
        )


def cv_skills(skills: Iterable[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """The CV's competences grouped in the Europass order (cv.skill_groups), each keeping
    its ESCO skill only while its name is still that of the suggestion it was picked from:
    a competence renamed in the CV no longer says what the ESCO skill says."""
    suggestions = current_app.extensions.get("migrapass.suggestions", ())
    kept = []
    for skill in skills:
        shown = {key: value for key, value in skill.items() if key != "esco"}
        if skill.get("esco") and esco_of(suggestions, skill.get("name")) == skill["esco"]:
            shown["esco"] = skill["esco"]
        kept.append(shown)
    # A suggestion may say it is a digital skill or a driving licence (`europass`):
    # Europass lists those apart from the other skills.
    kinds: dict[str, str] = {}
    for suggestion in suggestions:
        kind = getattr(suggestion, "europass", None)
        if kind in (cv_model.DIGITAL, cv_model.DRIVING):
            kinds.update({name.casefold(): kind for name in suggestion.names.values()})
            if suggestion.esco:
                kinds[suggestion.esco] = kind
    return cv_model.skill_groups(kept, kinds)


def cv_html(
    cv: Mapping[str, Any],
    portfolio: Portfolio,
    participant: Participant,
    contact: Mapping[str, str],
    language: str | None = None,
) -> str:
    """The CV in the common European layout, in `language` (the participant's by default):
    full name and contact details only as typed at export, skills in the Europass order."""
    with force_locale(language or participant.locale):
        labels = {"email": _("E-mail"), "phone": _("Phone"), "address": _("Address")}
        given = [
            (name, label, str(contact.get(name) or "").strip()) for name, label in labels.items()
        ]
        # Europass's "other skills", by category: the words an employer reads.
        category_labels = {
            "professional": _("Job-related skills"),
            "social": _("Social and communication skills"),
            "migration": _("Intercultural skills and adaptability"),
        }
        groups = dict(cv_skills(cv.get("skills", ())))
        other = [(category_labels[g], groups[g]) for g in COMPETENCE_CATEGORIES if g in groups]
        rows = language_rows(portfolio)
        return render_template(
            "pdf/cv.html",
            cv=cv,
            contact=[(name, label, value) for name, label, value in given if value],
            mother_tongues=[row["language"] for row in rows if row["mother_tongue"]],
            other_languages=[row for row in rows if not row["mother_tongue"]],
            digital=groups.get(cv_model.DIGITAL, []),
            other_skills=other,
            driving=groups.get(cv_model.DRIVING, []),
            **_common(participant, language, str(contact.get("full_name") or "").strip()),
        )
