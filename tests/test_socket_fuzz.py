"""Hostile payloads against every Socket.IO event of every namespace (Hypothesis).

Each event of /tutor, /projector and /participant (every `on_*` handler, those generated
from the command tables included), plus unknown event names, is fed a mix of plausible
payloads (the real field names, ids of cards and clusters that exist or not, edge
lengths) and hostile ones (wrong types, huge and negative numbers, NaN, nested
structures, 70 KB strings, RTL/zero-width/NUL/lone surrogates, markup, SQL, missing and
unknown fields, a bare list or string instead of an object, random JSON).

After every call:
- the ack is a dict with a boolean "ok"; a refusal has a string "error" and a message;
- the session's log is seq 1..n without gaps, `LiveSession.last_seq == n`, the row
  mirrors the fold, and folding the log (`load_state`) does not raise;
- a refused call stored nothing, an accepted one at most the event its ack names;
- `sync` on the same namespace still answers with a board at seq n.

One app (one database) serves the module; each test function gets its own cohort and
live session, set up once and reused by all of its examples.

Budget: HYPOTHESIS_PROFILE=ci (the default) runs about 3,000 examples in all;
HYPOTHESIS_PROFILE=fuzz (`make fuzz`) fifty times more, with a random seed.

Bugs the fuzzer found are listed in KNOWN_BUGS: the property tests tolerate exactly
those failures (and still check the invariants after them), and each has a minimal
reproduction below marked xfail(strict=True), which turns into a failure once fixed.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import os
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_socketio import ConnectionRefusedError
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.live.boards import (
    BOARDS,
    COMPETENCE_CATEGORIES,
    EXPERIENCE_KINDS,
    EXPERIENCE_SETTINGS,
)
from app.live.engine import (
    MAX_CLUSTER_TITLE,
    MAX_HIDE_REASON,
    MAX_NOTE,
    MAX_TIMER_SECONDS,
    MAX_VOTE_BUDGET,
    SessionState,
)
from app.live.store import load_state
from app.models import LiveSession, Membership, MembershipStatus, Participant, SessionEvent
from app.sockets.commands import PARTICIPANT_COMMANDS, POST, TUTOR_COMMANDS, Command
from app.sockets.participant import ParticipantNamespace
from app.sockets.payloads import MAX_CLIENT_ID, MAX_WHOLE_NUMBER
from app.sockets.staff import ProjectorNamespace, TutorNamespace
from tests.xss_corpus import VECTORS

# --- budget and profiles ----------------------------------------------------------------

CI_TOTAL_EXAMPLES = 3000
FUZZ_FACTOR = 50
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

# --- what is fuzzed -------------------------------------------------------------------

NAMESPACES: dict[str, type] = {
    "/tutor": TutorNamespace,
    "/projector": ProjectorNamespace,
    "/participant": ParticipantNamespace,
}
LIFECYCLE = ("on_connect", "on_disconnect")
UNKNOWN = "<unknown>"  # pseudo-event: names the namespace does not handle
MIXED = "<mixed>"  # pseudo-event: a short run of this namespace's events in a row


def handled_events(namespace_class: type) -> list[str]:
    """Every event a namespace answers: its `on_*` attributes but connect/disconnect."""
    return sorted(
        name.removeprefix("on_")
        for name in dir(namespace_class)
        if name.startswith("on_")
        and name not in LIFECYCLE
        and callable(getattr(namespace_class, name))
    )


EVENTS = {ns: handled_events(cls) for ns, cls in NAMESPACES.items()}
ALL_EVENT_NAMES = sorted({e for events in EVENTS.values() for e in events})

# Rooms: a meeting and the step the tutor moves to before fuzzing, one per board type.
VARIANTS: dict[str, tuple[str, str]] = {
    "rules": ("w1-presentation", "group-rules"),
    "free_text": ("w1-presentation", "presentations"),
    "timeline": ("w2-migration", "timeline"),
    "experiences": ("w3-professional-experience", "abroad"),
    "competences": ("w4-professional-competences", "competences"),
    "action_plan": ("w6-action-plan", "action-plan"),
    "poll": ("w6-action-plan", "barriers"),
}
CARD_BOARDS = ("rules", "free_text", "timeline", "experiences", "competences", "action_plan")
# Events whose payload depends on the open board run in a room per board type.
EXTRA_VARIANTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("/participant", "post"): CARD_BOARDS,
    ("/participant", "edit"): CARD_BOARDS,
    ("/tutor", "post"): CARD_BOARDS,
    ("/participant", "vote"): ("rules", "poll"),
    ("/participant", "unvote"): ("rules", "poll"),
}


def _targets() -> list[tuple[str, str, str]]:
    targets = []
    for ns, events in EVENTS.items():
        for event in [*events, UNKNOWN]:
            for variant in EXTRA_VARIANTS.get((ns, event), ("rules",)):
                targets.append((ns, event, variant))
    targets.append(("/tutor", MIXED, "rules"))
    targets.append(("/participant", MIXED, "rules"))
    return targets


TARGETS = _targets()
PER_TARGET = math.ceil(CI_TOTAL_EXAMPLES / len(TARGETS))

settings.register_profile(
    "ci",
    max_examples=PER_TARGET,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
settings.register_profile(
    "fuzz",
    parent=settings.get_profile("ci"),
    max_examples=PER_TARGET * FUZZ_FACTOR,
    derandomize=False,
)
# Only this module's tests use the profile: nothing is loaded globally.
FUZZ_SETTINGS = settings(settings.get_profile(PROFILE if PROFILE in ("ci", "fuzz") else "ci"))

# --- payload specs: which fields each event reads ---------------------------------------


@dataclass(frozen=True)
class Spec:
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()


def _from_command(command: Command, *extra: str) -> Spec:
    return Spec(
        tuple(name for name, _ in command.required),
        (*(name for name, _ in command.optional), "client_id", *extra),
    )


SPECS: dict[tuple[str, str], Spec] = {
    **{("/tutor", name): _from_command(cmd) for name, cmd in TUTOR_COMMANDS.items()},
    **{
        ("/participant", name): _from_command(cmd, "as")
        for name, cmd in PARTICIPANT_COMMANDS.items()
    },
    ("/tutor", "post"): _from_command(POST),
    ("/participant", "post"): Spec(
        ("client_id", *(name for name, _ in POST.required)),
        ("fields", "text", "as", "on_behalf_of"),
    ),
    ("/tutor", "admit"): Spec(("participant_id",)),
    ("/tutor", "step"): Spec((), ("index", "delta")),
    ("/tutor", "lock"): Spec(("locked",)),
    ("/tutor", "attendance"): Spec(("participant_id", "present")),
    ("/tutor", "merge"): Spec(("absorbed", "kept")),
    **{(ns, "sync"): Spec((), ("after",)) for ns in NAMESPACES},
}
KNOWN_FIELDS = sorted(
    {name for spec in SPECS.values() for name in (*spec.required, *spec.optional)}
    | {"locked", "present", "participant_id", "id", "seq", "type", "actor", "payload"}
)

# --- the room ---------------------------------------------------------------------------

_ROOMS = itertools.count(1)
SEED_FIELDS: dict[str, dict[str, Any]] = {
    "group_rules": {"text": "We listen to each other"},
    "free_text": {"text": "I am a cook"},
    "timeline": {"when": "2015-03", "place": "Lyon", "text": "Arrived in France"},
    "experiences": {"what": "Cook", "setting": "abroad", "kind": "paid"},
    "competences": {"name": "Cooking", "category": "professional"},
    "action_plan": {"goal": "Find a job", "actions": [{"what": "CV", "deadline": "2026-10"}]},
}


@dataclass
class Room:
    app: Flask
    variant: str
    live_id: int
    board: str
    people: dict[str, int]  # amina (the fuzzed phone), yusuf (a phone), omar, sara (pending)
    sockets: dict[str, Any]  # namespace -> the socket fuzzed there
    others: list[Any]
    state: SessionState = field(default_factory=SessionState)
    rows: int = 0
    readmitted: set[int] = field(default_factory=set)  # see KNOWN_BUGS["admit-merged"]

    def refresh(self) -> set[int]:
        """Check the log; returns merged names newly found admitted again."""
        self.state, self.rows, readmitted = check_log(self)
        new = readmitted - self.readmitted
        self.readmitted |= readmitted
        return new


def must(sock: Any, namespace: str, event: str, data: dict[str, Any]) -> dict[str, Any]:
    ack = sock.emit(event, data, namespace=namespace, callback=True)
    assert isinstance(ack, dict) and ack["ok"], (event, data, ack)
    return ack


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Iterator[Flask]:
    """One app and database for the whole module (overrides conftest's per-test app)."""
    tmp = tmp_path_factory.mktemp("socket-fuzz")
    database = tmp / "fuzz.sqlite3"
    shutil.copy(migrated_template, database)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MIGRAPASS_INSTANCE_PATH", str(tmp / "instance"))
        application = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "DATABASE_URL": f"sqlite:///{database}",
                "ASYNC_MODE": "threading",
                "SOCKETIO_MESSAGE_QUEUE": None,
                "WTF_CSRF_ENABLED": False,
                "PUBLIC_URL": "http://phones.example:5000",
            }
        )
        # Fuzzing is thousands of events a second from one person: lift the limits so
        # the handlers, not the limiter, answer.
        limiter = application.extensions["migrapass.limiter"]
        limiter.rules = dataclasses.replace(
            limiter.rules, participant_events="100000/second", staff_events="100000/second"
        )
        yield application
    db.engine.dispose()


@pytest.fixture
def rooms(
    app: Flask,
    make_cohort: Callable[..., Any],
    make_staff: Callable[..., Any],
    make_participant: Callable[..., Any],
    start_live: Callable[..., Any],
    staff_client: Callable[..., Any],
    phone_client: Callable[..., Any],
    socket_for: Callable[..., Any],
) -> Iterator[Callable[[str], Room]]:
    """A running session per board type, built on first use and reused by every example."""
    made: dict[str, Room] = {}

    def build(variant: str) -> Room:
        slug, step_id = VARIANTS[variant]
        n = next(_ROOMS)
        cohort = make_cohort(f"Fuzz cohort {n}")
        tutor = make_staff(cohort, username=f"fuzz-tutor-{n}")
        live = start_live(cohort, tutor, slug)
        browser = staff_client(tutor)
        console = socket_for(browser, "/tutor", live)
        projector = socket_for(browser, "/projector", live)
        amina = make_participant(cohort, name="Amina")
        yusuf = make_participant(cohort, name="Yusuf")
        omar = make_participant(cohort, name="Omar")  # admitted, no phone
        sara = make_participant(cohort, name="Sara", admitted=False)  # at the door
        phone = socket_for(phone_client(amina), "/participant", live)
        other = socket_for(phone_client(yusuf), "/participant", live)
        for sock, ns in ((console, "/tutor"), (projector, "/projector"), (phone, "/participant")):
            assert sock.is_connected(ns)
        room = Room(
            app,
            variant,
            live.id,
            "none",
            {"amina": amina.id, "yusuf": yusuf.id, "omar": omar.id, "sara": sara.id},
            {"/tutor": console, "/projector": projector, "/participant": phone},
            [other],
        )
        assert not room.refresh()
        index = [s.id for s in room.state.steps].index(step_id)
        room.board = room.state.steps[index].board
        must(console, "/tutor", "step", {"index": index})
        if BOARDS[room.board].votes_on_cards:
            must(console, "/tutor", "voting", {"step": step_id, "budget": 3})
        if room.board in SEED_FIELDS:
            fields = SEED_FIELDS[room.board]
            seed = {"board": room.board, "fields": fields}
            first = must(phone, "/participant", "post", {**seed, "client_id": f"seed-a1-{n}"})
            must(phone, "/participant", "post", {**seed, "client_id": f"seed-a2-{n}"})
            theirs = must(other, "/participant", "post", {**seed, "client_id": f"seed-y1-{n}"})
            must(console, "/tutor", "post", {**seed, "on_behalf_of": omar.id})
            must(console, "/tutor", "cluster_create", {"step": step_id, "title": "Together"})
            if BOARDS[room.board].stances:
                stance = {"card_id": first["seq"], "stance": "agree"}
                must(other, "/participant", "stance", {**stance, "client_id": f"seed-s-{n}"})
            must(console, "/tutor", "hide", {"card_id": theirs["seq"], "reason": "seed"})
        must(console, "/tutor", "timer_start", {"seconds": 600})
        assert not room.refresh()
        for sock, ns in ((console, "/tutor"), (projector, "/projector"), (phone, "/participant")):
            sock.get_received(ns)
        return room

    def get(variant: str) -> Room:
        if variant not in made:
            made[variant] = build(variant)
        return made[variant]

    yield get
    for room in made.values():
        for ns, sock in [*room.sockets.items(), *(("/participant", o) for o in room.others)]:
            if sock.is_connected(ns):
                sock.disconnect(namespace=ns)


# --- invariants -------------------------------------------------------------------------


def check_log(room: Room) -> tuple[SessionState, int, set[int]]:
    """The log is whole and folds; the session row mirrors the fold.

    Returns the state, the number of events and the merged names admitted again."""
    with room.app.app_context():
        seqs = list(
            db.session.scalars(
                select(SessionEvent.seq)
                .where(SessionEvent.session_id == room.live_id)
                .order_by(SessionEvent.seq)
            )
        )
        n = len(seqs)
        assert seqs == list(range(1, n + 1)), f"gaps or repeats in the log: {seqs}"
        live = db.session.get(LiveSession, room.live_id)
        assert live is not None
        assert live.last_seq == n, (live.last_seq, n)
        state = load_state(db.session, room.live_id)  # folding the log must not raise
        assert state.seq == n
        assert live.joining_locked == state.joining_locked
        assert (live.status == "ended") == (state.status == "ended")
        # A name merged into another is gone for good: neither admitted in the database
        # nor in the fold (see KNOWN_BUGS["admit-merged"]).
        readmitted = set(
            db.session.scalars(
                select(Membership.participant_id)
                .join(Participant, Participant.id == Membership.participant_id)
                .where(
                    Membership.cohort_id == live.cohort_id,
                    Membership.status == MembershipStatus.ADMITTED.value,
                    Participant.merged_into_id.is_not(None),
                )
            )
        )
        readmitted |= set(state.admitted) & set(state.merged)
    return state, n, readmitted


class MergedReadmitted(AssertionError):
    """A merged (absorbed) name is admitted again, in the database or in the fold."""


def check_ack(ack: Any) -> None:
    assert isinstance(ack, dict), f"the ack is not a dict: {ack!r}"
    assert isinstance(ack.get("ok"), bool), f"the ack has no boolean ok: {ack!r}"
    if not ack["ok"]:
        assert isinstance(ack.get("error"), str) and ack["error"], ack
        assert isinstance(ack.get("message"), str) and ack["message"], ack


def check_rows(ack: dict[str, Any], before: int, after: int) -> None:
    if not ack["ok"] or ack.get("duplicate") or "seq" not in ack:
        assert after == before, f"{after - before} event(s) stored by {ack!r}"
    else:
        assert after == before + 1, f"{after - before} event(s) stored by {ack!r}"
        assert ack["seq"] == after, (ack, after)


def check_sync(room: Room, namespace: str) -> None:
    sock = room.sockets[namespace]
    ack = sock.emit("sync", {}, namespace=namespace, callback=True)
    assert isinstance(ack, dict) and ack.get("ok") is True, f"sync refused: {ack!r}"
    assert isinstance(ack.get("board"), dict), ack
    assert ack["board"]["seq"] == room.rows, (ack["board"]["seq"], room.rows)


# --- bugs found, tolerated (precisely) by the property tests ---------------------------

KNOWN_BUGS = {
    "vote-target-digits": "vote/unvote with a target id of Unicode digits int() rejects "
    "('card:²'): engine._vote_target checks str.isdigit() then int() raises ValueError",
    "surrogate-client-id": "a client_id holding a lone surrogate ('\\ud800'): the SQLite "
    "driver raises UnicodeEncodeError binding it (store.find_by_client_id)",
    "extra-arguments": "an event sent with two or more arguments: the handler wrapper "
    "takes one, TypeError escapes and no ack is sent",
    "reserved-event-names": "a client-sent event named 'connect' re-runs on_connect with "
    "the client's payload (a refusal escapes as ConnectionRefusedError); 'disconnect' "
    "is acked with no argument",
    "admit-merged": "admit re-admits a participant merged into another: the membership "
    "is ADMITTED again and the fold lists the absorbed id as admitted",
}


def _has_surrogate(value: Any) -> bool:
    return isinstance(value, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in value)


def _first_arg(args: tuple[Any, ...]) -> dict[str, Any]:
    return args[0] if args and isinstance(args[0], dict) else {}


def known_bug(namespace: str, event: Any, args: tuple[Any, ...], outcome: Any) -> str | None:
    """The KNOWN_BUGS key this failure is an instance of, or None (a new failure)."""
    data = _first_arg(args)
    if event in ("connect", "disconnect") and (
        isinstance(outcome, ConnectionRefusedError) or outcome in ([], None)
    ):
        return "reserved-event-names"
    if (
        len(args) > 1
        and isinstance(event, str)
        and event in EVENTS[namespace]
        and isinstance(outcome, TypeError)
        and "positional argument" in str(outcome)
    ):
        return "extra-arguments"
    if (
        isinstance(outcome, UnicodeEncodeError)
        and "surrogates not allowed" in str(outcome)
        and _has_surrogate(data.get("client_id"))
    ):
        return "surrogate-client-id"
    if (
        event in ("vote", "unvote")
        and isinstance(outcome, ValueError)
        and "invalid literal for int()" in str(outcome)
    ):
        raw = str(data.get("target", "")).partition(":")[2]
        if raw.isdigit() and not raw.isdecimal():
            return "vote-target-digits"
    if event == "admit" and isinstance(outcome, MergedReadmitted):
        return "admit-merged"
    return None


# --- strategies -------------------------------------------------------------------------

SQLISH = [
    "' OR '1'='1",
    "'; DROP TABLE session_events; --",
    '" OR ""="',
    "1; SELECT * FROM users --",
    "1 UNION SELECT password_hash FROM users",
    "%' AND 1=0 UNION ALL SELECT NULL --",
]
ODD_TEXT = [
    "",
    " ",
    "\n\t ",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u200e",  # RTL / LTR marks
    "\u200b\u200c\u200d\u2060\ufeff",  # zero-width characters
    "مرحبا بكم",
    "שלום",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀👩🏽‍🍳",
    "Z̷̢̛a̶l̸g̴o̵",
    "\ud800",
    "x\udfffy",
    "²",
    "٣",
    "１２",
    "Ⅻ",
    "NaN",
    "Infinity",
    "-0",
    "1e309",
    "true",
    "null",
    "undefined",
    "__proto__",
    "constructor",
    "{{7*7}}",
    "${7*7}",
    "%s%s%n",
    "../../../../etc/passwd",
    "card:1",
    "option:0",
    "cluster:1",
]
HOSTILE_TEXT = st.sampled_from([*ODD_TEXT, *SQLISH, *VECTORS])
HUGE_TEXT = st.builds(
    lambda unit, length: (unit * length)[:length],
    st.sampled_from(["x", "é", "😀", "\u200b", "<script>", "\x00", " ", "ab\n"]),
    st.sampled_from([101, 301, 2001, 8001, 65_536, 70_000]),
)
ANY_TEXT = st.one_of(
    st.text(max_size=30),
    HOSTILE_TEXT,
    st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3),
    HUGE_TEXT,
)
EDGE_INTS = st.sampled_from(
    [
        0,
        -1,
        MAX_WHOLE_NUMBER,
        MAX_WHOLE_NUMBER + 1,
        -MAX_WHOLE_NUMBER - 1,
        2**53 + 1,
        2**63,
        -(2**63) - 1,
        2**64,
        10**99,  # Engine.IO refuses integers of more than 100 digits on the wire
        -(10**99),
    ]
)
WIRE_INTS = st.integers(-(10**99), 10**99)
NUMBERS = st.one_of(
    st.integers(-5, 50),
    WIRE_INTS,
    EDGE_INTS,
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.5, -0.0, 1.0, 1e308, math.nan, math.inf, -math.inf]),
)


def _nested(depth: int, leaf: Any) -> Any:
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"x": value}
    return value


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), NUMBERS, st.text(max_size=12), HOSTILE_TEXT),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(KNOWN_FIELDS) | st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=12,
)
HOSTILE_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    NUMBERS,
    ANY_TEXT,
    st.binary(max_size=32),
    st.builds(_nested, st.integers(1, 200), st.sampled_from([1, "x", None, {}])),
    JSON_VALUES,
)
EXTRA_KEYS = st.one_of(
    st.sampled_from(KNOWN_FIELDS),
    st.sampled_from(["__proto__", "constructor", "as", "", " ", "ok", "seq", "actor_user_id"]),
    st.text(max_size=10),
)


def _retype(value: Any) -> st.SearchStrategy[Any]:
    """The same value in a type the field does not take."""
    if isinstance(value, bool):
        return st.sampled_from([int(value), str(value).lower(), [value], None])
    if isinstance(value, int):
        return st.sampled_from([str(value), float(value), value == 1, [value], {"id": value}])
    if isinstance(value, str):
        return st.sampled_from([[value], {"text": value}, value.encode("utf-8", "replace"), 7])
    if isinstance(value, dict):
        return st.sampled_from([list(value.items()), str(value), [value], None])
    return st.sampled_from(["1", 1, True, {}])


def _text_near(limit: int, plain: str) -> st.SearchStrategy[str]:
    """Plain words, or text right at the limit (padded, or one over)."""
    return st.one_of(
        st.just(plain),
        st.text(max_size=30),
        st.sampled_from([limit - 1, limit, limit + 1]).map(lambda n: "y" * n),
        st.just(" " * limit + "z"),
        HOSTILE_TEXT,
    )


def partial_dates() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(["2015", "2015-03", "2015-03-21", " 2015 ", "2015-13", "2015-02-30"]),
        st.integers(1900, 2100),
        WIRE_INTS,
        st.text(max_size=12),
    )


def field_value(board: str, name: str) -> st.SearchStrategy[Any]:
    special: dict[tuple[str, str], st.SearchStrategy[Any]] = {
        ("timeline", "when"): partial_dates(),
        ("experiences", "setting"): st.sampled_from([*EXPERIENCE_SETTINGS, "ABROAD", ""]),
        ("experiences", "kind"): st.sampled_from([*EXPERIENCE_KINDS, "unpaid", None]),
        ("competences", "category"): st.sampled_from([*COMPETENCE_CATEGORIES, "other", 1]),
        ("action_plan", "actions"): st.lists(
            st.one_of(
                st.fixed_dictionaries(
                    {"what": _text_near(200, "Write my CV")},
                    optional={"deadline": partial_dates() | st.none()},
                ),
                st.dictionaries(EXTRA_KEYS, JSON_VALUES, max_size=3),
                HOSTILE_VALUES,
            ),
            max_size=8,
        ),
    }
    return special.get((board, name), _text_near(300, "Plain words"))


def fields_for(board: str) -> st.SearchStrategy[dict[str, Any]]:
    """A card's fields for `board`: its real field names, some left out, some extra."""
    names = [f.name for f in BOARDS[board].fields] if board in BOARDS else []
    required = {f.name: field_value(board, f.name) for f in BOARDS[board].fields if f.required}
    optional = {f.name: field_value(board, f.name) for f in BOARDS[board].fields if not f.required}
    base = st.fixed_dictionaries(required, optional=optional) if names else st.just({})
    return st.one_of(
        base,
        base.flatmap(lambda d: _mutated(d)),
        st.dictionaries(EXTRA_KEYS, JSON_VALUES, max_size=4),
    )


def client_ids(room: Room) -> st.SearchStrategy[Any]:
    n = room.live_id
    return st.one_of(
        st.text("abcdef0123456789-", min_size=8, max_size=MAX_CLIENT_ID),  # fresh
        st.sampled_from([f"fuzz-{i:04d}" for i in range(4)]),  # resent
        st.sampled_from([f"seed-a1-{n}", f"seed-y1-{n}", "seed-xx-0"]),  # someone else's
        st.sampled_from(["", "short", "x" * (MAX_CLIENT_ID + 1), "c-\x00-00000"]),
        st.text(min_size=8, max_size=12),
        st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=8, max_size=9),
        st.none(),
    )


def plausible(room: Room, namespace: str, event: str, name: str) -> st.SearchStrategy[Any]:
    """A value for field `name` that fits the room: existing ids, real step names…"""
    state = room.state
    cards = sorted(state.cards)
    clusters = sorted(state.clusters)
    steps = [s.id for s in state.steps]
    people = sorted(room.people.values())
    near = st.integers(-2, state.seq + 3)

    def some(values: list[Any], fallback: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.sampled_from(values) | fallback if values else fallback

    current = state.current_step
    options = current.options if current else 0
    targets = [
        *(f"card:{c}" for c in cards),
        *(f"cluster:{c}" for c in clusters),
        *(f"option:{i}" for i in range(-1, options + 2)),
        "card:²",
        "card:٣",
        "option:¹",
        "card:",
        "card:-1",
        "card:00",
        "person:1",
        ":",
    ]
    by_name: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
        "card_id": lambda: some(cards, near),
        "cluster_id": lambda: some(clusters, near | st.none()),
        "step": lambda: some(steps, st.sampled_from(["", "none", "group_rules", "nope"])),
        "on": st.booleans,
        "adopted": st.booleans,
        "present": st.booleans,
        "locked": st.booleans,
        "budget": lambda: st.integers(-2, MAX_VOTE_BUDGET + 2),
        "seconds": lambda: (
            st.sampled_from([1, 60, 600, MAX_TIMER_SECONDS, 0, -5])
            | st.integers(-10, MAX_TIMER_SECONDS + 10)
        ),
        "title": lambda: _text_near(MAX_CLUSTER_TITLE, "Respect"),
        "reason": lambda: _text_near(MAX_HIDE_REASON, "Let's keep it kind"),
        "text": lambda: _text_near(MAX_NOTE if event == "note" else 300, "We start on time"),
        "target": lambda: st.sampled_from(targets) | st.text(max_size=12),
        "stance": lambda: st.sampled_from(["agree", "disagree", "none", "maybe", "AGREE", ""]),
        "board": lambda: st.sampled_from([room.board] * 3 + sorted(BOARDS) + ["", "nope"]),
        "fields": lambda: st.sampled_from([room.board] * 3 + sorted(BOARDS)).flatmap(fields_for),
        "participant_id": lambda: some(people, near),
        "absorbed": lambda: some(people, near),
        "kept": lambda: some(people, near),
        "on_behalf_of": lambda: some(people, near),
        "as": lambda: st.sampled_from([None, room.people["amina"], room.people["yusuf"], "me"]),
        "index": lambda: st.integers(-1, len(steps)),
        "delta": lambda: st.sampled_from([1, -1, 0, 2, -2]),
        "after": lambda: st.integers(-2, state.seq + 2) | st.sampled_from([0, 10**6]),
        "client_id": lambda: client_ids(room),
    }
    make = by_name.get(name)
    return make() if make is not None else HOSTILE_VALUES


def _mutated(base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """`base` with one to three changes: a field dropped, an unknown one added, a value
    replaced by a hostile one or retyped."""

    @st.composite
    def mutate(draw: st.DrawFn) -> dict[str, Any]:
        data = dict(base)
        ops = ["drop", "extra", "hostile", "retype", "json"]
        for op in draw(st.lists(st.sampled_from(ops), min_size=1, max_size=3)):
            keys = sorted(data)
            if op == "extra" or not keys:
                data[draw(EXTRA_KEYS)] = draw(JSON_VALUES)
                continue
            key = draw(st.sampled_from(keys))
            if op == "drop":
                del data[key]
            elif op == "hostile":
                data[key] = draw(HOSTILE_VALUES)
            elif op == "retype":
                data[key] = draw(_retype(data[key]))
            else:
                data[key] = draw(JSON_VALUES)
        return data

    return mutate()


def payloads(room: Room, namespace: str, event: str) -> st.SearchStrategy[Any]:
    spec = SPECS.get((namespace, event), Spec((), tuple(KNOWN_FIELDS)))
    base = st.fixed_dictionaries(
        {name: plausible(room, namespace, event, name) for name in spec.required},
        optional={name: plausible(room, namespace, event, name) for name in spec.optional},
    )
    return st.sampled_from(["plausible"] * 4 + ["mutated"] * 4 + ["raw"] * 2).flatmap(
        lambda kind: (
            base
            if kind == "plausible"
            else base.flatmap(_mutated)
            if kind == "mutated"
            else HOSTILE_VALUES | st.lists(JSON_VALUES, max_size=3)
        )
    )


# How many arguments an event carries: nearly always one, sometimes none, rarely two.
ARG_COUNTS = st.sampled_from([1] * 37 + [0, 0, 2])

UNKNOWN_NAMES = st.one_of(
    st.sampled_from(ALL_EVENT_NAMES),  # another namespace's events
    st.sampled_from(
        ["Sync", "sync ", " post", "on_sync", "_dispatch", "trigger_event", "emit", "board"]
    ),
    st.sampled_from(["__init__", "__class__", "*", "", "message", "json", "connect_error"]),
    st.text(max_size=20),
    st.sampled_from([0, 1, -1, None, True, [], {}, ["sync"], {"event": "sync"}, 1.5]),
    st.sampled_from(["connect", "disconnect"]),  # reserved by Socket.IO
)

# --- the calls --------------------------------------------------------------------------

SUMMARY: dict[str, Counter[str]] = defaultdict(Counter)


def call(room: Room, namespace: str, target: str, event: Any, args: tuple[Any, ...]) -> Any:
    """Send one event, then check the ack, the log and a fresh sync."""
    sock = room.sockets[namespace]
    before = room.rows
    label = f"{namespace[1:]}:{target}@{room.variant}"
    note(f"{namespace} {event!r} args={args!r}"[:2000])
    try:
        outcome: Any = sock.emit(event, *args, namespace=namespace, callback=True)
    except Exception as escaped:  # every escape is a finding, judged below
        outcome = escaped
    note(f"-> {outcome!r}"[:2000])
    bug = known_bug(namespace, event, args, outcome)
    if isinstance(outcome, BaseException) and bug is None:
        raise AssertionError(f"{type(outcome).__name__} escaped {event!r}") from outcome
    readmitted = room.refresh()
    if readmitted:
        broken = MergedReadmitted(f"merged participants admitted again: {sorted(readmitted)}")
        bug = bug or known_bug(namespace, event, args, broken)
        if bug is None:
            raise broken
    if bug is not None:
        SUMMARY[label][f"known bug: {bug}"] += 1
        return outcome
    check_ack(outcome)
    check_rows(outcome, before, room.rows)
    SUMMARY[label]["ok" if outcome["ok"] else f"refused: {outcome['error']}"] += 1
    return outcome


def send_one(room: Room, namespace: str, event: str, data: st.DataObject, target: str) -> None:
    if event == UNKNOWN:
        name = data.draw(UNKNOWN_NAMES.filter(lambda e: e not in EVENTS[namespace]), label="event")
        count = data.draw(ARG_COUNTS, label="arguments")
        args = tuple(
            data.draw(HOSTILE_VALUES | payloads(room, namespace, "?")) for _ in range(count)
        )
    else:
        name = event
        count = data.draw(ARG_COUNTS, label="arguments")
        args = tuple(
            data.draw(payloads(room, namespace, event), label="payload") for _ in range(count)
        )
    call(room, namespace, target, name, args)


# Tutor moves mixed into a participant run, so boards lock, conceal, move and reopen.
TUTOR_MOVES = ("step", "board_lock", "board_conceal", "board_anonymous", "voting", "hide", "unhide")


@pytest.mark.parametrize(
    ("namespace", "event", "variant"),
    [pytest.param(*t, id=f"{t[0][1:]}:{t[1]}@{t[2]}") for t in TARGETS],
)
@FUZZ_SETTINGS
@given(data=st.data())
def test_every_event_acks_hostile_payloads_and_keeps_the_log_whole(
    rooms: Callable[[str], Room], namespace: str, event: str, variant: str, data: st.DataObject
) -> None:
    room = rooms(variant)
    if event != MIXED:
        send_one(room, namespace, event, data, event)
    else:
        events = [e for e in EVENTS[namespace] if e != "end"]
        for _ in range(data.draw(st.integers(1, 4), label="run length")):
            if namespace == "/participant" and data.draw(st.integers(0, 4)) == 0:
                move = data.draw(st.sampled_from(TUTOR_MOVES), label="tutor move")
                spec = SPECS[("/tutor", move)]
                payload = data.draw(
                    st.fixed_dictionaries(
                        {n: plausible(room, "/tutor", move, n) for n in spec.required},
                        optional={n: plausible(room, "/tutor", move, n) for n in spec.optional},
                    ),
                    label="tutor payload",
                )
                call(room, "/tutor", MIXED, move, (payload,))
                continue
            name = data.draw(st.sampled_from(events), label="event")
            send_one(room, namespace, name, data, MIXED)
    check_sync(room, namespace)
