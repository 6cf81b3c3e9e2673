"""Find the pg_dump/pg_restore that fits a server, and run them without exposing the password.

pg_dump refuses to dump a server whose major version is newer than its own, and pg_restore
cannot read an archive written by a newer pg_dump, so the binary is chosen per call: the
oldest major that is at least the one needed (closest to the server), searched in
PG_BIN_DIR if set, else on PATH, in /usr/lib/postgresql/*/bin and in the pgserver wheel.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from psycopg.conninfo import make_conninfo
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from backend.core.logging import redact

DEBIAN_BIN_GLOB = "/usr/lib/postgresql/*/bin"
# Never on a command line, where any local user can read it; the password goes in PGPASSWORD.
SECRET_PARAMS = {"password", "sslpassword"}
VERSION_PATTERN = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


class PgToolError(RuntimeError):
    """No usable pg_dump/pg_restore, or one of them failed; the message says what to do."""


@dataclass(frozen=True)
class PgTool:
    path: Path
    major: int
    version: str


def configured_pg_bin_dir() -> str | None:
    """PG_BIN_DIR from the environment, for callers that were given no settings."""
    value = os.environ.get("PG_BIN_DIR", "").strip()
    return value or None


@lru_cache(maxsize=64)
def tool_version(path: Path) -> PgTool | None:
    """Ask a binary for its version; None if it does not run or is not PostgreSQL's."""
    try:
        out = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=15, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = VERSION_PATTERN.search(out.stdout)
    if out.returncode != 0 or match is None:
        return None
    version = match.group(1) + (f".{match.group(2)}" if match.group(2) else "")
    return PgTool(path=path, major=int(match.group(1)), version=version)


def candidate_dirs() -> list[Path]:
    """Where to look for the client tools when PG_BIN_DIR is not set, in search order."""
    dirs: list[Path] = []
    on_path = shutil.which("pg_dump")
    if on_path:
        dirs.append(Path(on_path).parent)
    dirs.extend(sorted(Path(p) for p in glob.glob(DEBIAN_BIN_GLOB)))
    spec = importlib.util.find_spec("pgserver")
    if spec is not None and spec.origin:
        dirs.append(Path(spec.origin).parent / "pginstall" / "bin")
    unique: list[Path] = []
    for d in dirs:
        if d not in unique:
            unique.append(d)
    return unique


def find_pg_tool(name: str, *, min_major: int, bin_dir: str | None = None) -> PgTool:
    """The ``name`` binary (pg_dump or pg_restore) of the lowest major >= ``min_major``."""
    bin_dir = bin_dir if bin_dir is not None else configured_pg_bin_dir()
    if bin_dir:
        tool = tool_version(Path(bin_dir) / name)
        if tool is None:
            raise PgToolError(
                f"PG_BIN_DIR={bin_dir} holds no working {name}: point PG_BIN_DIR at the bin folder of "
                f"a PostgreSQL {min_major}+ client (e.g. /usr/lib/postgresql/{min_major}/bin), or unset it"
            )
        if tool.major < min_major:
            raise PgToolError(
                f"PG_BIN_DIR={bin_dir} has {name} {tool.version}, older than the {min_major} needed: "
                f"install postgresql-client-{min_major} and point PG_BIN_DIR at its bin folder"
            )
        return tool
    found = [t for d in candidate_dirs() if (t := tool_version(d / name)) is not None]
    fitting = sorted((t for t in found if t.major >= min_major), key=lambda t: t.major)
    if fitting:
        return fitting[0]
    seen = ", ".join(f"{t.path} ({t.version})" for t in found) or "none"
    raise PgToolError(
        f"no {name} of PostgreSQL {min_major} or newer was found (found: {seen}): install "
        f"postgresql-client-{min_major} or set PG_BIN_DIR to the bin folder of a {min_major}+ client"
    )


def server_major(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000


@dataclass(frozen=True)
class LibpqTarget:
    """A conninfo string without the password, and the environment that carries it."""

    conninfo: str
    env: dict[str, str]
    secrets: tuple[str, ...]


def libpq_target(url: URL, *, connect_timeout: int = 10, application_name: str = "sms-backup") -> LibpqTarget:
    """Connection parameters for the client tools; the password goes only into PGPASSWORD."""
    params: dict[str, str] = {}
    for key, value in url.query.items():
        if key not in SECRET_PARAMS:
            params[key] = ",".join(value) if isinstance(value, tuple) else str(value)
    if url.host:
        params["host"] = url.host
    if url.port:
        params["port"] = str(url.port)
    if url.username:
        params["user"] = url.username
    if url.database:
        params["dbname"] = url.database
    params.setdefault("connect_timeout", str(connect_timeout))
    # Always ours, so the tool's session can be told apart from the app's in pg_stat_activity.
    params["application_name"] = application_name
    env = dict(os.environ)
    secrets: tuple[str, ...] = ()
    if url.password:
        env["PGPASSWORD"] = url.password
        secrets = (url.password,)
    return LibpqTarget(conninfo=make_conninfo(**params), env=env, secrets=secrets)


def offline_target() -> LibpqTarget:
    """For reading an archive file without connecting anywhere."""
    return LibpqTarget(conninfo="", env=dict(os.environ), secrets=())


def run_pg_tool(
    tool: PgTool,
    args: list[str],
    target: LibpqTarget,
    *,
    while_running: Callable[[], None] | None = None,
    poll_s: float = 0.2,
) -> bytes:
    """Run a client tool that never prompts and return its stdout; PgToolError if it fails.

    ``while_running`` is called every ``poll_s`` seconds until the tool exits.
    """
    argv = [str(tool.path), "--no-password", *args]
    # Files, not pipes: a tool that writes a lot can never block on a full pipe.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            process = subprocess.Popen(argv, env=target.env, stdout=out, stderr=err)
        except OSError as exc:
            raise PgToolError(f"{tool.path} could not be started: {exc.strerror}") from None
        try:
            while True:
                try:
                    process.wait(timeout=poll_s)
                    break
                except subprocess.TimeoutExpired:
                    if while_running is not None:
                        while_running()
        except BaseException:
            # Killing the tool drops its connection, and the server rolls its transaction back.
            process.kill()
            process.wait()
            raise
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise PgToolError(
                f"{tool.path.name} {tool.version} failed: {first_error(err.read(), target.secrets)}"
            )
        return out.read()


def first_error(stderr: bytes, secrets: tuple[str, ...] = ()) -> str:
    """The first lines of a tool's error output that say what went wrong, masked."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    useful = [line for line in lines if "error" in line.lower() or "fatal" in line.lower()] or lines
    message = " / ".join(useful[:2]) or "no error output"
    return redact(message, secrets)
