"""Health check for the process manager and the proxy."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from app import readiness
from app.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """Report whether the database and, with several processes, the message queue
    answer (a process without its queue hears no other process's rooms)."""
    assert db.engine is not None
    database = readiness.database_problem(db.engine)
    queue = readiness.queue_problem(current_app.config)
    for problem in (database, queue):
        if problem:
            current_app.logger.warning("health check: %s", problem)
    body = {
        "status": "ok" if not (database or queue) else "degraded",
        "database": "unavailable" if database else "ok",
        "async_mode": current_app.config["ASYNC_MODE"],
    }
    if current_app.config.get("SOCKETIO_MESSAGE_QUEUE"):
        body["queue"] = "unavailable" if queue else "ok"
    return jsonify(body), 503 if (database or queue) else 200
