"""One moment of a replay as the page draws it: the projector's view at that moment
(the live projector's own payload, from the same fold), the tutor's notes so far, and
the names shown as the session's cast says."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.live.events import ActorKind
from app.live.replay import Recording
from app.live.views import Audience, snapshot
from app.replay.pseudonyms import Cast, names_in, pseudonymise_tree
from app.replay.redaction import REMOVED


@dataclass(frozen=True)
class Words:
    """What a frame says in the viewer's language."""

    removed: str  # "content removed"


def moment_ms(recording: Recording, seq: int) -> int:
    """The clock time of event `seq` (the first event's for 0)."""
    if not recording.events:
        return 0
    return recording.events[max(seq, 1) - 1].ts_ms


def _shown(value: Any, cast: Cast, words: Words) -> Any:
    if value == REMOVED:
        return words.removed
    if isinstance(value, list):
        return [_shown(item, cast, words) for item in value]
    if isinstance(value, dict):
        return {key: _shown(item, cast, words) for key, item in value.items()}
    return pseudonymise_tree(value, cast.hidden_names)


def _texts(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return " ".join(_texts(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_texts(item) for item in value.values())
    return ""


def frame(
    recording: Recording,
    seq: int,
    cast: Cast,
    words: Words,
    *,
    reviewer: bool = False,
) -> dict[str, Any]:
    """The page's frame for the moment right after event `seq`."""
    state = recording.state_at(seq)
    at = moment_ms(recording, seq)
    board: dict[str, Any] = dict(snapshot(state, Audience.PROJECTOR, cast.shown, now_ms=at))
    flagged: list[dict[str, Any]] = []
    cards = []
    for card in board["cards"]:
        found = names_in(_texts(card["fields"]), cast.hidden_names)
        if found and reviewer:
            flagged.append({"card_id": card["id"], "seq": card["id"]})
        cards.append(
            {
                **card,
                "fields": _shown(card["fields"], cast, words),
                "text": _shown(card["text"], cast, words),
            }
        )
    board["cards"] = cards
    notes = []
    for note in state.notes:
        if reviewer and names_in(note.text, cast.hidden_names):
            flagged.append({"note_id": note.id, "seq": note.id})
        notes.append({"id": note.id, "ts_ms": note.ts_ms, "text": _shown(note.text, cast, words)})
    body: dict[str, Any] = {
        "seq": seq,
        "ms": at,
        "step_index": state.step_index,
        "step_id": state.current_step.id if state.current_step else None,
        "board": board,
        "notes": notes,
        "people": cast.people(),
    }
    if reviewer:
        body["flagged"] = flagged
    return body


def appearance_order(recording: Recording) -> list[int]:
    """Participant ids in the order they first appear in the log: acting, let in, or
    named by a tutor's card typed for them."""
    order: list[int] = []
    for event in recording.events:
        if event.actor is not None and event.actor.kind is ActorKind.PARTICIPANT:
            order.append(event.actor.id)
        for key in ("participant_id", "on_behalf_of", "kept", "absorbed"):
            value = event.payload.get(key)
            if isinstance(value, int):
                order.append(value)
    return list(dict.fromkeys(order))
