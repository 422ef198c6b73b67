"""Every card a participant posted lands in their portfolio: a projection of the log.

The projection reads a session's folded state, never the messages that were sent, so
replaying the log gives the same portfolio and a resent write (stored once, thanks to
its client id) cannot add an entry twice. What the room did not see still belongs to
the author: an anonymous card is theirs, a card a tutor hid stays, marked as hidden. A
card its author took back leaves the portfolio, as it left the board. A person who said
no to the portfolio gets nothing from the room: `app/portfolio/queries.py` gives them no
session to project.

Plain Python: no Flask, no database; `app/portfolio/queries.py` reads its inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.live.state import SessionState
from app.portfolio.schemas import schema


@dataclass(frozen=True)
class Provenance:
    """Where an entry came from: which meeting, which step, when."""

    session_id: int
    meeting: str
    step: str
    posted_ms: int


@dataclass(frozen=True)
class Comment:
    """A tutor's word to the participant, on one entry or (key None) on the whole."""

    seq: int
    key: str | None
    text: str
    author: str
    at_ms: int


@dataclass(frozen=True)
class Entry:
    # Stable across replays: "s{session}:c{card}" for a card from the room,
    # "p{participant}:e{event}" for one the participant wrote in their portfolio.
    key: str
    section: str
    board: str
    fields: Mapping[str, Any]
    provenance: Provenance | None  # None: written in the portfolio, not in the room
    anonymous: bool = False
    hidden: bool = False
    hidden_reason: str = ""
    by_staff: bool = False
    shared: bool = False  # the tutor may read it; private otherwise
    added_ms: int = 0
    edited_ms: int = 0  # the participant changed it in their portfolio
    comments: tuple[Comment, ...] = ()

    @property
    def text(self) -> str:
        return schema(self.board).summary(self.fields)

    @property
    def from_room(self) -> bool:
        return self.provenance is not None


@dataclass(frozen=True)
class SessionInput:
    """One session as the projection needs it: its folded state and its script's feeds."""

    session_id: int
    meeting: str
    feeds: Mapping[str, str | None]  # step id -> portfolio section (None: the group's)
    state: SessionState
    rehearsal: bool = False


@dataclass
class Portfolio:
    participant_id: int
    sections: dict[str, list[Entry]] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)  # on the whole portfolio
    cv: Mapping[str, Any] | None = None  # the CV as last saved; None: built from entries
    contact: Mapping[str, str] | None = None  # kept only when the participant asked

    def entries(self, section: str) -> list[Entry]:
        return self.sections.get(section, [])

    def find(self, key: str) -> Entry | None:
        for entries in self.sections.values():
            for entry in entries:
                if entry.key == key:
                    return entry
        return None

    def __len__(self) -> int:
        return sum(len(entries) for entries in self.sections.values())


def entries_of_session(session: SessionInput) -> dict[int, list[Entry]]:
    """The entries one session gives each participant, by participant id."""
    if session.rehearsal:  # simulated participants, practice: nobody's portfolio
        return {}
    out: dict[int, list[Entry]] = {}
    for card in sorted(session.state.cards.values(), key=lambda c: c.id):
        section = session.feeds.get(card.step)
        if section is None or card.author_id is None or card.withdrawn:
            continue
        author = session.state.identity(card.author_id)
        out.setdefault(author, []).append(
            Entry(
                key=f"s{session.session_id}:c{card.id}",
                section=section,
                board=card.board,
                fields=card.fields,
                provenance=Provenance(
                    session.session_id, session.meeting, card.step, card.posted_ms
                ),
                anonymous=card.anonymous,
                # The tutor saw the card in the room, unless it was anonymous: then
                # sharing it would tell them who wrote it, so it starts private.
                shared=not card.anonymous,
                added_ms=card.posted_ms,
                hidden=card.hidden,
                hidden_reason=card.hidden_reason,
                by_staff=card.by_staff,
            )
        )
    return out


def project(
    participant_ids: Iterable[int], sessions: Iterable[SessionInput], kept_id: int
) -> Portfolio:
    """The portfolio of one person, who may have had several ids before a merge.

    `participant_ids` are every id that now stands for `kept_id` (the kept one included).
    """
    ids = set(participant_ids)
    portfolio = Portfolio(kept_id)
    seen: set[str] = set()
    for session in sorted(sessions, key=lambda s: s.session_id):
        for author, entries in entries_of_session(session).items():
            if author not in ids:
                continue
            for entry in entries:
                if entry.key in seen:
                    continue
                seen.add(entry.key)
                portfolio.sections.setdefault(entry.section, []).append(entry)
    for entries in portfolio.sections.values():
        entries.sort(key=lambda e: (e.added_ms, e.key))
    return portfolio
