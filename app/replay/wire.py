"""The replay page's JSON, as TypedDicts: what timeline.json, each frame and
annotations.json carry. The scripts read these keys (tests/test_wire.py checks that
every key a script reads is described here or in app.live.wire)."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class TimelineEvent(TypedDict):
    seq: int
    ms: int
    step: str  # the step on screen after it
    card: bool  # a card posted (the "next card" control stops there)


class TimelineMarker(TypedDict):
    seq: int
    ms: int
    kind: str  # step | reveal | vote | hide | annotation
    step: NotRequired[str]
    label: str


class TimelineStep(TypedDict):
    id: str
    seq: int
    title: str


class QuietSpan(TypedDict):
    after_seq: int
    start_ms: int
    end_ms: int
    label: str  # "4 min with no new card"


class NamedInside(TypedDict):
    """Something a reviewer reads before sharing (app.replay.frames.to_review)."""

    seq: int
    what: str  # card | note
    step: str
    why: str  # name (names someone shown under a pseudonym) | contact | hidden
    text: str  # as written: reviewers only


class SessionHead(TypedDict):
    id: int
    title: str


class Timeline(TypedDict):
    started_ms: int
    ended_ms: int
    last_seq: int
    events: list[TimelineEvent]
    markers: list[TimelineMarker]
    steps: list[TimelineStep]
    quiet: list[QuietSpan]
    session: NotRequired[SessionHead]
    utc_offset_ms: NotRequired[int]  # the organisation's clock against UTC
    named_inside: NotRequired[list[NamedInside]]  # for reviewers only


class Person(TypedDict):
    id: int
    name: str
    colour: int  # one of the page's palette, the same all session


class Flagged(TypedDict, total=False):
    seq: int
    card_id: int
    note_id: int


class FrameNote(TypedDict):
    id: int
    ts_ms: int
    text: str


class Frame(TypedDict):
    seq: int
    ms: int
    step_index: int
    step_id: str | None
    board: dict[str, Any]  # the projector's snapshot (app.live.wire.Snapshot)
    notes: list[FrameNote]
    people: list[Person]
    flagged: NotRequired[list[Flagged]]  # for reviewers only


class AnnotationView(TypedDict):
    id: int
    seq: int
    kind: str
    kind_label: str
    body: str
    author: str
    private: bool
    parent_id: int | None
    created: str
