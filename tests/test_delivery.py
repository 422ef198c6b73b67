"""Delivery guarantees in one process: resends store once, a returning screen catches up,
an outbox never speaks for someone else, and nobody can flood the room or guess codes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import SessionEvent
from tests.board_mirror import mirror_of

JOB = {"what": "Cook", "where": "Tunis", "setting": "abroad", "kind": "paid"}


def sync(sock: Any, namespace: str = "/participant", **data: Any) -> dict[str, Any]:
    return sock.emit("sync", data, namespace=namespace, callback=True)


def stored(w4, in_db) -> int:
    return in_db(
        lambda: db.session.scalar(
            select(func.count())
            .select_from(SessionEvent)
            .where(SessionEvent.session_id == w4.live.id)
        )
    )


def test_a_resent_card_is_stored_once_and_acknowledged_with_the_same_seq(w4, in_db):
    _amina, phone = w4.phone("Amina")
    w4.go("my-experiences")
    first = w4.post(phone, "experiences", JOB, "amina-card-0001")
    before = stored(w4, in_db)

    again = w4.post(phone, "experiences", JOB, "amina-card-0001")

    assert again == {"ok": True, "seq": first["seq"], "duplicate": True}
    assert stored(w4, in_db) == before


def test_someone_elses_client_id_is_refused_and_reveals_nothing(w4, in_db):
    _amina, amina = w4.phone("Amina")
    _yusuf, yusuf = w4.phone("Yusuf")
    w4.go("my-experiences")
    w4.post(amina, "experiences", JOB, "amina-card-0001")
    before = stored(w4, in_db)

    ack = yusuf.emit(
        "post",
        {"client_id": "amina-card-0001", "board": "experiences", "fields": JOB},
        namespace="/participant",
        callback=True,
    )

    assert ack["ok"] is False and ack["error"] == "bad_request"
    assert "seq" not in ack
    assert stored(w4, in_db) == before


def test_a_card_queued_for_one_person_is_never_sent_as_another(w4, in_db):
    amina, _ = w4.phone("Amina")
    _yusuf, yusuf = w4.phone("Yusuf")
    w4.go("my-experiences")
    before = stored(w4, in_db)

    ack = yusuf.emit(
        "post",
        {"client_id": "amina-card-0001", "board": "experiences", "fields": JOB, "as": amina.id},
        namespace="/participant",
        callback=True,
    )

    assert ack["ok"] is False and ack["error"] == "not_you"
    assert stored(w4, in_db) == before


def test_the_phone_is_told_whom_its_connection_speaks_for(w4):
    amina, phone = w4.phone("Amina")
    assert sync(phone)["board"]["you"] == amina.id


def test_a_phone_back_from_a_short_gap_gets_exactly_what_it_missed(w4):
    _amina, amina = w4.phone("Amina")
    _yusuf, yusuf = w4.phone("Yusuf")
    seen = mirror_of(sync(amina))

    # While Amina's phone sleeps: the room moves on, Yusuf and Amina's other tab post.
    w4.go("my-experiences")
    w4.post(yusuf, "experiences", JOB, "yusuf-card-0001")
    w4.post(amina, "experiences", {**JOB, "what": "Waiter"}, "amina-card-0001")
    w4.tutor_does("board_anonymous", step="my-experiences", on=True)
    w4.post(yusuf, "experiences", {**JOB, "what": "Driver"}, "yusuf-card-0002")

    answer = sync(amina, after=seen.last_seq)
    assert "missed" in answer and len(answer["missed"]) >= 5
    seen.catch_up(answer)

    assert seen.gaps == 0
    assert seen.view() == mirror_of(sync(amina)).view()
    assert {c["fields"]["what"] for c in seen.own.values()} == {"Waiter"}


def test_the_tutor_and_projector_catch_up_too(w4):
    _amina, amina = w4.phone("Amina")
    console = mirror_of(sync(w4.console, "/tutor"))
    w4.go("my-experiences")
    w4.post(amina, "experiences", JOB, "amina-card-0001")
    w4.tutor_does("note", text="Amina spoke first")

    answer = sync(w4.console, "/tutor", after=console.last_seq)
    console.catch_up(answer)

    assert answer["members"] and "waiting" in answer
    assert console.view() == mirror_of(sync(w4.console, "/tutor")).view()


def test_a_long_gap_or_an_unknown_seq_gets_a_whole_snapshot(w4, monkeypatch):
    monkeypatch.setattr("app.live.catchup.CATCH_UP_MAX", 3)
    _amina, amina = w4.phone("Amina")
    w4.go("my-experiences")
    for i in range(4):
        w4.tutor_does("note", text=f"note {i}")

    assert "board" in sync(amina, after=0)
    assert "board" in sync(amina, after=10_000)  # a seq from another (restored) database
    assert "board" in sync(amina, after=-1)  # a screen that never had a board
    assert sync(amina, after="12")["error"] == "bad_request"


@pytest.fixture
def tight_limits(app):
    limiter = app.extensions["migrapass.limiter"]
    limiter.rules = replace(limiter.rules, participant_events="5/minute", staff_events="8/minute")
    return limiter


def test_a_phone_that_floods_is_slowed_down_alone(w4, tight_limits):
    _amina, amina = w4.phone("Amina")
    _yusuf, yusuf = w4.phone("Yusuf")

    acks = [sync(amina) for _ in range(7)]

    assert [a["ok"] for a in acks] == [True] * 5 + [False] * 2
    assert acks[-1]["error"] == "too_fast" and acks[-1]["message"]
    assert sync(yusuf)["ok"]  # same Wi-Fi, same address: Yusuf is not punished
    assert sync(w4.console, "/tutor")["ok"]


def test_a_tutor_is_limited_per_person_too(w4, tight_limits):
    acks = [sync(w4.console, "/tutor") for _ in range(9)]
    assert acks[-1]["error"] == "too_fast"


def test_guessing_join_codes_is_stopped_per_browser_without_locking_out_the_room(
    app, client, tight_limits
):
    for _ in range(10):
        assert client.get("/j/ZZZZZZ").status_code == 404
    refused = client.get("/j/ZZZZZZ", headers={"Accept-Language": "en"})
    assert refused.status_code == 429
    assert "Too many wrong codes" in refused.get_data(as_text=True)
    assert client.post("/join", data={"code": "QQQQQQQQ"}).status_code == 429

    neighbour = app.test_client()  # another phone on the same Wi-Fi
    assert neighbour.get("/j/ZZZZZZ").status_code == 404


def test_a_script_throwing_its_cookies_away_meets_the_address_limit(app, tight_limits):
    statuses = [app.test_client().get("/j/ZZZZZZ").status_code for _ in range(61)]
    assert statuses[:60] == [404] * 60
    assert statuses[60] == 429


def test_a_card_too_long_is_refused_with_words_the_person_understands(w4, in_db):
    _amina, phone = w4.phone("Amina")
    w4.go("my-experiences")
    before = stored(w4, in_db)

    ack = phone.emit(
        "post",
        {"client_id": "amina-long-0001", "board": "experiences", "text": "x" * 2001},
        namespace="/participant",
        callback=True,
    )

    assert ack["ok"] is False and ack["error"] == "text_too_long"
    assert stored(w4, in_db) == before
