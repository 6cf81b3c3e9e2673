"""When the preflight (steps.PREFLIGHT) runs, and what its findings do to the report.

When no question is due before writing (the target's selected tables are empty, or the run
appends), the copy starts at once inside the uncommitted transaction, and the checks the
preflight would make are made on the way: PostgreSQL refuses what its types, NOT NULL,
CHECK, keys and foreign keys do not allow, copy_text.py refuses what PostgreSQL would take but
read differently, and verification compares every value PostgreSQL stored with the one sent.
The first refusal or difference rolls everything back and the preflight runs, so the run
ends exactly as if it had run first: the same findings, the same report, exit 4.
"""

from __future__ import annotations

from backend.transfer import preflight
from backend.transfer.errors import DataProblems, UsageError
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


def can_copy_first(state: TargetState, names: list[str], *, dry_run: bool, truncate: bool) -> bool:
    """Whether the copy may go before the preflight: only when no question or refusal is due.

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
