"""The programme's anonymous feedback: what helped, what to change, with no name on it
anywhere. The card is stored with no actor and names nobody; its author must still be
in the room to send it, cannot change it or take it back, and nothing of it reaches a
portfolio, an export or a rehearsal. The tutor sees how many answers came; once they
close the board they read the answers on the console alone (still with no name), so
they can hide an abusive one before showing the cards.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import EventContent, Participant, SessionEvent
from app.participants import consent
from app.portfolio.export import everything
from app.rehearsal.sources import recorded
from tests.drivers import AppRoom
from tests.story_room import SLUG, heard, snapshot, story_room

HELPED = "The mock interviews with a recruiter"
CHANGE = "Start the evenings a little later"
INSULT = "The tutor is useless"


@pytest.fixture
def feedback(app: Flask, tmp_path: Path, room_for: Callable[..., AppRoom]) -> AppRoom:
    """The test meeting on its feedback step, Amina and Yusuf in the room."""
    return story_room(app, tmp_path / "workshops", room_for, "feedback")


def send(room: AppRoom, name: str, client_id: str, **fields: str) -> dict[str, Any]:
    data = {"client_id": client_id, "board": "programme_feedback", "fields": fields}
    return room.phones[name].emit("post", data, namespace="/participant", callback=True)


def stored(app: Flask, session_id: int, seq: int) -> dict[str, Any]:
    """The events table's row of one event, and its content."""
    with app.app_context():
        row = db.session.scalar(
            select(SessionEvent).where(
                SessionEvent.session_id == session_id, SessionEvent.seq == seq
            )
        )
        body = db.session.get(EventContent, row.content_id).body
        return {
            "type": row.type,
            "actor_participant_id": row.actor_participant_id,
            "actor_user_id": row.actor_user_id,
            "client_id": row.client_id,
            "body": body,
        }


# -- stored with no name -----------------------------------------------------------------


def test_the_answer_is_stored_with_no_actor_and_names_nobody(feedback: AppRoom, app: Flask):
    amina = feedback.people["Amina"]
    ack = send(feedback, "Amina", "feedback-amina-01", helped=HELPED, change=CHANGE)
    assert ack["ok"]
    row = stored(app, feedback.live.id, ack["seq"])
    assert row["type"] == "card.posted"
    assert row["actor_participant_id"] is None and row["actor_user_id"] is None
    assert row["body"] == {
        "board": "programme_feedback",
        "fields": {"helped": HELPED, "change": CHANGE},
    }
    assert str(amina.id) not in json.dumps(row["body"])
    assert row["client_id"] == "feedback-amina-01"  # the phone's own random key, nothing more


def test_a_resend_is_stored_once(feedback: AppRoom, app: Flask):
    first = send(feedback, "Amina", "feedback-amina-01", helped=HELPED)
    # The phone did not hear the answer, and Amina has left the room since: still stored once.
    amina = feedback.people["Amina"]
    feedback.tutor_does("attendance", participant_id=amina.id, present=False)
    again = send(feedback, "Amina", "feedback-amina-01", helped=HELPED)
    assert again == {"ok": True, "seq": first["seq"], "duplicate": True}
    with app.app_context():
        posted = db.session.scalars(
            select(SessionEvent).where(
                SessionEvent.session_id == feedback.live.id, SessionEvent.type == "card.posted"
            )
        ).all()
    assert len(posted) == 1


def test_only_someone_let_in_and_in_the_room_may_answer(feedback: AppRoom):
    yusuf = feedback.people["Yusuf"]
    feedback.tutor_does("attendance", participant_id=yusuf.id, present=False)
    assert send(feedback, "Yusuf", "feedback-yusuf-01", helped=HELPED)["error"] == "not_present"
    feedback.tutor_does("attendance", participant_id=yusuf.id, present=True)
    assert send(feedback, "Yusuf", "feedback-yusuf-02", helped=HELPED)["ok"]
    # Someone still at the door sends nothing at all.
    knocker = feedback.make_participant(feedback.cohort, name="Rosa", admitted=False)
    door = feedback.socket_for(feedback.phone_client(knocker), "/participant", feedback.live)
    data = {"client_id": "feedback-rosa-001", "board": "programme_feedback"}
    data["fields"] = {"helped": HELPED}
    refused = door.emit("post", data, namespace="/participant", callback=True)
    assert refused["error"] == "not_in_room"


def test_nobody_writes_one_for_someone_else_not_even_a_tutor(feedback: AppRoom):
    amina = feedback.people["Amina"]
    fields = {"helped": HELPED}
    for data in (
        {"board": "programme_feedback", "fields": fields, "on_behalf_of": amina.id},
        {"board": "programme_feedback", "fields": fields},
    ):
        ack = feedback.console.emit("post", data, namespace="/tutor", callback=True)
        assert ack["error"] == "not_allowed"


def test_an_answer_needs_one_of_its_two_questions(feedback: AppRoom):
    assert send(feedback, "Amina", "feedback-empty-01")["error"] == "answer_one"
    assert send(feedback, "Amina", "feedback-change-1", change=CHANGE)["ok"]


# -- what each screen sees ---------------------------------------------------------------


def test_the_author_gets_no_card_of_theirs_and_the_tutor_only_a_count(feedback: AppRoom):
    send(feedback, "Amina", "feedback-amina-01", helped=HELPED)
    send(feedback, "Yusuf", "feedback-yusuf-01", change=CHANGE)
    told = heard(feedback)
    everything_heard = json.dumps(told)
    assert HELPED not in everything_heard and CHANGE not in everything_heard
    assert not [m for m in told["Amina"] if m.get("own")]  # no "my card" echo at all
    console = snapshot(feedback, "console")
    (board,) = [b for b in console["boards"] if b["step"] == "feedback"]
    assert console["cards"] == [] and board["authorless"] and board["not_revealed_count"] == 2
    assert snapshot(feedback, "Amina")["own"] == []

    # The tutor shows the cards: the words, and no name or id for anyone.
    feedback.tutor_does("board_until_reveal", step="feedback", on=False)
    for screen in ("console", "projector", "Yusuf"):
        cards = snapshot(feedback, screen)["cards"]
        assert {c["text"] for c in cards} == {HELPED, ""}
        assert all(c["author"] is None for c in cards)
        assert all(c.get("author_id") is None and not c.get("by_staff") for c in cards)


def test_nobody_changes_or_takes_back_an_answer_and_the_tutor_may_hide_one(feedback: AppRoom):
    seq = send(feedback, "Amina", "feedback-amina-01", helped=HELPED)["seq"]
    for event, data in (
        ("edit", {"card_id": seq, "fields": {"helped": "Nothing"}}),
        ("withdraw", {"card_id": seq}),
    ):
        for name in ("Amina", "Yusuf"):
            sent = {"client_id": f"{event}-{name}-0001", **data}
            ack = feedback.phones[name].emit(event, sent, namespace="/participant", callback=True)
            assert ack["error"] == "no_author", (event, name)
    feedback.tutor_does("board_until_reveal", step="feedback", on=False)
    feedback.tutor_does("hide", card_id=seq, reason="Insulting")
    assert snapshot(feedback, "projector")["cards"] == []


def test_the_tutor_reads_the_answers_once_the_board_is_closed_before_the_wall_does(
    feedback: AppRoom,
):
    send(feedback, "Amina", "feedback-amina-01", helped=HELPED)
    insult = send(feedback, "Yusuf", "feedback-yusuf-01", helped=INSULT)["seq"]
    heard(feedback)

    # Closed: nobody can answer any more, and the tutor alone reads what came.
    feedback.tutor_does("board_lock", step="feedback", on=True)
    told = heard(feedback)
    read = [c for m in told["console"] for c in m.get("cards", [])]
    assert {c["fields"]["helped"] for c in read} == {HELPED, INSULT}
    assert all(c["author"] is None and c["author_id"] is None for c in read)
    for screen in ("projector", "Amina", "Yusuf"):
        assert INSULT not in json.dumps(told[screen]) and HELPED not in json.dumps(told[screen])
    assert len(snapshot(feedback, "console")["cards"]) == 2
    assert snapshot(feedback, "projector")["cards"] == []

    # The tutor hides the insulting one, then shows the cards: the wall gets the other.
    feedback.tutor_does("hide", card_id=insult, reason="Insulting")
    assert INSULT not in json.dumps(heard(feedback)["projector"])
    feedback.tutor_does("board_until_reveal", step="feedback", on=False)
    assert [c["text"] for c in snapshot(feedback, "projector")["cards"]] == [HELPED]
    assert INSULT not in json.dumps(heard(feedback)["projector"])


def test_reopening_the_board_takes_the_answers_back_off_the_console(feedback: AppRoom):
    seq = send(feedback, "Amina", "feedback-amina-01", helped=HELPED)["seq"]
    feedback.tutor_does("board_lock", step="feedback", on=True)
    heard(feedback)
    feedback.tutor_does("board_lock", step="feedback", on=False)
    (patch,) = heard(feedback)["console"]
    assert patch["removed"] == [seq] and patch["cards"] == []
    assert snapshot(feedback, "console")["cards"] == []


# -- never linked to its author afterwards ---------------------------------------------------


def test_no_portfolio_export_or_rehearsal_holds_the_answer(feedback: AppRoom, app: Flask):
    send(feedback, "Amina", "feedback-amina-01", helped=HELPED, change=CHANGE)
    feedback.tutor_does("board_until_reveal", step="feedback", on=False)
    feedback.tutor_does("end")
    amina = feedback.people["Amina"]
    portfolio = feedback.portfolio(amina)
    assert HELPED not in json.dumps(
        [dict(e.fields) for e in portfolio.sections.get("evaluation", [])]
    )
    assert len(portfolio) == 0
    with app.app_context():
        person = db.session.get(Participant, amina.id)
        exported = json.dumps(everything(db.session, person, portfolio), default=str)
        answers = consent.ConsentAnswers(data_processing=True, rehearsal_reuse=True)
        consent.record(db.session, person, answers)
        db.session.commit()
        material = recorded(db.session, SLUG, "feedback")
    assert HELPED not in exported and CHANGE not in exported
    assert material.cards == []
    # The summary is the group's: the answers are in it, with no name.
    summary = feedback.tutor_browser.get(f"/sessions/{feedback.live.id}/summary.md")
    text = summary.get_data(as_text=True)
    assert HELPED in text and "Amina" not in text


# -- more or less confident than at the start -------------------------------------------


def test_an_answer_to_the_confidence_question_alone_is_stored_with_no_actor(
    feedback: AppRoom, app: Flask
):
    ack = send(feedback, "Yusuf", "feedback-yusuf-01", confidence="much_less")
    assert ack["ok"]
    row = stored(app, feedback.live.id, ack["seq"])
    assert row["actor_participant_id"] is None and row["actor_user_id"] is None
    assert row["body"] == {"board": "programme_feedback", "fields": {"confidence": "much_less"}}


@pytest.mark.parametrize("answer", ["a_lot", "More", "", " more"])
def test_a_confidence_answer_off_the_scale_is_refused(feedback: AppRoom, answer: str):
    ack = send(feedback, "Amina", "feedback-amina-09", confidence=answer, helped=HELPED)
    if answer:
        assert (ack["ok"], ack["error"]) == (False, "bad_field")
    else:  # left out: the other answers still go
        assert ack["ok"]


def test_the_summary_counts_each_confidence_answer_in_the_readers_language(feedback: AppRoom):
    send(feedback, "Amina", "feedback-amina-01", confidence="more", helped=HELPED)
    send(feedback, "Yusuf", "feedback-yusuf-01", confidence="more")
    feedback.phone("Samir")
    send(feedback, "Samir", "feedback-samir-01", confidence="less", change=CHANGE)
    feedback.phone("Fatou")
    send(feedback, "Fatou", "feedback-fatou-01", change="Nothing")  # no confidence answer
    feedback.tutor_does("board_until_reveal", step="feedback", on=False)
    url = f"/sessions/{feedback.live.id}/summary"

    english = feedback.tutor_browser.get(f"{url}.md", headers={"Accept-Language": "en"})
    text = english.get_data(as_text=True)
    counts = text[text.index("*Today, do you feel more or less confident") :]
    assert counts.index("- Much more confident: 0 answers") < counts.index(
        "- More confident: 2 answers"
    )
    for line in (
        "- As confident as at the start: 0 answers",
        "- Less confident: 1 answer",
        "- Much less confident: 0 answers",
        "- I do not know: 0 answers",
    ):
        assert line in counts
    # Each card says its answer under what helped; one with no other words shows it first;
    # praise and criticism are labelled apart.
    assert f"- What helped: {HELPED}\n  - More confident\n" in text
    assert "\n- More confident\n" in text  # Yusuf's card says only that
    assert f"  - To change: {CHANGE}\n" in text
    assert "Amina" not in text and "Yusuf" not in text


def test_a_french_reader_gets_the_answers_and_their_counts_in_french(feedback: AppRoom):
    send(feedback, "Amina", "feedback-amina-01", confidence="more", helped=HELPED)
    send(feedback, "Yusuf", "feedback-yusuf-01", confidence="more")
    feedback.tutor_does("board_until_reveal", step="feedback", on=False)
    url = f"/sessions/{feedback.live.id}/summary.csv"
    table = feedback.tutor_browser.get(url, headers={"Accept-Language": "fr"})
    rows = table.get_data(as_text=True).splitlines()
    question = "Aujourd'hui, avez-vous plus ou moins confiance en vos compétences"
    assert any(question in row and "Plus de confiance,2 réponses" in row for row in rows)
    assert any("Moins de confiance," in row for row in rows)
