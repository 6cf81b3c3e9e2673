"""Step 5's reading side: a thread that reads the snapshot and renders COPY text ahead of the writer.

The connection spends a good part of a run building a table's keys and indexes and reading the
table back for verification, while the client only waits. A thread renders the next table's
batches meanwhile: waiting on PostgreSQL releases the GIL, and SQLite releases it while it
steps, so the thread gets the core the wait leaves. What it has rendered and not yet handed
over is held to a byte budget, so memory stays flat whatever the size of the tables.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import closing

from backend.transfer.lines import copy_renderer
from backend.transfer.plan import TablePlan

BUDGET_BYTES = 8 << 20


class _Stopped(Exception):
    pass


class RenderAhead:
    """Renders every table, in order, in batches of ``batch_size`` rows; ``batches(table)`` takes them."""

    def __init__(
        self,
        connect: Callable[[], sqlite3.Connection],
        tables: list[TablePlan],
        *,
        batch_size: int,
        budget_bytes: int = BUDGET_BYTES,
    ) -> None:
        self._items: deque[tuple[str, bytes | BaseException | None, int]] = deque()
        self._bytes, self._budget, self._stopped = 0, budget_bytes, False
        self._changed = threading.Condition()
        self._thread = threading.Thread(
            target=self._run, args=(connect, tables, batch_size), name="render-ahead", daemon=True
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

    def _run(
        self, connect: Callable[[], sqlite3.Connection], tables: list[TablePlan], batch_size: int
    ) -> None:
        table = ""
        try:
            with closing(connect()) as source:
                for plan in tables:
                    table, render = plan.name, copy_renderer(plan)
                    columns = ", ".join(f'"{c}"' for c in plan.column_names)
                    order = ", ".join(f'"{c}"' for c in plan.primary_key)
                    rows = source.execute(f'SELECT {columns} FROM "{table}" ORDER BY {order}')
                    while batch := rows.fetchmany(batch_size):
                        self._put(table, render(batch), len(batch))
                    self._put(table, None, 0)
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

    def close(self) -> None:
        """Stop rendering (after an error, or when every table was taken) and wait for the thread."""
        with self._changed:
            self._stopped = True
            self._items.clear()
            self._changed.notify_all()
        self._thread.join()
