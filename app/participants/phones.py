"""Phones linked to participants: link one, find whose it is, sign phones out.

A phone holds a signed cookie naming its `DeviceLink`; the link is checked on every
request and socket event, so ending it (here) is what signs a phone out, copies of its
cookie included. The boundary commits, then disconnects the phone's open sockets.
Plain Python over the models: no Flask.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import DeviceLink, Participant
from app.models.base import utcnow
from app.participants.operations import current_identity, identities


@dataclass(frozen=True)
class DeviceToken:
    """What a phone's cookie says, once its signature is checked."""

    participant_id: int
    link_id: int | None  # None: a cookie from before device links (see `link_of`)
    secret: str = ""  # the link's own, so that an id given again opens nothing


class LinkedVia(StrEnum):
    JOIN = "join"  # the person joined with a room's code on this phone
    REJOIN_CODE = "rejoin_code"  # a tutor's personal code linked this phone
    # The phones a person had before links existed (their cookies name no link): one
    # link made by the upgrade stands for all of them, and ends like any other.
    BEFORE_LINKS = "before_links"


class EndedWhy(StrEnum):
    NOT_ME = "not_me"  # "This is not me" on a shared phone
    NEW_PHONE = "new_phone"  # a re-join code linked another phone
    TUTOR = "tutor"  # a tutor signed the person's phones out
    ERASED = "erased"  # the person is being deleted


def link_phone(db: Session, participant: Participant, via: LinkedVia) -> DeviceLink:
    """Link a new phone (or browser) to the person; its cookie will name this link."""
    link = DeviceLink(participant_id=participant.id, via=via.value)
    db.add(link)
    db.flush()
    return link


def phone_owner(db: Session, participant_id: int, link_id: int) -> Participant | None:
    """The person a phone already known to hold its link speaks for now (following
    merges), if that link still holds: checked on every socket event."""
    link = db.get(DeviceLink, link_id)
    if link is None or not link.active or link.participant_id != participant_id:
        return None
    return current_identity(db, participant_id)


def link_of(db: Session, phone: DeviceToken) -> int | None:
    """The link a phone's cookie stands for, if it holds; a cookie from before links
    (no link id) stands for the person's `BEFORE_LINKS` link."""
    participant_id, link_id = phone.participant_id, phone.link_id
    if link_id is None:
        return db.scalar(
            select(DeviceLink.id).where(
                DeviceLink.participant_id == participant_id,
                DeviceLink.via == LinkedVia.BEFORE_LINKS.value,
                DeviceLink.ended_at.is_(None),
            )
        )
    link = db.get(DeviceLink, link_id)
    if link is None or not link.active or link.participant_id != participant_id:
        return None
    if not hmac.compare_digest(link.secret, phone.secret):
        return None
    return link.id


def end_link(db: Session, link_id: int, why: EndedWhy) -> list[int]:
    """End one phone's link; return it (as a list, like `sign_out_phones`) if it was open."""
    return _end(db, [DeviceLink.id == link_id], why)


def sign_out_phones(
    db: Session, participant: Participant, why: EndedWhy, keep: int | None = None
) -> list[int]:
    """End every open link of the person (under all their merged names) but `keep`."""
    conditions = [DeviceLink.participant_id.in_(identities(db, participant))]
    if keep is not None:
        conditions.append(DeviceLink.id != keep)
    return _end(db, conditions, why)


def _end(db: Session, conditions: list, why: EndedWhy) -> list[int]:
    ended = list(
        db.scalars(select(DeviceLink.id).where(DeviceLink.ended_at.is_(None), *conditions))
    )
    if ended:
        db.execute(
            update(DeviceLink)
            .where(DeviceLink.id.in_(ended))
            .values(ended_at=utcnow(), ended_why=why.value)
        )
        db.flush()
    return ended
