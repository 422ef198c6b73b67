"""The simulated participants of a rehearsal: their names, and the situation each brings
to the room (the ones the tutor guides prepare for).

Plain Python: who plays which part is drawn from the session's id, so every server
process, before and after a restart, casts the same people the same way.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_PEOPLE = 6
MAX_PEOPLE = 20

# First names worn by nobody in particular, from the languages the programme's
# participants speak; short and easy to read on a projected wall.
NAMES = (
    "Amal",
    "Bilal",
    "Chadia",
    "Dawit",
    "Elena",
    "Farid",
    "Goli",
    "Hamza",
    "Inès",
    "Jamila",
    "Kofi",
    "Leyla",
    "Mariam",
    "Nabil",
    "Olga",
    "Pavel",
    "Rania",
    "Samir",
    "Tigist",
    "Yasmin",
)


class Part(StrEnum):
    """What a simulated participant does in the room."""

    ON_TIME = "on_time"  # arrives with the others, posts at the pace of real sessions
    LATE = "late"  # comes in minutes after the others
    SILENT = "silent"  # is there, may vote, writes nothing
    OVERSHARER = "oversharer"  # also posts something the tutor should hide


@dataclass(frozen=True)
class Member:
    participant_id: int
    name: str
    part: Part

    @property
    def writes(self) -> bool:
        return self.part is not Part.SILENT


def clamp_people(count: int) -> int:
    """A number of simulated participants the room can hold: 1 to MAX_PEOPLE."""
    return max(1, min(MAX_PEOPLE, count))


def names(count: int, taken: Iterable[str] = ()) -> list[str]:
    """`count` different first names, none of those `taken` (a number tells apart the
    rare name used twice, past the list's end)."""
    used = {name.casefold() for name in taken}
    free = [name for name in NAMES if name.casefold() not in used]
    chosen = free[:count]
    round_ = 2
    while len(chosen) < count:
        chosen += [f"{name} {round_}" for name in NAMES][: count - len(chosen)]
        round_ += 1
    return chosen


def parts(count: int) -> list[Part]:
    """The situations of a room of `count`: one who posts something to hide and one who
    writes nothing as soon as there are three, a third who arrive late from four."""
    if count <= 0:
        return []
    chosen = [Part.OVERSHARER] if count >= 2 else []
    if count >= 3:
        chosen.append(Part.SILENT)
    if count >= 4:
        chosen += [Part.LATE] * (count // 3)
    chosen += [Part.ON_TIME] * (count - len(chosen))
    return chosen


def cast(people: Mapping[int, str], seed: int) -> list[Member]:
    """The members of a rehearsal (participant id -> name), each with a part, drawn the
    same way from the same `seed` every time; in participant id order."""
    ids = sorted(people)
    roles = parts(len(ids))
    random.Random(seed).shuffle(roles)
    return [Member(pid, people[pid], part) for pid, part in zip(ids, roles, strict=True)]


def of_part(members: Sequence[Member], part: Part) -> list[Member]:
    return [member for member in members if member.part is part]
