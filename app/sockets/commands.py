"""Every write a client may send over Socket.IO: its name, who may send it, its payload.

One table per namespace. Each command checks the payload's shape here (types, sizes),
the permission layer checks who may send it, and the engine checks that the move makes
sense now. Handlers are generated from these tables, so a command cannot skip a check.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from app.live.checks import MAX_CLUSTER_TITLE, MAX_HIDE_REASON, MAX_NOTE
from app.live.events import EventType
from app.permissions import Action
from app.sockets.guard import MAX_MESSAGE_BYTES
from app.sockets.payloads import (
    BadPayload,
    optional_whole_number,
    storable_tree,
    text_of,
    true_or_false,
    whole_number,
)
from app.vocabulary.boards import FieldRefused
from app.workshops.suggestions import checked_esco


def _fields(value: Any) -> dict[str, Any]:
    """A card's fields, before the board's schema reads them (and counts each text).

    Only what no message the socket's guard lets through can reach is refused here: a
    second, hidden limit would refuse cards whose every field a counter showed as fine."""
    if not isinstance(value, dict):
        raise BadPayload("the card's fields")
    try:
        size = len(json.dumps(value, ensure_ascii=False))
    except (TypeError, ValueError, RecursionError):
        raise BadPayload("the card's fields") from None
    if size > MAX_MESSAGE_BYTES:
        raise BadPayload("the card's fields", "too_large")
    if not storable_tree(value):
        raise BadPayload("the card's fields")
    try:  # an ESCO skill only as the suggestion picked gives it, never one made up
        checked_esco(current_app.extensions["migrapass.suggestions"], value)
    except FieldRefused:
        raise BadPayload("esco", "bad_field") from None
    return value


STEP = ("step", text_of(40))
CARD = ("card_id", whole_number)
CLUSTER = ("cluster_id", whole_number)
ON = ("on", true_or_false)


@dataclass(frozen=True)
class Command:
    """A write: the event it appends, the permission it needs, the payload it takes."""

    event: EventType
    action: Action
    required: tuple[tuple[str, Callable[[Any], Any]], ...] = ()
    optional: tuple[tuple[str, Callable[[Any], Any]], ...] = ()

    def payload(self, data: dict[str, Any]) -> dict[str, Any]:
        """The clean payload, or BadPayload naming the first field that is wrong."""
        known = {name for name, _ in (*self.required, *self.optional)} | {"client_id"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise BadPayload(f"unknown field {unknown[0]}")
        clean: dict[str, Any] = {}
        for name, check in self.required:
            if name not in data:
                raise BadPayload(f"{name} is missing")
            clean[name] = check(data[name])
        for name, check in self.optional:
            if name in data:
                clean[name] = check(data[name])
        return clean


RUN = Action.RUN_SESSION

# The tutor console's writes that the engine alone can judge.
TUTOR_COMMANDS: dict[str, Command] = {
    "timer_start": Command(EventType.TIMER_STARTED, RUN, (("seconds", whole_number),)),
    "timer_pause": Command(EventType.TIMER_PAUSED, RUN),
    "timer_resume": Command(EventType.TIMER_RESUMED, RUN),
    "timer_extend": Command(EventType.TIMER_EXTENDED, RUN, (("seconds", whole_number),)),
    "timer_clear": Command(EventType.TIMER_CLEARED, RUN),
    "board_lock": Command(EventType.BOARD_LOCKED, RUN, (STEP, ON)),
    "board_until_reveal": Command(EventType.BOARD_UNTIL_REVEAL, RUN, (STEP, ON)),
    "board_anonymous": Command(EventType.BOARD_ANONYMOUS, RUN, (STEP, ON)),
    "voting": Command(EventType.VOTING_SET, RUN, (STEP, ("budget", whole_number))),
    "cluster_create": Command(
        EventType.CLUSTER_CREATED, RUN, (STEP, ("title", text_of(MAX_CLUSTER_TITLE)))
    ),
    "cluster_rename": Command(
        EventType.CLUSTER_RENAMED, RUN, (CLUSTER, ("title", text_of(MAX_CLUSTER_TITLE)))
    ),
    "cluster_remove": Command(EventType.CLUSTER_REMOVED, RUN, (CLUSTER,)),
    "group": Command(EventType.CARD_GROUPED, RUN, (CARD, ("cluster_id", optional_whole_number))),
    "adopt": Command(EventType.RULE_ADOPTED, RUN, (CARD, ("adopted", true_or_false))),
    "hide": Command(
        EventType.CARD_HIDDEN, Action.MODERATE, (CARD,), (("reason", text_of(MAX_HIDE_REASON)),)
    ),
    "unhide": Command(EventType.CARD_UNHIDDEN, Action.MODERATE, (CARD,)),
    # A card typed for someone without a phone, on a hidden-first step: shown as they say.
    "show": Command(
        EventType.CARD_SHOWN, RUN, (CARD, ("shown", true_or_false), ("details", true_or_false))
    ),
    "note": Command(EventType.NOTE_TAKEN, RUN, (("text", text_of(MAX_NOTE)),)),
    # What the projector shows besides the board (the group's rules need the database:
    # their handler is the namespace's own).
    "wall_page": Command(EventType.WALL_PAGED, RUN, (STEP, ("page", whole_number))),
    "spotlight": Command(EventType.WALL_SPOTLIGHT, RUN, (("card_id", optional_whole_number),)),
    "join_panel": Command(EventType.WALL_JOIN, RUN, (("shown", text_of(10)),)),
    "end": Command(EventType.SESSION_ENDED, RUN),
}

# A participant's writes besides posting (which checks consent first).
PARTICIPANT_COMMANDS: dict[str, Command] = {
    "edit": Command(EventType.CARD_EDITED, Action.POST_CARD, (CARD, ("fields", _fields))),
    "withdraw": Command(EventType.CARD_WITHDRAWN, Action.POST_CARD, (CARD,)),
    "vote": Command(EventType.VOTE_CAST, Action.POST_CARD, (STEP, ("target", text_of(40)))),
    "unvote": Command(EventType.VOTE_RETRACTED, Action.POST_CARD, (STEP, ("target", text_of(40)))),
    "stance": Command(EventType.RULE_STANCE, Action.POST_CARD, (CARD, ("stance", text_of(10)))),
    # On a hidden-first step: the author shows their card to the group (and its place and
    # date, `details`), or keeps it to themself again.
    "show": Command(
        EventType.CARD_SHOWN,
        Action.POST_CARD,
        (CARD, ("shown", true_or_false), ("details", true_or_false)),
    ),
}

# Posting a card, from a phone or for someone by a tutor.
POST = Command(
    EventType.CARD_POSTED,
    Action.POST_CARD,
    (("board", text_of(40)),),
    (("fields", _fields), ("text", text_of(2000)), ("on_behalf_of", whole_number)),
)


def card_fields(clean: dict[str, Any]) -> dict[str, Any]:
    """A post's fields; a one-field card may be sent as plain `text`."""
    if "fields" in clean:
        return clean["fields"]
    if "text" in clean:
        return {"text": clean["text"]}
    raise BadPayload("fields is missing")
