"""The docs tell the truth about the commands: every `python -m` command, flag, DOCKER.ps1 switch,
make target, scripts/docker.sh command, setting and relative link they mention is real.

Commands are checked against each module's real `--help`, run as a subprocess from the
repository root, so a module that does not exist yet fails here rather than in a school.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from backend.tests.docs import doc_check, doc_facts
from backend.tests.docs.doc_claims import MIGRATION_TOOL, Claims, read_claims

REPO = doc_facts.REPO
GUIDE = "docs/POSTGRES_MIGRATION_GUIDE.md"
PRODUCTION_GUIDE = "docs/PRODUCTION_DOCKER_GUIDE.md"


def documents() -> list[Path]:
    """README.md, docs/**/*.md and bench/**/README.md."""
    found = [
        REPO / "README.md",
        *sorted((REPO / "docs").rglob("*.md")),
        *sorted(REPO.glob("bench/**/README.md")),
    ]
    return [path for path in found if path.is_file()]


@cache
def all_claims() -> dict[str, Claims]:
    claims = {
        path.relative_to(REPO).as_posix(): read_claims(
            path.relative_to(REPO).as_posix(), path.read_text("utf-8")
        )
        for path in documents()
    }
    doc_facts.prefetch_help(doc_check.help_requests(claims.values()))
    return claims


def documented_modules() -> set[str]:
    return {
        c.module
        for claims in all_claims().values()
        for c in claims.commands
        if c.module.startswith("backend.")
    }


def _assert_none(problems: list[str], what: str) -> None:
    assert not problems, f"{len(problems)} {what}:\n" + "\n".join(problems)


def test_the_guides_exist_and_are_read() -> None:
    docs = all_claims()
    assert {"README.md", GUIDE, PRODUCTION_GUIDE} <= set(docs)
    assert sum(len(claims.commands) for claims in docs.values()) >= 10


def test_guide_migration_commands_are_read_across_continuation_lines() -> None:
    commands = [c for c in all_claims()[GUIDE].commands if c.module == MIGRATION_TOOL]
    flags = {flag for command in commands for flag in command.flags}
    assert {"--sqlite-path", "--postgres-url", "--dry-run", "--skip-migrations"} <= flags
    assert any({"--sqlite-path", "--postgres-url"} <= set(c.flags) for c in commands), commands


def test_python_commands_run_and_take_the_flags_shown() -> None:
    problems = [p for claims in all_claims().values() for p in doc_check.command_problems(claims)]
    _assert_none(problems, "documented commands do not match their --help")


def test_flags_written_alone_belong_to_a_documented_command() -> None:
    fallback = documented_modules()
    problems = [p for claims in all_claims().values() for p in doc_check.flag_problems(claims, fallback)]
    _assert_none(problems, "documented flags are in no --help")


def test_docker_ps1_switches_are_declared_parameters() -> None:
    problems = [p for claims in all_claims().values() for p in doc_check.ps1_problems(claims)]
    _assert_none(problems, "DOCKER.ps1 switches are not declared")


def test_make_targets_exist() -> None:
    problems = [p for claims in all_claims().values() for p in doc_check.make_problems(claims)]
    _assert_none(problems, "make targets or variables do not exist")


def test_docker_sh_commands_exist() -> None:
    problems = [p for claims in all_claims().values() for p in doc_check.docker_sh_problems(claims)]
    _assert_none(problems, "scripts/docker.sh commands do not exist")


def test_variables_named_in_code_are_real_settings() -> None:
    problems = [p for claims in all_claims().values() for p in doc_check.variable_problems(claims)]
    _assert_none(problems, "variables are unknown")


def test_guide_settings_are_settings_an_operator_can_set() -> None:
    # The guides tell operators what to put in .env: those names must be real settings,
    # not merely something a script reads.
    settings = doc_facts.setting_names()
    for doc in (GUIDE, PRODUCTION_GUIDE):
        names = {
            name for _, name in all_claims()[doc].variables if name.startswith(("POSTGRES_", "DATABASE_"))
        }
        assert names, doc
        assert names <= settings, f"{doc}: {sorted(names - settings)} are not settings"


def test_relative_links_resolve() -> None:
    problems = [
        p for doc, claims in all_claims().items() for p in doc_check.link_problems(claims, REPO / doc)
    ]
    _assert_none(problems, "links are broken")


def test_code_fences_are_well_formed() -> None:
    problems = [p for claims in all_claims().values() for p in doc_check.fence_problems(claims)]
    _assert_none(problems, "code fences are malformed")


FAKE_DOC = """# A doc that lies

Run `python -m backend.db.migrations upgrade --no-such-flag` first, then
`python -m backend.db.migrations current`; `python -m backend...` is a placeholder.

```powershell
python -m backend.db.migrations `
    upgrade `
    --also-bogus
```

```bash
python -m backend.scripts.no_such_tool \\
    --dry-run
.venv/bin/python bench/api/run.py --seconds 5 --turbo
python -m backend.db.migrations explode
make no-such-target
make migrate
make docker-*
scripts/docker.sh teleport
make docker-migrate ARGS="--warp-speed"
```

| Flag | Meaning |
|------|---------|
| `--bogus-flag 3` | not real |
| --bare-bogus | not real either |
| `--revision abc` | real |

Use `.\\DOCKER.ps1 -Explode`, `-Levitate` or `-NoSuchThing`; `.\\DOCKER.ps1 -Start` and `-Logs` are real,
`pg_dump -Fc` is not ours.
Set `POSTGRES_SSL_MODE=require`; `POSTGRES_SSLMODE=require` and `DB_POOL_SIZE` are real.
See [missing](NO_SUCH_FILE.md) and [real](../README.md).

```dotenv
DATABASE_ENGINE=postgresql
```text
after the bad fence
```

```text
never closed
"""


def test_negative_control_reports_every_false_claim() -> None:
    claims = read_claims("docs/FAKE.md", FAKE_DOC)
    problems = [
        *doc_check.command_problems(claims),
        *doc_check.flag_problems(claims, documented_modules()),
        *doc_check.ps1_problems(claims),
        *doc_check.make_problems(claims),
        *doc_check.docker_sh_problems(claims),
        *doc_check.variable_problems(claims),
        *doc_check.link_problems(claims, REPO / "docs" / "FAKE.md"),
        *doc_check.fence_problems(claims),
    ]
    report = "\n".join(problems)
    for lie in (
        "--no-such-flag", "--also-bogus", "backend.scripts.no_such_tool", "'explode'", "no-such-target",
        "teleport", "--turbo", "--warp-speed", "--bogus-flag", "--bare-bogus", "-Explode", "-Levitate",
        "-NoSuchThing", "POSTGRES_SSL_MODE", "NO_SUCH_FILE.md", "a closing fence takes no info string",
        "never closed",
    ):  # fmt: skip
        assert lie in report, f"{lie} was not reported:\n{report}"
    subjects = [problem.split(": ", 1)[1] for problem in problems]
    for truth in (
        "`make migrate`",
        "-Start",
        "-Logs",
        "-Fc",
        "--revision",
        "POSTGRES_SSLMODE",
        "DB_POOL_SIZE",
    ):
        assert not [s for s in subjects if s.startswith(truth + " ")], f"{truth} was reported:\n{report}"
    assert len(problems) == 17, report
    assert all(problem.startswith("docs/FAKE.md:") and "\n" not in problem for problem in problems)


def test_negative_control_names_the_line_of_a_continued_command() -> None:
    claims = read_claims("docs/FAKE.md", FAKE_DOC)
    continued = [c for c in claims.commands if "--also-bogus" in c.flags]
    assert [str(c.where) for c in continued] == ["docs/FAKE.md:7"]
    assert continued[0].subcommands == ("upgrade",)


@pytest.mark.parametrize(
    "switch", ["Start", "Stop", "Restart", "Status", "Logs", "Backup", "Restore", "Migrate"]
)
def test_docker_ps1_parameters_are_read_from_its_param_block(switch: str) -> None:
    assert switch in doc_facts.ps1_parameters()
