"""The participant's own stream, folded over the room's cards, and the CV built from both.

Plain functions: no database, no server.
"""

from __future__ import annotations

import pytest

from app.portfolio import cv, own
from app.portfolio.errors import PortfolioRefused
from app.portfolio.own import OwnEvent, OwnEventType
from app.portfolio.projection import Entry, Portfolio, Provenance

ROOM_CARD = Entry(
    key="s1:c4",
    section="competences",
    board="competences",
    fields={"name": "Cooking", "category": "professional"},
    provenance=Provenance(1, "w4-professional-competences", "competences", 1_000),
    shared=True,
    added_ms=1_000,
)


def room() -> Portfolio:
    return Portfolio(7, {"competences": [ROOM_CARD]})


def stream(*changes: tuple[OwnEventType, dict], by: str = "") -> list[OwnEvent]:
    return [
        OwnEvent(seq, kind, payload, 2_000 + seq, participant_id=7, staff_name=by)
        for seq, (kind, payload) in enumerate(changes, start=1)
    ]


def test_an_added_entry_is_private_and_keyed_by_its_event():
    added = own.new_entry(room(), "languages", {"language": "Arabic", "mother_tongue": "yes"})
    result = own.apply(room(), stream((OwnEventType.ENTRY_ADDED, added)))
    (entry,) = result.entries("languages")
    assert entry.key == "p7:e1" and not entry.shared and entry.provenance is None


def test_changes_fold_in_order_and_replaying_them_gives_the_same_portfolio():
    events = stream(
        (
            OwnEventType.ENTRY_EDITED,
            {"key": "s1:c4", "fields": {"name": "Cooking for 200", "category": "professional"}},
        ),
        (OwnEventType.ENTRY_SHARED, {"key": "s1:c4", "shared": False}),
        (
            OwnEventType.ENTRY_ADDED,
            {"section": "evaluation", "board": "free_text", "fields": {"text": "Good"}},
        ),
        (OwnEventType.ENTRY_REMOVED, {"key": "p7:e3"}),
        (OwnEventType.ENTRY_EDITED, {"key": "p7:e3", "fields": {"text": "gone"}}),  # ignored
    )
    once = own.apply(room(), events)
    assert once == own.apply(room(), list(reversed(events)))  # folded by sequence number
    (card,) = once.entries("competences")
    assert card.fields["name"] == "Cooking for 200" and card.edited_ms and not card.shared
    assert once.entries("evaluation") == []
    assert ROOM_CARD.fields["name"] == "Cooking"  # the room's card itself is untouched


def test_comments_attach_to_their_entry_or_to_the_whole_portfolio():
    result = own.apply(
        room(),
        stream(
            (OwnEventType.COMMENT_ADDED, {"key": "s1:c4", "text": "Say how long"}),
            (OwnEventType.COMMENT_ADDED, {"key": None, "text": "Well done"}),
            (OwnEventType.COMMENT_ADDED, {"key": "s9:c9", "text": "lost"}),
            by="Camille",
        ),
    )
    assert [c.text for c in result.entries("competences")[0].comments] == ["Say how long"]
    assert [(c.text, c.author) for c in result.comments] == [("Well done", "Camille")]


def test_a_tutor_reads_only_shared_entries():
    private = own.apply(
        room(),
        stream(
            (
                OwnEventType.ENTRY_ADDED,
                {"section": "profile", "board": "free_text", "fields": {"text": "secret"}},
            )
        ),
    )
    seen = own.shared_with_tutor(private)
    assert [e.key for e in seen.entries("competences")] == ["s1:c4"]
    assert seen.entries("profile") == [] and seen.cv is None and seen.contact is None
    with pytest.raises(PortfolioRefused, match="no_such_entry"):
        own.comment(seen, "p7:e1", "I should not see this")


def test_contact_details_are_kept_only_when_asked_and_can_be_forgotten():
    details = own.contact_details({"email": " a@b.org ", "phone": "", "address": None})
    kept = own.apply(room(), stream((OwnEventType.CONTACT_SAVED, details)))
    assert kept.contact == {"full_name": "", "email": "a@b.org", "phone": "", "address": ""}
    forgotten = own.apply(
        room(),
        stream((OwnEventType.CONTACT_SAVED, details), (OwnEventType.CONTACT_FORGOTTEN, {})),
    )
    assert forgotten.contact is None
    with pytest.raises(PortfolioRefused, match="text_too_long"):
        own.contact_details({"email": "x" * 201})


@pytest.mark.parametrize(
    ("section", "raw", "code"),
    [
        ("nowhere", {"text": "x"}, "unknown_section"),
        ("evaluation", {"text": "x" * 501}, "text_too_long"),
        ("evaluation", {"text": "x", "script": "y"}, "bad_field"),
        ("languages", {"language": "Wolof", "mother_tongue": "no", "writing": "D1"}, "bad_field"),
        ("migration_pathway", {"when": "yesterday", "text": "x"}, "bad_date"),
    ],
)
def test_a_bad_entry_is_refused_with_a_reason(section, raw, code):
    with pytest.raises(PortfolioRefused, match=code):
        own.new_entry(room(), section, raw)


def test_a_full_portfolio_takes_no_more():
    full = Portfolio(7, {"evaluation": [ROOM_CARD] * own.MAX_ENTRIES})
    with pytest.raises(PortfolioRefused, match="portfolio_full"):
        own.new_entry(full, "evaluation", {"text": "one more"})


# --- the CV ------------------------------------------------------------------------------


def experience(key: str, section: str, kind: str, what: str) -> Entry:
    fields = {"what": what, "setting": "abroad", "kind": kind, "where": "Tunis"}
    return Entry(key, section, "experiences", fields, None)


def test_the_first_cv_comes_from_the_entries():
    portfolio = Portfolio(
        7,
        {
            "profile": [Entry("p7:e1", "profile", "free_text", {"text": "Calm and curious"}, None)],
            "professional_experiences": [
                experience("a", "professional_experiences", "paid", "Cook"),
                experience("b", "professional_experiences", "voluntary", "Helping at a school"),
            ],
            "social_experiences": [experience("c", "social_experiences", "voluntary", "Choir")],
            "competences": [ROOM_CARD],
        },
    )
    draft = cv.draft_from(portfolio)
    assert [w["title"] for w in draft["work"]] == ["Cook"]
    assert [v["title"] for v in draft["volunteering"]] == ["Helping at a school", "Choir"]
    assert draft["skills"] == [{"name": "Cooking", "category": "professional"}]
    assert draft["about"] == ""  # not workshop 1's self-introduction: tests/test_cv_draft.py
    assert cv.current(portfolio) == draft
    assert cv.clean(draft) == draft  # a draft is always a valid CV


def test_the_cv_editor_keeps_ticked_rows_and_refuses_what_a_recruiter_could_not_read():
    form = {
        "headline": "Cook",
        "work-0-keep": "1",
        "work-0-title": "Cook",
        "work-0-place": "Tunis",
        "work-1-title": "Dropped: not ticked",
        "work-2-keep": "1",  # an empty new row
        "skills-0-keep": "1",
        "skills-0-name": "Hygiene",
        "skills-0-category": "professional",
    }
    raw = cv.from_form(form.get, {"work": 3, "skills": 1})
    clean = cv.clean(raw)
    assert [w["title"] for w in clean["work"]] == ["Cook"]
    assert clean["skills"] == [{"name": "Hygiene", "category": "professional"}]
    with pytest.raises(PortfolioRefused, match="missing_field"):
        cv.clean({"work": [{"title": "", "place": "Tunis"}]})
    with pytest.raises(PortfolioRefused, match="text_too_long"):
        cv.clean({"about": "x" * 801})
    with pytest.raises(PortfolioRefused, match="bad_field"):
        cv.clean({"skills": [{"name": "x", "category": "magic"}]})
    with pytest.raises(PortfolioRefused, match="bad_field"):
        cv.clean({"work": "not a list"})
