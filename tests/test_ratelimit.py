"""Rate limits count the same in one process's memory and in Redis, and in Redis every
server process of a deployment counts together (issue 5: per person, never per address).
"""

from __future__ import annotations

import uuid

import pytest

from app.ratelimit import Limiter, Rules

TIGHT = Rules(
    participant_events="5/minute",
    staff_events="8/minute",
    wrong_codes_per_browser="3/minute",
    wrong_codes_per_address="6/minute",
)


@pytest.fixture(params=["memory", "redis"])
def storage(request: pytest.FixtureRequest) -> str:
    if request.param == "memory":
        return "memory://"
    return request.getfixturevalue("redis_url")


def a_deployment() -> str:
    """A namespace of its own, so runs sharing this Redis never share counters."""
    return f"test-{uuid.uuid4()}"


def test_each_person_has_their_own_allowance(storage: str):
    limiter = Limiter(storage, a_deployment(), TIGHT)

    amina = [limiter.socket_event("p:1") for _ in range(6)]
    tutor = [limiter.socket_event("u:1") for _ in range(9)]

    assert amina == [True] * 5 + [False]
    assert limiter.socket_event("p:2"), "Yusuf, on the same Wi-Fi, is not punished"
    assert tutor == [True] * 8 + [False]


def test_wrong_codes_are_counted_per_browser_and_per_address(storage: str):
    limiter = Limiter(storage, a_deployment(), TIGHT)
    for _ in range(3):
        assert limiter.browser_may_try_code("browser-a")
        limiter.wrong_code("browser-a", "10.0.0.7")

    assert not limiter.browser_may_try_code("browser-a")
    assert limiter.browser_may_try_code("browser-b"), "a neighbour still gets in"
    for _ in range(3):
        limiter.wrong_code("browser-b", "10.0.0.7")
    assert not limiter.address_may_try_code("10.0.0.7"), "the address limit holds"
    assert limiter.browser_may_try_code("browser-c")
    assert limiter.address_may_try_code("10.0.0.8")


def test_two_server_processes_sharing_redis_count_one_persons_events_together(
    redis_url: str,
):
    deployment = a_deployment()
    first, second = Limiter(redis_url, deployment, TIGHT), Limiter(redis_url, deployment, TIGHT)

    # Amina's phone reconnects to whichever process the load balancer picks.
    hits = [(first if i % 2 else second).socket_event("p:1") for i in range(6)]

    assert hits == [True] * 5 + [False]
    assert not first.socket_event("p:1") and not second.socket_event("p:1")


def test_two_deployments_on_one_redis_do_not_share_counters(redis_url: str):
    busy, other = (
        Limiter(redis_url, a_deployment(), TIGHT),
        Limiter(redis_url, a_deployment(), TIGHT),
    )
    for _ in range(5):
        busy.socket_event("p:1")

    assert not busy.socket_event("p:1")
    assert other.socket_event("p:1")
