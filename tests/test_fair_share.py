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


def test_socket_io_has_its_own_door():
    clock, pauses, served = Clock(), [], []
    fair = door(clock, pauses, served)
    for _ in range(20):
        assert ask(fair, path="/socket.io/", cookie="mp_device=amina")["status"] == "200 OK"


def test_a_share_is_read_from_the_limits_notation():
    assert share(3, "40/5 seconds") == Share(at_once=3, burst=40.0, per_second=8.0)
