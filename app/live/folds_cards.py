"""Folds for cards: posting, editing, taking back, hiding; clusters; stances and
adopted rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from app.live.checks import (
    MAX_CLUSTER_TITLE,
    MAX_HIDE_REASON,
    STANCES,
    bool_field,
    card_fields,
    card_of,
    int_field,
    own_live_card,
    participant_of,
    require_open,
    short_text,
    step_of,
)
from app.live.errors import IllegalMove
from app.live.events import ActorKind, Event
from app.live.folds_wall import off_the_wall
from app.live.state import Card, Cluster, SessionState, frozen, with_entry, without
from app.vocabulary.boards import BOARDS


def _put_card(state: SessionState, card: Card) -> SessionState:
    return replace(state, cards=with_entry(state.cards, card.id, card))


def _change_card(state: SessionState, card: Card, **changes: Any) -> SessionState:
    """Put the card back with `changes`; a move that would change nothing is refused."""
    if all(getattr(card, name) == value for name, value in changes.items()):
        raise IllegalMove("no_change")
    return _put_card(state, replace(card, **changes))


def _without_votes_for(
    by_voter: Mapping[int, Mapping[str, int]], target: str
) -> Mapping[int, Mapping[str, int]]:
    """One step's votes, each voter's dots on `target` (a card or group now gone) dropped."""
    return frozen(
        {
            voter: frozen({t: n for t, n in mine.items() if t != target})
            for voter, mine in by_voter.items()
        }
    )


def card_posted(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    board = event.payload.get("board")
    step = state.current_step
    if board is None or step is None or board != state.open_board:
        raise IllegalMove("board_closed", str(board))
    raw = event.payload.get("fields")
    if raw is None and "text" in event.payload:
        raw = {"text": event.payload["text"]}  # the short form of a one-field card
    fields = card_fields(board, raw)
    on_behalf = event.payload.get("on_behalf_of")
    if BOARDS[board].authorless:
        # Nobody's card: the boundary checked who sent it, then kept their name out of
        # the log (no actor, no one on whose behalf), so nothing can tell it again.
        if event.actor is not None or on_behalf is not None:
            raise IllegalMove("not_allowed")
        author: int | None = None
    elif event.actor is not None and event.actor.kind is ActorKind.PARTICIPANT:
        if on_behalf is not None:
            raise IllegalMove("not_allowed")
        author = state.identity(event.actor.id)
    elif on_behalf is not None:
        if BOARDS[board].private:  # their answers are theirs alone, never a tutor's
            raise IllegalMove("not_allowed")
        author = state.identity(int_field(event.payload, "on_behalf_of", "no_such_participant"))
    else:
        author = None
    card = Card(
        id=event.seq,
        board=board,
        step=step.id,
        author_id=author,
        fields=frozen(fields),
        posted_ms=event.ts_ms,
        anonymous=state.board(step.id).anonymous,
        by_staff=on_behalf is not None,
    )
    return _put_card(state, card)


def card_edited(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    card = own_live_card(state, event)
    if card.hidden:
        raise IllegalMove("card_hidden")
    fields = card_fields(card.board, event.payload.get("fields"))
    return _put_card(state, replace(card, fields=frozen(fields), edited_ms=event.ts_ms))


def card_withdrawn(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    card = own_live_card(state, event)
    votes = {
        step_id: _without_votes_for(by_voter, f"card:{card.id}")
        for step_id, by_voter in state.votes.items()
    }
    state = replace(_put_card(state, replace(card, withdrawn=True)), votes=frozen(votes))
    return off_the_wall(state, lambda spotlit: spotlit.id == card.id)


def card_hidden(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    card = card_of(state, event.payload)
    if card.hidden:
        raise IllegalMove("already_hidden")
    reason = short_text(event.payload, "reason", MAX_HIDE_REASON, required=False)
    state = _put_card(state, replace(card, hidden=True, hidden_reason=reason))
    return off_the_wall(state, lambda spotlit: spotlit.id == card.id)


def card_unhidden(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    card = card_of(state, event.payload)
    if not card.hidden:
        raise IllegalMove("not_hidden")
    return _put_card(state, replace(card, hidden=False, hidden_reason=""))


def card_grouped(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    card = card_of(state, event.payload)
    cluster_id = event.payload.get("cluster_id")
    if cluster_id is not None:
        cluster = state.clusters.get(cluster_id)
        if cluster is None or cluster.step != card.step:
            raise IllegalMove("no_such_cluster")
    return _change_card(state, card, cluster_id=cluster_id)


def rule_stance(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    who = participant_of(event, state)
    card = card_of(state, event.payload)
    if not BOARDS[card.board].stances or not card.in_room:
        raise IllegalMove("no_stance_here")
    if state.board(card.step).until_reveal:
        raise IllegalMove("not_revealed_yet")
    if not state.is_live(card.step):
        raise IllegalMove("board_closed")
    stance = event.payload.get("stance")
    if stance not in (*STANCES, "none"):
        raise IllegalMove("bad_field", "stance")
    if stance == "none":
        stances = without(card.stances, who)
    else:
        stances = with_entry(card.stances, who, stance)
    return _put_card(state, replace(card, stances=stances))


def rule_adopted(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    card = card_of(state, event.payload)
    if not BOARDS[card.board].adoptable:
        raise IllegalMove("not_adoptable")
    adopted = bool_field(event.payload, "adopted")
    if adopted and not card.in_room:
        raise IllegalMove("card_hidden")
    return _change_card(state, card, adopted=adopted)


def cluster_created(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    step = step_of(state, event.payload)
    if not BOARDS[step.board].accepts_cards:
        raise IllegalMove("no_board")
    title = short_text(event.payload, "title", MAX_CLUSTER_TITLE, required=True)
    cluster = Cluster(event.seq, step.id, title)
    return replace(state, clusters=with_entry(state.clusters, cluster.id, cluster))


def _cluster(state: SessionState, payload: Mapping[str, Any]) -> Cluster:
    cluster = state.clusters.get(payload.get("cluster_id"))  # type: ignore[arg-type]
    if cluster is None:
        raise IllegalMove("no_such_cluster")
    return cluster


def cluster_renamed(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    cluster = _cluster(state, event.payload)
    title = short_text(event.payload, "title", MAX_CLUSTER_TITLE, required=True)
    renamed = replace(cluster, title=title)
    return replace(state, clusters=with_entry(state.clusters, cluster.id, renamed))


def cluster_removed(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    cluster = _cluster(state, event.payload)
    cards = {
        cid: replace(card, cluster_id=None) if card.cluster_id == cluster.id else card
        for cid, card in state.cards.items()
    }
    votes = _without_votes_for(state.votes.get(cluster.step, {}), f"cluster:{cluster.id}")
    return replace(
        state,
        clusters=without(state.clusters, cluster.id),
        cards=frozen(cards),
        votes=with_entry(state.votes, cluster.step, votes),
    )
