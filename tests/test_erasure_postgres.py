"""Deleting a person on PostgreSQL: no table holds a trace of them (what stays in dead
row versions until VACUUM and in backups is the README's to say)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from app.data_rights import erasure
from app.db import upgrade
from app.extensions import db
from app.live.store import load_state
from tests import erasure_world
from tests.erasure_world import MARKERS

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(postgres_schema: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The usual test app, on a throwaway migrated PostgreSQL schema."""
    monkeypatch.setenv("MIGRAPASS_INSTANCE_PATH", str(tmp_path / "instance"))
    upgrade(postgres_schema)
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": postgres_schema,
            "ASYNC_MODE": "threading",
            "SOCKETIO_MESSAGE_QUEUE": None,
            "WTF_CSRF_ENABLED": False,
            "PUBLIC_URL": "http://phones.example:5000",
        }
    )
    yield application
    db.engine.dispose()


def test_a_deleted_person_leaves_no_marker_in_any_table_on_postgresql(
    app, make_cohort, make_staff, make_participant, start_live, phone_client
):
    world = erasure_world.build(
        app, make_cohort, make_staff, make_participant, start_live, phone_client
    )
    with app.app_context():
        assert all(marker in erasure_world.dump() for marker in MARKERS)
        done = erasure.erase(db.session, world.person(), by=None, origin=erasure.Origin.PERSON)
        db.session.commit()
        erasure.after_commit(db.session, done)
        assert [m for m in MARKERS if m in erasure_world.dump()] == []
        assert len(load_state(db.session, world.session_id).cards) == 2
