"""Each client's fair share of the loop: a phone's burst is its own, the strangers of an
address share theirs, and a refusal comes after a pause, before the application runs."""

from __future__ import annotations

from typing import Any

from app.fair_share import FairShare, Share, share


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def app_answering(served: list[str]) -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        served.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b"ok"]

    return app


def door(clock: Clock, pauses: list[float], served: list[str]) -> FairShare:
    return FairShare(
        app_answering(served),
        client=Share(at_once=2, burst=3, per_second=1),
        address=Share(at_once=4, burst=5, per_second=2),
        identify=lambda cookies: cookies.get("mp_device", ""),
        refusal=lambda: b"Too many requests at once.",
        pause=pauses.append,
        clock=clock,
    )


def ask(share_: FairShare, path: str = "/me", cookie: str = "", address: str = "10.0.0.1"):
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"], answer["headers"] = status, dict(headers)

    answer["body"] = b"".join(
        share_(
            {"PATH_INFO": path, "REMOTE_ADDR": address, "HTTP_COOKIE": cookie},
            start_response,
        )
    )
    return answer


def test_a_phones_burst_is_its_own_and_refills_at_its_rate():
    clock, pauses, served = Clock(), [], []
    fair = door(clock, pauses, served)
    statuses = [ask(fair, cookie="mp_device=amina")["status"] for _ in range(4)]
    assert statuses == ["200 OK"] * 3 + ["429 Too Many Requests"]
    assert ask(fair, cookie="mp_device=yusuf")["status"] == "200 OK"  # same Wi-Fi, own share
    clock.now += 1.0
    assert ask(fair, cookie="mp_device=amina")["status"] == "200 OK"
    assert len(served) == 5


def test_the_strangers_of_an_address_share_one_bucket_and_another_address_has_its_own():
    clock, pauses, served = Clock(), [], []
    fair = door(clock, pauses, served)
    assert [ask(fair)["status"] for _ in range(5)] == ["200 OK"] * 5
    refused = ask(fair)
    assert refused["status"] == "429 Too Many Requests"
    assert refused["body"] == b"Too many requests at once." and refused["headers"]["Retry-After"]
    assert ask(fair, address="10.0.0.2")["status"] == "200 OK"
    assert ask(fair, cookie="mp_device=amina")["status"] == "200 OK"  # a phone is not a stranger


def test_a_refusal_waits_before_it_answers_and_never_reaches_the_application():
    clock, pauses, served = Clock(), [], []
    fair = door(clock, pauses, served)
    for _ in range(8):
        ask(fair, cookie="mp_device=script")
    assert served == ["/me"] * 3
    assert pauses == [1.0] * 5


def test_a_share_is_read_from_the_limits_notation():
    assert share(3, "40/5 seconds") == Share(at_once=3, burst=40.0, per_second=8.0)


def test_many_phone_cookies_from_one_address_get_no_more_than_a_large_room():
    clock, pauses, served = Clock(), [], []
    fair = door(clock, pauses, served)  # strangers: a burst of 5; known clients: 5 × 5
    answers = [ask(fair, cookie=f"mp_device=bot{n}")["status"] for n in range(40)]
    assert answers.count("200 OK") == 25
    assert ask(fair, cookie="mp_device=late", address="10.0.0.2")["status"] == "200 OK"


def test_buckets_of_clients_gone_quiet_are_forgotten(monkeypatch):
    import app.fair_share as fair_share

    monkeypatch.setattr(fair_share, "_MAX_BUCKETS", 50)
    clock, pauses, served = Clock(), [], []
    fair = door(clock, pauses, served)
    for n in range(60):
        ask(fair, cookie=f"mp_device=p{n}", address=f"10.1.{n}.1")
        clock.now += 10  # each bucket is full again long before the next client comes
    assert len(fair._buckets) < 50


def test_the_health_check_and_socket_io_have_their_own_door():
    clock, pauses, served = Clock(), [], []
    fair = door(clock, pauses, served)
    for path in ["/socket.io/"] * 20 + ["/healthz"] * 20:
        assert ask(fair, path=path, cookie="mp_device=amina")["status"] == "200 OK"


def test_a_pages_scripts_have_a_bucket_of_their_own_so_a_reload_never_loses_them():
    clock, pauses, served = Clock(), [], []
    fair = door(clock, pauses, served)  # pages: a burst of 3; static files: 4 × 3
    assert [ask(fair, cookie="mp_device=amina")["status"] for _ in range(4)][-1].startswith("429")
    scripts = [ask(fair, path="/static/js/live.js", cookie="mp_device=amina") for _ in range(12)]
    assert all(answer["status"] == "200 OK" for answer in scripts)
    assert ask(fair, path="/sw.js", cookie="mp_device=amina")["status"].startswith("429")
