"""Static files under names that carry their content's hash, kept a year by browsers.

`url_for("static", filename="css/room.css")` gives /static/css/room.3f2a1b9c0d.css, served
with `Cache-Control: public, max-age=31536000, immutable`: a phone that has it never asks
again, and a new version has a new name. The plain name still answers (revalidated each
time: a page kept from before a deploy, the service worker's own script); a hashed name
that is not the file's current one is a 404, never another version under a kept name.

A page's sheets or scripts of one macro call come as one file: "js/live+board+room.js"
is js/live.js, js/board.js and js/room.js in that order, built on request in any process
(so any of several behind a proxy answers it) and cached. Files are served minified
(comments say why in the sources; a phone need not download them) from memory, built once
per process from what is on disk, and again only for a file whose size or time changed.

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
from collections import OrderedDict
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
MAX_MEMBERS = 32  # more files than any page loads in one macro call
MAX_BUNDLES = 128  # built on request, so kept within bounds whatever is asked for
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

    def __init__(self, folder: Path, watch: bool = False) -> None:
        self.folder = folder
        self.watch = watch  # a developer's edit shows on the next page, without a restart
        self._files: dict[str, Asset] = {}
        self._bundles: OrderedDict[str, Asset] = OrderedDict()
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
                self._files, self._bundles = found, OrderedDict()
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
        with self._lock:
            if name in self._bundles:
                self._bundles.move_to_end(name)
                return self._bundles[name]
        folder, _, joined = name.rpartition("/")
        stem, ext = os.path.splitext(joined)
        members = stem.split("+")
        if ext not in BUNDLED or len(members) < 2 or len(members) > MAX_MEMBERS:
            return None
        if len(set(members)) != len(members):
            return None
        prefix = f"{folder}/" if folder else ""
        parts = [self._files.get(f"{prefix}{member}{ext}") for member in members]
        if any(part is None for part in parts):
            return None
        # ";" between scripts: a file ending without one must not run into the next.
        glue = b"\n;\n" if ext == ".js" else b"\n"
        bundle = _asset(name, glue.join(part.body for part in parts if part is not None))
        with self._lock:
            self._bundles[name] = bundle
            while len(self._bundles) > MAX_BUNDLES:
                self._bundles.popitem(last=False)
        return bundle

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
