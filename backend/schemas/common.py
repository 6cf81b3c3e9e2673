"""Shared request/response building blocks: clean text, bounded ids, pages and error bodies."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

T = TypeVar("T")

# Integer primary keys are 32-bit on PostgreSQL; a larger id must be a 422, not a driver error.
MAX_INT = 2_147_483_647
MAX_BIGINT = 9_223_372_036_854_775_807


def clean_text(value: str) -> str:
    """Refuse text no database can store: NUL bytes (PostgreSQL) and lone surrogates (UTF-8)."""
    if "\x00" in value:
        raise ValueError("must not contain NUL (\\x00) characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (it holds an unpaired surrogate)") from None
    return value


Text = Annotated[str, AfterValidator(clean_text)]


def _stripped(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be blank")
    return value


Name = Annotated[str, AfterValidator(clean_text), AfterValidator(_stripped)]
IntId = Annotated[int, Field(ge=1, le=MAX_INT)]
BigId = Annotated[int, Field(ge=1, le=MAX_BIGINT)]


def optional() -> Any:
    """Default of an update field: it may be left out, but null is refused (the column needs a value)."""
    return Field(default=None)


class InputModel(BaseModel):
    """Request bodies: unknown fields and non-finite numbers are refused with a 422."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, str_max_length=20_000)


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class ErrorBody(BaseModel):
    detail: str = Field(description="What is wrong and what to do, in one sentence")
    field: str | None = Field(default=None, description="The request field at fault, if any")
    code: str | None = Field(default=None, description="A stable name of the error the web app translates")
    params: dict[str, Any] | None = Field(default=None, description="The values the translated message shows")


def error_responses(*answers: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """A route's OpenAPI ``responses``: each error status it answers, described, with ErrorBody."""
    return {code: {"model": ErrorBody, "description": description} for code, description in answers}


ERROR_RESPONSES = error_responses(
    (400, "A domain rule refused the request"),
    (401, "Not logged in"),
    (403, "The user's role may not do this"),
    (404, "The record does not exist"),
    (409, "The request conflicts with an existing record"),
)
