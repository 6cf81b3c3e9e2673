"""The render worker: a process that reads the snapshot and writes framed COPY text to stdout.

Rendering is Python work on every value; in its own process it runs beside the writer's
Python (reading rows back for verification) instead of taking turns with it for the GIL. It
imports only what rendering needs, so it starts in milliseconds. render_ahead.py starts it
with ``python -m backend.transfer.render_worker``, sends a pickled ``Job`` on stdin and reads
frames: a 9-byte header (tag, rows, length) and the payload. The last frame carries the
worker's peak RSS (in KiB, in the rows field), for the report.
"""

from __future__ import annotations

import pickle
import resource
import sqlite3
import struct
import sys
from contextlib import closing
from dataclasses import dataclass
from typing import BinaryIO

from backend.transfer.lines import copy_renderer
from backend.transfer.plan_types import TablePlan

HEADER = struct.Struct("<cII")
BATCH, END_OF_TABLE, DONE, FAILED = b"B", b"E", b"D", b"X"


@dataclass(frozen=True)
class Job:
    path: str
    tables: list[TablePlan]
    batch_size: int


def render(job: Job, out: BinaryIO) -> None:
    """Every table of the job, in order: its batches, then an end-of-table frame."""
    with closing(sqlite3.connect(job.path)) as source:
        source.execute("PRAGMA query_only = ON")
        for table in job.tables:
            batch_text = copy_renderer(table)
            columns = ", ".join(f'"{c}"' for c in table.column_names)
            order = ", ".join(f'"{c}"' for c in table.primary_key)
            rows = source.execute(f'SELECT {columns} FROM "{table.name}" ORDER BY {order}')
            while batch := rows.fetchmany(job.batch_size):
                data = batch_text(batch)
                out.write(HEADER.pack(BATCH, len(batch), len(data)))
                out.write(data)
            out.write(HEADER.pack(END_OF_TABLE, 0, 0))
    out.write(HEADER.pack(DONE, peak_rss_kib(), 0))
    out.flush()


def peak_rss_kib() -> int:
    """This process's peak resident memory in KiB."""
    try:
        # The high-water mark of this program's own memory: getrusage's maxrss also counts the
        # parent's memory that the spawning fork shared until exec.
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KiB elsewhere


def main() -> int:
    out = sys.stdout.buffer
    try:
        render(pickle.load(sys.stdin.buffer), out)
    except BrokenPipeError:
        return 1  # the writer is gone (it failed, or was killed): nothing to do
    except Exception as exc:  # a value that cannot be rendered: the writer raises it as data problem
        kind = type(exc).__name__ if isinstance(exc, ValueError | TypeError) else "RuntimeError"
        message = f"{kind}:{exc}".encode()
        out.write(HEADER.pack(FAILED, 0, len(message)))
        out.write(message)
        out.flush()
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
