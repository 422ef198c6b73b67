"""The self-assessment's figures: how a group rated itself before the cycle and after it.

Each person answers five questions on a scale of four, once early in the cycle (a step
with "phase: before") and once at its end ("phase: after"), on a private board: their
own card, which no screen shows. Only a group's figures leave here, and only for a group
of MIN_GROUP people or more; a person reads their own answers on their portfolio page.

Plain functions over the database and the folded sessions; the words (the questions'
labels) are the caller's, in its reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.live import store
from app.models import Cohort, LiveSession, Membership, Participant
from app.outcomes.disclosure import MIN_CELL
from app.vocabulary.boards import (
    BOARDS,
    PHASES,
    SELF_ASSESSMENT_QUESTIONS,
    SELF_ASSESSMENT_SCALE,
)
from app.workshops import ScriptErrors
from app.workshops.loader import load_pinned

# Fewer people than this and a group's answers would tell one person's: none are shown.
MIN_GROUP = MIN_CELL  # people, as for every figure that leaves the reports
QUESTIONS = SELF_ASSESSMENT_QUESTIONS
SCALE = tuple(int(value) for value in SELF_ASSESSMENT_SCALE)

Answers = dict[str, int]  # question -> 1..4


@dataclass(frozen=True)
class QuestionFigures:
    key: str
    label: str
    before_mean: float | None  # None: fewer than MIN_GROUP answered this phase
    after_mean: float | None
    before_counts: tuple[int, int, int, int]  # how many answered 1, 2, 3, 4 (zeros if too few)
    after_counts: tuple[int, int, int, int]


@dataclass(frozen=True)
class SelfAssessmentFigures:
    answered_before: int
    answered_after: int
    questions: tuple[QuestionFigures, ...]


@dataclass(frozen=True)
class _Answer:
    person: int
    cohort: int
    phase: str
    when: tuple[datetime, int, int]  # the session's start, the card's time, its id
    answers: Answers
    posted: tuple[datetime, int, int]  # when this card was first sent
    first: tuple[datetime, int, int] | None = None  # this person's first answer in the phase


def group_figures(
    db: Session, cohort_ids: Sequence[int], labels: Mapping[str, str] | None = None
) -> SelfAssessmentFigures | None:
    """The groups' figures, each person's latest answers per phase; None when neither
    phase has MIN_GROUP people. `labels`: the questions in the reader's words (else keys)."""
    latest = _latest(_answers(db, _sessions(db, cohort_ids)))
    by_phase = {
        phase: _of_large_groups([a for a in latest if a.phase == phase]) for phase in PHASES
    }
    before, after = by_phase["before"], by_phase["after"]
    if len(before) < MIN_GROUP and len(after) < MIN_GROUP:
        return None
    questions = []
    for key in QUESTIONS:
        b_mean, b_counts = _figures(before, key)
        a_mean, a_counts = _figures(after, key)
        label = (labels or {}).get(key, key)
        questions.append(QuestionFigures(key, str(label), b_mean, a_mean, b_counts, a_counts))
    return SelfAssessmentFigures(len(before), len(after), tuple(questions))


def own_answers(db: Session, participant_id: int) -> dict[str, Answers]:
    """A person's own latest answers by phase ("before", "after"), for their own page."""
    me = _identity(db, participant_id)
    absorbed = db.scalars(select(Participant.id).where(Participant.merged_into_id == me)).all()
    cohorts = _cohorts_of(db, {me, *absorbed})
    answers = [a for a in _answers(db, _sessions(db, cohorts)) if a.person == me]
    return {a.phase: dict(a.answers) for a in _latest(answers)}


def _figures(answers: list[_Answer], key: str) -> tuple[float | None, tuple[int, int, int, int]]:
    if len(answers) < MIN_GROUP:
        return None, (0, 0, 0, 0)
    values = [a.answers[key] for a in answers]
    counts = tuple(values.count(v) for v in SCALE)
    return round(sum(values) / len(values), 2), counts  # type: ignore[return-value]


def _of_large_groups(answers: list[_Answer]) -> list[_Answer]:
    """The answers counted, group by group, in whole blocks of MIN_GROUP people, the
    earliest to answer first: a group of 4 counts nobody, of 7 its first 5, of 10 all.
    A year's figures less one group's, or a group's figures before and after one more
    person answered, then never give away anyone's own answers."""
    by_group: dict[int, list[_Answer]] = {}
    for answer in answers:
        by_group.setdefault(answer.cohort, []).append(answer)
    counted = []
    for group in by_group.values():
        group.sort(key=lambda a: (a.first or a.posted, a.person))
        counted += group[: len(group) - len(group) % MIN_GROUP]
    return counted


def _latest(answers: Iterable[_Answer]) -> list[_Answer]:
    """Each person's latest answers per phase (a second session replaces the first),
    remembering when they first answered in that phase."""
    kept: dict[tuple[int, str], _Answer] = {}
    first: dict[tuple[int, str], tuple[datetime, int, int]] = {}
    for answer in answers:
        key = (answer.person, answer.phase)
        first[key] = min(first.get(key, answer.posted), answer.posted)
        if key not in kept or answer.when > kept[key].when:
            kept[key] = answer
    return sorted(
        (replace(a, first=first[(a.person, a.phase)]) for a in kept.values()),
        key=lambda a: (a.person, a.phase),
    )


def _sessions(db: Session, cohort_ids: Iterable[int]) -> list[LiveSession]:
    """The real sessions of those groups: no rehearsal, no trainees' practice group."""
    ids = sorted(set(cohort_ids))
    if not ids:
        return []
    query = (
        select(LiveSession)
        .join(Cohort, Cohort.id == LiveSession.cohort_id)
        .where(LiveSession.cohort_id.in_(ids))
        .where(LiveSession.is_rehearsal.is_(False))
        .where(Cohort.practice.is_(False))
        .order_by(LiveSession.id)
    )
    return list(db.scalars(query))


def _phases(session: LiveSession, known: dict[int, dict[str, str]]) -> dict[str, str]:
    """Step id -> phase of the session's self-assessment steps, from the script it ran."""
    version = session.script_version
    if version.id not in known:
        try:
            meeting = load_pinned(session.meeting_slug, dict(version.sources))["fr"]
        except ScriptErrors:
            meeting = None
        known[version.id] = {
            step.id: step.phase
            for step in (meeting.steps if meeting is not None else ())
            if BOARDS[step.board].phased and step.phase in PHASES
        }
    return known[version.id]


def _answers(db: Session, sessions: Iterable[LiveSession]) -> list[_Answer]:
    found: list[_Answer] = []
    phases_by_version: dict[int, dict[str, str]] = {}
    identities: dict[int, int] = {}
    for session in sessions:
        phases = _phases(session, phases_by_version)
        if not phases:
            continue  # no self-assessment in this meeting: no need to fold it
        state = store.load_state(db, session.id)
        for card in state.cards.values():
            phase = phases.get(card.step)
            if phase is None or card.withdrawn or card.author_id is None:
                continue
            try:
                answers = {q: int(card.fields[q]) for q in QUESTIONS}
            except (KeyError, TypeError, ValueError):
                continue  # a card of an older board form: not a whole answer
            if card.author_id not in identities:
                identities[card.author_id] = _identity(db, card.author_id)
            person = identities[card.author_id]
            when = (session.started_at, card.edited_ms or card.posted_ms, card.id)
            posted = (session.started_at, card.posted_ms, card.id)
            found.append(_Answer(person, session.cohort_id, phase, when, answers, posted))
    return found


def _identity(db: Session, participant_id: int) -> int:
    """The person an id stands for now, after names were merged into another."""
    seen: set[int] = set()
    while participant_id not in seen:
        seen.add(participant_id)
        merged = db.scalar(
            select(Participant.merged_into_id).where(Participant.id == participant_id)
        )
        if merged is None:
            break
        participant_id = merged
    return participant_id


def _cohorts_of(db: Session, people: set[int]) -> list[int]:
    query = select(Membership.cohort_id).where(Membership.participant_id.in_(sorted(people)))
    return sorted(set(db.scalars(query)))
