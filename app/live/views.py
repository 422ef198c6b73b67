"""What each audience may see of a live session, filtered on the server.

Hidden cards, cards waiting to be revealed and anonymous authors are removed here, per
recipient, before anything leaves the server: no client is trusted to hide what it was
sent. An anonymous card carries no author name and no author id for anyone, the tutor
included; only its author is told, on their personal channel, that it is theirs. A
trainee watching a real session (the observers) sees the console without what the room
does not see (hidden cards, why they were hidden, the tutor's private notes), and a
pseudonym for everyone who did not agree to be named.

A private board's cards (the self-assessment) go to their author alone: every audience,
the tutor's included, hears only how many people answered (`BoardView.answered`). A
hidden-first step's cards reach the room only as their authors chose (app.live.disclosure);
an authorless board's cards have no author for anyone (app.live.view_cards).

Every audience gets one patch per event (so each can tell it missed nothing) in one
shape: the session's common fields, then cards to put, card ids to drop, boards to put.
A participant's own cards, votes and stances travel on their personal channel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.live.events import Event, EventType
from app.live.state import SessionState
from app.live.view_cards import (
    CONSOLES,
    Audience,
    ObservedNames,
    answered,
    board_view,
    own_card,
    own_votes_view,
    render_card,
    room_card,
    tutor_card,
    visible,
)
from app.live.wire import Common, Note, Snapshot
from app.vocabulary.boards import BOARDS

# What a card and a board look like to each audience is built in `view_cards`; the
# names are kept here too, where the rest of the app has always found them.
__all__ = [
    "CONSOLES",
    "Audience",
    "Message",
    "ObservedNames",
    "RoomNames",
    "answered",
    "board_view",
    "common",
    "messages_for",
    "own_card",
    "own_votes_view",
    "render_card",
    "room_card",
    "snapshot",
    "tutor_card",
    "visible",
]


@dataclass(frozen=True)
class RoomNames:
    """The people of a session's group by id: their names as the room reads them, as the
    tutors' lists show them (names that look alike told apart), and what observers see."""

    real: Mapping[int, str]
    listed: Mapping[int, str]
    observed: Mapping[int, str]  # a pseudonym unless the person agreed to be named

    def seen_by(self, audience: Audience) -> Mapping[int, str]:
        if audience is Audience.OBSERVER:
            return self.observed
        return self.listed if audience is Audience.TUTOR else self.real


@dataclass(frozen=True)
class Message:
    """A payload for one audience of one session, or for one participant (`to_participant`)."""

    audience: Audience
    payload: dict[str, Any]
    to_participant: int | None = None


def common(state: SessionState, now_ms: int) -> Common:
    step = state.current_step
    return {
        "seq": state.seq,
        "status": state.status.value,
        "step_index": state.step_index,
        "step_id": step.id if step else None,
        "open_board": state.open_board,
        "joining_locked": state.joining_locked,
        "timer": {"ends_ms": state.timer.ends_ms, "remaining_ms": state.timer.remaining_ms},
        "wall": {
            "page": state.wall.page,
            "spotlight": state.wall.spotlight,
            "join": state.wall.join,
            "rules": state.wall.rules,
        },
        "present_count": len(state.present),
        "now_ms": now_ms,
    }


def _board_steps(state: SessionState) -> list[str]:
    return [s.id for s in state.steps if BOARDS[s.board].fields or BOARDS[s.board].poll]


def _notes(state: SessionState) -> list[Note]:
    return [{"id": n.id, "ts_ms": n.ts_ms, "text": n.text} for n in state.notes]


def snapshot(
    state: SessionState,
    audience: Audience,
    names: Mapping[int, str],
    now_ms: int,
    viewer_participant: int | None = None,
) -> Snapshot:
    """The whole board as one audience (or one participant) may see it now."""
    cards = sorted(state.cards.values(), key=lambda c: c.id)
    body: Snapshot = {
        **common(state, now_ms),
        "cards": [
            render_card(c, state, audience, names) for c in cards if visible(c, state, audience)
        ],
        "boards": [board_view(state, step_id) for step_id in _board_steps(state)],
    }
    if audience in CONSOLES:
        body["present"] = sorted(state.present)
    if audience is Audience.TUTOR:
        body["notes"] = _notes(state)
    if viewer_participant is not None:
        me = state.identity(viewer_participant)
        body["own"] = [own_card(c) for c in cards if c.author_id == me and not c.withdrawn]
        body["own_votes"] = [own_votes_view(state, step_id, me) for step_id in _board_steps(state)]
    return body


# -- one event, as each audience hears it ----------------------------------------------


@dataclass
class _Touched:
    cards: set[int]
    steps: set[str]
    people: set[int]  # participants whose own view changed


def _touched(event: Event, before: SessionState, state: SessionState) -> _Touched:
    touched = _Touched(set(), set(), set())
    payload = event.payload
    kind = event.type
    if kind is EventType.CARD_POSTED:
        touched.cards.add(event.seq)
    elif "card_id" in payload and payload["card_id"] in state.cards:
        touched.cards.add(payload["card_id"])
    for card_id in list(touched.cards):
        touched.steps.add(state.cards[card_id].step)
    if "step" in payload and any(s.id == payload["step"] for s in state.steps):
        touched.steps.add(payload["step"])
    if kind is EventType.CLUSTER_RENAMED or kind is EventType.CLUSTER_REMOVED:
        touched.steps.add(before.clusters[payload["cluster_id"]].step)
    # Closing or reopening the anonymous feedback's board puts its answers before the
    # tutor, or takes them away (app.live.view_cards.visible).
    feedback = kind is EventType.BOARD_LOCKED and any(
        BOARDS[state.step(step).board].authorless for step in touched.steps
    )
    if feedback or kind in (
        EventType.CLUSTER_REMOVED,
        EventType.BOARD_UNTIL_REVEAL,
        EventType.PARTICIPANTS_MERGED,
    ):
        steps = touched.steps or {s.id for s in state.steps}
        touched.cards |= {c.id for c in state.cards.values() if c.step in steps}
        touched.steps |= steps
    if kind is EventType.PARTICIPANTS_MERGED:
        touched.people.add(state.identity(payload["kept"]))
    for card_id in touched.cards:
        author = state.cards[card_id].author_id
        if author is not None and kind is not EventType.RULE_STANCE:
            touched.people.add(author)
    voted = kind in (EventType.VOTE_CAST, EventType.VOTE_RETRACTED, EventType.RULE_STANCE)
    if voted and event.actor is not None:  # the engine took these from participants only
        touched.people.add(state.identity(event.actor.id))
    return touched


def messages_for(
    event: Event, before: SessionState, state: SessionState, people: RoomNames
) -> list[Message]:
    """The messages one committed event sends to each audience, already filtered."""
    touched = _touched(event, before, state)
    base = {**common(state, event.ts_ms), "event": event.type.value}
    steps = sorted(touched.steps)
    boards = [board_view(state, s) for s in steps if s in _board_steps(state)]
    # Personal messages go first: a phone that got an event's board patch has then got
    # its personal part too (one connection delivers in order), so catching up after
    # the last board seq never skips one.
    out: list[Message] = list(_personal(event, state, touched))
    for audience in Audience:
        names = people.seen_by(audience)
        shown, dropped = [], []
        for card_id in sorted(touched.cards):
            card = state.cards[card_id]
            if visible(card, state, audience):
                shown.append(render_card(card, state, audience, names))
            elif not BOARDS[card.board].private:  # never shown, so never taken off
                dropped.append(card_id)
        patch = {**base, "cards": shown, "removed": dropped, "boards": boards}
        if audience in CONSOLES:
            patch.update(_console_extras(event, state, names, audience))
        out.append(Message(audience, patch))
    return out


def _console_extras(
    event: Event, state: SessionState, names: Mapping[int, str], audience: Audience
) -> dict[str, Any]:
    if event.type is EventType.PARTICIPANT_ADMITTED:
        pid = event.payload["participant_id"]
        return {"admitted": {"id": pid, "name": names.get(pid)}}
    if event.type in (EventType.ATTENDANCE_MARKED, EventType.PARTICIPANTS_MERGED):
        extras: dict[str, Any] = {"present": sorted(state.present)}
        if event.type is EventType.PARTICIPANTS_MERGED:
            extras["merged"] = {
                "absorbed": event.payload["absorbed"],
                "kept": event.payload["kept"],
            }
        return extras
    if event.type is EventType.NOTE_TAKEN and audience is Audience.TUTOR:
        return {"notes": _notes(state)[-1:]}
    return {}


def _personal(event: Event, state: SessionState, touched: _Touched) -> Iterable[Message]:
    if event.type is EventType.PARTICIPANT_ADMITTED:
        pid = event.payload["participant_id"]
        yield Message(Audience.PARTICIPANTS, {"seq": state.seq, "you_are_admitted": True}, pid)
    if event.type is EventType.PARTICIPANTS_MERGED:
        absorbed = event.payload["absorbed"]
        yield Message(Audience.PARTICIPANTS, {"seq": state.seq, "identity_changed": True}, absorbed)
    for person in sorted(touched.people):
        own, gone = [], []
        for card_id in sorted(touched.cards):
            card = state.cards[card_id]
            if card.author_id != person:
                continue
            (gone.append(card.id) if card.withdrawn else own.append(own_card(card)))
        # A new card has no votes nor stances yet: a post changes nobody's, so the
        # poster's phone keeps the ones it has (the phone reads a list, maybe empty) and
        # the server does not scan the step's every card for each post.
        steps = [] if event.type is EventType.CARD_POSTED else sorted(touched.steps)
        votes = [own_votes_view(state, s, person) for s in steps]
        payload = {"seq": state.seq, "own": own, "own_removed": gone, "own_votes": votes}
        yield Message(Audience.PARTICIPANTS, payload, person)
