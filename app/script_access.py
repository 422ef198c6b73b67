"""The workshop script the server loaded at start, for the code that runs inside the app.

`app/workshops` is plain Python and knows no app: the application keeps the script it
loaded among its extensions, and pages and handlers read it here, typed, not by its key.
"""

from __future__ import annotations

from flask import Flask, current_app

from app.workshops import Script

KEY = "migrapass.script"


def install_script(app: Flask, script: Script) -> None:
    """Keep the script `create_app` loaded, for every request and handler of `app`."""
    app.extensions[KEY] = script


def script_of(app: Flask) -> Script:
    """The script `app` loaded at start."""
    return app.extensions[KEY]


def current_script() -> Script:
    """The script of the app serving this request or Socket.IO handler."""
    return script_of(current_app)
