"""A phone with an outbox, as the browser's: a card stays queued until the server
acknowledges it and is resent with the same client id after any failure; its board is
kept from what it hears (live patches in seq order, catch-ups after a gap or a
reconnection), to be compared with the database's at the end. Used by the chaos test
(one process killed and restarted) and the scale-out test (two processes behind nginx,
one killed)."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from typing import Any

import requests
import socketio

from tests.board_mirror import BoardMirror


class ChaosPhone:
    """One phone: an outbox, a board kept from what it hears, reconnection with backoff."""

    def __init__(
        self,
        url: str,
        session_id: int,
        name: str,
        cookies: requests.Session,
        posts: int = 30,
        socketio_path: str = "socket.io",
    ) -> None:
        """A phone of `url` (the server's address, or a proxy's origin with the
        `socketio_path` under its prefix) carrying the browser `cookies`' cookies, with
        `posts` cards in its outbox. Over https it trusts what `cookies` trusts."""
        self.url = url
        self.session_id = session_id
        self.name = name
        self.cookie = "; ".join(f"{k}={v}" for k, v in cookies.cookies.items())
        self.socketio_path = socketio_path
        self.verify = cookies.verify
        self.outbox = deque(
            {"client_id": f"{name}-{i:04d}-chaos", "text": f"{name} rule {i}"} for i in range(posts)
        )
        self.acked: dict[str, int] = {}
        self.counts: Counter[str] = Counter()
        self.mirror = BoardMirror()
        self.lock = threading.Lock()
        self.held: list[tuple[str, dict[str, Any]]] | None = None
        self.needs_sync = True
        self.client: socketio.Client | None = None
        self.dropped = threading.Event()
        self.problems: list[str] = []

    # -- the connection ------------------------------------------------------------------

    def _connect(self) -> bool:
        client = socketio.Client(reconnection=False, http_session=self._tls())
        client.on("board", lambda m: self._heard("board", m), namespace="/participant")
        client.on("personal", lambda m: self._heard("personal", m), namespace="/participant")
        client.on("disconnect", self.dropped.set, namespace="/participant")
        try:
            client.connect(
                self.url,
                namespaces=["/participant"],
                auth={"session_id": self.session_id},
                headers={"Cookie": self.cookie},
                transports=["websocket"],
                socketio_path=self.socketio_path,
                wait_timeout=5,
            )
        except socketio.exceptions.ConnectionError:
            self.counts["failed connections"] += 1
            return False
        self.client = client
        self.dropped.clear()
        self.needs_sync = True
        self.counts["connections"] += 1
        return True

    def _tls(self) -> requests.Session | None:
        """What the websocket's TLS trusts (a proxy's own certificate, say); its cookies
        stay out, as they go in the Cookie header."""
        if not self.url.startswith("https://"):
            return None
        trust = requests.Session()
        trust.verify = self.verify
        return trust

    def cut(self) -> None:
        """Drop the connection now, whatever is in flight (called from the chaos thread)."""
        client = self.client
        if client is not None and client.connected:
            self.counts["cuts"] += 1
            self.dropped.set()
            client.disconnect()

    def _connected(self) -> bool:
        return self.client is not None and self.client.connected

    # -- what it hears -------------------------------------------------------------------

    def _heard(self, kind: str, msg: dict[str, Any]) -> None:
        with self.lock:
            if self.held is not None:  # a sync is on its way: apply after it, in order
                self.held.append((kind, msg))
                return
            self._apply(kind, msg)

    def _apply(self, kind: str, msg: dict[str, Any]) -> None:
        if kind == "board":
            gaps = self.mirror.gaps
            self.mirror.patch(msg)
            if self.mirror.gaps > gaps:
                self.needs_sync = True  # as live.js: a gap means a message was missed
        else:
            self.mirror.personal(msg)

    def _call(self, event: str, data: dict[str, Any]) -> dict[str, Any] | None:
        """Emit and wait for the ack, or give up as soon as the connection drops (a
        browser's outbox does the same: the write stays queued for the next connection)."""
        assert self.client is not None
        answered = threading.Event()
        answer: list[Any] = []

        def on_ack(*args: Any) -> None:
            answer.extend(args)
            answered.set()

        try:
            self.client.emit(event, data, namespace="/participant", callback=on_ack)
        except socketio.exceptions.SocketIOError:
            self.counts["lost calls"] += 1
            return None
        deadline = time.monotonic() + 10
        while not answered.wait(0.05):
            if self.dropped.is_set() or time.monotonic() > deadline:
                self.counts["lost calls"] += 1
                return None
        return answer[0] if answer else None

    def sync(self) -> bool:
        with self.lock:
            self.held = []
            after = self.mirror.last_seq
        ack = self.patiently("sync", {"after": after} if after >= 0 else {})
        with self.lock:
            held, self.held = self.held or [], None
            if ack is None or not ack.get("ok"):
                self.counts["refused syncs"] += ack is not None
                return False
            self.counts["catch-ups" if "missed" in ack else "snapshots"] += 1
            self.mirror.catch_up(ack)
            self.needs_sync = False
            for kind, msg in held:
                self._apply(kind, msg)
            return True

    # -- the outbox ----------------------------------------------------------------------

    def run(self, deadline: float) -> None:
        backoff = 0.2
        while self.outbox and time.monotonic() < deadline:
            if not self._connected():
                if not self._connect():
                    time.sleep(backoff * random.uniform(0.5, 1.5))
                    backoff = min(backoff * 2, 3.0)
                    continue
                backoff = 0.2
            if self.needs_sync and not self.sync():
                time.sleep(0.5)
                continue
            card = self.outbox[0]
            ack = self._call("post", {**card, "board": "group_rules"})
            if ack is None:
                continue  # no answer: the same client id goes again
            if ack.get("ok"):
                self.acked[card["client_id"]] = ack["seq"]
                self.counts["duplicate acks"] += bool(ack.get("duplicate"))
                self.outbox.popleft()
            elif ack.get("error") == "too_fast":
                self.counts["slowed down"] += 1
                time.sleep(1)
            else:
                self.problems.append(f"{card['client_id']}: {ack}")
                self.outbox.popleft()
            time.sleep(random.uniform(0, 0.05))

    def settle(self) -> None:
        """At the end, a last catch-up: what a phone does on its next reconnection."""
        for _ in range(10):
            if (self._connected() or self._connect()) and self.sync():
                return
            time.sleep(1)

    def patiently(self, event: str, data: dict[str, Any]) -> dict[str, Any] | None:
        """A call that waits out the rate limit, as the browser's outbox does."""
        for _ in range(15):
            ack = self._call(event, data)
            if not (ack and ack.get("error") == "too_fast"):
                return ack
            time.sleep(1)
        return ack

    def fresh_view(self) -> dict[str, Any]:
        ack = self.patiently("sync", {})
        assert ack and ack["ok"], ack
        fresh = BoardMirror()
        fresh.snapshot(ack["board"])
        return fresh.view()

    def close(self) -> None:
        if self.client is not None:
            self.client.disconnect()


def through_chaos(phones: list[ChaosPhone], deadline_s: float, strike: Callable[[], None]) -> int:
    """Run every phone's outbox while a chaos monkey cuts connections at random, mid-call
    too; once 40 % of the cards are acknowledged, `strike` (a server killed). Every phone
    then settles (a last catch-up). The cards acknowledged before the strike."""
    deadline = time.monotonic() + deadline_s
    workers = [threading.Thread(target=p.run, args=(deadline,), daemon=True) for p in phones]
    for worker in workers:
        worker.start()
    stop_chaos = threading.Event()

    def chaos() -> None:
        while not stop_chaos.wait(random.uniform(0.1, 0.4)):
            random.choice(phones).cut()

    monkey = threading.Thread(target=chaos, daemon=True)
    monkey.start()
    total = sum(len(p.outbox) for p in phones)
    while sum(len(p.acked) for p in phones) < total * 0.4 and time.monotonic() < deadline:
        time.sleep(0.1)
    acked_before = sum(len(p.acked) for p in phones)
    strike()
    for worker in workers:
        worker.join(timeout=max(1.0, deadline - time.monotonic()))
    stop_chaos.set()
    monkey.join()
    for phone in phones:
        phone.settle()
    return acked_before


def tally(
    phones: list[ChaosPhone], posts: int, rows: list[tuple[str, int]], acked_before: int
) -> str:
    """What happened, in one line: for the test's output and its artefact."""
    counts = sum((p.counts for p in phones), Counter())
    per_client = Counter(cid for cid, _seq in rows)
    return (
        f"chaos: {len(phones)} phones x {posts} posts = {len(phones) * posts} cards;"
        f" acknowledged {sum(len(p.acked) for p in phones)} ({acked_before} before the"
        f" SIGKILL); stored {len(rows)}, stored twice"
        f" {sum(1 for n in per_client.values() if n > 1)};"
        f" resends acknowledged as duplicates {counts['duplicate acks']};"
        f" cuts {counts['cuts']}, connections {counts['connections']},"
        f" failed connections {counts['failed connections']},"
        f" calls lost {counts['lost calls']},"
        f" catch-ups {counts['catch-ups']}, snapshots {counts['snapshots']},"
        f" slowed down {counts['slowed down']}"
    )


def assert_nothing_lost(phones: list[ChaosPhone], rows: list[tuple[str, int]], posts: int) -> None:
    """Every card stored exactly once, every acknowledged seq stored, every phone's
    board the database's: `rows` are the session's stored cards, (client id, seq)."""
    acked = {cid: seq for p in phones for cid, seq in p.acked.items()}
    total = len(phones) * posts
    assert not [p.problems for p in phones if p.problems]
    assert all(not p.outbox for p in phones), "some phones still hold unsent cards"
    assert len(acked) == total
    assert max(Counter(cid for cid, _seq in rows).values()) == 1, "a card was stored twice"
    assert len(rows) == total
    assert dict(rows) == acked, "an acknowledged card is not stored"
    for phone in phones:
        assert phone.mirror.view() == phone.fresh_view(), f"{phone.name} sees another board"
        assert len(phone.mirror.own) == posts
    counts = sum((p.counts for p in phones), Counter())
    assert counts["duplicate acks"] + counts["lost calls"] > 0, "the chaos did not bite"
