"""The fan-out load itself: rooms of connected phones, each room's first phone posting.

A post goes out once the previous one reached every phone of its room; every room
posts at once. Each round yields the post-to-last-phone latencies, the poster's ack
times and the deliveries per second over the whole round. The same code drives the app
and the bare server: only the rooms (cookies, session ids) and the addresses differ.
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.fanout_rooms import Room
from bench.sio_phone import SioPhone

POST_TIMEOUT_S = 60.0
CONNECTS_AT_ONCE = 20  # per room: under the socket guard's 50 unentered per address


@dataclass
class Round:
    """One round's raw figures, all rooms together."""

    latencies_ms: list[float]
    acks_ms: list[float]
    deliveries: int
    seconds: float
    client_cpu_s: float = 0.0  # CPU seconds this process spent over the measured posts
    server_cpu_s: float = 0.0  # and the server processes, together

    def figures(self) -> dict[str, float]:
        return {
            "p50_ms": percentile(self.latencies_ms, 50),
            "p90_ms": percentile(self.latencies_ms, 90),
            "p99_ms": percentile(self.latencies_ms, 99),
            "ack_p50_ms": percentile(self.acks_ms, 50),
            "deliveries_per_s": self.deliveries / self.seconds,
            # Shares of one core: a server near 1.0 was the bottleneck; a client near
            # 1.0 means the figures are the client's limit, not the server's.
            "server_cpu": self.server_cpu_s / self.seconds,
            "client_cpu": self.client_cpu_s / self.seconds,
            # The server's CPU time per post (its fan-out included): what the machine's
            # other load changes least, so the steadiest ratio of the app to the bare.
            "server_cpu_ms_per_post": self.server_cpu_s * 1000 / len(self.latencies_ms),
        }


def cpu_seconds(pid: int) -> float:
    """User and system time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: int) -> float:
    """The q-th percentile, interpolated (statistics' "inclusive" method)."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


@dataclass
class _Pending:
    text: str
    sent: float
    expected: int
    done: asyncio.Future[float]
    last: float = 0.0
    seen: int = 0


class LiveRoom:
    """One room's phones (and its tutor's console) connected in this loop."""

    def __init__(self, room: Room, urls: list[str], deflate: bool) -> None:
        self.room = room
        self.urls = urls
        self.deflate = deflate
        self.phones: list[SioPhone] = []
        self.consoles: list[SioPhone] = []
        self.pending: _Pending | None = None
        self.heard = [0] * len(room.phones)

    async def connect(self) -> None:
        """Every phone, spread over the server processes (phone i on process i mod n),
        and the tutor's console on the first; a phone's arrival is an event the room
        hears, so the room is given a moment to settle afterwards."""
        gate = asyncio.Semaphore(CONNECTS_AT_ONCE)

        async def one(n: int, cookie: str) -> SioPhone:
            async with gate:
                phone = SioPhone(
                    self.urls[n % len(self.urls)],
                    "/participant",
                    cookie=cookie,
                    source=self.room.sources[n],
                    deflate=self.deflate,
                    on_event=lambda name, data, when: self._heard(n, name, data, when),
                )
                await phone.connect({"session_id": self.room.session_id})
                return phone

        self.phones = list(
            await asyncio.gather(*(one(n, c) for n, c in enumerate(self.room.phones)))
        )
        console = SioPhone(self.urls[0], "/tutor", cookie=self.room.console, deflate=self.deflate)
        await console.connect({"session_id": self.room.session_id})
        self.consoles = [console]

    def _heard(self, n: int, name: str, data: Any, when: float) -> None:
        pending = self.pending
        if pending is None or name != "board" or not isinstance(data, dict):
            return
        if data.get("event") != "card.posted":
            return
        if not any(card.get("text") == pending.text for card in data.get("cards", ())):
            return
        self.heard[n] += 1
        pending.seen += 1
        pending.last = max(pending.last, when)
        if pending.seen == pending.expected and not pending.done.done():
            pending.done.set_result(pending.last)

    async def post(self, label: str) -> tuple[float, float, float, float]:
        """The first phone posts one card and waits until every phone heard it:
        (sent, ack time ms, post-to-last-phone ms, last arrival). Arrivals are stamped
        by the callbacks as they are read, so the order of the waits changes nothing."""
        loop = asyncio.get_running_loop()
        text = f"{label} room {self.room.session_id}"
        self.pending = pending = _Pending(text, 0.0, len(self.phones), loop.create_future())
        acked: asyncio.Future[tuple[Any, float]] = loop.create_future()
        client_id = re.sub(r"[^A-Za-z0-9._:-]", "-", f"fanout-{text}")[-64:]
        data = {"client_id": client_id, "board": "group_rules", "text": text}

        def on_ack(answer: Any, when: float) -> None:
            if not acked.done():
                acked.set_result((answer, when))

        pending.sent = sent = self.phones[0].emit("post", data, on_ack)
        try:
            answer, ack_at = await asyncio.wait_for(acked, POST_TIMEOUT_S)
            if not (isinstance(answer, dict) and answer.get("ok")):
                raise RuntimeError(f"{text} refused: {answer} (a rate limit left too low?)")
            last = await asyncio.wait_for(pending.done, POST_TIMEOUT_S)
        except TimeoutError:
            raise RuntimeError(
                f"{text}: {pending.seen} of {pending.expected} phones heard it"
                f" in {POST_TIMEOUT_S:.0f} s; acked: {acked.done()}"
            ) from None
        finally:
            self.pending = None
        return sent, (ack_at - sent) * 1000, (last - sent) * 1000, last

    async def close(self) -> None:
        await asyncio.gather(*(p.close() for p in [*self.phones, *self.consoles]))


async def connect_all(rooms: list[Room], urls: list[str], deflate: bool) -> list[LiveRoom]:
    live = [LiveRoom(room, urls, deflate) for room in rooms]
    for room in live:  # room by room: a venue's phones arrive together, venues apart
        await room.connect()
    await asyncio.sleep(1.5)  # the arrivals' attendance messages drain
    return live


async def run_round(
    rooms: list[LiveRoom], tag: str, posts: int, warmup: int, servers: list[int]
) -> Round:
    """Every room posts `warmup` cards (not counted), then `posts` measured ones;
    `servers` are the process ids whose CPU time is counted."""
    # Every room's warm-up ends before the measured posts start, so that the clock of
    # deliveries per second starts with every room posting.
    await asyncio.gather(*(_posts(room, f"{tag} warm-up", warmup) for room in rooms))
    client, server = time.process_time(), sum(cpu_seconds(pid) for pid in servers)
    results = await asyncio.gather(*(_posts(room, f"{tag} card", posts) for room in rooms))
    client = time.process_time() - client
    server = sum(cpu_seconds(pid) for pid in servers) - server
    flat = [one for room in results for one in room]
    first = min(sent for sent, *_ in flat)
    last = max(arrived for *_, arrived in flat)
    return Round(
        latencies_ms=[latency for _, _, latency, _ in flat],
        acks_ms=[ack for _, ack, _, _ in flat],
        deliveries=sum(len(room.phones) * posts for room in rooms),
        seconds=last - first,
        client_cpu_s=client,
        server_cpu_s=server,
    )


async def _posts(room: LiveRoom, label: str, count: int) -> list[tuple[float, float, float, float]]:
    return [await room.post(f"{label} {n:03d}") for n in range(count)]
