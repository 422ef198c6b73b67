"""Views on this package's blueprint."""

from __future__ import annotations

from app.report_pages import bp  # noqa: F401
