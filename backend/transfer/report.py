"""The report step (steps.REPORT): what a run did, as a summary table and as JSON; progress bars."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

from backend.transfer import steps
from backend.transfer.next_step import NextStep
from backend.transfer.preflight import TableFindings


@dataclass
class TableReport:
    name: str
    rows_read: int = 0
    rows_written: int = 0
    seconds: float = 0.0
    target_rows_before: int = 0

    @property
    def rows_per_second(self) -> float:
        return self.rows_written / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "rows_read": self.rows_read,
            "rows_written": self.rows_written,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
            "target_rows_before": self.target_rows_before,
        }


@dataclass
class MigrationReport:
    source: str
    target: str
    mode: str
    dry_run: bool
    tables: list[TableReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    findings: list[TableFindings] = field(default_factory=list)
    erase: dict[str, int] = field(default_factory=dict)
    schema: dict[str, str | None] = field(default_factory=dict)
    sequences: dict[str, int] = field(default_factory=dict)
    verification: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Seconds per step (steps.py), in the order the steps first ran.
    phases: dict[str, float] = field(default_factory=dict)
    # "first", or "on failure": the copy went first into empty tables (see preflight_policy.py).
    preflight: str = "first"
    # Each process's peak resident memory: this one, and the render worker's (render_ahead.py).
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    # The target's other sessions (target_sessions.py): application_name, client, count.
    target_sessions: list[dict[str, Any]] = field(default_factory=list)
    # The source's guard (source_guard.py): its read-only mode, whether it took writes meanwhile.
    source_guard: dict[str, Any] = field(default_factory=dict)
    # --source-encoding: the codec, and the values converted from it per table.
    source_encoding: dict[str, Any] | None = None
    # After a committed move: the .env lines and the restart (next_step.py).
    next_step: NextStep | None = None
    seconds: float = 0.0
    status: str = "running"
    exit_code: int | None = None
    error: str | None = None

    @property
    def problems_total(self) -> int:
        return sum(f.problem_count for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        totals = self.totals()
        return {
            "status": self.status,
            "exit_code": self.exit_code,
            "error": self.error,
            "source": self.source,
            "target": self.target,
            "mode": self.mode,
            "dry_run": self.dry_run,
            "schema": self.schema,
            "warnings": self.warnings,
            "erase": self.erase,
            "tables": [t.as_dict() for t in self.tables],
            "totals": totals.as_dict(),
            "problems_total": self.problems_total,
            "problems": [
                {
                    "table": f.name,
                    "rows": f.rows,
                    "problem_count": f.problem_count,
                    "counts": [{"kind": k, "column": c, "count": n} for (k, c), n in f.counts.items()],
                    "examples": [p.as_dict() for p in f.problems],
                }
                for f in self.findings
                if f.problem_count
            ],
            "sequences": self.sequences,
            "verification": self.verification,
            "preflight": self.preflight,
            "target_sessions": self.target_sessions,
            "source_guard": self.source_guard,
            "source_encoding": self.source_encoding,
            "next_step": self.next_step.as_dict() if self.next_step else None,
            "peak_rss_mb": {k: round(v, 1) for k, v in self.peak_rss_mb.items()},
            "phases": {k: round(v, 3) for k, v in self.phases.items()},
            "seconds": round(self.seconds, 3),
        }

    def totals(self) -> TableReport:
        total = TableReport("total", seconds=self.phases.get(steps.COPY.name, 0.0))
        for table in self.tables:
            total.rows_read += table.rows_read
            total.rows_written += table.rows_written
            total.target_rows_before += table.target_rows_before
        return total

    def summary(self) -> str:
        """The pgloader-style table: one line per table, then the totals."""
        header = f"{'table':<22} {'rows read':>12} {'rows written':>13} {'seconds':>9} {'rows/s':>11}"
        rule = "-" * len(header)
        lines = [header, rule]
        for t in [*self.tables, None, self.totals()]:
            if t is None:
                lines.append(rule)
                continue
            lines.append(
                f"{t.name:<22} {t.rows_read:>12,} {t.rows_written:>13,} {t.seconds:>9.2f} "
                f"{t.rows_per_second:>11,.0f}"
            )
        phases = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.phases.items())
        lines.append(f"total time {self.seconds:.2f}s ({phases})")
        return "\n".join(lines)

    def findings_text(self) -> str:
        """Every kind of problem per table and column, with its count and first examples."""
        lines = []
        for table in self.findings:
            for (kind, column), count in table.counts.items():
                lines.append(f"{table.name}.{column}: {kind} x{count}")
                for problem in table.problems:
                    if problem.kind == kind and problem.column == column:
                        key = ", ".join(f"{k}={v}" for k, v in problem.primary_key.items())
                        lines.append(f"    {key}: {problem.value} - {problem.message}")
        return "\n".join(lines)


class NullProgress:
    """Progress that shows nothing: the calling code stays the same when output is quiet."""

    def plan(self, tables: list[tuple[str, int]]) -> None:
        """The tables about to be copied, in order, with their rows."""

    def start(self, table: str, total: int) -> None:
        pass

    def advance(self, rows: int) -> None:
        pass

    def finish(self) -> None:
        pass

    def verified(self, table: str) -> None:
        """The table's copy was read back and matches what was sent."""


class BarProgress(NullProgress):
    """One bar per table on a terminal: rows done and total, rows/s and time left."""

    def __init__(self, stream: TextIO, width: int = 28, interval: float = 0.1) -> None:
        self.stream, self.width, self.interval = stream, width, interval
        self.table, self.total, self.done, self.started, self.shown = "", 0, 0, 0.0, 0.0

    def start(self, table: str, total: int) -> None:
        self.table, self.total, self.done = table, total, 0
        self.started = self.shown = time.perf_counter()
        self._draw()

    def advance(self, rows: int) -> None:
        self.done += rows
        now = time.perf_counter()
        if now - self.shown >= self.interval:
            self.shown = now
            self._draw()

    def finish(self) -> None:
        self._draw()
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self) -> None:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        rate = self.done / elapsed
        share = self.done / self.total if self.total else 1.0
        filled = int(self.width * share)
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        self.stream.write(
            f"\r{self.table:<20} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{self.done:>10,}/{self.total:<10,}"
            f" {rate:>9,.0f} rows/s  ETA {int(left) // 60}:{int(left) % 60:02d}"
        )
        self.stream.flush()


class JsonProgress(NullProgress):
    """``--progress-json``: one JSON object a line, for a program that shows the progress.

    ``plan`` lists the tables; then per table ``start``, ``batch`` (at most every
    ``interval`` seconds) and ``finish`` with rows done and total, rows/s and seconds left,
    and ``verified`` once it is read back. Every line is flushed as written.
    """

    def __init__(self, stream: TextIO, interval: float = 0.25) -> None:
        self.stream, self.interval = stream, interval
        self.table, self.total, self.done, self.started, self.shown = "", 0, 0, 0.0, 0.0

    def plan(self, tables: list[tuple[str, int]]) -> None:
        self._emit({"event": "plan", "tables": [{"name": n, "rows_total": r} for n, r in tables]})

    def start(self, table: str, total: int) -> None:
        self.table, self.total, self.done = table, total, 0
        self.started = self.shown = time.perf_counter()
        self._emit(self._figures("start"))

    def advance(self, rows: int) -> None:
        self.done += rows
        now = time.perf_counter()
        if now - self.shown >= self.interval:
            self.shown = now
            self._emit(self._figures("batch"))

    def finish(self) -> None:
        self._emit(self._figures("finish"))

    def verified(self, table: str) -> None:
        self._emit({"event": "verified", "table": table})

    def _figures(self, event: str) -> dict[str, Any]:
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else None
        return {
            "event": event,
            "table": self.table,
            "rows_done": self.done,
            "rows_total": self.total,
            "rows_per_second": round(rate, 1),
            "seconds_left": None if left is None else round(max(left, 0.0), 1),
        }

    def _emit(self, line: dict[str, Any]) -> None:
        self.stream.write(json.dumps(line) + "\n")
        self.stream.flush()
