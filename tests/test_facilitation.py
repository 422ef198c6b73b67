"""Running workshop 4 over Socket.IO: every control, and who hears what.

These tests drive the real handlers with Flask-SocketIO's test client and read the raw
messages each client receives, so a leak of an author's id or a hidden card's text to
the wrong screen fails here, whatever the pages do with it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.extensions import db
from app.live.store import load_state
from tests.drivers import board_messages

SKILL = {"name": "Cooking for a canteen", "category": "professional", "evidence": "Tunis, 5 years"}


def says(sock: Any, event: str, **data: Any) -> dict:
    return sock.emit(event, data, namespace="/participant", callback=True)


def post_skill(sock: Any, client_id: str, **fields: Any) -> dict:
    return says(sock, "post", client_id=client_id, board="competences", fields={**SKILL, **fields})


def raw(sock: Any, namespace: str) -> str:
    """Everything a client received, as one string, to search for leaks."""
    return json.dumps(sock.get_received(namespace), ensure_ascii=False)


def flush(*pairs: tuple[Any, str]) -> None:
    for sock, namespace in pairs:
        sock.get_received(namespace)


def test_an_anonymous_card_reaches_nobody_with_its_author_but_its_author(w4, in_db):
    (_, amina), (_, yusuf) = w4.phone("Amina"), w4.phone("Yusuf")
    w4.go("competences")
    w4.tutor_does("board_until_reveal", step="competences", on=False)  # the room sees them
    w4.tutor_does("board_anonymous", step="competences", on=True)
    flush(
        (w4.console, "/tutor"),
        (w4.projector, "/projector"),
        (amina, "/participant"),
        (yusuf, "/participant"),
    )
    amina_id = w4.people["Amina"].id

    ack = post_skill(amina, "anon-000001", name="Patience with children")
    assert ack["ok"], ack
    snapshots = {
        "console": w4.console.emit("sync", namespace="/tutor", callback=True),
        "projector": w4.projector.emit("sync", namespace="/projector", callback=True),
        "yusuf": yusuf.emit("sync", namespace="/participant", callback=True),
    }

    for name, (sock, ns) in {
        "console": (w4.console, "/tutor"),
        "projector": (w4.projector, "/projector"),
        "yusuf": (yusuf, "/participant"),
    }.items():
        received = raw(sock, ns) + json.dumps(snapshots[name]["board"]["cards"])
        assert "Patience with children" in received, name
        assert "Amina" not in received, f"{name} learnt the author's name"
        assert f'"author_id": {amina_id}' not in received, f"{name} learnt the author's id"
        assert '"author_id": null' in received or name != "console"
    # Her own phone is told it is hers, on her own channel only.
    personal = board_messages(amina, "/participant", "personal")
    assert personal and personal[-1]["own"][0]["anonymous"] is True
    # The log still knows, for her portfolio.
    card = in_db(lambda: load_state(db.session, w4.live.id).cards[ack["seq"]])
    assert card.author_id == amina_id and card.anonymous


def test_cards_wait_unseen_until_the_tutor_reveals_them(w4):
    (_, amina), (_, yusuf) = w4.phone("Amina"), w4.phone("Yusuf")
    w4.go("competences")  # workshop 4's competences start unseen (visibility: later)
    flush((w4.console, "/tutor"), (w4.projector, "/projector"), (yusuf, "/participant"))

    card = post_skill(amina, "hidden-0001", name="Driving a forklift")["seq"]

    assert "forklift" not in raw(w4.projector, "/projector")
    assert "forklift" not in raw(yusuf, "/participant")
    (tutor_patch,) = board_messages(w4.console, "/tutor")
    assert tutor_patch["cards"][0]["text"] == "Driving a forklift"
    assert tutor_patch["cards"][0]["not_revealed"] is True
    board = w4.projector.emit("sync", namespace="/projector", callback=True)["board"]
    assert board["cards"] == []
    assert next(b for b in board["boards"] if b["step"] == "competences")["not_revealed_count"] == 1

    w4.tutor_does("board_until_reveal", step="competences", on=False)

    (reveal,) = board_messages(w4.projector, "/projector")
    assert [c["id"] for c in reveal["cards"]] == [card]
    assert [c["text"] for c in board_messages(yusuf, "/participant")[-1]["cards"]] == [
        "Driving a forklift"
    ]


def test_grouping_and_voting_on_clusters_with_a_budget(w4):
    (_, amina), (_, yusuf) = w4.phone("Amina"), w4.phone("Yusuf")
    w4.go("competences")
    first = post_skill(amina, "skill-00001", name="Cooking")["seq"]
    second = post_skill(yusuf, "skill-00002", name="Baking")["seq"]
    kitchen = w4.tutor_does("cluster_create", step="competences", title="Kitchen")["seq"]
    care = w4.tutor_does("cluster_create", step="competences", title="Care")["seq"]
    w4.tutor_does("group", card_id=first, cluster_id=kitchen)
    w4.tutor_does("group", card_id=second, cluster_id=kitchen)
    w4.tutor_does("voting", step="competences", budget=2)

    assert says(amina, "vote", step="competences", target=f"cluster:{kitchen}")["ok"]
    assert says(amina, "vote", step="competences", target=f"cluster:{care}")["ok"]
    refused = says(amina, "vote", step="competences", target=f"cluster:{care}")
    assert refused["error"] == "no_votes_left" and refused["message"]
    on_people = says(yusuf, "vote", step="competences", target=f"card:{first}")
    assert on_people["error"] == "no_votes_on_people"
    assert says(yusuf, "vote", step="competences", target=f"cluster:{kitchen}")["ok"]

    board = w4.projector.emit("sync", namespace="/projector", callback=True)["board"]
    competences = next(b for b in board["boards"] if b["step"] == "competences")
    assert competences["tally"] == {f"cluster:{kitchen}": 2, f"cluster:{care}": 1}
    assert [c["title"] for c in competences["clusters"]] == ["Kitchen", "Care"]
    mine = amina.emit("sync", namespace="/participant", callback=True)["board"]["own_votes"]
    assert next(m for m in mine if m["step"] == "competences")["votes"] == {
        f"cluster:{kitchen}": 1,
        f"cluster:{care}": 1,
    }


def test_a_participant_edits_and_takes_back_their_own_card_only(w4):
    (_, amina), (_, yusuf) = w4.phone("Amina"), w4.phone("Yusuf")
    w4.go("competences")
    w4.tutor_does("board_until_reveal", step="competences", on=False)  # the room sees them
    card = post_skill(amina, "edit-000001")["seq"]
    assert says(yusuf, "edit", card_id=card, fields=SKILL)["error"] == "not_your_card"
    assert says(amina, "edit", card_id=card, fields={**SKILL, "name": "Cooking for 300"})["ok"]
    board = w4.projector.emit("sync", namespace="/projector", callback=True)["board"]
    assert [c["text"] for c in board["cards"]] == ["Cooking for 300"]
    assert says(amina, "withdraw", card_id=card)["ok"]
    board = w4.projector.emit("sync", namespace="/projector", callback=True)["board"]
    assert board["cards"] == []
    assert amina.emit("sync", namespace="/participant", callback=True)["board"]["own"] == []


def test_a_tutor_posts_for_someone_without_a_phone(w4, make_participant):
    w4.go("my-experiences")
    fatou = make_participant(w4.cohort, name="Fatou")
    ack = w4.tutor_does(
        "post",
        board="experiences",
        on_behalf_of=fatou.id,
        fields={"what": "Hairdresser", "setting": "abroad", "kind": "paid"},
    )
    # A work story starts hidden: the tutor shows it as Fatou says, then shows the cards.
    w4.tutor_does("show", card_id=ack["seq"], shown=True, details=False)
    w4.tutor_does("board_until_reveal", step="my-experiences", on=False)
    board = w4.projector.emit("sync", namespace="/projector", callback=True)["board"]
    (card,) = board["cards"]
    assert card["id"] == ack["seq"] and card["author"] == "Fatou"


def test_phones_are_counted_present_and_the_tutor_ticks_the_others(w4, make_participant, in_db):
    w4.phone("Amina")
    fatou = make_participant(w4.cohort, name="Fatou")
    w4.tutor_does("attendance", participant_id=fatou.id, present=True)
    present = in_db(lambda: load_state(db.session, w4.live.id).present)
    assert present == {w4.people["Amina"].id, fatou.id}
    console = w4.console.emit("sync", namespace="/tutor", callback=True)["board"]
    assert sorted(console["present"]) == sorted(present)


def test_private_notes_reach_only_the_tutors(w4):
    _, yusuf = w4.phone("Yusuf")
    flush((w4.projector, "/projector"), (yusuf, "/participant"))
    w4.tutor_does("note", text="Yusuf spoke for the first time today")
    assert "first time" not in raw(w4.projector, "/projector")
    assert "first time" not in raw(yusuf, "/participant")
    notes = w4.console.emit("sync", namespace="/tutor", callback=True)["board"]["notes"]
    assert [n["text"] for n in notes] == ["Yusuf spoke for the first time today"]


def test_the_timer_is_the_servers_and_survives_a_reload(w4):
    w4.tutor_does("timer_start", seconds=900)
    _, phone = w4.phone("Amina")
    board = phone.emit("sync", namespace="/participant", callback=True)["board"]
    assert board["timer"]["ends_ms"] - board["now_ms"] == pytest.approx(900_000, abs=5_000)
    w4.tutor_does("timer_pause")
    board = w4.projector.emit("sync", namespace="/projector", callback=True)["board"]
    assert board["timer"]["ends_ms"] is None
    assert board["timer"]["remaining_ms"] == pytest.approx(900_000, abs=5_000)


def test_merging_a_second_name_moves_its_cards_and_its_phone(w4, phone_client, socket_for):
    _, amina = w4.phone("Amina")
    w4.go("competences")
    card = post_skill(amina, "merge-00001")["seq"]
    _, kept = w4.phone("Amina B.")
    kept_id, absorbed_id = w4.people["Amina B."].id, w4.people["Amina"].id
    flush(
        (amina, "/participant"),
    )

    w4.tutor_does("merge", kept=kept_id, absorbed=absorbed_id)

    personal = board_messages(amina, "/participant", "personal")
    assert personal[-1]["identity_changed"] is True
    own = kept.emit("sync", namespace="/participant", callback=True)["board"]["own"]
    assert [c["id"] for c in own] == [card]
    again = socket_for(phone_client(w4.people["Amina"]), "/participant", w4.live)
    mine = again.emit("sync", namespace="/participant", callback=True)["board"]["own"]
    assert [c["id"] for c in mine] == [card]  # the old phone now speaks as the kept name


@pytest.mark.parametrize(
    ("event", "data"),
    [
        ("timer_start", {"seconds": "ten"}),
        ("timer_start", {}),
        ("board_lock", {"step": "competences"}),
        ("board_lock", {"step": "competences", "on": True, "extra": 1}),
        ("voting", {"step": 3, "budget": 2}),
        ("group", {"card_id": "1", "cluster_id": None}),
        ("note", {"text": "x" * 2001}),
        ("cluster_create", {"step": "competences", "title": "x" * 81}),
        ("post", {"board": "experiences", "fields": "what"}),
        ("merge", {"kept": 1}),
    ],
)
def test_malformed_tutor_commands_get_a_clear_refusal(w4, event, data):
    ack = w4.console.emit(event, data, namespace="/tutor", callback=True)
    too_long = any(isinstance(v, str) and len(v) > 80 for v in data.values())
    expected = "text_too_long" if too_long else "bad_request"
    assert ack["ok"] is False and ack["error"] == expected and ack["message"]


@pytest.mark.parametrize(
    ("event", "data"),
    [
        ("vote", {"step": "competences"}),
        ("vote", {"step": "competences", "target": ["cluster", 1]}),
        ("stance", {"card_id": 1, "stance": 5}),
        ("edit", {"card_id": 1, "fields": ["x"]}),
        ("withdraw", {}),
        (
            "post",
            {"client_id": "c-00000001", "board": "competences", "on_behalf_of": 3, "fields": SKILL},
        ),
    ],
)
def test_malformed_phone_commands_get_a_clear_refusal(w4, event, data):
    _, phone = w4.phone("Amina")
    w4.go("competences")
    ack = says(phone, event, **data)
    assert ack["ok"] is False and ack["error"] in {"bad_request", "not_allowed"}


def test_a_participant_cannot_send_tutor_commands(w4, phone_client, socket_for):
    _, phone = w4.phone("Amina")
    for event in ("timer_start", "board_until_reveal", "voting", "note", "merge"):
        ack = phone.emit(event, {}, namespace="/participant", callback=True)
        assert ack["ok"] is False and ack["error"] == "unknown_event", event
    sneaky = socket_for(phone_client(w4.people["Amina"]), "/tutor", w4.live)
    assert not sneaky.is_connected("/tutor")


def test_a_trainee_watches_but_runs_nothing(w4, make_staff, staff_client, socket_for):
    from app.permissions import Role

    trainee = make_staff(w4.cohort, role=Role.TRAINEE)
    watcher = socket_for(staff_client(trainee), "/tutor", w4.live)
    for event, data in [
        ("timer_start", {"seconds": 60}),
        ("step", {"index": 1}),
        ("note", {"text": "hi"}),
        ("board_lock", {"step": "competences", "on": True}),
    ]:
        ack = watcher.emit(event, data, namespace="/tutor", callback=True)
        assert ack["error"] == "not_allowed", event
