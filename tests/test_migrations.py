"""Every schema change is a migration: they apply on SQLite and on PostgreSQL, and the
models match what they build."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.db import alembic_config, make_engine, upgrade
from app.models import Base


def schema_drift(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()


def test_migrations_build_exactly_the_models_on_sqlite(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    upgrade(url)
    assert schema_drift(url) == []


def test_migrations_go_down_and_up_again_on_sqlite(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    upgrade(url)
    assert schema_drift(url) == []


@pytest.mark.postgres
def test_migrations_build_exactly_the_models_on_postgresql(postgres_schema: str):
    upgrade(postgres_schema)
    assert schema_drift(postgres_schema) == []
    command.downgrade(alembic_config(postgres_schema), "base")
    upgrade(postgres_schema)


def test_the_upgrade_keeps_known_phones_working_and_voids_old_personal_codes(tmp_path: Path):
    """Migration 0004 on a database in use: every participant gets the one link their old
    cookies stand for, and a personal code given before the wall was checked opens
    nothing any more."""
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    upgrade(url, "0003")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO participants (id, display_name, locale, created_at)"
                " VALUES (1, 'Amina', 'fr', '2026-11-01 10:00:00'),"
                " (2, 'Yusuf', 'fr', '2026-11-01 10:00:00')"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO rejoin_codes (participant_id, code_hash, expires_at, attempts)"
                " VALUES (1, 'hash', '2099-01-01 00:00:00', 0)"
            )
        )
    upgrade(url)
    with engine.connect() as connection:
        links = connection.execute(
            sa.text("SELECT participant_id, via, ended_at FROM device_links ORDER BY 1")
        ).all()
        unused = connection.execute(
            sa.text("SELECT count(*) FROM rejoin_codes WHERE used_at IS NULL")
        ).scalar()
    engine.dispose()
    assert links == [(1, "before_links", None), (2, "before_links", None)]
    assert unused == 0
