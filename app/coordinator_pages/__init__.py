"""The coordinator's pages: the organisation's groups, staff accounts and settings, and
the audit trail; and the page where an invited member of staff sets their password.

The views live in `routes.py` (home, settings, audit), `cohort_views.py`, `staff_views.py`
and `invites.py`; they import this package, never the other way round.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.errors import refuse
from app.permissions import Role

bp = Blueprint("coordinator", __name__)
COORDINATORS_ONLY = _l(
    "This page is for the organisation's coordinators. If you need it, ask a coordinator."
)


def coordinator_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let the organisation's coordinators through: anyone else logs in, or is refused (403).
    Checked on every call: a coordinator made a tutor loses the pages at their next click."""

    @functools.wraps(view)
    @login_required
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if Role(current_user.role) is not Role.COORDINATOR:
            refuse(403, COORDINATORS_ONLY)
        return view(*args, **kwargs)

    return guarded
