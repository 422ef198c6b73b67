"""Every schema change is a migration: they apply on SQLite and on PostgreSQL, and the
models match what they build."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.db import alembic_config, make_engine, upgrade
from app.models import Base

POSTGRES_URL = os.environ.get(
    "DATABASE_TEST_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


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


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """A throwaway schema in the test database, so runs never see each other's tables."""
    admin = sa.create_engine(POSTGRES_URL)
    name = f"t_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    except sa.exc.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL is not reachable: {exc}")
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


@pytest.mark.postgres
def test_migrations_build_exactly_the_models_on_postgresql(postgres_schema: str):
    upgrade(postgres_schema)
    assert schema_drift(postgres_schema) == []
    command.downgrade(alembic_config(postgres_schema), "base")
    upgrade(postgres_schema)
