"""Step 4's outcome: the preflight's findings in the report, and the preflight running beside the copy.

When the target's tables are empty there is no question to ask before writing, so the copy
starts at once inside the uncommitted transaction while the preflight's SQL runs in SQLite on
another core (SQLite releases the GIL while it scans). Nothing commits before the preflight
passed; when it finds problems, the transaction is rolled back and the run ends exactly as if
the preflight had run first: the same findings, the same report, exit 4.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import Future

from backend.transfer import preflight
from backend.transfer.errors import DataProblems, UsageError
from backend.transfer.plan import TablePlan
from backend.transfer.report import MigrationReport, TableReport
from backend.transfer.target import TargetState, refuse_cascade


def apply_findings(
    report: MigrationReport, findings: list[preflight.TableFindings], state: TargetState, *, truncate: bool
) -> None:
    """Record the preflight's findings in the report; any problem raises DataProblems (exit 4)."""
    report.findings = findings
    problems = report.problems_total
    # A copy that ran beside the preflight keeps its figures, unless the run stops here.
    copied = {} if problems else {t.name: t for t in report.tables}
    report.tables = [copied.get(f.name) or TableReport(f.name) for f in findings]
    for table, found in zip(report.tables, findings, strict=True):
        table.rows_read = found.rows
    if truncate:
        report.erase = {f.name: rows for f in findings if (rows := state.rows.get(f.name, 0))}
        for table in report.tables:
            table.target_rows_before = state.rows.get(table.name, 0)
    if problems:
        raise DataProblems(
            f"preflight found {problems} problem(s) PostgreSQL would refuse; nothing was written"
        )


def can_overlap(state: TargetState, names: list[str], *, dry_run: bool, truncate: bool) -> bool:
    """Whether the copy may start before the preflight ends: only when no question or refusal is due.

    A target holding rows asks for confirmation, and a blocked cascade refuses, only after the
    preflight's findings were reported; those runs keep the strict order.
    """
    if dry_run:
        return False
    if truncate:
        if any(state.rows.get(name, 0) for name in names):
            return False
        try:
            refuse_cascade(state, names)
        except UsageError:
            return False
    return True


class BackgroundPreflight:
    """The preflight running while the copy starts; settle() waits for it and applies its findings."""

    def __init__(
        self, connect: Callable[[], sqlite3.Connection], tables: list[TablePlan], report: MigrationReport
    ) -> None:
        self._report, self._started, self.settled = report, time.perf_counter(), False
        report.phases.setdefault("preflight", 0.0)
        # One scanning thread: the copy and PostgreSQL already keep one core busy each.
        self._future = preflight.start_preflight(connect, tables, workers=1)
        self._future.add_done_callback(self._finished)

    def _finished(self, _: Future[list[preflight.TableFindings]]) -> None:
        self._report.phases["preflight"] = time.perf_counter() - self._started

    def done(self) -> bool:
        return self._future.done()

    def settle(self, state: TargetState, *, truncate: bool) -> None:
        """Wait for the preflight; raise DataProblems (exit 4) if it found any."""
        if not self.settled:
            self.settled = True
            apply_findings(self._report, self._future.result(), state, truncate=truncate)
