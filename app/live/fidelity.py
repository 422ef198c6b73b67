"""The projector's view as a fingerprint, taken live at every step change and again
from the replay: equal fingerprints say the replay shows the wall as the room saw it.

Authors are written by id, not by name: a name is looked up when a view is sent (and
may be renamed later, or pseudonymised in a replay), while the view's cards, words,
groups, votes and settings are what the fold made.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping

from app.live.state import SessionState
from app.live.views import Audience, snapshot


class _ById(Mapping[int, str]):
    """Every participant named by their id."""

    def __getitem__(self, key: int) -> str:
        return f"#{key}"

    def __iter__(self) -> Iterator[int]:
        return iter(())

    def __len__(self) -> int:
        return 0


def view_digest(state: SessionState) -> str:
    """The SHA-256 of the projector's view of `state`, clock aside."""
    view = dict(snapshot(state, Audience.PROJECTOR, _ById(), now_ms=0))
    view.pop("now_ms", None)
    canonical = json.dumps(view, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
