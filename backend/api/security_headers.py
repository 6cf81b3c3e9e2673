"""Security headers on every response: API answers, web-app files, errors, 404s, 413s and 500s.

The Content-Security-Policy is the strict one the built web app runs under: every script,
style sheet, image and request comes from SMS itself (React's ``style={{...}}`` goes through
the CSSOM, which ``style-src 'self'`` allows), and no other site may frame SMS. The API
documentation pages, when they are on, load Swagger UI / ReDoc from their CDN with an inline
bootstrap script, so those two paths get a policy that allows exactly that.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_CSP = "; ".join(
    (
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' {DOCS_CDN}",
        f"style-src 'self' 'unsafe-inline' {DOCS_CDN} https://fonts.googleapis.com",
        "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly",
        "font-src 'self' https://fonts.gstatic.com",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
DOCS_PATHS = ("/docs", "/redoc")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # Old browsers that ignore frame-ancestors.
    "X-Frame-Options": "DENY",
    # Student record URLs carry ids: never send them to another site.
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
        "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
}
# One year; no includeSubDomains: the school's other sites may not be on HTTPS.
HSTS = "max-age=31536000"


def _encoded(headers: dict[str, str]) -> tuple[tuple[bytes, bytes], ...]:
    return tuple((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items())


# Encoded once: the ASGI header pairs each response gets (each only where it set none itself).
_CSP = _encoded({"Content-Security-Policy": CSP, **HEADERS})
_DOCS_CSP = _encoded({"Content-Security-Policy": DOCS_CSP, **HEADERS})
_HSTS = _encoded({"Strict-Transport-Security": HSTS})


class SecurityHeaders:
    """Add the security headers to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = getattr(getattr(scope.get("app"), "state", None), "settings", None)
        hsts = bool(getattr(settings, "SERVE_HTTPS", False))
        docs = scope.get("path", "") in DOCS_PATHS and bool(getattr(settings, "api_docs_enabled", False))
        wanted = (_DOCS_CSP if docs else _CSP) + (_HSTS if hsts else ())

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # One pass over the response's headers, then the missing ones appended (a
                # setdefault per header rescanned the list each time, on every response).
                raw = MutableHeaders(scope=message).raw
                present = {name.lower() for name, _ in raw}
                raw.extend(pair for pair in wanted if pair[0] not in present)
            await send(message)

        await self.app(scope, receive, send_with_headers)
