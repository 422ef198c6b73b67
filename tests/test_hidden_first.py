"""Personal stories start hidden: on a hidden-first step each author chooses, card by card,
whether the group sees their card, and apart whether it sees its place and date. The
tutor's "show the cards" shows only the cards their authors chose; nothing else reaches
the projector, the replay, the summary or a rehearsal. The tutors see every card.

The meeting these tests run is a small script of their own (`story_script`), so that
the shipped workshops can change without changing what is tested here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.live import store
from app.live.events import EventType
from app.live.events import EventType as E
from app.live.views import Audience
from app.live.views import snapshot as snapshot_of
from app.models import EventContent, LiveSession, SessionEvent
from app.participants import consent
from app.rehearsal.sources import recorded
from tests.drivers import AMINA, BORIS, TUTOR, AppRoom, LogRoom
from tests.story_room import (
    PLACE,
    SLUG,
    STORY,
    WHEN,
    heard,
    post_story,
    projector_cards,
    reveal,
    show,
    snapshot,
    story_room,
)


@pytest.fixture
def story(app: Flask, tmp_path: Path, room_for: Callable[..., AppRoom]) -> AppRoom:
    """The test meeting running: its tutor's console and projector, phones to come."""
    return story_room(app, tmp_path / "workshops", room_for, people=())


@pytest.fixture
def pathway(app: Flask, tmp_path: Path, room_for: Callable[..., AppRoom]) -> AppRoom:
    """Amina and Yusuf in the room, on the hidden-first pathway step, every screen's
    messages read so far."""
    return story_room(app, tmp_path / "workshops", room_for, "timeline")


# -- the board starts hidden, and the author chooses ------------------------------------


def test_a_timeline_card_is_not_on_the_projector_until_its_author_shows_it_and_the_tutor_reveals(
    pathway: AppRoom,
):
    (board,) = [b for b in snapshot(pathway, "console")["boards"] if b["step"] == "timeline"]
    assert board["hidden_first"] and board["until_reveal"]  # the board starts with cards kept

    card = post_story(pathway)
    told = heard(pathway)
    assert STORY not in json.dumps(told["projector"]) and STORY not in json.dumps(told["Yusuf"])
    (console_card,) = [c for m in told["console"] for c in m.get("cards", [])]
    assert console_card["not_shown"] and console_card["fields"]["place"] == PLACE

    # The tutor shows the cards: nobody chose to show theirs, the wall stays empty.
    reveal(pathway)
    assert STORY not in json.dumps(heard(pathway)["projector"])
    assert projector_cards(pathway) == []

    # Amina shows hers: now it is on the wall, without its place and date.
    show(pathway, "Amina", card, shown=True)
    (on_wall,) = [c for m in heard(pathway)["projector"] for c in m.get("cards", [])]
    assert on_wall["text"] == STORY and on_wall["id"] == card
    assert [c["id"] for c in projector_cards(pathway)] == [card]

    # She takes it back to herself: it leaves the wall and every phone.
    show(pathway, "Amina", card, shown=False)
    told = heard(pathway)
    assert [m["removed"] for m in told["projector"]] == [[card]]
    assert [m["removed"] for m in told["Yusuf"] if "removed" in m] == [[card]]
    assert projector_cards(pathway) == []


def test_showing_first_then_the_tutors_reveal_puts_only_the_chosen_cards_on_the_wall(
    pathway: AppRoom,
):
    shown = post_story(pathway, "Amina")
    kept = post_story(pathway, "Yusuf", text="My brother stayed behind")
    show(pathway, "Amina", shown, shown=True)
    assert projector_cards(pathway) == []  # chosen, but the tutor has not shown the cards
    reveal(pathway)
    assert [c["id"] for c in projector_cards(pathway)] == [shown]
    yusuf_sees = snapshot(pathway, "Yusuf")
    assert [c["id"] for c in yusuf_sees["cards"]] == [shown]
    assert [c["id"] for c in yusuf_sees["own"]] == [kept]  # his own, always
    console = snapshot(pathway, "console")
    marks = {c["id"]: c["not_shown"] for c in console["cards"]}
    assert marks == {shown: False, kept: True}  # the tutors see all, marked


def test_the_place_and_date_never_reach_the_projector_unless_chosen(pathway: AppRoom):
    card = post_story(pathway)
    reveal(pathway)
    show(pathway, "Amina", card, shown=True, details=False)
    pathway.tutor_does("spotlight", card_id=card)
    projector = json.dumps(heard(pathway)["projector"]) + json.dumps(projector_cards(pathway))
    assert STORY in projector
    assert PLACE not in projector and WHEN not in projector
    (card_seen,) = projector_cards(pathway)
    assert set(card_seen["fields"]) == {"text"}

    (tutor_sees,) = snapshot(pathway, "console")["cards"]
    assert tutor_sees["fields"]["place"] == PLACE and tutor_sees["details_not_shown"]

    # She chooses to show them: the projector hears them now.
    show(pathway, "Amina", card, shown=True, details=True)
    assert PLACE in json.dumps(heard(pathway)["projector"])
    (card_seen,) = projector_cards(pathway)
    assert card_seen["fields"] == {"when": WHEN, "place": PLACE, "text": STORY}


def test_a_card_changed_by_its_author_keeps_their_choice(pathway: AppRoom):
    card = post_story(pathway)
    show(pathway, "Amina", card, shown=True)
    reveal(pathway)
    heard(pathway)
    fields = {"when": WHEN, "place": PLACE, "text": "I crossed the sea with my cousin"}
    pathway.says("Amina", "edit", client_id="edit-story-0001", card_id=card, fields=fields)
    (changed,) = [c for m in heard(pathway)["projector"] for c in m.get("cards", [])]
    assert (
        changed["text"] == "I crossed the sea with my cousin" and "place" not in changed["fields"]
    )
    (mine,) = snapshot(pathway, "Amina")["own"]
    assert (mine["shown"], mine["details_shown"]) == (True, False)


def test_only_the_author_chooses_and_only_on_a_hidden_first_step(pathway: AppRoom):
    card = post_story(pathway)
    theirs = {"client_id": "show-not-mine-01", "card_id": card, "shown": True, "details": True}
    ack = pathway.phones["Yusuf"].emit("show", theirs, namespace="/participant", callback=True)
    assert ack["error"] == "not_your_card"
    tutor = pathway.console.emit("show", theirs, namespace="/tutor", callback=True)
    assert tutor["error"] == "not_your_card"  # only for a card a tutor typed for someone
    pathway.go("strengths")
    told = pathway.post(pathway.phones["Amina"], "free_text", {"text": "I listen"}, "strength-01")
    mine = {"client_id": "show-strength-01", "card_id": told["seq"], "shown": True, "details": True}
    ack = pathway.phones["Amina"].emit("show", mine, namespace="/participant", callback=True)
    assert ack["error"] == "not_hidden_first"
    # The author may still choose on the pathway, though the room has moved on.
    show(pathway, "Amina", card, shown=True)


def test_a_story_kept_back_is_never_alone_on_the_wall(pathway: AppRoom):
    card = post_story(pathway)
    reveal(pathway)
    ack = pathway.console.emit("spotlight", {"card_id": card}, namespace="/tutor", callback=True)
    assert ack["error"] == "not_shown"
    show(pathway, "Amina", card, shown=True)
    pathway.tutor_does("spotlight", card_id=card)
    show(pathway, "Amina", card, shown=False)  # taken back: it leaves the wall at once
    assert snapshot(pathway, "projector")["wall"]["spotlight"] is None


def test_each_audience_sees_what_the_authors_chose_and_the_tutor_sees_all():
    steps = [{"id": "welcome", "board": "none"}]
    steps.append({"id": "timeline", "board": "timeline", "visibility": "hidden"})
    room = LogRoom(steps, TUTOR).go("timeline")
    kept = room.post(AMINA, "timeline", when=WHEN, place=PLACE, text=STORY)
    shown = room.post(BORIS, "timeline", when="2019", place="Calais", text="We waited")
    room.do(BORIS, E.CARD_SHOWN, card_id=shown, shown=True, details=False)
    room.do(TUTOR, E.BOARD_UNTIL_REVEAL, step="timeline", on=False)
    names = {10: "Amina", 11: "Boris"}
    seen = {
        audience: {
            c["id"]: c["fields"] for c in snapshot_of(room.state, audience, names, 0)["cards"]
        }
        for audience in Audience
    }
    assert seen[Audience.TUTOR] == {
        kept: {"when": WHEN, "place": PLACE, "text": STORY},
        shown: {"when": "2019", "place": "Calais", "text": "We waited"},
    }
    for audience in (Audience.OBSERVER, Audience.PROJECTOR, Audience.PARTICIPANTS):
        assert seen[audience] == {shown: {"text": "We waited"}}, audience


# -- after the evening: the author's portfolio, and nothing of it elsewhere ----------------


def test_a_card_never_shown_goes_to_its_authors_portfolio_whole(pathway: AppRoom):
    post_story(pathway)
    (entry,) = pathway.portfolio(pathway.people["Amina"]).entries("migration_pathway")
    assert dict(entry.fields) == {"when": WHEN, "place": PLACE, "text": STORY}


@pytest.fixture
def ended(pathway: AppRoom, app: Flask) -> dict[str, int]:
    """The pathway step run and the evening ended: Amina showed her card without its
    place and date, Yusuf kept his; both agreed to their cards being reused."""
    amina = post_story(pathway, "Amina")
    yusuf = post_story(pathway, "Yusuf", text="My brother stayed behind", place="Tripoli")
    show(pathway, "Amina", amina, shown=True)
    reveal(pathway)
    pathway.tutor_does("end")
    with app.app_context():
        for name in ("Amina", "Yusuf"):
            person = db.session.merge(pathway.people[name])
            answers = consent.ConsentAnswers(data_processing=True, rehearsal_reuse=True)
            consent.record(db.session, person, answers)
        db.session.commit()
    return {"amina": amina, "yusuf": yusuf}


def test_the_replay_frames_follow_the_room(pathway: AppRoom, ended: dict[str, int]):
    session = pathway.live.id
    timeline = pathway.tutor_browser.get(f"/replays/{session}/timeline.json").get_json()
    frames = [
        pathway.tutor_browser.get(f"/replays/{session}/frame/{seq}").get_data(as_text=True)
        for seq in range(1, timeline["last_seq"] + 1)
    ]
    assert any(STORY in frame for frame in frames)  # Amina's card, once shown
    for frame in frames:
        assert "My brother stayed behind" not in frame
        assert PLACE not in frame and "Tripoli" not in frame and WHEN not in frame


def test_the_summary_follows_the_room(pathway: AppRoom, ended: dict[str, int]):
    summary = pathway.tutor_browser.get(f"/sessions/{pathway.live.id}/summary.md")
    text = summary.get_data(as_text=True)
    assert summary.status_code == 200 and STORY in text
    assert "My brother stayed behind" not in text
    assert PLACE not in text and "07/2016" not in text and "2016" not in text


def test_a_rehearsal_reuses_only_what_the_room_saw(
    pathway: AppRoom, ended: dict[str, int], app: Flask
):
    with app.app_context():
        material = recorded(db.session, SLUG, "timeline")
    assert material.cards == []  # the one card shown needs its date, which stays hers

    # A rehearsal taken over from the end of the evening does not retell them either.
    last = pathway.live.id
    with app.app_context():
        seq = db.session.get(LiveSession, last).last_seq - 1  # before "ended"
    taken = pathway.tutor_browser.post(f"/replays/{last}/take-over", data={"seq": seq})
    assert taken.status_code == 302
    with app.app_context():
        copy = db.session.scalar(select(LiveSession).where(LiveSession.taken_over_from_id == last))
        told = json.dumps([e.payload for e in store.events_after(db.session, copy.id)])
        bodies = json.dumps(
            list(
                db.session.scalars(
                    select(EventContent.body)
                    .join(SessionEvent, SessionEvent.content_id == EventContent.id)
                    .where(SessionEvent.session_id == copy.id)
                )
            )
        )
        kinds = [e.type for e in store.events_after(db.session, copy.id)]
    for words in (STORY, "My brother stayed behind", PLACE, "Tripoli", WHEN):
        assert words not in told and words not in bodies
    assert EventType.CARD_POSTED not in kinds  # both untold: in their place, wordless notes


def test_a_shown_experience_is_reused_without_the_place_its_author_kept(
    pathway: AppRoom, app: Flask
):
    pathway.go("abroad")
    fields = {"what": "Cook", "where": "Hotel Africa, Tunis", "when": "2012/2016"}
    fields |= {"setting": "abroad", "kind": "paid"}
    card = pathway.post(pathway.phones["Amina"], "experiences", fields, "exp-amina-0001")["seq"]
    show(pathway, "Amina", card, shown=True)
    reveal(pathway, "abroad")
    pathway.tutor_does("end")
    with app.app_context():
        person = db.session.merge(pathway.people["Amina"])
        answers = consent.ConsentAnswers(data_processing=True, rehearsal_reuse=True)
        consent.record(db.session, person, answers)
        db.session.commit()
        material = recorded(db.session, SLUG, "abroad")
    assert material.cards == [{"what": "Cook", "setting": "abroad", "kind": "paid"}]


# -- someone without a phone --------------------------------------------------------------


def test_a_tutor_shows_a_card_they_typed_for_someone_without_a_phone_as_that_person_says(
    pathway: AppRoom,
):
    """Karim has no phone: the tutor types his story, and shows it (then its place and
    date) only when he says so aloud. A tutor never chooses for a card its author typed."""
    karim = pathway.make_participant(pathway.cohort, name="Karim")
    typed = pathway.tutor_does(
        "post",
        client_id="typed-for-karim-01",
        board="timeline",
        fields={"when": WHEN, "place": PLACE, "text": STORY},
        on_behalf_of=karim.id,
    )["seq"]
    reveal(pathway)
    assert projector_cards(pathway) == []  # typed for him: hidden first all the same

    (seen,) = snapshot(pathway, "console")["cards"]
    assert seen["by_staff"] and seen["hidden_first"] and seen["not_shown"]
    pathway.tutor_does("show", card_id=typed, shown=True, details=False)
    (on_wall,) = projector_cards(pathway)
    assert on_wall["fields"] == {"text": STORY}
    pathway.tutor_does("show", card_id=typed, shown=True, details=True)
    (on_wall,) = projector_cards(pathway)
    assert on_wall["fields"]["place"] == PLACE

    amina_s = post_story(pathway, "Amina", text="My own words")
    refused = pathway.console.emit(
        "show",
        {"card_id": amina_s, "shown": True, "details": True},
        namespace="/tutor",
        callback=True,
    )
    assert refused["ok"] is False and refused["error"] == "not_your_card"
    assert [c["id"] for c in projector_cards(pathway)] == [typed]


def test_cards_written_unseen_reach_the_wall_all_together_when_the_tutor_shows_them(
    story: AppRoom,
):
    """Workshop 4's competences: people write without seeing each other's cards, then the
    group looks at all of them at once; nobody has to show theirs one by one."""
    story.phone("Amina")
    story.go("skills")
    (board,) = [b for b in snapshot(story, "console")["boards"] if b["step"] == "skills"]
    assert board["until_reveal"] and not board["hidden_first"]
    skill = {"name": "Négocier un prix", "category": "professional"}
    card = story.post(story.phones["Amina"], "competences", skill, "skill-amina-01")["seq"]
    assert projector_cards(story) == []
    reveal(story, "skills")
    assert [c["id"] for c in projector_cards(story)] == [card]
