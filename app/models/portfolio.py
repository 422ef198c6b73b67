"""A participant's own portfolio log: what they (and their tutor) did after the room."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class PortfolioEvent(Base):
    """One change to one person's portfolio; the portfolio is their cards plus these.

    `client_id` comes from the form that sent it: a form submitted twice (a double tap,
    a resend after a dropped connection) is stored once.
    """

    __tablename__ = "portfolio_events"
    __table_args__ = (UniqueConstraint("participant_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    client_id: Mapped[str | None] = mapped_column(String(64))
    # The tutor who wrote it (a comment); None when the participant did.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_ms: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
