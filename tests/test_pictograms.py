"""Pictograms for people who read little: every board type, card field, portfolio part
and main action has one, always beside its words, the same on every screen and the PDF."""

from __future__ import annotations

import re

from app.pictograms import sprite
from app.portfolio_pages.documents import portfolio_html
from app.vocabulary.icons import DRAWINGS, missing, svg
from tests.portfolio_sample import sample_portfolio


def test_every_board_field_section_and_action_has_a_drawing():
    assert missing() == []


def test_a_drawing_is_hidden_from_screen_readers_and_drawn_in_the_texts_colour():
    drawn = svg("listen")
    assert 'aria-hidden="true"' in drawn and 'stroke="currentColor"' in drawn
    assert "style=" not in drawn  # the strict CSP refuses inline styles


def test_the_pages_sprite_holds_every_drawing_and_which_goes_with_what(app):
    with app.test_request_context():
        page = str(sprite())
    assert len(re.findall(r'<symbol id="icon-', page)) == len(DRAWINGS)
    assert "&#34;when&#34;:&#34;calendar&#34;" in page  # the tables, for icons.js


def test_the_portfolio_pdf_heads_each_part_with_its_drawing(app, make_participant):
    person = make_participant(locale="ar")
    with app.test_request_context():
        html = portfolio_html(sample_portfolio(), person)
    assert 'data-icon="timeline"' in html and 'data-icon="star"' in html
