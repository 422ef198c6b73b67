"""What each audience may see of a live session, filtered on the server.

Hidden cards, cards waiting to be revealed and anonymous authors are removed here, per
recipient, before anything leaves the server: no client is trusted to hide what it was
sent. An anonymous card carries no author name and no author id for anyone, the tutor
included; only its author is told, on their personal channel, that it is theirs. A
trainee watching a real session (the observers) sees the console without what the room
does not see (hidden cards, why they were hidden, the tutor's private notes), and a
pseudonym for everyone who did not agree to be named.

A private board's cards (the self-assessment) go to their author alone: every audience,
the tutor's included, hears only how many people answered (`BoardView.answered`).

Every audience gets one patch per event (so each can tell it missed nothing) in one
shape: the session's common fields, then cards to put, card ids to drop, boards to put.
A participant's own cards, votes and stances travel on their personal channel.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.live.events import Event, EventType
from app.live.state import Card, SessionState
from app.live.wire import (
    BoardView,
    CardFace,
    Common,
    Note,
    OwnCard,
    OwnVotes,
    RoomCard,
    Snapshot,
    TutorCard,
)
from app.renaming import Renamer, renamer
from app.vocabulary.boards import BOARDS


class Audience(StrEnum):
    TUTOR = "tutor"
    OBSERVER = "observer"  # a trainee watching a real session from the console
    PROJECTOR = "projector"
    PARTICIPANTS = "participants"


CONSOLES = (Audience.TUTOR, Audience.OBSERVER)


class ObservedNames(dict[int, str]):
    """The names observers see by id, and what replaces the hidden ones inside texts
    (`hidden`: a real first name -> the pseudonym shown instead)."""

    def __init__(self, names: Mapping[int, str], hidden: Mapping[str, str]) -> None:
        super().__init__(names)
        self.hidden = hidden

    @functools.cached_property
    def renamer(self) -> Renamer:
        # Made when a card is shown to an observer, not for every message: a door
        # flooded with new names would compile a pattern per arrival otherwise.
        return renamer(self.hidden)


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


# -- rendering one thing for one audience -----------------------------------------------


def visible(card: Card, state: SessionState, audience: Audience) -> bool:
    if card.withdrawn or BOARDS[card.board].private:
        return False
    if audience is Audience.TUTOR:
        return True
    if audience is Audience.OBSERVER:
        return not card.hidden
    return card.in_room and not state.board(card.step).until_reveal


def _face(card: Card) -> CardFace:
    """What every view of a card starts with: which card, where, and what it says."""
    return {
        "id": card.id,
        "step": card.step,
        "board": card.board,
        "fields": dict(card.fields),
        "text": card.text,
    }


def _author(card: Card, names: Mapping[int, str]) -> str | None:
    """The name a screen shows on the card: none on an anonymous board's card."""
    if card.author_id is None or card.anonymous:
        return None
    return names.get(card.author_id)


def room_card(card: Card, state: SessionState, names: Mapping[int, str]) -> RoomCard:
    """A card as the room sees it: its words, its author's name unless anonymous, its
    family, stances and votes; never why the tutor hid it."""
    stances = list(card.stances.values())
    return {
        **_face(card),
        "author": _author(card, names),
        "anonymous": card.anonymous,
        "adopted": card.adopted,
        "cluster_id": card.cluster_id,
        "agree": stances.count("agree"),
        "disagree": stances.count("disagree"),
        "posted_ms": card.posted_ms,
        "edited": card.edited_ms is not None,
    }


def tutor_card(card: Card, state: SessionState, names: Mapping[int, str]) -> TutorCard:
    """A card as the consoles see it: the room's view, and who wrote it (unless the board
    is anonymous, to the tutor too), whether it is hidden and why, and whether it waits
    for the board's reveal."""
    return {
        **room_card(card, state, names),
        "author_id": None if card.anonymous else card.author_id,
        "by_staff": card.by_staff,
        "hidden": card.hidden,
        "hidden_reason": card.hidden_reason,
        "not_revealed": state.board(card.step).until_reveal,
    }


def own_card(card: Card) -> OwnCard:
    """The author's own view: they always see their card, and why it was hidden."""
    return {
        **_face(card),
        "anonymous": card.anonymous,
        "hidden": card.hidden,
        "hidden_reason": card.hidden_reason,
        "adopted": card.adopted,
        "cluster_id": card.cluster_id,
        "by_staff": card.by_staff,
    }


def render_card(
    card: Card, state: SessionState, audience: Audience, names: Mapping[int, str]
) -> RoomCard | TutorCard:
    if audience not in CONSOLES:
        return room_card(card, state, names)
    shown = tutor_card(card, state, names)  # an observer is never sent a hidden card
    if audience is Audience.OBSERVER and isinstance(names, ObservedNames):
        # Someone shown under a pseudonym is not named by another's card either.
        shown["fields"] = names.renamer.fields(shown["fields"])
        shown["text"] = names.renamer.text(shown["text"])
    return shown


def board_view(state: SessionState, step_id: str) -> BoardView:
    """A step's board settings, groups and vote totals: the same for every audience."""
    step = state.step(step_id)
    board = state.board(step_id)
    kind = BOARDS[step.board]
    not_revealed = sum(
        1
        for card in state.cards.values()
        if card.step == step_id and card.in_room and board.until_reveal and not kind.private
    )
    return {
        "step": step_id,
        "board": step.board,
        "locked": board.locked,
        "until_reveal": board.until_reveal,
        "anonymous": board.anonymous,
        "budget": state.vote_budget(step_id),
        "options": step.options,
        "clusters": [
            {"id": c.id, "title": c.title}
            for c in sorted(state.clusters.values(), key=lambda c: c.id)
            if c.step == step_id
        ],
        "tally": state.tally(step_id),
        "not_revealed_count": not_revealed,
        "private": kind.private,
        "answered": answered(state, step_id) if kind.private else 0,
    }


def answered(state: SessionState, step_id: str) -> int:
    """How many people have a card on a step's board: all a private board lets be seen."""
    return len(
        {
            card.author_id
            for card in state.cards.values()
            if card.step == step_id and not card.withdrawn and card.author_id is not None
        }
    )


def own_votes_view(state: SessionState, step_id: str, participant: int) -> OwnVotes:
    """One participant's own votes and stances on a step's board."""
    return {
        "step": step_id,
        "votes": dict(state.votes_of(step_id, participant)),
        "stances": {
            str(card.id): card.stances[participant]
            for card in state.cards.values()
            if card.step == step_id and participant in card.stances
        },
    }


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
    if kind in (
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
        votes = [own_votes_view(state, s, person) for s in sorted(touched.steps)]
        payload = {"seq": state.seq, "own": own, "own_removed": gone, "own_votes": votes}
        yield Message(Audience.PARTICIPANTS, payload, person)
