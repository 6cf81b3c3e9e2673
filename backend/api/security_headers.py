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
        csp = DOCS_CSP if docs else CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", csp)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if hsts:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)
