"""Typed SQLAlchemy models, one module per concern."""

from app.models.accounts import User
from app.models.base import Base
from app.models.cohorts import Cohort, Membership, MembershipStatus, cohort_tutors
from app.models.interviews import Interview
from app.models.live import EventContent, LiveSession, ScriptVersion, SessionEvent
from app.models.organisation import (
    AttendanceCorrection,
    AuditEntry,
    OrganisationSettings,
    StaffInvite,
)
from app.models.participants import Consent, DeviceLink, Participant, RejoinCode
from app.models.portfolio import PortfolioEvent
from app.models.replay import (
    Annotation,
    FocusAnswer,
    ReplayKeyframe,
    SimulatedAction,
    ViewHash,
)

__all__ = [
    "Annotation",
    "AttendanceCorrection",
    "AuditEntry",
    "Base",
    "Cohort",
    "Consent",
    "DeviceLink",
    "EventContent",
    "FocusAnswer",
    "Interview",
    "LiveSession",
    "Membership",
    "MembershipStatus",
    "OrganisationSettings",
    "Participant",
    "PortfolioEvent",
    "RejoinCode",
    "ReplayKeyframe",
    "ScriptVersion",
    "SessionEvent",
    "SimulatedAction",
    "StaffInvite",
    "User",
    "ViewHash",
    "cohort_tutors",
]
