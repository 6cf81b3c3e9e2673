"""A real PgBouncer (Debian's ``pgbouncer``) in transaction mode in front of the test PostgreSQL.

``TEST_PGBOUNCER=1`` makes the harness (``backend/tests/conftest.py``) start one for the run and
hand the API fixtures its URL, with ``POSTGRES_PGBOUNCER=true`` in the app's settings; ``make
test-pgbouncer`` runs the API suite's PostgreSQL half that way. The bouncer lends a server
connection per transaction and knows no prepared statements (1.18 has no such support at all),
so anything that keeps state on a connection between transactions fails here.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import URL

# Debian installs it outside a normal user's PATH.
CANDIDATES = ("pgbouncer", "/usr/sbin/pgbouncer")
START_SECONDS = 10.0
# Bouncer port -> the server behind it, for the settings' POSTGRES_DIRECT_URL.
_upstreams: dict[int, URL] = {}


class BouncerUnavailable(RuntimeError):
    """pgbouncer is not installed or did not start."""


def executable() -> str:
    for candidate in CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise BouncerUnavailable("pgbouncer is not installed: `apt-get install pgbouncer` (.ci/run installs it)")


def direct_url(url: URL) -> URL:
    """The database of ``url`` (through a running bouncer) reached without the bouncer."""
    assert url.port is not None
    return _upstreams[url.port].set(database=url.database)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _config(upstream: URL, port: int, auth_file: Path) -> str:
    socket_dir = upstream.query.get("host")
    host = socket_dir if isinstance(socket_dir, str) else upstream.host or "127.0.0.1"
    return "\n".join(
        [
            "[databases]",
            # Any database name the tests create is passed through to the same server.
            f"* = host={host} port={upstream.port or 5432}",
            "[pgbouncer]",
            "listen_addr = 127.0.0.1",
            f"listen_port = {port}",
            "unix_socket_dir =",
            "auth_type = trust",
            f"auth_file = {auth_file}",
            "pool_mode = transaction",
            "max_client_conn = 1000",
            "default_pool_size = 20",
            "server_reset_query =",
            # psycopg sends none of the others; `options` (libpq -c settings) is refused, as in
            # a default production bouncer.
            "ignore_startup_parameters = extra_float_digits",
            "log_connections = 0",
            "log_disconnections = 0",
            "",
        ]
    )


@contextmanager
def running(upstream: URL) -> Iterator[URL]:
    """Start PgBouncer in front of ``upstream`` (a maintenance URL); yield the URL through it."""
    binary = executable()
    # pgbouncer refuses to run as root, and the user it drops to must read its files.
    folder = Path(tempfile.mkdtemp(prefix="sms-pgbouncer-"))
    folder.chmod(0o755)
    user = upstream.username or "postgres"
    auth_file = folder / "users.txt"
    auth_file.write_text(f'"{user}" "{upstream.password or ""}"\n')
    port = _free_port()
    config = folder / "pgbouncer.ini"
    config.write_text(_config(upstream, port, auth_file))
    for path in (auth_file, config):
        path.chmod(0o644)
    command = [binary, "-q", str(config)]
    if os.geteuid() == 0:
        # A server on a socket folder (pgserver) admits only the folder's owner.
        socket_dir = upstream.query.get("host")
        owner = (
            pwd.getpwuid(Path(socket_dir).stat().st_uid).pw_name if isinstance(socket_dir, str) else "nobody"
        )
        command[1:1] = ["-u", owner]
    log = (folder / "pgbouncer.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_listening(port, process, folder)
        _upstreams[port] = upstream
        yield URL.create(
            "postgresql+psycopg", username=user, host="127.0.0.1", port=port, database=upstream.database
        )
    finally:
        _upstreams.pop(port, None)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_listening(port: int, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BouncerUnavailable(f"pgbouncer exited at start: {(folder / 'pgbouncer.log').read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise BouncerUnavailable(f"pgbouncer did not listen on port {port} within {START_SECONDS:g} s")
