"""What the project really offers: each module's --help, DOCKER.ps1's parameters, the Makefile's
targets, scripts/docker.sh's commands, every variable something in the repository reads, the
command-line tools pyproject.toml installs and the routes of the app's OpenAPI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from backend.config import Settings

REPO = Path(__file__).resolve().parents[3]
HELP_TIMEOUT_S = 60
HELP_SECRET_KEY = "docs-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
BRACES = re.compile(r"\{([a-z][\w-]*(?:,[a-z][\w-]*)+)\}")
# argparse lists sub-parsers indented under their metavar: "  COMMAND" then "    create    ...".
SUBPARSER = re.compile(r"^ {4}([a-z][\w-]*)(?: {2,}|$)", re.MULTILINE)
PS1_PARAM = re.compile(r"\[[\w\[\]]+\]\s*\$(\w+)")
MAKE_TARGET = re.compile(r"^([A-Za-z0-9][\w.-]*)\s*:(?!=)", re.MULTILINE)
MAKE_VARIABLE = re.compile(r"\$\(([A-Z][A-Z0-9_]*)\)|^([A-Z][A-Z0-9_]*)\s*[?:]?=", re.MULTILINE)
ENV_EXAMPLE_KEY = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)
ENV_READ = re.compile(r"""(?:environ\.get|getenv|environ\.pop|environ)\s*[(\[]\s*["']([A-Z][A-Z0-9_]*)["']""")
COMPOSE_VARIABLE = re.compile(
    r"\$\{([A-Z][A-Z0-9_]*)|^\s+-\s+([A-Z][A-Z0-9_]*)\b|^\s+([A-Z][A-Z0-9_]*):", re.M
)
PS1_ENV = re.compile(r"\$env:([A-Z][A-Z0-9_]*)")
SH_VARIABLE = re.compile(r"\$\{?([A-Z][A-Z0-9_]*)|\bexport\s+([A-Z][A-Z0-9_]*)")
DOCKERFILE_VARIABLE = re.compile(r"^\s*(?:ENV|ARG)\s+([A-Z][A-Z0-9_]*)|^\s+([A-Z][A-Z0-9_]*)=", re.M)
JS_ENV_READ = re.compile(r"(?:process\.env|import\.meta\.env)(?:\.|\[[\"'])([A-Z][A-Z0-9_]*)")
FRONTEND_SOURCES = (
    "*.ts",
    "*.js",
    "*.mjs",
    "scripts/*",
    "e2e/*.ts",
    "bench/*.ts",
    "src/**/*.ts",
    "src/**/*.tsx",
)
DOCKER_SH_COMMAND = re.compile(r"^\s{2}([a-z][\w-]*)\b", re.MULTILINE)


@dataclass(frozen=True)
class Help:
    """`python -m module [sub] --help`: exit code and text (stdout and stderr)."""

    returncode: int
    text: str

    @property
    def subcommands(self) -> set[str] | None:
        """The positional `{a,b,c}` of the usage, or the sub-parsers listed under a metavar; else None."""
        for match in BRACES.finditer(self.text):
            before = self.text[: match.start()].split()
            # `[--engines {sqlite,postgresql}]` is a flag's choice, not a sub-command.
            if not before or not before[-1].lstrip("[").startswith("-"):
                return set(match.group(1).split(","))
        section = (
            self.text.split("positional arguments:", 1)[1] if "positional arguments:" in self.text else ""
        )
        listed = set(SUBPARSER.findall(section.split("\n\n", 1)[0]))
        return listed or None

    def mentions(self, flag: str) -> bool:
        return re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", self.text) is not None

    def lists(self, word: str) -> bool:
        choices = self.subcommands
        if choices is not None:
            return word in choices
        return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", self.text) is not None

    def why(self) -> str:
        lines = [line for line in self.text.strip().splitlines() if line.strip()]
        return lines[-1].strip() if lines else f"exit {self.returncode}, no output"


def _help_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in Settings.model_fields}
    env.update(SMS_ENV_FILE="none", SECRET_KEY=HELP_SECRET_KEY, PYTHONPATH=str(REPO))
    return env


def invocation(module: str) -> str:
    """How a reader runs it: `python -m package.module` or `python path/script.py`."""
    return f"python {module}" if module.endswith(".py") else f"python -m {module}"


@cache
def module_help(module: str, subcommand: str | None = None) -> Help:
    """Run `python -m module [subcommand] --help` from the repository root, as a reader would.

    A script (`path/script.py`) is run only when it parses its arguments with argparse, so a
    script that ignores `--help` is never started for real by this check.
    """
    if module.endswith(".py"):
        path = REPO / module
        if not path.is_file():
            return Help(2, f"{module}: no such file")
        if "ArgumentParser" not in path.read_text(encoding="utf-8", errors="replace"):
            return Help(0, "")
        argv = [sys.executable, module, *([subcommand] if subcommand else []), "--help"]
    else:
        argv = [sys.executable, "-m", module, *([subcommand] if subcommand else []), "--help"]
    try:
        done = subprocess.run(
            argv, cwd=REPO, env=_help_env(), capture_output=True, text=True, timeout=HELP_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        return Help(124, f"`{' '.join(argv[1:])}` did not finish in {HELP_TIMEOUT_S}s")
    return Help(done.returncode, done.stdout + done.stderr)


def prefetch_help(requests: set[tuple[str, str | None]]) -> None:
    """Fill the help cache in parallel: each call starts a Python process."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda request: module_help(*request), sorted(requests, key=str)))


def _read(relative: str) -> str:
    path = REPO / relative
    return path.read_text(encoding="utf-8") if path.exists() else ""


@cache
def ps1_parameters() -> frozenset[str]:
    """The names declared in DOCKER.ps1's top-level param() block."""
    source = _read("DOCKER.ps1")
    start = source.find("param(")
    if start < 0:
        return frozenset()
    depth, end = 0, start
    for end in range(start + len("param"), len(source)):
        depth += {"(": 1, ")": -1}.get(source[end], 0)
        if depth == 0:
            break
    return frozenset(PS1_PARAM.findall(source[start:end]))


@cache
def make_targets() -> frozenset[str]:
    return frozenset(t for t in MAKE_TARGET.findall(_read("Makefile")) if not t.startswith("."))


@cache
def make_variables() -> frozenset[str]:
    return frozenset(a or b for a, b in MAKE_VARIABLE.findall(_read("Makefile")))


@cache
def docker_sh_commands() -> frozenset[str]:
    """The commands listed under 'Commands:' in scripts/docker.sh's usage text."""
    source = _read("scripts/docker.sh")
    usage = source.split("Commands:", 1)[-1].split("EOF", 1)[0] if "Commands:" in source else ""
    return frozenset(DOCKER_SH_COMMAND.findall(usage))


@cache
def entry_points() -> dict[str, str]:
    """pyproject.toml's [project.scripts]: command name -> the module it runs."""
    scripts = tomllib.loads(_read("pyproject.toml")).get("project", {}).get("scripts", {})
    return {name: target.split(":", 1)[0] for name, target in scripts.items()}


@cache
def api_routes() -> frozenset[str]:
    """Every path of the app's OpenAPI, `/api/v1/students/{student_id}` style."""
    from backend.main import create_app  # the app reads no settings until it starts

    return frozenset(create_app().openapi()["paths"])


@cache
def docker_sh_help() -> Help:
    """scripts/docker.sh's usage text (its commands and their flags), as a --help."""
    source = _read("scripts/docker.sh")
    usage = source.split("Commands:", 1)[-1].split("EOF", 1)[0] if "Commands:" in source else ""
    return Help(0 if usage else 2, usage)


@cache
def setting_names() -> frozenset[str]:
    """Settings fields and the keys of .env.example: what an operator may put in .env."""
    return frozenset(Settings.model_fields) | frozenset(ENV_EXAMPLE_KEY.findall(_read(".env.example")))


@cache
def known_variables() -> frozenset[str]:
    """Every variable something in the repository reads, settings first.

    Beyond the settings this admits what the code reads from the process environment
    (SMS_ENV_FILE, TEST_POSTGRES_URL, the frontend's SMS_BACKEND_URL, ...), what Compose
    interpolates, what the Docker wrappers export and what the Makefile and Dockerfile define,
    so a misspelt name still fails.
    """
    names = set(setting_names()) | set(make_variables())
    for path in [*REPO.glob("backend/**/*.py"), *REPO.glob("scripts/*.py"), *REPO.glob("bench/**/*.py")]:
        if ".venv" not in path.parts:
            names.update(ENV_READ.findall(path.read_text(encoding="utf-8", errors="replace")))
    for groups in COMPOSE_VARIABLE.findall(_read("docker-compose.yml")):
        names.update(g for g in groups if g)
    for pattern in FRONTEND_SOURCES:
        for path in (REPO / "frontend").glob(pattern):
            names.update(JS_ENV_READ.findall(path.read_text(encoding="utf-8", errors="replace")))
    names.update(PS1_ENV.findall(_read("DOCKER.ps1")))
    for groups in SH_VARIABLE.findall(_read("scripts/docker.sh")):
        names.update(g for g in groups if g)
    for groups in DOCKERFILE_VARIABLE.findall(_read("Dockerfile")):
        names.update(g for g in groups if g)
    return frozenset(names)
