"""The event log in the database: append safely, read back, fold.

Appending takes the session row's counter with an UPDATE first: on PostgreSQL that
row lock serialises writers of one session across server processes, on SQLite the
write lock does; so the state an event is checked against is the latest one, and
sequence numbers have no gaps. The caller commits once, then emits.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.live.engine import admit, fold
from app.live.errors import IllegalMove
from app.live.events import Actor, ActorKind, Event, EventType
from app.live.fidelity import view_digest
from app.live.replay import is_keyframe
from app.live.state import SessionState
from app.live.state_codec import label, to_json
from app.models import EventContent, LiveSession, ReplayKeyframe, SessionEvent, ViewHash
from app.models.base import now_ms, utcnow
from app.session_status import SessionStatus

# The moments whose projector view is fingerprinted live (app.live.fidelity).
STEP_CHANGES = frozenset({EventType.SESSION_STARTED, EventType.STEP_MOVED})


class DuplicateWrite(Exception):
    """The client id was already stored: the caller rolls back and acknowledges the
    event that is already there, so a resent write never stores twice."""

    def __init__(self, existing: Event) -> None:
        super().__init__(f"duplicate of seq {existing.seq}")
        self.existing = existing


@dataclass(frozen=True)
class Appended:
    event: Event
    state: SessionState
    before: SessionState


def to_domain(row: SessionEvent) -> Event:
    actor = _actor(row.actor_participant_id, row.actor_user_id)
    body = row.content.body if row.content is not None else {}
    return Event(row.seq, EventType(row.type), row.created_ms, actor, dict(body))


def events_after(
    db: Session, session_id: int, after_seq: int = 0, upto: int | None = None
) -> list[Event]:
    """The log after `after_seq` (up to `upto` included), in order."""
    # Columns, not ORM objects, and each event's content in the same query: a replay
    # reads a whole evening's log (10,000 events) at once.
    query = (
        select(
            SessionEvent.seq,
            SessionEvent.type,
            SessionEvent.created_ms,
            SessionEvent.actor_participant_id,
            SessionEvent.actor_user_id,
            EventContent.body,
        )
        .outerjoin(EventContent, EventContent.id == SessionEvent.content_id)
        .where(SessionEvent.session_id == session_id, SessionEvent.seq > after_seq)
        .order_by(SessionEvent.seq)
    )
    if upto is not None:
        query = query.where(SessionEvent.seq <= upto)
    return [
        Event(seq, EventType(type_), ms, _actor(participant, user), dict(body or {}))
        for seq, type_, ms, participant, user, body in db.execute(query)
    ]


def _actor(participant_id: int | None, user_id: int | None) -> Actor | None:
    if participant_id is not None:
        return Actor(ActorKind.PARTICIPANT, participant_id)
    if user_id is not None:
        return Actor(ActorKind.STAFF, user_id)
    return None


# The latest committed state of recent sessions, per database engine (so two apps, or
# two test databases, never share one), in this process. A read folds only the events
# stored since, by any process; only states known to be committed are remembered.
_CACHE_SIZE = 32
_committed: WeakKeyDictionary[Any, OrderedDict[int, SessionState]] = WeakKeyDictionary()


def _cache(db: Session) -> OrderedDict[int, SessionState]:
    return _committed.setdefault(db.get_bind(), OrderedDict())


# And, per session, the last few committed states by seq: a phone catching up after
# seq n starts from the state at n instead of folding the whole log again.
_RECENT = 64
_recent: WeakKeyDictionary[Any, dict[int, OrderedDict[int, SessionState]]] = WeakKeyDictionary()


def remember(db: Session, session_id: int, state: SessionState) -> None:
    """Keep a state the caller has just committed (or read with nothing uncommitted)."""
    cache = _cache(db)
    known = cache.get(session_id)
    if known is None or known.seq <= state.seq:
        cache[session_id] = state
        cache.move_to_end(session_id)
    while len(cache) > _CACHE_SIZE:
        gone, _state = cache.popitem(last=False)
        _recent.get(db.get_bind(), {}).pop(gone, None)
    recent = _recent.setdefault(db.get_bind(), {}).setdefault(session_id, OrderedDict())
    recent[state.seq] = state
    while len(recent) > _RECENT:
        recent.popitem(last=False)


def forget(db: Session, session_ids: Iterable[int]) -> None:
    """Drop this process's states of these sessions: their contents changed (words
    removed) without a new event, so the next read folds the log again."""
    for session_id in session_ids:
        _cache(db).pop(session_id, None)
        _recent.get(db.get_bind(), {}).pop(session_id, None)


def state_at(db: Session, session_id: int, seq: int) -> SessionState | None:
    """The committed state right after event `seq`, if this process still has it."""
    return _recent.get(db.get_bind(), {}).get(session_id, {}).get(seq)


# The contents version (app.models.LiveSession.contents_version) each remembered state
# was folded from. Words removed from a log (a person deleted, a card taken out of
# replays) raise it without a new event: a process that did not remove them finds out
# here, at its next read, and folds the log again.
_versions: WeakKeyDictionary[Any, dict[int, int]] = WeakKeyDictionary()


def _fresh(db: Session, session_id: int) -> None:
    """Drop this process's states of the session if its contents changed since."""
    version = db.scalar(select(LiveSession.contents_version).where(LiveSession.id == session_id))
    seen = _versions.setdefault(db.get_bind(), {})
    if seen.get(session_id, version) != version:
        forget(db, [session_id])
    seen[session_id] = version or 0


def load_state(db: Session, session_id: int) -> SessionState:
    """The session's state: the remembered one, brought up to date from the log."""
    _fresh(db, session_id)
    known = _cache(db).get(session_id)
    events = events_after(db, session_id, known.seq if known is not None else 0)
    return fold(events, known)


@contextmanager
def scripted_clock(clock: Callable[[], int]) -> Iterator[None]:
    """Date the events appended inside with `clock` instead of the wall clock: for a
    recorded evening written at once (the demo's past workshops, tests). Never inside a
    running server: the clock is this module's, for every caller."""
    global now_ms
    wall = now_ms
    now_ms = clock
    try:
        yield
    finally:
        now_ms = wall


def find_by_client_id(db: Session, session_id: int, client_id: str) -> Event | None:
    row = db.scalar(
        select(SessionEvent).where(
            SessionEvent.session_id == session_id, SessionEvent.client_id == client_id
        )
    )
    return to_domain(row) if row is not None else None


def _duplicate(existing: Event, actor: Actor | None) -> Exception:
    """A resend of one's own write is acknowledged again; someone else's id is refused,
    so a client id cannot be used to learn about another person's event."""
    if existing.actor != actor:
        return IllegalMove("bad_request")
    return DuplicateWrite(existing)


def append(
    db: Session,
    live: LiveSession,
    type_: EventType,
    actor: Actor | None,
    payload: dict[str, Any] | None = None,
    client_id: str | None = None,
) -> Appended:
    """Check the event against the latest state, store it and mirror the session row."""
    seq = db.execute(
        update(LiveSession)
        .where(LiveSession.id == live.id)
        .values(last_seq=LiveSession.last_seq + 1)
        .returning(LiveSession.last_seq)
    ).scalar_one()
    # A resend is looked for once, after the counter's lock: a copy another process
    # stored while we waited is seen only now, and one stored before is seen too. The
    # caller rolls the counter back with the refusal, so a resend leaves no gap.
    if client_id is not None and (found := find_by_client_id(db, live.id, client_id)):
        raise _duplicate(found, actor)
    state = load_state(db, live.id)
    event = Event(seq, type_, now_ms(), actor, dict(payload or {}))
    new_state = admit(state, event)  # a new move: the newest rules too
    content = EventContent(body=event.payload) if event.payload else None
    db.add(
        SessionEvent(
            session_id=live.id,
            seq=seq,
            type=type_.value,
            actor_user_id=actor.id if actor and actor.kind is ActorKind.STAFF else None,
            actor_participant_id=(
                actor.id if actor and actor.kind is ActorKind.PARTICIPANT else None
            ),
            client_id=client_id,
            created_ms=event.ts_ms,
            content=content,
        )
    )
    if type_ in STEP_CHANGES:  # the replay of this moment must show the same wall
        db.add(ViewHash(session_id=live.id, seq=seq, digest=view_digest(new_state)))
    if is_keyframe(event) and not live.is_rehearsal:
        # Kept as the room goes (every step change, every KEYFRAME_EVERY events), so the
        # first replay of a long evening reads one keyframe instead of folding it all.
        version = label(live.contents_version or 0)
        db.add(
            ReplayKeyframe(
                session_id=live.id, seq=seq, fold_version=version, state=to_json(new_state)
            )
        )
    live.last_seq = seq
    live.joining_locked = new_state.joining_locked
    if new_state.status == SessionStatus.ENDED and live.status != SessionStatus.ENDED:
        live.status = SessionStatus.ENDED
        live.ended_at = utcnow()
    db.flush()
    return Appended(event, new_state, state)
