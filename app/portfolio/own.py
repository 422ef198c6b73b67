"""What the participant (and their tutor) do in the portfolio: a stream of their own.

The room's cards are a projection of the sessions' logs; everything done afterwards in
the portfolio is a separate, per-person log folded on top. So a participant who rewrites
an entry never changes the card the group saw, replaying either log gives the same
portfolio, and an event stored once (its client id is unique) counts once.

Plain Python: `app/portfolio/store.py` reads and writes the events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from app import texts
from app.portfolio.errors import PortfolioRefused
from app.portfolio.projection import Comment, Entry, Portfolio
from app.portfolio.schemas import schema
from app.refusals import Refused
from app.vocabulary import PORTFOLIO_SECTIONS

MAX_COMMENT = 1000
MAX_ENTRIES = 300  # per person: far more than eight workshops give; stops a runaway script
# What the CV needs of a person and never keeps unless asked: typed at each export.
CONTACT_FIELDS = ("full_name", "email", "phone", "address")
MAX_CONTACT = 200


class OwnEventType(StrEnum):
    ENTRY_ADDED = "entry.added"  # {section, board, fields}: a private entry
    ENTRY_EDITED = "entry.edited"  # {key, fields}
    ENTRY_REMOVED = "entry.removed"  # {key}: out of the portfolio (the board keeps the card)
    ENTRY_SHARED = "entry.shared"  # {key, shared}: shared with the tutor, or private
    COMMENT_ADDED = "comment.added"  # {key | None, text}: by a tutor
    CV_SAVED = "cv.saved"  # {cv}
    CONTACT_SAVED = "contact.saved"  # {full_name, email, phone, address}: only if asked
    CONTACT_FORGOTTEN = "contact.forgotten"  # {}


@dataclass(frozen=True)
class OwnEvent:
    seq: int
    type: OwnEventType
    payload: Mapping[str, Any]
    at_ms: int
    participant_id: int  # whose stream (after a merge, several streams make one portfolio)
    staff_name: str = ""  # who wrote it, when a tutor did


def own_key(participant_id: int, seq: int) -> str:
    return f"p{participant_id}:e{seq}"


def apply(portfolio: Portfolio, events: Iterable[OwnEvent]) -> Portfolio:
    """Fold the person's own events (every stream of theirs, in order) onto the projection.

    An event naming an entry that is gone (a card later taken back in the room, an entry
    removed) changes nothing: the log stays valid whatever happened since.
    """
    by_key: dict[str, Entry] = {
        entry.key: entry for entries in portfolio.sections.values() for entry in entries
    }
    order = list(by_key)
    comments: list[Comment] = []
    cv: Mapping[str, Any] | None = portfolio.cv
    contact: Mapping[str, str] | None = portfolio.contact
    for event in sorted(events, key=lambda e: e.seq):
        data = event.payload
        key = data.get("key")
        if event.type is OwnEventType.ENTRY_ADDED:
            new_key = own_key(event.participant_id, event.seq)
            by_key[new_key] = Entry(
                key=new_key,
                section=data["section"],
                board=data["board"],
                fields=data["fields"],
                provenance=None,
                added_ms=event.at_ms,
            )
            order.append(new_key)
        elif event.type is OwnEventType.ENTRY_EDITED and key in by_key:
            by_key[key] = replace(by_key[key], fields=data["fields"], edited_ms=event.at_ms)
        elif event.type is OwnEventType.ENTRY_REMOVED and key in by_key:
            del by_key[key]
        elif event.type is OwnEventType.ENTRY_SHARED and key in by_key:
            by_key[key] = replace(by_key[key], shared=bool(data["shared"]))
        elif event.type is OwnEventType.COMMENT_ADDED:
            comment = Comment(event.seq, key, data["text"], event.staff_name, event.at_ms)
            if key is None:
                comments.append(comment)
            elif key in by_key:
                entry = by_key[key]
                by_key[key] = replace(entry, comments=(*entry.comments, comment))
        elif event.type is OwnEventType.CV_SAVED:
            cv = data["cv"]
        elif event.type is OwnEventType.CONTACT_SAVED:
            contact = {name: data.get(name, "") for name in CONTACT_FIELDS}
        elif event.type is OwnEventType.CONTACT_FORGOTTEN:
            contact = None
    sections: dict[str, list[Entry]] = {}
    for key in order:
        if key in by_key:
            entry = by_key[key]
            sections.setdefault(entry.section, []).append(entry)
    for entries in sections.values():
        entries.sort(key=lambda e: (e.added_ms, e.key))
    return Portfolio(portfolio.participant_id, sections, comments, cv, contact)


def shared_with_tutor(portfolio: Portfolio, sessions: Set[int] | None = None) -> Portfolio:
    """What a tutor of the person's cohort reads: the shared entries and the comments.

    `sessions` are the live sessions of the groups that tutor teaches (None: all, for
    the coordinator): a card posted in another group's room is that group's to read.
    Nothing here counts what is left out: a number of private entries that grows when
    an anonymous card lands would tell the tutor who wrote it.
    """

    def readable(entry: Entry) -> bool:
        if not entry.shared:
            return False
        room = entry.provenance
        return room is None or sessions is None or room.session_id in sessions

    sections = {
        name: [entry for entry in entries if readable(entry)]
        for name, entries in portfolio.sections.items()
    }
    return Portfolio(
        portfolio.participant_id,
        {name: entries for name, entries in sections.items() if entries},
        list(portfolio.comments),
    )


# --- checking a change before it is stored: each returns the event's payload ------------


def new_entry(portfolio: Portfolio, section: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    if section not in PORTFOLIO_SECTIONS:
        raise PortfolioRefused("unknown_section", section)
    if len(portfolio) >= MAX_ENTRIES:
        raise PortfolioRefused("portfolio_full")
    board = PORTFOLIO_SECTIONS[section]
    return {"section": section, "board": board, "fields": _clean(board, raw)}


def _existing(portfolio: Portfolio, key: Any) -> Entry:
    entry = portfolio.find(key) if isinstance(key, str) else None
    if entry is None:
        raise PortfolioRefused("no_such_entry")
    return entry


def changed_entry(portfolio: Portfolio, key: Any, raw: Mapping[str, Any]) -> dict[str, Any]:
    entry = _existing(portfolio, key)
    return {"key": entry.key, "fields": _clean(entry.board, raw)}


def _clean(board: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The fields as the board's schema keeps them; a field it refuses, the portfolio refuses."""
    checked = schema(board)
    try:
        return checked.clean(raw)
    except Refused as refused:  # the vocabulary's own refusal, told as the portfolio's
        raise PortfolioRefused(refused.code, refused.detail) from None


def removed_entry(portfolio: Portfolio, key: Any) -> dict[str, Any]:
    return {"key": _existing(portfolio, key).key}


def sharing(portfolio: Portfolio, key: Any, shared: bool) -> dict[str, Any]:
    return {"key": _existing(portfolio, key).key, "shared": bool(shared)}


def comment(tutor_view: Portfolio, key: Any, raw_text: Any) -> dict[str, Any]:
    """A tutor comments on the whole portfolio or on an entry they can read."""
    if key is not None:
        key = _existing(tutor_view, key).key
    if not isinstance(raw_text, str) or not raw_text.strip():
        raise PortfolioRefused("missing_field", "text")
    text = raw_text.replace("\r\n", "\n").strip()
    if texts.too_long(text, MAX_COMMENT):
        raise PortfolioRefused("text_too_long", f"text:{MAX_COMMENT}")
    return {"key": key, "text": text}


def contact_details(raw: Mapping[str, Any]) -> dict[str, str]:
    """E-mail, phone and address as typed for one export; each may be empty."""
    clean = {}
    for name in CONTACT_FIELDS:
        value = raw.get(name) or ""
        if not isinstance(value, str):
            raise PortfolioRefused("bad_field", name)
        value = value.replace("\r\n", "\n").strip()
        if texts.too_long(value, MAX_CONTACT):
            raise PortfolioRefused("text_too_long", f"{name}:{MAX_CONTACT}")
        clean[name] = value
    return clean
