"""A rehearsal on the real server: the simulated participants are driven from the
schedule stored in the database, so a server restart in the middle of a step loses none
of them, and they carry on posting to the trainee's console.

The schedule follows the pace of real sessions (minutes); the test brings moves forward
in the database instead of waiting for them, as the clock would."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from app import create_app
from app.extensions import db
from app.models import SimulatedAction, User
from app.models.base import now_ms
from app.rehearsal.plan import Kind
from app.rehearsal.start import start_rehearsal
from app.script_access import script_of
from tests.drivers import Listener, logged_in_tutor
from tests.fixtures.servers import DEMO_TUTOR, ServerProcess

W1 = "w1-presentation"


@pytest.fixture
def hand(server: ServerProcess) -> Iterator[Flask]:
    """An app of the test's own on the running server's database."""
    instance = Path(server.env["MIGRAPASS_INSTANCE_PATH"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MIGRAPASS_INSTANCE_PATH", str(instance))
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": (instance / "secret_key").read_text().strip(),
                "DATABASE_URL": f"sqlite:///{instance / 'migrapass.sqlite3'}",
                "ASYNC_MODE": "threading",
                "SOCKETIO_MESSAGE_QUEUE": None,
            }
        )
    yield app
    db.engine.dispose()


def eventually(check: Callable[[], Any], seconds: float = 20) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {check.__doc__}")


def test_simulated_participants_carry_on_after_a_restart(server: ServerProcess, hand: Flask):
    def in_db(work: Callable[[], Any]) -> Any:
        with hand.app_context():
            result = work()
            db.session.commit()
            return result

    def begin() -> int:
        demo = db.session.scalar(select(User).where(User.username == DEMO_TUTOR[0]))
        return start_rehearsal(db.session, demo, script_of(hand), W1, people=6).id

    def bring_forward(share: float) -> int:
        """Bring the first `share` of the step's waiting cards (and every arrival) to now."""
        waiting = db.session.scalars(
            select(SimulatedAction)
            .where(
                SimulatedAction.session_id == session_id,
                SimulatedAction.done_at.is_(None),
                SimulatedAction.kind.in_([Kind.ARRIVE.value, Kind.POST.value]),
            )
            .order_by(SimulatedAction.due_ms)
        ).all()
        chosen = [row.id for row in waiting][: max(1, int(len(waiting) * share))]
        db.session.execute(
            update(SimulatedAction)
            .where(SimulatedAction.id.in_(chosen))
            .values(due_ms=now_ms())
            .execution_options(synchronize_session=False)
        )
        return len(chosen)

    session_id = in_db(begin)
    tutor = logged_in_tutor(server.url)
    console = Listener(server.url, "/tutor", session_id, tutor)
    console.does("step", index=1)  # the presentations: everyone writes

    def planned() -> list[str]:
        """the server planned the step"""
        rows = select(SimulatedAction.step_id).where(
            SimulatedAction.session_id == session_id, SimulatedAction.kind == Kind.PLAN.value
        )
        return in_db(lambda: "presentations" in db.session.scalars(rows).all())

    eventually(planned)
    in_db(lambda: bring_forward(0.5))

    def cards() -> list[dict[str, Any]]:
        """cards came"""
        return console.call("sync")["board"]["cards"]

    before = eventually(cards)
    console.client.disconnect()

    server.stop()
    server.restart()

    console = Listener(server.url, "/tutor", session_id, tutor)
    in_db(lambda: bring_forward(1.0))

    def more() -> list[dict[str, Any]]:
        """the participants carried on after the restart"""
        now = console.call("sync")["board"]["cards"]
        return now if len(now) > len(before) else []

    after = eventually(more)
    assert len({card["author_id"] for card in after}) >= 3
    heard = [m for m in console.received if m.get("event") == "card.posted"]
    assert heard, "the console heard the new cards as they came"
    console.client.disconnect()
