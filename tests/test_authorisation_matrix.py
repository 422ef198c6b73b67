"""Who may reach what: every HTTP route and every Socket.IO event, person by person.

The tables below are the rules; the tests walk them. Each table is checked against the
application itself (its URL map, its namespaces' `on_*` handlers), so a route or an
event added without a row here fails the build instead of shipping unguarded.

Two groups, A and B. Group A runs workshop 1, and a trainee rehearses it beside; group B
runs its own workshop. Every request and every event that should be refused must also
leave every table of the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db, socketio
from app.live import operations
from app.models import Base, Cohort, LiveSession, Membership, Participant, User
from app.participants import device
from app.permissions import Role
from app.portfolio.store import load
from app.script_access import script_of
from app.sockets.participant import ParticipantNamespace
from app.sockets.staff import ProjectorNamespace, TutorNamespace
from tests.drivers import board_messages
from tests.fixtures.application import PASSWORD

# --- who ---------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
PHONE_A = "phone_a"  # Amina, an admitted member of group A
WAITING_A = "waiting_a"  # Sara, who asked to join group A and waits at the door
KNOCKER = "knocker"  # Nour, a member of group B, who knocked at A's door (one link does it)
IN_TWO = "in_two"  # Rosa, let in to group A and to group B
PHONE_B = "phone_b"  # Lena, a member of group B
TRAINEE_A = "trainee_a"  # a trainee tutor of group A, who started the rehearsal
OTHER_TRAINEE_A = "other_trainee_a"  # another trainee of group A
TUTOR_A = "tutor_a"
TUTOR_B = "tutor_b"
COORDINATOR = "coordinator"  # teaches no group, may run any

# Outsiders go first, so that they try the world before its owners change it.
PAGE_VISITORS = (ANONYMOUS, PHONE_B, TUTOR_B, TRAINEE_A, PHONE_A, TUTOR_A, COORDINATOR)
ROOM_VISITORS = (
    ANONYMOUS,
    PHONE_B,
    TUTOR_B,
    WAITING_A,
    KNOCKER,
    IN_TWO,
    OTHER_TRAINEE_A,
    TRAINEE_A,
    PHONE_A,
    TUTOR_A,
    COORDINATOR,
)

SECRET = "Amina's private thoughts on the programme"
RULES_STEP = "group-rules"  # workshop 1's step with a board


# --- what they meet ----------------------------------------------------------------------

# Answers that prove nothing got past a permission check: refusals, and payloads or
# silences the check never saw.
BLOCKED = frozenset(
    {"login", "forbidden", "not found", "not_allowed", "unknown_event", "not_in_room"}
    | {"bad_request", "no answer"}
)


@dataclass(frozen=True)
class Expect:
    """What someone should meet: the answers that fit, and whether a write may land."""

    name: str
    answers: frozenset[str] | None  # None: any answer from past the permission check
    may_store: bool = False

    def fits(self, answer: str, stored: bool) -> bool:
        if stored and not self.may_store:
            return False
        if self.answers is None:
            return answer not in BLOCKED
        return answer in self.answers


SERVED = Expect("served", None, may_store=True)
KEPT_OUT = Expect("sent to log in (or refused)", frozenset({"login", "forbidden"}))
FORBIDDEN = Expect("forbidden", frozenset({"forbidden"}))
NOT_FOUND = Expect("not found", frozenset({"not found"}))
UNTOUCHED = Expect("answered, nothing stored", frozenset({"page", "redirected"}))
SHOWN = Expect("the page itself", frozenset({"page"}))
REDIRECTED = Expect("redirected", frozenset({"redirected"}))
NOT_SHOWN = Expect("not shown", frozenset({"redirected", "login", "forbidden", "not found"}))

REFUSED_AS_INVALID = Expect("refused as invalid", frozenset({"invalid"}))
LET_THROUGH = Expect("past the permission check", None, may_store=True)
NOT_ALLOWED = Expect("not_allowed", frozenset({"not_allowed"}))
UNKNOWN = Expect("unknown_event", frozenset({"unknown_event"}))
NOT_IN_ROOM = Expect("not_in_room", frozenset({"not_in_room"}))
NO_SUCH_PARTICIPANT = Expect("no_such_participant", frozenset({"no_such_participant"}))
LET_THROUGH_INSIDE = Expect("past the check, changing nothing outside", None)


def misfits(met: dict[str, tuple[str, bool]], rules: dict[str, Expect]) -> dict[str, str]:
    """Everyone (or every event) that met something other than its rule, said plainly."""
    return {
        key: f"expected {rules[key].name}, got {answer}" + (" and it stored" if stored else "")
        for key, (answer, stored) in met.items()
        if not rules[key].fits(answer, stored)
    }


# --- the HTTP matrix ---------------------------------------------------------------------


def rule(default: Expect, exceptions: dict[str, Expect] | None = None) -> dict[str, Expect]:
    return {who: (exceptions or {}).get(who, default) for who in PAGE_VISITORS}


PUBLIC = rule(SERVED)
# /me has no id in its URL: each phone reaches its owner's portfolio, and nobody else's.
OWN_PORTFOLIO = rule(FORBIDDEN, {PHONE_A: SERVED, PHONE_B: SERVED})
AMINAS_ENTRY = {**OWN_PORTFOLIO, PHONE_B: NOT_FOUND}
# Asking for a PDF answers with the page that waits for it.
# Asking for a PDF of one's portfolio is recorded in the audit of one's data.
RECORDED_REDIRECT = Expect("redirected, recorded", frozenset({"redirected"}), may_store=True)
OWN_PORTFOLIO_EXPORT = rule(FORBIDDEN, {PHONE_A: RECORDED_REDIRECT, PHONE_B: RECORDED_REDIRECT})
AMINAS_EXPORT = {**OWN_PORTFOLIO, PHONE_B: NOT_FOUND}
AMINAS_ENTRY_CHANGED = {**OWN_PORTFOLIO, PHONE_B: UNTOUCHED}
STAFF_ONLY = rule(SERVED, {ANONYMOUS: KEPT_OUT, PHONE_A: KEPT_OUT, PHONE_B: KEPT_OUT})
WATCHES_A = {**STAFF_ONLY, TUTOR_B: FORBIDDEN}  # trainees of A watch A's workshops
TEACHES_A = {**WATCHES_A, TRAINEE_A: FORBIDDEN}  # runs, manages, reads portfolios
ROOM_OF_A = rule(NOT_SHOWN, {PHONE_A: SHOWN})
# Group B's pages naming group A's people: B's tutor (and the coordinator) find no one.
A_THROUGH_B = {**STAFF_ONLY, TRAINEE_A: FORBIDDEN, TUTOR_A: FORBIDDEN}
A_THROUGH_B_FOUND = {**A_THROUGH_B, TUTOR_B: NOT_FOUND, COORDINATOR: NOT_FOUND}
A_THROUGH_B_IGNORED = {**A_THROUGH_B, TUTOR_B: UNTOUCHED, COORDINATOR: UNTOUCHED}
# Nour only knocks at A's door: nobody acts on her through A, the coordinator neither.
AT_A_DOOR = {**TEACHES_A, TUTOR_A: NOT_FOUND, COORDINATOR: NOT_FOUND}
AT_A_DOOR_IGNORED = {**TEACHES_A, TUTOR_A: UNTOUCHED, COORDINATOR: UNTOUCHED}
# Rosa is in A and B: what reaches B too is the coordinator's, not A's tutor's.
IN_TWO_GROUPS = {**TEACHES_A, TUTOR_A: UNTOUCHED}
RENAMED_IN_TWO_GROUPS = {**TEACHES_A, TUTOR_A: REFUSED_AS_INVALID}
# A portfolio is read through a group the person was let in to.
NOURS_PORTFOLIO = {**STAFF_ONLY, TRAINEE_A: FORBIDDEN, TUTOR_A: FORBIDDEN}
ROSAS_PORTFOLIO = {**STAFF_ONLY, TRAINEE_A: FORBIDDEN}
# A finished session: its group's tutors and the coordinator review it; nobody else sees
# it before they share it. Then every tutor and trainee learns from it.
REVIEWS_A = {**STAFF_ONLY, TUTOR_B: FORBIDDEN, TRAINEE_A: FORBIDDEN}
NO_REPLAY_YET = {**STAFF_ONLY, TUTOR_A: NOT_FOUND, TUTOR_B: NOT_FOUND, TRAINEE_A: NOT_FOUND}
NO_REPLAY_YET = {**NO_REPLAY_YET, COORDINATOR: NOT_FOUND}
REVIEWS_B = {**STAFF_ONLY, TUTOR_A: FORBIDDEN, TRAINEE_A: FORBIDDEN}
# What only the organisation's coordinator does: a person's data across all their groups.
COORDINATOR_ONLY = {**STAFF_ONLY, TUTOR_A: FORBIDDEN, TUTOR_B: FORBIDDEN, TRAINEE_A: FORBIDDEN}
OWN_DELETION_UNCONFIRMED = rule(
    FORBIDDEN, {PHONE_A: REFUSED_AS_INVALID, PHONE_B: REFUSED_AS_INVALID}
)
DELETION_MISTYPED = {**COORDINATOR_ONLY, COORDINATOR: REFUSED_AS_INVALID}
REPORTS = {**STAFF_ONLY, TRAINEE_A: FORBIDDEN}  # tutors read their groups', the coordinator all


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    url: str  # {names} are filled from World.ids()
    who: dict[str, Expect]
    data: dict[str, str] = field(default_factory=dict)

    @property
    def blueprint(self) -> str:
        return self.endpoint.partition(".")[0]


MERGE_TWIN = {"merge-kept": "{amina}", "merge-absorbed": "{twin}"}
MERGE_KNOCKER = {"merge-kept": "{amina}", "merge-absorbed": "{knocker}"}
MERGE_ROSA = {"merge-kept": "{amina}", "merge-absorbed": "{rosa}"}
RENAME_ROSA = {"profile-display_name": "Rosa M."}
NAME_TUTOR_A = {"tutor": "{tutor_a_id}"}
CLOSING = {"expectations_met": "partly", "takeaways": "A CV", "next_steps": "French class"}

# One world per blueprint: within a section, a row that changes the world comes after the
# rows it would disturb.
ROUTES = [
    Route("health.healthz", "GET", "/healthz", PUBLIC),
    Route("auth.login", "GET", "/login", PUBLIC),
    Route("auth.login", "POST", "/login", PUBLIC, {"username": "{tutor_a}", "password": PASSWORD}),
    Route("auth.logout", "POST", "/logout", STAFF_ONLY),
    # The phones' pages. The room comes first: asking to join (below) puts Lena at A's door.
    Route("participant.room", "GET", "/s/{live_a}", ROOM_OF_A),
    Route("participant.home", "GET", "/", PUBLIC),
    Route("participant.service_worker", "GET", "/sw.js", PUBLIC),
    Route(
        "participant.choose_french_beside",
        "POST",
        "/language/french-beside",
        OWN_PORTFOLIO,  # a setting of the person on this phone: nobody else has one
        {"show": "1"},
    ),
    Route("participant.not_me", "POST", "/not-me", PUBLIC),
    Route("participant.choose_language", "POST", "/language", PUBLIC, {"language": "en"}),
    # Anyone may ask to join with a code; only a tutor lets them in (see the sockets).
    Route("participant.join_by_typed_code", "POST", "/join", PUBLIC, {"code": "{code_a}"}),
    Route("participant.join", "GET", "/j/{code_a}", PUBLIC),
    Route("participant.join", "POST", "/j/{code_a}", PUBLIC, {"name": "Nour", "consent_data": "y"}),
    # The portfolio on the phone; Amina's entry is removed last.
    Route("portfolio.portfolio", "GET", "/me", OWN_PORTFOLIO),
    Route("portfolio.export_json", "GET", "/me/export.json", OWN_PORTFOLIO),
    # Amina's export first: asking for another replaces it (one kept per person).
    Route("portfolio.export_status", "GET", "/me/exports/{export}", AMINAS_EXPORT),
    Route("portfolio.export_file", "GET", "/me/exports/{export}/file", AMINAS_EXPORT),
    Route("portfolio.portfolio_pdf", "POST", "/me/portfolio.pdf", OWN_PORTFOLIO_EXPORT),
    Route("portfolio.cv", "GET", "/me/cv", OWN_PORTFOLIO),
    Route("portfolio.cv", "POST", "/me/cv", OWN_PORTFOLIO, {"action": "save"}),
    Route("portfolio.add_entry", "GET", "/me/sections/evaluation/new", OWN_PORTFOLIO),
    Route(
        "portfolio.add_entry",
        "POST",
        "/me/sections/evaluation/new",
        OWN_PORTFOLIO,
        {"text": "Mine"},
    ),
    Route("portfolio.edit_entry", "GET", "/me/entries/{entry}/edit", AMINAS_ENTRY),
    Route(
        "portfolio.edit_entry", "POST", "/me/entries/{entry}/edit", AMINAS_ENTRY, {"text": "New"}
    ),
    Route(
        "portfolio.share_entry",
        "POST",
        "/me/entries/{entry}/share",
        AMINAS_ENTRY_CHANGED,
        {"shared": "1"},
    ),
    Route("portfolio.remove_entry", "POST", "/me/entries/{entry}/remove", AMINAS_ENTRY_CHANGED),
    # What staff read of a portfolio: the tutors of the person's group, never trainees.
    Route("portfolio_staff.shared_portfolio", "GET", "/participants/{amina}/portfolio", TEACHES_A),
    Route(
        "portfolio_staff.comment",
        "POST",
        "/participants/{amina}/portfolio/comments",
        TEACHES_A,
        {"text": "Well done"},
    ),
    Route(
        "portfolio_staff.shared_portfolio",
        "GET",
        "/participants/{knocker}/portfolio",
        NOURS_PORTFOLIO,
    ),
    Route(
        "portfolio_staff.shared_portfolio", "GET", "/participants/{rosa}/portfolio", ROSAS_PORTFOLIO
    ),
    # Attendance, completion and outcomes: a group's tutors and the coordinator; the
    # funders' anonymous figures, the coordinator alone.
    Route("reports.year", "GET", "/reports", REPORTS),
    Route("reports.cohort_report", "GET", "/cohorts/{cohort_a}/report", TEACHES_A),
    Route(
        "reports.correct_attendance",
        "POST",
        "/cohorts/{cohort_a}/attendance/corrections",
        TEACHES_A,
        {"participant_id": "{amina}", "meeting_slug": "w2-migration", "present": "yes"},
    ),
    Route(
        "reports.correct_attendance",
        "POST",
        "/cohorts/{cohort_b}/attendance/corrections",
        {**A_THROUGH_B, TUTOR_B: REFUSED_AS_INVALID, COORDINATOR: REFUSED_AS_INVALID},
        {"participant_id": "{amina}", "meeting_slug": "w2-migration", "present": "yes"},
    ),
    Route("reports.funders_csv", "GET", "/reports/funders.csv", COORDINATOR_ONLY),
    Route("reports.funders_pdf", "GET", "/reports/funders.pdf", COORDINATOR_ONLY),
    # The coordinator's pages: the organisation's groups, staff and settings.
    Route("coordinator.home", "GET", "/coordinator", COORDINATOR_ONLY),
    Route("coordinator.settings", "GET", "/coordinator/settings", COORDINATOR_ONLY),
    Route(
        "coordinator.settings",
        "POST",
        "/coordinator/settings",
        COORDINATOR_ONLY,
        {"completion_meetings": "6", "retention_months": "12"},
    ),
    Route("coordinator.audit_trail", "GET", "/coordinator/audit", COORDINATOR_ONLY),
    Route("coordinator.new_cohort", "GET", "/coordinator/cohorts/new", COORDINATOR_ONLY),
    Route(
        "coordinator.new_cohort",
        "POST",
        "/coordinator/cohorts/new",
        COORDINATOR_ONLY,
        {"name": "Group C", "starts_on": "2026-09-07", "weeks": "9"},
    ),
    Route("coordinator.edit_cohort", "GET", "/coordinator/cohorts/{cohort_b}", COORDINATOR_ONLY),
    Route(
        "coordinator.edit_cohort",
        "POST",
        "/coordinator/cohorts/{cohort_b}",
        COORDINATOR_ONLY,
        {"name": "Group B", "starts_on": "2026-09-07", "weeks": "9", "tutors": "{tutor_b_id}"},
    ),
    Route(
        "coordinator.archive_cohort",
        "POST",
        "/coordinator/cohorts/{cohort_b}/archive",
        COORDINATOR_ONLY,
    ),
    Route(
        "coordinator.unarchive_cohort",
        "POST",
        "/coordinator/cohorts/{cohort_b}/unarchive",
        COORDINATOR_ONLY,
    ),
    Route("coordinator.staff", "GET", "/coordinator/staff", COORDINATOR_ONLY),
    Route("coordinator.invite_staff", "GET", "/coordinator/staff/new", COORDINATOR_ONLY),
    Route(
        "coordinator.invite_staff",
        "POST",
        "/coordinator/staff/new",
        COORDINATOR_ONLY,
        {"display_name": "Jeanne", "username": "jeanne", "role": "tutor"},
    ),
    Route(
        "coordinator.set_role",
        "POST",
        "/coordinator/staff/{tutor_b_id}/role",
        COORDINATOR_ONLY,
        {"role": "tutor"},
    ),
    Route(
        "coordinator.reactivate",
        "POST",
        "/coordinator/staff/{tutor_b_id}/reactivate",
        COORDINATOR_ONLY,
    ),
    # Last: they sign out a trainee who visits no page here.
    Route(
        "coordinator.reset_access",
        "POST",
        "/coordinator/staff/{other_trainee}/reset-access",
        COORDINATOR_ONLY,
    ),
    Route(
        "coordinator.deactivate",
        "POST",
        "/coordinator/staff/{other_trainee}/deactivate",
        COORDINATOR_ONLY,
    ),
    Route("coordinator.accept_invite", "GET", "/invite/not-a-real-token", rule(NOT_FOUND)),
    Route(
        "coordinator.accept_invite",
        "POST",
        "/invite/not-a-real-token",
        rule(NOT_FOUND),
        {"password": "long enough", "again": "long enough"},
    ),
    # A person's data rights: on their phone, and by the coordinator on request. Nobody
    # deletes Amina here (the deletion's own tests do): a mistyped name is refused, and the
    # coordinator deletes her twin last.
    Route("rights.mine", "GET", "/me/data", OWN_PORTFOLIO),
    Route("rights.confirm_delete", "GET", "/me/delete", OWN_PORTFOLIO),
    Route("rights.delete_mine", "POST", "/me/delete", OWN_DELETION_UNCONFIRMED),
    Route("rights.person", "GET", "/participants/{amina}/data", COORDINATOR_ONLY),
    Route("rights.export_for", "POST", "/participants/{amina}/export.json", COORDINATOR_ONLY),
    Route(
        "rights.delete_person",
        "POST",
        "/participants/{amina}/delete",
        DELETION_MISTYPED,
        {"name": "Someone else"},
    ),
    Route(
        "rights.delete_person",
        "POST",
        "/participants/{twin}/delete",
        COORDINATOR_ONLY,
        {"name": "Amina B."},
    ),
    # Replays of finished sessions, and rehearsals.
    Route("replay.replays", "GET", "/replays", STAFF_ONLY),
    Route("replay.replay", "GET", "/replays/{live_a}", NO_REPLAY_YET),  # still running
    Route("replay.replay", "GET", "/replays/{rehearsal}", NO_REPLAY_YET),
    Route("replay.replay", "GET", "/replays/{past_a}", REVIEWS_A),
    Route("replay.timeline_json", "GET", "/replays/{past_a}/timeline.json", REVIEWS_A),
    Route("replay.frame_json", "GET", "/replays/{past_a}/frame/3", REVIEWS_A),
    Route("replay.annotations_json", "GET", "/replays/{past_a}/annotations.json", REVIEWS_A),
    Route(
        "replay.annotate",
        "POST",
        "/replays/{past_a}/annotations",
        REVIEWS_A,
        {"seq": "3", "kind": "question", "body": "Why?"},
    ),
    Route("replay.focus", "POST", "/replays/{past_a}/focus", REVIEWS_A, {"answer": "I saw"}),
    Route("replay.redact", "POST", "/replays/{past_a}/redact", REVIEWS_A, {"seq": "4"}),
    Route("replay.replay", "GET", "/replays/{shared_b}", STAFF_ONLY),
    Route("replay.frame_json", "GET", "/replays/{shared_b}/frame/4", STAFF_ONLY),
    Route(
        "replay.annotate",
        "POST",
        "/replays/{shared_b}/annotations",
        STAFF_ONLY,
        {"seq": "4", "kind": "question", "body": "Why?"},
    ),
    Route("replay.share", "POST", "/replays/{shared_b}/share", REVIEWS_B, {"shared": "no"}),
    Route("replay.take_over", "POST", "/replays/{past_a}/take-over", REVIEWS_A, {"seq": "4"}),
    Route(
        "replay.rehearse",
        "POST",
        "/rehearsals",
        STAFF_ONLY,
        {"meeting": "w1-presentation", "people": "2"},
    ),
    Route("replay.share", "POST", "/replays/{past_a}/share", REVIEWS_A, {"focus_prompt": "Watch"}),
    # The tutors' pages.
    Route("tutor.dashboard", "GET", "/tutor", STAFF_ONLY),
    Route("tutor.console", "GET", "/sessions/{live_a}/console", WATCHES_A),
    Route("tutor.console", "GET", "/sessions/{rehearsal}/console", WATCHES_A),
    # The projector shows real names: a trainee watches from the console (pseudonyms).
    Route("tutor.projector", "GET", "/sessions/{live_a}/projector", TEACHES_A),
    # The summary names people (a trainee watching sees pseudonyms): those who run it.
    Route("tutor.session_summary", "GET", "/sessions/{live_a}/summary.md", TEACHES_A),
    Route("tutor.session_summary", "GET", "/sessions/{rehearsal}/summary.csv", WATCHES_A),
    Route("tutor.cohort", "GET", "/cohorts/{cohort_a}", TEACHES_A),
    Route(
        "tutor.start_session",
        "POST",
        "/cohorts/{cohort_a}/sessions",
        TEACHES_A,
        {"c{cohort_a}-meeting": "w2-migration"},
    ),
    Route(
        "tutor.add_participant",
        "POST",
        "/cohorts/{cohort_a}/participants",
        TEACHES_A,
        {"name": "Nour", "language": "fr"},
    ),
    Route(
        "tutor.rejoin_code",
        "POST",
        "/cohorts/{cohort_a}/participants/{amina}/rejoin-code",
        TEACHES_A,
    ),
    Route("tutor.new_interview", "GET", "/cohorts/{cohort_a}/interviews/new", TEACHES_A),
    Route("tutor.new_interview", "POST", "/cohorts/{cohort_a}/interviews/new", TEACHES_A),
    Route("tutor.interview", "GET", "/cohorts/{cohort_a}/interviews/{amina}", TEACHES_A),
    Route("tutor.interview", "POST", "/cohorts/{cohort_a}/interviews/{amina}", TEACHES_A),
    Route("tutor.merge", "POST", "/cohorts/{cohort_a}/merge", TEACHES_A, MERGE_TWIN),
    # A named tutor is one of the group's tutors, set by them (or the coordinator).
    Route(
        "tutor.set_named_tutor",
        "POST",
        "/cohorts/{cohort_a}/participants/{amina}/tutor",
        TEACHES_A,
        NAME_TUTOR_A,
    ),
    Route(
        "tutor.set_named_tutor",
        "POST",
        "/cohorts/{cohort_a}/participants/{amina}/tutor",
        {**TEACHES_A, TUTOR_A: REFUSED_AS_INVALID, COORDINATOR: REFUSED_AS_INVALID},
        {"tutor": "{tutor_b_id}"},
    ),
    # The closing interview (workshop 7): rereading it is recorded in the audit.
    Route("tutor.closing", "GET", "/cohorts/{cohort_a}/participants/{amina}/closing", TEACHES_A),
    Route(
        "tutor.closing",
        "POST",
        "/cohorts/{cohort_a}/participants/{amina}/closing",
        TEACHES_A,
        CLOSING,
    ),
    # What to do when someone discloses an urgent situation: every member of staff.
    Route("tutor.urgent", "GET", "/tutor/urgent", STAFF_ONLY),
    # Group B's pages, naming group A's people.
    Route(
        "tutor.rejoin_code",
        "POST",
        "/cohorts/{cohort_b}/participants/{amina}/rejoin-code",
        A_THROUGH_B_FOUND,
    ),
    Route("tutor.interview", "GET", "/cohorts/{cohort_b}/interviews/{amina}", A_THROUGH_B_FOUND),
    Route("tutor.interview", "POST", "/cohorts/{cohort_b}/interviews/{amina}", A_THROUGH_B_FOUND),
    Route("tutor.merge", "POST", "/cohorts/{cohort_b}/merge", A_THROUGH_B_IGNORED, MERGE_TWIN),
    Route(
        "tutor.set_named_tutor",
        "POST",
        "/cohorts/{cohort_b}/participants/{amina}/tutor",
        A_THROUGH_B_FOUND,
        {"tutor": "{tutor_b_id}"},
    ),
    Route(
        "tutor.closing",
        "GET",
        "/cohorts/{cohort_b}/participants/{amina}/closing",
        A_THROUGH_B_FOUND,
    ),
    Route(
        "tutor.closing",
        "POST",
        "/cohorts/{cohort_b}/participants/{amina}/closing",
        A_THROUGH_B_FOUND,
        CLOSING,
    ),
    # Someone of group B only knocking at A's door.
    Route(
        "tutor.rejoin_code",
        "POST",
        "/cohorts/{cohort_a}/participants/{knocker}/rejoin-code",
        AT_A_DOOR,
    ),
    Route("tutor.interview", "GET", "/cohorts/{cohort_a}/interviews/{knocker}", AT_A_DOOR),
    Route("tutor.interview", "POST", "/cohorts/{cohort_a}/interviews/{knocker}", AT_A_DOOR),
    Route(
        "tutor.set_named_tutor",
        "POST",
        "/cohorts/{cohort_a}/participants/{knocker}/tutor",
        AT_A_DOOR,
        NAME_TUTOR_A,
    ),
    Route("tutor.closing", "GET", "/cohorts/{cohort_a}/participants/{knocker}/closing", AT_A_DOOR),
    Route(
        "tutor.sign_out_phones",
        "POST",
        "/cohorts/{cohort_a}/participants/{knocker}/sign-out-phones",
        AT_A_DOOR,
    ),
    Route("tutor.merge", "POST", "/cohorts/{cohort_a}/merge", AT_A_DOOR_IGNORED, MERGE_KNOCKER),
    # Someone in two groups: refused to A's tutor, done by the coordinator.
    Route(
        "tutor.rejoin_code",
        "POST",
        "/cohorts/{cohort_a}/participants/{rosa}/rejoin-code",
        IN_TWO_GROUPS,
    ),
    Route(
        "tutor.interview",
        "POST",
        "/cohorts/{cohort_a}/interviews/{rosa}",
        RENAMED_IN_TWO_GROUPS,
        RENAME_ROSA,
    ),
    Route(
        "tutor.sign_out_phones",
        "POST",
        "/cohorts/{cohort_a}/participants/{rosa}/sign-out-phones",
        IN_TWO_GROUPS,
    ),
    # A named tutor and a closing interview are the group's own: no other group is reached.
    Route(
        "tutor.set_named_tutor",
        "POST",
        "/cohorts/{cohort_a}/participants/{rosa}/tutor",
        TEACHES_A,
        NAME_TUTOR_A,
    ),
    Route(
        "tutor.closing",
        "POST",
        "/cohorts/{cohort_a}/participants/{rosa}/closing",
        TEACHES_A,
        CLOSING,
    ),
    Route("tutor.merge", "POST", "/cohorts/{cohort_a}/merge", IN_TWO_GROUPS, MERGE_ROSA),
    Route(
        "tutor.sign_out_phones",
        "POST",
        "/cohorts/{cohort_b}/participants/{amina}/sign-out-phones",
        A_THROUGH_B_FOUND,
    ),
    # Last: it signs Amina's phone out.
    Route(
        "tutor.sign_out_phones",
        "POST",
        "/cohorts/{cohort_a}/participants/{amina}/sign-out-phones",
        TEACHES_A,
    ),
]


def http_answer(response: Any) -> str:
    status = response.status_code
    if 300 <= status < 400:
        return "login" if urlsplit(response.location).path == "/login" else "redirected"
    named = {200: "page", 400: "invalid", 401: "forbidden", 403: "forbidden", 404: "not found"}
    return named.get(status, str(status))


# --- the Socket.IO matrix ----------------------------------------------------------------

NAMESPACES = {
    "/participant": ParticipantNamespace,
    "/tutor": TutorNamespace,
    "/projector": ProjectorNamespace,
}
READS = {"sync"}

Payload = Callable[["World"], dict[str, Any]]

# A plausible payload for every event any namespace knows: each passes its shape checks,
# so a refusal can only come from the permission check.
PAYLOADS: dict[str, Payload] = {
    "sync": lambda w: {},
    # the tutor console's
    "admit": lambda w: {"participant_id": w.id(WAITING_A)},
    "decline": lambda w: {"participant_id": w.id(WAITING_A)},
    "clear_door": lambda w: {},
    "attendance": lambda w: {"participant_id": w.id(PHONE_A), "present": True},
    "lock": lambda w: {"locked": True},
    "step": lambda w: {"index": 3},
    "merge": lambda w: {"kept": w.id(PHONE_A), "absorbed": w.twin.id},
    "timer_start": lambda w: {"seconds": 60},
    "timer_pause": lambda w: {},
    "timer_resume": lambda w: {},
    "timer_extend": lambda w: {"seconds": 30},
    "timer_clear": lambda w: {},
    "board_lock": lambda w: {"step": RULES_STEP, "on": True},
    "board_until_reveal": lambda w: {"step": RULES_STEP, "on": True},
    "board_anonymous": lambda w: {"step": RULES_STEP, "on": True},
    "voting": lambda w: {"step": RULES_STEP, "budget": 3},
    "cluster_create": lambda w: {"step": RULES_STEP, "title": "Respect"},
    "cluster_rename": lambda w: {"cluster_id": w.card, "title": "Kindness"},
    "cluster_remove": lambda w: {"cluster_id": w.card},
    "group": lambda w: {"card_id": w.card, "cluster_id": None},
    "adopt": lambda w: {"card_id": w.card, "adopted": True},
    "hide": lambda w: {"card_id": w.card, "reason": "Off topic"},
    "unhide": lambda w: {"card_id": w.card},
    "note": lambda w: {"text": "Amina leads well"},
    "admit_all": lambda w: {},
    "wall_page": lambda w: {"step": RULES_STEP, "page": 1},
    "spotlight": lambda w: {"card_id": w.card},
    "join_panel": lambda w: {"shown": "small"},
    "wall_rules": lambda w: {"on": True},
    # the projector's: how many pages a board takes on its screen
    "wall_pages": lambda w: {"step": RULES_STEP, "pages": 2},
    "end": lambda w: {},
    # both: a phone posts its own card, a tutor posts for someone without a phone
    "post": lambda w: {"client_id": "matrix-00000001", "board": "group_rules", "text": "We listen"},
    # the phones'
    "edit": lambda w: {"card_id": w.card, "fields": {"text": "We listen to each other"}},
    "withdraw": lambda w: {"card_id": w.card},
    "vote": lambda w: {"step": RULES_STEP, "target": f"card:{w.card}"},
    "unvote": lambda w: {"step": RULES_STEP, "target": f"card:{w.card}"},
    "stance": lambda w: {"card_id": w.card, "stance": "agree"},
    "show": lambda w: {"card_id": w.card, "shown": True, "details": False},
}
EVENTS = sorted(PAYLOADS, key=lambda event: (event == "end", event))  # ending last


def events_of(namespace: type) -> set[str]:
    """The events a namespace class handles: its `on_*` methods, connecting aside."""
    handlers = {name.removeprefix("on_") for name in dir(namespace) if name.startswith("on_")}
    return handlers - {"connect", "disconnect"}


def ack_answer(ack: Any) -> str:
    if not isinstance(ack, dict):
        return "no answer"
    return "done" if ack.get("ok") else str(ack.get("error"))


# --- the world ---------------------------------------------------------------------------


@dataclass
class World:
    app: Flask
    people: dict[str, User | Participant]
    twin: Participant  # a second name Amina was given, for the merge events
    cohorts: dict[str, Cohort]
    # "live_a", "rehearsal", "live_b"; "past_a" held and ended, "shared_b" ended and shared
    sessions: dict[str, LiveSession]
    staff_client: Callable[[User], FlaskClient]
    phones: dict[str, str]  # each participant's one phone: its device cookie
    socket_for: Callable[..., Any]
    in_db: Callable[[Callable[[], Any]], Any]
    entry: str = ""  # the key of Amina's private portfolio entry
    export: str = ""  # the token of a PDF export Amina asked for
    card: int = 0  # a card of Amina's on group A's board, once `open_rules_board` ran

    def id(self, who: str) -> int:
        return self.people[who].id

    def ids(self) -> dict[str, Any]:
        return {
            "cohort_a": self.cohorts["a"].id,
            "cohort_b": self.cohorts["b"].id,
            "live_a": self.sessions["live_a"].id,
            "rehearsal": self.sessions["rehearsal"].id,
            "past_a": self.sessions["past_a"].id,
            "shared_b": self.sessions["shared_b"].id,
            "code_a": self.sessions["live_a"].join_code,
            "amina": self.id(PHONE_A),
            "twin": self.twin.id,
            "knocker": self.id(KNOCKER),
            "rosa": self.id(IN_TWO),
            "entry": self.entry,
            "export": self.export,
            "tutor_a": self.people[TUTOR_A].username,
            "tutor_a_id": self.id(TUTOR_A),
            "tutor_b_id": self.id(TUTOR_B),
            "other_trainee": self.id(OTHER_TRAINEE_A),
        }

    def browser(self, who: str) -> FlaskClient:
        """A fresh browser as this person, so no request leans on another's cookies."""
        person = self.people.get(who)
        if person is None:
            return self.app.test_client()
        if isinstance(person, User):
            return self.staff_client(person)
        browser = self.app.test_client()
        browser.set_cookie(device.COOKIE_NAME, self.phones[who])
        return browser

    def send(self, who: str, route: Route) -> str:
        ids = self.ids()
        data = {key.format(**ids): value.format(**ids) for key, value in route.data.items()}
        url = route.url.format(**ids)
        with self.browser(who).open(url, method=route.method, data=data) as response:
            return http_answer(response)

    def connect(self, who: str, namespace: str, session: str) -> Any:
        return self.socket_for(self.browser(who), namespace, self.sessions[session])

    def rows(self, leaving_out: str | None = None) -> dict[str, list[str]]:
        """Every row of every table; `leaving_out` one session's own log and row."""
        left_out = self.sessions[leaving_out].id if leaving_out else None

        def read() -> dict[str, list[str]]:
            seen = {}
            for table in Base.metadata.sorted_tables:
                if left_out is not None and table.name == "event_contents":
                    continue  # its rows say nothing of whose log they belong to
                query = select(table)
                if left_out is not None and "session_id" in table.c:  # the session's own
                    query = query.where(table.c.session_id != left_out)
                if left_out is not None and table.name == "live_sessions":
                    query = query.where(table.c.id != left_out)
                seen[table.name] = sorted(map(repr, db.session.execute(query).all()))
            return seen

        return self.in_db(read)

    def open_rules_board(self) -> None:
        """Tutor A opens the group-rules board and Amina posts a card on it."""
        console = self.connect(TUTOR_A, "/tutor", "live_a")
        assert console.emit("step", {"index": 2}, namespace="/tutor", callback=True)["ok"]
        phone = self.connect(PHONE_A, "/participant", "live_a")
        posted = phone.emit(
            "post",
            {"client_id": "amina-rule-0001", "board": "group_rules", "text": "Be on time"},
            namespace="/participant",
            callback=True,
        )
        assert posted["ok"], posted
        self.card = posted["seq"]


@pytest.fixture(autouse=True)
def no_pdf_drawing(app: Flask) -> None:
    """Who may download a PDF is at stake here, not its drawing (test_pdf_* draw them)."""
    app.extensions["migrapass.exports"].render = lambda html, stylesheet=None: b"%PDF-1.7"


@pytest.fixture
def world(
    app,
    make_cohort,
    make_staff,
    make_participant,
    start_live,
    staff_client,
    link_phone,
    socket_for,
    in_db,
) -> World:
    # Each test sends every event from one sender in a burst; the rate limit has its own tests.
    generous = "1000/10 seconds"
    limiter = app.extensions["migrapass.limiter"]
    limiter.rules = replace(limiter.rules, participant_events=generous, staff_events=generous)
    a, b = make_cohort("Group A"), make_cohort("Group B")
    people: dict[str, User | Participant] = {
        TUTOR_A: make_staff(a),
        TRAINEE_A: make_staff(a, role=Role.TRAINEE),
        OTHER_TRAINEE_A: make_staff(a, role=Role.TRAINEE),
        TUTOR_B: make_staff(b),
        COORDINATOR: make_staff(None, role=Role.COORDINATOR),
        PHONE_A: make_participant(a, name="Amina", locale="en"),
        WAITING_A: make_participant(a, name="Sara", admitted=False),
        PHONE_B: make_participant(b, name="Lena", locale="en"),
        KNOCKER: make_participant(b, name="Nour"),
        IN_TWO: make_participant(a, name="Rosa"),
    }

    def cross_the_groups() -> None:
        db.session.add(Membership(cohort_id=a.id, participant_id=people[KNOCKER].id))
        operations.enrol(db.session, db.session.merge(b), db.session.merge(people[IN_TWO]))
        db.session.commit()

    in_db(cross_the_groups)

    def rehearse() -> LiveSession:
        live = operations.start_session(
            db.session,
            db.session.merge(a),
            script_of(app),
            "w1-presentation",
            db.session.merge(people[TRAINEE_A]),
            rehearsal=True,
        )
        db.session.commit()
        return live

    def finished(cohort: Cohort, tutor: User, shared: bool) -> LiveSession:
        """A workshop the group held before tonight: Amina (or Lena) posted a rule."""
        live = start_live(cohort, tutor)

        def hold() -> LiveSession:
            held = db.session.get_one(LiveSession, live.id)
            by = db.session.merge(tutor)
            operations.move_step(db.session, held, {"index": 2}, by)
            person = people[PHONE_A if cohort is a else PHONE_B]
            operations.mark_attendance(db.session, held, person.id, True, operations.staff(by))
            amina = operations.participant_actor(db.session.merge(person))
            operations.post_card(db.session, held, amina, "group_rules", {"text": "Be kind"}, None)
            operations.end_session(db.session, held, by)
            if shared:
                held.shared_at = held.started_at
            db.session.commit()
            return held

        return in_db(hold)

    past = {
        "past_a": finished(a, people[TUTOR_A], False),
        "shared_b": finished(b, people[TUTOR_B], True),
    }
    sessions = {
        **past,
        "live_a": start_live(a, people[TUTOR_A]),
        "rehearsal": in_db(rehearse),
        "live_b": start_live(b, people[TUTOR_B]),
    }
    made = World(
        app=app,
        people=people,
        twin=make_participant(a, name="Amina B."),
        cohorts={"a": a, "b": b},
        sessions=sessions,
        staff_client=staff_client,
        phones={
            who: link_phone(person)
            for who, person in people.items()
            if isinstance(person, Participant)
        },
        socket_for=socket_for,
        in_db=in_db,
    )
    amina = made.browser(PHONE_A)
    added = amina.post("/me/sections/evaluation/new", data={"text": SECRET})
    assert added.status_code == 302, added.status_code

    def only_entry() -> str:
        person = db.session.merge(people[PHONE_A])
        portfolio = load(db.session, person, script_of(app))
        (entry,) = [entry for entries in portfolio.sections.values() for entry in entries]
        return entry.key

    made.entry = in_db(only_entry)
    asked = amina.post("/me/portfolio.pdf")
    assert asked.status_code == 303, asked.status_code
    made.export = asked.headers["Location"].rsplit("/", 1)[-1]
    return made


# --- the tables cover the application ----------------------------------------------------


def test_every_route_and_method_has_a_row_in_the_matrix(app):
    served = {
        (url_rule.endpoint, method)
        for url_rule in app.url_map.iter_rules()
        if url_rule.endpoint != "static"
        for method in url_rule.methods - {"HEAD", "OPTIONS"}
    }
    assert served == {(route.endpoint, route.method) for route in ROUTES}


def test_every_namespace_and_event_has_a_row_in_the_matrix(app):
    registered = {handler.namespace: type(handler) for handler in socketio.namespace_handlers}
    assert registered == NAMESPACES
    assert set().union(*map(events_of, NAMESPACES.values())) == set(PAYLOADS)


# --- HTTP ----------------------------------------------------------------------------------


@pytest.mark.parametrize("blueprint", sorted({route.blueprint for route in ROUTES}))
def test_each_route_lets_in_exactly_the_people_its_rule_names(world, blueprint):
    met, rules = {}, {}
    before = world.rows()
    for route in (route for route in ROUTES if route.blueprint == blueprint):
        for who in PAGE_VISITORS:
            asked = f"{route.method} {route.url} as {who}"
            answer = world.send(who, route)
            after = world.rows()
            met[asked], rules[asked] = (answer, after != before), route.who[who]
            before = after
    assert misfits(met, rules) == {}


def test_a_phone_reads_its_owners_portfolio_and_nobody_elses(world):
    for url in ("/me", "/me/export.json"):
        assert SECRET in world.browser(PHONE_A).get(url).get_data(as_text=True), url
        assert SECRET not in world.browser(PHONE_B).get(url).get_data(as_text=True), url


# --- Socket.IO: who comes into which room --------------------------------------------------

IN_ROOM, AT_DOOR, REFUSED = "in the room", "at the door", "refused"


def placed(default: str, exceptions: dict[str, str]) -> dict[str, str]:
    return {who: exceptions.get(who, default) for who in ROOM_VISITORS}


PHONES_OF_A = placed(
    REFUSED, {PHONE_A: IN_ROOM, IN_TWO: IN_ROOM, WAITING_A: AT_DOOR, KNOCKER: AT_DOOR}
)
STAFF_OF_A = placed(
    REFUSED,
    {TUTOR_A: IN_ROOM, COORDINATOR: IN_ROOM, TRAINEE_A: IN_ROOM, OTHER_TRAINEE_A: IN_ROOM},
)
# A trainee sees a real session's projector only in their own rehearsal.
PROJECTOR_OF_A = {**STAFF_OF_A, TRAINEE_A: REFUSED, OTHER_TRAINEE_A: REFUSED}
PROJECTOR_OF_REHEARSAL = {**PROJECTOR_OF_A, TRAINEE_A: IN_ROOM}


@pytest.mark.parametrize(
    ("namespace", "session", "expected"),
    [
        ("/participant", "live_a", PHONES_OF_A),
        ("/participant", "rehearsal", PHONES_OF_A),
        ("/tutor", "live_a", STAFF_OF_A),
        ("/tutor", "rehearsal", STAFF_OF_A),
        ("/projector", "live_a", PROJECTOR_OF_A),
        ("/projector", "rehearsal", PROJECTOR_OF_REHEARSAL),
    ],
)
def test_only_the_rooms_people_come_in_and_only_they_hear_its_board(
    world, namespace, session, expected
):
    """The same for group A's real workshop and for the trainee's rehearsal beside it."""
    sockets = {who: world.connect(who, namespace, session) for who in ROOM_VISITORS}
    where = {}
    for who, sock in sockets.items():
        if not sock.is_connected(namespace):
            where[who] = REFUSED
            continue
        ack = sock.emit("sync", namespace=namespace, callback=True)
        refusal = ack.get("error")
        where[who] = IN_ROOM if ack["ok"] else AT_DOOR if refusal == "not_in_room" else refusal
        sock.get_received(namespace)
    console = world.connect(TUTOR_A, "/tutor", session)
    assert console.emit("step", {"index": 1}, namespace="/tutor", callback=True)["ok"]
    for who, sock in sockets.items():
        hears = sock.is_connected(namespace) and bool(board_messages(sock, namespace))
        if hears != (where[who] == IN_ROOM):
            where[who] = f"{where[who]}, {'hears' if hears else 'deaf to'} the board"
    assert where == expected, session


# --- Socket.IO: what each event answers its sender -----------------------------------------


@pytest.mark.parametrize(
    ("who", "namespace", "session", "reads", "writes"),
    [
        pytest.param(TUTOR_A, "/tutor", "live_a", LET_THROUGH, LET_THROUGH, id="tutor runs"),
        pytest.param(
            COORDINATOR, "/tutor", "live_a", LET_THROUGH, LET_THROUGH, id="coordinator runs"
        ),
        pytest.param(
            TRAINEE_A, "/tutor", "live_a", LET_THROUGH, NOT_ALLOWED, id="trainee watches a real one"
        ),
        pytest.param(
            TRAINEE_A,
            "/tutor",
            "rehearsal",
            LET_THROUGH,
            LET_THROUGH,
            id="trainee runs their own rehearsal",
        ),
        pytest.param(
            OTHER_TRAINEE_A,
            "/tutor",
            "rehearsal",
            LET_THROUGH,
            NOT_ALLOWED,
            id="trainee watches another's rehearsal",
        ),
        pytest.param(
            # Its one write is its screen's page count, told to the consoles, never stored.
            TUTOR_A,
            "/projector",
            "live_a",
            LET_THROUGH,
            LET_THROUGH,
            id="the projector shows",
        ),
        pytest.param(
            PHONE_A, "/participant", "live_a", LET_THROUGH, LET_THROUGH, id="member takes part"
        ),
        pytest.param(
            WAITING_A,
            "/participant",
            "live_a",
            NOT_IN_ROOM,
            NOT_IN_ROOM,
            id="newcomer at the door does nothing",
        ),
    ],
)
def test_every_event_answers_its_sender_as_the_matrix_says(
    world, who, namespace, session, reads, writes
):
    """Events another namespace handles are unknown here: a phone has no tutor controls."""
    world.open_rules_board()
    sock = world.connect(who, namespace, session)
    assert sock.is_connected(namespace)
    own = events_of(NAMESPACES[namespace])
    rules = {
        event: (reads if event in READS else writes) if event in own else UNKNOWN
        for event in EVENTS
    }
    if session == "rehearsal":  # the rehearsal is the trainee's, the group is not
        rules.update(dict.fromkeys(GROUP_WRITES, NOT_ALLOWED if writes == LET_THROUGH else writes))
    met = {}
    before = world.rows()
    for event in EVENTS:
        ack = sock.emit(event, PAYLOADS[event](world), namespace=namespace, callback=True)
        after = world.rows()
        met[event], before = (ack_answer(ack), after != before), after
    assert misfits(met, rules) == {}


def test_a_tutor_cannot_reach_another_groups_people_from_their_own_room(world):
    """Tutor B, in B's room, names A's people: nobody by that id is in this group."""
    console = world.connect(TUTOR_B, "/tutor", "live_b")
    naming_a = {
        event: PAYLOADS[event](world) for event in ("admit", "decline", "attendance", "merge")
    }
    naming_a["post"] = {**PAYLOADS["post"](world), "on_behalf_of": world.id(PHONE_A)}
    met = {}
    before = world.rows()
    for event, data in naming_a.items():
        ack = console.emit(event, data, namespace="/tutor", callback=True)
        after = world.rows()
        met[event], before = (ack_answer(ack), after != before), after
    assert misfits(met, dict.fromkeys(naming_a, NO_SUCH_PARTICIPANT)) == {}


# Admitting and merging change the group itself, not the rehearsal: a trainee is
# refused both there (they are the group's tutors' to do).
GROUP_WRITES = ("admit", "admit_all", "decline", "clear_door", "merge")
CONTAINED = sorted(events_of(TutorNamespace) - READS - set(GROUP_WRITES), key=EVENTS.index)


def test_a_trainees_rehearsal_controls_change_nothing_outside_it(world):
    sock = world.connect(TRAINEE_A, "/tutor", "rehearsal")
    met = {}
    before = world.rows(leaving_out="rehearsal")
    for event in CONTAINED:
        ack = sock.emit(event, PAYLOADS[event](world), namespace="/tutor", callback=True)
        after = world.rows(leaving_out="rehearsal")
        met[event], before = (ack_answer(ack), after != before), after
    assert misfits(met, dict.fromkeys(CONTAINED, LET_THROUGH_INSIDE)) == {}


@pytest.mark.parametrize("event", GROUP_WRITES)
def test_a_trainee_cannot_admit_or_merge_real_people_from_a_rehearsal(world, event):
    sock = world.connect(TRAINEE_A, "/tutor", "rehearsal")
    before = world.rows(leaving_out="rehearsal")
    ack = sock.emit(event, PAYLOADS[event](world), namespace="/tutor", callback=True)
    after = world.rows(leaving_out="rehearsal")
    assert ack_answer(ack) == "not_allowed"
    assert [table for table in before if before[table] != after[table]] == []


def test_from_the_console_nobody_acts_on_a_knocker_and_only_the_coordinator_across_groups(world):
    """Nour only knocks at A's door; Rosa is in A and B."""
    console = world.connect(TUTOR_A, "/tutor", "live_a")
    amina, nour, rosa = world.id(PHONE_A), world.id(KNOCKER), world.id(IN_TWO)
    tries = {
        "attendance": ({"participant_id": nour, "present": True}, "no_such_participant"),
        "post": ({**PAYLOADS["post"](world), "on_behalf_of": nour}, "no_such_participant"),
        "merge": ({"kept": amina, "absorbed": nour}, "no_such_participant"),
    }
    met, expected = {}, {}
    before = world.rows()
    for event, (data, refusal) in tries.items():
        ack = console.emit(event, data, namespace="/tutor", callback=True)
        after = world.rows()
        met[event], before = (ack_answer(ack), after != before), after
        expected[event] = Expect(refusal, frozenset({refusal}))
    across = console.emit(
        "merge", {"kept": amina, "absorbed": rosa}, namespace="/tutor", callback=True
    )
    assert (ack_answer(across), world.rows() != before) == ("in_another_group", False)
    assert misfits(met, expected) == {}
    coordinator = world.connect(COORDINATOR, "/tutor", "live_a")
    done = coordinator.emit(
        "merge", {"kept": amina, "absorbed": rosa}, namespace="/tutor", callback=True
    )
    assert done["ok"], done
