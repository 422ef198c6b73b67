"""The fan-out benchmark's servers besides the app: the bare baseline, a database of its
own on PostgreSQL, and whether Redis and PostgreSQL answer at all."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.fixtures.servers import free_port

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class BareServer:
    url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def start_bare(mode: str, log: Path) -> BareServer:
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "bench" / "bare_server.py"),
                f"--mode={mode}",
                f"--port={port}",
            ],
            stdout=out,
            stderr=out,
        )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return BareServer(f"http://127.0.0.1:{port}", process)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the bare server did not start:\n{log.read_text()}")


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A database of this run's own, created and dropped here (never anyone else's)."""
    name = f"migrapass_fanout_{os.getpid()}_{secrets.token_hex(3)}"
    psql = ["psql", admin_url, "-v", "ON_ERROR_STOP=1", "-q", "-c"]
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True, capture_output=True)
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)


def services_missing(queue: str, admin_url: str) -> str | None:
    """Why the two-process run cannot happen here, or None when Redis and PostgreSQL
    both answer."""
    import redis

    try:
        redis.Redis.from_url(queue, socket_timeout=3).ping()
    except redis.RedisError as error:
        return f"Redis at {queue} does not answer ({error})"
    probe = subprocess.run(
        ["psql", admin_url, "-qtAc", "SELECT 1"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        return f"PostgreSQL at {admin_url} does not answer ({probe.stderr.strip()})"
    return None
