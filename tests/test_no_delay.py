"""A phone hears the answer to its post at once: the server's connections do not wait
(Nagle's algorithm) to send a second small frame after the first."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest
import requests

from app.http_server import listening_socket, no_delay
from app.paths import ROOT
from tests.fixtures.servers import free_port


def nagle_is_off(connection: socket.socket) -> bool:
    return connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_every_connection_the_server_accepts_sends_each_frame_at_once():
    listener = listening_socket("127.0.0.1", 0)
    with listener, socket.create_connection(listener.getsockname()):
        accepted, _address = listener.accept()
        with accepted:
            assert nagle_is_off(accepted)


def test_a_connection_accepted_elsewhere_is_switched_to_sending_at_once():
    with socket.socket() as plain:
        plain.bind(("127.0.0.1", 0))
        plain.listen()
        with socket.create_connection(plain.getsockname()):
            accepted, _address = plain.accept()
            with accepted:
                assert not nagle_is_off(accepted)
                no_delay(accepted)
                assert nagle_is_off(accepted)


def test_a_connection_the_client_already_closed_is_no_error():
    closed = socket.socket()
    closed.close()
    no_delay(closed)


# The real server of each async mode, patched as app/serve.py patches, serving a tiny app
# that reads TCP_NODELAY off the very connection that carries its request.
SERVE_AND_REPORT = """
import sys
mode, port = sys.argv[1], int(sys.argv[2])
if mode == "eventlet":
    import eventlet; eventlet.monkey_patch()
else:
    from gevent import monkey; monkey.patch_all()
import socket
from flask import Flask, request
from app.http_server import serve

app = Flask("nodelay")
app.config.update(HOST="127.0.0.1", PORT=port, PROXIES=0, MAX_CONNECTIONS=16,
                  MAX_CONNECTIONS_PER_ADDRESS=16, REQUEST_TIMEOUT_S=5)

@app.get("/nodelay")
def nodelay():
    stream = request.environ.get("eventlet.input")
    # gevent's input keeps its socket only for a request that expects 100-continue
    connection = stream.get_socket() if stream else request.environ["wsgi.input"].rfile.raw._sock
    return str(connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

serve(app, mode)
"""


@pytest.mark.server
@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_the_real_server_of_each_mode_sends_each_frame_at_once(mode: str, tmp_path):
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", SERVE_AND_REPORT, mode, str(port)],
            cwd=ROOT,
            stdout=out,
            stderr=out,
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/nodelay", timeout=2)
                break
            except requests.ConnectionError:
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        assert answer.status_code == 200, log.read_text()
        assert answer.text != "0", "Nagle's algorithm is on: frames wait for a delayed ACK"
    finally:
        process.terminate()
        process.wait(timeout=10)
