"""The copy step's reading side (steps.COPY): COPY text rendered ahead by a worker process.

The connection spends a good part of a run building a table's keys and indexes and reading the
table back for verification, while the client only waits; and reading back is Python work on
every row, as rendering is. So rendering runs in its own process (render_worker.py), on the
core the writer leaves, and writes the text to a spill file beside the snapshot, announcing
each batch on a pipe: it renders the next tables while PostgreSQL works on the last one, and
neither process holds more than a batch in memory, whatever the size of the tables. The spill
file takes about as much temporary disk space as the text of the selected tables (about half
the database), and is removed at the end.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from backend.transfer.checksum import Checksum
from backend.transfer.errors import DamagedSource
from backend.transfer.plan_types import TablePlan
from backend.transfer.render_worker import BATCH, DONE, END_OF_TABLE, FAILED, HEADER, Job

_ROOT = Path(__file__).resolve().parents[2]


def _worker_error(payload: bytes) -> Exception:
    kind, _, message = payload.decode(errors="replace").partition(":")
    if kind == "DamagedSource":
        return DamagedSource(f"the SQLite source is damaged ({message}): {DamagedSource.advice}")
    return {"ValueError": ValueError, "TypeError": TypeError}.get(kind, RuntimeError)(message)


class RenderAhead:
    """Renders every table, in order; ``batches(table)`` takes a table's batches, then ``checksum(table)``.

    ``truncated``: the tables were emptied in this transaction (checksum.ordered_checksum).
    ``encoding``: text that is not UTF-8 is converted from it (--source-encoding); ``converted``
    counts the values per table.
    """

    def __init__(
        self,
        source: Path,
        spill: Path,
        tables: list[TablePlan],
        *,
        batch_size: int,
        truncated: bool,
        encoding: str | None = None,
    ) -> None:
        self._spill_path, self._log_path = spill, spill.with_name(spill.name + ".log")
        self._spill: IO[bytes] | None = None
        self._checksums: dict[str, Checksum] = {}
        self.converted: dict[str, int] = {}
        self.worker_peak_rss_kib = 0
        path = os.pathsep.join(p for p in (str(_ROOT), os.environ.get("PYTHONPATH", "")) if p)
        with open(self._log_path, "wb") as log:
            # -P: this project's backend, never one in the current directory.
            self._process = subprocess.Popen(
                [sys.executable, "-P", "-m", "backend.transfer.render_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env={**os.environ, "PYTHONPATH": path},
            )
        assert self._process.stdin and self._process.stdout
        self._frames: IO[bytes] = self._process.stdout
        try:
            with self._process.stdin as job:
                pickle.dump(Job(str(source), str(spill), tables, batch_size, truncated, encoding), job)
        except OSError:
            self.close()
            raise RuntimeError(f"the render worker did not start: {self._last_words()}") from None

    def _next_frame(self) -> tuple[bytes, int, bytes]:
        header = self._frames.read(HEADER.size)
        if len(header) < HEADER.size:
            code = self._process.wait()
            raise RuntimeError(
                f"the render worker stopped unexpectedly (exit code {code}): {self._last_words()}"
            )
        tag, rows, length = HEADER.unpack(header)
        if tag == BATCH:
            if self._spill is None:
                self._spill = open(self._spill_path, "rb")  # noqa: SIM115 - closed in close()
            data = self._spill.read(length)
            if len(data) != length:
                raise RuntimeError(f"the spill file {self._spill_path} ended early")
            return tag, rows, data
        payload = self._frames.read(length) if length else b""
        if tag == FAILED:
            raise _worker_error(payload)
        return tag, rows, payload

    def _last_words(self) -> str:
        """The last line the worker wrote to stderr, if any."""
        try:
            lines = self._log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            lines = []
        return lines[-1] if lines else "no message"

    def batches(self, table: str) -> Iterator[tuple[bytes, int]]:
        """The rendered batches of ``table`` as (COPY text, rows); raises what rendering raised."""
        while True:
            tag, rows, payload = self._next_frame()
            if tag == END_OF_TABLE:
                digest, converted = payload.split()
                self._checksums[table] = Checksum(rows, int(digest))
                self.converted[table] = int(converted)
                return
            yield payload, rows

    def checksum(self, table: str) -> Checksum:
        """The checksum of a table's text as rendered, once ``batches(table)`` has given all of it."""
        return self._checksums[table]

    def finish(self) -> None:
        """After every table was taken: read the worker's last frame and wait for its exit."""
        tag, rows, _ = self._next_frame()
        if tag == DONE:
            self.worker_peak_rss_kib = rows
        self._process.wait()

    def close(self) -> None:
        """Stop the worker if it still runs (after an error), and remove the spill file."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._frames.close()
        if self._spill is not None:
            self._spill.close()
        self._spill_path.unlink(missing_ok=True)
        self._log_path.unlink(missing_ok=True)
