"""Typed SQLAlchemy models, one module per concern."""

from app.models.accounts import User
from app.models.base import Base
from app.models.cohorts import Cohort, Membership, MembershipStatus, cohort_tutors
from app.models.interviews import Interview
from app.models.live import EventContent, LiveSession, ScriptVersion, SessionEvent
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
    "FocusAnswer",
    "ReplayKeyframe",
    "SimulatedAction",
    "ViewHash",
    "Base",
    "Cohort",
    "Consent",
    "DeviceLink",
    "EventContent",
    "Interview",
    "LiveSession",
    "Membership",
    "MembershipStatus",
    "Participant",
    "PortfolioEvent",
    "RejoinCode",
    "ScriptVersion",
    "SessionEvent",
    "User",
    "cohort_tutors",
]
