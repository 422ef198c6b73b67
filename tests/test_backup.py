"""A coordinator backs up the database during a workshop, and restores it afterwards."""

from __future__ import annotations

import re
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import backup, create_app
from app.db import make_engine
from app.extensions import db
from app.models import Participant, SessionEvent
from app.participants.operations import create_participant


def database_file(app) -> Path:
    return backup.sqlite_file(app.config["DATABASE_URL"])


def names_in(copy: Path) -> set[str]:
    with sqlite3.connect(copy) as connection:
        return {row[0] for row in connection.execute("SELECT display_name FROM participants")}


def integrity_of(copy: Path) -> str:
    with sqlite3.connect(copy) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def write_locked(path: Path) -> bool:
    """Whether some connection holds a write transaction on this database right now."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def test_a_backup_taken_mid_workshop_holds_what_was_committed_and_nothing_half_written(
    app, make_cohort, make_staff, make_participant, start_live
):
    cohort = make_cohort()
    start_live(cohort, make_staff(cohort))
    make_participant(cohort, name="Amina")
    make_participant(cohort, name="Yusuf")

    # A phone is joining right now: its row is written but its transaction not committed.
    engine = make_engine(app.config["DATABASE_URL"])
    joining = Session(engine)
    try:
        create_participant(joining, "Bilal", "fr")
        assert write_locked(database_file(app))
        result = app.test_cli_runner().invoke(args=["backup"])
    finally:
        joining.rollback()
        joining.close()
        engine.dispose()

    assert result.exit_code == 0, result.output
    written = Path(re.search(r"Backup written: (.+)", result.output).group(1))
    backups = Path(app.instance_path) / "backups"
    assert written.parent == backups
    assert re.fullmatch(r"migrapass-\d{8}-\d{6}\.sqlite3", written.name)
    assert "participants 2," in result.output and "session_events" in result.output
    assert "Integrity check: ok" in result.output

    assert names_in(written) == {"Amina", "Yusuf"}
    assert integrity_of(written) == "ok"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert [p.name for p in backups.iterdir()] == [written.name]  # no temporary file left


def test_restoring_a_backup_gives_the_workshop_back(
    app, tmp_path, make_cohort, make_staff, make_participant, start_live, in_db
):
    cohort = make_cohort()
    live = start_live(cohort, make_staff(cohort))
    make_participant(cohort, name="Amina")
    events = in_db(lambda: db.session.query(SessionEvent).filter_by(session_id=live.id).count())
    saved = tmp_path / "after-workshop-3.sqlite3"
    result = app.test_cli_runner().invoke(args=["backup", "--to", str(saved)])
    assert result.exit_code == 0, result.output
    assert f"Backup written: {saved}" in result.output

    make_participant(cohort, name="Joined after the backup")

    # Restore as the README says: stop the server, set the old database (with its -wal
    # and -shm files) aside, copy the backup in its place, start again.
    db.engine.dispose()
    live_db = database_file(app)
    aside = tmp_path / "set-aside"
    aside.mkdir()
    for suffix in ("", "-wal", "-shm"):
        old = Path(f"{live_db}{suffix}")
        if old.exists():
            old.rename(aside / old.name)
    shutil.copy(saved, live_db)

    restarted = create_app({**app.config, "DATABASE_URL": f"sqlite:///{live_db}"})
    with restarted.app_context():
        assert db.session.scalars(select(Participant.display_name)).all() == ["Amina"]
        assert db.session.query(SessionEvent).filter_by(session_id=live.id).count() == events
    assert events > 0


def test_backup_never_overwrites_an_existing_file(app, tmp_path, make_participant):
    make_participant(name="Amina")
    earlier = tmp_path / "monday.sqlite3"
    earlier.write_bytes(b"Monday's backup")

    result = app.test_cli_runner().invoke(args=["backup", "--to", str(earlier)])

    assert result.exit_code != 0
    assert "already exists" in result.output and "refusing to overwrite" in result.output
    assert earlier.read_bytes() == b"Monday's backup"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".monday")] == []


def test_on_postgresql_it_prints_the_pg_dump_command_without_the_password(app):
    app.config["DATABASE_URL"] = (
        "postgresql+psycopg2://coordinator:s3cret-pw@db.example:5432/migrapass"
        "?sslmode=require&password=s3cret-pw"
    )

    result = app.test_cli_runner().invoke(args=["backup"])

    assert result.exit_code == 2
    assert "nothing was written" in result.output and "exit status 2" in result.output
    assert (
        'pg_dump --format=custom --file=migrapass.dump "postgresql://coordinator@db.example:5432'
        '/migrapass?sslmode=require"' in result.output
    )
    assert "s3cret" not in result.output


def test_other_databases_are_refused_clearly(app):
    app.config["DATABASE_URL"] = "mysql://coordinator@db.example/migrapass"
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 1 and "only SQLite and PostgreSQL" in result.output


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://db.example/migrapass", "postgresql://db.example/migrapass"),
        ("postgresql+psycopg2://me@/migrapass", "postgresql://me@/migrapass"),
        ("postgresql://me:pw@[::1]:5433/mig rapass", "postgresql://me@[::1]:5433/mig%20rapass"),
        ("postgresql://a%40b:pw@host/db", "postgresql://a%40b@host/db"),
    ],
)
def test_the_pg_dump_address_keeps_everything_but_the_driver_and_the_password(url, expected):
    assert backup.pg_dump_command(url).endswith(f'"{expected}"')


def test_an_in_memory_database_has_nothing_to_back_up():
    with pytest.raises(backup.BackupError, match="in memory"):
        backup.sqlite_file("sqlite://")
