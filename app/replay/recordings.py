"""A finished session's Recording, from its log and its stored keyframes.

The first replay of a session folds its log once (off the event loop) and stores the
keyframes; later ones, in any process, read back only the keyframe a seek starts from.
Keyframes of another fold version, or a set that does not match the log, are made
again: they are derived data. A few recordings stay in this process's memory.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from threading import Lock
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.live import store
from app.live.replay import KEYFRAME_EVERY, Recording, build_keyframes, is_keyframe
from app.live.state import SessionState
from app.live.state_codec import from_json, label, to_json
from app.models import LiveSession, ReplayKeyframe
from app.offload import off_the_loop

_KEPT = 8
# Per database engine (two apps, or two test databases, never share one); by session,
# its last seq and its contents' version, so a recording made before words were removed
# (by this process or another) is never used again.
_Key = tuple[int, int, int]
_caches: WeakKeyDictionary[Any, OrderedDict[_Key, Recording]] = WeakKeyDictionary()
_lock = Lock()


def _cache(db: Session) -> OrderedDict[_Key, Recording]:
    return _caches.setdefault(db.get_bind(), OrderedDict())


def forget(db: Session, session_ids: Iterable[int]) -> None:
    """Drop these sessions' recordings from this process's memory."""
    ids = set(session_ids)
    with _lock:
        cache = _cache(db)
        for key in [key for key in cache if key[0] in ids]:
            del cache[key]


def recording_for(db: Session, session_id: int) -> Recording:
    """The session's recording, as of its last event."""
    live = db.get_one(LiveSession, session_id)
    key = (session_id, live.last_seq, live.contents_version or 0)
    with _lock:
        known = _cache(db).get(key)
        if known is not None:
            _cache(db).move_to_end(key)
            return known
    events = store.events_after(db, session_id)
    expected = [event.seq for event in events if is_keyframe(event, KEYFRAME_EVERY)]
    version = label(live.contents_version or 0)
    stored = db.scalars(
        select(ReplayKeyframe.seq)
        .where(ReplayKeyframe.session_id == session_id, ReplayKeyframe.fold_version == version)
        .order_by(ReplayKeyframe.seq)
    )
    if list(stored) != expected:  # made before the live room kept them, or words removed
        keyframes = off_the_loop(build_keyframes, events, KEYFRAME_EVERY)
        _store(db.get_bind(), session_id, keyframes, version)
    reader = _reader(db.get_bind(), session_id, version)
    recording = Recording(events, KEYFRAME_EVERY, stored=(expected, reader))
    with _lock:
        cache = _cache(db)
        cache[key] = recording
        while len(cache) > _KEPT:
            cache.popitem(last=False)
    return recording


def _reader(engine: Any, session_id: int, version: str) -> Callable[[int], SessionState]:
    """Read one stored keyframe when a seek needs it, on a short session of its own (the
    recording outlives the request that made it). On the event loop's thread: callers
    read the keyframe first (`Recording.base_for`), then fold off the loop."""

    def read(seq: int) -> SessionState:
        with Session(engine) as db:
            body = db.scalar(
                select(ReplayKeyframe.state).where(
                    ReplayKeyframe.session_id == session_id,
                    ReplayKeyframe.seq == seq,
                    ReplayKeyframe.fold_version == version,
                )
            )
        if body is None:  # dropped since, words removed: this copy is out of date
            raise LookupError(f"keyframe {seq} of session {session_id}")
        return from_json(body)

    return read


def _store(engine: Any, session_id: int, keyframes: list[SessionState], version: str) -> None:
    """Replace the session's stored keyframes, in a transaction of their own (a page
    that reads commits nothing of its caller's). Another process storing at the same
    time is fine: the labels say which contents each was folded from."""
    with Session(engine) as db:
        try:
            db.execute(delete(ReplayKeyframe).where(ReplayKeyframe.session_id == session_id))
            db.add_all(
                ReplayKeyframe(
                    session_id=session_id, seq=frame.seq, fold_version=version, state=to_json(frame)
                )
                for frame in keyframes
            )
            db.commit()
        except IntegrityError:
            db.rollback()
