"""The wire messages are described once (app/sockets/wire.py): the clients agree."""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.sockets.wire import Common, RoomState

ROOT = Path(__file__).resolve().parent.parent
KEYS = re.compile(r"var keys = (\[[^\]]*\]);")


def _client_keys() -> list[str]:
    """The keys every screen copies from a snapshot or a patch (board.js today)."""
    found = [
        match
        for path in sorted((ROOT / "static" / "js").glob("*.js"))
        for match in KEYS.findall(path.read_text(encoding="utf-8"))
    ]
    assert len(found) == 1, "one list of the room's keys, a literal array, in static/js"
    return json.loads(found[0])


def test_the_client_keeps_every_key_of_the_room_state_and_no_other():
    assert _client_keys() == list(RoomState.__annotations__)


def test_every_snapshot_and_patch_carries_the_room_state_and_the_clock():
    assert set(Common.__required_keys__) == {*RoomState.__annotations__, "now_ms"}
