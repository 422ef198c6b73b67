"""A process started without what it needs says so in one sentence and stops, so that
the operator reads why and the process manager tries again; it never looks healthy
while every log-in fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from app import readiness
from app.paths import ROOT
from tests.fixtures.servers import free_port, prepared_env, released_instance

DEAD_REDIS = "redis://127.0.0.1:1/0"  # port 1: nothing listens there
DEAD_POSTGRES = "postgresql://migrapass:s3cret@127.0.0.1:1/migrapass"


def start(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = prepared_env(tmp_path / "instance", "eventlet", free_port())
    released_instance(env)
    env.update(settings)
    return subprocess.run(
        [sys.executable, "-m", "app.serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.server
def test_a_process_whose_message_queue_does_not_answer_stops_and_says_so(tmp_path: Path):
    started = start(tmp_path, SOCKETIO_MESSAGE_QUEUE=DEAD_REDIS)
    assert started.returncode == 1
    assert "message queue (SOCKETIO_MESSAGE_QUEUE) does not answer" in started.stderr
    assert "Traceback" not in started.stderr


@pytest.mark.server
def test_a_process_whose_database_does_not_answer_stops_without_showing_its_password(
    tmp_path: Path,
):
    started = start(tmp_path, DATABASE_URL=DEAD_POSTGRES)
    assert started.returncode == 1
    assert "The database at postgresql+psycopg2://migrapass:***@127.0.0.1:1/migrapass" in (
        started.stderr
    )
    assert "s3cret" not in started.stderr and "Traceback" not in started.stderr


@pytest.mark.server
@pytest.mark.parametrize("proxies", ["yes", "-1"])
def test_a_number_of_proxies_that_is_not_one_stops_the_start_in_words(tmp_path: Path, proxies: str):
    started = start(tmp_path, MIGRAPASS_PROXIES=proxies)
    assert started.returncode == 1
    assert f"MIGRAPASS_PROXIES={proxies!r} must be a whole number" in started.stderr
    assert "Traceback" not in started.stderr


def test_the_health_check_names_a_queue_that_does_not_answer():
    said = readiness.queue_problem({"SOCKETIO_MESSAGE_QUEUE": DEAD_REDIS})
    assert said and said.startswith("The message queue")
    assert readiness.queue_problem({"SOCKETIO_MESSAGE_QUEUE": None}) is None


def test_a_database_that_answers_is_no_problem(tmp_path: Path):
    assert readiness.database_problem(create_engine(f"sqlite:///{tmp_path}/x.db")) is None
