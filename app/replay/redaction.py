"""Removing words from replays, on the log's content table: the event stays (its type,
its seq, its place on the board), every word it carried is replaced by REMOVED.

The same removal serves a tutor who takes a card or a note out of replays and, later,
the deletion of a person: once removed, their words are in no row any more, so no
replay, keyframe or rehearsal built afterwards can show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.live import store
from app.live.events import EventType
from app.models import LiveSession, ReplayKeyframe, SessionEvent
from app.models.base import utcnow
from app.replay import recordings
from app.vocabulary import REMOVED
from app.vocabulary.boards import board_type

# The events whose content may be removed from replays: a card's words, a note.
REMOVABLE = {EventType.CARD_POSTED, EventType.NOTE_TAKEN}


class NotRemovable(Exception):
    """No card or note at that seq."""


def _words_removed(value: Any) -> Any:
    if isinstance(value, str):
        return REMOVED if value else value
    if isinstance(value, list):
        return [_words_removed(item) for item in value]
    if isinstance(value, dict):
        return {key: _words_removed(item) for key, item in value.items()}
    return value


def removed_fields(board: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A card's fields with the words of each field that holds words replaced; a field
    that holds a choice or a date keeps it (the card keeps its place on the board)."""
    kinds = {field.name: field for field in board_type(board).fields}
    out = dict(fields)
    for name, value in fields.items():
        field = kinds.get(name)
        if field is None:
            continue
        try:
            field.check(name, REMOVED)
        except Exception:  # a choice or a date: no words to remove
            if isinstance(value, list):
                out[name] = _words_removed(value)
            continue
        out[name] = _words_removed(value)
    return out


def removed_body(body: dict[str, Any], board: str | None = None) -> dict[str, Any]:
    """An event's content with its words removed and its shape kept (an edit names no
    board: the card's own is given)."""
    out = dict(body)
    if "text" in out:
        out["text"] = _words_removed(out["text"])
    board = body.get("board", board)
    if "fields" in out and isinstance(board, str):
        out["fields"] = removed_fields(board, dict(out["fields"]))
    return out


def remove_from_replays(db: Session, session_id: int, seq: int) -> list[int]:
    """Remove the words of the card posted at `seq` (and of every edit of it) or of the
    note taken at `seq`; return the seqs changed. The caller commits."""
    row = db.scalar(
        select(SessionEvent).where(SessionEvent.session_id == session_id, SessionEvent.seq == seq)
    )
    if row is None or row.type not in REMOVABLE:
        raise NotRemovable(seq)
    rows = [row]
    if row.type == EventType.CARD_POSTED:
        rows += [
            edit
            for edit in db.scalars(
                select(SessionEvent).where(
                    SessionEvent.session_id == session_id,
                    SessionEvent.type == EventType.CARD_EDITED.value,
                )
            )
            if edit.content is not None and edit.content.body.get("card_id") == seq
        ]
    board = row.content.body.get("board") if row.content is not None else None
    seqs = [r.seq for r in rows]
    # Rehearsals taken over at or after this moment retold it, under the same seqs.
    copies = list(
        db.scalars(
            select(LiveSession.id).where(
                LiveSession.taken_over_from_id == session_id,
                LiveSession.taken_over_at_seq >= seq,
            )
        )
    )
    retold = db.scalars(
        select(SessionEvent).where(SessionEvent.session_id.in_(copies), SessionEvent.seq.in_(seqs))
    )
    remove_contents(db, ((r, board) for r in [*rows, *retold]))
    forget_keyframes(db, [session_id])
    db.execute(
        update(LiveSession)
        .where(LiveSession.id == session_id)
        .values(contents_version=LiveSession.contents_version + 1)
    )
    return seqs


def remove_contents(db: Session, rows: Iterable[tuple[SessionEvent, str | None]]) -> None:
    """Replace the words of these events' contents (a card's rows with its board)."""
    for row, board in rows:
        content = row.content
        if content is None:
            continue
        content.body = removed_body(dict(content.body), board)
        content.redacted_at = utcnow()


def forget_keyframes(db: Session, session_ids: Iterable[int]) -> None:
    """Drop the stored keyframes of these sessions: they may hold removed words. The
    next replay folds them again from the log. The caller also raises the sessions'
    `contents_version`, so other processes drop theirs too."""
    ids = list(session_ids)
    db.execute(delete(ReplayKeyframe).where(ReplayKeyframe.session_id.in_(ids)))
    recordings.forget(db, ids)
    store.forget(db, ids)
