"""Turn driver errors into one line a person can act on."""

from __future__ import annotations


def describe_db_error(exc: BaseException) -> str:
    """``ErrorClass: first line of the driver's message``, without SQL or parameters."""
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[0] if lines else 'no detail'}"
