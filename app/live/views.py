"""What each audience may see of a live session, filtered on the server.

Hidden cards and (later) anonymous authors are removed here, per recipient, before
anything leaves the server: no client is trusted to hide what it was sent. Every
audience gets one message per event, so each can tell it missed nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.live.engine import Card, SessionState
from app.live.events import Event, EventType


class Audience(StrEnum):
    TUTOR = "tutor"
    PROJECTOR = "projector"
    PARTICIPANTS = "participants"


@dataclass(frozen=True)
class Message:
    """A payload for one audience of one session, or for one participant (`to_participant`)."""

    audience: Audience
    payload: dict[str, Any]
    to_participant: int | None = None


def public_card(card: Card, names: Mapping[int, str]) -> dict[str, Any]:
    return {
        "id": card.id,
        "board": card.board,
        "step": card.step,
        "text": card.text,
        "author": names.get(card.author_id) if card.author_id is not None else None,
    }


def tutor_card(card: Card, names: Mapping[int, str]) -> dict[str, Any]:
    return {
        **public_card(card, names),
        "author_id": card.author_id,
        "hidden": card.hidden,
        "hidden_reason": card.hidden_reason,
    }


def own_card(card: Card) -> dict[str, Any]:
    """The author's own view: they always see their card, and why it was hidden."""
    return {
        "id": card.id,
        "board": card.board,
        "step": card.step,
        "text": card.text,
        "hidden": card.hidden,
        "hidden_reason": card.hidden_reason,
    }


def _common(state: SessionState) -> dict[str, Any]:
    return {
        "seq": state.seq,
        "status": state.status,
        "step_index": state.step_index,
        "open_board": state.open_board,
        "joining_locked": state.joining_locked,
    }


def snapshot(
    state: SessionState,
    audience: Audience,
    names: Mapping[int, str],
    viewer_participant: int | None = None,
) -> dict[str, Any]:
    """The whole board as one audience (or one participant) may see it now."""
    cards = sorted(state.cards.values(), key=lambda c: c.id)
    body = _common(state)
    if audience is Audience.TUTOR:
        body["cards"] = [tutor_card(c, names) for c in cards]
    else:
        body["cards"] = [public_card(c, names) for c in cards if not c.hidden]
    if viewer_participant is not None:
        body["own"] = [own_card(c) for c in cards if c.author_id == viewer_participant]
    return body


def messages_for(event: Event, state: SessionState, names: Mapping[int, str]) -> list[Message]:
    """The messages one committed event sends to each audience, already filtered."""
    base = _common(state)
    if event.type is EventType.CARD_POSTED:
        card = state.cards[event.seq]
        public = {**base, "kind": "card", "card": public_card(card, names)}
        out = [
            Message(Audience.PROJECTOR, public),
            Message(Audience.PARTICIPANTS, public),
            Message(Audience.TUTOR, {**base, "kind": "card", "card": tutor_card(card, names)}),
        ]
        if card.author_id is not None:
            out.append(_own(base, card))
        return out
    if event.type is EventType.CARD_HIDDEN:
        card = state.cards[event.payload["card_id"]]
        removed = {**base, "kind": "card_removed", "card_id": card.id}
        out = [
            Message(Audience.PROJECTOR, removed),
            Message(Audience.PARTICIPANTS, removed),
            Message(Audience.TUTOR, {**base, "kind": "card", "card": tutor_card(card, names)}),
        ]
        if card.author_id is not None:
            out.append(_own(base, card))
        return out
    if event.type is EventType.PARTICIPANT_ADMITTED:
        pid = event.payload["participant_id"]
        admitted = {**base, "kind": "admitted", "participant": {"id": pid, "name": names.get(pid)}}
        tick = {**base, "kind": "tick"}
        return [
            Message(Audience.TUTOR, admitted),
            Message(Audience.PROJECTOR, tick),
            Message(Audience.PARTICIPANTS, tick),
            Message(Audience.PARTICIPANTS, {**base, "kind": "you_are_admitted"}, pid),
        ]
    kind = {
        EventType.STEP_MOVED: "step",
        EventType.JOINING_LOCKED: "joining",
        EventType.JOINING_UNLOCKED: "joining",
        EventType.SESSION_ENDED: "ended",
    }.get(event.type, "tick")
    payload = {**base, "kind": kind}
    return [Message(audience, payload) for audience in Audience]


def _own(base: dict[str, Any], card: Card) -> Message:
    assert card.author_id is not None
    return Message(
        Audience.PARTICIPANTS, {**base, "kind": "own_card", "card": own_card(card)}, card.author_id
    )
