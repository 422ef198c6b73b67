"""Trainees learn from finished sessions: who may replay one, under which names, with
what removed, and the notes people leave on its moments."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.live.fidelity import view_digest
from app.live.store import events_after
from app.models import (
    Cohort,
    EventContent,
    LiveSession,
    Participant,
    ReplayKeyframe,
    User,
    ViewHash,
)
from app.participants import consent
from app.permissions import Role
from app.replay import recordings
from tests.drivers import AppRoom

W4 = "w4-professional-competences"


@dataclass
class Played:
    """A finished workshop 4: Amina (not named in replays) and Boris (agreed to be)."""

    room: AppRoom
    live: LiveSession
    amina: Participant
    boris: Participant
    card_naming_amina: int
    note_seq: int


def _named(app: Flask, person: Participant) -> None:
    with app.app_context():
        consent.record(
            db.session,
            db.session.merge(person),
            consent.ConsentAnswers(data_processing=True, named_in_replays=True),
        )
        db.session.commit()


@pytest.fixture
def played(w4: AppRoom) -> Played:
    amina, _ = w4.phone("Amina")
    boris, _ = w4.phone("Boris")
    _named(w4.app, boris)
    w4.go("competences")
    # Workshop 4's competences start unseen: the tutor shows them, the room reads them.
    w4.tutor_does("board_until_reveal", step="competences", on=False)
    w4.post(
        w4.phones["Amina"],
        "competences",
        {"name": "I cook for forty", "category": "professional"},
        "amina-card-0001",
    )
    naming = w4.post(
        w4.phones["Boris"],
        "competences",
        {"name": "I helped Amina with her papers", "category": "social"},
        "boris-card-0001",
    )["seq"]
    note = w4.tutor_does("note", text="Amina was quiet tonight")["seq"]
    w4.go("strengths")
    w4.tutor_does("end")
    return Played(w4, w4.live, amina, boris, naming, note)


@pytest.fixture
def as_staff(
    app: Flask, make_staff: Callable[..., User], staff_client: Callable[[User], FlaskClient]
) -> Callable[..., FlaskClient]:
    def login(role: Role = Role.TRAINEE, cohort: Cohort | None = None) -> FlaskClient:
        return staff_client(make_staff(cohort, role))

    return login


def _share(played: Played, question: str = "") -> None:
    browser = played.room.tutor_browser
    done = browser.post(f"/replays/{played.live.id}/share", data={"focus_prompt": question})
    assert done.status_code == 302


def _everything(browser: FlaskClient, live: LiveSession) -> bytes:
    """Every byte a viewer gets of a replay: the page, the slider, each frame, the notes."""
    out = [browser.get(f"/replays/{live.id}").data]
    slider = browser.get(f"/replays/{live.id}/timeline.json")
    out.append(slider.data)
    for seq in range(slider.get_json()["last_seq"] + 1):
        frame = browser.get(f"/replays/{live.id}/frame/{seq}")
        assert frame.status_code == 200
        out.append(frame.data)
    out.append(browser.get(f"/replays/{live.id}/annotations.json").data)
    return b"".join(out)


def test_a_trainee_replays_only_a_session_its_tutor_shared(played: Played, as_staff):
    trainee = as_staff(Role.TRAINEE)
    refused = trainee.get(f"/replays/{played.live.id}")
    assert refused.status_code == 403
    assert "pas partagée" in refused.get_data(as_text=True)  # says why: not shared yet
    assert trainee.get(f"/replays/{played.live.id}/frame/1").status_code == 403
    assert trainee.get("/replays").data.count(b'data-testid="replay-row"') == 0
    _share(played)
    assert trainee.get(f"/replays/{played.live.id}").status_code == 200
    assert trainee.get("/replays").data.count(b'data-testid="replay-row"') == 1


def test_a_tutor_of_another_group_and_a_participant_are_refused(
    played: Played, as_staff, make_cohort, phone_client
):
    other_tutor = as_staff(Role.TUTOR, make_cohort("Another group"))
    for path in ("", "/timeline.json", "/frame/2", "/annotations.json"):
        assert other_tutor.get(f"/replays/{played.live.id}{path}").status_code == 403
    phone = phone_client(played.amina)
    answer = phone.get(f"/replays/{played.live.id}/frame/2")
    assert answer.status_code in (302, 401, 403)  # to the staff log-in, never the frame
    assert b"cook" not in answer.data


def test_the_coordinator_and_the_groups_tutor_review_it_before_sharing(played: Played, as_staff):
    coordinator = as_staff(Role.COORDINATOR)
    assert coordinator.get(f"/replays/{played.live.id}").status_code == 200
    page = played.room.tutor_browser.get(f"/replays/{played.live.id}")
    assert page.status_code == 200


def test_a_running_session_or_a_rehearsal_has_no_replay(w4: AppRoom, start_live, make_cohort):
    assert w4.tutor_browser.get(f"/replays/{w4.live.id}").status_code == 404


def test_no_byte_a_trainee_reads_names_someone_who_did_not_agree(played: Played, as_staff):
    _share(played)
    trainee = as_staff(Role.TRAINEE)
    seen = _everything(trainee, played.live)
    assert b"Amina" not in seen
    assert b"Participant A" in seen  # she acted first: A, in her card and in Boris's
    assert b"Boris" in seen  # he agreed to be named
    assert b"I helped Participant A with her papers" in seen


def test_the_reviewer_is_shown_which_texts_named_someone(played: Played):
    browser = played.room.tutor_browser
    flagged = browser.get(f"/replays/{played.live.id}/frame/{played.note_seq}").get_json()[
        "flagged"
    ]
    assert {"card_id": played.card_naming_amina, "seq": played.card_naming_amina} in flagged
    assert {"note_id": played.note_seq, "seq": played.note_seq} in flagged
    slider = browser.get(f"/replays/{played.live.id}/timeline.json").get_json()
    assert [(f["seq"], f["what"], f["why"]) for f in slider["named_inside"]] == [
        (played.card_naming_amina, "card", "name"),
        (played.note_seq, "note", "name"),
    ]
    page = browser.get(f"/replays/{played.live.id}").get_data(as_text=True)
    assert page.count('data-testid="review-item"') == 2
    assert "I helped Amina with her papers" in page  # the reviewer reads it as written


def test_the_reviewer_is_shown_contact_details_and_the_cards_hidden_later(w4: AppRoom):
    w4.phone("Karim")
    w4.go("competences")
    fields = {"name": "Call me on 06 12 34 56 78", "category": "social"}
    card = w4.post(w4.phones["Karim"], "competences", fields, "karim-card-0001")["seq"]
    other = w4.post(
        w4.phones["Karim"],
        "competences",
        {"name": "Off topic", "category": "social"},
        "karim-card-0002",
    )["seq"]
    w4.tutor_does("hide", card_id=other, reason="")
    w4.tutor_does("end")
    slider = w4.tutor_browser.get(f"/replays/{w4.live.id}/timeline.json").get_json()
    assert [(f["seq"], f["why"]) for f in slider["named_inside"]] == [
        (card, "contact"),
        (other, "hidden"),
    ]


def test_removed_words_are_in_no_replay_and_no_row(played: Played, as_staff, app: Flask):
    browser = played.room.tutor_browser
    browser.get(f"/replays/{played.live.id}/frame/3")  # keyframes made and stored
    done = browser.post(f"/replays/{played.live.id}/redact", data={"seq": played.card_naming_amina})
    assert done.status_code == 302
    browser.post(f"/replays/{played.live.id}/redact", data={"seq": played.note_seq})
    _share(played)
    seen = _everything(as_staff(Role.TRAINEE), played.live)
    assert b"papers" not in seen and b"quiet tonight" not in seen
    assert b"Contenu retir" in seen  # "Content removed" in French (JSON escapes the é)
    with app.app_context():
        stored = json.dumps([c.body for c in db.session.scalars(select(EventContent))])
        frames = json.dumps([k.state for k in db.session.scalars(select(ReplayKeyframe))])
    assert "papers" not in stored and "papers" not in frames
    assert "I cook for forty" in stored  # the other card is untouched


def test_removing_something_that_is_not_a_card_or_a_note_is_refused(played: Played):
    browser = played.room.tutor_browser
    done = browser.post(f"/replays/{played.live.id}/redact", data={"seq": 1}, follow_redirects=True)
    assert "Seule une carte ou une note peut être retirée" in done.get_data(as_text=True)


def test_the_replayed_wall_at_each_step_change_is_the_wall_the_room_saw(played: Played, app):
    with app.app_context():
        taken = dict(
            db.session.execute(
                select(ViewHash.seq, ViewHash.digest).where(ViewHash.session_id == played.live.id)
            ).all()
        )
        recording = recordings.recording_for(db.session, played.live.id)
    assert len(taken) >= 3  # the start and two step changes
    for seq, digest in taken.items():
        assert view_digest(recording.state_at(seq)) == digest


def test_keyframes_are_stored_once_and_read_back(played: Played, app: Flask):
    played.room.tutor_browser.get(f"/replays/{played.live.id}/frame/2")
    with app.app_context():
        stored = list(db.session.scalars(select(ReplayKeyframe.seq)))
        events = events_after(db.session, played.live.id)
        recordings.forget(db.session, [played.live.id])
        again = recordings.recording_for(db.session, played.live.id)
        assert [frame.seq for frame in again.keyframes] == stored
        assert again.final == recordings.Recording(events).final


def test_a_trainee_asks_a_question_and_the_tutor_who_ran_it_is_told(played: Played, as_staff):
    _share(played)
    trainee = as_staff(Role.TRAINEE)
    asked = trainee.post(
        f"/replays/{played.live.id}/annotations",
        json={"seq": 4, "kind": "question", "body": "Why did you wait before the vote?"},
    )
    assert asked.status_code == 201, asked.data
    dashboard = played.room.tutor_browser.get("/tutor").get_data(as_text=True)
    assert "open-question" in dashboard
    reply = played.room.tutor_browser.post(
        f"/replays/{played.live.id}/annotations",
        json={"parent_id": asked.get_json()["id"], "body": "To let the quiet ones finish."},
    )
    assert reply.status_code == 201 and reply.get_json()["kind"] == "reply"
    assert "open-question" not in played.room.tutor_browser.get("/tutor").get_data(as_text=True)


def test_a_trainee_may_ask_but_not_annotate_and_private_notes_stay_private(
    played: Played, as_staff
):
    _share(played)
    trainee = as_staff(Role.TRAINEE)
    refused = trainee.post(
        f"/replays/{played.live.id}/annotations",
        json={"seq": 4, "kind": "why", "body": "Because."},
    )
    assert refused.status_code == 400 and refused.get_json()["error"] == "questions_only"
    tutor = played.room.tutor_browser
    for private in (True, False):
        made = tutor.post(
            f"/replays/{played.live.id}/annotations",
            json={
                "seq": 5,
                "kind": "differently",
                "body": f"private={private}",
                "private": private,
            },
        )
        assert made.status_code == 201
    notes = trainee.get(f"/replays/{played.live.id}/annotations.json").get_json()["annotations"]
    assert [n["body"] for n in notes] == ["private=False"]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"seq": 4, "kind": "why", "body": "   "}, "annotation_empty"),
        ({"seq": 9999, "kind": "why", "body": "x"}, "no_such_moment"),
        ({"seq": "x", "kind": "why", "body": "x"}, "no_such_moment"),
        ({"seq": 4, "kind": "rant", "body": "x"}, "bad_annotation_kind"),
        ({"seq": 4, "kind": "why", "body": "x" * 2001}, "text_too_long"),
        ({"seq": 4, "parent_id": 999, "body": "x"}, "no_such_annotation"),
    ],
)
def test_a_bad_note_gets_a_clear_error_and_changes_nothing(played: Played, body, error):
    tutor = played.room.tutor_browser
    answer = tutor.post(f"/replays/{played.live.id}/annotations", json=body)
    assert answer.status_code == 400
    assert answer.get_json()["error"] == error and answer.get_json()["message"]
    notes = tutor.get(f"/replays/{played.live.id}/annotations.json").get_json()["annotations"]
    assert notes == []


def test_a_frame_outside_the_session_is_refused_clearly(played: Played):
    answer = played.room.tutor_browser.get(f"/replays/{played.live.id}/frame/100000")
    assert answer.status_code == 400 and answer.get_json()["error"] == "no_such_moment"


def test_the_focus_question_is_answered_by_the_trainee_and_read_by_the_trainer(
    played: Played, as_staff
):
    _share(played, "Notice how the tutor handles the silence after the rules question")
    trainee = as_staff(Role.TRAINEE)
    page = trainee.get(f"/replays/{played.live.id}").get_data(as_text=True)
    assert "handles the silence" in page
    saved = trainee.post(f"/replays/{played.live.id}/focus", json={"answer": "She waited."})
    assert saved.status_code == 200
    assert "She waited." in trainee.get(f"/replays/{played.live.id}").get_data(as_text=True)
    trainer = played.room.tutor_browser.get(f"/replays/{played.live.id}").get_data(as_text=True)
    assert "She waited." in trainer


def test_a_frame_is_the_projectors_view_at_that_moment(played: Played, app: Flask):
    browser = played.room.tutor_browser
    slider = browser.get(f"/replays/{played.live.id}/timeline.json").get_json()
    kinds = [m["kind"] for m in slider["markers"]]
    assert kinds.count("step") >= 3
    first_card = next(e["seq"] for e in slider["events"] if e["card"])
    before = browser.get(f"/replays/{played.live.id}/frame/{first_card - 1}").get_json()
    after = browser.get(f"/replays/{played.live.id}/frame/{first_card}").get_json()
    assert before["board"]["cards"] == []
    assert [c["fields"]["name"] for c in after["board"]["cards"]] == ["I cook for forty"]
    assert after["step_id"] == "competences"
    assert any(
        note["text"]
        for note in browser.get(f"/replays/{played.live.id}/frame/{slider['last_seq']}").get_json()[
            "notes"
        ]
    )


def test_a_trainee_of_the_group_reading_the_finished_console_meets_no_name_inside_a_card(
    played: Played, make_staff, staff_client, socket_for
):
    trainee = staff_client(make_staff(played.room.cohort, Role.TRAINEE))
    page = trainee.get(f"/sessions/{played.live.id}/console")
    assert page.status_code == 200 and b"Amina" not in page.data
    console = socket_for(trainee, "/tutor", played.live)
    answer = console.emit("sync", {}, namespace="/tutor", callback=True)
    seen = json.dumps(answer)
    assert "papers" in seen  # Boris's card is there, with Amina's name replaced
    assert "Amina" not in seen


def test_someone_of_the_group_who_never_came_is_not_named_inside_a_card_either(
    w4: AppRoom, as_staff
):
    w4.make_participant(w4.cohort, name="Fatima")  # in the group, absent tonight
    w4.phone("Boris")
    w4.go("competences")
    w4.tutor_does("board_until_reveal", step="competences", on=False)  # the room reads it
    fields = {"name": "I took notes for Fatima", "category": "social"}
    w4.post(w4.phones["Boris"], "competences", fields, "boris-card-0002")
    w4.tutor_does("end")
    w4.tutor_browser.post(f"/replays/{w4.live.id}/share", data={})
    seen = _everything(as_staff(Role.TRAINEE), w4.live)
    assert b"Fatima" not in seen and b"I took notes for Participant B" in seen


def test_a_trainee_cannot_reply_to_someone_elses_private_note(played: Played, as_staff):
    _share(played)
    private = played.room.tutor_browser.post(
        f"/replays/{played.live.id}/annotations",
        json={"seq": 4, "kind": "why", "body": "Between us", "private": True},
    ).get_json()
    trainee = as_staff(Role.TRAINEE)
    answer = trainee.post(
        f"/replays/{played.live.id}/annotations", json={"parent_id": private["id"], "body": "?"}
    )
    assert answer.status_code == 400 and answer.get_json()["error"] == "no_such_annotation"


def test_taking_over_retells_neither_hidden_words_nor_notes_and_a_removal_reaches_it(
    played: Played, as_staff, app: Flask
):
    tutor = played.room.tutor_browser
    taken = tutor.post(f"/replays/{played.live.id}/take-over", data={"seq": played.note_seq})
    assert taken.status_code == 302
    with app.app_context():
        copy = db.session.scalar(
            select(LiveSession).where(LiveSession.taken_over_from_id == played.live.id)
        )
        told = json.dumps([e.payload for e in events_after(db.session, copy.id)])
    assert "quiet tonight" not in told  # the tutor's note stays with the real session
    assert "papers" in told  # Boris's card is retold, names replaced
    assert "Amina" not in told
    tutor.post(f"/replays/{played.live.id}/redact", data={"seq": played.card_naming_amina})
    with app.app_context():
        told = json.dumps([e.payload for e in events_after(db.session, copy.id)])
    assert "papers" not in told  # removed from the real session, so from its retelling


def test_keyframes_folded_before_words_were_removed_are_never_read_after(
    played: Played, app: Flask
):
    from app.live.state_codec import label
    from app.replay import redaction

    with app.app_context():
        folded = recordings.recording_for(db.session, played.live.id).keyframes
        redaction.remove_from_replays(db.session, played.live.id, played.card_naming_amina)
        db.session.commit()
        # Another process, which read the log before the removal, stores its keyframes
        # late: they carry the words, under the old contents' label.
        recordings._store(db.session.get_bind(), played.live.id, folded, label(0))
        db.session.commit()
        after = recordings.recording_for(db.session, played.live.id)
        state = after.final
    fields = json.dumps([dict(c.fields) for c in state.cards.values()])
    assert "papers" not in fields


def test_the_console_of_a_finished_session_forgets_removed_words_at_once(played: Played):
    tutor = played.room.tutor_browser
    console = played.room.console
    assert "papers" in json.dumps(console.emit("sync", {}, namespace="/tutor", callback=True))
    tutor.post(f"/replays/{played.live.id}/redact", data={"seq": played.card_naming_amina})
    assert "papers" not in json.dumps(console.emit("sync", {}, namespace="/tutor", callback=True))


def test_the_slider_names_a_quiet_span_in_the_readers_language_when_folded_off_the_loop(
    w4: AppRoom, monkeypatch
):
    """Under eventlet the fold runs on a native thread, where there is no request: the
    words in the reader's language are made before it leaves."""
    import threading

    from app import offload
    from app.live import store

    def on_a_thread(func, *args):
        out = []
        worker = threading.Thread(target=lambda: out.append(func(*args)))
        worker.start()
        worker.join()
        return out[0]

    monkeypatch.setattr(offload, "on_native_thread", on_a_thread)
    clock = iter(range(10**12, 10**12 + 10**9, 90_000))  # 90 s between events
    with store.scripted_clock(lambda: next(clock)):
        w4.go("competences")
        w4.tutor_does("end")
    slider = w4.tutor_browser.get(f"/replays/{w4.live.id}/timeline.json").get_json()
    assert slider["quiet"] and all("sans nouvelle carte" in q["label"] for q in slider["quiet"])
