"""Step 5's reading side: COPY text rendered ahead of the writer, in a worker process.

The connection spends a good part of a run building a table's keys and indexes and reading the
table back for verification, while the client only waits; and reading back is Python work on
every row, as rendering is. So rendering runs in its own process (render_worker.py), on the
core the writer leaves, and renders the next table while PostgreSQL works on the last one. A
thread here receives its frames into a queue held to a byte budget, so memory stays flat
whatever the size of the tables; when the queue is full the worker waits on its pipe. The
thread also takes each table's checksum of the text as it arrives, before the writer sends
it (hashlib works without the GIL on buffers this size, so that costs the writer nothing).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from backend.transfer.plan_types import TablePlan
from backend.transfer.render_worker import BATCH, DONE, END_OF_TABLE, HEADER, Job
from backend.transfer.verify import Checksum, ContentDigest

BUDGET_BYTES = 16 << 20
_ROOT = Path(__file__).resolve().parents[2]


class _Stopped(Exception):
    pass


def _worker_error(payload: bytes) -> Exception:
    kind, _, message = payload.decode(errors="replace").partition(":")
    return {"ValueError": ValueError, "TypeError": TypeError}.get(kind, RuntimeError)(message)


class RenderAhead:
    """Renders every table, in order, in batches of ``batch_size`` rows; ``batches(table)`` takes them.

    ``ordered`` is the kind of checksum taken of each table's text (verify.ContentDigest).
    """

    def __init__(
        self,
        source: Path,
        tables: list[TablePlan],
        *,
        batch_size: int,
        ordered: bool,
        budget_bytes: int = BUDGET_BYTES,
    ) -> None:
        self._items: deque[tuple[str, bytes | BaseException | None, int]] = deque()
        self._ordered, self._checksums = ordered, dict[str, Checksum]()
        self._bytes, self._budget, self._stopped = 0, budget_bytes, False
        self.worker_peak_rss_kib = 0
        self._changed = threading.Condition()
        path = os.pathsep.join(p for p in (str(_ROOT), os.environ.get("PYTHONPATH", "")) if p)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "backend.transfer.render_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": path},
        )
        assert self._process.stdin and self._process.stdout
        with self._process.stdin as job:
            pickle.dump(Job(str(source), tables, batch_size), job)
        self._thread = threading.Thread(
            target=self._receive, args=(self._process.stdout, tables), name="render-ahead", daemon=True
        )
        self._thread.start()

    def _put(self, table: str, item: bytes | BaseException | None, rows: int) -> None:
        size = len(item) if isinstance(item, bytes) else 0
        with self._changed:
            # One batch is always let through, however large --batch-size made it.
            while self._items and self._bytes + size > self._budget and not self._stopped:
                self._changed.wait()
            if self._stopped:
                raise _Stopped
            self._items.append((table, item, rows))
            self._bytes += size
            self._changed.notify_all()

    def _receive(self, stream: IO[bytes], tables: list[TablePlan]) -> None:
        table = ""
        try:
            for plan in tables:
                table, digest = plan.name, ContentDigest(ordered=self._ordered)
                while True:
                    header = stream.read(HEADER.size)
                    if len(header) < HEADER.size:
                        code = self._process.wait()
                        raise RuntimeError(f"the render worker stopped unexpectedly (exit code {code})")
                    tag, rows, length = HEADER.unpack(header)
                    payload = stream.read(length) if length else b""
                    if tag == BATCH:
                        digest.add(payload)
                        self._put(table, payload, rows)
                    elif tag == END_OF_TABLE:
                        self._checksums[table] = digest.result()
                        self._put(table, None, 0)
                        break
                    else:
                        raise _worker_error(payload)
            header = stream.read(HEADER.size)
            if len(header) == HEADER.size and HEADER.unpack(header)[0] == DONE:
                self.worker_peak_rss_kib = HEADER.unpack(header)[1]
        except _Stopped:
            return
        except BaseException as exc:  # handed to the writer, which raises it in its own thread
            try:
                self._put(table, exc, 0)
            except _Stopped:
                return

    def batches(self, table: str) -> Iterator[tuple[bytes, int]]:
        """The rendered batches of ``table`` as (COPY text, rows); raises what rendering raised."""
        while True:
            with self._changed:
                while not self._items:
                    self._changed.wait()
                name, item, rows = self._items.popleft()
                if isinstance(item, bytes):
                    self._bytes -= len(item)
                self._changed.notify_all()
            if isinstance(item, BaseException):
                raise item
            if name != table:
                raise RuntimeError(f"rendered {name} while {table} was expected")
            if item is None:
                return
            yield item, rows

    def checksum(self, table: str) -> Checksum:
        """The checksum of a table's text, once ``batches(table)`` has given all of it."""
        return self._checksums[table]

    def finish(self) -> None:
        """After every table was taken: wait for the worker's last frame and its exit."""
        self._thread.join()
        self._process.wait()

    def close(self) -> None:
        """Stop the worker if it still runs (after an error) and wait for it."""
        with self._changed:
            self._stopped = True
            self._items.clear()
            self._changed.notify_all()
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._thread.join()
        if self._process.stdout:
            self._process.stdout.close()
