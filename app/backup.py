"""Backups: a consistent copy of a live SQLite database; advice for PostgreSQL.

Plain functions, no Flask: the `flask backup` command in app/cli.py only picks the
paths from the app's configuration and prints what these functions return.

The SQLite copy uses SQLite's online backup API through a connection that only reads. In
WAL mode a reader never blocks the server's writers: the copy is the database as of
its last commit, whatever transaction is in flight. It is written to a hidden
temporary file beside the destination, checked with `PRAGMA integrity_check`, and only
then linked to its final name, so a half-written copy never carries that name and an
existing file is never replaced.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlencode

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

# Tables whose row counts are read back from the copy, as a quick sanity check.
KEY_TABLES = ("participants", "live_sessions", "session_events", "portfolio_events")
BACKUP_DIR_NAME = "backups"
PG_DUMP_FILE = "migrapass.dump"
SQLITE_TIMEOUT_S = 5.0


class BackupError(Exception):
    """A backup could not be made; the message is meant for the operator."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size_bytes: int
    row_counts: dict[str, int | None]  # None: the table does not exist in the copy


def database_kind(url: str) -> str:
    """Return "sqlite" or "postgresql", or raise BackupError for anything else."""
    backend = _parse(url).get_backend_name()
    if backend in ("sqlite", "postgresql"):
        return backend
    raise BackupError(
        f"Cannot back up a {backend!r} database: only SQLite and PostgreSQL are supported."
    )


def sqlite_file(url: str) -> Path:
    """The database file a SQLite URL points to (relative paths are from the cwd)."""
    parsed = _parse(url)
    database = parsed.database or ""
    if database in ("", ":memory:") or parsed.query.get("mode") == "memory":
        raise BackupError("The database is in memory: there is no file to back up.")
    if database.startswith("file:"):  # a URI filename (`?uri=true`)
        database = database.removeprefix("file:").split("?", 1)[0]
    return Path(database)


def default_backup_path(instance_path: Path, now: datetime | None = None) -> Path:
    """`<instance>/backups/migrapass-YYYYMMDD-HHMMSS.sqlite3`, stamped in UTC."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return instance_path / BACKUP_DIR_NAME / f"migrapass-{moment:%Y%m%d-%H%M%S}.sqlite3"


def backup_sqlite(source: Path, destination: Path) -> BackupReport:
    """Copy the live SQLite database `source` to `destination`, which must not exist.

    The copy is a single self-contained file (rollback journal, not WAL), mode 0600.
    Raises BackupError if the source is missing, the destination exists or its folder
    does not, or the copy fails its integrity check; nothing is left behind then.
    """
    if not source.is_file():
        raise BackupError(f"No database file at {source}.")
    if destination.exists() or destination.is_symlink():
        raise BackupError(f"{destination} already exists: refusing to overwrite it.")
    folder = destination.parent
    if not folder.is_dir():
        raise BackupError(f"The folder {folder} does not exist.")

    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{destination.name}.", suffix=".partial")
    os.close(fd)  # mkstemp created it with mode 0600; SQLite takes an empty file as new
    partial = Path(name)
    try:
        _copy(source, partial)
        row_counts = _verify(partial)
        _publish(partial, destination)
        _sync_folder(folder)
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
    return BackupReport(destination, destination.stat().st_size, row_counts)


def pg_dump_command(url: str, output: str = PG_DUMP_FILE) -> str:
    """The `pg_dump` command line for this PostgreSQL URL, without its password.

    pg_dump then asks for the password, or reads it from ~/.pgpass or PGPASSWORD.
    """
    parsed = _parse(url)
    if parsed.get_backend_name() != "postgresql":
        raise BackupError("pg_dump only backs up PostgreSQL databases.")
    return f'pg_dump --format=custom --file={output} "{libpq_uri(parsed)}"'


def libpq_uri(url: URL) -> str:
    """A libpq connection URI for a SQLAlchemy URL: no driver name and no password.

    Every part is percent-encoded, so the result is safe inside double quotes in a shell.
    """
    user = quote(url.username, safe="") + "@" if url.username else ""
    host = url.host or ""
    if re.fullmatch(r"[0-9A-Fa-f:.]+", host) and ":" in host:  # an IPv6 address
        host = f"[{host}]"
    else:
        host = quote(host, safe="")
    port = f":{url.port}" if url.port else ""
    database = "/" + quote(url.database, safe="") if url.database else ""
    params = [
        (key, value)
        for key, values in sorted(url.query.items())
        if key.lower() != "password"
        for value in ((values,) if isinstance(values, str) else values)
    ]
    query = "?" + urlencode(params, quote_via=quote) if params else ""
    return f"postgresql://{user}{host}{port}{database}{query}"


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError:
        raise BackupError("DATABASE_URL is not a database URL.") from None


def _copy(source: Path, target: Path) -> None:
    # mode=rw never creates a missing database (a mistyped path stays an error), and,
    # unlike mode=ro, lets the last connection to close tidy the -wal and -shm files
    # away when the server is stopped. Only a read transaction is taken on the source.
    reader = sqlite3.connect(
        f"{source.resolve().as_uri()}?mode=rw", uri=True, timeout=SQLITE_TIMEOUT_S
    )
    try:
        writer = sqlite3.connect(target, timeout=SQLITE_TIMEOUT_S)
        try:
            reader.backup(writer)  # all pages in one step: one consistent snapshot
            # The pages carry the source's WAL flag; a backup is better as one file.
            writer.execute("PRAGMA journal_mode=DELETE")
        finally:
            writer.close()
    except sqlite3.Error as exc:
        raise BackupError(f"Copying {source} failed: {exc}") from exc
    finally:
        reader.close()


def _verify(copy: Path) -> dict[str, int | None]:
    """Run `PRAGMA integrity_check` on the copy and count the key tables' rows."""
    connection = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
    try:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise BackupError("The copy failed its integrity check: " + "; ".join(problems[:5]))
        existing = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        return {
            table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            if table in existing
            else None
            for table in KEY_TABLES
        }
    except sqlite3.Error as exc:
        raise BackupError(f"Reading the copy back failed: {exc}") from exc
    finally:
        connection.close()


def _publish(partial: Path, destination: Path) -> None:
    """Give the finished copy its final name, never replacing an existing file."""
    refusal = BackupError(f"{destination} already exists: refusing to overwrite it.")
    try:
        os.link(partial, destination)  # atomic, and fails if the name was taken meanwhile
    except FileExistsError:
        raise refusal from None
    except OSError:  # no hard links here (a FAT USB stick, some network shares)
        if destination.exists() or destination.is_symlink():
            raise refusal from None
        os.rename(partial, destination)


def _sync_folder(folder: Path) -> None:
    """Make the new name durable (POSIX); best effort elsewhere."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
