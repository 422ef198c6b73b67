"""A break is a step of its own kind: the log says so, it opens no board and feeds
nothing, the timer runs it, and every screen shows it calmly (the console as a break
with its timer button, the projector as a full "Pause", the phone with no form).
A log written before steps had a kind folds as it always did."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.live.engine import fold
from app.live.errors import IllegalMove
from app.live.events import Event, EventType
from app.live.state import StepInfo
from app.models import EventContent, SessionEvent
from tests.drivers import TUTOR, AppRoom, LogRoom
from tests.story_room import heard, snapshot, story_room

STEPS = [
    {"id": "welcome", "board": "none"},
    {"id": "break", "board": "none", "kind": "break"},
    {"id": "closing", "board": "none"},
]


@pytest.fixture
def evening(app: Flask, tmp_path: Path, room_for: Callable[..., AppRoom]) -> AppRoom:
    """The test meeting running, Amina's phone in the room."""
    return story_room(app, tmp_path / "workshops", room_for, people=("Amina",))


# -- the engine ------------------------------------------------------------------------------


def test_a_break_is_a_step_with_no_board_that_the_timer_runs():
    room = LogRoom(STEPS, TUTOR).go("break")
    step = room.state.current_step
    assert step.is_break and step.kind == "break" and step.visibility == "room"
    assert room.state.open_board is None  # nothing to write
    room.do(TUTOR, EventType.TIMER_STARTED, seconds=600)
    assert room.state.timer.ends_ms == room.clock + 600_000
    assert room.refused(TUTOR, EventType.BOARD_LOCKED, step="break", on=True) == "no_board"


def test_a_log_written_before_steps_had_a_kind_folds_as_it_always_did():
    old = [{"id": "welcome", "board": "none"}, {"id": "rules", "board": "group_rules"}]
    started = Event(1, EventType.SESSION_STARTED, 0, TUTOR, {"meeting": "w1", "steps": old})
    state = fold([started])
    assert state.steps == (StepInfo("welcome", "none"), StepInfo("rules", "group_rules"))
    assert not any(step.is_break or step.hidden_first for step in state.steps)
    assert state.boards == {}  # no board starts with its cards kept
    said = [{**step, "kind": "activity", "visibility": "room"} for step in old]
    assert fold([Event(1, EventType.SESSION_STARTED, 0, TUTOR, {"steps": said})]).steps == (
        state.steps
    )


def test_a_step_of_an_unknown_kind_or_visibility_is_refused():
    for odd in ({"kind": "nap"}, {"visibility": "secret"}):
        steps = [{"id": "welcome", "board": "none", **odd}]
        with pytest.raises(IllegalMove) as refused:
            fold([Event(1, EventType.SESSION_STARTED, 0, TUTOR, {"steps": steps})])
        assert refused.value.code == "bad_field"


def test_starting_the_session_writes_each_steps_kind_and_visibility_in_the_log(
    evening: AppRoom, app: Flask
):
    with app.app_context():
        body = db.session.scalar(
            select(EventContent.body)
            .join(SessionEvent, SessionEvent.content_id == EventContent.id)
            .where(SessionEvent.session_id == evening.live.id, SessionEvent.seq == 1)
        )
    kinds = {step["id"]: (step["kind"], step["visibility"]) for step in body["steps"]}
    assert kinds["break"] == ("break", "room")
    assert kinds["timeline"] == ("activity", "hidden")
    assert kinds["strengths"] == ("activity", "room")


# -- the screens -------------------------------------------------------------------------------


def test_the_room_hears_the_break_as_a_step_without_a_board(evening: AppRoom):
    heard(evening)
    evening.go("break")
    (moved,) = heard(evening)["projector"]
    assert moved["step_id"] == "break" and moved["open_board"] is None
    assert moved["cards"] == [] and moved["boards"] == []
    phone = snapshot(evening, "Amina")
    assert phone["step_id"] == "break" and phone["open_board"] is None


def test_the_console_shows_the_break_and_its_timer_button(evening: AppRoom):
    page = evening.tutor_browser.get(f"/sessions/{evening.live.id}/console").get_data(as_text=True)
    item = re.search(r'<li class="step-item"[^>]*data-step-id="break"[^>]*>', page)
    assert item and 'data-kind="break"' in item.group(0)
    assert 'data-testid="step-break"' in page
    panel = page[page.index('data-testid="break-panel"') :]
    assert 'data-testid="break-timer"' in panel[: panel.index("</div>")]


def test_the_projector_has_a_calm_pause_for_the_break(evening: AppRoom):
    page = evening.tutor_browser.get(f"/sessions/{evening.live.id}/projector")
    html = page.get_data(as_text=True)
    title = re.search(r'<h1 class="projector-step"[^>]*data-step-id="break"[^>]*>', html)
    assert title and 'data-kind="break"' in title.group(0) and 'data-minutes="10"' in title.group(0)
    pause = html[html.index('data-testid="projector-break"') :]
    pause = pause[: pause.index("</section>")]
    assert "<svg" in pause and "Pause" in pause
    assert 'data-testid="projector-break-clock"' in pause
    assert "data-back-in=" in html and "style=" not in pause  # the CSP forbids style attributes


def test_the_phone_shows_the_break_calmly_with_no_form(evening: AppRoom):
    page = evening.phone_client(evening.people["Amina"]).get(f"/s/{evening.live.id}")
    html = page.get_data(as_text=True)
    prompt = re.search(r'<article class="prompt"[^>]*data-step-id="break".*?</article>', html, re.S)
    assert prompt and 'data-kind="break"' in prompt.group(0)
    assert 'data-testid="break-note"' in prompt.group(0)
    others = re.findall(
        r'<article class="prompt"[^>]*data-step-id="(?!break)[^"]*".*?</article>', html, re.S
    )
    assert others and not any("break-note" in other for other in others)
