"""The reports' words: referral sources, the funders' export, the charts' titles."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.outcomes.funders import FundersWords
from app.outcomes.referrals import NOT_ASKED

REFERRAL_LABELS = {
    "former_participant": _l("A former participant"),
    "friend": _l("A friend"),
    "association": _l("An association"),
    "social_worker": _l("A social worker"),
    "poster_or_website": _l("A poster or a website"),
    "other": _l("Other"),
    NOT_ASKED: _l("Not asked"),
}

# The self-assessment's questions, short, as a report names them (the phone asks them
# in the first person: templates/_self_assessment.html).
QUESTION_LABELS = {
    "confidence": _l("Self-confidence"),
    "network": _l("People I can ask for help"),
    "labour_market": _l("Knowing the labour market in France"),
    "skills": _l("Knowing my skills"),
    "project": _l("A clear professional project"),
}


def question_labels() -> dict[str, str]:
    return {key: str(label) for key, label in QUESTION_LABELS.items()}


def referral_labels() -> dict[str, str]:
    return {source: str(label) for source, label in REFERRAL_LABELS.items()}


def funders_words() -> FundersWords:
    """The export's words in the language of the person downloading it."""
    return FundersWords(
        group=lambda number: _("Group %(number)s", number=number),
        headers=(_("Section"), _("Group"), _("Period"), _("Measure"), _("Value")),
        sections={
            "year": _("Year"),
            "group": _("Group"),
            "attendance": _("Attendance per meeting"),
            "referrals": _("How people heard of Migrapass"),
            "self_assessment": _("Self-assessment, before and after"),
        },
        measures={
            "groups": _("Groups"),
            "enrolled": _("Enrolled"),
            "completed": _("Completed the cycle"),
            "rate": _("Completion rate"),
            "threshold": _("Meetings needed to complete"),
            "in_progress": _("Cycle in progress"),
            "answered_before": _("Answered before"),
            "answered_after": _("Answered after"),
            "before_mean": _("mean before (1 to 4)"),
            "after_mean": _("mean after (1 to 4)"),
            "before": _("before"),
            "after": _("after"),
        },
        referrals=referral_labels(),
        yes=_("Yes"),
        no=_("No"),
        all_groups=_("All groups"),
    )
