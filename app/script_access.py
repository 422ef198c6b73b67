"""The workshop script the server loaded at start, for the code that runs inside the app.

`app/workshops` is plain Python and knows no app: the application keeps the script it
loaded among its extensions, and pages and handlers read it here, typed, not by its key.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app

from app.workshops import Script, load_script
from app.workshops.suggestions import Suggestion, load_suggestions

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


def _fingerprint(directory: Path, pattern: str) -> tuple[tuple[str, int, int], ...]:
    return tuple(
        sorted((p.name, (st := p.stat()).st_mtime_ns, st.st_size) for p in directory.glob(pattern))
    )


@lru_cache(maxsize=8)
def _script(directory: str, locales: tuple[str, ...], _files: tuple) -> Script:
    return load_script(Path(directory), locales)


@lru_cache(maxsize=8)
def _suggestions(path: str, _file: tuple) -> tuple[Suggestion, ...]:
    return load_suggestions(Path(path))


def load_workshops(directory: Path, locales: tuple[str, ...]) -> Script:
    """The scripts of `directory`, read again only when one of its files changed: the
    objects are frozen, so apps of one process may share them (the tests build hundreds
    of apps, and reading 40 files each time cost a minute of the suite)."""
    return _script(str(directory), tuple(locales), _fingerprint(directory, "*.md"))


def load_competences(directory: Path) -> tuple[Suggestion, ...]:
    """The competence suggestions of `directory`, if it has them (read as the scripts)."""
    path = directory / "competences.yaml"
    if not path.exists():
        return ()
    return _suggestions(str(path), _fingerprint(directory, "competences.yaml"))
