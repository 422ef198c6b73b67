"""Attendance, completion, referrals and outcomes as charts and tables, and the funders'
anonymous export."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__)
