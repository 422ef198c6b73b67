"""Static files under names that carry their content's hash, kept a year by browsers.

`url_for("static", filename="css/room.css")` gives /static/css/room.3f2a1b9c0d.css, served
with `Cache-Control: public, max-age=31536000, immutable`: a phone that has it never asks
again, and a new version has a new name. The plain name still answers (revalidated each
time: a page kept from before a deploy, the service worker's own script); a hashed name
that is not the file's current one is a 404, never another version under a kept name.

A page's sheets, and its scripts, come as one file each: "js/live+board+room.js" is
js/live.js, js/board.js and js/room.js in that order. Only the sets declared below exist
(a page's template names its set: `ui.scripts("room")`, templates/_macros.html), so every
process builds the same ones from the code alone, and no request can make the server join,
hash and compress a combination of its choosing: any other "+" name is a 404. Files are
served minified (comments say why in the sources; a phone need not download them) from
memory, built once per process from what is on disk, and again only for a file whose
size or time changed.

Written here rather than taken from a library: those that hash names for Flask either need
a build step and a manifest (Flask-Static-Digest, flask-cache-manifest, Flask-Fingerprint)
or put the hash in a query string or a folder and serve any version under it
(Flask-CacheBust); none serves immutable names from the sources as they are.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import rcssmin
import rjsmin
from flask import Flask, Response, abort, current_app, g, request

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
HASH_CHARS = 10
# A name with its hash: "css/room.3f2a1b9c0d.css" -> "css/room", "3f2a1b9c0d", ".css".
HASHED = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_CHARS}}})(?P<ext>\.[a-z0-9]+)$")
BUNDLED = (".js", ".css")  # what may be joined into one file with "+"

# Each page's sheets (after base.html's "base") and scripts, by the name its template
# gives them: files of static/css and static/js, in cascade or running order.
BOARD_SHEETS = ("cards.css", "board.css")
PROJECTOR_SHEETS = ("projector.css", "projector-wall.css", "projector-board.css")
BOARD_SCRIPTS = ("live.js", "date-words.js", "dates.js", "icons.js", "store.js", "board.js")
SHEETS: dict[str, tuple[str, ...]] = {
    "base": ("base.css", "controls.css", "icons.css"),
    "coordinator": ("tutor.css", "coordinator.css"),
    "coordinator-invited": ("coordinator.css",),
    "console": (
        *BOARD_SHEETS,
        *("compose.css", "tutor.css", "console.css", "console-panels.css", "choices.css"),
    ),
    "dashboard": ("tutor.css", "dashboard.css"),
    "portfolio": ("portfolio.css",),
    "portfolio-entry": ("compose.css", "portfolio.css"),
    "portfolio-mine": ("portfolio.css", "self-assessment.css"),
    "projector": (*BOARD_SHEETS, *PROJECTOR_SHEETS, "projector-join.css", "choices.css"),
    "replay": (
        *BOARD_SHEETS,
        *PROJECTOR_SHEETS,
        *("projector-join.css", "replay.css", "replay-panels.css"),
    ),
    "replays": ("tutor.css", "replay-panels.css"),
    "reports": ("tutor.css", "reports.css"),
    "rights": ("rights.css",),
    "rights-mine": ("portfolio.css", "rights.css"),
    "room": (*BOARD_SHEETS, "compose.css", "room.css", "self-assessment.css", "choices.css"),
    "tutor": ("tutor.css",),
    "waiting": ("waiting.css",),
}
SCRIPTS: dict[str, tuple[str, ...]] = {
    "base": ("texts.js",),
    "base-participant": ("texts.js", "outbox.js"),  # a page shown to a signed-in person
    "confirm": ("confirm.js",),
    "console": (
        *BOARD_SCRIPTS,
        *("compose.js", "console-door.js", "console-dialogs.js", "console-board.js"),
        *("console-controls.js", "console-focus.js", "console-keys.js", "announce.js"),
        "console.js",
    ),
    "export": ("export.js",),
    "forget": ("forget.js",),
    "projector": (*BOARD_SCRIPTS, "projector-wall.js", "projector.js"),
    "replay": (
        *BOARD_SCRIPTS,
        *("projector-wall.js", "replay-player.js", "replay-frames.js", "replay-controls.js"),
        *("replay-panels.js", "replay.js"),
    ),
    "room": (
        *BOARD_SCRIPTS,
        *("fields.js", "compose.js", "drafts.js", "phone.js", "listen.js", "room-draw.js"),
        *("announce.js", "room.js", "self-assessment.js"),
    ),
    "waiting": ("live.js", "phone.js", "waiting.js"),
}
SETS = {"css": SHEETS, "js": SCRIPTS}


def set_name(folder: str, name: str) -> str:
    """The file a page's declared set is served as: "js/live+board+room.js" for three
    scripts, "css/tutor.css" for a sheet alone. A name not declared is an error."""
    members = SETS[folder][name]
    ext = f".{folder}"
    return f"{folder}/" + "+".join(member.removesuffix(ext) for member in members) + ext


def declared_bundles() -> frozenset[str]:
    """Every joined name the pages may link to, from the tables above alone."""
    return frozenset(
        set_name(folder, name)
        for folder, sets in SETS.items()
        for name, members in sets.items()
        if len(members) > 1
    )


TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".LICENSE": "text/plain",
}
WATCH_EVERY_S = 1.0


@dataclass(frozen=True)
class Asset:
    """What one static name serves: a file, or files joined in order."""

    name: str  # as the pages ask for it: "css/room.css", "js/live+room.js"
    body: bytes
    digest: str  # sha256 of the body, hex
    mimetype: str

    @property
    def hashed_name(self) -> str:
        stem, ext = os.path.splitext(self.name)
        return f"{stem}.{self.digest[:HASH_CHARS]}{ext}"


# Every app of a process (the tests build hundreds) reads a file once while it is unchanged:
# path -> ((mtime_ns, size, inode), what it serves).
_READ: dict[str, tuple[tuple[int, int, int], Asset]] = {}
_READ_LOCK = threading.Lock()


def _mimetype(name: str) -> str:
    ext = os.path.splitext(name)[1]
    return TYPES.get(ext) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _served_body(path: Path, name: str) -> bytes:
    """The file as a browser gets it: scripts and sheets without comments and indents."""
    raw = path.read_bytes()
    if name.endswith(".min.js") or not name.endswith(BUNDLED):
        return raw
    minify = rjsmin.jsmin if name.endswith(".js") else rcssmin.cssmin
    # "/*! ... */" comments are kept: that is where a licence says it must stay.
    return minify(raw.decode("utf-8"), keep_bang_comments=True).strip().encode("utf-8")


def _asset(name: str, body: bytes) -> Asset:
    return Asset(name, body, hashlib.sha256(body).hexdigest(), _mimetype(name))


class StaticFiles:
    """The static folder as served: each file's body and hash, and the files joined."""

    def __init__(
        self, folder: Path, watch: bool = False, bundles: frozenset[str] | None = None
    ) -> None:
        self.folder = folder
        self.watch = watch  # a developer's edit shows on the next page, without a restart
        self.bundles = declared_bundles() if bundles is None else bundles
        self._files: dict[str, Asset] = {}
        self._bundles: dict[str, Asset] = {}
        self._lock = threading.Lock()
        self._scanned = 0.0
        self._scan()

    def _scan(self) -> None:
        found: dict[str, Asset] = {}
        for directory, folders, names in os.walk(self.folder):
            folders[:] = sorted(f for f in folders if not f.startswith("."))
            for file_name in sorted(names):
                if file_name.startswith("."):
                    continue
                path = Path(directory) / file_name
                name = path.relative_to(self.folder).as_posix()
                found[name] = self._read(path, name)
        with self._lock:
            if found != self._files:
                self._files, self._bundles = found, {}
            self._scanned = time.monotonic()

    def _read(self, path: Path, name: str) -> Asset:
        stat = path.stat()
        fingerprint = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        key = str(path)
        with _READ_LOCK:
            known = _READ.get(key)
        if known is None or known[0] != fingerprint or known[1].name != name:
            known = (fingerprint, _asset(name, _served_body(path, name)))
            with _READ_LOCK:
                _READ[key] = known
        return known[1]

    def asset(self, name: str) -> Asset | None:
        """What `name` serves (a file, or files joined with "+"), or None."""
        if self.watch and time.monotonic() - self._scanned > WATCH_EVERY_S:
            self._scan()
        found = self._files.get(name)
        return found if found is not None else self._bundle(name)

    def _bundle(self, name: str) -> Asset | None:
        """A declared set's files joined, built at its first request; None for any other
        name, before any work."""
        if name not in self.bundles:
            return None
        with self._lock:
            built = self._bundles.get(name)
        if built is not None:
            return built
        folder, _, joined = name.rpartition("/")
        stem, ext = os.path.splitext(joined)
        parts = [self._files.get(f"{folder}/{member}{ext}") for member in stem.split("+")]
        if any(part is None for part in parts):
            return None
        # ";" between scripts: a file ending without one must not run into the next.
        glue = b"\n;\n" if ext == ".js" else b"\n"
        built = _asset(name, glue.join(part.body for part in parts if part is not None))
        with self._lock:
            self._bundles[name] = built  # at most one per declared set
        return built

    def url_name(self, name: str) -> str:
        """The name a page links to: with the content's hash, if there is such a file."""
        found = self.asset(name)
        return found.hashed_name if found is not None else name

    def lookup(self, requested: str) -> tuple[Asset, bool] | None:
        """What a requested name serves, and whether under its hashed (immutable) name."""
        found = self.asset(requested)
        if found is not None:
            return found, False
        match = HASHED.match(requested)
        if match is None:
            return None
        found = self.asset(match["stem"] + match["ext"])
        if found is None or not found.digest.startswith(match["hash"]):
            return None  # an old or made-up hash: no other version under its name
        return found, True


def files_of(app: Flask) -> StaticFiles:
    found: StaticFiles = app.extensions["migrapass.static"]
    return found


def respond(asset: Asset, immutable: bool) -> Response:
    """The asset, from memory (so that Flask-Compress can keep its compressed body)."""
    response = current_app.response_class(asset.body, mimetype=asset.mimetype)
    response.headers["Cache-Control"] = IMMUTABLE if immutable else REVALIDATE
    response.set_etag(asset.digest[:20])
    g.static_digest = asset.digest  # app/compression.py keeps its compressed body by it
    return response.make_conditional(request)


def serve_unhashed(name: str) -> Response:
    """A static file under its plain name (the service worker's script): revalidated."""
    asset = files_of(current_app).asset(name)
    if asset is None:
        abort(404)
    return respond(asset, immutable=False)


def init_app(app: Flask) -> None:
    """Serve the static folder under hashed names, and make url_for give them."""
    assert app.static_folder is not None
    files = StaticFiles(Path(app.static_folder), watch=app.debug)
    app.extensions["migrapass.static"] = files
    app.add_template_global(set_name, "static_set")

    def static(filename: str) -> Response:
        """A static file, under its hashed name (kept a year) or its plain one."""
        found = files.lookup(filename)
        if found is None:
            abort(404)
        return respond(*found)

    app.view_functions["static"] = static

    @app.url_defaults
    def _hashed(endpoint: str, values: dict[str, str]) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = files.url_name(values["filename"])
