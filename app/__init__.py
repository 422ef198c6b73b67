"""Migrapass Live: the application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

# Nothing heavier than the standard library is imported at package level: `python -m
# app.serve` imports this package before it can monkey-patch, and eventlet warns (and
# cannot green the locks) of anything that imported threading before the patch.
from app.paths import INSTANCE, ROOT

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the application."""
    from flask import Flask

    from app.config import Config

    instance_path = Path(os.environ.get("MIGRAPASS_INSTANCE_PATH", INSTANCE))
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(Config(instance_path).as_dict())
    if test_config:
        app.config.from_mapping(test_config)

    from flask_babel import lazy_gettext as _l

    from app import cli, compression, errors, i18n, pictograms, security, static_files
    from app.dates import month_names, show_when
    from app.extensions import csrf, db, login_manager, socketio
    from app.field_limits import max_chars, page_limits
    from app.offload import breathing
    from app.script_access import install_script, load_competences, load_workshops
    from app.sockets.guard import MAX_MESSAGE_BYTES

    app.jinja_env.filters["breathing"] = breathing
    app.jinja_env.filters["when"] = show_when  # a stored date as people read it: 03/2015
    app.jinja_env.globals["max_chars"] = max_chars()  # the forms' counters say the same
    app.jinja_env.globals["max_message_bytes"] = MAX_MESSAGE_BYTES  # and the phone's outbox
    app.jinja_env.globals["limits"] = page_limits()  # the pages' scripts read them, not copy
    app.jinja_env.globals["month_names"] = month_names()  # what a phone reads in a date
    compression.init_app(app)  # first: its hook runs last, on the finished response
    static_files.init_app(app)
    db.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    pictograms.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.localize_callback = str  # the lazy text, in the person's language
    workshops = Path(app.config["WORKSHOPS_DIR"])
    install_script(app, load_workshops(workshops, app.config["LANGUAGES"]))
    app.extensions["migrapass.suggestions"] = load_competences(workshops)

    from app.ratelimit import Limiter, Rules

    app.extensions["migrapass.limiter"] = Limiter(
        app.config["RATE_LIMIT_STORAGE"],
        app.config["SECRET_KEY"] + app.config["DATABASE_URL"],
        Rules(**app.config["RATE_LIMITS"]),
    )

    from app.pdf import render_pdf
    from app.pdf.exports import ExportQueue

    app.extensions["migrapass.exports"] = ExportQueue(
        render_pdf,
        start_worker=lambda work: socketio.start_background_task(work),
        on_error=lambda job: app.logger.exception("PDF export (%s) failed", job.kind),
    )

    from app.auth.routes import bp as auth_bp
    from app.coordinator_pages import bp as coordinator_bp
    from app.coordinator_pages import routes as coordinator_routes  # noqa: F401
    from app.data_rights_pages import bp as rights_bp
    from app.data_rights_pages import routes as rights_routes  # noqa: F401
    from app.health import bp as health_bp
    from app.participant_pages.routes import bp as participant_bp
    from app.portfolio_pages.owner import bp as portfolio_bp
    from app.portfolio_pages.staff import bp as portfolio_staff_bp
    from app.replay_pages import bp as replay_bp
    from app.replay_pages import rehearsals  # noqa: F401  (its views on bp)
    from app.replay_pages import routes as replay_routes  # noqa: F401
    from app.report_pages import bp as reports_bp
    from app.report_pages import routes as report_routes  # noqa: F401
    from app.tutor_pages import bp as tutor_bp
    from app.tutor_pages import (  # noqa: F401  (their views on bp)
        interviews,
        named_tutor,
        routes,
        summary,
        urgent,
    )

    blueprints = (
        health_bp,
        auth_bp,
        participant_bp,
        portfolio_bp,
        portfolio_staff_bp,
        tutor_bp,
        replay_bp,
        coordinator_bp,
        reports_bp,
        rights_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)

    from app.sockets import register_namespaces
    from app.sockets.guard import BUFFER_BYTES

    register_namespaces(socketio)
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config["SOCKETIO_CHANNEL"],
        cors_allowed_origins=_allowed_origins(app),
        max_http_buffer_size=BUFFER_BYTES,
    )
    from app import doors

    doors.init_app(app)
    cli.init_app(app)
    return app


def _allowed_origins(app: Flask) -> list[str] | None:
    """None keeps Socket.IO's default: only the page's own origin may open a websocket."""
    extra = list(app.config["ALLOWED_ORIGINS"])
    public = urlsplit(app.config["PUBLIC_URL"])  # an origin has no path: not /live
    return [f"{public.scheme}://{public.netloc}", *extra] if extra else None
