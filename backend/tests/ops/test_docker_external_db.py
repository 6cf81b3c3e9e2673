"""Both wrappers start the bundled `db` service only when PostgreSQL mode points at it.

Which server that is, is describe's answer (`bundled`, test_describe.py): profile `postgres` on
and `migrate` waits for it, or the app runs alone, one line names the server, and `migrate`
does not wait for a db it will not use. scripts/docker.sh runs against the recording Docker
stub; DOCKER.ps1 (no PowerShell here) is checked through its syntax tree.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backend.tests.ops.ps1_tree import calls, functions, guards, root, text, walk
from backend.tests.ops.sh_harness import DESCRIBE, SCRIPT, compose_calls, docker_calls, run

PASSWORD = "Pw-3xample-not-to-leak"
EXTERNAL = f"DATABASE_ENGINE=postgresql\nPOSTGRES_HOST=sms-db.example.org\nPOSTGRES_PASSWORD={PASSWORD}\n"
BUNDLED = f"DATABASE_ENGINE=postgresql\nPOSTGRES_PASSWORD={PASSWORD}\n"
SERVER_LINE = "server: external PostgreSQL host sms-db.example.org (the bundled db service is not started)\n"
ASK = f"run --rm --no-deps -T app {DESCRIBE}"
MIGRATE_RUN = (
    "run --rm --no-deps -T app python -m backend.scripts.migrate_sqlite_to_postgres "
    "--sqlite-path /app/data/student_management.db"
)
TREE = root()
FUNCTIONS = functions(TREE)

# .env -> the host the app connects to, and whether that is the bundled `db` service.
SERVERS = [
    ("DATABASE_ENGINE=postgresql\n", "db", True),
    ("DATABASE_ENGINE=postgresql\nPOSTGRES_HOST=db.example.org\n", "db.example.org", False),
    (f"DATABASE_URL=postgresql+psycopg://u:{PASSWORD}@/sms?host=db\n", "db", True),
    (f"DATABASE_URL=postgresql://u:{PASSWORD}@[2001:db8::5]:5432/sms\n", "2001:db8::5", False),
]


def label(host: str, bundled: bool) -> str:
    return "postgresql (bundled db)" if bundled else f"postgresql (external host {host})"


def profiles_of_compose_calls(tmp_path: Path) -> set[str]:
    lines = [line for line in docker_calls(tmp_path).splitlines() if " compose " in line]
    # describe is always asked without the profile: the container must see .env alone.
    lines = [line for line in lines if not line.endswith(" compose version") and DESCRIBE not in line]
    assert lines, "no docker compose call"
    return {line.split(" ", 1)[0] for line in lines}


# --- scripts/docker.sh ----------------------------------------------------------------------


@pytest.mark.parametrize(("env_text", "host", "bundled"), SERVERS)
def test_start_uses_the_profile_only_for_the_bundled_db(
    tmp_path: Path, env_text: str, host: str, bundled: bool
) -> None:
    result = run(tmp_path, "start", env_text=env_text + f"POSTGRES_PASSWORD={PASSWORD}\n")
    assert result.returncode == 0, result.stderr
    assert profiles_of_compose_calls(tmp_path) == {"profiles=postgres" if bundled else "profiles="}
    server_line = f"server: external PostgreSQL host {host} (the bundled db service is not started)\n"
    assert (server_line in result.stdout) is not bundled
    assert PASSWORD not in result.stdout + result.stderr + docker_calls(tmp_path)


def test_start_against_an_external_server_runs_the_app_alone(tmp_path: Path) -> None:
    result = run(tmp_path, "start", env_text=EXTERNAL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        "Starting SMS in postgresql mode",
        "database: postgresql+psycopg://sms_user:***@sms-db.example.org:5432/student_management "
        "(the app logs the same line at startup; see 'logs')",
        SERVER_LINE.strip(),
    ]
    (up,) = [line for line in docker_calls(tmp_path).splitlines() if " up " in line]
    # The app still gets the external host; only the db service is left out.
    assert up.startswith("profiles= host=sms-db.example.org compose ")
    assert "--profile" not in docker_calls(tmp_path)


def test_an_external_server_needs_no_compose_password(tmp_path: Path) -> None:
    # The password may be in DATABASE_URL, or the server may not want one: the app decides.
    env_text = "DATABASE_ENGINE=postgresql\nPOSTGRES_HOST=sms-db.example.org\n"
    assert run(tmp_path, "start", env_text=env_text).returncode == 0
    bundled = run(tmp_path, "start", env_text="DATABASE_ENGINE=postgresql\n")
    assert bundled.returncode == 1
    assert bundled.stderr.startswith("error: POSTGRES_PASSWORD is empty in ")


def test_migrate_to_an_external_server_does_not_wait_for_the_bundled_db(tmp_path: Path) -> None:
    result = run(tmp_path, "migrate", "--yes", env_text=EXTERNAL)
    assert result.returncode == 0, result.stderr
    assert compose_calls(tmp_path) == [ASK, "stop app", f"{MIGRATE_RUN} --yes"]
    assert profiles_of_compose_calls(tmp_path) == {"profiles="}
    assert SERVER_LINE in result.stdout
    assert "host=sms-db.example.org" in docker_calls(tmp_path).splitlines()[-1]


def test_migrate_dry_run_to_an_external_server_only_runs_the_tool(tmp_path: Path) -> None:
    result = run(tmp_path, "migrate", "--dry-run", env_text=EXTERNAL)
    assert result.returncode == 0, result.stderr
    assert compose_calls(tmp_path) == [ASK, f"{MIGRATE_RUN} --dry-run"]


def test_migrate_to_the_bundled_db_still_waits_for_it(tmp_path: Path) -> None:
    result = run(tmp_path, "migrate", "--yes", env_text=BUNDLED)
    assert result.returncode == 0, result.stderr
    assert compose_calls(tmp_path) == [ASK, "up -d --wait db", "stop app", f"{MIGRATE_RUN} --yes"]
    assert profiles_of_compose_calls(tmp_path) == {"profiles=postgres"}
    assert "server:" not in result.stdout


def test_status_names_the_server(tmp_path: Path) -> None:
    result = run(tmp_path, "status", env_text=EXTERNAL)
    assert result.stdout.startswith("mode: postgresql (external host sms-db.example.org)  database: ")


# --- DOCKER.ps1 -----------------------------------------------------------------------------


def test_ps1_asks_describe_in_the_image_and_obeys_it() -> None:
    resolve = FUNCTIONS["Resolve-DatabaseMode"]
    (ask,) = calls(resolve, "Get-ComposeStdout")
    body = text(resolve)
    assert "@('run', '--rm', '--no-deps', '-T')" in body and "$run += '--build'" in body
    assert "($run + @('app', 'python') + $Describe)" in body
    assert "$Describe = @('-m', 'backend.config', 'describe', '--compose', '--json')" in text(TREE)
    # What the container sees is .env alone: the caller's POSTGRES_* go before the question.
    (clear,) = [c for c in calls(resolve, "Remove-Item") if "Env:$key" in c.words]
    assert clear.line < ask.line
    assert "foreach ($warning in @($report.warnings)) { Write-Warning $warning }" in body
    assert "foreach ($problem in @($report.problems)) { Fail $problem }" in body
    assert "Bundled = [bool]$report.bundled" in body and "Server = [string]$report.host" in body
    assert "if ($result.Bundled) { $result.Label = 'postgresql (bundled db)' }" in body
    assert 'else { $result.Label = "postgresql (external host $($result.Server))" }' in body


@pytest.mark.parametrize("function", ["Invoke-Start", "Invoke-Status", "Invoke-Restore", "Invoke-Migrate"])
def test_ps1_asks_once_docker_is_there_and_before_compose_acts(function: str) -> None:
    (docker,) = calls(FUNCTIONS[function], "Assert-Docker")
    (ask,) = calls(FUNCTIONS[function], "Resolve-DatabaseMode")
    assert docker.line < ask.line
    # -Start rebuilds first, so the settings are read by the code that is about to run.
    assert ("Resolve-DatabaseMode -Build" in text(FUNCTIONS[function])) is (function == "Invoke-Start")
    compose = calls(FUNCTIONS[function], "Invoke-Compose", "Test-Compose", "Set-ComposeEnvironment")
    assert all(ask.line < call.line for call in compose)


def test_ps1_hands_the_container_describes_postgres_settings() -> None:
    body = text(FUNCTIONS["Set-ComposeEnvironment"])
    assert "foreach ($key in $Db.Environment.Keys)" in body
    assert "[Environment]::SetEnvironmentVariable($key, $Db.Environment[$key], 'Process')" in body


def test_ps1_turns_the_profile_on_only_for_the_bundled_db() -> None:
    profile_sets = [
        (text(node.children[-1]), guards(node))
        for node in walk(FUNCTIONS["Set-ComposeEnvironment"])
        if node.type == "assignment_expression" and text(node.children[0]) == "$env:COMPOSE_PROFILES"
    ]
    assert profile_sets == [("''", ()), ("'postgres'", ("$Db.Bundled", "$Db.Mode -eq 'postgresql'"))]


def test_ps1_migrate_waits_for_the_db_only_when_bundled() -> None:
    migrate = FUNCTIONS["Invoke-Migrate"]
    (up,) = [c for c in calls(migrate, "Invoke-Compose") if c.words[:1] == ("up",)]
    assert up.words == ("up", "-d", "--wait", "db") and up.guards == ("$db.Bundled",)
    (unhealthy,) = [c for c in calls(migrate, "Fail") if "did not become healthy" in " ".join(c.words)]
    assert unhealthy.guards == ("$LASTEXITCODE -ne 0", "$db.Bundled")


@pytest.mark.parametrize("function", ["Invoke-Start", "Invoke-Migrate"])
def test_ps1_needs_the_compose_password_only_for_the_bundled_db(function: str) -> None:
    (check,) = calls(FUNCTIONS[function], "Assert-PgPassword")
    assert check.guards == ("$db.Bundled",)
    (external,) = calls(FUNCTIONS[function], "Write-ExternalServer")
    (compose_env,) = calls(FUNCTIONS[function], "Set-ComposeEnvironment")
    assert compose_env.line < external.line


def test_ps1_and_sh_print_the_same_lines() -> None:
    ps1 = text(FUNCTIONS["Write-ExternalServer"])
    (ps1_line,) = re.findall(r'Write-Host "([^"]+)"', ps1)
    assert ps1_line.replace("$($Db.Server)", "sms-db.example.org") == SERVER_LINE.strip()
    assert "if ($Db.Mode -eq 'postgresql' -and -not $Db.Bundled)" in ps1
    status = text(FUNCTIONS["Invoke-Status"])
    assert 'Write-Host "mode: $($db.Label)  database: $($db.MaskedUrl)"' in status


# --- the guide --------------------------------------------------------------------------------


def test_the_guides_external_postgresql_example_is_what_the_wrapper_prints(tmp_path: Path) -> None:
    guide = (SCRIPT.parents[1] / "docs" / "PRODUCTION_DOCKER_GUIDE.md").read_text(encoding="utf-8")
    section = guide.split("### External PostgreSQL\n", 1)[1].split("\n### ", 1)[0]
    (env_text,) = re.findall(r"^```dotenv\n(.*?)^```$", section, re.M | re.S)
    (shown,) = re.findall(r"^```text\n\$ scripts/docker\.sh mode\n(.*?)^```$", section, re.M | re.S)
    result = run(tmp_path, "mode", env_text=env_text)
    assert result.returncode == 0, result.stderr
    assert result.stdout + result.stderr == shown
    started = run(tmp_path, "start", env_text=env_text)
    assert started.returncode == 0, started.stderr
    (server_line,) = [line for line in started.stdout.splitlines() if line.startswith("server: ")]
    assert f"\n{server_line}\n" in section
