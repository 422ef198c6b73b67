"""Who may do what: the permissions module, role by role."""

from __future__ import annotations

import pytest

from app.permissions import (
    Action,
    Principal,
    ReplayAction,
    Role,
    allowed_actions,
    can,
    replay_actions,
)

EVERY_ACTION = set(Action)
TUTOR_ACTIONS = EVERY_ACTION - {Action.POST_CARD, Action.ACT_ACROSS_COHORTS}
PORTFOLIO_ACTIONS = {Action.READ_SHARED_PORTFOLIO, Action.COMMENT_PORTFOLIO}


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        (Principal(Role.TUTOR, 1, in_cohort=True), TUTOR_ACTIONS),
        (Principal(Role.TUTOR, 1, in_cohort=False), set()),
        (
            Principal(Role.COORDINATOR, 1, in_cohort=False),
            TUTOR_ACTIONS | {Action.ACT_ACROSS_COHORTS},
        ),
        # A trainee watches a real session from the console only: the projector shows
        # real names, the console shows them pseudonyms (no backstage).
        (Principal(Role.TRAINEE, 1, in_cohort=True), {Action.ENTER_ROOM}),
        (
            Principal(Role.TRAINEE, 1, in_cohort=False, owns_rehearsal=True),
            TUTOR_ACTIONS - PORTFOLIO_ACTIONS - {Action.MANAGE_COHORT},
        ),
        (Principal(Role.PARTICIPANT, 9, in_cohort=True), {Action.ENTER_ROOM, Action.POST_CARD}),
        (Principal(Role.PARTICIPANT, 9, in_cohort=False), set()),
    ],
)
def test_each_role_gets_exactly_its_actions(principal, expected):
    assert allowed_actions(principal) == expected


def test_only_tutors_of_the_cohort_may_hide_cards():
    assert can(Principal(Role.TUTOR, 1, in_cohort=True), Action.MODERATE)
    assert not can(Principal(Role.PARTICIPANT, 9, in_cohort=True), Action.MODERATE)
    assert not can(Principal(Role.TRAINEE, 2, in_cohort=True), Action.MODERATE)
    assert not can(Principal(Role.TUTOR, 3, in_cohort=False), Action.MODERATE)


def test_a_participant_waiting_at_the_door_cannot_enter_or_post():
    waiting = Principal(Role.PARTICIPANT, 9, in_cohort=False)
    assert not can(waiting, Action.ENTER_ROOM)
    assert not can(waiting, Action.POST_CARD)


REVIEWS = set(ReplayAction)
WATCHES_AND_ANNOTATES = {ReplayAction.WATCH, ReplayAction.ASK, ReplayAction.ANNOTATE}


@pytest.mark.parametrize(
    ("principal", "shared", "expected"),
    [
        # Those who ran it review it, shared or not: names found, words removed, sharing.
        (Principal(Role.TUTOR, 1, in_cohort=True), False, REVIEWS),
        (Principal(Role.COORDINATOR, 1, in_cohort=False), False, REVIEWS),
        # Nobody else sees a session its tutors have not reviewed and shared.
        (Principal(Role.TUTOR, 1, in_cohort=False), False, set()),
        (Principal(Role.TRAINEE, 1, in_cohort=True), False, set()),
        (Principal(Role.TRAINEE, 1, in_cohort=False), False, set()),
        # Once shared: every tutor watches and annotates; trainees watch and ask.
        (Principal(Role.TUTOR, 1, in_cohort=False), True, WATCHES_AND_ANNOTATES),
        (Principal(Role.TRAINEE, 1, in_cohort=False), True, {ReplayAction.WATCH, ReplayAction.ASK}),
        # Participants never replay, their own group's session neither.
        (Principal(Role.PARTICIPANT, 9, in_cohort=True), True, set()),
    ],
)
def test_who_may_do_what_with_a_replay(principal, shared, expected):
    assert replay_actions(principal, shared) == expected
