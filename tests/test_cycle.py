"""Every meeting of the cycle runs from its first step to its end, every board live.

For each meeting a tutor starts, a phone posts a card on every step whose board takes
cards (with the fields that board asks for) and votes on every poll, and the tutor ends
the session. The preparatory meeting is not a room: starting it is refused with a reason.
"""

from __future__ import annotations

import pytest

from app.vocabulary.boards import BOARDS, SELF_ASSESSMENT_QUESTIONS
from app.workshops import load_script
from tests.test_workshops import SHIPPED

CARDS = {
    "group_rules": {"text": "We listen to each other"},
    "free_text": {"text": "Patient and curious"},
    "timeline": {"when": "2016-04", "place": "Tripoli", "text": "I left with my brother"},
    "experiences": {"what": "Mechanic", "setting": "abroad", "kind": "paid"},
    "competences": {"name": "Repairing engines", "category": "professional"},
    "action_plan": {
        "goal": "Work in a garage",
        "actions": [{"what": "Visit the training centre", "deadline": "2027-01"}],
    },
    "self_assessment": dict.fromkeys(SELF_ASSESSMENT_QUESTIONS, "3"),
    "education": {"title": "Accounting diploma", "type": "diploma", "country": "Syria"},
    "cv_lines": {"headline": "Mechanic", "about": "Patient and careful."},
    "programme_feedback": {
        "confidence": "more",
        "helped": "Meeting people",
        "change": "Longer breaks",
    },
}
SCRIPT = load_script(SHIPPED)
LIVE_MEETINGS = [slug for slug in SCRIPT.slugs() if not SCRIPT.reference(slug).is_interview]


@pytest.mark.parametrize("slug", LIVE_MEETINGS)
def test_a_tutor_runs_the_meeting_from_start_to_end(slug, room_for):
    room = room_for(slug)
    console = room.console
    _, phone = room.phone()
    steps = SCRIPT.reference(slug).steps
    seen_boards = set()

    for index, step in enumerate(steps):
        if index:
            ack = console.emit("step", {"delta": 1}, namespace="/tutor", callback=True)
            assert ack["ok"], (slug, step.id, ack)
        if step.board in CARDS:
            ack = phone.emit(
                "post",
                {
                    "client_id": f"{slug[:20]}-{index:04d}",
                    "board": step.board,
                    "fields": CARDS[step.board],
                },
                namespace="/participant",
                callback=True,
            )
            assert ack["ok"], (slug, step.id, ack)
            seen_boards.add(step.board)
        elif step.board == "poll":
            ack = phone.emit(
                "vote",
                {"step": step.id, "target": "option:0"},
                namespace="/participant",
                callback=True,
            )
            assert ack["ok"], (slug, step.id, ack)
            board = phone.emit("sync", namespace="/participant", callback=True)["board"]
            poll = next(b for b in board["boards"] if b["step"] == step.id)
            assert poll["tally"] == {"option:0": 1} and poll["options"] == len(step.poll_options)
            seen_boards.add("poll")

    assert console.emit("end", namespace="/tutor", callback=True)["ok"]
    snapshot = console.emit("sync", namespace="/tutor", callback=True)["board"]
    assert snapshot["status"] == "ended"
    # The tutor reads every card but the private answers (only their author does) and the
    # anonymous feedback nobody showed (only counted until the tutor shows the cards).
    shown = [
        s
        for s in steps
        if s.board in CARDS and not BOARDS[s.board].private and not BOARDS[s.board].authorless
    ]
    assert len(snapshot["cards"]) == len(shown)
    assert seen_boards == {s.board for s in steps} - {"none"}


def test_the_preparatory_meeting_is_not_offered_or_started_as_a_room(
    make_cohort, make_staff, staff_client, in_db
):
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import LiveSession

    cohort = make_cohort()
    browser = staff_client(make_staff(cohort))
    dashboard = browser.get("/tutor").get_data(as_text=True)
    assert 'value="w4-professional-competences"' in dashboard
    assert 'value="w0-preparatory"' not in dashboard
    page = browser.post(
        f"/cohorts/{cohort.id}/sessions",
        data={f"c{cohort.id}-meeting": "w0-preparatory"},
        follow_redirects=True,
    )
    assert page.status_code == 200
    assert in_db(lambda: db.session.scalar(select(func.count(LiveSession.id)))) == 0
