"""A bare python-socketio server that only re-broadcasts: the fan-out benchmark's baseline.

    python bench/bare_server.py --mode eventlet --port 5100

The same async mode, server and socket options as `python -m app.serve` (eventlet's or
gevent's own WSGI server, TCP_NODELAY as app/http_server.py sets it), the same
namespaces and room names as the app (`/participant` and `/tutor`, `live:<session id>`),
one process, no application logic: no database, no rate limit, no per-recipient
filtering. A phone connects with `auth={"session_id": n}` and enters room `live:n`;
its `post` goes to that room's phones and consoles as a `board` message shaped like the
app's `card.posted`, and is acknowledged with a seq, as the app acknowledges it.
"""

from __future__ import annotations

import argparse
import os
import sys

# Monkey patching comes first, as in app/serve.py: nothing may import socket before it.
_MODE = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--mode=")), None)
if _MODE is None and "--mode" in sys.argv:
    _MODE = sys.argv[sys.argv.index("--mode") + 1]
_MODE = _MODE or os.environ.get("MIGRAPASS_ASYNC_MODE", "eventlet")
if _MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif _MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

import itertools  # noqa: E402
import socket  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

import socketio  # noqa: E402

NAMESPACES = ("/participant", "/tutor")


def build(mode: str) -> tuple[socketio.Server, socketio.WSGIApp]:
    """The server and its WSGI app: join on connect, re-broadcast on post."""
    sio = socketio.Server(async_mode=mode, cors_allowed_origins="*")
    seqs = itertools.count(1)

    def entering(namespace: str) -> Any:
        def on_connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            session_id = auth.get("session_id") if isinstance(auth, dict) else None
            if not isinstance(session_id, int):
                return False
            sio.enter_room(sid, f"live:{session_id}", namespace=namespace)
            sio.save_session(sid, {"live": session_id}, namespace=namespace)
            return True

        return on_connect

    def on_post(sid: str, data: Any) -> dict[str, Any]:
        live = sio.get_session(sid, namespace="/participant")["live"]
        seq = next(seqs)
        card = {"id": seq, "board": data.get("board"), "text": data.get("text"), "author": sid}
        message = {"seq": seq, "event": "card.posted", "now_ms": int(time.time() * 1000)}
        message["cards"] = [card]
        for namespace in NAMESPACES:
            sio.emit("board", message, to=f"live:{live}", namespace=namespace)
        return {"ok": True, "seq": seq}

    def on_sync(sid: str, data: Any = None) -> dict[str, Any]:
        return {"ok": True, "board": {"cards": []}}

    for namespace in NAMESPACES:
        sio.on("connect", namespace=namespace)(entering(namespace))
        sio.on("sync", namespace=namespace)(on_sync)
    sio.on("post", namespace="/participant")(on_post)
    return sio, socketio.WSGIApp(sio)


def listening_socket(host: str, port: int) -> socket.socket:
    """A listening socket whose accepted connections send small frames at once (Linux
    copies TCP_NODELAY to every socket accept() returns)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=("eventlet", "gevent"), default=_MODE)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5100)
    args = parser.parse_args()
    _sio, app = build(args.mode)
    print(f"bare Socket.IO server ({args.mode}) on {args.host}:{args.port}", flush=True)
    if args.mode == "eventlet":
        import eventlet.wsgi

        pool = eventlet.GreenPool(4096)
        listener = listening_socket(args.host, args.port)
        eventlet.wsgi.server(listener, app, custom_pool=pool, log_output=False)
    else:
        from gevent.pool import Pool
        from gevent.pywsgi import WSGIServer

        server = WSGIServer(listening_socket(args.host, args.port), app, spawn=Pool(4096), log=None)
        server.serve_forever()


if __name__ == "__main__":
    main()
