"""The first CV a participant gets: headed with the job title of workshop 7, "about me"
from their CV lines and the strengths of workshop 4, education from the portfolio,
competences with their ESCO skill, and the sections in the European (Europass) order.

No database: the portfolio is built in memory (tests/portfolio_sample.py's Builder).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask

from app.models import Participant
from app.portfolio import cv as cv_module
from app.portfolio.errors import PortfolioRefused
from app.portfolio.projection import Portfolio
from app.portfolio_pages.documents import cv_html
from app.workshops.suggestions import Suggestion
from tests.portfolio_sample import W1, W3_ABROAD, W4_COMPETENCES, W4_STRENGTHS, W5_SOCIAL, Builder

W7_CV_LINES = ("w7-cv-evaluation", "cv-lines")
ESCO = "http://data.europa.eu/esco/skill/"
HYGIENE = ESCO + "0ff99f51-40d9-42f1-a1ec-377b2bb5e15f"  # as workshops/competences.yaml has it
COMPUTER = ESCO + "d15ce60f-ddab-41ce-ba56-398451b77b60"
DRIVING = ESCO + "2a82241a-216e-44d8-bb50-6b9a0ef82084"

PROFILE = "I am Amina, I come from Sfax. I have two children and I like cooking."
STRENGTHS = [
    "I am reliable: I have never missed a day of work.",
    "I stay calm when there is a lot of work.",
    "I know how to cook for many people.",
]
ABOUT = "Ten years as a cook in a hotel, five years helping elderly people at home."


def amina_at_the_end_of_the_cycle(languages: bool = False) -> Portfolio:
    """Workshop 1's self-introduction, workshop 4's strengths and competences, workshop
    7's CV lines (written twice: the second is the one she kept), her education, and
    (if asked) her mother tongue."""
    b = Builder()
    if languages:
        arabic = {"language": "Arabic", "mother_tongue": "yes"}
        b.mine("languages", "language", arabic, (2026, 9, 15))
    b.room("profile", "free_text", W1, {"text": PROFILE})
    job = {
        "what": "Cook in a hotel restaurant",
        "where": "Hotel El Mechtel, Tunis",
        "when": "2009-2018",
        "setting": "abroad",
        "kind": "paid",
    }
    b.room("professional_experiences", "experiences", W3_ABROAD, job)
    food_bank = {**job, "what": "Volunteer cook at the food bank", "kind": "voluntary"}
    b.room("social_experiences", "experiences", W5_SOCIAL, {**food_bank, "setting": "france"})
    hygiene = {"name": "Cook following hygiene rules", "category": "professional"}
    b.room("competences", "competences", W4_COMPETENCES, {**hygiene, "esco": HYGIENE})
    own_words = {"name": "Cooking Tunisian pastries", "category": "professional"}
    b.room("competences", "competences", W4_COMPETENCES, own_words)
    for strength in STRENGTHS:
        b.room("cv", "free_text", W4_STRENGTHS, {"text": strength})
    b.room("cv", "cv_lines", W7_CV_LINES, {"headline": "Cook"})
    b.room("cv", "cv_lines", W7_CV_LINES, {"headline": "Home care assistant", "about": ABOUT})
    diploma = {
        "title": "Vocational diploma in cooking",
        "type": "diploma",
        "where": "Hotel school, Sfax",
        "country": "Tunisia",
        "when": "2004-2006",
    }
    b.mine("education", "education", diploma, (2026, 10, 1))
    french = {"title": "French classes, level A2", "type": "french_class", "where": "Paris"}
    b.mine("education", "education", french, (2026, 10, 2))
    return b.portfolio


def test_the_headline_is_the_job_title_of_the_latest_cv_lines():
    draft = cv_module.draft_from(amina_at_the_end_of_the_cycle())
    assert draft["headline"] == "Home care assistant"


def test_about_me_is_the_cv_lines_then_each_strength_and_not_the_self_introduction():
    about = cv_module.draft_from(amina_at_the_end_of_the_cycle())["about"]
    assert about.split("\n\n") == [ABOUT, *STRENGTHS]  # each in its own paragraph
    assert "Sfax" not in about  # workshop 1 was said to the group, not written for employers


def test_without_cv_lines_the_strengths_still_make_about_me():
    portfolio = amina_at_the_end_of_the_cycle()
    portfolio.sections["cv"] = [e for e in portfolio.entries("cv") if e.board == "free_text"]
    draft = cv_module.draft_from(portfolio)
    assert draft["headline"] == ""
    assert draft["about"].split("\n\n") == STRENGTHS


def test_about_me_keeps_whole_sentences_within_its_limit():
    b = Builder()
    long_lines = {"headline": "Cook", "about": "a" * 480}
    b.room("cv", "cv_lines", W7_CV_LINES, long_lines)
    for text in ("b" * 400, "Short and true."):
        b.room("cv", "free_text", W4_STRENGTHS, {"text": text})
    about = cv_module.draft_from(b.portfolio)["about"]
    assert about == "a" * 480 + "\n\nShort and true."  # the strength that did not fit is left


def test_education_comes_from_the_portfolio_with_its_country_and_years():
    draft = cv_module.draft_from(amina_at_the_end_of_the_cycle())
    assert draft["education"] == [
        {
            "title": "Vocational diploma in cooking",
            "place": "Hotel school, Sfax, Tunisia",
            "when": "2004 – 2006",
            "details": "",
        },
        {"title": "French classes, level A2", "place": "Paris", "when": "", "details": ""},
    ]
    assert cv_module.clean(draft)["education"] == draft["education"]


def test_a_competence_from_the_suggestions_keeps_its_esco_skill_and_own_words_carry_none():
    draft = cv_module.draft_from(amina_at_the_end_of_the_cycle())
    assert draft["skills"] == [
        {"name": "Cook following hygiene rules", "category": "professional", "esco": HYGIENE},
        {"name": "Cooking Tunisian pastries", "category": "professional"},
    ]
    saved = cv_module.clean(draft)
    assert saved["skills"] == draft["skills"]
    # Through the editor's form and back: the ESCO skill rides in a hidden field.
    form = {"skills-0-keep": "1", "skills-0-name": "Cook following hygiene rules"}
    form |= {"skills-0-category": "professional", "skills-0-esco": HYGIENE}
    form |= {"skills-1-keep": "1", "skills-1-category": "social", "skills-1-esco": HYGIENE}
    raw = cv_module.from_form(form.get, {"skills": 2})
    assert cv_module.clean(raw)["skills"] == draft["skills"][:1]  # no name: an empty row


def test_an_esco_skill_that_is_not_one_is_refused():
    skill = {"name": "Cook", "category": "professional", "esco": "http://evil.example/x"}
    with pytest.raises(PortfolioRefused) as refused:
        cv_module.clean({"skills": [skill]})
    assert (refused.value.code, refused.value.detail) == ("bad_field", "skills.esco")


def test_the_saved_cv_is_the_one_shown_until_rebuilt():
    portfolio = amina_at_the_end_of_the_cycle()
    portfolio.cv = {**cv_module.draft_from(portfolio), "headline": "Cook and care assistant"}
    assert cv_module.current(portfolio)["headline"] == "Cook and care assistant"
    portfolio.cv = None
    assert cv_module.current(portfolio)["headline"] == "Home care assistant"


def test_the_cv_is_in_french_unless_the_person_chooses_their_own_language():
    assert cv_module.language(None, "en") == "fr"
    assert cv_module.language("fr", "en") == "fr"
    assert cv_module.language("en", "en") == "en"
    with pytest.raises(PortfolioRefused):
        cv_module.language("de", "en")


# --- the Europass order ------------------------------------------------------------------


@dataclass(frozen=True)
class Listed(Suggestion):
    """A suggestion that says which Europass group it belongs to, if any."""

    europass: str | None = None


def listed(name: str, esco: str, europass: str | None = None) -> Listed:
    return Listed("professional", {"fr": name, "en": name}, esco, europass)


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


def headings(html: str) -> list[str]:
    return re.findall(r'<th class="cv-label" scope="rowgroup">([^<]+)</th>', html)


def test_the_cv_follows_the_europass_order(ctx):
    portfolio = amina_at_the_end_of_the_cycle(languages=True)
    draft = cv_module.draft_from(portfolio)
    html = cv_html(draft, portfolio, Participant(display_name="Amina", locale="en"), {})
    assert headings(html) == [
        "About me",
        "Work experience",
        "Education and training",
        "Language skills",
        "Skills",
        "Volunteering",
    ]
    assert html.index("Home care assistant") < html.index("About me")  # under the name
    french = cv_html(draft, portfolio, Participant(display_name="Amina", locale="en"), {}, "fr")
    for document in (html, french):  # nothing a recruiter does not need, in any language
        for word in ("birth", "naissance", "Nationalit", "<img"):
            assert word not in document


def test_digital_skills_and_the_driving_licence_have_their_own_places(ctx):
    ctx.extensions["migrapass.suggestions"] = (
        listed("Cook following hygiene rules", HYGIENE),
        listed("Use a computer", COMPUTER, "digital"),
        listed("Drive a car", DRIVING, "driving"),
    )
    portfolio = amina_at_the_end_of_the_cycle(languages=True)
    draft = cv_module.draft_from(portfolio)
    draft["skills"] += [
        {"name": "Use a computer", "category": "professional", "esco": COMPUTER},
        {"name": "Drive a car", "category": "professional", "esco": DRIVING},
        {"name": "Listening", "category": "social"},
    ]
    draft["other"] = "Food hygiene training (HACCP), 2015."
    html = cv_html(draft, portfolio, Participant(display_name="Amina", locale="en"), {})
    assert headings(html)[3:] == [
        "Language skills",
        "Digital skills",
        "Other skills",
        "Driving licence",
        "Volunteering",
    ]
    other = html[html.index("Other skills") : html.index("Driving licence")]
    assert other.index("Job-related skills") < other.index("Social and communication skills")
    assert "HACCP" in other


def test_a_competence_links_to_its_esco_skill_while_it_keeps_its_name(ctx):
    ctx.extensions["migrapass.suggestions"] = (listed("Cook following hygiene rules", HYGIENE),)
    portfolio = amina_at_the_end_of_the_cycle()
    draft = cv_module.draft_from(portfolio)
    person = Participant(display_name="Amina", locale="en")
    assert f'<small class="esco"><a href="{HYGIENE}">ESCO</a></small>' in cv_html(
        draft, portfolio, person, {}
    )
    draft["skills"][0]["name"] = "Cooking for 200 people"  # renamed in the editor
    assert HYGIENE not in cv_html(draft, portfolio, person, {})


def test_a_card_a_tutor_hid_from_the_room_is_not_put_forward_for_the_cv():
    """Karim's "call me on 06…" card was hidden by the tutor: it stays in his portfolio,
    but his first CV does not offer it as a job."""
    b = Builder()
    odd = {"what": "Call me on 06 12 34 56 78", "setting": "france", "kind": "paid"}
    b.room("professional_experiences", "experiences", W3_ABROAD, odd, hidden=True)
    job = {"what": "Welder", "setting": "france", "kind": "paid"}
    b.room("professional_experiences", "experiences", W3_ABROAD, job)
    draft = cv_module.draft_from(b.portfolio)
    assert [item["title"] for item in draft["work"]] == ["Welder"]
    assert len(b.portfolio.entries("professional_experiences")) == 2
