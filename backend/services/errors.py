"""Domain errors the services raise; backend/api/errors.py turns each into one HTTP answer."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal a user can act on: ``detail`` says what is wrong and what to do."""

    status_code = 400
    # Response headers the answer carries (Retry-After, say).
    headers: dict[str, str] | None = None

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        code: str | None = None,
        params: dict[str, object] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        # A stable name and values the web app words the message from, whatever the language.
        self.code = code
        self.params = params


class NotFound(ServiceError):
    status_code = 404


class Conflict(ServiceError):
    status_code = 409


class RuleViolation(ServiceError):
    """A domain rule (prerequisite, last admin, ...) refuses an otherwise valid request."""

    status_code = 400


class Forbidden(ServiceError):
    status_code = 403


class FieldInvalid(ServiceError):
    """Input that is only invalid against stored data; answered as a standard 422."""

    status_code = 422

    def __init__(
        self,
        detail: str,
        *,
        field: str,
        location: str = "body",
        code: str | None = None,
        params: dict[str, object] | None = None,
    ) -> None:
        super().__init__(detail, field=field, code=code, params=params)
        self.location = location


class FieldsInvalid(ServiceError):
    """Several inputs refused at once (every wrong row of a bulk post); one 422 lists them all."""

    status_code = 422

    def __init__(self, problems: list[FieldInvalid]) -> None:
        super().__init__("; ".join(problem.detail for problem in problems))
        self.problems = problems
