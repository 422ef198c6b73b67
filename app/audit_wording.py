"""What each kind of audit entry says, in the reader's language: the coordinator's audit
trail and a participant's "who opened my data" read the same words."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.audit import AuditAction

ACTIONS = {
    AuditAction.PORTFOLIO_OPENED: _l("opened the portfolio"),
    AuditAction.CV_OPENED: _l("opened the CV"),
    AuditAction.INTERVIEW_OPENED: _l("opened the preparatory interview"),
    AuditAction.CLOSING_OPENED: _l("opened the closing interview"),
    AuditAction.DATA_EXPORTED: _l("exported all the data"),
    AuditAction.PDF_EXPORTED: _l("exported a PDF"),
    AuditAction.PARTICIPANT_DELETED: _l("deleted the person's data"),
    AuditAction.ATTENDANCE_CORRECTED: _l("corrected the attendance"),
    AuditAction.FUNDERS_EXPORTED: _l("exported the funders' figures"),
    AuditAction.RETENTION_RUN: _l("deleted data past its retention period"),
}


def action_words(value: str) -> str:
    """The words for a stored action; one recorded by a newer version, as stored."""
    try:
        return str(ACTIONS[AuditAction(value)])
    except ValueError:
        return value
