"""Where the project's own files are: the one place that knows the checkout's layout."""

from __future__ import annotations

from pathlib import Path

# Only the standard library here: the application factory's package imports this before
# `python -m app.serve` can monkey-patch (see app/__init__.py).
PACKAGE = Path(__file__).resolve().parent

# In a checkout, templates/, static/ and workshops/ sit beside the package; an installed
# wheel carries them inside it, in app/_files (setup.py).
# (The wheel's copy is looked for first: beside an installed package, site-packages may
# hold another project's templates/.)
IN_A_CHECKOUT = not (PACKAGE / "_files").is_dir() and (PACKAGE.parent / "templates").is_dir()
ROOT = PACKAGE.parent if IN_A_CHECKOUT else PACKAGE / "_files"

# The instance folder (database, secret key, exports) unless MIGRAPASS_INSTANCE_PATH says:
# the checkout's own, or, for an installed wheel, the folder the server is started from.
INSTANCE = (PACKAGE.parent if IN_A_CHECKOUT else Path.cwd()) / "instance"
