"""Sharing a reviewed session with trainees, its focus question, and their answers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import FocusAnswer, LiveSession, User
from app.models.base import utcnow
from app.refusals import Refused

MAX_FOCUS_PROMPT = 500
MAX_FOCUS_ANSWER = 4000


class SharingRefused(Refused):
    """Refused with a stable `code` (see app.messages)."""


def share(live: LiveSession, by: User, focus_prompt: str) -> None:
    """Let every tutor and trainee of the organisation replay `live`, asking them to
    watch for `focus_prompt` (empty: no question). The caller commits."""
    prompt = focus_prompt.strip()
    if len(prompt) > MAX_FOCUS_PROMPT:
        raise SharingRefused("text_too_long", f"focus_prompt:{MAX_FOCUS_PROMPT}")
    live.shared_at = live.shared_at or utcnow()
    live.shared_by_id = by.id
    live.focus_prompt = prompt or None


def unshare(live: LiveSession) -> None:
    live.shared_at = None
    live.shared_by_id = None


def answer_focus(db: Session, live: LiveSession, by: User, answer: str) -> FocusAnswer | None:
    """Keep `by`'s answer to the focus question (an empty answer removes theirs)."""
    if not live.focus_prompt:
        raise SharingRefused("no_focus_prompt")
    text = answer.strip()
    if len(text) > MAX_FOCUS_ANSWER:
        raise SharingRefused("text_too_long", f"answer:{MAX_FOCUS_ANSWER}")
    found = db.scalar(
        select(FocusAnswer).where(FocusAnswer.session_id == live.id, FocusAnswer.user_id == by.id)
    )
    if not text:
        if found is not None:
            db.delete(found)
        return None
    if found is None:
        found = FocusAnswer(session_id=live.id, user_id=by.id, body=text)
        db.add(found)
    else:
        found.body = text
    return found


@dataclass(frozen=True)
class Answer:
    by: str
    body: str


def focus_answers(db: Session, live: LiveSession) -> list[Answer]:
    """The trainees' answers, for whoever shared the session to read."""
    rows = db.scalars(
        select(FocusAnswer).where(FocusAnswer.session_id == live.id).order_by(FocusAnswer.id)
    )
    return [Answer(row.user.display_name, row.body) for row in rows]
