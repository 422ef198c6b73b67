"""The PDFs keep every word on the page and every page worth turning: a word longer than
a line wraps inside its box in both directions, a joined emoji or an Arabic letter with
its marks is never split across lines, a long card breaks rather than leaving a page
mostly empty, and no heading is left alone at the foot of a page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from app import texts
from app.models import Participant
from app.pdf import render_pdf
from app.portfolio.projection import Portfolio
from app.portfolio_pages import wording
from app.portfolio_pages.documents import cv_html, portfolio_html, stylesheet
from tests.portfolio_sample import Builder
from tests.test_pdf_reading import Page, Word, lines_of, pdf_words

MM = 72 / 25.4
MARGIN = 20 * MM  # static/css/pdf.css, @page
FOOT = 22 * MM
# pdftotext's box of a word ends where its last glyph's ink does: a Naskh letter at the
# start of a right-to-left line reaches a point or so past the column's edge.
SLACK = 2
DAY = (2026, 9, 16)
COOK = "👩🏽‍🍳"  # woman cook, medium skin tone: four code points joined

# A word longer than a line, partly bold (a word split across inline boxes), and 200
# Arabic letters without a space: both ran off the page.
_WORD = "pneumonoultramicroscopicsilicovolcanoconiosis"
LONG_LETTERS = (_WORD * 7)[:300]
LONG_WORD = f"**{LONG_LETTERS[:6]}**{LONG_LETTERS[6:]}"
ARABIC_RUN = ("بدأتالعملمعكبارالسنفيباريس" * 8)[:200]


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


def amina() -> Participant:
    return Participant(display_name="Amina", locale="en")


def body(page: Page) -> list[Word]:
    """The page's words but the footer's, which sits in the bottom margin."""
    return [word for word in page.words if word.y_max < page.height - FOOT]


def documents(portfolio: Any) -> dict[str, bytes]:
    return {
        "portfolio": render_pdf(portfolio_html(portfolio, amina()), stylesheet()),
        "cv": render_pdf(cv_html(portfolio.cv, portfolio, amina(), {}), stylesheet()),
    }


def long_words_portfolio() -> Portfolio:
    """Every kind of field holding a word longer than a line, in both directions."""
    b = Builder()
    day = (2026, 9, 16)
    for word, plain in ((LONG_WORD, LONG_LETTERS), (ARABIC_RUN, ARABIC_RUN)):
        b.mine("profile", "free_text", {"text": word}, day)
        event = {"when": "2019-03", "place": plain[:100], "text": plain[:300]}
        b.mine("migration_pathway", "timeline", event, day)
        job = {"what": plain[:200], "where": plain[:100], "when": plain[:60], "details": word}
        b.mine(
            "professional_experiences",
            "experiences",
            {**job, "setting": "abroad", "kind": "paid"},
            day,
        )
        skill = {"name": plain[:120], "category": "social", "evidence": word}
        b.mine("competences", "competences", skill, day)
        goal = {"goal": plain[:200], "actions": [{"what": plain[:200], "deadline": "2027-01"}]}
        b.mine("action_plan", "action_plan", goal, day)
        language = {"language": plain[:60], "mother_tongue": "no", "reading": "B1"}
        b.mine("languages", "language", language, day)
    item = {"title": LONG_LETTERS[:200], "place": ARABIC_RUN, "when": LONG_LETTERS[:60]}
    b.portfolio.cv = {
        "headline": LONG_LETTERS[:150],
        "about": f"{LONG_WORD}\n\n{ARABIC_RUN}",
        "work": [{**item, "details": LONG_WORD}, {**item, "details": ARABIC_RUN}],
        "skills": [{"name": ARABIC_RUN[:120], "category": "social"}],
        "other": LONG_WORD,
    }
    return b.portfolio


# --- long words ---------------------------------------------------------------------------------


def test_a_word_longer_than_a_line_wraps_inside_the_margins_in_both_directions(ctx):
    for name, pdf in documents(long_words_portfolio()).items():
        pages = pdf_words(pdf)
        for number, page in enumerate(pages, 1):
            outside = [
                (word.text[:12], round(word.x_min), round(word.x_max))
                for word in page.words
                if word.x_min < MARGIN - SLACK or word.x_max > page.width - MARGIN + SLACK
            ]
            assert not outside, f"{name}, page {number}: {outside}"
        drawn = "".join(word.text for page in pages for word in page.words)
        # Nothing was cut to make it fit: the long word is all there, line after line.
        assert LONG_LETTERS in drawn, name
        assert drawn.count(ARABIC_RUN[:10][::-1]) >= 2, name  # drawn right to left


def test_joined_emoji_and_arabic_marks_are_never_split_across_lines(ctx):
    b = Builder()
    marked = "بَ"  # a letter with its vowel mark: one character to the reader
    for text in (COOK * 75, marked * 150):
        b.mine("migration_pathway", "timeline", {"when": "2020", "text": text}, DAY)
    pdf = render_pdf(portfolio_html(b.portfolio, amina()), stylesheet())

    lines = [
        "".join(w.text for w in line) for page in pdf_words(pdf) for line in lines_of(page.words)
    ]
    cooks = [line for line in lines if COOK in line]
    marks = [line for line in lines if "\u064e" in line]
    assert len(cooks) >= 4 and len(marks) >= 4  # each wrapped, in the picture and the list
    for line in cooks:
        # The date beside the first line is the only other thing on it.
        assert {g for g in texts.graphemes(line) if not g.isascii()} == {COOK}, line
    for line in marks:  # pdftotext reads a mark as a word of its own: count them by line
        assert line.count("ب") == line.count("\u064e"), line


# --- pages --------------------------------------------------------------------------------------


def listing(limit: int, word: str = "") -> str:
    """A list as people paste it: one short item a line, as many as the field takes."""
    items = "\n".join(f"- {word}{number}" for number in range(300))
    return items[:limit].rsplit("\n", 1)[0]


def crafted_portfolio() -> Any:
    """Short cards, then a card taller than the rest of the page, then a section whose one
    card is taller than a page: today the first leaves a page mostly empty and the
    second leaves its heading alone at the foot of a page."""
    b = Builder()
    for _ in range(3):
        text = "I cooked for the food bank every Wednesday, about sixty people, with friends."
        b.mine("profile", "free_text", {"text": text}, DAY)
    job = {"what": "Cook", "where": "Tunis", "when": "2010", "setting": "abroad", "kind": "paid"}
    b.mine("professional_experiences", "experiences", {**job, "details": listing(400)}, DAY)
    skill = {"name": "Cooking", "category": "professional", "evidence": listing(400, "step ")}
    b.mine("competences", "competences", skill, DAY)
    b.mine("evaluation", "free_text", {"text": listing(500)}, DAY)
    item = {"title": "Cook", "place": "Hotel, Tunis", "when": "2009 – 2018"}
    b.portfolio.cv = {
        "headline": "Cook",
        "about": "I cook for many people.",
        "work": [{**item, "details": listing(400, "task ")}],
        "volunteering": [{**item, "details": listing(400)}] * 2,
        "education": [{**item, "details": "Diploma."}],
    }
    return b.portfolio


HEADINGS = {title.casefold() for title in wording.SECTION_TITLES.values()} | {
    "work experience",
    "volunteering",
    "education and training",
}


def last_line(page: Page) -> str:
    words = body(page)
    lowest = max(word.y_min for word in words)
    return " ".join(w.text for w in sorted(words, key=lambda w: w.x_min) if w.y_min > lowest - 3)


def test_long_cards_break_instead_of_leaving_pages_mostly_empty_and_headings_keep_company(ctx):
    for name, pdf in documents(crafted_portfolio()).items():
        pages = pdf_words(pdf)
        if name == "portfolio":
            pages = pages[1:]  # the cover is a page of its own
        for number, page in enumerate(pages[:-1], 1):
            bottom = max(word.y_max for word in body(page))
            filled = (bottom - MARGIN) / (page.height - MARGIN - FOOT)
            assert filled > 0.4, f"{name}: page {number} is {filled:.0%} full"
            assert last_line(page).casefold() not in HEADINGS, f"{name}: page {number}"


def test_a_short_card_stays_whole_on_one_page(ctx):
    b = Builder()
    for number in range(40):
        skill = {"name": f"Skill {number}", "category": "social", "evidence": "One\n\nTwo\n\nThree"}
        b.mine("competences", "competences", skill, DAY)
    pdf = render_pdf(portfolio_html(b.portfolio, amina()), stylesheet())
    for page in pdf_words(pdf)[1:]:
        words = [w.text for w in body(page)]
        # Every card on the page has its title, its three lines and its origin.
        assert words.count("One") == words.count("Three") == words.count("Added")
