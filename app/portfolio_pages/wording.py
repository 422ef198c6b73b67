"""The words of the portfolio: section titles and hints, field labels, choices. One place,
shared by the phone pages, the tutor's view and the PDFs."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from flask_babel import LazyString, format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.portfolio.labels import origin
from app.portfolio.projection import Provenance
from app.rendering import render_markdown

SECTION_TITLES: dict[str, LazyString] = {
    "profile": _l("About me"),
    "languages": _l("Languages"),
    "migration_pathway": _l("My migration pathway"),
    "professional_experiences": _l("Professional experience"),
    "social_experiences": _l("Social experience"),
    "competences": _l("Competences"),
    "action_plan": _l("Action plan"),
    "cv": _l("Towards my CV"),
    "evaluation": _l("Evaluation"),
}

SECTION_HINTS: dict[str, LazyString] = {
    "profile": _l("How you present yourself: who you are, what you like, what you want."),
    "languages": _l(
        "Each language you speak, and your level in it: A1 (beginner) to C2 (very good)."
    ),
    "migration_pathway": _l("The places and moments of your journey, in order."),
    "professional_experiences": _l("The work you did, abroad and in France."),
    "social_experiences": _l("Voluntary work, family, community: all of it teaches."),
    "competences": _l("What you know how to do, and what shows it."),
    "action_plan": _l("Your goal, the next steps and by when."),
    "cv": _l("Ideas to put in your CV."),
    "evaluation": _l("What you think of the programme."),
}

ADD_LABELS: dict[str, LazyString] = {
    "profile": _l("Add a few words about me"),
    "languages": _l("Add a language"),
    "migration_pathway": _l("Add a moment of my pathway"),
    "professional_experiences": _l("Add a work experience"),
    "social_experiences": _l("Add a social experience"),
    "competences": _l("Add a competence"),
    "action_plan": _l("Add a goal"),
    "cv": _l("Add a note for my CV"),
    "evaluation": _l("Add a thought"),
}

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
}

FIELD_HINTS: dict[str, LazyString] = {
    "when": _l("A year (2015), a month (2015-03) or a date (2015-03-21)."),
    "evidence": _l("For example: “I cooked for 200 people every day in Tunis.”"),
    "mother_tongue": _l("For a language you learnt, choose your level for each skill."),
}

CHOICE_LABELS: dict[str, dict[str, LazyString]] = {
    "setting": {"abroad": _l("Abroad"), "france": _l("In France")},
    "kind": {"paid": _l("Paid"), "voluntary": _l("Voluntary")},
    "category": {
        "professional": _l("Professional"),
        "social": _l("Social"),
        "migration": _l("Learnt through migration"),
    },
    "mother_tongue": {"yes": _l("Yes"), "no": _l("No")},
}

CATEGORY_TITLES: dict[str, LazyString] = {
    "professional": _l("Professional competences"),
    "social": _l("Social competences"),
    "migration": _l("Competences built through migration"),
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
        "origin_label": origin_label,
        "markdown": render_markdown,
        "day_of": day_of,
    }


def origin_label(provenance: Provenance | None) -> str:
    """“Workshop 4 · My competences”: where a card from the room was posted."""
    if provenance is None:
        return ""
    found = origin(current_app.extensions["migrapass.script"], str(get_locale()), provenance)
    if found is None:
        return ""
    meeting, step = found
    if isinstance(meeting.number, int):
        return _("Workshop %(number)s · %(step)s", number=meeting.number, step=step.title)
    return f"{meeting.title} · {step.title}"


def day_of(ms: int) -> str:
    return format_date(datetime.fromtimestamp(ms / 1000, UTC), "long") if ms else ""
