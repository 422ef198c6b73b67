"""Rate limits: on what a person does over Socket.IO, and on wrong codes at the door.

Limits are keyed on who acts (a participant, a tutor), never on the IP address alone:
the whole room shares one Wi-Fi address. Wrong codes are counted twice: per browser
(tight, so one person mistyping meets it alone) and per address (room-sized, so a
script that throws its cookies away still meets a limit, and a room never does).

Counters live in the `limits` library's storage: memory for one server process,
Redis when the processes share a message queue, so every process counts together.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


@dataclass(frozen=True)
class Rules:
    """The limits themselves, in the `limits` notation ("30/10 seconds"). The socket
    ones can be tuned per deployment (MIGRAPASS_RATE_LIMIT_PARTICIPANT / _STAFF)."""

    participant_events: str = "30/10 seconds"
    staff_events: str = "60/10 seconds"
    wrong_codes_per_browser: str = "10/10 minutes"
    wrong_codes_per_address: str = "60/10 minutes"


class Limiter:
    def __init__(self, storage_uri: str, namespace: str, rules: Rules | None = None) -> None:
        self._window = MovingWindowRateLimiter(storage_from_string(storage_uri))
        # Deployments (and test runs) sharing one Redis must not share counters.
        self._namespace = hashlib.sha256(namespace.encode()).hexdigest()[:12]
        self.rules = rules or Rules()

    def _hit(self, rule: str, *key: str) -> bool:
        return self._window.hit(_item(rule), self._namespace, *key)

    def _room_left(self, rule: str, *key: str) -> bool:
        return self._window.test(_item(rule), self._namespace, *key)

    def socket_event(self, who: str) -> bool:
        """Count one event from `who` ("p:12", "u:3"); False means too many just now."""
        rule = self.rules.participant_events if who.startswith("p:") else self.rules.staff_events
        return self._hit(rule, "socket", who)

    def may_try_code(self, browser: str, address: str) -> bool:
        return self._room_left(
            self.rules.wrong_codes_per_browser, "code", "browser", browser
        ) and self._room_left(self.rules.wrong_codes_per_address, "code", "address", address)

    def wrong_code(self, browser: str, address: str) -> None:
        self._hit(self.rules.wrong_codes_per_browser, "code", "browser", browser)
        self._hit(self.rules.wrong_codes_per_address, "code", "address", address)


def _item(rule: str) -> RateLimitItem:
    return parse(rule)


def current() -> Limiter:
    """The application's limiter (made in `create_app`)."""
    from flask import current_app

    return current_app.extensions["migrapass.limiter"]
