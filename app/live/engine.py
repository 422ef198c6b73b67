"""The facilitation engine: a live session's state is a fold of its events.

`apply(state, event)` is pure. It refuses an illegal move by raising `IllegalMove`
with a reason code the boundaries translate; it never touches the database. Who may
send an event (a tutor, a participant) is the permission layer's business; what the
engine checks is that the move makes sense now: the board is open, the card is yours,
the vote fits in your budget.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, TypeVar

from app import texts
from app.live.errors import IllegalMove
from app.live.events import ActorKind, Event, EventType
from app.vocabulary.boards import BOARDS, board_type

__all__ = ["IllegalMove", "SessionState", "apply", "fold"]

MAX_HIDE_REASON = 200
MAX_CLUSTER_TITLE = 80
MAX_NOTE = 2000
MAX_VOTE_BUDGET = 10
MAX_TIMER_SECONDS = 4 * 3600
STANCES = ("agree", "disagree")

K = TypeVar("K")
V = TypeVar("V")


def _frozen(mapping: Mapping[K, V] | None = None) -> Mapping[K, V]:
    return MappingProxyType(dict(mapping or {}))


def _set(mapping: Mapping[K, V], key: K, value: V) -> Mapping[K, V]:
    changed = dict(mapping)
    changed[key] = value
    return MappingProxyType(changed)


def _without(mapping: Mapping[K, V], key: K) -> Mapping[K, V]:
    return MappingProxyType({k: v for k, v in mapping.items() if k != key})


@dataclass(frozen=True)
class StepInfo:
    id: str
    board: str
    options: int = 0  # a poll's number of choices; their words live in the script


@dataclass(frozen=True)
class Card:
    id: int  # the seq of the event that posted it
    board: str
    step: str
    author_id: int | None  # the participant it belongs to; None for a tutor's own card
    fields: Mapping[str, Any]
    posted_ms: int
    anonymous: bool = False  # posted while the board was anonymous: nobody sees the author
    by_staff: bool = False  # a tutor typed it for a participant without a phone
    edited_ms: int | None = None
    withdrawn: bool = False
    hidden: bool = False
    hidden_reason: str = ""
    adopted: bool = False
    cluster_id: int | None = None
    stances: Mapping[int, str] = field(default_factory=_frozen)

    @property
    def text(self) -> str:
        return board_type(self.board).summary(self.fields)

    @property
    def in_room(self) -> bool:
        """Still on the board (the author did not take it back, no tutor hid it)."""
        return not self.withdrawn and not self.hidden


@dataclass(frozen=True)
class Cluster:
    id: int  # the seq of the event that created it
    step: str
    title: str


@dataclass(frozen=True)
class BoardState:
    """The tutor's settings for one step's board."""

    locked: bool = False
    concealed: bool = False  # cards hidden from the room until the tutor reveals them
    anonymous: bool = False
    vote_budget: int | None = None  # dots per person; None: the board's default


@dataclass(frozen=True)
class Timer:
    """Server-authoritative: a running timer is its end time, a paused one what is left."""

    ends_ms: int | None = None
    remaining_ms: int | None = None

    @property
    def running(self) -> bool:
        return self.ends_ms is not None


JOIN_PANEL_SHOWN = ("auto", "large", "small")
MAX_WALL_PAGE = 999


@dataclass(frozen=True)
class Wall:
    """What the projector shows besides the board: the tutor's choices for the room's wall.

    The page is the tutor's count of turns: only the projector knows how many pages its
    screen needs, so it shows `page` modulo that number."""

    page: int = 0
    spotlight: int | None = None  # a card shown alone, large
    join: str = "auto"  # the join panel: auto (large while people arrive), large, small
    rules: bool = False  # the group's adopted rules over the board


@dataclass(frozen=True)
class Note:
    id: int
    ts_ms: int
    author_id: int | None
    text: str


@dataclass(frozen=True)
class SessionState:
    seq: int = 0
    status: str = "new"  # new -> open -> ended
    meeting: str = ""
    steps: tuple[StepInfo, ...] = ()
    step_index: int = 0
    joining_locked: bool = False
    admitted: frozenset[int] = frozenset()
    present: frozenset[int] = frozenset()
    merged: Mapping[int, int] = field(default_factory=_frozen)  # absorbed -> kept
    cards: Mapping[int, Card] = field(default_factory=_frozen)
    clusters: Mapping[int, Cluster] = field(default_factory=_frozen)
    boards: Mapping[str, BoardState] = field(default_factory=_frozen)
    # votes[step][voter][target] = dots
    votes: Mapping[str, Mapping[int, Mapping[str, int]]] = field(default_factory=_frozen)
    timer: Timer = Timer()
    wall: Wall = Wall()
    notes: tuple[Note, ...] = ()

    @property
    def current_step(self) -> StepInfo | None:
        return self.steps[self.step_index] if self.steps else None

    def step(self, step_id: Any) -> StepInfo:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise IllegalMove("no_such_step", str(step_id))

    def board(self, step_id: str) -> BoardState:
        return self.boards.get(step_id, BoardState())

    @property
    def open_board(self) -> str | None:
        """The board participants may post to now, if any."""
        step = self.current_step
        if self.status != "open" or step is None or not BOARDS[step.board].accepts_cards:
            return None
        return None if self.board(step.id).locked else step.board

    def is_live(self, step_id: str) -> bool:
        """Whether people may still act on this step's board: it is on screen and unlocked."""
        step = self.current_step
        return (
            self.status == "open"
            and step is not None
            and step.id == step_id
            and not self.board(step_id).locked
        )

    def votes_of(self, step_id: str, voter: int) -> Mapping[str, int]:
        return self.votes.get(step_id, {}).get(voter, {})

    def tally(self, step_id: str) -> dict[str, int]:
        totals: dict[str, int] = {}
        for mine in self.votes.get(step_id, {}).values():
            for target, dots in mine.items():
                totals[target] = totals.get(target, 0) + dots
        return totals

    def vote_budget(self, step_id: str) -> int:
        """Dots per person now: a poll is open to one vote unless the tutor says otherwise."""
        budget = self.board(step_id).vote_budget
        if budget is None:
            return 1 if BOARDS[self.step(step_id).board].poll else 0
        return budget

    def identity(self, participant_id: int) -> int:
        """The participant an id now stands for, after merges."""
        seen = set()
        while participant_id in self.merged and participant_id not in seen:
            seen.add(participant_id)
            participant_id = self.merged[participant_id]
        return participant_id


# -- checks shared by the folds ------------------------------------------------------


def _require_open(state: SessionState) -> None:
    if state.status == "ended":
        raise IllegalMove("session_ended")
    if state.status != "open":
        raise IllegalMove("session_not_started")


def _participant(event: Event, state: SessionState) -> int:
    if event.actor is None or event.actor.kind is not ActorKind.PARTICIPANT:
        raise IllegalMove("participants_only")
    return state.identity(event.actor.id)


def _int(payload: Mapping[str, Any], key: str, code: str) -> int:
    value = payload.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise IllegalMove(code, str(value))
    return value


def _bool(payload: Mapping[str, Any], key: str) -> bool:
    value = payload.get(key)
    if not isinstance(value, bool):
        raise IllegalMove("bad_field", key)
    return value


def _short_text(payload: Mapping[str, Any], key: str, limit: int, *, required: bool) -> str:
    value = payload.get(key, "")
    if not isinstance(value, str):
        raise IllegalMove("bad_field", key)
    value = value.strip()
    if texts.too_long(value, limit):
        raise IllegalMove("text_too_long", f"{key}:{limit}")
    if required and not value:
        raise IllegalMove("missing_field", key)
    return value


def _card(state: SessionState, payload: Mapping[str, Any]) -> Card:
    card = state.cards.get(payload.get("card_id"))  # type: ignore[arg-type]
    if card is None or card.withdrawn:
        raise IllegalMove("no_such_card")
    return card


def _own_live_card(state: SessionState, event: Event) -> Card:
    card = _card(state, event.payload)
    if card.author_id is None or card.author_id != _participant(event, state):
        raise IllegalMove("not_your_card")
    if not state.is_live(card.step):
        raise IllegalMove("board_closed")
    return card


def _put_card(state: SessionState, card: Card) -> SessionState:
    return replace(state, cards=_set(state.cards, card.id, card))


def _setting(state: SessionState, step_id: str, **changes: Any) -> SessionState:
    board = replace(state.board(step_id), **changes)
    return replace(state, boards=_set(state.boards, step_id, board))


def _step_of(state: SessionState, payload: Mapping[str, Any]) -> StepInfo:
    step = state.step(payload.get("step"))
    if step.board == "none":
        raise IllegalMove("no_board")
    return step


# -- the folds, one per event type ----------------------------------------------------


def _started(state: SessionState, event: Event) -> SessionState:
    if state.status != "new":
        raise IllegalMove("already_started")
    steps = []
    for raw in event.payload.get("steps", ()):
        board_type(raw["board"])  # refuses a board this version does not know
        steps.append(StepInfo(raw["id"], raw["board"], int(raw.get("options", 0))))
    if not steps:
        raise IllegalMove("no_steps")
    return replace(
        state, status="open", meeting=event.payload.get("meeting", ""), steps=tuple(steps)
    )


def _step_moved(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    if "delta" in event.payload:
        delta = _int(event.payload, "delta", "no_such_step")
        if delta not in (-1, 1):
            raise IllegalMove("no_such_step", str(delta))
        index = state.step_index + delta
    else:
        index = _int(event.payload, "index", "no_such_step")
    if not 0 <= index < len(state.steps):
        raise IllegalMove("no_such_step", str(index))
    if index == state.step_index:
        raise IllegalMove("already_there")
    # A new step starts without a running timer (the tutor starts it when the room is
    # ready), on its board's first page, with nothing put over the board.
    wall = replace(state.wall, page=0, spotlight=None, rules=False)
    return replace(state, step_index=index, timer=Timer(), wall=wall)


def _joining(locked: bool) -> Callable[[SessionState, Event], SessionState]:
    def fold(state: SessionState, _event: Event) -> SessionState:
        _require_open(state)
        return replace(state, joining_locked=locked)

    return fold


def _admitted(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    participant_id = _int(event.payload, "participant_id", "no_such_participant")
    return replace(state, admitted=state.admitted | {participant_id})


def _attendance(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    who = state.identity(_int(event.payload, "participant_id", "no_such_participant"))
    present = _bool(event.payload, "present")
    if (who in state.present) == present:
        raise IllegalMove("no_change")
    changed = state.present | {who} if present else state.present - {who}
    return replace(state, present=changed)


def _merged(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    absorbed = _int(event.payload, "absorbed", "no_such_participant")
    kept = state.identity(_int(event.payload, "kept", "no_such_participant"))
    if absorbed == kept or absorbed in state.merged:
        raise IllegalMove("cannot_merge")
    cards = {
        cid: replace(card, author_id=kept) if card.author_id == absorbed else card
        for cid, card in state.cards.items()
    }
    for cid, card in cards.items():
        if absorbed in card.stances:
            stances = dict(card.stances)
            theirs = stances.pop(absorbed)
            stances.setdefault(kept, theirs)
            cards[cid] = replace(card, stances=_frozen(stances))
    votes = {}
    for step_id, by_voter in state.votes.items():
        combined = {v: dict(t) for v, t in by_voter.items() if v != absorbed}
        for target, dots in by_voter.get(absorbed, {}).items():
            mine = combined.setdefault(kept, {})
            mine[target] = mine.get(target, 0) + dots
        votes[step_id] = _frozen({v: _frozen(t) for v, t in combined.items()})
    present = state.present - {absorbed}
    if absorbed in state.present:
        present |= {kept}
    return replace(
        state,
        merged=_set(state.merged, absorbed, kept),
        cards=_frozen(cards),
        votes=_frozen(votes),
        present=present,
        admitted=(state.admitted - {absorbed}) | ({kept} if absorbed in state.admitted else set()),
    )


def _card_posted(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    board = event.payload.get("board")
    if board is None or board != state.open_board:
        raise IllegalMove("board_closed", str(board))
    step = state.current_step
    assert step is not None
    raw = event.payload.get("fields")
    if raw is None and "text" in event.payload:
        raw = {"text": event.payload["text"]}  # the short form of a one-field card
    fields = board_type(board).clean(raw)
    on_behalf = event.payload.get("on_behalf_of")
    if event.actor is not None and event.actor.kind is ActorKind.PARTICIPANT:
        if on_behalf is not None:
            raise IllegalMove("not_allowed")
        author: int | None = state.identity(event.actor.id)
    elif on_behalf is not None:
        author = state.identity(_int(event.payload, "on_behalf_of", "no_such_participant"))
    else:
        author = None
    card = Card(
        id=event.seq,
        board=board,
        step=step.id,
        author_id=author,
        fields=_frozen(fields),
        posted_ms=event.ts_ms,
        anonymous=state.board(step.id).anonymous,
        by_staff=on_behalf is not None,
    )
    return _put_card(state, card)


def _card_edited(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    card = _own_live_card(state, event)
    if card.hidden:
        raise IllegalMove("card_hidden")
    fields = board_type(card.board).clean(event.payload.get("fields"))
    return _put_card(state, replace(card, fields=_frozen(fields), edited_ms=event.ts_ms))


def _card_withdrawn(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    card = _own_live_card(state, event)
    votes = {
        step_id: _frozen(
            {
                voter: _frozen({t: n for t, n in mine.items() if t != f"card:{card.id}"})
                for voter, mine in by_voter.items()
            }
        )
        for step_id, by_voter in state.votes.items()
    }
    state = replace(_put_card(state, replace(card, withdrawn=True)), votes=_frozen(votes))
    return _off_the_wall(state, lambda spotlit: spotlit.id == card.id)


def _card_hidden(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    card = _card(state, event.payload)
    if card.hidden:
        raise IllegalMove("already_hidden")
    reason = _short_text(event.payload, "reason", MAX_HIDE_REASON, required=False)
    state = _put_card(state, replace(card, hidden=True, hidden_reason=reason))
    return _off_the_wall(state, lambda spotlit: spotlit.id == card.id)


def _card_unhidden(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    card = _card(state, event.payload)
    if not card.hidden:
        raise IllegalMove("not_hidden")
    return _put_card(state, replace(card, hidden=False, hidden_reason=""))


def _card_grouped(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    card = _card(state, event.payload)
    cluster_id = event.payload.get("cluster_id")
    if cluster_id is not None:
        cluster = state.clusters.get(cluster_id)
        if cluster is None or cluster.step != card.step:
            raise IllegalMove("no_such_cluster")
    if card.cluster_id == cluster_id:
        raise IllegalMove("no_change")
    return _put_card(state, replace(card, cluster_id=cluster_id))


def _rule_stance(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    who = _participant(event, state)
    card = _card(state, event.payload)
    if not BOARDS[card.board].stances or not card.in_room:
        raise IllegalMove("no_stance_here")
    if state.board(card.step).concealed:
        raise IllegalMove("board_concealed")
    if not state.is_live(card.step):
        raise IllegalMove("board_closed")
    stance = event.payload.get("stance")
    if stance not in (*STANCES, "none"):
        raise IllegalMove("bad_field", "stance")
    stances = _set(card.stances, who, stance) if stance != "none" else _without(card.stances, who)
    return _put_card(state, replace(card, stances=stances))


def _rule_adopted(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    card = _card(state, event.payload)
    if not BOARDS[card.board].adoptable:
        raise IllegalMove("not_adoptable")
    adopted = _bool(event.payload, "adopted")
    if adopted and not card.in_room:
        raise IllegalMove("card_hidden")
    if card.adopted == adopted:
        raise IllegalMove("no_change")
    return _put_card(state, replace(card, adopted=adopted))


def _cluster_created(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    step = _step_of(state, event.payload)
    if not BOARDS[step.board].accepts_cards:
        raise IllegalMove("no_board")
    title = _short_text(event.payload, "title", MAX_CLUSTER_TITLE, required=True)
    cluster = Cluster(event.seq, step.id, title)
    return replace(state, clusters=_set(state.clusters, cluster.id, cluster))


def _cluster(state: SessionState, payload: Mapping[str, Any]) -> Cluster:
    cluster = state.clusters.get(payload.get("cluster_id"))  # type: ignore[arg-type]
    if cluster is None:
        raise IllegalMove("no_such_cluster")
    return cluster


def _cluster_renamed(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    cluster = _cluster(state, event.payload)
    title = _short_text(event.payload, "title", MAX_CLUSTER_TITLE, required=True)
    renamed = replace(cluster, title=title)
    return replace(state, clusters=_set(state.clusters, cluster.id, renamed))


def _cluster_removed(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    cluster = _cluster(state, event.payload)
    cards = {
        cid: replace(card, cluster_id=None) if card.cluster_id == cluster.id else card
        for cid, card in state.cards.items()
    }
    target = f"cluster:{cluster.id}"
    by_voter = state.votes.get(cluster.step, {})
    votes = {
        v: _frozen({t: n for t, n in mine.items() if t != target}) for v, mine in by_voter.items()
    }
    return replace(
        state,
        clusters=_without(state.clusters, cluster.id),
        cards=_frozen(cards),
        votes=_set(state.votes, cluster.step, _frozen(votes)),
    )


def _board_flag(name: str) -> Callable[[SessionState, Event], SessionState]:
    def fold(state: SessionState, event: Event) -> SessionState:
        _require_open(state)
        step = _step_of(state, event.payload)
        on = _bool(event.payload, "on")
        if getattr(state.board(step.id), name) == on:
            raise IllegalMove("no_change")
        state = _setting(state, step.id, **{name: on})
        if name == "concealed" and on:  # the room no longer sees the board's cards
            state = _off_the_wall(state, lambda spotlit: spotlit.step == step.id)
        return state

    return fold


def _voting_set(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    step = _step_of(state, event.payload)
    budget = _int(event.payload, "budget", "bad_budget")
    if not 0 <= budget <= MAX_VOTE_BUDGET:
        raise IllegalMove("bad_budget", str(budget))
    return _setting(state, step.id, vote_budget=budget)


def _vote_target(state: SessionState, step: StepInfo, target: Any) -> str:
    """Only rules, clusters and poll options take votes: never a person's own cards."""
    if not isinstance(target, str) or ":" not in target:
        raise IllegalMove("bad_vote_target")
    kind, _, raw_id = target.partition(":")
    if not (raw_id.isascii() and raw_id.isdigit()):  # "²" is a digit int() refuses
        raise IllegalMove("bad_vote_target")
    ident = int(raw_id)
    if kind == "card":
        card = state.cards.get(ident)
        if card is None or card.step != step.id or not card.in_room:
            raise IllegalMove("bad_vote_target")
        if not BOARDS[card.board].votes_on_cards:
            raise IllegalMove("no_votes_on_people")
        if state.board(step.id).concealed:
            raise IllegalMove("board_concealed")
    elif kind == "cluster":
        cluster = state.clusters.get(ident)
        if cluster is None or cluster.step != step.id:
            raise IllegalMove("bad_vote_target")
    elif kind == "option":
        if not 0 <= ident < step.options:
            raise IllegalMove("bad_vote_target")
    else:
        raise IllegalMove("bad_vote_target")
    return f"{kind}:{ident}"


def _vote(delta: int) -> Callable[[SessionState, Event], SessionState]:
    def fold(state: SessionState, event: Event) -> SessionState:
        _require_open(state)
        voter = _participant(event, state)
        step = _step_of(state, event.payload)
        if not state.is_live(step.id):
            raise IllegalMove("board_closed")
        budget = state.vote_budget(step.id)
        if budget == 0:
            raise IllegalMove("voting_closed")
        target = _vote_target(state, step, event.payload.get("target"))
        mine = dict(state.votes_of(step.id, voter))
        if delta > 0 and sum(mine.values()) >= budget:
            raise IllegalMove("no_votes_left", str(budget))
        if delta < 0 and not mine.get(target):
            raise IllegalMove("no_vote_to_take_back")
        mine[target] = mine.get(target, 0) + delta
        if mine[target] == 0:
            del mine[target]
        by_voter = _set(state.votes.get(step.id, _frozen()), voter, _frozen(mine))
        return replace(state, votes=_set(state.votes, step.id, by_voter))

    return fold


def _seconds(payload: Mapping[str, Any]) -> int:
    seconds = _int(payload, "seconds", "bad_duration")
    if not 0 < seconds <= MAX_TIMER_SECONDS:
        raise IllegalMove("bad_duration", str(seconds))
    return seconds


def _timer_started(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    ends = event.ts_ms + _seconds(event.payload) * 1000
    return replace(state, timer=Timer(ends_ms=ends))


def _timer_paused(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    if not state.timer.running:
        raise IllegalMove("timer_not_running")
    assert state.timer.ends_ms is not None
    left = max(0, state.timer.ends_ms - event.ts_ms)
    return replace(state, timer=Timer(remaining_ms=left))


def _timer_resumed(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    if state.timer.remaining_ms is None:
        raise IllegalMove("timer_not_paused")
    return replace(state, timer=Timer(ends_ms=event.ts_ms + state.timer.remaining_ms))


def _timer_extended(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    extra = _seconds(event.payload) * 1000
    timer = state.timer
    if timer.ends_ms is not None:
        # Past its end, "one more minute" counts from now, not from the missed end.
        return replace(state, timer=Timer(ends_ms=max(timer.ends_ms, event.ts_ms) + extra))
    if timer.remaining_ms is not None:
        return replace(state, timer=Timer(remaining_ms=timer.remaining_ms + extra))
    raise IllegalMove("no_timer")


def _timer_cleared(state: SessionState, _event: Event) -> SessionState:
    _require_open(state)
    if state.timer == Timer():
        raise IllegalMove("no_timer")
    return replace(state, timer=Timer())


def _off_the_wall(state: SessionState, gone: Callable[[Card], bool]) -> SessionState:
    """Take the card shown alone off the wall once the room may no longer see it: else
    revealing or showing it again would put it back on the wall unasked."""
    spotlit = state.cards.get(state.wall.spotlight) if state.wall.spotlight else None
    if spotlit is None or not gone(spotlit):
        return state
    return replace(state, wall=replace(state.wall, spotlight=None))


def _on_screen(state: SessionState, step: StepInfo) -> None:
    current = state.current_step
    if current is None or current.id != step.id:
        raise IllegalMove("not_current_step", step.id)


def _wall_paged(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    step = _step_of(state, event.payload)
    _on_screen(state, step)
    page = _int(event.payload, "page", "bad_page")
    if not 0 <= page <= MAX_WALL_PAGE:
        raise IllegalMove("bad_page", str(page))
    return replace(state, wall=replace(state.wall, page=page))


def _wall_spotlight(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    card_id = event.payload.get("card_id")
    if card_id is not None:
        card = _card(state, event.payload)
        if not card.in_room or state.board(card.step).concealed:
            raise IllegalMove("card_hidden")
        _on_screen(state, state.step(card.step))
    if state.wall.spotlight == card_id:
        raise IllegalMove("no_change")
    return replace(state, wall=replace(state.wall, spotlight=card_id))


def _wall_join(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    shown = event.payload.get("shown")
    if shown not in JOIN_PANEL_SHOWN:
        raise IllegalMove("bad_request", "shown")
    if state.wall.join == shown:
        raise IllegalMove("no_change")
    return replace(state, wall=replace(state.wall, join=shown))


def _wall_rules(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    on = _bool(event.payload, "on")
    if state.wall.rules == on:
        raise IllegalMove("no_change")
    return replace(state, wall=replace(state.wall, rules=on))


def _note_taken(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    if event.actor is None or event.actor.kind is not ActorKind.STAFF:
        raise IllegalMove("not_allowed")
    text = _short_text(event.payload, "text", MAX_NOTE, required=True)
    note = Note(event.seq, event.ts_ms, event.actor.id, text)
    return replace(state, notes=(*state.notes, note))


def _ended(state: SessionState, _event: Event) -> SessionState:
    _require_open(state)
    return replace(state, status="ended", timer=Timer())


_FOLDS: dict[EventType, Callable[[SessionState, Event], SessionState]] = {
    EventType.SESSION_STARTED: _started,
    EventType.STEP_MOVED: _step_moved,
    EventType.JOINING_LOCKED: _joining(True),
    EventType.JOINING_UNLOCKED: _joining(False),
    EventType.PARTICIPANT_ADMITTED: _admitted,
    EventType.ATTENDANCE_MARKED: _attendance,
    EventType.PARTICIPANTS_MERGED: _merged,
    EventType.CARD_POSTED: _card_posted,
    EventType.CARD_EDITED: _card_edited,
    EventType.CARD_WITHDRAWN: _card_withdrawn,
    EventType.CARD_HIDDEN: _card_hidden,
    EventType.CARD_UNHIDDEN: _card_unhidden,
    EventType.CARD_GROUPED: _card_grouped,
    EventType.RULE_STANCE: _rule_stance,
    EventType.RULE_ADOPTED: _rule_adopted,
    EventType.CLUSTER_CREATED: _cluster_created,
    EventType.CLUSTER_RENAMED: _cluster_renamed,
    EventType.CLUSTER_REMOVED: _cluster_removed,
    EventType.BOARD_LOCKED: _board_flag("locked"),
    EventType.BOARD_CONCEALED: _board_flag("concealed"),
    EventType.BOARD_ANONYMOUS: _board_flag("anonymous"),
    EventType.VOTING_SET: _voting_set,
    EventType.VOTE_CAST: _vote(+1),
    EventType.VOTE_RETRACTED: _vote(-1),
    EventType.TIMER_STARTED: _timer_started,
    EventType.TIMER_PAUSED: _timer_paused,
    EventType.TIMER_RESUMED: _timer_resumed,
    EventType.TIMER_EXTENDED: _timer_extended,
    EventType.TIMER_CLEARED: _timer_cleared,
    EventType.WALL_PAGED: _wall_paged,
    EventType.WALL_SPOTLIGHT: _wall_spotlight,
    EventType.WALL_JOIN: _wall_join,
    EventType.WALL_RULES: _wall_rules,
    EventType.NOTE_TAKEN: _note_taken,
    EventType.SESSION_ENDED: _ended,
}


def apply(state: SessionState, event: Event) -> SessionState:
    """Return the state after `event`, or raise IllegalMove if the move is refused."""
    if event.seq != state.seq + 1:
        raise IllegalMove("out_of_order", f"expected {state.seq + 1}, got {event.seq}")
    fold = _FOLDS.get(event.type)
    if fold is None:
        raise IllegalMove("unknown_event", str(event.type))
    return replace(fold(state, event), seq=event.seq)


def fold(events: list[Event], state: SessionState | None = None) -> SessionState:
    """Fold a run of events onto `state` (a fresh session by default)."""
    result = state or SessionState()
    for event in events:
        result = apply(result, event)
    return result
