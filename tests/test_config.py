"""Settings come from the environment, with defaults that work on a fresh machine."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from app.config import Config, load_or_create_secret


def test_without_a_secret_key_one_is_generated_once_into_the_instance_folder(tmp_path: Path):
    first = Config(tmp_path, environ={}).SECRET_KEY
    again = Config(tmp_path, environ={}).SECRET_KEY
    assert len(first) == 64 and first == again
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_two_processes_starting_together_agree_on_the_secret(tmp_path: Path):
    with ProcessPoolExecutor(max_workers=4) as pool:
        keys = set(pool.map(load_or_create_secret, [tmp_path] * 8))
    assert len(keys) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_defaults_use_sqlite_in_the_instance_folder_and_a_reachable_public_url(tmp_path: Path):
    config = Config(tmp_path, environ={"PORT": "5123"})
    database_url = config.DATABASE_URL
    assert database_url == f"sqlite:///{tmp_path / 'migrapass.sqlite3'}"
    assert config.PUBLIC_URL.startswith("http://") and config.PUBLIC_URL.endswith(":5123")
    assert config.SOCKETIO_MESSAGE_QUEUE is None
    assert config.ASYNC_MODE == "eventlet"
    assert config.LANGUAGES == ("fr", "en", "ar", "es")


def test_the_environment_overrides_the_defaults(tmp_path: Path):
    config = Config(
        tmp_path,
        environ={
            "SECRET_KEY": "s",
            "DATABASE_URL": "postgresql+psycopg2://db/x",
            "PUBLIC_URL": "https://live.example.org/",
            "SOCKETIO_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0",
            "MIGRAPASS_ASYNC_MODE": "gevent",
        },
    )
    assert config.PUBLIC_URL == "https://live.example.org"
    assert config.SESSION_COOKIE_SECURE  # behind HTTPS, cookies are Secure
    assert (config.SOCKETIO_MESSAGE_QUEUE, config.ASYNC_MODE) == (
        "redis://127.0.0.1:6379/0",
        "gevent",
    )
    assert not (tmp_path / "secret_key").exists()


def test_every_rate_limit_can_be_tuned_and_an_unknown_one_is_refused(tmp_path: Path):
    config = Config(
        tmp_path,
        environ={
            "SECRET_KEY": "s",
            "MIGRAPASS_RATE_LIMIT_STAFF": "100/minute",
            "MIGRAPASS_RATE_LIMIT_KNOCKS_PER_ADDRESS": "200/hour",
            "MIGRAPASS_RATE_LIMIT_STORAGE": "memory://",
        },
    )
    assert config.RATE_LIMITS == {"staff_events": "100/minute", "knocks_per_address": "200/hour"}
    with pytest.raises(ValueError, match="MIGRAPASS_RATE_LIMIT_KNOCKS is not a rate limit"):
        Config(tmp_path, environ={"SECRET_KEY": "s", "MIGRAPASS_RATE_LIMIT_KNOCKS": "1/hour"})
    with pytest.raises(ValueError, match="is not a rate such as"):
        Config(
            tmp_path,
            environ={"SECRET_KEY": "s", "MIGRAPASS_RATE_LIMIT_STAFF": "sixty a minute"},
        )


def test_an_unknown_async_mode_is_refused_clearly(tmp_path: Path):
    with pytest.raises(ValueError, match="MIGRAPASS_ASYNC_MODE"):
        Config(tmp_path, environ={"SECRET_KEY": "s", "MIGRAPASS_ASYNC_MODE": "asyncio"})


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_dates_people_read_are_the_organisations_not_utcs(app):
    """A card posted at 00:30 in Paris carries its own day, not the day before."""
    from datetime import UTC, datetime

    from app.portfolio_pages.wording import day_of

    just_after_midnight_in_paris = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert day_of(int(just_after_midnight_in_paris.timestamp() * 1000)) == "November 29, 2026"


def test_an_unknown_time_zone_stops_the_start(tmp_path: Path):
    with pytest.raises(ValueError, match="MIGRAPASS_TIMEZONE"):
        Config(tmp_path, environ={"SECRET_KEY": "s", "MIGRAPASS_TIMEZONE": "Mars/Olympus"})


def test_served_under_a_path_the_cookies_stay_under_it(tmp_path: Path):
    config = Config(
        tmp_path, environ={"SECRET_KEY": "s", "PUBLIC_URL": "https://venue.example/live/"}
    )
    assert config.APPLICATION_ROOT == config.REMEMBER_COOKIE_PATH == "/live"
    at_the_root = Config(
        tmp_path, environ={"SECRET_KEY": "s", "PUBLIC_URL": "https://venue.example"}
    )
    assert at_the_root.APPLICATION_ROOT == "/"


@pytest.mark.parametrize(
    "spelled", ["postgres://me@db/x", "postgresql://me@db/x", "postgresql+psycopg://me@db/x"]
)
def test_postgresql_is_always_opened_through_the_green_driver(tmp_path: Path, spelled: str):
    config = Config(tmp_path, environ={"SECRET_KEY": "s", "DATABASE_URL": spelled})
    assert config.DATABASE_URL == "postgresql+psycopg2://me@db/x"


def test_the_processes_of_one_organisation_share_a_channel_another_has_its_own(tmp_path: Path):
    def channel(database: str) -> str:
        env = {"SECRET_KEY": "s", "DATABASE_URL": database}
        return Config(tmp_path, environ=env).SOCKETIO_CHANNEL

    lyon = channel("postgresql://migrapass:secret@10.0.0.5:5432/lyon")
    assert lyon == channel("postgresql://migrapass:new-secret@db.internal/lyon")
    assert "secret" not in lyon
    assert lyon != channel("postgresql://migrapass:secret@10.0.0.5:5432/marseille")
    chosen = {"SECRET_KEY": "s", "MIGRAPASS_SOCKETIO_CHANNEL": "lyon"}
    assert Config(tmp_path, environ=chosen).SOCKETIO_CHANNEL == "lyon"
