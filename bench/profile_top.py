"""py-spy attached to a server process for the length of one round, read as top entries.

    with Sampling(pid, "profile.txt"):
        ...  # the load
    print(top_entries("profile.txt"))

py-spy samples the process from outside (no code of the server changes, the GIL is not
taken: `--nonblocking`), Python frames only. Its raw output is one line per distinct
stack, `frame;frame;...;frame count`, root first; idle samples (the hub waiting in
epoll) are left out by py-spy, so shares are of the time the process was busy.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from types import TracebackType

RATE = 250  # samples a second: fine enough for a 10 s round, light on the 2 cores


def py_spy() -> str | None:
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


class Sampling:
    """py-spy recording `pid` into `output` while the block runs."""

    def __init__(self, pid: int, output: Path) -> None:
        self.pid = pid
        self.output = output
        self.seconds = 0.0

    def __enter__(self) -> Sampling:
        tool = py_spy()
        if tool is None:
            raise RuntimeError("py-spy is not installed: .venv/bin/pip install py-spy")
        command = [tool, "record", f"--pid={self.pid}", f"--rate={RATE}", "--format=raw"]
        self.process = subprocess.Popen(
            [*command, f"--output={self.output}", "--nonblocking"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(1.0)  # py-spy attaches before the load starts
        self.started = time.monotonic()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.seconds = time.monotonic() - self.started
        self.process.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        _out, err = self.process.communicate(timeout=60)
        if not self.output.exists():
            raise RuntimeError(f"py-spy wrote nothing: {err.decode(errors='replace')}")


def _stacks(raw: Path) -> list[tuple[list[str], int]]:
    stacks = []
    for line in raw.read_text().splitlines():
        frames, _, count = line.rpartition(" ")
        if frames and count.isdigit():
            stacks.append((frames.split(";"), int(count)))
    return stacks


def top_entries(raw: Path, seconds: float, limit: int = 15) -> str:
    """The busiest functions: by own time (the frame on top) and by inclusive time (the
    frame anywhere in the stack), each as a share of the busy samples."""
    stacks = _stacks(raw)
    total = sum(count for _, count in stacks) or 1
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    by_file: Counter[str] = Counter()
    for frames, count in stacks:
        own[frames[-1]] += count
        by_file[_file_of(frames[-1])] += count
        for frame in set(frames):
            inclusive[frame] += count
    busy = total / (RATE * seconds) if seconds else 0.0
    lines = [f"{total} busy samples over {seconds:.1f} s: the process was busy ~{busy:.0%}"]
    lines.append("By own time (share of busy samples):")
    lines += [f"  {n / total:6.1%}  {frame}" for frame, n in own.most_common(limit)]
    lines.append("By inclusive time:")
    lines += [
        f"  {n / total:6.1%}  {frame}"
        for frame, n in inclusive.most_common(limit + 10)
        if not frame.startswith(("<module>", "process ", "thread "))
    ][:limit]
    lines.append("The app's own functions, by inclusive time:")
    lines += [
        f"  {n / total:6.1%}  {frame}"
        for frame, n in inclusive.most_common()
        if "(app/" in frame and "http_server" not in frame
    ][:limit]
    lines.append("By file, own time:")
    lines += [f"  {n / total:6.1%}  {name}" for name, n in by_file.most_common(limit)]
    return "\n".join(lines)


def _file_of(frame: str) -> str:
    """`handle (eventlet/wsgi.py:601)` -> `eventlet/wsgi.py`."""
    inside = frame.rpartition("(")[2].rstrip(")")
    return inside.rpartition(":")[0] or frame
