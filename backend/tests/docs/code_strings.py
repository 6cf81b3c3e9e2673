"""The user-facing text in code, as claims: what each string, help text and script line names.

Where it looks: Python under backend/ (not the tests, whose strings are made up on purpose)
and scripts/; the web app's i18n catalogues and components; the Makefile's help texts and
recipes; DOCKER.ps1 and scripts/docker.sh. What a piece of text claims is read by
doc_claims, as for the docs; doc_check holds the claims against doc_facts.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from backend.tests.docs.doc_claims import Claims, read_code_line, read_code_string
from backend.tests.docs.doc_facts import REPO

# A value inside an f-string or a template literal: a path segment, a name, a number.
VALUE = "{…}"
TS_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'|`((?:[^`\\]|\\.)*)`')
TS_TEMPLATE_VALUE = re.compile(r"\$\{[^}]*\}")
JSX_TEXT = re.compile(r">([^<>{}]*[A-Za-z][^<>{}]*)<")
MAKE_HELP = re.compile(r"^[A-Za-z0-9_-]+:.*?## (.*)$")
SHELL_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'([^\'\n]*)\'')


def python_strings(source: str) -> Iterator[tuple[int, str]]:
    """Every string constant, an f-string as one string with VALUE for each replacement field."""
    tree = ast.parse(source)
    parts: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = []
            for value in node.values:
                parts.add(id(value))
                text.append(value.value if isinstance(value, ast.Constant) else VALUE)
            yield node.lineno, "".join(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts:
            yield node.lineno, node.value


def frontend_strings(source: str) -> Iterator[tuple[int, str]]:
    """String and template literals, and the text between JSX tags."""
    for pattern in (TS_STRING, JSX_TEXT):
        for match in pattern.finditer(source):
            text = next(group for group in match.groups() if group is not None)
            yield source.count("\n", 0, match.start()) + 1, TS_TEMPLATE_VALUE.sub(VALUE, text)


def shell_strings(source: str) -> Iterator[tuple[int, str]]:
    """The messages of a bash or PowerShell script: quoted strings, and PowerShell's <# help #>."""
    in_help = False
    for number, line in enumerate(source.splitlines(), start=1):
        opens, closes = line.lstrip().startswith("<#"), "#>" in line
        if in_help or opens:
            yield number, line.strip().removeprefix("<#").removesuffix("#>")
            in_help = not closes
            continue
        if line.lstrip().startswith("#"):
            continue
        for match in SHELL_STRING.finditer(line):
            yield number, next(group for group in match.groups() if group is not None)


def shell_code_lines(source: str) -> Iterator[tuple[int, str]]:
    """The lines a script runs: not its comments, not PowerShell's <# help #>."""
    in_help = False
    for number, line in enumerate(source.splitlines(), start=1):
        if in_help or line.lstrip().startswith("<#"):
            in_help = "#>" not in line
            continue
        if not line.lstrip().startswith("#"):
            yield number, line


def python_claims(path: Path, source: str) -> list[Claims]:
    name = _name(path)
    return [read_code_string(name, line, text) for line, text in python_strings(source)]


def frontend_claims(path: Path, source: str) -> list[Claims]:
    name = _name(path)
    return [read_code_string(name, line, text) for line, text in frontend_strings(source)]


def makefile_claims(path: Path, source: str) -> list[Claims]:
    """Each target's help text, and each recipe line as the command it runs."""
    name, found = _name(path), []
    for number, line in enumerate(source.splitlines(), start=1):
        help_text = MAKE_HELP.match(line)
        if help_text:
            found.append(read_code_string(name, number, help_text.group(1)))
        elif line.startswith("\t"):
            command = re.sub(r"\$\((?:PY|PYTHON)\)", "python", line.strip().lstrip("@"))
            found.append(read_code_line(name, number, command))
    return found


def script_claims(path: Path, source: str) -> list[Claims]:
    """A wrapper script's messages, and each line as the command it runs."""
    name = _name(path)
    found = [read_code_string(name, line, text) for line, text in shell_strings(source)]
    return found + [read_code_line(name, line, text) for line, text in shell_code_lines(source)]


def sources() -> list[Path]:
    """The files this check reads, from the repository root."""
    python = [
        path
        for path in [*REPO.glob("backend/**/*.py"), *REPO.glob("scripts/*.py")]
        if "tests" not in path.relative_to(REPO).parts
    ]
    src = REPO / "frontend" / "src"
    frontend = [
        path
        for path in [*src.glob("**/*.ts"), *src.glob("**/*.tsx")]
        if not path.name.endswith((".test.ts", ".test.tsx", ".d.ts")) and "test" not in path.parts
    ]
    wrappers = [REPO / "Makefile", REPO / "DOCKER.ps1", REPO / "scripts" / "docker.sh"]
    return sorted(python) + sorted(frontend) + [path for path in wrappers if path.is_file()]


def claims_of(path: Path, source: str | None = None) -> list[Claims]:
    """What one file's user-facing text claims; `source` stands in for its content (tests)."""
    text = path.read_text(encoding="utf-8") if source is None else source
    if path.suffix == ".py":
        return python_claims(path, text)
    if path.suffix in (".ts", ".tsx"):
        return frontend_claims(path, text)
    if path.name == "Makefile":
        return makefile_claims(path, text)
    return script_claims(path, text)


def _name(path: Path) -> str:
    return path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else path.as_posix()
