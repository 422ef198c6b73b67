"""The tutor's hand on the room's wall: the board's pages, one card alone, the join panel,
the group's rules, and letting everyone in at once. Every screen hears the same wall."""

from __future__ import annotations

from typing import Any

import pytest

from app.extensions import db
from app.live.engine import apply
from app.live.errors import IllegalMove
from app.live.events import Event, EventType
from app.live.state import Wall
from app.live.store import load_state
from app.models import Membership, MembershipStatus
from app.permissions import Role
from tests.drivers import board_messages

W1 = {"welcome": 0, "presentations": 1, "group-rules": 2}
RULE = "We listen to each other without interrupting."


@pytest.fixture
def room(
    make_cohort, make_staff, make_participant, start_live, staff_client, phone_client, socket_for
):
    """Workshop 1 running: the tutor's console, the projector and one phone."""

    class Room:
        cohort = make_cohort()
        staff = make_staff(cohort)
        live = start_live(cohort, staff, "w1-presentation")
        browser = staff_client(staff)
        console = socket_for(browser, "/tutor", live)
        projector = socket_for(browser, "/projector", live)
        amina = make_participant(cohort, name="Amina")
        phone = socket_for(phone_client(amina), "/participant", live)

        def tutor(self, event: str, **data: Any) -> dict[str, Any]:
            return self.console.emit(event, data, namespace="/tutor", callback=True)

        def console_of(self, live: Any) -> Any:
            return socket_for(self.browser, "/tutor", live)

        def go(self, step: str) -> None:
            assert self.tutor("step", index=W1[step])["ok"]

        def post_rule(self, text: str, client_id: str) -> int:
            ack = self.phone.emit(
                "post",
                {"client_id": client_id, "board": "group_rules", "fields": {"text": text}},
                namespace="/participant",
                callback=True,
            )
            assert ack["ok"], ack
            return ack["seq"]

        def walls(self) -> dict[str, dict[str, Any]]:
            """The wall as each screen last heard it."""
            heard = {}
            for name, sock, namespace in (
                ("console", self.console, "/tutor"),
                ("projector", self.projector, "/projector"),
                ("phone", self.phone, "/participant"),
            ):
                heard[name] = board_messages(sock, namespace)[-1]["wall"]
            return heard

    return Room()


def test_the_tutor_turns_the_walls_page_and_every_screen_hears_it(room):
    room.go("group-rules")
    assert room.tutor("wall_page", step="group-rules", page=1)["ok"]
    walls = room.walls()
    assert {w["page"] for w in walls.values()} == {1}
    room.go("presentations")  # a new step starts on its first page
    assert room.walls()["projector"]["page"] == 0


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"step": "presentations", "page": 1}, "not_current_step"),
        ({"step": "welcome", "page": 1}, "no_board"),
        ({"step": "group-rules", "page": -1}, "bad_page"),
        ({"step": "group-rules", "page": "2"}, "bad_request"),
        ({"step": "nowhere", "page": 1}, "no_such_step"),
    ],
)
def test_a_page_of_another_step_or_of_nothing_is_refused_in_words(room, data, code):
    room.go("group-rules")
    ack = room.tutor("wall_page", **data)
    assert ack["ok"] is False and ack["error"] == code and ack["message"]


def test_one_card_alone_on_the_wall_then_the_board_again(room):
    room.go("group-rules")
    card = room.post_rule(RULE, "amina-rule-0001")
    assert room.tutor("spotlight", card_id=card)["ok"]
    assert room.walls()["projector"]["spotlight"] == card
    assert room.tutor("spotlight", card_id=card)["error"] == "no_change"
    assert room.tutor("spotlight", card_id=None)["ok"]
    assert room.walls()["phone"]["spotlight"] is None


def test_a_hidden_card_cannot_be_put_alone_on_the_wall(room):
    room.go("group-rules")
    card = room.post_rule(RULE, "amina-rule-0001")
    assert room.tutor("hide", card_id=card, reason="")["ok"]
    assert room.tutor("spotlight", card_id=card)["error"] == "card_hidden"
    assert room.tutor("spotlight", card_id=card + 999)["error"] == "no_such_card"


def test_the_join_panel_follows_the_tutor_and_refuses_a_size_it_does_not_have(room):
    assert room.tutor("join_panel", shown="small")["ok"]
    assert room.walls()["projector"]["join"] == "small"
    assert room.tutor("join_panel", shown="huge")["error"] == "bad_request"
    assert room.tutor("join_panel", shown="small")["error"] == "no_change"


def test_the_room_knows_how_many_people_are_present(room):
    heard = board_messages(room.projector, "/projector")
    assert heard[-1]["present_count"] == 1  # Amina's phone arrived


def test_rules_go_on_the_wall_only_once_the_group_has_adopted_one(room):
    assert room.tutor("wall_rules", on=True)["error"] == "no_rules"
    room.go("group-rules")
    card = room.post_rule(RULE, "amina-rule-0001")
    assert room.tutor("adopt", card_id=card, adopted=True)["ok"]
    assert room.tutor("wall_rules", on=True)["ok"]
    assert room.walls()["projector"]["rules"] is True
    room.go("presentations")  # a new step takes them off
    assert room.walls()["projector"]["rules"] is False


def test_the_rules_adopted_last_week_are_on_this_weeks_projector_page(room, start_live):
    room.go("group-rules")
    card = room.post_rule(RULE, "amina-rule-0001")
    room.tutor("adopt", card_id=card, adopted=True)
    assert room.tutor("end")["ok"]
    week2 = start_live(room.cohort, room.staff, "w2-migration")
    page = room.browser.get(f"/sessions/{week2.id}/projector").get_data(as_text=True)
    assert RULE in page
    console = room.console_of(week2)
    ack = console.emit("wall_rules", {"on": True}, namespace="/tutor", callback=True)
    assert ack["ok"], ack


def test_let_everyone_in_admits_each_person_waiting_and_each_phone_is_told(
    room, make_participant, phone_client, socket_for, in_db
):
    waiting = [make_participant(room.cohort, name=n, admitted=False) for n in ("Lena", "Yusuf")]
    phones = [socket_for(phone_client(p), "/participant", room.live) for p in waiting]
    for phone in phones:
        phone.get_received("/participant")
    ack = room.tutor("admit_all")
    assert ack["ok"] and ack["admitted"] == 2
    statuses = in_db(
        lambda: {
            m.participant_id: m.status
            for m in db.session.query(Membership).filter_by(cohort_id=room.cohort.id)
        }
    )
    assert all(statuses[p.id] == MembershipStatus.ADMITTED for p in waiting)
    for phone in phones:
        assert any(
            m.get("you_are_admitted") for m in board_messages(phone, "/participant", "personal")
        )
    nobody = room.tutor("admit_all")
    assert nobody["ok"] and nobody["admitted"] == 0
    assert room.tutor("admit_all", extra=1)["error"] == "bad_request"


def test_a_trainee_cannot_let_everyone_in_nor_touch_the_wall(
    room, make_staff, staff_client, socket_for
):
    trainee = make_staff(room.cohort, role=Role.TRAINEE)
    console = socket_for(staff_client(trainee), "/tutor", room.live)
    for event, data in (
        ("admit_all", {}),
        ("wall_rules", {"on": True}),
        ("join_panel", {"shown": "small"}),
    ):
        ack = console.emit(event, data, namespace="/tutor", callback=True)
        assert ack["ok"] is False and ack["error"] == "not_allowed", (event, ack)


def test_the_projector_tells_the_consoles_how_many_pages_a_board_takes(room):
    room.go("group-rules")
    room.console.get_received("/tutor")
    ack = room.projector.emit(
        "wall_pages", {"step": "group-rules", "pages": 3}, namespace="/projector", callback=True
    )
    assert ack == {"ok": True}
    heard = board_messages(room.console, "/tutor", "wall_pages")
    assert heard == [{"step": "group-rules", "pages": 3}]
    assert not board_messages(room.phone, "/participant", "wall_pages")
    for bad in ({"step": "group-rules", "pages": 0}, {"step": "group-rules", "pages": "3"}, {}):
        ack = room.projector.emit("wall_pages", bad, namespace="/projector", callback=True)
        assert ack["ok"] is False


def test_the_wall_is_folded_from_the_log_like_everything_else(room, in_db):
    room.go("group-rules")
    room.tutor("wall_page", step="group-rules", page=2)
    room.tutor("join_panel", shown="large")
    state = in_db(lambda: load_state(db.session, room.live.id))
    assert state.wall == Wall(page=2, spotlight=None, join="large", rules=False)


def test_an_ended_session_takes_no_change_of_its_wall(room, in_db):
    room.tutor("end")
    state = in_db(lambda: load_state(db.session, room.live.id))
    event = Event(state.seq + 1, EventType.WALL_JOIN, 0, None, {"shown": "small"})
    with pytest.raises(IllegalMove):
        apply(state, event)


def test_a_console_that_opens_asks_the_projector_for_its_page_count_again(room):
    room.projector.get_received("/projector")
    room.console_of(room.live)  # the tutor reloads the console
    heard = [m["name"] for m in room.projector.get_received("/projector")]
    assert "wall_pages_wanted" in heard


def test_the_projector_expects_the_group_as_it_was_when_the_session_began(room, start_live):
    """Amina was let in tonight: she is arriving, not expected (a reload keeps it so)."""
    page = room.browser.get(f"/sessions/{room.live.id}/projector").get_data(as_text=True)
    assert 'data-expected="0"' in page
    assert room.tutor("end")["ok"]
    week2 = start_live(room.cohort, room.staff, "w2-migration")
    page = room.browser.get(f"/sessions/{week2.id}/projector").get_data(as_text=True)
    assert 'data-expected="1"' in page
