"""The real server process, started by the Procfile's own commands, in both async modes.

A tutor and three phones (python-socketio clients) join over real websockets; a rule
posted from one phone reaches the console, the projector and every other phone.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.paths import ROOT
from tests.drivers import Listener, logged_in_tutor, phone_joins, start_workshop
from tests.fixtures.servers import ServerProcess, free_port, prepared_env, wait_for_health

pytestmark = pytest.mark.server


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def run_procfile(tmp: Path, mode: str) -> ServerProcess:
    """Run `release` then `web` exactly as written, with the venv first on PATH."""
    port = free_port()
    env = prepared_env(tmp / "instance", mode, port)
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    commands = procfile()
    subprocess.run(
        shlex.split(commands["release"]), cwd=ROOT, env=env, check=True, capture_output=True
    )
    subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "--app", "app", "demo", "seed"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    log = tmp / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            shlex.split(commands["web"]), cwd=ROOT, env=env, stdout=out, stderr=out
        )
    server = ServerProcess(f"http://127.0.0.1:{port}", process, env, log)
    try:
        wait_for_health(server.url, process, log)
    except RuntimeError:
        server.stop()
        raise
    return server


@pytest.fixture(params=["eventlet", "gevent"])
def server(request, tmp_path: Path) -> Iterator[ServerProcess]:
    started = run_procfile(tmp_path, request.param)
    yield started
    started.stop()


def test_a_rule_posted_from_one_phone_reaches_the_tutor_the_projector_and_all_phones(server):
    url = server.url
    tutor = logged_in_tutor(url)
    session_id, code = start_workshop(url, tutor)
    console = Listener(url, "/tutor", session_id, tutor)
    projector = Listener(url, "/projector", session_id, tutor)
    phones = {name: phone_joins(url, code, name) for name in ("Amina", "Yusuf", "Lena")}
    waiting = console.call("sync")["board"]["waiting"]
    assert sorted(p["name"] for p in waiting) == ["Amina", "Lena", "Yusuf"]
    for person in waiting:
        assert console.call("admit", {"participant_id": person["id"]})["ok"]
    assert console.call("step", {"index": 2})["ok"]
    listeners = {
        name: Listener(url, "/participant", session_id, cookies) for name, cookies in phones.items()
    }
    try:
        ack = listeners["Amina"].call(
            "post", {"client_id": "integration-0001", "board": "group_rules", "text": "On s'écoute"}
        )
        assert ack["ok"], ack
        for listener in [console, projector, *listeners.values()]:
            assert listener.arrived.wait(10), f"{listener.namespace} got nothing"
            card = next(m["cards"][0] for m in listener.received if m["event"] == "card.posted")
            assert card["text"] == "On s'écoute" and card["author"] == "Amina"
            assert card["id"] == ack["seq"]
        log = server.log.read_text()
        assert "monkey_patching" not in log and "MonkeyPatchWarning" not in log, log
        assert "Traceback" not in log, log
    finally:
        # In parallel: under gevent each websocket close waits about 3 s for the server.
        closers = [
            threading.Thread(target=listener.client.disconnect)
            for listener in [console, projector, *listeners.values()]
        ]
        for closer in closers:
            closer.start()
        for closer in closers:
            closer.join(timeout=15)
