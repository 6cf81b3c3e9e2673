"""Read what a Markdown document, or a string in code, claims about the project's commands,
flags, targets, settings and routes.

Pure text in, claims out: nothing here looks at the project, so the negative controls can feed
it made-up text. In a document, code spans and fenced blocks are where claims live; prose is
ignored, so "make sure" or "python -m is fine" in a sentence is never mistaken for a command.
A message in code rarely uses backticks, so read_code_string also reads its prose, narrowly.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
PROMPT = re.compile(r"^\s*(?:\$|>|PS(?: [^>]*)?>)\s+")
PYTHON_M = re.compile(
    r"(?:^|(?<=[\s;&|(]))[^\s;&|(`]*?\b(?:python[0-9.]*|py)(?:\.exe)?\s+-m\s+([A-Za-z_][\w.]*\w)(.*)$"
)
# `python bench/api/run.py --flag`: a script, named by its path, checked like a module.
PYTHON_SCRIPT = re.compile(
    r"(?:^|(?<=[\s;&|(]))[^\s;&|(`]*?\b(?:python[0-9.]*|py)(?:\.exe)?\s+((?:[\w.-]+/)*[\w-]+\.py)\b(.*)$"
)
PS1 = re.compile(r"DOCKER\.ps1\b(.*)$")
PS1_SWITCH = re.compile(r"^-([A-Z][A-Za-z]+)$")
# A span that is only a PowerShell switch: `-Start`, `-Restore FILE`. Two letters (`-Fc`) is
# pg_dump's, not ours.
LONE_SWITCH = re.compile(r"^-((?=[A-Za-z]{3})[A-Z][a-z]+(?:[A-Z][a-z]+)*)(?:\s|$)")
MAKE = re.compile(r"(?:^|(?<=[;&|(]))\s*make\s+(.*)$")
DOCKER_SH = re.compile(r"scripts/docker\.sh\s+([a-z][\w-]*)(.*)$")
LONG_FLAG = re.compile(r"^--([a-z0-9][\w-]*)(?:=.*)?$")
SHORT_FLAG = re.compile(r"^-[a-zA-Z]$")
BARE_FLAG = re.compile(r"(?<![\w-])--[a-z0-9][\w-]*")
SUBCOMMAND = re.compile(r"^[a-z][\w-]*(?:\|[a-z][\w-]*)*$")
ASSIGNMENT = re.compile(r"(?<![\w$:{])([A-Z][A-Z0-9_]{2,})=")
YAML_KEY = re.compile(r"^\s+-?\s*([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+):\s")
LONE_NAME = re.compile(r"^\$?(?:env:)?([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)$")
PLACEHOLDER = re.compile(r"[*<>]|\.\.\.")
STOP_TOKENS = {"|", "||", "&&", ";", "&", ")", "<", ">", ">>", "2>&1", "*>"}
# In a message's prose: `make X` only where it reads as a command ("run make X", "(make X)"),
# so "make another admin first" is not a target. One target: the words after it are prose.
PROSE_MAKE = re.compile(r"(?:^|(?<=[(`])|(?<=\brun )|(?<=\bRun ))make ([a-z][\w-]*)")
# A route of the app: /api/... or /health/..., up to a quote, space, query or punctuation.
ROUTE = re.compile(r"(?<![\w/.$-])/(?:api|health)(?=[/\s\"'`?),;:.]|$)[^\s\"'`?),;:]*")
# A docker.sh command in a message's prose: "run scripts/docker.sh mode" (not "scripts/docker.sh and").
PROSE_DOCKER_SH = re.compile(r"\b[Rr]un scripts/docker\.sh ([a-z][\w-]*)")
MIGRATION_TOOL = "backend.scripts.migrate_sqlite_to_postgres"


@dataclass(frozen=True)
class Where:
    doc: str
    line: int

    def __str__(self) -> str:
        return f"{self.doc}:{self.line}"


@dataclass(frozen=True)
class Command:
    """`python -m module [sub-command] --flag ...` (or `python path/script.py ...`) as written."""

    where: Where
    module: str
    subcommands: tuple[str, ...]
    flags: tuple[str, ...]
    text: str


@dataclass
class Claims:
    commands: list[Command] = field(default_factory=list)
    # Flags written on their own (`--no-truncate`, a table cell): the module is None, meaning
    # "one this document runs"; flags a wrapper passes on name the module they go to.
    flags: list[tuple[Where, str, str | None]] = field(default_factory=list)
    ps1_switches: list[tuple[Where, str]] = field(default_factory=list)
    make_targets: list[tuple[Where, str]] = field(default_factory=list)
    make_variables: list[tuple[Where, str]] = field(default_factory=list)
    docker_sh_commands: list[tuple[Where, str]] = field(default_factory=list)
    variables: list[tuple[Where, str]] = field(default_factory=list)
    links: list[tuple[Where, str]] = field(default_factory=list)
    fence_problems: list[tuple[Where, str]] = field(default_factory=list)
    routes: list[tuple[Where, str]] = field(default_factory=list)


def _tokens(text: str) -> list[str]:
    try:
        raw = shlex.split(text, comments=False, posix=True)
    except ValueError:
        raw = text.split()
    tokens = []
    for token in raw:
        if token in STOP_TOKENS or token.startswith(("#", ">", "2>", "|")):
            break
        tokens.append(token.strip("[]"))
    return [t for t in tokens if t]


def _flags(tokens: list[str]) -> tuple[str, ...]:
    found = []
    for token in tokens:
        match = LONG_FLAG.match(token)
        if match:
            found.append(f"--{match.group(1)}")
        elif SHORT_FLAG.match(token):
            found.append(token)
    return tuple(found)


class _Reader:
    def __init__(self, doc: str) -> None:
        self.doc = doc
        self.claims = Claims()

    def code(self, text: str, where: Where, *, in_span: bool) -> None:
        """Everything a line of code (a fenced line or a code span) can claim."""
        text = PROMPT.sub("", text)
        match = PYTHON_M.search(text) or PYTHON_SCRIPT.search(text)
        if match:
            self._python(match.group(1), match.group(2), where, text.strip())
        for match in PS1.finditer(text):
            for token in _tokens(match.group(1)):
                switch = PS1_SWITCH.match(token)
                if switch:
                    self.claims.ps1_switches.append((where, switch.group(1)))
        make = MAKE.search(text)
        if make:
            self._make(make.group(1), where)
        sh = DOCKER_SH.search(text)
        if sh:
            self.claims.docker_sh_commands.append((where, sh.group(1)))
            if sh.group(1) == "migrate":
                for flag in _flags(_tokens(sh.group(2))):
                    self.claims.flags.append((where, flag, MIGRATION_TOOL))
        for name in ASSIGNMENT.findall(text):
            self.claims.variables.append((where, name))
        if in_span:
            self._lone_span(text.strip(), where)
        else:
            yaml_key = YAML_KEY.match(text)
            if yaml_key:
                self.claims.variables.append((where, yaml_key.group(1)))

    def _python(self, module: str, rest: str, where: Where, text: str) -> None:
        if rest.startswith((".", "*", "<")):
            return  # a placeholder such as `python -m backend...`, not a command
        tokens = _tokens(rest)
        subcommands: tuple[str, ...] = ()
        if tokens and SUBCOMMAND.match(tokens[0]):
            subcommands = tuple(tokens[0].split("|"))
        self.claims.commands.append(Command(where, module, subcommands, _flags(tokens), text))

    def _make(self, rest: str, where: Where) -> None:
        for token in _tokens(rest):
            if token.startswith("-"):
                continue
            if "=" in token:
                name, _, value = token.partition("=")
                self.claims.make_variables.append((where, name))
                if name == "ARGS":
                    for flag in _flags(_tokens(value)):
                        self.claims.flags.append((where, flag, MIGRATION_TOOL))
                continue
            if not PLACEHOLDER.search(token):
                self.claims.make_targets.append((where, token))

    def _lone_span(self, span: str, where: Where) -> None:
        if span.startswith("--"):
            for flag in _flags(_tokens(span)):
                self.claims.flags.append((where, flag, None))
        switch = LONE_SWITCH.match(span)
        if switch:
            self.claims.ps1_switches.append((where, switch.group(1)))
        name = LONE_NAME.match(span)
        if name:
            self.claims.variables.append((where, name.group(1)))

    def prose(self, lines: list[tuple[int, str]]) -> None:
        """A paragraph: its code spans, its links, and bare flags in table rows."""
        joined = " ".join(text for _, text in lines)
        first = lines[0][0]
        offsets = []
        position = 0
        for number, text in lines:
            offsets.append((position, number))
            position += len(text) + 1

        def line_of(index: int) -> Where:
            number = first
            for start, line in offsets:
                if start <= index:
                    number = line
            return Where(self.doc, number)

        for match in CODE_SPAN.finditer(joined):
            self.code(match.group(2), line_of(match.start()), in_span=True)
        for match in LINK.finditer(CODE_SPAN.sub("", joined)):
            self.claims.links.append((line_of(match.start()), match.group(1)))
        for number, text in lines:
            if text.lstrip().startswith("|"):
                for flag in BARE_FLAG.findall(CODE_SPAN.sub("", text)):
                    self.claims.flags.append((Where(self.doc, number), flag, None))


def _logical_lines(block: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join lines continued with a PowerShell backtick or a shell backslash."""
    joined: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, text in block:
        start, prefix = pending if pending else (number, "")
        stripped = text.rstrip()
        if stripped.endswith(("`", "\\")) and not stripped.endswith("```"):
            pending = (start, prefix + stripped[:-1] + " ")
            continue
        joined.append((start, prefix + text))
        pending = None
    if pending:
        joined.append(pending)
    return joined


def read_claims(doc: str, text: str, *, first_line: int = 1) -> Claims:
    """Every claim of one Markdown document; `doc` names it in the locations."""
    reader = _Reader(doc)
    _read_markdown(reader, text, first_line)
    return reader.claims


def read_code_string(doc: str, line: int, text: str) -> Claims:
    """What a user-facing string in code (a message, a help text, a label) claims.

    Its code spans are read as in a document. Its prose is read too, narrowly: a `python -m`
    command up to the first `,` `;` or `)`, `make X` where it reads as a command, a
    `run scripts/docker.sh X`, DOCKER.ps1 switches, flags (`--x`) in a sentence (a lone
    `--x` is an argument list's, not a message's), and routes (`/api/...`, `/health/...`).
    """
    reader = _Reader(doc)
    _read_markdown(reader, text, line)
    for number, prose in enumerate(CODE_SPAN.sub(" ", text).splitlines(), start=line):
        where = Where(doc, number)
        match = PYTHON_M.search(prose) or PYTHON_SCRIPT.search(prose)
        if match:
            rest = re.split(r"[,;)]", match.group(2), maxsplit=1)[0]
            reader._python(match.group(1), rest, where, prose.strip())
            prose = prose[: match.start()] + prose[match.start(2) + len(rest) :]  # its flags are read
        reader.claims.make_targets.extend((where, target) for target in PROSE_MAKE.findall(prose))
        reader.claims.docker_sh_commands.extend((where, sh) for sh in PROSE_DOCKER_SH.findall(prose))
        for ps1 in PS1.finditer(prose):
            for token in _tokens(ps1.group(1)):
                switch = PS1_SWITCH.match(token.rstrip(".,:"))
                if switch:
                    reader.claims.ps1_switches.append((where, switch.group(1)))
        if " " in text.strip():
            reader.claims.flags.extend((where, flag, None) for flag in BARE_FLAG.findall(prose))
    reader.claims.routes.extend(_routes(doc, line, text))
    return reader.claims


def read_code_line(doc: str, line: int, text: str) -> Claims:
    """What one line of a script or a Makefile recipe runs: its commands, targets and routes."""
    reader = _Reader(doc)
    reader.code(text, Where(doc, line), in_span=False)
    reader.claims.variables.clear()  # a script's own variables are not settings
    reader.claims.routes.extend(_routes(doc, line, text))
    return reader.claims


def _routes(doc: str, line: int, text: str) -> list[tuple[Where, str]]:
    return [
        (Where(doc, line + text.count("\n", 0, match.start())), match.group(0).rstrip("."))
        for match in ROUTE.finditer(text)
    ]


def _read_markdown(reader: _Reader, text: str, first_line: int) -> None:
    doc = reader.doc
    fence: tuple[str, int, int] | None = None
    block: list[tuple[int, str]] = []
    paragraph: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=first_line):
        match = FENCE.match(line)
        if fence is None:
            if match:
                if paragraph:
                    reader.prose(paragraph)
                    paragraph = []
                fence, block = (match.group(1)[0], len(match.group(1)), number), []
            elif line.strip():
                paragraph.append((number, line))
            elif paragraph:
                reader.prose(paragraph)
                paragraph = []
            continue
        char, length, opened = fence
        closes = match and match.group(1)[0] == char and len(match.group(1)) >= length
        if closes and match and match.group(2).strip():
            # CommonMark reads "```text" as content, so the block never closes where intended.
            reader.claims.fence_problems.append(
                (
                    Where(doc, number),
                    f"'{line.strip()}' inside the block opened on line {opened}: "
                    "a closing fence takes no info string",
                )
            )
            continue
        if closes:
            for start, logical in _logical_lines(block):
                reader.code(logical, Where(doc, start), in_span=False)
            fence = None
            continue
        block.append((number, line))
    if paragraph:
        reader.prose(paragraph)
    if fence is not None:
        reader.claims.fence_problems.append(
            (Where(doc, fence[2]), "code block never closed: add a closing fence")
        )
