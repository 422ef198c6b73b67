"""The organisation's settings a coordinator edits on screen: one row, once changed."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import OrganisationSettings
from app.models.organisation import DEFAULT_COMPLETION_MEETINGS, DEFAULT_RETENTION_MONTHS

SETTINGS_ID = 1


def settings(db: Session) -> OrganisationSettings:
    """The settings, or the defaults while nobody changed them. Reading never writes: a
    page read by two processes at once must not race to create the row."""
    found = db.get(OrganisationSettings, SETTINGS_ID)
    if found is not None:
        return found
    return OrganisationSettings(
        id=SETTINGS_ID,
        completion_meetings=DEFAULT_COMPLETION_MEETINGS,
        retention_months=DEFAULT_RETENTION_MONTHS,
    )


def change_settings(
    db: Session, *, completion_meetings: int, retention_months: int, by: int | None
) -> OrganisationSettings:
    """Store new settings; the caller checked the numbers and commits."""
    found = db.merge(settings(db))
    found.completion_meetings = completion_meetings
    found.retention_months = retention_months
    found.updated_by_id = by
    db.flush()
    return found
