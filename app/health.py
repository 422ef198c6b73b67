"""Health check for the process manager and the proxy."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """Report whether the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError as exc:
        current_app.logger.warning("health check: database unavailable: %s", exc)
        database = "unavailable"
    body = {
        "status": "ok" if database == "ok" else "degraded",
        "database": database,
        "async_mode": current_app.config["ASYNC_MODE"],
    }
    return jsonify(body), 200 if database == "ok" else 503
