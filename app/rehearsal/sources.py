"""What a rehearsal's simulated cards are made of: the pace of past real sessions of the
same step, the cards of their participants who agreed to that reuse (pseudonymised),
and, when there are none, the examples file (workshops/rehearsal-examples.yaml).

Reads only: the database and a file, never a Flask object.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import agreed_to
from app.live.disclosure import retellable, reusable, room_fields
from app.live.engine import apply
from app.live.events import Event, EventType
from app.live.state import SessionState
from app.live.store import events_after
from app.models import EventContent, LiveSession, Membership, Participant, SessionEvent
from app.offload import off_the_loop
from app.participants.consent import Purpose
from app.rehearsal.cast import NAMES
from app.rehearsal.plan import StepMaterial
from app.renaming import first_names, renamer
from app.session_status import SessionStatus
from app.vocabulary.boards import FieldRefused, board_type
from app.workshops import REFERENCE_LOCALE, Step

EXAMPLES_FILE = "rehearsal-examples.yaml"
PAST_SESSIONS = 20  # the most recent real sessions of a meeting a rehearsal learns from

Card = Mapping[str, Any]


class ExamplesError(ValueError):
    """The examples file is not as its header comment describes."""


@dataclass(frozen=True)
class Examples:
    """The examples file: cards by (meeting, step, locale), by (board, locale), and
    what to hide by (board, locale)."""

    by_step: Mapping[tuple[str, str, str], tuple[Card, ...]] = field(default_factory=dict)
    by_board: Mapping[tuple[str, str], tuple[Card, ...]] = field(default_factory=dict)
    to_hide: Mapping[tuple[str, str], tuple[Card, ...]] = field(default_factory=dict)

    def cards(self, slug: str, step: Step, locale: str) -> tuple[Card, ...]:
        for wanted in (locale, REFERENCE_LOCALE):
            found = self.by_step.get((slug, step.id, wanted)) or self.by_board.get(
                (step.board, wanted)
            )
            if found:
                return _fitting(step.board, found)
        return ()

    def hide(self, board: str, locale: str) -> tuple[Card, ...]:
        found = self.to_hide.get((board, locale)) or self.to_hide.get((board, REFERENCE_LOCALE))
        return _fitting(board, found or ())


def _fitting(board: str, cards: Sequence[Card]) -> tuple[Card, ...]:
    """The cards the board's schema takes, as it would store them."""
    kept = []
    for card in cards:
        try:
            kept.append(board_type(board).clean(card))
        except FieldRefused:
            continue
    return tuple(kept)


def _cards(where: str, raw: Any) -> tuple[Card, ...]:
    if not isinstance(raw, list) or not all(isinstance(card, dict) for card in raw):
        raise ExamplesError(f"{where}: a list of cards (each with its fields) was expected")
    return tuple(raw)


def _by_locale(where: str, raw: Any) -> dict[str, tuple[Card, ...]]:
    if not isinstance(raw, dict):
        raise ExamplesError(f"{where}: languages (fr, en) were expected")
    return {str(locale): _cards(f"{where}.{locale}", cards) for locale, cards in raw.items()}


def parse_examples(text: str) -> Examples:
    """The examples file's text, read; ExamplesError names the part that is wrong."""
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise ExamplesError("the file should start with meetings:, boards: and to_hide:")
    by_step: dict[tuple[str, str, str], tuple[Card, ...]] = {}
    for slug, steps in (data.get("meetings") or {}).items():
        if not isinstance(steps, dict):
            raise ExamplesError(f"meetings.{slug}: step ids were expected")
        for step_id, locales in steps.items():
            for locale, cards in _by_locale(f"meetings.{slug}.{step_id}", locales).items():
                by_step[(str(slug), str(step_id), locale)] = cards
    flat: dict[str, dict[tuple[str, str], tuple[Card, ...]]] = {}
    for part in ("boards", "to_hide"):
        flat[part] = {}
        for board, locales in (data.get(part) or {}).items():
            for locale, cards in _by_locale(f"{part}.{board}", locales).items():
                flat[part][(str(board), locale)] = cards
    return Examples(by_step, flat["boards"], flat["to_hide"])


@lru_cache(maxsize=4)
def _examples_at(path: str, _mtime: float) -> Examples:
    return parse_examples(Path(path).read_text(encoding="utf-8"))


def examples_in(workshops_dir: str | Path) -> Examples:
    """The examples file of a workshops folder (none: no examples), read again when the
    file changes."""
    path = Path(workshops_dir) / EXAMPLES_FILE
    if not path.exists():
        return Examples()
    return _examples_at(str(path), path.stat().st_mtime)


# -- past real sessions ------------------------------------------------------------------


@dataclass
class Recorded:
    """One step of one meeting in past real sessions: ms from the step's start to each
    card, and the cards that may be reused (pseudonymised)."""

    delays: list[int] = field(default_factory=list)
    cards: list[dict[str, Any]] = field(default_factory=list)


def recorded(
    db: Session,
    slug: str,
    step_id: str,
    pseudonyms: Sequence[str] = NAMES,
    retold: int | None = None,
) -> Recorded:
    """The pace and the reusable cards of `step_id` in the latest real sessions of `slug`
    that ended; the session a rehearsal `retold` (took over) gives its pace only: its
    cards are on the rehearsal's board already."""
    found = Recorded()
    sessions = db.scalars(
        select(LiveSession)
        .where(
            LiveSession.meeting_slug == slug,
            LiveSession.is_rehearsal.is_(False),
            LiveSession.status == SessionStatus.ENDED,
        )
        .order_by(LiveSession.id.desc())
        .limit(PAST_SESSIONS)
    ).all()
    for live in sessions:
        state, delays, removed = _walk(db, live.id, step_id)
        found.delays += delays
        if live.id == retold:
            continue
        # As the room saw them: a private board's answers, the anonymous feedback and a
        # story its author kept to themself are nobody else's to reuse (disclosure), and
        # a place or a date its author did not show stays out of the card (and a card
        # that cannot do without it is not retold at all).
        cards = [
            card
            for card in sorted(state.cards.values(), key=lambda c: c.id)
            if card.step == step_id
            and reusable(card, state)
            and retellable(card, state)
            and card.id not in removed
            and card.author_id is not None
        ]
        if not cards:
            continue
        agreed = _agreed_to_reuse(db, {card.author_id for card in cards if card.author_id})
        names = _hidden_names(db, live.cohort_id, pseudonyms)
        for card in cards:
            if card.author_id in agreed:
                fields = renamer(names).tree(_plain(room_fields(card, state)))
                try:
                    found.cards.append(board_type(card.board).clean(fields))
                except FieldRefused:  # a pseudonym longer than the name it replaced
                    continue
    return found


def _walk(db: Session, session_id: int, step_id: str) -> tuple[SessionState, list[int], set[int]]:
    """Fold one session's log; the delays of `step_id`'s cards from the moment the step
    came on screen, and the cards whose words were removed from replays."""
    redacted = set(
        db.scalars(
            select(SessionEvent.seq)
            .join(EventContent, EventContent.id == SessionEvent.content_id)
            .where(SessionEvent.session_id == session_id, EventContent.redacted_at.is_not(None))
        )
    )
    events = events_after(db, session_id)
    # The fold is computation only: off the event loop, the rooms keep answering.
    return off_the_loop(_walked, events, step_id, redacted)


def _walked(
    events: list[Event], step_id: str, redacted: set[int]
) -> tuple[SessionState, list[int], set[int]]:
    state = SessionState()
    delays: list[int] = []
    removed: set[int] = set()
    began: int | None = None
    for event in events:
        state = apply(state, event)
        step = state.current_step
        if event.type in (EventType.SESSION_STARTED, EventType.STEP_MOVED):
            began = event.ts_ms if step is not None and step.id == step_id else None
        elif event.type == EventType.CARD_POSTED and began is not None:
            delays.append(event.ts_ms - began)
        if event.seq in redacted:  # the card's words, as posted or as edited
            card_id = event.seq if event.type == EventType.CARD_POSTED else None
            card_id = card_id or event.payload.get("card_id")
            if isinstance(card_id, int):
                removed.add(card_id)
    return state, delays, removed


def _plain(value: Any) -> Any:
    """A card's read-only fields as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _agreed_to_reuse(db: Session, participant_ids: set[int]) -> set[int]:
    """Who answered yes, last, to their cards being reused without name in rehearsals."""
    return agreed_to(db, participant_ids, Purpose.REHEARSAL_REUSE)


def _hidden_names(db: Session, cohort_id: int, pseudonyms: Sequence[str]) -> dict[str, str]:
    """Every word of every name in the source group -> a name of the rehearsal's."""
    rows = db.scalars(
        select(Participant.display_name)
        .join(Membership, Membership.participant_id == Participant.id)
        .where(Membership.cohort_id == cohort_id)
        .order_by(Membership.id)
    )
    names: dict[str, str] = {}
    for index, name in enumerate(rows):
        for word in first_names(name):
            names.setdefault(word, pseudonyms[index % len(pseudonyms)])
    return names


def material(
    db: Session,
    slug: str,
    step: Step,
    locale: str,
    examples: Examples,
    pseudonyms: Sequence[str] = NAMES,
    retold: int | None = None,
) -> StepMaterial:
    """Everything a step's simulated cards are made of."""
    past = recorded(db, slug, step.id, pseudonyms or NAMES, retold)
    return StepMaterial(
        step_id=step.id,
        board=step.board,
        minutes=step.duration_minutes,
        delays=tuple(past.delays),
        contributions=tuple(past.cards),
        examples=examples.cards(slug, step, locale),
        to_hide=examples.hide(step.board, locale),
    )
