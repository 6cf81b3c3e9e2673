"""The SMS FastAPI app. ``uvicorn backend.main:app`` serves it; the lifespan builds the engine."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api import read_only
from backend.api.errors import install_error_handlers
from backend.api.limits import RequestLimits
from backend.api.routes import ROUTERS
from backend.api.security_headers import SecurityHeaders
from backend.api.spa import mount_frontend
from backend.backups.tidy import tidy_at_startup
from backend.config import ConfigError, Settings, load_settings
from backend.core.logging import configure_logging
from backend.db import files, migrations
from backend.db.admission import RequestSlots, request_slots
from backend.db.engine_builder import create_database_engine
from backend.db.errors import describe_db_error
from backend.db.session import Database, session_scope
from backend.jobs import runtime as jobs
from backend.services.users import ensure_default_admin

log = logging.getLogger("backend")
GC_GEN0_THRESHOLD = 10_000


def tag_name_operation_id(route: APIRoute) -> str:
    """`students-list_students`: readable names for the generated TypeScript client."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


def open_database(settings: Settings) -> Database:
    """Build the engine, log how it was resolved and make sure the schema is at head."""
    resolved = settings.database
    for warning in resolved.warnings:
        log.warning("database settings: %s", warning)
    log.info("database: %s", resolved.describe())
    if resolved.sqlite_path is not None:
        files.check_writable(resolved.sqlite_path)
        files.secure_sqlite_files(resolved.sqlite_path)
    options = settings.engine_options
    engine = create_database_engine(resolved, options)
    capacity = options.pool_size + options.max_overflow
    slots = request_slots(pool_capacity=capacity, threads=settings.WEB_THREADS)
    database = Database(
        resolved,
        engine,
        autocommit_reads=not options.pgbouncer,
        slots=RequestSlots(slots, timeout=options.pool_timeout),
    )
    try:
        current, head = migrations.current_revision(database.engine), migrations.head_revision()
        if current != head:
            if not settings.AUTO_MIGRATE:
                raise migrations.SchemaError(
                    f"the database schema is at {current or 'none (empty database)'} but the code "
                    f"expects {head}: run `python -m backend.db.migrations upgrade` (make migrate), "
                    "or set AUTO_MIGRATE=true to apply migrations at start-up"
                )
            log.info("applying schema migrations %s -> %s (AUTO_MIGRATE=true)", current, head)
            migrations.upgrade(database.engine)
        with session_scope(database.sessions) as session:
            ensure_default_admin(
                session=session,
                email=settings.DEFAULT_ADMIN_EMAIL,
                password=settings.DEFAULT_ADMIN_PASSWORD,
                must_change_password=settings.DEFAULT_ADMIN_MUST_CHANGE_PASSWORD,
            )
    except BaseException:
        database.dispose()
        raise
    return database


class SMSApp(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        # Outside Starlette's ServerErrorMiddleware, so its 500s carry the headers too.
        return SecurityHeaders(super().build_middleware_stack())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            return await super().__call__(scope, receive, send)

        async def without_traceback(message: Message) -> None:
            # Starlette hands uvicorn the traceback of a failed start-up to log; a refusal the
            # lifespan has already explained in one line needs none.
            if message["type"] == "lifespan.startup.failed" and getattr(self.state, "refused", False):
                message = {**message, "message": ""}
            await send(message)

        await super().__call__(scope, receive, without_traceback)


def install_api_docs(app: FastAPI) -> None:
    """/openapi.json, /docs and /redoc, answered only when API_DOCS (or development) allows."""

    def allowed(request: Request) -> None:
        if not request.app.state.settings.api_docs_enabled:
            raise HTTPException(404, "Not found")

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_json(request: Request) -> JSONResponse:
        allowed(request)
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    def swagger(request: Request) -> HTMLResponse:
        allowed(request)
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} — API")

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        allowed(request)
        return get_redoc_html(openapi_url="/openapi.json", title=f"{app.title} — API")


def create_app(settings: Settings | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        active = settings or _settings_or_exit()
        configure_logging(active.LOG_LEVEL, active.secrets)
        app.state.settings = active
        try:
            app.state.database = open_database(active)
        except (migrations.SchemaError, SQLAlchemyError, files.DatabaseNotWritable, OSError) as exc:
            log.error("SMS cannot start: %s", describe_db_error(exc))
            app.state.refused = True
            raise
        read_only.install(app.state.database)
        tidy_at_startup(active.resolve_path(active.BACKUP_DIR))
        database: Database = app.state.database
        try:
            # Background jobs (backend/jobs): their queue and state live in this same database.
            # DBOS refuses its blocking calls on a thread that runs an event loop.
            # Behind PgBouncer the library reaches the server directly (POSTGRES_DIRECT_URL).
            context = jobs.JobContext(active.session_database, database.sessions, active.SECRET_KEY)
            jobs_started = await asyncio.to_thread(jobs.start, context)
        except BaseException:
            database.dispose()
            raise
        # The pool FastAPI runs each request's plain-def work in (anyio's, per event loop).
        anyio.to_thread.current_default_thread_limiter().total_tokens = active.WEB_THREADS
        # A request allocates thousands of objects (rows, models, ORM state), so at the default
        # gen-0 threshold of 700 the cyclic collector ran several times per request: 4 % of a
        # worker's CPU under load. At 10,000 it runs every few requests and costs nothing
        # measurable; the objects are short-lived and freed by reference counting regardless.
        gc.set_threshold(GC_GEN0_THRESHOLD, *gc.get_threshold()[1:])
        try:
            yield
        finally:
            if jobs_started:
                await asyncio.to_thread(jobs.stop)
            database.dispose()

    app = SMSApp(
        title="SMS — Student Management System",
        version="1.18.0",
        lifespan=lifespan,
        # SMS exports no OpenTelemetry: FastAPI's own would look for a configured provider on
        # every request (reading the environment each time, 5 % of a page read's CPU) to find none.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
        generate_unique_id_function=tag_name_operation_id,
        # Served by install_api_docs, which asks API_DOCS at request time; .openapi() (the
        # client generator's source) works whatever the setting.
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        # Before every route's own dependencies: a write in read-only mode is a 503 up front.
        dependencies=[Depends(read_only.refuse_writes)],
    )
    app.state.read_only_cache = read_only.StateCache()
    install_error_handlers(app)
    # Limits read MAX_REQUEST_BODY_BYTES / MAX_JSON_DEPTH per request: the settings may only
    # arrive with the lifespan. As middleware they act before routing, parsing and auth.
    app.add_middleware(RequestLimits)
    install_api_docs(app)
    for router in ROUTERS:
        app.include_router(router)
    mount_frontend(app, Path(__file__).resolve().parent.parent / "frontend" / "dist")
    return app


def _settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        # One line, naming the variable and the fix, instead of a stack trace.
        print(f"SMS cannot start: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def __getattr__(name: str) -> FastAPI:
    # `uvicorn backend.main:app` asks for `app` here: the settings are validated before the
    # server starts, so a bad setting ends in one line instead of a lifespan traceback.
    # Importing this module (tests, tools) reads no settings; the engine waits for the lifespan.
    if name == "app":
        return create_app(_settings_or_exit())
    raise AttributeError(name)
