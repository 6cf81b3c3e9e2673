"""scripts/docker.sh: the Compose files it names, `restore` and `migrate`, against a Docker stub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend.tests.ops.sh_harness import DESCRIBE, compose_calls, docker_calls, project, run

PG_ENV = "DATABASE_ENGINE=postgresql\nPOSTGRES_PASSWORD=Pw-not-to-leak\n"
NAME = "sms-sqlite-20261125-143720.sqlite3"
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
TARGET = f"/app/backups/{NAME}"
ASK = f"run --rm --no-deps -T app {DESCRIBE}"
# The stub answers 0 to everything; a backup the test did not put in the volume is not there.
NOT_IN_VOLUME = {"*exec -T app test -e *": 1, "*exec -T app test -f *": 1}


def file_options(tmp_path: Path) -> list[list[str]]:
    """The -f values before the sub-command of each `docker compose` call."""
    options = []
    for line in docker_calls(tmp_path).splitlines():
        words = line.partition(" compose ")[2].split()
        files = []
        while words[:1] in (["--project-directory"], ["-f"]):
            if words[0] == "-f":
                files.append(words[1])
            words = words[2:]
        if words and words != ["version"]:
            options.append(files)
    return options


def local_backup(tmp_path: Path, *, metadata: bool = True, name: str = NAME) -> Path:
    folder = tmp_path / "offsite"
    folder.mkdir(exist_ok=True)
    backup = folder / name
    backup.write_bytes(b"SQLite format 3\x00")
    if metadata:
        (folder / f"{name}.meta.json").write_text(json.dumps({"name": name, "sha256": SHA}, indent=2))
    return backup


@pytest.mark.parametrize("command", ["start", "stop", "status", "logs", "backup"])
def test_every_command_names_the_override_when_there_is_one(tmp_path: Path, command: str) -> None:
    root = project(tmp_path)
    (root / "docker-compose.override.yml").write_text("services: {}\n")
    run(tmp_path, command, root=root)
    expected = [str(root / "docker-compose.yml"), str(root / "docker-compose.override.yml")]
    assert file_options(tmp_path), "no docker compose call"
    assert all(files == expected for files in file_options(tmp_path)), docker_calls(tmp_path)


def test_start_says_when_an_override_is_used(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = run(tmp_path, "start", root=root)
    assert result.returncode == 0, result.stderr
    assert file_options(tmp_path) == [[str(root / "docker-compose.yml")]] * 2
    assert "override" not in result.stdout
    (root / "docker-compose.override.yml").write_text("services: {}\n")
    result = run(tmp_path, "start", root=root)
    assert "compose: docker-compose.yml + docker-compose.override.yml\n" in result.stdout


def test_restore_of_a_local_file_copies_it_with_its_metadata_and_restores_by_name(
    tmp_path: Path,
) -> None:
    backup = local_backup(tmp_path)
    result = run(tmp_path, "restore", str(backup), "--yes", rules=NOT_IN_VOLUME)
    assert result.returncode == 0, result.stderr
    assert compose_calls(tmp_path) == [
        ASK,
        "exec -T app true",
        f"exec -T app test -e {TARGET}",
        f"cp {backup} app:{TARGET}",
        f"cp {backup}.meta.json app:{TARGET}.meta.json",
        f"exec -T -u root app chown 10001:10001 {TARGET} {TARGET}.meta.json",
        f"exec -T app python -m backend.scripts.backup restore {NAME} --yes",
        "restart app",
    ]
    assert result.stdout.strip().endswith(f"Restored {NAME}; the app was restarted")


def test_restore_of_a_relative_path_works_from_the_current_folder(tmp_path: Path) -> None:
    local_backup(tmp_path)
    result = run(tmp_path, "restore", f"offsite/{NAME}", "--yes", rules=NOT_IN_VOLUME, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"exec -T app python -m backend.scripts.backup restore {NAME} --yes" in compose_calls(tmp_path)


def test_restore_of_a_name_in_the_volume_copies_nothing(tmp_path: Path) -> None:
    result = run(tmp_path, "restore", NAME, "--yes")
    assert result.returncode == 0, result.stderr
    assert compose_calls(tmp_path) == [
        ASK,
        "exec -T app true",
        f"exec -T app test -f {TARGET}",
        f"exec -T app python -m backend.scripts.backup restore {NAME} --yes",
        "restart app",
    ]


def test_restore_without_the_metadata_file_stops_before_docker(tmp_path: Path) -> None:
    backup = local_backup(tmp_path, metadata=False)
    result = run(tmp_path, "restore", str(backup), "--yes", rules=NOT_IN_VOLUME)
    assert result.returncode == 1
    assert result.stderr == (
        f"error: {backup} has no metadata file beside it ({backup}.meta.json), which restore needs: "
        "copy it from where the backup was made\n"
    )
    assert docker_calls(tmp_path) == ""


def test_restore_of_a_missing_file_stops_before_docker(tmp_path: Path) -> None:
    result = run(tmp_path, "restore", "offsite/missing.sqlite3", "--yes", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: no such file: offsite/missing.sqlite3 (give the path")
    assert result.stderr.count("\n") == 1 and docker_calls(tmp_path) == ""


def test_whether_a_name_is_a_backup_name_is_the_backup_tools_to_say(tmp_path: Path) -> None:
    # The wrapper holds no name pattern: the tool refuses (exit 2) and its exit code is kept.
    rules = {"*backend.scripts.backup restore *": 2}
    result = run(tmp_path, "restore", "bad name.sqlite3", "--yes", rules=rules)
    assert result.returncode == 2
    assert result.stderr == "error: restore failed (exit 2): see the message above\n"
    assert "exec -T app python -m backend.scripts.backup restore bad name.sqlite3 --yes" in compose_calls(
        tmp_path
    )


def test_restore_given_the_metadata_file_points_at_the_backup(tmp_path: Path) -> None:
    backup = local_backup(tmp_path)
    result = run(tmp_path, "restore", f"{backup}.meta.json", "--yes")
    assert result.returncode == 1
    assert (
        result.stderr
        == f"error: {backup}.meta.json is a backup's metadata: pass the backup file itself, {backup}\n"
    )


def test_restore_of_an_unknown_name_fails_before_asking(tmp_path: Path) -> None:
    result = run(tmp_path, "restore", NAME, rules=NOT_IN_VOLUME)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: there is no backup named {NAME} in /app/backups:")
    assert "Type 'yes'" not in result.stdout + result.stderr
    assert "backup restore" not in docker_calls(tmp_path)


def test_restore_never_overwrites_a_different_backup_of_the_same_name(tmp_path: Path) -> None:
    backup = local_backup(tmp_path)
    other = json.dumps({"name": NAME, "sha256": "0" * 64}, indent=2)
    result = run(tmp_path, "restore", str(backup), "--yes", cat_output=other)
    assert result.returncode == 1
    assert result.stderr == (
        f"error: a different backup named {NAME} is already in /app/backups: "
        f"rename {backup} and its .meta.json alike, then restore again\n"
    )
    assert not any(call.startswith(("cp ", "exec -T app python")) for call in compose_calls(tmp_path))


def test_restore_uses_the_copy_already_in_the_volume_when_it_is_the_same_backup(tmp_path: Path) -> None:
    backup = local_backup(tmp_path)
    same = json.dumps({"sha256": SHA, "name": NAME})
    result = run(tmp_path, "restore", str(backup), "--yes", cat_output=same)
    assert result.returncode == 0, result.stderr
    assert f"{NAME} is already in /app/backups with the same checksum: restoring that copy" in result.stdout
    assert compose_calls(tmp_path) == [
        ASK,
        "exec -T app true",
        f"exec -T app test -e {TARGET}",
        f"exec -T app cat {TARGET}.meta.json",
        f"exec -T app python -m backend.scripts.backup restore {NAME} --yes",
        "restart app",
    ]


def test_restore_when_the_app_is_not_running(tmp_path: Path) -> None:
    result = run(tmp_path, "restore", NAME, "--yes", rules={"*exec -T app true": 1})
    assert result.returncode == 1
    assert result.stderr == (
        "error: the app container is not running: start it with 'scripts/docker.sh start', then restore\n"
    )


def test_restore_cancelled_copies_and_changes_nothing(tmp_path: Path) -> None:
    backup = local_backup(tmp_path)
    result = run(tmp_path, "restore", str(backup), rules=NOT_IN_VOLUME, stdin="no\n")
    assert result.returncode == 1
    assert "restore cancelled; nothing changed" in result.stderr
    assert compose_calls(tmp_path) == [ASK, "exec -T app true", f"exec -T app test -e {TARGET}"]


def test_restore_confirmed_interactively(tmp_path: Path) -> None:
    result = run(tmp_path, "restore", NAME, stdin="yes\n")
    assert result.returncode == 0, result.stderr
    assert f"exec -T app python -m backend.scripts.backup restore {NAME} --yes" in compose_calls(tmp_path)


def test_a_refused_restore_removes_the_copy_and_keeps_the_exit_code(tmp_path: Path) -> None:
    backup = local_backup(tmp_path)
    rules = {**NOT_IN_VOLUME, "*backend.scripts.backup restore *": 3}
    result = run(tmp_path, "restore", str(backup), "--yes", rules=rules)
    assert result.returncode == 3
    assert result.stderr.strip() == "error: restore failed (exit 3): see the message above"
    calls = compose_calls(tmp_path)
    assert calls[-1] == f"exec -T -u root app rm -f -- {TARGET} {TARGET}.meta.json"
    assert "restart app" not in calls


def test_a_failed_copy_restores_nothing(tmp_path: Path) -> None:
    backup = local_backup(tmp_path)
    rules = {**NOT_IN_VOLUME, "*cp *.meta.json app:*": 1}
    result = run(tmp_path, "restore", str(backup), "--yes", rules=rules)
    assert result.returncode == 1
    assert "could not copy" in result.stderr and "nothing was restored" in result.stderr
    assert not any("backup restore" in call for call in compose_calls(tmp_path))
    assert compose_calls(tmp_path)[-1] == f"exec -T -u root app rm -f -- {TARGET} {TARGET}.meta.json"


def test_migrate_stops_the_app_before_copying(tmp_path: Path) -> None:
    result = run(tmp_path, "migrate", "--yes", env_text=PG_ENV)
    assert result.returncode == 0, result.stderr
    calls = compose_calls(tmp_path)
    assert calls[:3] == [ASK, "up -d --wait db", "stop app"]
    assert calls[3] == (
        "run --rm --no-deps -T app python -m backend.scripts.migrate_sqlite_to_postgres "
        "--sqlite-path /app/data/student_management.db --yes"
    )
    assert result.stdout.endswith("Migration finished. Start the app with: scripts/docker.sh start\n")


@pytest.mark.parametrize("flags", [["--dry-run"], ["--tables", "students", "--dry-run"]])
def test_migrate_dry_run_leaves_the_app_running(tmp_path: Path, flags: list[str]) -> None:
    result = run(tmp_path, "migrate", *flags, env_text=PG_ENV)
    assert result.returncode == 0, result.stderr
    calls = compose_calls(tmp_path)
    assert "stop app" not in calls
    assert calls[-1].endswith("--sqlite-path /app/data/student_management.db " + " ".join(flags))
    assert result.stdout.endswith("Dry run finished: nothing was written, the app was not stopped\n")


def test_migrate_help_shows_the_tools_help_and_leaves_the_app_running(tmp_path: Path) -> None:
    result = run(tmp_path, "migrate", "--help", env_text=PG_ENV)
    assert result.returncode == 0, result.stderr
    assert "stop app" not in compose_calls(tmp_path)
    assert compose_calls(tmp_path)[-1].endswith(
        "migrate_sqlite_to_postgres --sqlite-path /app/data/student_management.db --help"
    )
    assert "finished" not in result.stdout


def test_migrate_dry_run_failure_keeps_the_tools_exit_code(tmp_path: Path) -> None:
    rules = {"*migrate_sqlite_to_postgres*": 4}
    result = run(tmp_path, "migrate", "--dry-run", env_text=PG_ENV, rules=rules)
    assert result.returncode == 4
    assert result.stderr.strip() == "error: migration dry run failed (exit 4): nothing was written"
    assert "stop app" not in compose_calls(tmp_path)


def test_migrate_failure_says_the_app_is_left_stopped(tmp_path: Path) -> None:
    rules = {"*migrate_sqlite_to_postgres*": 5}
    result = run(tmp_path, "migrate", "--yes", env_text=PG_ENV, rules=rules)
    assert result.returncode == 5
    assert result.stderr.strip() == "error: migration failed (exit 5); the app is left stopped"


def test_migrate_stops_when_the_db_service_is_not_healthy(tmp_path: Path) -> None:
    result = run(tmp_path, "migrate", "--yes", env_text=PG_ENV, rules={"*up -d --wait db": 1})
    assert result.returncode == 1
    assert result.stderr == "error: the db service did not become healthy; see 'docker compose logs db'\n"
    assert compose_calls(tmp_path) == [ASK, "up -d --wait db"]
