"""Hold a document's claims against the project; each problem is one line: where, what, the fix."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from backend.tests.docs import doc_facts
from backend.tests.docs.doc_claims import Claims, Command

HelpLookup = Callable[[str, str | None], doc_facts.Help]


def help_requests(claims: Iterable[Claims]) -> set[tuple[str, str | None]]:
    """Every `--help` the checks will ask for, so they can be run in parallel first."""
    requests: set[tuple[str, str | None]] = set()
    for doc in claims:
        for command in doc.commands:
            requests.add((command.module, None))
            requests.update((command.module, sub) for sub in command.subcommands)
    return requests


def helps_of(module: str, lookup: HelpLookup = doc_facts.module_help) -> list[doc_facts.Help]:
    """A module's help and, when it has sub-commands, each sub-command's help."""
    top = lookup(module, None)
    helps = [top]
    for sub in sorted(top.subcommands or ()):
        sub_help = lookup(module, sub)
        if sub_help.returncode == 0:
            helps.append(sub_help)
    return helps


def command_problems(claims: Claims, lookup: HelpLookup = doc_facts.module_help) -> list[str]:
    problems = []
    for command in claims.commands:
        problems.extend(_command_problems(command, lookup))
    return problems


def _command_problems(command: Command, lookup: HelpLookup) -> list[str]:
    shown = f"`{doc_facts.invocation(command.module)}`"
    top = lookup(command.module, None)
    if top.returncode != 0:
        return [
            f"{command.where}: {shown} does not run ({top.why()}): "
            "fix the module name in the doc, or land the module"
        ]
    problems = []
    helps = [top]
    for sub in command.subcommands:
        if not top.lists(sub):
            problems.append(
                f"{command.where}: {shown} has no sub-command {sub!r} in its --help: "
                f"use one it lists ({', '.join(sorted(top.subcommands or ())) or 'it takes none'})"
            )
            continue
        sub_help = lookup(command.module, sub)
        if sub_help.returncode == 0:
            helps.append(sub_help)
    for flag in command.flags:
        if not any(h.mentions(flag) for h in helps):
            sub = f" {command.subcommands[0]}" if command.subcommands else ""
            where = f"{doc_facts.invocation(command.module)}{sub}"
            problems.append(
                f"{command.where}: {flag} is not in `{where} --help`: fix the doc or add the flag"
            )
    return problems


def flag_problems(
    claims: Claims, fallback_modules: set[str], lookup: HelpLookup = doc_facts.module_help
) -> list[str]:
    """Flags written on their own must belong to a module the document runs (or the wrapper's)."""
    own = {command.module for command in claims.commands}
    problems = []
    for where, flag, module in claims.flags:
        modules = {module} if module else (own or fallback_modules)
        helps = [h for m in sorted(modules) for h in helps_of(m, lookup) if h.returncode == 0]
        if not any(h.mentions(flag) for h in helps):
            names = ", ".join(doc_facts.invocation(m) for m in sorted(modules)) or "no documented module"
            problems.append(f"{where}: {flag} is in no --help of {names}: fix the doc or add the flag")
    return problems


def any_tool_flag_problems(claims: Claims, helps: list[doc_facts.Help]) -> list[str]:
    """For code: a flag a message names bare must be in one of these helps (every tool's).

    A message often names another tool's flag ("run the migrations first, or pass --migrate"),
    so a document's rule (a flag belongs to what the document runs) does not fit code.
    """
    return [
        f"{where}: {flag} is in no tool's --help (nor scripts/docker.sh's usage): "
        "fix the text or add the flag"
        for where, flag, _ in claims.flags
        if not any(h.mentions(flag) for h in helps)
    ]


def route_problems(claims: Claims, routes: frozenset[str] | None = None) -> list[str]:
    """Every `/api/...` or `/health/...` named must be a route of the app, or lead to one.

    A value in a path (`{student_id}`, a template's `${id}`, an f-string's field) matches any
    segment; a prefix (`/api/v1/auth`, a router's) or `/health/*` is true when routes are under it.
    """
    known = [_segments(route) for route in (doc_facts.api_routes() if routes is None else routes)]
    problems = []
    for where, route in claims.routes:
        named = _segments(route.removesuffix("/*").rstrip("/"))
        if not any(len(named) <= len(r) and all(map(_same_segment, named, r)) for r in known):
            problems.append(f"{where}: {route} is not a route of the app (its OpenAPI): fix the path")
    return problems


def _segments(path: str) -> list[str]:
    return path.split("?", 1)[0].rstrip("/").split("/")


def _same_segment(named: str, real: str) -> bool:
    return named == real or "{" in named or "{" in real


def ps1_problems(claims: Claims, declared: frozenset[str] | None = None) -> list[str]:
    names = doc_facts.ps1_parameters() if declared is None else declared
    lowered = {name.lower() for name in names}
    return [
        f"{where}: -{switch} is not a parameter of DOCKER.ps1: use one of "
        f"{', '.join('-' + n for n in sorted(names))}"
        for where, switch in claims.ps1_switches
        # PowerShell parameter names are case-insensitive.
        if switch.lower() not in lowered
    ]


def make_problems(claims: Claims) -> list[str]:
    targets, variables = doc_facts.make_targets(), doc_facts.make_variables()
    problems = [
        f"{where}: `make {target}` is not a Makefile target: see `make help`"
        for where, target in claims.make_targets
        if target not in targets
    ]
    problems += [
        f"{where}: `make ... {name}=` sets a variable the Makefile never reads"
        for where, name in claims.make_variables
        if name not in variables
    ]
    return problems


def docker_sh_problems(claims: Claims) -> list[str]:
    commands = doc_facts.docker_sh_commands()
    return [
        f"{where}: `scripts/docker.sh {command}` is not a command of scripts/docker.sh: "
        f"use one of {', '.join(sorted(commands))}"
        for where, command in claims.docker_sh_commands
        if command not in commands
    ]


def variable_problems(claims: Claims, known: frozenset[str] | None = None) -> list[str]:
    names = doc_facts.known_variables() if known is None else known
    return [
        f"{where}: {name} is not a setting (backend/config.py Settings, .env.example) nor a variable "
        "anything in the repository reads: fix the name"
        for where, name in claims.variables
        if name not in names
    ]


def link_problems(claims: Claims, doc_path: Path) -> list[str]:
    problems = []
    for where, target in claims.links:
        if target.startswith(("http://", "https://", "mailto:", "#")):
            continue
        path = target.split("#", 1)[0]
        if path and not (doc_path.parent / path).exists():
            problems.append(f"{where}: link target {target} does not exist: fix the path")
    return problems


def fence_problems(claims: Claims) -> list[str]:
    return [f"{where}: {problem}" for where, problem in claims.fence_problems]
