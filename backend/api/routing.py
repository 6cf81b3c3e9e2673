"""The app's route class: a plain ``def`` endpoint answers and ends its transaction in one thread.

FastAPI runs a plain ``def`` endpoint in its thread pool, then validates the value it returned
in the pool again, and the request's session dependency commits in the pool a third time: three
hand-overs between the event loop and the pool, each a queue, a wake-up and a GIL switch. Under
load each one waits behind every other request, and on SQLite a writer holds the database's
write lock through all of them. ``SMSRoute`` does the three in the endpoint's own thread: the
endpoint, the response model's JSON (the same validation and serialisation FastAPI does), then
the commit. The transaction rule of ``backend.db.session`` is unchanged: the commit happens
before the response goes out, and an error anywhere (in the endpoint, the response model or
the commit) rolls back and is answered as before.

Routes this cannot serve the same way keep FastAPI's own path: ``async def`` endpoints, those
that take the ``Response`` to set headers or a status, generators, a custom response class,
the ``response_model_*`` options, and endpoints without a response model.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi import Response
from fastapi.datastructures import DefaultPlaceholder
from fastapi.exceptions import ResponseValidationError
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from backend.db.session import finish_in_place

_PLAIN_OPTIONS = {
    "response_model_include": None,
    "response_model_exclude": None,
    "response_model_exclude_unset": False,
    "response_model_exclude_defaults": False,
    "response_model_exclude_none": False,
}


def _takes_response(endpoint: Callable[..., Any]) -> bool:
    return any(
        param.annotation in (Response, "Response")
        for param in inspect.signature(endpoint).parameters.values()
    )


def _answers_in_thread(endpoint: Callable[..., Any], options: dict[str, Any]) -> bool:
    if inspect.iscoroutinefunction(endpoint) or inspect.isgeneratorfunction(endpoint):
        return False
    if inspect.isasyncgenfunction(endpoint) or _takes_response(endpoint):
        return False
    if not isinstance(options.get("response_class", DefaultPlaceholder(None)), DefaultPlaceholder):
        return False
    return all(options.get(name, default) == default for name, default in _PLAIN_OPTIONS.items())


class SMSRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        if _answers_in_thread(endpoint, options):
            endpoint = self._in_one_thread(endpoint)
        super().__init__(path, endpoint, **options)

    def _in_one_thread(self, endpoint: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(endpoint)
        def answer(**values: Any) -> Any:
            result = endpoint(**values)
            field = self.response_field
            if field is None or isinstance(result, Response):
                return result
            value, errors = field.validate(result, {}, loc=("response",))
            if errors:
                raise ResponseValidationError(errors=errors, body=result)
            body = field.serialize_json(value, by_alias=self.response_model_by_alias)
            for session in values.values():
                if isinstance(session, Session):
                    finish_in_place(session)
            status_code = self.status_code or 200
            return Response(content=body, status_code=status_code, media_type="application/json")

        return answer
