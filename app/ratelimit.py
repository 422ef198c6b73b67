"""Rate limits: on what a person does over Socket.IO, and on wrong codes at the door.

Limits are keyed on who acts (a participant, a tutor), never on the IP address alone:
the whole room shares one Wi-Fi address. Wrong codes are counted twice: per browser
(tight, so one person mistyping meets it alone) and per address (room-sized, so a
script that throws its cookies away still meets a limit, and a room never does).

Counters live in Redis, through the `limits` library, when the processes share a
message queue, so every process counts together. A single process counts in its own
memory with `InProcess` below: the `limits` memory storage runs an expiry timer thread
that stalled eventlet's loop (a tutor's sync took up to 98 ms during a PDF export,
against 41 ms with Redis: tests/test_pdf_responsiveness.py).
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


@dataclass(frozen=True)
class Rules:
    """The limits themselves, in the `limits` notation ("30/10 seconds"). Each can be
    tuned per deployment: MIGRAPASS_RATE_LIMIT_<NAME> (app/config.py)."""

    participant_events: str = "30/10 seconds"
    staff_events: str = "60/10 seconds"
    wrong_codes_per_browser: str = "10/10 minutes"
    wrong_codes_per_address: str = "60/10 minutes"
    # Each log-in attempt costs a password hash: wrong ones are counted per account name
    # (a guesser meets it whatever their address; a browser that logged in to the account
    # before does not count there) and per address (a sprayer of names).
    wrong_logins_per_account: str = "10/15 minutes"
    wrong_logins_per_address: str = "30/15 minutes"
    # Asking at a room's door (joining, knocking): room-sized, so that a real room (15 to
    # 40 people on one Wi-Fi) fits and a script stops soon; the door itself holds 40.
    knocks_per_address: str = "60/10 minutes"
    # A portfolio page folds and draws every entry: tens of milliseconds for a full one.
    portfolio_reads_per_person: str = "30/minute"
    # A PDF costs the worker a second or more: a few per person, whatever they retry.
    exports_per_person: str = "10/10 minutes"


class InProcess:
    """Moving windows in this process's memory: no thread, no lock (one event at a time
    runs between two yields of eventlet or gevent)."""

    _PRUNE_EVERY = 1000

    def __init__(self) -> None:
        self._hits: dict[tuple[str, ...], deque[float]] = {}
        self._calls = 0

    def _window(self, item: RateLimitItem, key: tuple[str, ...]) -> deque[float]:
        now = time.monotonic()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - item.get_expiry():
            hits.popleft()
        return hits

    def hit(self, item: RateLimitItem, *key: str) -> bool:
        self._calls += 1
        if self._calls % self._PRUNE_EVERY == 0:  # forget people gone quiet
            self._hits = {k: v for k, v in self._hits.items() if v}
        hits = self._window(item, key)
        if len(hits) >= item.amount:
            return False
        hits.append(time.monotonic())
        return True

    def test(self, item: RateLimitItem, *key: str) -> bool:
        return len(self._window(item, key)) < item.amount


class Limiter:
    def __init__(self, storage_uri: str, namespace: str, rules: Rules | None = None) -> None:
        self._window: InProcess | MovingWindowRateLimiter = (
            InProcess()
            if storage_uri.startswith("memory")
            else MovingWindowRateLimiter(storage_from_string(storage_uri))
        )
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

    def browser_may_try_code(self, browser: str) -> bool:
        """Whether this browser's own wrong codes leave it another try."""
        return self._room_left(self.rules.wrong_codes_per_browser, "code", "browser", browser)

    def address_may_try_code(self, address: str) -> bool:
        """Whether the wrong codes of everyone behind this address leave another try."""
        return self._room_left(self.rules.wrong_codes_per_address, "code", "address", address)

    def wrong_code(self, browser: str, address: str) -> None:
        self._hit(self.rules.wrong_codes_per_browser, "code", "browser", browser)
        self._hit(self.rules.wrong_codes_per_address, "code", "address", address)

    def may_log_in(self, username: str, address: str, *, known_browser: bool) -> bool:
        """Whether a log-in may be tried now (the caller holds offload's `turn` while it
        checks, hashes and counts, so that attempts sent at once are judged in order)."""
        by_address = self._room_left(self.rules.wrong_logins_per_address, "login", address)
        if known_browser or not by_address:
            return by_address
        return self._room_left(self.rules.wrong_logins_per_account, "login", _account(username))

    def wrong_login(self, username: str, address: str, *, known_browser: bool) -> None:
        self._hit(self.rules.wrong_logins_per_address, "login", address)
        if not known_browser:
            self._hit(self.rules.wrong_logins_per_account, "login", _account(username))

    def take_knock(self, address: str) -> bool:
        """Count one request to join from this address; False means too many just now.
        Counted before anything is stored, so that requests sent at once all count."""
        return self._hit(self.rules.knocks_per_address, "knock", "address", address)

    def take_portfolio_read(self, participant_id: int) -> bool:
        return self._hit(self.rules.portfolio_reads_per_person, "portfolio", str(participant_id))

    def take_export(self, participant_id: int) -> bool:
        """Count one PDF asked for; False means too many just now."""
        return self._hit(self.rules.exports_per_person, "export", str(participant_id))


def _account(username: str) -> str:
    return "account:" + username.strip().lower()[:80]


def _item(rule: str) -> RateLimitItem:
    return parse(rule)


def current() -> Limiter:
    """The application's limiter (made in `create_app`)."""
    from flask import current_app

    return current_app.extensions["migrapass.limiter"]
