"""The coordinator's pages: the organisation's groups, staff accounts and settings, and
the audit trail; and the page where an invited member of staff sets their password."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("coordinator", __name__)
