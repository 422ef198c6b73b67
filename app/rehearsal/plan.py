"""What the simulated participants of a rehearsal will do, and when: plain Python.

A plan is a list of `Move`s, each due at a moment in milliseconds; the runner stores
them and performs each when it is due. Which card a vote or a stance goes to is chosen
when it is performed (`vote_target`, `stance_card`), from the board as it is then.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.live.state import SessionState
from app.rehearsal.cast import Member, Part
from app.vocabulary.boards import BOARDS

SECOND = 1000
MINUTE = 60 * SECOND
FIRST_CARD_MS = 20 * SECOND  # nobody writes in the first seconds of a step
LATE_MS = (2 * MINUTE, 6 * MINUTE)  # how long after the others a late arrival comes in
ON_TIME_MS = (1 * SECOND, 20 * SECOND)
AFTER_ARRIVING_MS = (20 * SECOND, 90 * SECOND)  # a latecomer settles before writing
VOTES_MS = (10 * SECOND, 90 * SECOND)  # after the tutor opens the vote
MAX_VOTES_EACH = 3
STANCES_EACH = (1, 3)
AGREE = 0.85  # most stances on a proposed rule agree with it
CARDS_EACH = (1, 3)  # for someone who writes, on a board that takes cards


class Kind(StrEnum):
    """The kinds of stored rows (`SimulatedAction.kind`)."""

    PLAN = "plan"  # a marker: this step's cards (and arrivals) are planned
    PLAN_VOTES = "plan.votes"  # a marker: this step's votes are planned
    ARRIVE = "arrive"
    POST = "post"
    VOTE = "vote"
    STANCE = "stance"


@dataclass(frozen=True)
class Move:
    kind: Kind
    participant_id: int | None
    step_id: str | None
    due_ms: int
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StepMaterial:
    """What a step's simulated cards are made of.

    `delays` are recorded times (ms from the step's start to each card) of past real
    sessions; `contributions` cards of past sessions whose authors agreed to their reuse,
    pseudonymised; `examples` the examples file's; `to_hide` what a tutor should hide."""

    step_id: str
    board: str
    minutes: int
    delays: Sequence[int] = ()
    contributions: Sequence[Mapping[str, Any]] = ()
    examples: Sequence[Mapping[str, Any]] = ()
    to_hide: Sequence[Mapping[str, Any]] = ()

    @property
    def cards(self) -> Sequence[Mapping[str, Any]]:
        return self.contributions or self.examples


def rng_for(session_id: int, *words: object) -> random.Random:
    """The same draws for the same session and step, whichever process plans them."""
    return random.Random(":".join(map(str, (session_id, *words))))


def _between(rng: random.Random, bounds: tuple[int, int]) -> int:
    return rng.randint(*bounds)


def arrivals(
    members: Sequence[Member], absent: set[int], now_ms: int, rng: random.Random
) -> list[Move]:
    """The arrival of each member not in the room yet: latecomers minutes after the others."""
    moves = []
    for member in members:
        if member.participant_id not in absent:
            continue
        wait = LATE_MS if member.part is Part.LATE else ON_TIME_MS
        moves.append(Move(Kind.ARRIVE, member.participant_id, None, now_ms + _between(rng, wait)))
    return moves


def _window_ms(minutes: int) -> int:
    """How long people go on writing in a step without recorded pace: the first half of
    the script's duration, between a minute and a half and eight minutes."""
    return max(90 * SECOND, min(8 * MINUTE, minutes * MINUTE // 2))


def delay(material: StepMaterial, rng: random.Random) -> int:
    """When one card comes, from the step's start: as in a past real session (give or
    take a fifth), or somewhere in the default window."""
    if material.delays:
        recorded = rng.choice(material.delays) * rng.uniform(0.8, 1.2)
        return int(max(FIRST_CARD_MS // 2, min(recorded, material.minutes * MINUTE)))
    return _between(rng, (FIRST_CARD_MS, _window_ms(material.minutes)))


def card_moves(
    members: Sequence[Member],
    material: StepMaterial,
    now_ms: int,
    rng: random.Random,
    arrives_ms: Mapping[int, int] | None = None,
) -> list[Move]:
    """Each writer's cards for a step that takes them, and the card to hide; stances on
    the others' cards for a board that takes stances. Nothing for another board."""
    board = BOARDS.get(material.board)
    if board is None or not board.accepts_cards:
        return []
    arrives_ms = arrives_ms or {}
    pool = list(material.cards)
    rng.shuffle(pool)
    drawn = 0
    moves: list[Move] = []
    for member in members:
        if not member.writes:
            continue
        start = now_ms
        if member.participant_id in arrives_ms:  # a latecomer settles first
            start = max(
                now_ms, arrives_ms[member.participant_id] + _between(rng, AFTER_ARRIVING_MS)
            )
        times = sorted(delay(material, rng) for _ in range(_between(rng, CARDS_EACH)))
        for at in times if pool else ():
            fields = pool[drawn % len(pool)]
            drawn += 1
            moves.append(_post(member, material, start + at, fields))
        if member.part is Part.OVERSHARER and material.to_hide:
            fields = rng.choice(list(material.to_hide))
            moves.append(_post(member, material, start + delay(material, rng), fields))
    if board.stances:
        moves += _stances(members, material, now_ms, rng)
    return moves


def _post(member: Member, material: StepMaterial, due_ms: int, fields: Mapping[str, Any]) -> Move:
    payload = {"board": material.board, "fields": dict(fields)}
    return Move(Kind.POST, member.participant_id, material.step_id, due_ms, payload)


def _stances(
    members: Sequence[Member], material: StepMaterial, now_ms: int, rng: random.Random
) -> list[Move]:
    """Agreeing or not with the others' proposals, once some are on the board."""
    start = now_ms + _window_ms(material.minutes) // 2
    moves = []
    for member in members:
        for _ in range(_between(rng, STANCES_EACH)):
            stance = "agree" if rng.random() < AGREE else "disagree"
            payload = {"step": material.step_id, "choice": rng.random(), "stance": stance}
            due = start + _between(rng, (0, _window_ms(material.minutes)))
            moves.append(Move(Kind.STANCE, member.participant_id, material.step_id, due, payload))
    return moves


def vote_moves(
    members: Sequence[Member], step_id: str, budget: int, now_ms: int, rng: random.Random
) -> list[Move]:
    """Everyone's dots, spread over the minute or so after the tutor opened the vote."""
    moves = []
    for member in members:
        for _ in range(min(budget, MAX_VOTES_EACH)):
            payload = {"step": step_id, "choice": rng.random()}
            due = now_ms + _between(rng, VOTES_MS)
            moves.append(Move(Kind.VOTE, member.participant_id, step_id, due, payload))
    return moves


def _pick(options: Sequence[Any], choice: float) -> Any:
    return options[min(len(options) - 1, int(choice * len(options)))]


def vote_target(state: SessionState, step_id: str, voter: int, choice: float) -> str | None:
    """What a dot goes to: a poll's option, a group of cards, or a card that takes votes
    (a proposed rule, once revealed); never one's own card. None: nothing to vote for yet."""
    step = state.step(step_id)
    board = BOARDS[step.board]
    targets = [f"option:{i}" for i in range(step.options)] if board.poll else []
    targets += [f"cluster:{c.id}" for c in state.clusters.values() if c.step == step_id]
    if board.votes_on_cards and not state.board(step_id).until_reveal:
        targets += [
            f"card:{card.id}"
            for card in sorted(state.cards.values(), key=lambda c: c.id)
            if card.step == step_id and card.in_room and card.author_id != voter
        ]
    return _pick(targets, choice) if targets else None


def stance_card(state: SessionState, step_id: str, who: int, choice: float) -> int | None:
    """A card of someone else's on the step that `who` has taken no stance on yet."""
    if state.board(step_id).until_reveal:
        return None
    cards = [
        card.id
        for card in sorted(state.cards.values(), key=lambda c: c.id)
        if card.step == step_id
        and card.in_room
        and card.author_id != who
        and who not in card.stances
        and BOARDS[card.board].stances
    ]
    return _pick(cards, choice) if cards else None
