"""An enrolment's history (enrolled, dropped, enrolled again), read from the audit trail.

One row holds a student's enrolment in a course, so the steps before its current state live
in the audit rows written with each change. Teachers may read them here; the audit log
itself stays for admins.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import AuditLog, EnrollmentStatus
from backend.services.enrollments import get_enrollment


def _event(entry: AuditLog) -> dict[str, Any] | None:
    details = entry.details or {}
    base = {"at": entry.created_at, "user_email": entry.user_email}
    if entry.action == "create":
        return {**base, "action": "enrolled", "status": details.get("after", {}).get("status")}
    if entry.action == "reenroll":
        return {**base, "action": "reenrolled", "status": EnrollmentStatus.ACTIVE}
    if entry.action == "update":
        after = details.get("after", {})
        if after.get("status") == EnrollmentStatus.DROPPED:
            return {
                **base,
                "action": "dropped",
                "status": EnrollmentStatus.DROPPED,
                "dropped_on": after.get("dropped_on"),
                "reason": after.get("drop_reason"),
            }
        if "status" in after:
            return {**base, "action": "status_changed", "status": after["status"]}
    return None


def enrollment_history(*, session: Session, enrollment_id: int) -> list[dict[str, Any]]:
    """The enrolment's steps, oldest first; one enrolled by a bulk post starts at its enrolment."""
    row = get_enrollment(session=session, enrollment_id=enrollment_id)
    stmt = (
        select(AuditLog)
        .where(AuditLog.entity_type == "enrollment", AuditLog.entity_id == str(row.id))
        .order_by(AuditLog.id)
    )
    events = [event for entry in session.scalars(stmt) if (event := _event(entry)) is not None]
    if not events or events[0]["action"] != "enrolled":
        # A bulk enrolment writes one audit row for the whole post, not one per student.
        first = row.enrolled_at if not events else min(row.enrolled_at, events[0]["at"])
        events.insert(
            0, {"action": "enrolled", "at": first, "user_email": None, "status": EnrollmentStatus.ACTIVE}
        )
    return events
