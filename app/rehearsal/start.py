"""Starting a rehearsal: a practice group of simulated participants and the session they
meet in, either new or taken over from a moment of a past session.

Like the domain verbs, these flush and never commit: the page that calls them commits
once. The runner (app.rehearsal.runner) plans the simulated participants' moves within
a second of the session being committed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import codes, texts
from app.live import operations
from app.live.disclosure import as_finally_chosen, details_withheld, retellable, shown_by_author
from app.live.engine import apply
from app.live.errors import IllegalMove
from app.live.events import Actor, ActorKind, Event, EventType
from app.live.state import SessionState
from app.live.store import events_after
from app.models import (
    Cohort,
    EventContent,
    LiveSession,
    Membership,
    Participant,
    ScriptVersion,
    SessionEvent,
    User,
)
from app.models.base import now_ms, utcnow
from app.participants import consent
from app.participants.operations import create_participant
from app.rehearsal import cast
from app.renaming import first_names, renamer
from app.replay.redaction import removed_body
from app.vocabulary import REMOVED
from app.vocabulary.boards import board_type
from app.workshops import REFERENCE_LOCALE, Script
from app.workshops.loader import load_pinned

COHORT_NAME = 120  # the column's length

# Where a participant is named in an event's payload, by its type.
_PEOPLE_IN: dict[EventType, tuple[str, ...]] = {
    EventType.PARTICIPANT_ADMITTED: ("participant_id",),
    EventType.ATTENDANCE_MARKED: ("participant_id",),
    EventType.PARTICIPANTS_MERGED: ("absorbed", "kept"),
    EventType.CARD_POSTED: ("on_behalf_of",),
}
# Where an event's payload holds words someone wrote (names inside are replaced).
_WORDS = ("fields", "text", "title", "reason")


def start_rehearsal(
    db: Session,
    user: User,
    script: Script,
    meeting_slug: str,
    people: int = cast.DEFAULT_PEOPLE,
    *,
    locale: str = REFERENCE_LOCALE,
) -> LiveSession:
    """A private rehearsal of a meeting for `user`, with `people` simulated participants
    already let in to its practice group (the user runs it without tutoring the group:
    the session is theirs through `started_by_id`)."""
    if meeting_slug not in script.meetings:
        raise IllegalMove("no_such_meeting")
    group = _practice_group(db, script.meeting(meeting_slug, locale).title)
    _simulated(db, group, cast.names(cast.clamp_people(people)), locale)
    return operations.start_session(db, group, script, meeting_slug, user, rehearsal=True)


def take_over(
    db: Session, user: User, source: LiveSession, seq: int, *, locale: str = REFERENCE_LOCALE
) -> LiveSession:
    """A rehearsal of the same meeting, on the same script version, whose board starts as
    `source`'s stood right after event `seq`: its events 1..seq told again, in the same
    rhythm, ending now; each participant who appears in them played by a simulated one,
    every move of staff made the trainee's, the names inside what was written replaced.
    A story is told again only as its author still chose at the session's end."""
    logged = events_after(db, source.id)
    events = [
        event
        for event in logged
        if event.seq <= seq and event.type != EventType.SESSION_ENDED  # it goes on from there
    ]
    if not 1 <= seq <= source.last_seq or not events:
        raise IllegalMove("bad_request")
    version = db.get(ScriptVersion, source.script_version_id)
    if version is None:  # pragma: no cover - every session pins its version at start
        raise IllegalMove("no_such_meeting")
    meetings = load_pinned(source.meeting_slug, dict(version.sources))
    title = (meetings.get(locale) or meetings[REFERENCE_LOCALE]).title
    group = _practice_group(db, title)
    people = _people_in(events)
    played = _simulated(db, group, cast.names(len(people) or cast.DEFAULT_PEOPLE), locale)
    stand_ins = {pid: sim.id for pid, sim in zip(people, played, strict=False)}
    names = _names_replaced(db, source.cohort_id, dict(zip(people, played, strict=False)))
    live = _open(db, group, source, user)
    moment = SessionState()
    about: dict[int, int] = {}
    for event in events:
        if (card := _card_of(event, moment)) is not None:
            about[event.seq] = card
        moment = apply(moment, event)
    end = moment
    for event in logged[moment.seq :]:
        end = apply(end, event)
    moment = as_finally_chosen(moment, end)  # a story taken back later is not retold
    untold = Untold(_backstage(moment), _never_retold(moment), _kept_back(moment), about)
    _retell(db, live, events, stand_ins, Actor(ActorKind.STAFF, user.id), names, untold)
    live.taken_over_from_id = source.id
    live.taken_over_at_seq = seq
    db.flush()
    return live


def _practice_group(db: Session, title: str) -> Cohort:
    name = texts.cut(_("Rehearsal · %(meeting)s", meeting=title), COHORT_NAME)
    group = Cohort(name=name, starts_on=utcnow().date(), practice=True)
    db.add(group)
    db.flush()
    return group


def _simulated(db: Session, group: Cohort, names: Sequence[str], locale: str) -> list[Participant]:
    """Simulated participants let in to the group, with the answers a real person gives
    to take part (and no more: nothing of theirs is reused or named anywhere)."""
    people = []
    for name in names:
        person = create_participant(db, name, locale)
        consent.record(db, person, consent.ConsentAnswers(data_processing=True))
        operations.enrol(db, group, person)
        people.append(person)
    return people


def _people_in(events: Sequence[Event]) -> list[int]:
    """Every participant who acts in `events` or is named by them, in order of appearance."""
    found: dict[int, None] = {}
    for event in events:
        if event.actor is not None and event.actor.kind is ActorKind.PARTICIPANT:
            found.setdefault(event.actor.id)
        for key in _PEOPLE_IN.get(event.type, ()):
            if isinstance(pid := event.payload.get(key), int):
                found.setdefault(pid)
    return list(found)


def _names_replaced(
    db: Session, cohort_id: int, played: Mapping[int, Participant]
) -> dict[str, str]:
    """Each word of each name in the source group -> the name of whoever plays that
    person, or a name nobody in the rehearsal has, for someone who did not appear."""
    rows = db.execute(
        select(Participant.id, Participant.display_name)
        .join(Membership, Membership.participant_id == Participant.id)
        .where(Membership.cohort_id == cohort_id)
        .order_by(Membership.id)
    ).all()
    taken = [sim.display_name for sim in played.values()]
    spare = iter(cast.names(len(rows), taken=taken))
    names: dict[str, str] = {}
    for pid, name in rows:
        replacement = played[pid].display_name if pid in played else next(spare)
        for word in first_names(name):
            names.setdefault(word, replacement)
    return names


def _open(db: Session, group: Cohort, source: LiveSession, user: User) -> LiveSession:
    """The rehearsal's session row, on the source's script version, with a fresh code."""
    for _attempt in range(10):
        live = LiveSession(
            cohort_id=group.id,
            meeting_slug=source.meeting_slug,
            script_version_id=source.script_version_id,
            join_code=codes.new_code(),
            started_by_id=user.id,
            is_rehearsal=True,
        )
        try:
            with db.begin_nested():
                db.add(live)
                db.flush()
            return live
        except IntegrityError:  # join code collision: draw another
            continue
    raise IllegalMove("no_free_code")  # pragma: no cover - as in operations.start_session


@dataclass(frozen=True)
class Untold:
    """What a take-over does not tell again of the real session, card by card."""

    withheld: Mapping[int, str]  # card -> its board: words removed, place kept
    never: frozenset[int]  # cards whose every event becomes a wordless note
    kept_back: Mapping[int, tuple[str, ...]]  # card -> the fields left out of it
    about: Mapping[int, int]  # event seq -> the card it is about (`_card_of`)


def _retell(
    db: Session,
    live: LiveSession,
    events: Sequence[Event],
    stand_ins: Mapping[int, int],
    trainee: Actor,
    names: Mapping[str, str],
    untold: Untold,
) -> SessionState:
    """Store `events` as the new session's log, each checked by the engine as it would
    be live; the last one happens now, the others as long before it as they were."""
    shift = now_ms() - events[-1].ts_ms
    state = SessionState()
    for event in events:
        actor = event.actor
        if actor is not None:
            actor = trainee if actor.kind is ActorKind.STAFF else _as(actor, stand_ins)
        payload = _retold_payload(event, stand_ins, names, untold.withheld)
        card = untold.about.get(event.seq)
        if card in untold.kept_back and isinstance(payload.get("fields"), dict):
            gone = untold.kept_back[card]  # type: ignore[index]
            payload["fields"] = {k: v for k, v in payload["fields"].items() if k not in gone}
        retold = Event(event.seq, event.type, event.ts_ms + shift, actor, payload)
        if card in untold.never:
            # A move on a card not told again (posting it, showing it, a vote for it,
            # taking it alone off the wall): its place in the log is kept, as a note with
            # no words. Any other refusal is a fault of the retelling, and raises.
            retold = _wordless_note(retold, trainee)
        state = apply(state, retold)
        db.add(
            SessionEvent(
                session_id=live.id,
                seq=retold.seq,
                type=retold.type.value,
                actor_user_id=_actor_id(retold.actor, ActorKind.STAFF),
                actor_participant_id=_actor_id(retold.actor, ActorKind.PARTICIPANT),
                created_ms=retold.ts_ms,
                content=EventContent(body=retold.payload) if retold.payload else None,
            )
        )
    live.last_seq = state.seq
    live.joining_locked = state.joining_locked
    db.flush()
    return state


def _actor_id(actor: Actor | None, kind: ActorKind) -> int | None:
    return actor.id if actor is not None and actor.kind is kind else None


def _wordless_note(event: Event, trainee: Actor) -> Event:
    """A tutor's note with its words removed, in the place of an event not told again:
    the log keeps its numbering, and the notes of a take-over are all wordless."""
    return Event(event.seq, EventType.NOTE_TAKEN, event.ts_ms, trainee, {"text": REMOVED})


def _backstage(final: SessionState) -> dict[int, str]:
    """The cards hidden at the moment taken over, and the private ones (their answers
    are their authors' alone): their words stay with the session's tutors. The trainee
    runs the rehearsal and sees its backstage, so what the room did not see of the real
    session (hidden cards and why, the tutor's notes) is not told again: their words
    are removed, their place kept."""
    return {
        card.id: card.board
        for card in final.cards.values()
        if card.hidden or board_type(card.board).private
    }


def _never_retold(final: SessionState) -> frozenset[int]:
    """The cards a take-over does not tell at all, not even their place: the programme's
    anonymous feedback (reused nowhere), a story its author had not shown the group at
    that moment (or took back later), and one shown without a date its board cannot do
    without (app.live.disclosure.retellable)."""
    return frozenset(
        card.id
        for card in final.cards.values()
        if board_type(card.board).authorless
        or not shown_by_author(card, final)
        or not retellable(card, final)
    )


def _card_of(event: Event, before: SessionState) -> int | None:
    """The card an event is about: the one it posts or names, the one a vote goes to,
    the one it takes off the wall (`before`: the source's state just before it)."""
    if event.type is EventType.CARD_POSTED:
        return event.seq
    card = event.payload.get("card_id")
    if event.type is EventType.WALL_SPOTLIGHT and card is None:
        return before.wall.spotlight
    target = event.payload.get("target")
    if isinstance(target, str) and target.startswith("card:") and target[5:].isdigit():
        return int(target[5:])
    return card if isinstance(card, int) and not isinstance(card, bool) else None


def _kept_back(final: SessionState) -> dict[int, tuple[str, ...]]:
    """The place and date each shown story's author kept to themself: left out."""
    return {
        card.id: withheld
        for card in final.cards.values()
        if (withheld := details_withheld(card, final))
    }


def _as(actor: Actor, stand_ins: Mapping[int, int]) -> Actor:
    return Actor(ActorKind.PARTICIPANT, stand_ins[actor.id])


def _retold_payload(
    event: Event,
    stand_ins: Mapping[int, int],
    names: Mapping[str, str],
    withheld: Mapping[int, str],  # hidden card -> its board
) -> dict[str, Any]:
    payload = dict(event.payload)
    card = event.seq if event.type is EventType.CARD_POSTED else payload.get("card_id")
    if event.type is EventType.NOTE_TAKEN or (
        card in withheld and event.type in (EventType.CARD_POSTED, EventType.CARD_EDITED)
    ):
        payload = removed_body(payload, withheld.get(card) if isinstance(card, int) else None)
    board = withheld.get(card) if isinstance(card, int) else None
    if board is not None and board_type(board).private and "fields" in payload:
        # Real people's private answers are never retold, even as choices.
        payload["fields"] = board_type(board).placeholder()
    if event.type is EventType.CARD_HIDDEN and payload.get("reason"):
        payload["reason"] = REMOVED
    for key in _PEOPLE_IN.get(event.type, ()):
        if isinstance(payload.get(key), int):
            payload[key] = stand_ins[payload[key]]
    for key in _WORDS:
        if isinstance(payload.get(key), str):
            payload[key] = renamer(names).text(payload[key])
        elif key == "fields" and isinstance(payload.get(key), dict):
            payload[key] = renamer(names).tree(payload[key])
    return payload
