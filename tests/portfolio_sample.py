"""A realistic portfolio at the end of a cycle, for the PDF tests and the PDF benchmark.

Amina was a cook in Tunisia and works as a home care assistant in Paris. Forty
entries over every section: cards from the room (one anonymous, one a tutor hid, one a
tutor typed for her), entries she added privately, one timeline event and one piece of
evidence in Arabic, Markdown in some long texts. No database: plain dataclasses.
`Builder` makes other portfolios the same way, for tests that need texts of their own.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.portfolio import cv as cv_module
from app.portfolio.projection import Entry, Portfolio, Provenance
from app.portfolio.schemas import schema

PARTICIPANT_ID = 7
ARABIC_EVENT = "بدأت العمل مع كبار السن في باريس"
ARABIC_EVIDENCE = "طبخت لمئتي شخص كل يوم"

# Which meeting and step feed each section, as in the workshop scripts.
W1 = ("w1-presentation", "presentations")
W2_TIMELINE = ("w2-migration", "timeline")
W2_TAUGHT = ("w2-migration", "migration-taught-me")
W3_ABROAD = ("w3-professional-experience", "abroad")
W3_FRANCE = ("w3-professional-experience", "in-france")
W4_COMPETENCES = ("w4-professional-competences", "competences")
W4_STRENGTHS = ("w4-professional-competences", "strengths")
W5_SOCIAL = ("w5-social-experience", "social-experiences")
W5_COMPETENCES = ("w5-social-experience", "social-competences")
FORUM_NOTES = ("forum-visit", "notes")
W6_PROJECT = ("w6-action-plan", "project")
W6_PLAN = ("w6-action-plan", "action-plan")
W7_CV = ("w7-cv-evaluation", "cv")
W7_EVALUATION = ("w7-cv-evaluation", "individual-evaluation")

# The day each meeting ran (the cohort started on Monday 7 September 2026).
DAYS = {
    "w1-presentation": (2026, 9, 14),
    "w2-migration": (2026, 9, 21),
    "w3-professional-experience": (2026, 9, 28),
    "w4-professional-competences": (2026, 10, 5),
    "w5-social-experience": (2026, 10, 12),
    "forum-visit": (2026, 10, 19),
    "w6-action-plan": (2026, 11, 2),
    "w7-cv-evaluation": (2026, 11, 9),
}


def _ms(year: int, month: int, day: int, hour: int = 15, minute: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp() * 1000)


class Builder:
    """Numbers cards and own entries as the room and the portfolio log would."""

    def __init__(self) -> None:
        self.portfolio = Portfolio(PARTICIPANT_ID)
        self.card = 100
        self.own = 0

    def room(
        self,
        section: str,
        board: str,
        where: tuple[str, str],
        fields: dict[str, Any],
        **flags: Any,
    ) -> Entry:
        self.card += 1
        meeting, step = where
        posted = _ms(*DAYS[meeting], 14, self.card % 60)
        fields = schema(board).clean(fields)  # what the room would have accepted
        entry = Entry(
            key=f"s{list(DAYS).index(meeting) + 1}:c{self.card}",
            section=section,
            board=board,
            fields=fields,
            provenance=Provenance(list(DAYS).index(meeting) + 1, meeting, step, posted),
            shared=not flags.get("anonymous", False),
            added_ms=posted,
            **flags,
        )
        self.portfolio.sections.setdefault(section, []).append(entry)
        return entry

    def mine(
        self, section: str, board: str, fields: dict[str, Any], day: tuple[int, int, int]
    ) -> Entry:
        self.own += 1
        fields = schema(board).clean(fields)
        entry = Entry(
            key=f"p{PARTICIPANT_ID}:e{self.own}",
            section=section,
            board=board,
            fields=fields,
            provenance=None,
            added_ms=_ms(*day, 20),
        )
        self.portfolio.sections.setdefault(section, []).append(entry)
        return entry


def _experience(
    kind: str, what: str, where: str, when: str, setting: str, details: str = ""
) -> dict[str, Any]:
    fields = {"what": what, "where": where, "when": when, "setting": setting, "kind": kind}
    if details:
        fields["details"] = details
    return fields


def _job(*args: str) -> dict[str, Any]:
    return _experience("paid", *args)


def _volunteer(*args: str) -> dict[str, Any]:
    return _experience("voluntary", *args)


def _language(name: str, mother: bool, *levels: str) -> dict[str, Any]:
    fields: dict[str, Any] = {"language": name, "mother_tongue": "yes" if mother else "no"}
    skills = ("listening", "reading", "spoken_interaction", "spoken_production", "writing")
    fields.update({skill: level for skill, level in zip(skills, levels, strict=False) if level})
    return fields


# The room's timeline cards (workshop 2), oldest first: when, place, what happened.
PATHWAY = [
    ("2006", "Sfax", "Vocational diploma in cooking at the hotel school."),
    (
        "2009-04",
        "Tunis",
        "First job as a cook in a hotel restaurant: breakfasts and banquets for up to 200 guests.",
    ),
    (
        "2018-06",
        "Palermo",
        "Crossing to Sicily. Seasonal work picking oranges; I learned Italian with my colleagues.",
    ),
    ("2019-09-14", "Marseille", "Arrival in France, three months at my cousin's home."),
    (
        "2020-01",
        "Paris",
        "French classes at the neighbourhood social centre, volunteering at the food bank.",
    ),
    ("2021-05", "Paris", ARABIC_EVENT),
]

# Competence cards: the step they were posted in, name, category, evidence.
COMPETENCES = [
    (W4_COMPETENCES, "Cooking for large groups", "professional", ARABIC_EVIDENCE),
    (
        W4_COMPETENCES,
        "Food hygiene and safety (HACCP)",
        "professional",
        "Ten years in a hotel kitchen inspected twice a year.",
    ),
    (
        W5_COMPETENCES,
        "Listening and patience",
        "social",
        "My elderly clients tell me about their lives; I take the time.",
    ),
    (
        W5_COMPETENCES,
        "Organising a team",
        "social",
        "At the food bank I planned who cooks and who serves each week.",
    ),
    (
        W2_TAUGHT,
        "Adapting to a new country",
        "migration",
        "Three countries in two years, each time a new job and a new language.",
    ),
    (W2_TAUGHT, "Finding my way in the administration", "migration", ""),
]


def sample_portfolio() -> Portfolio:
    """Amina's portfolio after the seven workshops: 40 entries in the nine sections."""
    b = Builder()
    profile = (
        "I am Amina, I come from Sfax in Tunisia. I was a cook for ten years and today I "
        "help elderly people at home in Paris. I like **cooking for many people** and "
        "working in a team."
    )
    b.room("profile", "free_text", W1, {"text": profile})
    own_profile = (
        "I have two children at school in the 19th arrondissement. I am free on weekday "
        "mornings and can start a training course in January."
    )
    b.mine("profile", "free_text", {"text": own_profile}, (2026, 9, 16))

    # Languages are self-assessed in the portfolio only.
    for language in (
        _language("Arabic", True),
        _language("French", False, "B2", "B1", "B1", "B1", "A2"),
        _language("Italian", False, "B1", "A2", "A2", "A2", "A1"),
        _language("English", False, "A2", "A2", "A1", "A1", "A1"),
    ):
        b.mine("languages", "language", language, (2026, 9, 15))

    for when, place, text in PATHWAY:
        fields = {"when": when, "place": place, "text": text}
        b.room("migration_pathway", "timeline", W2_TIMELINE, fields)
    joined = {"when": "2026-09", "place": "Paris", "text": "I joined the Migrapass workshops."}
    b.mine("migration_pathway", "timeline", joined, (2026, 9, 22))

    hotel = (
        "Breakfasts and banquets for up to 200 guests:\n\n- preparing cold and hot dishes\n"
        "- ordering supplies\n- training two apprentices"
    )
    for where, fields in (
        (
            W3_ABROAD,
            _job(
                "Cook in a hotel restaurant",
                "Hotel El Mechtel, Tunis",
                "2009 – 2018",
                "abroad",
                hotel,
            ),
        ),
        (
            W3_ABROAD,
            _job(
                "Pastry assistant",
                "Family bakery, Sfax",
                "2006 – 2009",
                "abroad",
                "Traditional Tunisian pastries for weddings and Eid.",
            ),
        ),
        (W3_ABROAD, _job("Orange picker", "Farm near Palermo", "2018 – 2019", "abroad")),
        (
            W3_FRANCE,
            _job(
                "Home care assistant",
                "Home-help association, Paris 19e",
                "Since 2021",
                "france",
                "I help six elderly people with meals, shopping and housework. I write a "
                "short report after each visit for the coordinator.",
            ),
        ),
        (
            W3_FRANCE,
            _job(
                "Kitchen assistant (temporary)",
                "Restaurant, Paris 11e",
                "2020",
                "france",
                "Vegetable preparation and washing up, weekend evenings.",
            ),
        ),
    ):
        b.room("professional_experiences", "experiences", where, fields)
    babysitting = _job("Babysitting", "Neighbours' children", "2020 – 2021", "france")
    b.mine("professional_experiences", "experiences", babysitting, (2026, 10, 1))

    for fields in (
        _volunteer(
            "Volunteer cook at the food bank",
            "Neighbourhood food bank, Paris",
            "2020 – 2023",
            "france",
            "Every Wednesday I cooked the hot meal for about 60 people.",
        ),
        _volunteer(
            "Parents' representative",
            "Primary school, Paris 19e",
            "Since 2023",
            "france",
            "I speak for the parents at the school council.",
        ),
        _volunteer("Looking after my grandmother", "Sfax", "2014 – 2018", "abroad"),
    ):
        b.room("social_experiences", "experiences", W5_SOCIAL, fields)
    named = _volunteer(
        "Cooking workshops with the neighbours",
        "Social centre, Paris",
        "2024",
        "france",
        "With Mrs D. from the centre, we argued about the budget.",
    )
    b.room(
        "social_experiences",
        "experiences",
        W5_SOCIAL,
        named,
        hidden=True,
        hidden_reason="It names another person.",
    )

    for where, name, category, evidence in COMPETENCES:
        fields = {"name": name, "category": category, "evidence": evidence}
        b.room("competences", "competences", where, fields)
    elderly = {
        "name": "Helping elderly people in daily life",
        "category": "professional",
        "evidence": "Five years with the home-help association; families ask for me by name.",
    }
    b.room("competences", "competences", W4_COMPETENCES, elderly, by_staff=True)
    language = {
        "name": "Learning a language as an adult",
        "category": "migration",
        "evidence": "Italian by working in the fields, then French in evening classes.",
    }
    b.room("competences", "competences", W2_TAUGHT, language, anonymous=True)
    speaking = {
        "name": "Speaking for a group",
        "category": "social",
        "evidence": "Parents' representative at the school council since 2023.",
    }
    b.mine("competences", "competences", speaking, (2026, 10, 14))

    forum = (
        "At the forum I met the training centre for care professions. The **DEAES** takes "
        "one year, part of it paid work placements."
    )
    b.room("action_plan", "free_text", FORUM_NOTES, {"text": forum})
    project = (
        "My project: become a qualified care assistant (DEAES) and, later, cook in a "
        "residence for elderly people."
    )
    b.room("action_plan", "free_text", W6_PROJECT, {"text": project})
    diploma = {
        "goal": "Obtain the DEAES diploma (care assistant)",
        "actions": [
            {"what": "Ask for the training centre's information session", "deadline": "2026-12"},
            {"what": "Prepare the application file with my tutor", "deadline": "2027-01"},
            {"what": "Find funding (regional training fund)", "deadline": ""},
        ],
        "resources": "The forum's list of training centres; the employment agency adviser.",
    }
    b.room("action_plan", "action_plan", W6_PLAN, diploma)
    recognition = {
        "goal": "Have my Tunisian cooking diploma recognised",
        "actions": [
            {"what": "Send the diploma for an official translation", "deadline": "2027-03"}
        ],
    }
    b.mine("action_plan", "action_plan", recognition, (2026, 11, 4))

    strengths = (
        "My three strengths: I am reliable, I stay calm when there is a lot of work, "
        "and I know how to cook for many people."
    )
    b.room("cv", "free_text", W4_STRENGTHS, {"text": strengths})
    headline = "Headline: home care assistant with ten years of experience as a cook."
    b.room("cv", "free_text", W7_CV, {"text": headline})

    evaluation = (
        "The workshops showed me that my years in Tunisia count. I feel more confident "
        "to speak about my work in French."
    )
    b.room("evaluation", "free_text", W7_EVALUATION, {"text": evaluation})
    keep = "What I will keep: the timeline of my pathway, and the group."
    b.mine("evaluation", "free_text", {"text": keep}, (2026, 11, 10))

    b.portfolio.cv = sample_cv(b.portfolio)
    return b.portfolio


def sample_cv(portfolio: Portfolio) -> dict[str, Any]:
    """The CV Amina saved: the draft from her entries, rewritten and completed."""
    draft = cv_module.draft_from(portfolio)
    # She left out the workshop the tutor hid: it named someone.
    draft["volunteering"] = [v for v in draft["volunteering"] if "Mrs D." not in v["details"]]
    # Most recent first, as recruiters read.
    recent = ["Home care", "Babysitting", "Kitchen", "Orange", "Cook", "Pastry"]
    draft["work"].sort(key=lambda job: [job["title"].startswith(w) for w in recent].index(True))
    draft.update(
        headline="Home care assistant – ten years' experience as a cook",
        about=(
            "Reliable and calm under pressure, I have cooked for large groups for ten years "
            "and I now help elderly people at home. I am preparing the **DEAES** diploma."
        ),
        education=[
            {
                "title": "Vocational diploma in cooking",
                "place": "Hotel school, Sfax (Tunisia)",
                "when": "2004 – 2006",
                "details": "",
            },
            {
                "title": "French as a foreign language, level B1",
                "place": "Social centre, Paris 19e",
                "when": "2020 – 2022",
                "details": "",
            },
        ],
        other="Food hygiene training (HACCP), 2015.",
    )
    return cv_module.clean(draft)
