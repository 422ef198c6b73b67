"""Who may do what: the one place where roles meet actions.

Pure functions over a `Principal` (who is asking, and their relation to the cohort
at stake); the boundaries build the principal from the database and ask here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    COORDINATOR = "coordinator"
    TUTOR = "tutor"
    TRAINEE = "trainee"  # a volunteer training to become a tutor
    PARTICIPANT = "participant"


STAFF_ROLES = frozenset({Role.COORDINATOR, Role.TUTOR, Role.TRAINEE})


class Action(StrEnum):
    ENTER_ROOM = "enter_room"  # receive a live session's board
    POST_CARD = "post_card"
    VIEW_PROJECTOR = "view_projector"
    RUN_SESSION = "run_session"  # start, move steps, lock joining, end
    MODERATE = "moderate"  # hide a card
    MANAGE_COHORT = "manage_cohort"  # admit, merge, consent, re-join codes
    # A participant's portfolio is theirs: staff read only what they shared, and comment.
    READ_SHARED_PORTFOLIO = "read_shared_portfolio"
    COMMENT_PORTFOLIO = "comment_portfolio"
    # A person who is in two groups: renaming, merging, consent and a new phone reach
    # the other group's data too, so only the organisation's coordinator does them.
    ACT_ACROSS_COHORTS = "act_across_cohorts"
    # Read what the room hides (hidden cards and why, private notes) and real names:
    # those who run the session. A trainee watching gets pseudonyms and the room's view.
    SEE_BACKSTAGE = "see_backstage"


class ReplayAction(StrEnum):
    """What one does with a finished session played back for training (app.replay)."""

    WATCH = "watch"
    ASK = "ask"  # a question on one of its moments, or a reply
    ANNOTATE = "annotate"  # why I did this, what I would do differently
    REVIEW = "review"  # names found in texts, removing words, sharing it with trainees


_TUTOR_ACTIONS = frozenset(
    {
        Action.ENTER_ROOM,
        Action.VIEW_PROJECTOR,
        Action.RUN_SESSION,
        Action.MODERATE,
        Action.MANAGE_COHORT,
        Action.READ_SHARED_PORTFOLIO,
        Action.COMMENT_PORTFOLIO,
        Action.SEE_BACKSTAGE,
    }
)
_COORDINATOR_ACTIONS = _TUTOR_ACTIONS | {Action.ACT_ACROSS_COHORTS}
# Trainees learn from replays (pseudonymised); they never read a person's portfolio,
# and watch a real session from the console without the projector (real names).
# A rehearsal is theirs to run, but the group is not: admitting or merging people
# changes the real cohort, so it stays with its tutors.
_REHEARSAL_ACTIONS = _TUTOR_ACTIONS - {
    Action.READ_SHARED_PORTFOLIO,
    Action.COMMENT_PORTFOLIO,
    Action.MANAGE_COHORT,
}
_TRAINEE_ACTIONS = frozenset({Action.ENTER_ROOM})
_PARTICIPANT_ACTIONS = frozenset({Action.ENTER_ROOM, Action.POST_CARD})


@dataclass(frozen=True)
class Principal:
    """Someone asking to act on one cohort, and what ties them to it."""

    role: Role
    id: int
    in_cohort: bool  # a tutor of the cohort, or an admitted participant of it
    owns_rehearsal: bool = False  # started the rehearsal at stake (trainees rehearse alone)


def allowed_actions(principal: Principal) -> frozenset[Action]:
    """Return every action the principal may take on the cohort at stake."""
    if principal.role is Role.COORDINATOR:
        return _COORDINATOR_ACTIONS
    if not principal.in_cohort and not principal.owns_rehearsal:
        return frozenset()
    if principal.role is Role.TUTOR:
        return _TUTOR_ACTIONS
    if principal.role is Role.TRAINEE:
        return _REHEARSAL_ACTIONS if principal.owns_rehearsal else _TRAINEE_ACTIONS
    if principal.role is Role.PARTICIPANT:
        return _PARTICIPANT_ACTIONS if principal.in_cohort else frozenset()
    return frozenset()


def can(principal: Principal, action: Action) -> bool:
    return action in allowed_actions(principal)


_REVIEWER_ACTIONS = frozenset(ReplayAction)
_WATCHER_ACTIONS = {
    Role.TUTOR: frozenset({ReplayAction.WATCH, ReplayAction.ASK, ReplayAction.ANNOTATE}),
    Role.TRAINEE: frozenset({ReplayAction.WATCH, ReplayAction.ASK}),
}


def replay_actions(principal: Principal, shared: bool) -> frozenset[ReplayAction]:
    """What the principal may do with a finished session's replay: those who ran it (its
    group's tutors) and the coordinator review it; once they shared it, every tutor and
    trainee of the organisation learns from it. Participants never replay."""
    if principal.role is Role.COORDINATOR:
        return _REVIEWER_ACTIONS
    if principal.role is Role.TUTOR and principal.in_cohort:
        return _REVIEWER_ACTIONS
    if shared:
        return _WATCHER_ACTIONS.get(principal.role, frozenset())
    return frozenset()
