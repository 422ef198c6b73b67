"""Command-line tasks: migrations, tutor accounts, the demo cohort, script checks, backups."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from app import backup
from app import db as database
from app.data_rights import erasure, retention
from app.demo_sessions import seed_past_workshops
from app.extensions import db
from app.models import Cohort, User
from app.organisation import settings
from app.permissions import STAFF_ROLES, Role
from app.script_access import current_script

db_cli = AppGroup("db", help="Database schema.")
tutor_cli = AppGroup("tutor", help="Tutor accounts.")
demo_cli = AppGroup("demo", help="The demo cohort.")
workshops_cli = AppGroup("workshops", help="Workshop scripts.")
retention_cli = AppGroup("retention", help="Deleting participants' data when its time is up.")

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-tutor"
DEMO_TRAINEE = "stagiaire"
DEMO_TRAINEE_PASSWORD = "demo-trainee"
DEMO_COORDINATOR = "coordination"
DEMO_COORDINATOR_PASSWORD = "demo-coordinator"


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations."""
    database.upgrade(current_app.config["DATABASE_URL"])
    click.echo("Database is up to date.")


def create_user(username: str, name: str, password: str, role: Role) -> User:
    user = User(username=username, display_name=name, role=role.value)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


@tutor_cli.command("create")
@click.argument("username")
@click.option("--name", help="Name shown to participants (defaults to the username).")
@click.option(
    "--role",
    type=click.Choice(sorted(r.value for r in STAFF_ROLES)),
    default=Role.TUTOR.value,
    show_default=True,
)
@click.option("--cohort", "cohort_id", type=int, help="Add the tutor to this cohort.")
@click.password_option(help="Asked for when not given.")
def tutor_create(
    username: str, name: str | None, role: str, cohort_id: int | None, password: str
) -> None:
    """Create a staff account."""
    if db.session.scalar(select(User).where(User.username == username)):
        click.echo(f"A user named {username!r} already exists.", err=True)
        sys.exit(1)
    if len(password) < 8:
        click.echo("The password needs at least 8 characters.", err=True)
        sys.exit(1)
    user = create_user(username, name or username, password, Role(role))
    if cohort_id is not None:
        cohort = db.session.get(Cohort, cohort_id)
        if cohort is None:
            click.echo(f"No cohort {cohort_id}.", err=True)
            sys.exit(1)
        cohort.tutors.append(user)
    db.session.commit()
    click.echo(f"Created {role} {username!r}.")


@tutor_cli.command("deactivate")
@click.argument("username")
@click.option("--undo", is_flag=True, help="Make the account active again.")
def tutor_deactivate(username: str, undo: bool) -> None:
    """Refuse a staff account everywhere, at once: pages, consoles and open sockets."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        click.echo(f"No user named {username!r}.", err=True)
        sys.exit(1)
    user.is_active_account = undo
    user.end_sessions()  # every cookie issued so far; open sockets close at the next sweep
    db.session.commit()
    click.echo(f"{username!r} is {'active again' if undo else 'deactivated'}.")


@demo_cli.command("seed")
def demo_seed() -> None:
    """Create a demo tutor and a demo cohort if the database has no account yet."""
    if db.session.scalar(select(func.count()).select_from(User)):
        click.echo("Accounts exist already: no demo data added.")
        return
    tutor = create_user(DEMO_USERNAME, "Camille (demo)", DEMO_PASSWORD, Role.TUTOR)
    create_user(DEMO_TRAINEE, "Sacha (démo)", DEMO_TRAINEE_PASSWORD, Role.TRAINEE)
    create_user(DEMO_COORDINATOR, "Dominique (démo)", DEMO_COORDINATOR_PASSWORD, Role.COORDINATOR)
    cohort = Cohort(name="Demo cohort — autumn", starts_on=date.today())
    cohort.tutors.append(tutor)
    db.session.add(cohort)
    # A spring group's workshops 1 and 4, over, annotated and shared: trainees learn there.
    seed_past_workshops(db.session, current_script(), tutor)
    db.session.commit()
    click.echo(f"Demo tutor created: {DEMO_USERNAME} / {DEMO_PASSWORD}")
    click.echo(f"Demo trainee tutor created: {DEMO_TRAINEE} / {DEMO_TRAINEE_PASSWORD}")
    click.echo(f"Demo coordinator created: {DEMO_COORDINATOR} / {DEMO_COORDINATOR_PASSWORD}")


@workshops_cli.command("check")
def workshops_check() -> None:
    """Validate the workshop scripts and list their meetings."""
    from app.workshops import load_script

    directory = Path(current_app.config["WORKSHOPS_DIR"])
    try:
        script = load_script(directory, current_app.config["LANGUAGES"])
    except Exception as exc:  # the loader's errors name file, line and problem
        click.echo(str(exc), err=True)
        sys.exit(1)
    for slug in script.slugs():
        meeting = script.meeting(slug, "fr")
        click.echo(
            f"{slug}: {meeting.title} ({meeting.duration_minutes} min, {len(meeting.steps)} steps)"
        )


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="List who would be deleted; delete nothing.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Act as if today were this day (YYYY-MM-DD), to check what a later run will do.",
)
def retention_run(dry_run: bool, today: datetime | None) -> None:
    """Delete the participants whose groups ended longer ago than the retention setting."""
    day = today.date() if today else date.today()
    months = settings(db.session).retention_months
    people = retention.expired(db.session, day)
    click.echo(
        f"Keeping time: {months} months after a group's cycle ends. "
        f"{len(people)} {'person' if len(people) == 1 else 'people'} past it on {day.isoformat()}."
    )
    if dry_run:
        for due in retention.due_within(db.session, day, days=0):
            click.echo(f"  group #{due.cohort_id}: due since {due.delete_on}")
        click.echo("Dry run: nothing was deleted.")
        return
    done = retention.run(db.session, day)
    for erased in done:
        if not erasure.after_commit(db.session, erased):  # phones: their links are gone
            click.echo("  (the write-ahead log is emptied at the next checkpoint)")
        groups = ", ".join(f"#{cid}" for cid in erased.cohort_ids)
        click.echo(
            f"  deleted 1 person (groups {groups}; "
            f"{erased.contributions} contributions erased from {erased.sessions} sessions)"
        )
    click.echo(f"Deleted: {len(done)}.")


# Exit status of `backup` on PostgreSQL: only advice was printed, no file was written.
BACKUP_NOT_WRITTEN = 2


@click.command("backup")
@click.option(
    "--to",
    "destination",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write; never overwritten. Default: instance/backups/migrapass-<UTC>.sqlite3",
)
@with_appcontext
def backup_command(destination: Path | None) -> None:
    """Copy the SQLite database safely while the app runs (PostgreSQL: prints pg_dump)."""
    url = current_app.config["DATABASE_URL"]
    try:
        if backup.database_kind(url) == "postgresql":
            click.echo(
                "The database is PostgreSQL: nothing was written (exit status 2). "
                "Back it up with pg_dump, which asks for the password:\n\n"
                f"    {backup.pg_dump_command(url)}\n",
                err=True,
            )
            sys.exit(BACKUP_NOT_WRITTEN)
        if destination is None:
            destination = backup.default_backup_path(Path(current_app.instance_path))
            destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        report = backup.backup_sqlite(backup.sqlite_file(url), destination)
    except backup.BackupError as exc:
        click.echo(f"Backup failed: {exc}", err=True)
        sys.exit(1)
    counts = ", ".join(
        f"{table} {'(missing)' if count is None else count}"
        for table, count in report.row_counts.items()
    )
    click.echo(f"Backup written: {report.path}")
    click.echo(f"Size: {report.size_bytes / 1e6:.1f} MB ({report.size_bytes:,} bytes)")
    click.echo(f"Rows: {counts}")
    click.echo("Integrity check: ok")
    click.echo("It holds personal data: keep it private, delete it when the programme says so.")


def init_app(app: Flask) -> None:
    for group in (db_cli, tutor_cli, demo_cli, workshops_cli, retention_cli):
        app.cli.add_command(group)
    app.cli.add_command(backup_command)
