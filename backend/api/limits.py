"""Request limits enforced before anything reads, parses or authenticates a request.

A pure ASGI middleware (no BaseHTTPMiddleware, which would buffer the body itself): a body
whose Content-Length exceeds MAX_REQUEST_BODY_BYTES is refused from its headers alone, and a
chunked body is counted as it arrives and refused the moment it passes the cap, so the server
never holds more than the cap. JSON nested deeper than MAX_JSON_DEPTH is refused before the
endpoint parses it: Python's parser recurses once per level, and no SMS body needs more than
a handful. Both answers carry a stable ``code`` and ``params`` so the web app can translate
them; the 413 closes the connection, since the rest of the body is never read.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api.errors import error_body

DEFAULT_MAX_BODY_BYTES = 1_048_576
DEFAULT_MAX_JSON_DEPTH = 32
# A JSON string (escapes included) or one bracket; strings are skipped, brackets counted.
_JSON_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def json_depth_exceeds(body: bytes, max_depth: int) -> bool:
    """Whether ``body`` nests arrays/objects deeper than ``max_depth`` (brackets in strings aside)."""
    if body.count(b"[") + body.count(b"{") <= max_depth:
        return False  # the common case: too few brackets to be that deep, no scan needed
    depth = 0
    for token in _JSON_TOKENS.finditer(body):
        char = token[0][:1]
        if char in b"[{":
            depth += 1
            if depth > max_depth:
                return True
        elif char in b"]}":
            depth -= 1
    return False


def _is_json(content_type_header: bytes) -> bool:
    # FastAPI parses a body as JSON when it has no content type or a JSON one.
    content_type = content_type_header.decode("latin-1").split(";")[0].strip().lower()
    return not content_type or content_type == "application/json" or content_type.endswith("+json")


def _body_headers(scope: Scope) -> tuple[bytes, bytes]:
    """Content-Length and Content-Type as sent (empty when absent), in one pass.

    Every request passes here: starlette's ``Headers.get`` decodes and compares each header
    per lookup, which cost more than the rest of this middleware. ASGI names are lower case.
    """
    length = content_type = b""
    for name, value in scope["headers"]:
        if name == b"content-length":
            length = value
        elif name == b"content-type":
            content_type = value
    return length, content_type


class RequestLimits:
    """Refuse oversized bodies (413) and too-deep JSON (400) ahead of the app."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        max_json_depth: int = DEFAULT_MAX_JSON_DEPTH,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_json_depth = max_json_depth

    def _limits(self, scope: Scope) -> tuple[int, int]:
        # The settings are known only once the lifespan ran (create_app() may be given none).
        settings = getattr(getattr(scope.get("app"), "state", None), "settings", None)
        if settings is None:
            return self.max_body_bytes, self.max_json_depth
        return settings.MAX_REQUEST_BODY_BYTES, settings.MAX_JSON_DEPTH

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes, max_depth = self._limits(scope)
        declared, content_type = _body_headers(scope)
        if declared.isdigit() and int(declared) > max_bytes:
            await _too_large(send, max_bytes)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its body
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > max_bytes:
                await _too_large(send, max_bytes)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if body and _is_json(content_type) and json_depth_exceeds(body, max_depth):
            await _answer(
                send,
                400,
                f"The JSON body is nested deeper than {max_depth} levels: send a flatter body",
                code="json_too_deep",
                params={"max_depth": max_depth},
            )
            return
        await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the app the body already read, then the client's later messages."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _too_large(send: Send, max_bytes: int) -> None:
    size = f"{max_bytes // 1_048_576} MiB" if max_bytes % 1_048_576 == 0 else f"{max_bytes} bytes"
    await _answer(
        send,
        413,
        f"The request body is larger than {size}, the most SMS accepts: send less data at once",
        code="body_too_large",
        params={"limit_bytes": max_bytes},
        close=True,
    )


async def _answer(
    send: Send, status: int, detail: str, *, code: str, params: dict[str, Any], close: bool = False
) -> None:
    payload = json.dumps(
        {**error_body(detail), "code": code, "params": params}, separators=(",", ":")
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    if close:
        # The unread rest of the body cannot be skipped cheaply: end the connection instead.
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
