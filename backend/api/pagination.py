"""The list query every collection accepts (limit, offset, q, sort, order) and its page body."""

from __future__ import annotations

from typing import Annotated, Literal, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

from backend.schemas.common import MAX_INT, Page, Text
from backend.services.crud import ListQuery, PageResult

M = TypeVar("M", bound=BaseModel)
MAX_LIMIT = 500


# async: it only reads the query string, and FastAPI runs a plain ``def`` dependency in its
# thread pool, a hand-over that costs more than the work.
async def list_query(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (1-500)")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_INT, description="Rows to skip")] = 0,
    q: Annotated[Text | None, Query(max_length=200, description="Case-insensitive search")] = None,
    sort: Annotated[Text | None, Query(max_length=50, description="Field to sort by")] = None,
    order: Annotated[Literal["asc", "desc"] | None, Query(description="Sort direction")] = None,
) -> ListQuery:
    return ListQuery(limit=limit, offset=offset, q=q or None, sort=sort, order=order)


ListQueryDep = Annotated[ListQuery, Depends(list_query)]


def page_of(result: PageResult, schema: type[M]) -> Page[M]:
    """Turn a service page of rows into the response body."""
    # One validation of the whole page (its items read as dicts or from their attributes) rather
    # than a model_validate call per item and a second pass over the list Page makes.
    body = {"items": result.items, "total": result.total, "limit": result.limit, "offset": result.offset}
    return Page[schema].model_validate(body, from_attributes=True)  # type: ignore[valid-type]
