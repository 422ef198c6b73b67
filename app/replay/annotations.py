"""Notes left on the moments of a finished session: why the tutor did something, what
they would do differently, a trainee's question, and the replies to each.

An annotation is shared with everyone who may replay the session, or private: read by
its author and by those who review the session (its tutors, the coordinator).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Annotation, LiveSession, User
from app.refusals import Refused

MAX_BODY = 2000


class Kind(StrEnum):
    WHY = "why"  # why I did this
    DIFFERENTLY = "differently"  # what I would do differently
    QUESTION = "question"
    REPLY = "reply"


# What one may write without reviewing the session: questions, and replies.
ASKING_KINDS = frozenset({Kind.QUESTION, Kind.REPLY})


class AnnotationRefused(Refused):
    """A note that cannot be kept: `code` says why (see app.messages)."""


@dataclass(frozen=True)
class NewAnnotation:
    seq: int
    kind: str
    body: str
    private: bool = False
    parent_id: int | None = None


def add(
    db: Session,
    live: LiveSession,
    author: User,
    new: NewAnnotation,
    *,
    may_annotate: bool,
    reviews: bool = False,
) -> Annotation:
    """Keep a note on the moment `new.seq` of the session (the caller commits)."""
    body = new.body.strip()
    if not body:
        raise AnnotationRefused("annotation_empty")
    if len(body) > MAX_BODY:
        raise AnnotationRefused("text_too_long", f"body:{MAX_BODY}")
    parent = None
    if new.parent_id is not None:  # a reply sits on its note's moment
        parent = db.get(Annotation, new.parent_id)
        if (
            parent is None
            or parent.session_id != live.id
            or parent.parent_id is not None
            # Someone else's private note is not there for whoever may not read it.
            or (parent.private and not reviews and parent.author_id != author.id)
        ):
            raise AnnotationRefused("no_such_annotation")
    elif not 0 <= new.seq <= live.last_seq:
        raise AnnotationRefused("no_such_moment")
    try:
        kind = Kind(Kind.REPLY if parent is not None else new.kind)
    except ValueError:
        raise AnnotationRefused("bad_annotation_kind") from None
    if kind is Kind.REPLY and parent is None:
        raise AnnotationRefused("no_such_annotation")
    if kind not in ASKING_KINDS and not may_annotate:
        raise AnnotationRefused("questions_only")
    note = Annotation(
        session_id=live.id,
        seq=parent.seq if parent is not None else new.seq,
        kind=kind.value,
        body=body,
        author_id=author.id,
        # A reply to a private note stays as private as the note.
        private=bool(new.private) or bool(parent and parent.private),
        parent_id=parent.id if parent is not None else None,
    )
    db.add(note)
    db.flush()
    return note


def readable(db: Session, live: LiveSession, reader: User, *, reviews: bool) -> list[Annotation]:
    """The session's notes `reader` may read, by moment then time: the shared ones, their
    own, and (for a reviewer) every one."""
    notes = db.scalars(
        select(Annotation)
        .where(Annotation.session_id == live.id)
        .order_by(Annotation.seq, Annotation.created_at, Annotation.id)
    )
    return [n for n in notes if reviews or not n.private or n.author_id == reader.id]


@dataclass(frozen=True)
class OpenQuestion:
    session_id: int
    seq: int
    asked_by: str
    asked_at: datetime
    body: str


def open_questions(db: Session, tutor: User) -> list[OpenQuestion]:
    """Trainees' questions on the sessions `tutor` ran that nobody has answered yet."""
    sessions = select(LiveSession.id).where(LiveSession.started_by_id == tutor.id)
    questions = db.scalars(
        select(Annotation).where(
            Annotation.session_id.in_(sessions),
            Annotation.kind == Kind.QUESTION.value,
            Annotation.author_id != tutor.id,
        )
    ).all()
    answered = set(
        db.scalars(
            select(Annotation.parent_id).where(Annotation.parent_id.in_([q.id for q in questions]))
        )
    )
    return [
        OpenQuestion(
            q.session_id, q.seq, q.author.display_name if q.author else "", q.created_at, q.body
        )
        for q in questions
        if q.id not in answered
    ]
