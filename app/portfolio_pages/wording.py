"""The words of the portfolio: section titles and hints, field labels, choices. One place,
shared by the phone pages, the tutor's view and the PDFs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from flask import current_app
from flask_babel import LazyString, format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.portfolio.labels import origin
from app.portfolio.projection import Provenance
from app.portfolio.schemas import LONG_TEXT_FIELDS
from app.rendering import render_markdown
from app.script_access import current_script
from app.vocabulary import PORTFOLIO_SECTIONS


class SectionWording(NamedTuple):
    title: LazyString
    hint: LazyString  # under the title: what goes in the section
    add_label: LazyString  # the button that adds an entry there


# The words of each section of app.vocabulary.PORTFOLIO_SECTIONS (the one table of them).
SECTION_WORDING: dict[str, SectionWording] = {
    "profile": SectionWording(
        _l("About me"),
        _l("How you present yourself: who you are, what you like, what you want."),
        _l("Add a few words about me"),
    ),
    "languages": SectionWording(
        _l("Languages"),
        _l("Each language you speak, and your level in it: A1 (beginner) to C2 (very good)."),
        _l("Add a language"),
    ),
    "migration_pathway": SectionWording(
        _l("My migration pathway"),
        _l("The places and moments of your journey, in order."),
        _l("Add a moment of my pathway"),
    ),
    "professional_experiences": SectionWording(
        _l("Professional experience"),
        _l("The work you did, abroad and in France."),
        _l("Add a work experience"),
    ),
    "social_experiences": SectionWording(
        _l("Social experience"),
        _l("Voluntary work, family, community: all of it teaches."),
        _l("Add a social experience"),
    ),
    "education": SectionWording(
        _l("Education and training"),
        _l("School, diplomas, courses, French classes: here and in other countries."),
        _l("Add a diploma or a course"),
    ),
    "competences": SectionWording(
        _l("Competences"),
        _l("What you know how to do, and what shows it."),
        _l("Add a competence"),
    ),
    "action_plan": SectionWording(
        _l("Action plan"),
        _l("Your goal, the next steps and by when."),
        _l("Add a goal"),
    ),
    "cv": SectionWording(
        _l("Towards my CV"),
        _l("Ideas to put in your CV."),
        _l("Add a note for my CV"),
    ),
    "evaluation": SectionWording(
        _l("Evaluation"),
        _l("What you think of the programme."),
        _l("Add a thought"),
    ),
}
# What the templates read, in the table's order; a section without words fails here, at start.
SECTION_TITLES = {key: SECTION_WORDING[key].title for key in PORTFOLIO_SECTIONS}
SECTION_HINTS = {key: SECTION_WORDING[key].hint for key in PORTFOLIO_SECTIONS}
ADD_LABELS = {key: SECTION_WORDING[key].add_label for key in PORTFOLIO_SECTIONS}

FIELD_LABELS: dict[str, LazyString] = {
    "text": _l("Your text"),
    "when": _l("When"),
    "place": _l("Where"),
    "what": _l("What did you do?"),
    "where": _l("Where"),
    "setting": _l("Abroad or in France?"),
    "kind": _l("Paid or voluntary?"),
    "details": _l("Details"),
    "name": _l("The competence"),
    "category": _l("Kind of competence"),
    "evidence": _l("What shows it (an example)"),
    "goal": _l("Your goal"),
    "actions": _l("Next steps"),
    "resources": _l("Who or what can help"),
    "language": _l("Language"),
    "mother_tongue": _l("Is it your mother tongue?"),
    "listening": _l("Listening"),
    "reading": _l("Reading"),
    "spoken_interaction": _l("Spoken interaction"),
    "spoken_production": _l("Spoken production"),
    "writing": _l("Writing"),
    # Education and training (only that board has these names).
    "title": _l("Name of the diploma, course or class"),
    "type": _l("What is it?"),
    "country": _l("Country"),
    # On an experience and on a diploma or course: the papers that show it.
    "documents": _l("Papers that show it"),
    # The top of the CV, written at workshop 7 (section "Towards my CV").
    "headline": _l("The job you are looking for"),
    "about": _l("A few sentences about you"),
}

FIELD_HINTS: dict[str, LazyString] = {
    "when": _l("A year (2015), a month (03/2015 or March 2015) or a date (21/03/2015)."),
    "evidence": _l("For example: “I cooked for 200 people every day in Tunis.”"),
    "mother_tongue": _l("For a language you learnt, choose your level for each skill."),
    "name": _l("Choose in the list or write your own words."),
    "title": _l("For example: baccalaureate, a cooking course, a French class."),
    "country": _l("The country where you studied."),
    "documents": _l(
        "For each paper: do you have it, can you ask for it, or do you not have it?"
        " Leave “–” if there is no such paper."
    ),
}

CHOICE_LABELS: dict[str, dict[str, LazyString]] = {
    "setting": {"abroad": _l("Abroad"), "france": _l("In France")},
    "kind": {"paid": _l("Paid"), "voluntary": _l("Voluntary")},
    # One word for the meta-competence everywhere: "migration competences".
    "category": {
        "professional": _l("Professional competence"),
        "social": _l("Social competence"),
        "migration": _l("Migration competence"),
    },
    "mother_tongue": {"yes": _l("Yes"), "no": _l("No")},
    "type": {
        "school": _l("School"),
        "diploma": _l("Diploma"),
        "course": _l("Course or training"),
        "french_class": _l("French class"),
    },
    # The programme's anonymous feedback (FEEDBACK_CONFIDENCE): the phone's answers, and
    # the words the console, the projector, the replay and the summary show for them.
    "confidence": {
        "much_more": _l("Much more confident"),
        "more": _l("More confident"),
        "same": _l("As confident as at the start"),
        "less": _l("Less confident"),
        "much_less": _l("Much less confident"),
        "dont_know": _l("I do not know"),
    },
}

CATEGORY_TITLES: dict[str, LazyString] = {
    "professional": _l("Professional competences"),
    "social": _l("Social competences"),
    "migration": _l("Migration competences"),
}

# The papers behind an experience or a diploma (app.vocabulary.boards.DOCUMENT_KINDS),
# and whether the person holds each one (DOCUMENT_HELD): a list of its own, not radio
# buttons, so they are not in CHOICE_LABELS.
DOCUMENT_KINDS: dict[str, LazyString] = {
    "work_certificate": _l("Work certificate"),
    "payslip": _l("Payslip"),
    "contract": _l("Work contract"),
    "volunteering_certificate": _l("Volunteering certificate"),
    "diploma": _l("Diploma"),
    "reference_letter": _l("Reference letter"),
    "other": _l("Another paper"),
}
DOCUMENT_HELD: dict[str, LazyString] = {
    "yes": _l("I have it"),
    "can_ask": _l("I can ask for it"),
    "no": _l("I do not have it"),
}


def context() -> dict[str, object]:
    """Everything a portfolio template needs to name things."""
    return {
        "section_titles": SECTION_TITLES,
        "section_hints": SECTION_HINTS,
        "add_labels": ADD_LABELS,
        "field_labels": FIELD_LABELS,
        "field_hints": FIELD_HINTS,
        "choice_labels": CHOICE_LABELS,
        "category_titles": CATEGORY_TITLES,
        "document_kinds": DOCUMENT_KINDS,
        "document_held": DOCUMENT_HELD,
        "held_by_kind": held_by_kind,
        "long_text_fields": LONG_TEXT_FIELDS,
        "competence_names": competence_names,
        "origin_label": origin_label,
        "markdown": render_markdown,
        "day_of": day_of,
    }


def origin_label(provenance: Provenance | None) -> str:
    """“Workshop 4 · My competences”: where a card from the room was posted."""
    if provenance is None:
        return ""
    found = origin(current_script(), str(get_locale()), provenance)
    if found is None:
        return ""
    meeting, step = found
    if isinstance(meeting.number, int):
        return _("Workshop %(number)s · %(step)s", number=meeting.number, step=step.title)
    return f"{meeting.title} · {step.title}"


def competence_names() -> list[str]:
    """The suggested competence names, in the reader's language, for the form's list."""
    locale = str(get_locale())
    return [s.name(locale) for s in current_app.extensions["migrapass.suggestions"]]


def held_by_kind(documents: object) -> dict[str, str]:
    """An entry's papers as the form shows them: for each kind, whether it is held."""
    if not isinstance(documents, list):
        return {}
    return {
        str(item["kind"]): str(item.get("held") or "yes")
        for item in documents
        if isinstance(item, dict) and item.get("kind") in DOCUMENT_KINDS
    }


def day_of(ms: int) -> str:
    return format_date(datetime.fromtimestamp(ms / 1000, UTC), "long") if ms else ""
