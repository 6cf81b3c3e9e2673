"""docker/pgbouncer: the optional `pgbouncer` profile's image writes a transaction-mode config."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
ENTRYPOINT = REPO / "docker" / "pgbouncer" / "entrypoint.sh"
BIN = Path(sys.executable).parent


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    stub = tmp_path / "bin" / "pgbouncer"
    stub.parent.mkdir()
    stub.write_text('#!/bin/sh\necho "pgbouncer $*"\n')
    stub.chmod(0o755)
    base = {"PATH": f"{stub.parent}{os.pathsep}/usr/bin:/bin", "PGBOUNCER_CONF_DIR": str(tmp_path / "conf")}
    return subprocess.run(["bash", str(ENTRYPOINT)], env={**base, **env}, capture_output=True, text=True)


def test_entrypoint_is_clean_shell() -> None:
    result = subprocess.run([BIN / "shellcheck", ENTRYPOINT], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_transaction_pooling_in_front_of_the_bundled_db(tmp_path: Path) -> None:
    result = _run(tmp_path, POSTGRES_USER="sms_user", POSTGRES_PASSWORD='pa"ss')
    conf = tmp_path / "conf"
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"pgbouncer {conf / 'pgbouncer.ini'}"
    ini = (conf / "pgbouncer.ini").read_text()
    assert "* = host=db port=5432" in ini and "pool_mode = transaction" in ini
    assert "auth_type = scram-sha-256" in ini
    # The user list holds the password (doubled quotes), readable by the bouncer alone.
    assert (conf / "userlist.txt").read_text() == '"sms_user" "pa""ss"\n'
    assert (conf / "userlist.txt").stat().st_mode & 0o077 == 0


def test_no_password_is_one_line_and_no_bouncer(tmp_path: Path) -> None:
    result = _run(tmp_path, POSTGRES_USER="sms_user")
    assert result.returncode != 0 and "pgbouncer" not in result.stdout
    assert "POSTGRES_PASSWORD is not set" in result.stderr
