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
