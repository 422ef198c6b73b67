"""One card and one board as each audience may see them: the pieces `views.py` builds
its snapshots and patches from.

Hidden cards, cards waiting to be revealed and anonymous authors are removed here, per
recipient, before anything leaves the server (the rules are told in `views.py`). On a
hidden-first step a card reaches the room only once its author chose to show it, and
its place and date only if they chose that too (app.live.disclosure); the consoles see
every card, marked with what its author chose. A card of an authorless board (the
programme's anonymous feedback) has no author for anyone, and until the tutor shows
the cards every audience hears only how many there are; the tutor alone reads them once
the board is closed, to hide an abusive one before the wall shows them all.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from enum import StrEnum

from app.live.disclosure import details_withheld, hidden_first, room_fields, shown_by_author
from app.live.state import Card, SessionState
from app.live.wire import BoardView, CardFace, OwnCard, OwnVotes, RoomCard, TutorCard
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


def visible(card: Card, state: SessionState, audience: Audience) -> bool:
    if card.withdrawn or BOARDS[card.board].private:
        return False
    board = state.board(card.step)
    waiting = board.until_reveal
    if BOARDS[card.board].authorless and waiting:
        # A count until the tutor shows them; once nobody can answer any more (the board
        # closed), the tutor reads them first, to hide one before one click shows all.
        return audience is Audience.TUTOR and board.locked
    if audience is Audience.TUTOR:
        return True
    # A trainee watching sees what the room may, of a story its author keeps to themself.
    if audience is Audience.OBSERVER:
        return not card.hidden and shown_by_author(card, state)
    return card.in_room and not waiting and shown_by_author(card, state)


def _face(card: Card, state: SessionState) -> CardFace:
    """What every view of a card starts with: which card, where, and what it says (as
    the room may read it: the consoles put the whole card back)."""
    return {
        "id": card.id,
        "step": card.step,
        "board": card.board,
        "fields": room_fields(card, state),
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
        **_face(card, state),
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
    is anonymous, to the tutor too), whether it is hidden and why, whether it waits for
    the board's reveal, and what its author chose to show of it."""
    return {
        **room_card(card, state, names),
        "fields": dict(card.fields),
        "author_id": None if card.anonymous else card.author_id,
        "by_staff": card.by_staff,
        "hidden": card.hidden,
        "hidden_reason": card.hidden_reason,
        "not_revealed": state.board(card.step).until_reveal,
        "not_shown": not shown_by_author(card, state),
        "details_not_shown": bool(details_withheld(card, state)),
        "hidden_first": hidden_first(state, card.step),
    }


def own_card(card: Card) -> OwnCard:
    """The author's own view: they always see their card, why it was hidden, and what
    they chose to show of it."""
    return {
        "id": card.id,
        "step": card.step,
        "board": card.board,
        "fields": dict(card.fields),
        "text": card.text,
        "anonymous": card.anonymous,
        "hidden": card.hidden,
        "hidden_reason": card.hidden_reason,
        "adopted": card.adopted,
        "cluster_id": card.cluster_id,
        "by_staff": card.by_staff,
        "shown": card.shown,
        "details_shown": card.details_shown,
    }


def render_card(
    card: Card, state: SessionState, audience: Audience, names: Mapping[int, str]
) -> RoomCard | TutorCard:
    if audience not in CONSOLES:
        return room_card(card, state, names)
    shown = tutor_card(card, state, names)  # an observer is never sent a hidden card
    if audience is Audience.OBSERVER:
        shown["fields"] = room_fields(card, state)  # nor a place its author kept back
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
        "hidden_first": step.hidden_first,
        "revealing": list(kind.revealing),
        "authorless": kind.authorless,
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
