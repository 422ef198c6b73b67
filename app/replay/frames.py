"""One moment of a replay as the page draws it: the projector's view at that moment
(the live projector's own payload, from the same fold), the tutor's notes so far, and
the names shown as the session's cast says.

A story on a hidden-first step is drawn as its author chose at that moment and still
chooses at the end of the session (app.live.disclosure.as_finally_chosen): replays are
shared with trainees, and a story taken back stays taken back, in the past too."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from app.live.disclosure import as_finally_chosen, room_fields, shown_by_author
from app.live.replay import Recording
from app.live.state import SessionState, frozen
from app.live.views import Audience, snapshot
from app.replay.pseudonyms import Cast
from app.replay.wire import Flagged, Frame, NamedInside
from app.vocabulary import REMOVED
from app.vocabulary.boards import BOARDS


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
    return cast.renamer.tree(value)


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
    base: SessionState | None = None,
    *,
    reviewer: bool = False,
    last: SessionState | None = None,
) -> Frame:
    """The page's frame for the moment right after event `seq` (`base`, `last`: the
    keyframes a seek to it and to the session's end fold from, read beforehand)."""
    final = recording.state_at(recording.last_seq, last)
    state = as_finally_chosen(recording.state_at(seq, base), final)
    at = moment_ms(recording, seq)
    step = state.current_step.id if state.current_step else None
    # The wall shows the step's board, the adopted rules or one card alone: a frame
    # carries those, not every board of the evening.
    on_wall = {
        card_id: card
        for card_id, card in state.cards.items()
        if card.step == step or card.adopted or card_id == state.wall.spotlight
    }
    shown = replace(state, cards=frozen(on_wall))
    board: dict[str, Any] = dict(snapshot(shown, Audience.PROJECTOR, cast.shown, now_ms=at))
    flagged: list[Flagged] = []
    cards = []
    for card in board["cards"]:
        found = cast.renamer.found(_texts(card["fields"]))
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
    board["boards"] = [
        {**b, "clusters": [{**c, "title": cast.renamer.text(c["title"])} for c in b["clusters"]]}
        for b in board["boards"]
        if b["step"] == step
    ]
    notes = []
    for note in state.notes:
        if reviewer and cast.renamer.found(note.text):
            flagged.append({"note_id": note.id, "seq": note.id})
        notes.append({"id": note.id, "ts_ms": note.ts_ms, "text": _shown(note.text, cast, words)})
    body: Frame = {
        "seq": seq,
        "ms": at,
        "step_index": state.step_index,
        "step_id": step,
        "board": board,
        "notes": notes,
        "people": cast.people(),
    }
    if reviewer:
        body["flagged"] = flagged
    return body


# Contact details a card should not carry to the wall: a phone number (eight digits or
# more, with spaces, dots or dashes between), an e-mail address.
CONTACT = re.compile(r"(?:\+?\d[\d .-]{6,}\d)|(?:[\w.+-]+@[\w-]+\.[\w.]+)")


def to_review(final: SessionState, cast: Cast) -> list[NamedInside]:
    """Every card and note (`final`: the session's last state) a reviewer reads before
    sharing, and may remove: those naming someone shown under a pseudonym, those giving
    contact details, and the cards the tutor hid (the room saw them until then)."""
    found: list[NamedInside] = []
    for card in sorted(final.cards.values(), key=lambda c: c.id):
        if card.withdrawn or BOARDS[card.board].private:  # never shown: nothing to review
            continue
        # A story its author kept to themself at the end: in no frame either (its place
        # and date likewise, kept out of `room_fields`).
        if not shown_by_author(card, final):
            continue
        words = _texts(room_fields(card, final))
        why = _why(words, cast) or ("hidden" if card.hidden else "")
        if why and words.strip(" ⊘"):
            found.append(
                {"seq": card.id, "what": "card", "step": card.step, "why": why, "text": words}
            )
    for note in final.notes:
        why = _why(note.text, cast)
        if why:
            found.append(
                {"seq": note.id, "what": "note", "step": "", "why": why, "text": note.text}
            )
    return found


def _why(text: str, cast: Cast) -> str:
    if cast.renamer.found(text):
        return "name"
    return "contact" if CONTACT.search(text) else ""
