"""A tool run in its own process, its progress read as JSON lines from its standard output.

The job's thread never runs the work itself: it starts the child, hands each line to the
caller, and stops the child (SIGINT, as Ctrl-C would: the tools roll back on it; on Windows
by closing its standard input) when the caller asks; one that has not ended
STOP_GRACE_SECONDS later is killed. The caller's tick goes on meanwhile: it is the job's
heartbeat. The child must not outlive the app unnoticed: its standard input is a pipe that
only this process holds, so when the app dies the child reads end-of-file (the tools'
``--exit-on-stdin-close``), and on Linux the kernel also sends it SIGTERM (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1
# How long a stopped child gets to roll back before it is killed.
STOP_GRACE_SECONDS = 60.0


@dataclass
class ChildResult:
    exit_code: int
    stopped: bool
    # The last lines of its standard error, for a failure the JSON does not explain.
    stderr_tail: list[str] = field(default_factory=list)


def _prepare_child() -> None:  # pragma: no cover - runs in the child, between fork and exec
    # A stop is Ctrl-C, so the child must take SIGINT. An ignored SIGINT is inherited across
    # exec (an app started in a shell's background, under nohup, by a runner that ignores it)
    # and Python keeps it ignored: the tool then ran on after a cancel, and could commit.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if sys.platform == "linux":
        with contextlib.suppress(Exception):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def run_child(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    on_event: Callable[[dict[str, Any]], None],
    tick: Callable[[], bool],
    tick_seconds: float = 0.5,
    cwd: str | None = None,
) -> ChildResult:
    """Run ``argv`` to its end; ``tick`` runs every ``tick_seconds`` till then, True to stop it."""
    process = subprocess.Popen(
        list(argv),
        env=dict(env),
        cwd=cwd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
        preexec_fn=None if sys.platform == "win32" else _prepare_child,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    tail: deque[str] = deque(maxlen=20)
    readers = [
        threading.Thread(target=_pump, args=(process.stdout, lines.put, True), daemon=True),
        threading.Thread(target=_pump, args=(process.stderr, tail.append, False), daemon=True),
    ]
    for reader in readers:
        reader.start()
    stopped_at: float | None = None
    try:
        open_streams = True
        next_tick = time.monotonic()
        while open_streams:
            try:
                line = lines.get(timeout=tick_seconds)
            except queue.Empty:
                line = ""
            if line is None:
                open_streams = False
            elif line.strip():
                event = _parse(line)
                if event is not None:
                    on_event(event)
            if time.monotonic() >= next_tick:
                next_tick = time.monotonic() + tick_seconds
                # Ticks go on after a stop: a job silent while its child rolls back reads as dead.
                if tick() and stopped_at is None:
                    stopped_at = time.monotonic()
                    _interrupt(process)
            if stopped_at is not None and time.monotonic() - stopped_at > STOP_GRACE_SECONDS:
                _kill(process)  # its output closes with it, which ends the loop
        exit_code = _wait(process)
    except BaseException:
        # Whatever stopped the reading (the job library gave up the job, the app stops): the
        # child rolls back instead of running on alone.
        _interrupt(process)
        _wait(process)
        raise
    finally:
        with contextlib.suppress(OSError):
            if process.stdin is not None:
                process.stdin.close()
        for reader in readers:
            reader.join(timeout=5)
    return ChildResult(exit_code, stopped_at is not None, [line.rstrip("\n") for line in tail])


def _pump(stream: Any, put: Callable[[Any], None], say_end: bool) -> None:
    for line in stream:
        put(line)
    if say_end:
        put(None)


def _parse(line: str) -> dict[str, Any] | None:
    try:
        event = json.loads(line)
    except ValueError:
        log.debug("child output that is not JSON: %.200s", line)
        return None
    return event if isinstance(event, dict) else None


# Windows has no SIGINT for a child: the tool (--exit-on-stdin-close) stops as on Ctrl-C when
# its standard input closes.
STOP_BY_CLOSING_STDIN = sys.platform == "win32"


def _interrupt(process: subprocess.Popen[str]) -> None:
    if process.poll() is not None:
        return
    if STOP_BY_CLOSING_STDIN:
        with contextlib.suppress(OSError):
            if process.stdin is not None:
                process.stdin.close()
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGINT)


def _wait(process: subprocess.Popen[str]) -> int:
    try:
        return process.wait(timeout=STOP_GRACE_SECONDS if process.poll() is None else None)
    except subprocess.TimeoutExpired:
        _kill(process)
        return process.wait()


def _kill(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        log.warning("the child %s did not stop in %.0f s: killed", process.pid, STOP_GRACE_SECONDS)
        process.kill()
