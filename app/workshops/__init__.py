"""Workshop scripts: the Markdown files in ``workshops/``, loaded and validated.

Plain Python on purpose (no Flask): the live engine, replay and tests share it.
The file format is documented in ``workshops/README.md``.
"""

from .loader import load_script
from .model import (
    REFERENCE_LOCALE,
    Meeting,
    MeetingKind,
    Script,
    ScriptError,
    ScriptErrors,
    Step,
)

__all__ = [
    "REFERENCE_LOCALE",
    "Meeting",
    "MeetingKind",
    "Script",
    "ScriptError",
    "ScriptErrors",
    "Step",
    "load_script",
]
