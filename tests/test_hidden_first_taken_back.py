"""A story taken back stays taken back: on a hidden-first step the author's last choice
wins, for the past too. A replay (shared with trainees) and a rehearsal taken over from
it draw a story, and its place and date, only as its author still showed them at the
end of the session; taking a card back takes its place and date back with it.

The meeting is the small script of tests/test_hidden_first.py.
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
from app.live import store
from app.live.disclosure import retellable, room_fields
from app.live.engine import admit
from app.live.errors import IllegalMove
from app.live.events import EventType as E
from app.live.replay import Recording
from app.live.views import Audience
from app.live.views import snapshot as snapshot_of
from app.models import LiveSession
from app.rehearsal import start
from app.rehearsal.start import take_over
from tests.drivers import AMINA, TUTOR, AppRoom, LogRoom
from tests.story_room import (
    PLACE,
    STORY,
    WHEN,
    post_story,
    projector_cards,
    reveal,
    show,
    story_room,
)

TAKEN_BACK = "My brother stayed behind, call me on 06 12 34 56 78"
COOK = {"what": "Cook", "where": "Hotel Africa, Tunis", "when": "2012/2016"}
WELDER = {"what": "Welder in Misrata", "where": "Misrata", "when": "2018"}


@pytest.fixture
def room(app: Flask, tmp_path: Path, room_for: Callable[..., AppRoom]) -> AppRoom:
    """The test meeting on its pathway step, Amina and Yusuf in the room."""
    return story_room(app, tmp_path / "workshops", room_for, "timeline")


def replay_frames(room: AppRoom) -> list[dict[str, Any]]:
    """Every frame of the finished session's replay, as its reviewer reads them."""
    session = room.live.id
    timeline = room.tutor_browser.get(f"/replays/{session}/timeline.json").get_json()
    return [
        room.tutor_browser.get(f"/replays/{session}/frame/{seq}").get_json()
        for seq in range(1, timeline["last_seq"] + 1)
    ]


def experience(room: AppRoom, name: str, fields: dict[str, str]) -> int:
    fields = {**fields, "setting": "abroad", "kind": "paid"}
    return room.post(room.phones[name], "experiences", fields, f"exp-{name}-0001")["seq"]


# -- the replay ---------------------------------------------------------------------------


def test_a_story_taken_back_before_the_end_is_in_no_frame_of_the_replay(room: AppRoom):
    amina = post_story(room, "Amina")
    yusuf = post_story(room, "Yusuf", text=TAKEN_BACK, place="Tripoli")
    show(room, "Amina", amina, shown=True, details=True)
    show(room, "Yusuf", yusuf, shown=True)
    reveal(room)
    room.tutor_does("spotlight", card_id=yusuf)
    # The room saw both. Then Yusuf takes his story back, Amina its place and date.
    show(room, "Yusuf", yusuf, shown=False)
    show(room, "Amina", amina, shown=True, details=False)
    room.tutor_does("end")

    frames = replay_frames(room)
    assert any(STORY in json.dumps(frame) for frame in frames)  # what Amina still shows
    for frame in frames:
        drawn = json.dumps(frame)
        assert "My brother stayed behind" not in drawn and "Tripoli" not in drawn
        assert PLACE not in drawn and WHEN not in drawn
        assert frame["board"]["wall"]["spotlight"] != yusuf  # not alone on the wall either
    # Nor in what the reviewer reads before sharing (his card gives a phone number).
    timeline = room.tutor_browser.get(f"/replays/{room.live.id}/timeline.json").get_json()
    assert yusuf not in [found["seq"] for found in timeline["named_inside"]]


def test_a_rehearsal_taken_over_retells_a_story_only_as_its_author_left_it(
    room: AppRoom, app: Flask
):
    room.go("abroad")
    cook = experience(room, "Amina", COOK)
    welder = experience(room, "Yusuf", WELDER)
    show(room, "Amina", cook, shown=True, details=True)
    show(room, "Yusuf", welder, shown=True, details=True)
    moment = room.tutor_does("board_until_reveal", step="abroad", on=False)["seq"]
    # After the moment taken over: Yusuf takes his back, Amina its place and date.
    show(room, "Yusuf", welder, shown=False)
    show(room, "Amina", cook, shown=True, details=False)
    room.tutor_does("end")

    source = room.live.id
    taken = room.tutor_browser.post(f"/replays/{source}/take-over", data={"seq": moment})
    assert taken.status_code == 302
    with app.app_context():
        copy = db.session.scalar(
            select(LiveSession).where(LiveSession.taken_over_from_id == source)
        )
        told = json.dumps([e.payload for e in store.events_after(db.session, copy.id)])
    assert "Cook" in told
    for words in ("Hotel Africa", "2012/2016", "Welder", "Misrata", "2018"):
        assert words not in told, words


# -- the choice on the phone ------------------------------------------------------------


def test_taking_a_card_back_takes_back_its_place_and_date_too(room: AppRoom):
    card = post_story(room)
    reveal(room)
    show(room, "Amina", card, shown=True, details=True)
    kept = {"client_id": "show-kept-0001", "card_id": card, "shown": False, "details": True}
    ack = room.phones["Amina"].emit("show", kept, namespace="/participant", callback=True)
    assert ack["ok"] is False and ack["error"] == "details_need_shown"
    show(room, "Amina", card, shown=False, details=False)
    # Shown again: the story, and its place and date only once chosen afresh.
    show(room, "Amina", card, shown=True, details=False)
    (seen,) = projector_cards(room)
    assert seen["fields"] == {"text": STORY}


def test_an_evening_stored_before_that_rule_still_replays():
    """A log may hold "not shown, place and date shown" from before: it folds, and the
    room sees nothing of the card; a new move of that kind is refused."""
    steps = [{"id": "welcome", "board": "none"}]
    steps.append({"id": "timeline", "board": "timeline", "visibility": "hidden"})
    room = LogRoom(steps, TUTOR).go("timeline")
    card = room.post(AMINA, "timeline", when=WHEN, place=PLACE, text=STORY)
    room.do(TUTOR, E.BOARD_UNTIL_REVEAL, step="timeline", on=False)
    room.do(AMINA, E.CARD_SHOWN, card_id=card, shown=True, details=True)
    room.do(AMINA, E.CARD_SHOWN, card_id=card, shown=False, details=True)  # stored before
    assert Recording(room.log).final == room.state
    assert snapshot_of(room.state, Audience.PROJECTOR, {}, 0)["cards"] == []

    room.do(AMINA, E.CARD_SHOWN, card_id=card, shown=True, details=False)
    kept = room.event(AMINA, E.CARD_SHOWN, {"card_id": card, "shown": False, "details": True})
    with pytest.raises(IllegalMove) as refused:
        admit(room.state, kept)
    assert refused.value.code == "details_need_shown"


# -- retelling ----------------------------------------------------------------------------


def test_a_story_is_retold_without_its_place_only_where_its_board_can_do_without():
    steps = [{"id": "welcome", "board": "none"}]
    steps += [
        {"id": "timeline", "board": "timeline", "visibility": "hidden"},
        {"id": "abroad", "board": "experiences", "visibility": "hidden"},
    ]
    room = LogRoom(steps, TUTOR).go("timeline")
    step = room.post(AMINA, "timeline", when=WHEN, place=PLACE, text=STORY)
    room.do(AMINA, E.CARD_SHOWN, card_id=step, shown=True, details=False)
    room.go("abroad")
    job = room.post(AMINA, "experiences", setting="abroad", kind="paid", **COOK)
    room.do(AMINA, E.CARD_SHOWN, card_id=job, shown=True, details=False)
    pathway, cook = room.state.cards[step], room.state.cards[job]
    assert not retellable(pathway, room.state)  # a pathway's step needs its date
    assert retellable(cook, room.state)
    assert "where" not in room_fields(cook, room.state)
    room.do(AMINA, E.CARD_SHOWN, card_id=step, shown=True, details=True)
    assert retellable(room.state.cards[step], room.state)


def test_a_take_over_does_not_hide_a_refusal_unrelated_to_the_cards_left_out(
    room: AppRoom, app: Flask, monkeypatch: pytest.MonkeyPatch
):
    post_story(room)  # never shown: left out of any rehearsal
    room.tutor_does("timer_start", seconds=60)
    room.tutor_does("end")
    retold = start._retold_payload

    def mistold(event: Any, *args: Any) -> dict[str, Any]:
        """A retelling with a fault of its own, on a move no story is part of."""
        payload = retold(event, *args)
        if event.type is E.TIMER_STARTED:
            payload["seconds"] = -60
        return payload

    monkeypatch.setattr(start, "_retold_payload", mistold)
    with app.app_context():
        source = db.session.get(LiveSession, room.live.id)
        trainee = db.session.merge(room.tutor)
        with pytest.raises(IllegalMove):
            take_over(db.session, trainee, source, source.last_seq - 1)
        db.session.rollback()
