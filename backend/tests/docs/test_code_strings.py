"""The code tells the truth about the project too: every `make` target, flag, route, DOCKER.ps1
switch and scripts/docker.sh command that a message, help text, label or wrapper line names is real.

The docs test does this for the docs; this reads the strings of the code (code_strings.py)
and holds them against the same facts: the Makefile's targets, each tool's real --help, and
the routes of the app's OpenAPI.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from backend.tests.docs import code_strings, doc_check, doc_facts
from backend.tests.docs.doc_claims import Claims

REPO = doc_facts.REPO


@cache
def code_claims() -> tuple[Claims, ...]:
    claims = tuple(c for path in code_strings.sources() for c in code_strings.claims_of(path))
    requests = doc_check.help_requests(claims) | {(module, None) for module in tool_modules(claims)}
    doc_facts.prefetch_help(requests)
    return claims


def tool_modules(claims: tuple[Claims, ...]) -> set[str]:
    """The installed tools and every backend module the code tells someone to run."""
    named = {c.module for claims_ in claims for c in claims_.commands if c.module.startswith("backend.")}
    return set(doc_facts.entry_points().values()) | named


@cache
def tool_helps() -> list[doc_facts.Help]:
    modules = sorted(tool_modules(code_claims()))
    helps = [h for m in modules for h in doc_check.helps_of(m) if h.returncode == 0]
    return [*helps, doc_facts.docker_sh_help()]


def problems_of(claims: Claims) -> list[str]:
    return [
        *doc_check.command_problems(claims),
        *doc_check.any_tool_flag_problems(claims, tool_helps()),
        *doc_check.make_problems(claims),
        *doc_check.docker_sh_problems(claims),
        *doc_check.ps1_problems(claims),
        *doc_check.route_problems(claims),
    ]


def _assert_none(problems: list[str], what: str) -> None:
    assert not problems, f"{len(problems)} {what}:\n" + "\n".join(problems)


def test_every_kind_of_source_is_read() -> None:
    read = {where.doc for claims in code_claims() for where, _ in claims.make_targets}
    read |= {where.doc for claims in code_claims() for where, _ in claims.routes}
    assert {"backend/api/spa.py", "backend/main.py", "Makefile"} <= read, sorted(read)
    assert any(doc.startswith("frontend/src/") for doc in read), sorted(read)
    commands = {c.where.doc for claims in code_claims() for c in claims.commands}
    assert {"scripts/docker.sh", "DOCKER.ps1", "Makefile"} <= commands, sorted(commands)
    assert any(doc.startswith("backend/") and doc.endswith(".py") for doc in commands), sorted(commands)
    assert set(doc_facts.entry_points()) >= {"sms-db", "sms-backup", "sms-migrate", "sms-seed"}


def test_python_commands_in_code_run_and_take_the_flags_shown() -> None:
    problems = [p for claims in code_claims() for p in doc_check.command_problems(claims)]
    _assert_none(problems, "commands in code do not match their --help")


def test_flags_named_in_code_belong_to_a_tool() -> None:
    problems = [p for claims in code_claims() for p in doc_check.any_tool_flag_problems(claims, tool_helps())]
    _assert_none(problems, "flags in code are in no tool's --help")


def test_make_targets_named_in_code_exist() -> None:
    problems = [p for claims in code_claims() for p in doc_check.make_problems(claims)]
    _assert_none(problems, "make targets or variables named in code do not exist")


def test_routes_named_in_code_exist() -> None:
    problems = [p for claims in code_claims() for p in doc_check.route_problems(claims)]
    _assert_none(problems, "routes named in code are not routes of the app")


def test_wrapper_commands_and_switches_named_in_code_exist() -> None:
    problems = [
        p
        for claims in code_claims()
        for p in (*doc_check.docker_sh_problems(claims), *doc_check.ps1_problems(claims))
    ]
    _assert_none(problems, "scripts/docker.sh commands or DOCKER.ps1 switches named in code do not exist")


FAKE_PY = '''"""Run ``python -m backend.db.migrations upgrade`` first (``--revision`` picks another)."""
STALE = "The web app is not built: run `make frontend` (or `make run`), then reload"
MORE = f"run `python -m backend.scripts.backup explode` or pass --no-such-flag, see /api/v1/nope/{id}"
TRUE = f"Make sure: make another admin first; (make migrate) then GET /api/v1/students/{sid}/export?x=1"
ARGV = ["pg_restore", "--clean"]
HOST = "run scripts/docker.sh teleport, not scripts/docker.sh and friends; .\\\\DOCKER.ps1 -Levitate"
'''
FAKE_TSX = """export const t = { "backups.cli": "Until then run make no-such-target:" };
const url = `/api/v1/control/backups/${encodeURIComponent(name)}/downloads`;
const ok = `/api/v1/control/backups/${encodeURIComponent(name)}/download`;
export const Page = () => <pre className="code-block">python -m backend.scripts.seed_demo --warp 3</pre>;
"""
FAKE_MAKEFILE = """help: ## Build it (run make frontend-build first)
.PHONY: x
x: ## Also stale: (make bogus-target)
\t$(PY) -m backend.scripts.seed_demo --studentz 5
"""
FAKE_SH = """# run make nothing-checked-in-a-comment
die "use 'install --forcefully' or run make docker-nope"
python -m backend.scripts.backup restore "$name" --yes
"""


def test_negative_control_reports_every_stale_string() -> None:
    fakes = {
        "backend/fake.py": FAKE_PY,
        "frontend/src/Fake.tsx": FAKE_TSX,
        "Makefile": FAKE_MAKEFILE,
        "scripts/docker.sh": FAKE_SH,
    }
    problems = [
        problem
        for name, source in fakes.items()
        for claims in code_strings.claims_of(REPO / name, source)
        for problem in problems_of(claims)
    ]
    report = "\n".join(problems)
    for lie in (
        "`make frontend`", "'explode'", "--no-such-flag", "/api/v1/nope/{…}", "teleport", "-Levitate",
        "no-such-target", "/downloads", "--warp", "bogus-target", "--studentz", "--forcefully",
        "docker-nope",
    ):  # fmt: skip
        assert lie in report, f"{lie} was not reported:\n{report}"
    for truth in (
        "`make run`", "`make migrate`", "another", "--revision", "--clean", "/export",
        "`make frontend-build`", "/download ", "--yes", "nothing-checked", "`scripts/docker.sh and`",
    ):  # fmt: skip
        assert truth not in report, f"{truth} was reported:\n{report}"
    assert len(problems) == 13, report
    assert all("\n" not in problem for problem in problems)
    lines = {problem.split(": ", 1)[0] for problem in problems}
    assert {"backend/fake.py:2", "backend/fake.py:3", "frontend/src/Fake.tsx:2", "Makefile:4"} <= lines, lines


def test_sources_skip_tests_and_generated_types() -> None:
    names = [path.relative_to(REPO).as_posix() for path in code_strings.sources()]
    assert "backend/api/spa.py" in names and "scripts/first_run_env.py" in names
    assert not [n for n in names if "/tests/" in n or n.endswith((".d.ts", ".test.ts", ".test.tsx"))]
    assert Path(REPO / "Makefile").as_posix().endswith("Makefile") and "Makefile" in names
