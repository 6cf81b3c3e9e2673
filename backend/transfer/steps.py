"""The migration's steps, in the order a run takes them: the one list everything else names.

Docstrings name a step (``steps.COPY``) rather than number it; the report's phases and the
``--log-level INFO`` lines use ``Step.name``; docs/MIGRATION_TOOL.md lists the same steps by
the same names, in this order (a test compares them). A step that takes measurable time
appears in the report's ``phases`` when it ran: copy, constraints and verify added up over
the tables.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    name: str
    title: str

    @property
    def number(self) -> int:
        return STEPS.index(self) + 1


RESOLVE = Step("resolve", "Resolve the source and the target, and connect to the target")
SESSIONS = Step("sessions", "Refuse a target that other sessions are using")
READ_ONLY = Step("readonly", "Turn read-only mode on in the source, once the writes in flight are done")
SNAPSHOT = Step("snapshot", "Copy the source aside and bring the copy to the schema head")
INSPECT = Step("inspect", "Read the target's schema revision and the rows it holds")
PREFLIGHT = Step("preflight", "Find every value PostgreSQL would refuse")
CONFIRM = Step("confirm", "Confirm erasing the rows the target already holds")
SCHEMA = Step("schema", "Upgrade the target's schema to head, in the transaction")
PREPARE = Step("prepare", "Lock and empty the selected tables, drop their keys for the load")
COPY = Step("copy", "Stream each table into PostgreSQL with COPY")
CONSTRAINTS = Step("constraints", "Recreate keys, indexes and foreign keys; reset the sequences")
VERIFY = Step("verify", "Compare each table's rows with the text that was sent")
UNCHANGED = Step("unchanged", "Check that the source did not change since the snapshot")
COMMIT = Step("commit", "Commit the transaction")
REPORT = Step("report", "Print the summary and write the JSON report")

STEPS = (
    RESOLVE,
    SESSIONS,
    READ_ONLY,
    SNAPSHOT,
    INSPECT,
    PREFLIGHT,
    CONFIRM,
    SCHEMA,
    PREPARE,
    COPY,
    CONSTRAINTS,
    VERIFY,
    UNCHANGED,
    COMMIT,
    REPORT,
)
