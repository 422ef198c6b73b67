"""A namespace's handlers are made from its command table; a table that cannot work is
refused when the class is written, not when a phone first sends a command."""

from __future__ import annotations

import pytest

from app.sockets.base import LiveNamespace
from app.sockets.commands import PARTICIPANT_COMMANDS
from app.sockets.participant import ParticipantNamespace


def test_every_command_of_the_table_has_its_handler_named_after_it():
    for name in PARTICIPANT_COMMANDS:
        handler = getattr(ParticipantNamespace, f"on_{name}")
        assert handler.__name__ == f"on_{name}"
        assert handler.__doc__


def test_a_table_without_a_way_to_check_its_senders_is_refused():
    with pytest.raises(TypeError, match="no run_command"):

        class Careless(LiveNamespace):
            commands = PARTICIPANT_COMMANDS


def test_a_command_cannot_silently_replace_a_handler_written_by_hand():
    name = next(iter(PARTICIPANT_COMMANDS))
    with pytest.raises(TypeError, match="already handles"):
        type(
            "Clashing",
            (LiveNamespace,),
            {
                "commands": PARTICIPANT_COMMANDS,
                "run_command": lambda *a: None,
                f"on_{name}": lambda s: None,
            },
        )
