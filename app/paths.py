"""Where the project's own files are: the one place that knows the checkout's layout."""

from __future__ import annotations

from pathlib import Path

# Only the standard library here: the application factory's package imports this before
# `python -m app.serve` can monkey-patch (see app/__init__.py).
ROOT = Path(__file__).resolve().parent.parent
