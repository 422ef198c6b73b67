"""A folded state as plain JSON and back, for the replay's stored keyframes.

Keyframes are derived data: FOLD_VERSION names the shape of the state and the meaning
of the folds; a stored keyframe of another version is ignored and made again from the
log. Raise it whenever a fold or a state field changes what a state holds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, fields
from typing import Any

from app.live.state import (
    BoardState,
    Card,
    Cluster,
    Note,
    SessionState,
    StepInfo,
    Timer,
    Wall,
    frozen,
)
from app.session_status import SessionStatus

FOLD_VERSION = "2026-11-30.1"  # steps' kind and visibility, cards' authors' choices


def label(contents_version: int) -> str:
    """What a stored keyframe is labelled with: the fold's version and that of the
    session's contents (raised when words are removed), so a keyframe folded before a
    removal, by any process, is never read after it."""
    return f"{FOLD_VERSION}+{contents_version}"


def _int_keys(mapping: Mapping[str, Any]) -> dict[int, Any]:
    return {int(key): value for key, value in mapping.items()}


def _card_json(card: Card) -> dict[str, Any]:
    # Not `asdict`: it deep-copies each value, and a read-only mapping cannot be copied.
    body = {one.name: getattr(card, one.name) for one in fields(card)}
    body["fields"] = json.loads(json.dumps(dict(card.fields)))
    body["stances"] = {str(k): v for k, v in card.stances.items()}
    return body


def _card(body: Mapping[str, Any]) -> Card:
    return Card(
        **{
            **body,
            "fields": frozen(body["fields"]),
            "stances": frozen(_int_keys(body["stances"])),
        }
    )


def to_json(state: SessionState) -> dict[str, Any]:
    """The state as JSON-ready values (mapping keys as strings)."""
    return {
        "seq": state.seq,
        "status": state.status.value,
        "meeting": state.meeting,
        "steps": [asdict(step) for step in state.steps],
        "step_index": state.step_index,
        "joining_locked": state.joining_locked,
        "present": sorted(state.present),
        "merged": {str(k): v for k, v in state.merged.items()},
        "cards": [_card_json(card) for card in state.cards.values()],
        "clusters": [asdict(cluster) for cluster in state.clusters.values()],
        "boards": {step: asdict(board) for step, board in state.boards.items()},
        "votes": {
            step: {str(voter): dict(counts) for voter, counts in voters.items()}
            for step, voters in state.votes.items()
        },
        "timer": asdict(state.timer),
        "wall": asdict(state.wall),
        "notes": [asdict(note) for note in state.notes],
    }


def from_json(body: Mapping[str, Any]) -> SessionState:
    """The state `to_json` described."""
    cards = [_card(card) for card in body["cards"]]
    clusters = [Cluster(**cluster) for cluster in body["clusters"]]
    return SessionState(
        seq=body["seq"],
        status=SessionStatus(body["status"]),
        meeting=body["meeting"],
        steps=tuple(StepInfo(**step) for step in body["steps"]),
        step_index=body["step_index"],
        joining_locked=body["joining_locked"],
        present=frozenset(body["present"]),
        merged=frozen(_int_keys(body["merged"])),
        cards=frozen({card.id: card for card in cards}),
        clusters=frozen({cluster.id: cluster for cluster in clusters}),
        boards=frozen({step: BoardState(**board) for step, board in body["boards"].items()}),
        votes=frozen(
            {
                step: frozen({int(voter): frozen(counts) for voter, counts in voters.items()})
                for step, voters in body["votes"].items()
            }
        ),
        timer=Timer(**body["timer"]),
        wall=Wall(**body["wall"]),
        notes=tuple(Note(**note) for note in body["notes"]),
    )
