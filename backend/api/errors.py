"""The one place where errors become HTTP answers: ``install_error_handlers(app)``.

Every 4xx/5xx body is ``{"detail": "<what is wrong>", "field": <name or null>, "code": <stable
name>, "params": {...}}`` (the web app words the code; ``detail`` is for logs and scripts),
except 422, which keeps FastAPI's standard list, each item with a ``code`` and ``params``
(``error_codes.py``) the web app words instead of the validator's English ``msg``.
Database constraint errors are translated here, by constraint name (the naming convention
names every one), so a duplicate email is the same 409 on SQLite and PostgreSQL and no route
handles IntegrityError itself.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, InternalError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend.api.error_codes import coded_items
from backend.backups.errors import BackupError, ErrorKind
from backend.db.deadlines import DatabaseDeadlineExceeded
from backend.db.errors import describe_db_error, fault_of, note_disk_full
from backend.services.errors import FieldInvalid, FieldsInvalid, ServiceError

log = logging.getLogger(__name__)

UNIQUE_CONSTRAINTS: dict[str, tuple[str, str]] = {
    "uq_students_email": (
        "email",
        "Another student already has this email: use a different one (a deleted student keeps "
        "theirs until an admin restores or purges them)",
    ),
    "uq_students_student_id": (
        "student_id",
        "Another student already has this student ID: use a different one (a deleted student "
        "keeps theirs until an admin restores or purges them)",
    ),
    "uq_courses_course_code": (
        "course_code",
        "Another course already has this course code: use a different one (a deleted course "
        "keeps its code until an admin restores or purges it)",
    ),
    "uq_users_email": ("email", "Another user already has this email: use a different one"),
    "uq_course_enrollments_student_id_course_id": (
        "enrollment",
        "This student is already enrolled in this course: change the existing enrollment instead",
    ),
    "uq_attendance_student_id_course_id_date_period_number": (
        "attendance",
        "Attendance for this student, course, date and period is already recorded: update that "
        "record, or record the whole day again",
    ),
}
# The stable code of each constraint's refusal, which the web app words ({field} in its params).
UNIQUE_CODES: dict[str, str] = {
    "uq_students_email": "email_taken",
    "uq_students_student_id": "student_id_taken",
    "uq_courses_course_code": "course_code_taken",
    "uq_users_email": "email_taken",
    "uq_course_enrollments_student_id_course_id": "enrollment_exists",
    "uq_attendance_student_id_course_id_date_period_number": "attendance_exists",
}
# A refusal by a constraint kind (or by the database) without a more precise code.
VIOLATION_CODES: dict[str, str] = {
    "unique": "duplicate_value",
    "foreign_key": "reference_missing",
    "not_null": "value_missing",
}
# An HTTPException raised without a code (FastAPI's own 404/405, say) still carries one.
STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "too_many_requests",
}
# A damaged backup is the request's fault (400), not the server's; "failed" is the one 500.
BACKUP_STATUS: dict[ErrorKind, int] = {
    "invalid": 400,
    "not_found": 404,
    "corrupt": 400,
    "conflict": 409,
    "busy": 409,
    "unavailable": 503,
    "failed": 500,
}
DISK_FULL_MESSAGE = (
    "The server's disk is full, so this change was not saved: ask an administrator to free space "
    "(Control Panel → Database Health)"
)
READ_ONLY_MESSAGE = (
    "The database cannot be written (read-only files or a read-only server), so this change was not "
    "saved: ask an administrator (Control Panel → Database Health)"
)
_SQLITE_COLUMNS = re.compile(r"constraint failed: (?P<cols>.+)$", re.MULTILINE)


def error_body(
    detail: str, field: str | None = None, *, code: str | None = None, params: dict[str, Any] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail, "field": field}
    if code is not None:
        body.update(code=code, params=params or {})
    return body


def integrity_answer(exc: IntegrityError) -> tuple[int, str, str | None]:
    """Status, message and field for a constraint violation, the same on both engines."""
    kind, name, column = _violation(exc)
    if kind == "unique":
        if name in UNIQUE_CONSTRAINTS:
            field, message = UNIQUE_CONSTRAINTS[name]
            return 409, message, field
        return 409, "This record would duplicate an existing one: change the values that must be unique", None
    if kind == "foreign_key":
        # SQLite does not say which foreign key failed, so neither engine names the field; the
        # services check referenced ids first, so this is only met when a row vanished meanwhile.
        return (
            400,
            "A record this request refers to does not exist (or was just removed): check the ids",
            None,
        )
    if kind == "not_null":
        return 400, f"{column or 'A required value'} is missing: send a value for it", column
    return 400, "The database refused these values: check them and try again", None


def integrity_code(exc: IntegrityError) -> tuple[str, dict[str, Any]]:
    """The stable code and params of a constraint violation, the same on both engines."""
    kind, name, column = _violation(exc)
    if kind == "unique" and name in UNIQUE_CONSTRAINTS:
        return UNIQUE_CODES.get(name, "duplicate_value"), {"field": UNIQUE_CONSTRAINTS[name][0]}
    return VIOLATION_CODES.get(kind, "value_refused"), {"field": column} if column else {}


def _violation(exc: IntegrityError) -> tuple[str, str | None, str | None]:
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    if diag is not None:  # psycopg: the server names the constraint
        kinds = {"23505": "unique", "23503": "foreign_key", "23502": "not_null", "23514": "check"}
        return kinds.get(getattr(orig, "sqlstate", "") or "", "other"), diag.constraint_name, diag.column_name
    message = str(orig)
    # SQLite names the table and columns, from which the convention rebuilds the name.
    match = _SQLITE_COLUMNS.search(message)
    columns = [c.strip() for c in match["cols"].split(",")] if match else []
    if message.startswith("UNIQUE constraint failed") and columns:
        table = columns[0].split(".")[0]
        return "unique", "uq_" + table + "_" + "_".join(c.split(".")[-1] for c in columns), None
    if message.startswith("FOREIGN KEY constraint failed"):
        return "foreign_key", None, None
    if message.startswith("NOT NULL constraint failed") and columns:
        return "not_null", None, columns[0].split(".")[-1]
    if message.startswith("CHECK constraint failed") and columns:
        return "check", columns[0], None
    return "other", None, None


def _location(field: str, location: str) -> list[str | int]:
    return [location, *(int(part) if part.isdigit() else part for part in field.split("."))]


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # FastAPI would echo each bad value back as "input": a rejected password must not be.
    return JSONResponse({"detail": coded_items(exc.errors())}, status_code=422)


def _field_item(exc: FieldInvalid) -> dict[str, Any]:
    """A service's 422 as FastAPI's item, with its code (``invalid_value`` when it named none)."""
    params: dict[str, Any] = {"field": exc.field or "", **(exc.params or {})}
    return {
        "loc": _location(exc.field or "", exc.location),
        "msg": exc.detail,
        "type": "value_error",
        "code": exc.code or "invalid_value",
        "params": params,
    }


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = getattr(exc, "code", None) or STATUS_CODES.get(exc.status_code, "http_error")
    params = getattr(exc, "params", None) or {"status": exc.status_code}
    body = error_body(str(exc.detail), getattr(exc, "field", None), code=code, params=params)
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def _service_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    if isinstance(exc, FieldInvalid):
        return JSONResponse({"detail": [_field_item(exc)]}, status_code=422)
    if isinstance(exc, FieldsInvalid):
        return JSONResponse({"detail": [_field_item(problem) for problem in exc.problems]}, status_code=422)
    code = exc.code or STATUS_CODES.get(exc.status_code, "http_error")
    body = error_body(exc.detail, exc.field, code=code, params=exc.params)
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def _backup_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BackupError)
    # The kind is the code (backup_corrupt, backup_busy, ...); the sentence names the file for logs.
    body = error_body(str(exc), exc.field, code=f"backup_{exc.kind}", params={})
    return JSONResponse(body, status_code=BACKUP_STATUS[exc.kind])


async def _integrity_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IntegrityError)
    status, message, field = integrity_answer(exc)
    code, params = integrity_code(exc)
    log.info("refused by a constraint (%s): %s", status, describe_db_error(exc))
    return JSONResponse(error_body(message, field, code=code, params=params), status_code=status)


async def _data_error(_: Request, exc: Exception) -> JSONResponse:
    log.info("refused by the database: %s", describe_db_error(exc))
    return JSONResponse(
        error_body(
            "A value does not fit the database (too long, too large or malformed): check it",
            code="value_does_not_fit",
        ),
        status_code=400,
    )


def _fault_answer(request: Request, exc: Exception) -> JSONResponse | None:
    """A full disk (507) or a read-only database (503) said as such, not as "busy, try again"."""
    fault = fault_of(exc)
    if fault == "disk_full":
        log.error("database disk full: %s", describe_db_error(exc))
        database = getattr(request.app.state, "database", None)
        if database is not None:
            note_disk_full(database.engine)
        return JSONResponse(error_body(DISK_FULL_MESSAGE, code="disk_full"), status_code=507)
    if fault == "read_only":
        log.error("database not writable: %s", describe_db_error(exc))
        return JSONResponse(error_body(READ_ONLY_MESSAGE, code="database_read_only"), status_code=503)
    return None


async def _operational_error(request: Request, exc: Exception) -> JSONResponse:
    fault = _fault_answer(request, exc)
    if fault is not None:
        return fault
    log.error("database unavailable: %s", describe_db_error(exc))
    message, code = "The database is busy or unreachable: try again in a moment", "database_unavailable"
    if isinstance(getattr(exc, "orig", None), DatabaseDeadlineExceeded):
        message = "The database did not answer in time (it may be overloaded or hung): try again in a moment"
        code = "database_timeout"
    return JSONResponse(error_body(message, code=code), status_code=503, headers={"Retry-After": "5"})


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    # PostgreSQL reports a write on a read-only server as an InternalError (SQLSTATE 25006);
    # any other InternalError stays the 500 it was.
    fault = _fault_answer(request, exc)
    if fault is None:
        raise exc
    return fault


async def _pool_timeout(_: Request, exc: Exception) -> JSONResponse:
    # Every pooled connection stayed busy for DB_POOL_TIMEOUT: the database is slow or hung.
    log.error("database unavailable: no free connection in the pool (%s)", describe_db_error(exc))
    return JSONResponse(
        error_body(
            "The database is not answering fast enough (all connections busy): try again in a moment",
            code="database_busy",
        ),
        status_code=503,
        headers={"Retry-After": "5"},
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error its documented shape."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(BackupError, _backup_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(OperationalError, _operational_error)
    app.add_exception_handler(InternalError, _internal_error)
    app.add_exception_handler(PoolTimeoutError, _pool_timeout)
