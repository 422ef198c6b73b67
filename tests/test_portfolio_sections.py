"""The portfolio's sections are written once, in app.vocabulary.PORTFOLIO_SECTIONS: every
section there has an entry schema the portfolio knows and its words on the pages."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale

from app.portfolio.schemas import SCHEMAS
from app.portfolio_pages import wording
from app.vocabulary import PORTFOLIO_SECTIONS


def test_each_section_names_a_schema_an_entry_can_be_checked_by():
    assert {name: schema in SCHEMAS for name, schema in PORTFOLIO_SECTIONS.items()} == {
        name: True for name in PORTFOLIO_SECTIONS
    }


def test_each_section_has_its_title_hint_and_add_button_in_every_language(app: Flask):
    assert list(wording.SECTION_WORDING) == list(PORTFOLIO_SECTIONS)
    for table in (wording.SECTION_TITLES, wording.SECTION_HINTS, wording.ADD_LABELS):
        assert list(table) == list(PORTFOLIO_SECTIONS)
    with app.test_request_context():
        for locale in app.config["LANGUAGES"]:
            with force_locale(locale):
                empty = [
                    (locale, name)
                    for name, words in wording.SECTION_WORDING.items()
                    if not all(str(text).strip() for text in words)
                ]
                assert empty == []
