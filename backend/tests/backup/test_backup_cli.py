"""``python -m backend.scripts.backup``: exit codes, output and confirmation, on both engines."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine

from backend.config import REPO_ROOT
from backend.scripts.backup import build_parser, main
from backend.tests.backup.conftest import all_rows, change_everything, seed
from backend.tests.conftest import TEST_SECRET_KEY

PASSWORD = "cli-Pa55word-in-the-url"


class Terminal(io.StringIO):
    """What an operator types at a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def cli_env(
    database_url: URL, db_kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """Point load_settings() at the test database, whatever .env files the checkout has."""
    url = database_url.set(password=PASSWORD) if db_kind == "postgresql" else database_url
    env = {
        "SMS_ENV_FILE": "none",
        "ENVIRONMENT": "production",
        "DATABASE_ENGINE": db_kind,
        "DATABASE_URL": url.render_as_string(hide_password=False),
        "SECRET_KEY": TEST_SECRET_KEY,
        "BACKUP_DIR": str(tmp_path / "cli-backups"),
        "BACKUP_RETENTION": "10",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, stdin: io.StringIO | None = None
) -> tuple[int, str, str]:
    code = main(list(argv), stdin=stdin or io.StringIO(""))
    out, err = capsys.readouterr()
    for secret in (PASSWORD, TEST_SECRET_KEY):
        assert secret not in out + err
    return code, out, err


def test_create_list_restore_delete(
    cli_env: dict[str, str], engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(engine)
    before = all_rows(engine)
    code, out, _ = run(capsys, "create")
    assert code == 0
    first = out.split()[0]
    assert (Path(cli_env["BACKUP_DIR"]) / first).is_file()
    change_everything(engine)
    code, out, _ = run(capsys, "create")
    second = out.split()[0]

    code, out, _ = run(capsys, "list")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [second, first]

    code, out, _ = run(capsys, "restore", first, "--yes")
    assert code == 0, out
    assert f"restored {first}" in out
    assert all_rows(engine) == before

    code, out, _ = run(capsys, "delete", second)
    assert (code, out.strip()) == (0, f"deleted {second}")
    assert [line.split()[0] for line in run(capsys, "list")[1].splitlines()] == [first]


def test_restore_asks_before_replacing_live_data(
    cli_env: dict[str, str], engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(engine)
    name = run(capsys, "create")[1].split()[0]
    change_everything(engine)
    live = all_rows(engine)

    code, _, err = run(capsys, "restore", name)
    assert code == 2
    assert err.strip() == (
        "error: restore replaces ALL live data and needs a confirmation: run it in a terminal, or pass --yes"
    )
    assert all_rows(engine) == live

    code, _, err = run(capsys, "restore", name, stdin=Terminal("no\n"))
    assert code == 2  # a confirmation refused, as in every tool (docs/CLI.md)
    assert "This replaces ALL data in" in err and f"students {len(live['students'])}" in err
    assert "restore aborted: nothing was changed" in err
    assert all_rows(engine) == live

    code, out, _ = run(capsys, "restore", name, stdin=Terminal("yes\n"))
    assert code == 0, out
    assert all_rows(engine) != live


def test_bad_input_gets_one_line_and_exit_2(
    cli_env: dict[str, str], engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(engine, students=2)
    live = all_rows(engine)
    for argv in (
        ("restore", "../../etc/passwd", "--yes"),
        ("delete", "sms-none.dump"),
        ("restore", "x/y", "--yes"),
    ):
        code, out, err = run(capsys, *argv)
        assert code == 2, argv
        assert out == "" and err.startswith("error: ") and err.count("\n") == 1, err
    assert all_rows(engine) == live


def test_a_damaged_backup_is_refused_with_exit_4(
    cli_env: dict[str, str], engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(engine, students=2)
    name = run(capsys, "create")[1].split()[0]
    path = Path(cli_env["BACKUP_DIR"]) / name
    path.write_bytes(path.read_bytes()[:-10])
    change_everything(engine)
    live = all_rows(engine)

    code, _, err = run(capsys, "restore", name, "--yes")

    assert code == 4  # DATA: the data was refused
    assert "truncated" in err and "live data is untouched" in err
    assert all_rows(engine) == live


def test_json_output(cli_env: dict[str, str], capsys: pytest.CaptureFixture[str], db_kind: str) -> None:
    import json

    made = json.loads(run(capsys, "create", "--json")[1])
    assert made["engine"] == db_kind and made["checksum"].startswith("sha256:")
    listed = json.loads(run(capsys, "list", "--json")[1])
    assert [b["name"] for b in listed] == [made["name"]]
    restored = json.loads(run(capsys, "restore", made["name"], "--yes", "--json")[1])
    assert restored["name"] == made["name"] and restored["upgraded_from"] is None


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in ([], ["create"], ["list"], ["restore"], ["delete"]):
        with pytest.raises(SystemExit) as done:
            build_parser().parse_args([*argv, "--help"])
        assert done.value.code == 0
        text = capsys.readouterr().out
        assert "--json" in text if argv else all(c in text for c in ("create", "list", "restore", "delete"))


def test_the_module_runs_on_the_configured_database(cli_env: dict[str, str], db_kind: str) -> None:
    def module(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "backend.scripts.backup", *argv],
            cwd=REPO_ROOT,
            env={**os.environ, **cli_env},
            capture_output=True,
            text=True,
            timeout=60,
        )

    made = module("create")
    assert made.returncode == 0, made.stderr
    listed = module("list")
    assert listed.returncode == 0
    assert listed.stdout.split()[0] == made.stdout.split()[0]
    assert db_kind in listed.stdout.splitlines()[0]
    assert PASSWORD not in made.stdout + made.stderr + listed.stdout + listed.stderr
