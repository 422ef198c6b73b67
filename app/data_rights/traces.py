"""The traces a person leaves in what others wrote and what was retold of them: their
names in others' words, and their cards as rehearsals retold them (names replaced).
Used by the deletion (app.data_rights.erasure); plain functions over the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.live.events import EventType
from app.models import (
    Annotation,
    AttendanceCorrection,
    EventContent,
    FocusAnswer,
    Interview,
    LiveSession,
    SessionEvent,
    SimulatedAction,
)
from app.models.base import utcnow
from app.renaming import Renamer, first_names, renamer
from app.replay.redaction import removed_body, removed_fields
from app.vocabulary import REMOVED

CARD_EVENTS = (EventType.CARD_POSTED.value, EventType.CARD_EDITED.value)


def name_remover(names: Iterable[str]) -> Renamer:
    words = {word for name in names for word in (" ".join(name.split()), *first_names(name))}
    return renamer({word: REMOVED for word in words if word})


def renamed_body(body: dict[str, Any], board: str | None, names: Renamer) -> dict[str, Any]:
    """Another's event with the person's names taken out of its words only: a choice, a
    date, a step's id or a board's name is never a text to rename ("group-rules")."""
    out = dict(body)
    for key in ("text", "title", "reason"):
        if isinstance(out.get(key), str):
            out[key] = names.text(out[key])
    if isinstance(out.get("fields"), dict) and board:
        words = removed_fields(board, dict(out["fields"]))
        out["fields"] = {
            name: names.tree(value) if words.get(name) != value else value
            for name, value in out["fields"].items()
        }
    return out


def words_in(body: Mapping[str, Any]) -> set[str]:
    """The texts of a card's fields, to find them again where a rehearsal retold them."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str) and len(value) >= 3 and value != REMOVED:
            found.add(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(body.get("fields", {}))
    walk(body.get("text", ""))
    return found


def _tokens(text: str) -> frozenset[str]:
    return frozenset(word.casefold() for word in re.findall(r"\w{3,}", text))


RETOLD_SHARE = 0.6  # of a text's words found again: a rehearsal retold it, names changed


def _retells(candidate: Mapping[str, Any], theirs: list[frozenset[str]]) -> bool:
    """Whether a simulated card tells again one of the person's texts. A rehearsal's
    cards are real ones with every name replaced by a pseudonym and cleaned by the
    board, so they are found by their words, not by an exact copy."""
    for text in words_in(candidate):
        words = _tokens(text)
        for told in theirs:
            if len(told) >= 2 and len(words & told) >= RETOLD_SHARE * len(told):
                return True
    return False


def retold_copies(db: Session, theirs: Mapping[int, set[int]], words: set[str]) -> set[int]:
    """Rehearsals retell real sessions: taken over from one (the same seqs), or made of
    the cards of people who agreed to that reuse (their words, names replaced), planned
    ahead in `simulated_actions`. Remove those words too; returns the sessions changed."""
    if not words and not theirs:
        return set()
    told = [_tokens(text) for text in words]
    rehearsals = db.execute(
        select(SessionEvent, EventContent, LiveSession.taken_over_from_id)
        .join(EventContent, EventContent.id == SessionEvent.content_id)
        .join(LiveSession, LiveSession.id == SessionEvent.session_id)
        .where(
            LiveSession.is_rehearsal.is_(True),
            SessionEvent.type.in_(CARD_EVENTS),
        )
    ).all()
    changed: set[int] = set()
    for event, content, source in rehearsals:
        body = dict(content.body)
        retold = source in theirs and event.seq in theirs[source]
        if retold or _retells(body, told):
            content.body = removed_body(body, body.get("board"))
            content.redacted_at = utcnow()
            changed.add(event.session_id)
    for planned in db.scalars(select(SimulatedAction)):
        payload = dict(planned.payload or {})
        if _retells(payload, told):
            planned.payload = removed_body(payload, payload.get("board"))
    return changed


def rename_in_groups(
    db: Session, cohort_ids: tuple[int, ...], names: Renamer, full_names: list[str]
) -> None:
    """What the person's groups noted about others may name them: the other members'
    interviews, the reasons of attendance corrections. Anywhere else, an interview's
    "who told you about Migrapass" may name them whole (a former participant brings a
    friend to a later group): their full name is removed there too."""
    for interview in db.scalars(select(Interview).where(Interview.cohort_id.in_(cohort_ids))):
        interview.answers = names.tree(dict(interview.answers or {}))  # type: ignore[assignment]
    for correction in db.scalars(
        select(AttendanceCorrection).where(
            AttendanceCorrection.cohort_id.in_(cohort_ids),
            AttendanceCorrection.reason.is_not(None),
        )
    ):
        correction.reason = names.text(correction.reason or "")
    whole = renamer({" ".join(n.split()): REMOVED for n in full_names if n.strip()})
    for interview in db.scalars(select(Interview).where(Interview.cohort_id.not_in(cohort_ids))):
        referral = dict((interview.answers or {}).get("referral") or {})
        if isinstance(referral.get("detail"), str):
            detail = whole.text(referral["detail"])
            if detail != referral["detail"]:
                interview.answers = {
                    **interview.answers,
                    "referral": {**referral, "detail": detail},
                }


def rename_around(db: Session, sessions: set[int], names: Renamer) -> None:
    """What staff wrote about the sessions (annotations, trainees' answers) loses the
    person's names too."""
    for annotation in db.scalars(select(Annotation).where(Annotation.session_id.in_(sessions))):
        annotation.body = names.text(annotation.body)
    for answer in db.scalars(select(FocusAnswer).where(FocusAnswer.session_id.in_(sessions))):
        answer.body = names.text(answer.body)
    for live in db.scalars(
        select(LiveSession).where(
            LiveSession.id.in_(sessions), LiveSession.focus_prompt.is_not(None)
        )
    ):
        live.focus_prompt = names.text(live.focus_prompt or "")
