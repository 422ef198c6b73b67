"""A phone hears the answer to its post at once: the server's connections do not wait
(Nagle's algorithm) to send a second small frame after the first."""

from __future__ import annotations

import socket

from app.http_server import listening_socket, no_delay


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
