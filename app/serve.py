"""Production entry point: `python -m app.serve`.

Monkey patching must happen before anything else imports the standard library's
socket or threading modules, so this module patches first and imports the app after.
Gunicorn 26 dropped its eventlet worker; eventlet's or gevent's own server serves, with
the limits of app.http_server.
"""

import os

_MODE = os.environ.get("MIGRAPASS_ASYNC_MODE", "eventlet")

if _MODE == "eventlet":
    import eventlet
    from psycogreen.eventlet import patch_psycopg

    eventlet.monkey_patch()
    patch_psycopg()  # a query's wait yields to the hub: the other rooms go on meanwhile
elif _MODE == "gevent":
    from gevent import monkey
    from psycogreen.gevent import patch_psycopg

    monkey.patch_all()
    patch_psycopg()

import sys  # noqa: E402

from app import create_app, readiness  # noqa: E402
from app.extensions import db  # noqa: E402
from app.http_server import serve  # noqa: E402
from app.rehearsal import runner as rehearsals  # noqa: E402
from app.sockets import sweep  # noqa: E402
from app.warmup import warm_up  # noqa: E402


def main() -> None:
    try:
        app = create_app()
    except ValueError as exc:  # a setting the configuration refuses, in its own words
        sys.exit(f"Migrapass Live cannot start: {exc}")
    # Without its database or its message queue, a process would look healthy and fail
    # every log-in: stop now, in one sentence, and let the process manager try again.
    problems = readiness.problems(db.engine, app.config)
    if problems:
        sys.exit("Migrapass Live cannot start:\n  " + "\n  ".join(problems))
    warm_up(app)
    sweep.start(app)
    rehearsals.start(app)
    host, port = app.config["HOST"], app.config["PORT"]
    app.logger.info("Migrapass Live (%s) on %s:%s", _MODE, host, port)
    print(f"Migrapass Live is running ({_MODE}).", flush=True)
    if app.config["PROXIES"]:
        print(f"  Public address (through the proxy): {app.config['PUBLIC_URL']}/", flush=True)
        print(f"  This process, for health checks: http://127.0.0.1:{port}/healthz", flush=True)
    else:
        print(f"  On this computer:  http://127.0.0.1:{port}/", flush=True)
        print(f"  Phones on the same Wi-Fi: {app.config['PUBLIC_URL']}/", flush=True)
    serve(app, _MODE)


if __name__ == "__main__":
    main()
