"""A Python twin of the browser's board store (static/js/store.js + live.js's ordering).

Tests feed it what a client hears (a snapshot, then patches, personal messages, or a
catch-up answer) and compare the result with a fresh snapshot: if the two differ, a
real screen would show a different board from everyone else's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

COMMON = ("seq", "status", "step_index", "step_id", "open_board", "joining_locked", "timer")


@dataclass
class BoardMirror:
    common: dict[str, Any] = field(default_factory=dict)
    cards: dict[int, dict[str, Any]] = field(default_factory=dict)
    boards: dict[str, dict[str, Any]] = field(default_factory=dict)
    own: dict[int, dict[str, Any]] = field(default_factory=dict)
    own_votes: dict[str, dict[str, Any]] = field(default_factory=dict)
    own_seq: dict[int, int] = field(default_factory=dict)
    own_votes_seq: dict[str, int] = field(default_factory=dict)
    personal_floor: int = -1
    last_seq: int = -1
    gaps: int = 0  # patches that arrived after a missing one (live.js would resync)

    def _set_common(self, msg: dict[str, Any]) -> None:
        self.common.update({key: msg[key] for key in COMMON if key in msg})

    def snapshot(self, body: dict[str, Any]) -> None:
        self._set_common(body)
        self.cards = {c["id"]: c for c in body["cards"]}
        self.boards = {b["step"]: b for b in body["boards"]}
        if "own" in body:
            self.own = {c["id"]: c for c in body["own"]}
            self.own_seq, self.personal_floor = {}, body["seq"]
        if "own_votes" in body:
            self.own_votes = {m["step"]: m for m in body["own_votes"]}
            self.own_votes_seq = {}
        self.last_seq = body["seq"]

    def patch(self, msg: dict[str, Any]) -> None:
        """A `board` message, applied only in seq order, as live.js does."""
        if msg["seq"] <= self.last_seq:
            return
        if msg["seq"] > self.last_seq + 1:
            self.gaps += 1
            return
        self.last_seq = msg["seq"]
        self._set_common(msg)
        for card in msg.get("cards", []):
            self.cards[card["id"]] = card
        for card_id in msg.get("removed", []):
            self.cards.pop(card_id, None)
        for board in msg.get("boards", []):
            self.boards[board["step"]] = board

    def personal(self, msg: dict[str, Any]) -> None:
        """A phone's own news, in any order: each item keeps the seq it is as of."""
        seq = msg.get("seq", float("inf"))
        if seq <= self.personal_floor:
            return

        def newer(seen: dict[Any, int], key: Any) -> bool:
            if seen.get(key, -1) > seq:
                return False
            seen[key] = seq
            return True

        for card in msg.get("own", []):
            if newer(self.own_seq, card["id"]):
                self.own[card["id"]] = card
        for card_id in msg.get("own_removed", []):
            if newer(self.own_seq, card_id):
                self.own.pop(card_id, None)
        for votes in msg.get("own_votes", []):
            if newer(self.own_votes_seq, votes["step"]):
                self.own_votes[votes["step"]] = votes

    def catch_up(self, ack: dict[str, Any]) -> None:
        """The answer to `sync`: a snapshot, or the messages missed since `last_seq`."""
        assert ack["ok"], ack
        if "board" in ack:
            self.snapshot(ack["board"])
            return
        for item in ack["missed"]:
            if item["type"] == "board":
                self.patch(item["msg"])
            else:
                self.personal(item["msg"])

    def view(self) -> dict[str, Any]:
        """What the screen shows, comparable with another mirror's."""
        return {
            "common": self.common,
            "cards": self.cards,
            "boards": self.boards,
            "own": self.own,
            "own_votes": self.own_votes,
        }


def mirror_of(ack: dict[str, Any]) -> BoardMirror:
    mirror = BoardMirror()
    mirror.catch_up(ack)
    return mirror
