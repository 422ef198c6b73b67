"""What a card on the boards of issue 18 may hold: the papers behind an experience, a
diploma, the top of a CV, an ESCO skill, an anonymous word on the programme."""

from __future__ import annotations

import pytest

from app.portfolio_pages.wording import CHOICE_LABELS
from app.vocabulary.boards import FEEDBACK_CONFIDENCE, FieldRefused, board_type

ESCO = "http://data.europa.eu/esco/skill/7b9a2ac8-4e3b-4e38-9bab-ab7ef1d8a9f5"


def refused(board: str, fields: dict) -> FieldRefused:
    with pytest.raises(FieldRefused) as raised:
        board_type(board).clean(fields)
    return raised.value


def test_an_experience_lists_the_papers_that_back_it_and_whether_they_are_held() -> None:
    clean = board_type("experiences").clean(
        {
            "what": "Cook",
            "setting": "abroad",
            "kind": "paid",
            "documents": [{"kind": "work_certificate", "held": "can_ask"}, {"kind": "payslip"}],
        }
    )
    assert clean["documents"] == [
        {"kind": "work_certificate", "held": "can_ask"},
        {"kind": "payslip", "held": "yes"},
    ]


@pytest.mark.parametrize(
    "documents",
    [
        "certificate",
        [{"kind": "passport", "held": "yes"}],  # not a paper that backs an experience
        [{"kind": "diploma", "held": "maybe"}],
        [{"kind": "diploma", "held": "yes", "scan": "data:..."}],
        [{"kind": "diploma"}] * 8,
    ],
)
def test_anything_else_in_the_papers_is_refused(documents: object) -> None:
    error = refused(
        "experiences", {"what": "Cook", "setting": "abroad", "kind": "paid", "documents": documents}
    )
    assert error.code == "bad_field"


def test_a_diploma_has_a_title_a_type_and_may_say_where_and_when() -> None:
    clean = board_type("education").clean(
        {"title": "Baccalauréat", "type": "diploma", "country": "Syrie", "when": "2009"}
    )
    assert clean == {"title": "Baccalauréat", "type": "diploma", "country": "Syrie", "when": "2009"}
    assert refused("education", {"title": "Bac", "type": "degree"}).detail == "type"


def test_the_top_of_a_cv_needs_the_job_aimed_for() -> None:
    clean = board_type("cv_lines").clean({"headline": "Cuisinier", "about": "Organisé."})
    assert clean == {"headline": "Cuisinier", "about": "Organisé."}
    assert refused("cv_lines", {"about": "Organisé."}).code == "missing_field"


def test_a_competence_keeps_an_esco_skill_and_nothing_that_only_looks_like_one() -> None:
    card = {"name": "Cuisiner", "category": "professional"}
    assert board_type("competences").clean({**card, "esco": ESCO})["esco"] == ESCO
    for bad in ("https://evil.example/skill", ESCO + "/../x", "javascript:alert(1)", 12):
        assert refused("competences", {**card, "esco": bad}).detail == "esco"


def test_feedback_on_the_programme_needs_one_answer_at_least() -> None:
    assert board_type("programme_feedback").clean({"change": "Plus de pauses"}) == {
        "change": "Plus de pauses"
    }
    assert refused("programme_feedback", {}).code == "answer_one"
    assert refused("programme_feedback", {"helped": "  "}).code == "answer_one"


def test_feedback_asks_first_how_confident_on_a_scale_as_long_on_each_side() -> None:
    board = board_type("programme_feedback")
    assert [field.name for field in board.fields] == ["confidence", "helped", "change"]
    assert FEEDBACK_CONFIDENCE == ("much_more", "more", "same", "less", "much_less", "dont_know")
    assert tuple(CHOICE_LABELS["confidence"]) == FEEDBACK_CONFIDENCE  # one word for each
    assert board.clean({"confidence": "less"}) == {"confidence": "less"}
    assert refused("programme_feedback", {"confidence": "worse"}).detail == "confidence"


def test_feedback_on_the_programme_is_nobodys_and_feeds_no_portfolio() -> None:
    board = board_type("programme_feedback")
    assert board.authorless and board.collective


def test_places_and_dates_are_the_fields_a_hidden_first_board_guards() -> None:
    assert board_type("timeline").revealing == ("when", "place")
    assert set(board_type("experiences").revealing) == {"where", "when"}
