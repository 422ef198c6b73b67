"""Runs the simulated participants of rehearsals from their stored schedule.

Each period, any server process: plans the step an open rehearsal is on when it has no
plan yet (and its votes once the tutor opens voting), drops the moves of steps the tutor
has left, then claims each due move (one process wins each) and performs it through the
same operations and the same boundary as a phone: commit, then emit, so the room, the
console and the projector hear simulated participants as they hear anyone. Nothing is
timed inside a process: two processes share the work, and a restart loses none of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select, update

from app.access import participant_principal
from app.extensions import db, socketio
from app.live import operations
from app.live.events import EventType
from app.live.pinned import meeting_of
from app.live.state import SessionState
from app.live.store import Appended, load_state
from app.live.wire import Ack
from app.models import (
    Cohort,
    DeviceLink,
    LiveSession,
    Membership,
    MembershipStatus,
    Participant,
)
from app.models import SimulatedAction as Row
from app.models.base import now_ms, utcnow
from app.participants import consent
from app.permissions import Action, can
from app.rehearsal import plan, sources
from app.rehearsal.cast import Member, cast
from app.rehearsal.plan import Kind, Move
from app.script_access import current_script
from app.session_status import SessionStatus
from app.sockets.boundary import perform

FAILURES_SAID_EVERY = 60
PERIOD_S = 1.0
RETRY_MS = 20_000  # a move that cannot happen yet (nobody to vote for) is tried again
MAX_TRIES = 12
WAITING = "waiting"
_MARKERS = (Kind.PLAN.value, Kind.PLAN_VOTES.value)


def start(app: Flask) -> None:
    """Run the rehearsals every PERIOD_S seconds for as long as the server runs."""
    socketio.start_background_task(_forever, app)


def _forever(app: Flask) -> None:
    failures = 0
    while True:
        socketio.sleep(PERIOD_S)
        with app.app_context():
            try:
                run_due(now_ms())
                failures = 0
            except Exception as exc:  # a database hiccup must not stop the rehearsals
                failures += 1
                # Once in full, then a line a minute: a database down for an hour must
                # not bury the log under a traceback every second.
                if failures == 1:
                    app.logger.exception("rehearsal runner failed")
                elif failures % FAILURES_SAID_EVERY == 0:
                    app.logger.error("rehearsal runner still failing (%d times): %s", failures, exc)
                db.session.rollback()
            finally:
                db.session.remove()


def run_due(now_ms: int, limit: int = 50) -> int:
    """Plan what the open rehearsals need, then perform up to `limit` moves due at
    `now_ms`; return how many were performed (refused ones included)."""
    _drop_ended()
    for live in _open_rehearsals():
        state = load_state(db.session, live.id)
        _drop_left(live, state)
        _plan(live, state, now_ms)
    return _perform_due(now_ms, limit)


# -- planning ----------------------------------------------------------------------------


def _open_rehearsals() -> list[LiveSession]:
    """Open rehearsals of practice groups: a rehearsal a tutor runs with the real group
    (the dashboard's checkbox) has real people in it, never simulated ones."""
    return list(
        db.session.scalars(
            select(LiveSession)
            .join(Cohort, Cohort.id == LiveSession.cohort_id)
            .where(
                LiveSession.is_rehearsal.is_(True),
                LiveSession.status == SessionStatus.OPEN,
                Cohort.practice.is_(True),
            )
            .order_by(LiveSession.id)
        )
    )


def _markers(session_id: int) -> set[tuple[str, str | None]]:
    rows = db.session.execute(
        select(Row.kind, Row.step_id).where(Row.session_id == session_id, Row.kind.in_(_MARKERS))
    )
    return {(kind, step) for kind, step in rows}


def _plan(live: LiveSession, state: SessionState, now: int) -> None:
    """Plan the step on screen (once), and its votes once the tutor opens voting."""
    markers = _markers(live.id)
    wanted = _wanted(markers, state)
    if not any(wanted):
        return
    # Worked out before the lock (it reads past sessions): writers wait for no reading.
    moves = _moves(live, state, now, markers, *wanted)
    # The session row's lock: one process plans, the others find its markers after.
    db.session.execute(
        update(LiveSession)
        .where(LiveSession.id == live.id)
        .values(last_seq=LiveSession.last_seq)
        .execution_options(synchronize_session=False)
    )
    if _markers(live.id) != markers:  # another process planned meanwhile
        db.session.rollback()
        return
    for move in moves:
        marker = move.kind in (Kind.PLAN, Kind.PLAN_VOTES)
        db.session.add(
            Row(
                session_id=live.id,
                participant_id=move.participant_id,
                kind=move.kind.value,
                payload=dict(move.payload),
                step_id=move.step_id,
                due_ms=move.due_ms,
                done_at=utcnow() if marker else None,
                outcome="planned" if marker else None,
            )
        )
    db.session.commit()


def _moves(
    live: LiveSession,
    state: SessionState,
    now: int,
    markers: set[tuple[str, str | None]],
    cards: bool,
    votes: bool,
) -> list[Move]:
    """The arrivals (in the first plan), the step's cards and its votes, as wanted."""
    step = state.current_step
    if step is None:  # pragma: no cover - _wanted wants nothing without a step
        return []
    members, locale = _members(live)
    moves: list[Move] = []
    arrives: dict[int, int] = {}
    if not any(kind == Kind.PLAN for kind, _step in markers):
        present = {state.identity(pid) for pid in state.present}
        absent = {m.participant_id for m in members} - present
        came = plan.arrivals(members, absent, now, plan.rng_for(live.id, "arrivals"))
        arrives = {move.participant_id: move.due_ms for move in came if move.participant_id}
        moves += came
    if cards:
        meeting = meeting_of(db.session, live, locale, current_script())
        material = sources.material(
            db.session,
            live.meeting_slug,
            meeting.step(step.id),
            locale,
            sources.examples_in(current_app.config["WORKSHOPS_DIR"]),
            [member.name for member in members],
            retold=live.taken_over_from_id,
        )
        rng = plan.rng_for(live.id, step.id)
        moves += plan.card_moves(members, material, now, rng, arrives)
        moves.append(Move(Kind.PLAN, None, step.id, now))
    if votes:
        budget = state.vote_budget(step.id)
        rng = plan.rng_for(live.id, step.id, "votes")
        moves += plan.vote_moves(members, step.id, budget, now, rng)
        moves.append(Move(Kind.PLAN_VOTES, None, step.id, now))
    return moves


def _wanted(markers: set[tuple[str, str | None]], state: SessionState) -> tuple[bool, bool]:
    """Whether the step on screen still needs its cards planned, and its votes."""
    step = state.current_step
    if step is None:
        return False, False
    cards = (Kind.PLAN.value, step.id) not in markers
    votes = state.vote_budget(step.id) > 0 and (Kind.PLAN_VOTES.value, step.id) not in markers
    return cards, votes


def _members(live: LiveSession) -> tuple[list[Member], str]:
    """The simulated participants of the rehearsal, cast, and the language they write in.

    A person who came in with the rehearsal's code on a real phone is in the group too;
    nobody ever acts for them: simulated participants are those without a phone."""
    phone = select(DeviceLink.id).where(DeviceLink.participant_id == Participant.id)
    rows = db.session.execute(
        select(Participant.id, Participant.display_name, Participant.locale)
        .join(Membership, Membership.participant_id == Participant.id)
        .where(
            Membership.cohort_id == live.cohort_id,
            Membership.status == MembershipStatus.ADMITTED.value,
            Participant.merged_into_id.is_(None),
            ~phone.exists(),
        )
    ).all()
    locale = min((row.locale for row in rows), default="fr")
    return cast({row.id: row.display_name for row in rows}, seed=live.id), locale


def _drop_left(live: LiveSession, state: SessionState) -> None:
    """The moves of a step the tutor has left will not happen."""
    step = state.current_step
    if step is None:
        return
    _close_pending(
        "step_left",
        Row.session_id == live.id,
        Row.step_id.is_not(None),
        Row.step_id != step.id,
    )


def _drop_ended() -> None:
    ended = select(LiveSession.id).where(LiveSession.status == SessionStatus.ENDED)
    _close_pending("session_ended", Row.session_id.in_(ended))


def _close_pending(outcome: str, *where: Any) -> None:
    pending = (Row.done_at.is_(None), *where)
    # Looked for first: an UPDATE takes SQLite's write lock even when it changes nothing.
    if db.session.scalar(select(Row.id).where(*pending).limit(1)) is None:
        return
    db.session.execute(
        update(Row)
        .where(*pending)
        .values(done_at=utcnow(), outcome=outcome)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


# -- performing --------------------------------------------------------------------------


def _perform_due(now: int, limit: int) -> int:
    due = db.session.scalars(
        select(Row.id)
        .where(Row.done_at.is_(None), Row.due_ms <= now)
        .order_by(Row.due_ms, Row.id)
        .limit(limit)
    ).all()
    performed = 0
    for row_id in due:
        if not _claim(row_id):
            continue  # another process took it
        row = db.session.get(Row, row_id)
        if row is None:  # pragma: no cover - its session was deleted meanwhile
            continue
        outcome = _perform(row)
        row = db.session.get(Row, row_id)  # the boundary committed or rolled back
        if row is None:  # pragma: no cover
            continue
        row.outcome = _again(row, now) if outcome == WAITING else outcome[:40]
        db.session.commit()
        performed += 1
    return performed


def _claim(row_id: int) -> bool:
    """Take one due move for this process: the first UPDATE wins, on any database."""
    claimed = db.session.execute(
        update(Row)
        .where(Row.id == row_id, Row.done_at.is_(None))
        .values(done_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    db.session.commit()
    return claimed == 1


def _again(row: Row, now: int) -> str:
    """A move that could not happen yet is stored again, a little later, a few times."""
    tries = int(row.payload.get("tries", 0)) + 1
    if tries > MAX_TRIES:
        return "gave_up"
    db.session.add(
        Row(
            session_id=row.session_id,
            participant_id=row.participant_id,
            kind=row.kind,
            payload={**row.payload, "tries": tries},
            step_id=row.step_id,
            due_ms=now + RETRY_MS,
        )
    )
    return WAITING


def _perform(row: Row) -> str:
    """Do one simulated participant's move as their phone would; its outcome ("done",
    a refusal's code, or WAITING when it cannot happen yet)."""
    live = db.session.get(LiveSession, row.session_id)
    if live is None or not live.is_open:
        return "session_ended"
    person = db.session.get(Participant, row.participant_id) if row.participant_id else None
    if person is None:
        return "no_such_participant"
    state = load_state(db.session, live.id)
    step = state.current_step
    if row.step_id is not None and (step is None or step.id != row.step_id):
        return "step_left"
    if row.kind == Kind.ARRIVE:
        return _outcome(perform(live, lambda: operations.arrive(db.session, live, person)))
    if state.identity(person.id) not in state.present:
        return WAITING  # a latecomer writes once in the room
    if not can(participant_principal(db.session, person, live.cohort_id), Action.POST_CARD):
        return "not_allowed"
    if not consent.has_required(person):
        return "consent_required"
    work = _work(row, live, person, state)
    return WAITING if work is None else _outcome(perform(live, work))


def _work(
    row: Row, live: LiveSession, person: Participant, state: SessionState
) -> Callable[[], Appended] | None:
    """The domain verb a move is, as a phone's handler calls it; None: not possible yet."""
    actor = operations.participant_actor(person)
    payload = row.payload
    who = state.identity(person.id)
    if row.kind == Kind.POST:
        client_id = f"rehearsal-{row.id}"
        board, fields = payload["board"], payload["fields"]
        return lambda: operations.post_card(db.session, live, actor, board, fields, client_id)
    if row.kind == Kind.VOTE:
        target = plan.vote_target(state, payload["step"], who, payload["choice"])
        if target is None:
            return None
        vote = {"step": payload["step"], "target": target}
        return lambda: operations.record(db.session, live, EventType.VOTE_CAST, actor, vote)
    if row.kind == Kind.STANCE:
        card_id = plan.stance_card(state, payload["step"], who, payload["choice"])
        if card_id is None:
            return None
        stance = {"card_id": card_id, "stance": payload["stance"]}
        return lambda: operations.record(db.session, live, EventType.RULE_STANCE, actor, stance)
    raise ValueError(f"unknown simulated move {row.kind!r}")  # pragma: no cover


def _outcome(ack: Ack) -> str:
    if ack.get("ok"):
        return "done"
    return str(ack.get("error", "refused"))
