"""The render worker: a process that reads the snapshot and writes every table's COPY text to a file.

Rendering is Python work on every value; in its own process it runs beside the writer's
Python (reading rows back for verification) instead of taking turns with it for the GIL, and
writing to a spill file instead of holding the text in memory lets it run as far ahead of the
writer as it can: while PostgreSQL builds one table's indexes, the next tables are rendered.
It imports only what rendering needs, so it starts in milliseconds.

render_ahead.py starts it with ``python -m backend.transfer.render_worker`` and sends a pickled
``Job`` on stdin. The worker appends each batch's text to the spill file and then announces it
on stdout with a 17-byte frame (tag, rows, length); at the end of a table it announces the
table's checksum (checksum.py) of the text as rendered and how many values it converted from
the job's ``encoding`` (--source-encoding), and at the very end its peak RSS (KiB). A failure
is one frame naming its kind: a value that cannot be written (ValueError, TypeError; text that
is not UTF-8 is one), a damaged source file (DamagedSource), anything else (RuntimeError).
"""

from __future__ import annotations

import argparse
import pickle
import signal
import sqlite3
import struct
import sys
from contextlib import closing, suppress
from dataclasses import dataclass
from typing import BinaryIO

from backend.cli import exit_codes
from backend.transfer.checksum import ContentDigest, ordered_checksum
from backend.transfer.copy_text import copy_renderer
from backend.transfer.plan_types import TablePlan

HEADER = struct.Struct("<cQQ")
BATCH, END_OF_TABLE, DONE, FAILED = b"B", b"E", b"D", b"X"


@dataclass(frozen=True)
class Job:
    source: str
    spill: str
    tables: list[TablePlan]
    batch_size: int
    truncated: bool
    # Text that is not UTF-8 is read as this codec (--source-encoding); None: it is a data problem.
    encoding: str | None = None


class _Converter:
    """A text_factory: UTF-8, else the job's encoding, counting the values it converted."""

    def __init__(self, encoding: str) -> None:
        self.encoding, self.converted = encoding, 0

    def __call__(self, data: bytes) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            self.converted += 1
            return data.decode(self.encoding)  # UnicodeDecodeError, a ValueError: a data problem


def _frame(out: BinaryIO, tag: bytes, rows: int = 0, payload: bytes = b"") -> None:
    out.write(HEADER.pack(tag, rows, len(payload)) + payload)
    out.flush()


def render(job: Job, out: BinaryIO) -> None:
    """Every table of the job, in order: its batches, then its checksum; then the peak RSS."""
    with closing(sqlite3.connect(job.source)) as source, open(job.spill, "wb") as spill:
        source.execute("PRAGMA query_only = ON")
        # Only when asked: a Python text_factory costs time on every text value.
        converter = _Converter(job.encoding) if job.encoding else None
        if converter is not None:
            source.text_factory = converter
        for table in job.tables:
            converted = converter.converted if converter else 0
            batch_text = copy_renderer(table)
            digest = ContentDigest(ordered=ordered_checksum(table, truncated=job.truncated))
            columns = ", ".join(f'"{c}"' for c in table.column_names)
            order = ", ".join(f'"{c}"' for c in table.primary_key)
            rows = source.execute(f'SELECT {columns} FROM "{table.name}" ORDER BY {order}')
            while batch := rows.fetchmany(job.batch_size):
                data = batch_text(batch)
                digest.add(data)
                spill.write(data)
                spill.flush()  # on disk (in the page cache) before it is announced
                out.write(HEADER.pack(BATCH, len(batch), len(data)))
                out.flush()
            checksum = digest.result()
            converted = (converter.converted if converter else 0) - converted
            _frame(out, END_OF_TABLE, checksum.rows, f"{checksum.digest} {converted}".encode())
    _frame(out, DONE, peak_rss_kib())


def failure_kind(exc: Exception) -> str:
    """How the writer should take a failure: a data problem, a damaged file, or unexpected."""
    if isinstance(exc, ValueError):  # UnicodeDecodeError too: text the encoding cannot read
        return "ValueError"
    if isinstance(exc, TypeError):
        return "TypeError"
    if isinstance(exc, sqlite3.OperationalError) and str(exc).startswith("Could not decode to UTF-8"):
        return "ValueError"  # text that is not UTF-8: the preflight names it (not_utf8)
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        return "DamagedSource"  # "database disk image is malformed", "file is not a database"
    return "RuntimeError"


def peak_rss_kib() -> int:
    """This process's peak resident memory in KiB."""
    try:
        # The high-water mark of this program's own memory: getrusage's maxrss also counts the
        # parent's memory that the spawning fork shared until exec.
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        try:
            import resource  # not on Windows
        except ImportError:
            return 0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KiB elsewhere


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(
        prog="python -m backend.transfer.render_worker",
        description="Internal to the migration tool, which starts it: reads a pickled Job on stdin, "
        "writes COPY text to the job's spill file and frames on stdout.",
    ).parse_args(argv)
    # Ctrl-C in the terminal reaches this process too: the writer stops it, and says why.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = sys.stdout.buffer
    try:
        render(pickle.load(sys.stdin.buffer), out)
    except BrokenPipeError:
        return exit_codes.FAILED  # the writer is gone (it failed, or was killed): nothing to do
    except Exception as exc:  # a value that cannot be rendered: the writer raises it as a data problem
        kind = failure_kind(exc)
        with suppress(BrokenPipeError):
            _frame(out, FAILED, 0, f"{kind}:{exc}".encode())
        return exit_codes.FAILED
    return exit_codes.OK


if __name__ == "__main__":
    raise SystemExit(main())
