"""DOCKER.ps1: parses cleanly, its -Help matches its parameters, and it never prints a secret.

There is no PowerShell here, so the tree-sitter PowerShell grammar stands in for the parser.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from backend.tests.ops.ps1_tree import PARSER, SCRIPT, text, walk

OUTPUT_COMMANDS = {
    "write-host", "write-output", "write-warning", "write-error", "write-information",
    "write-verbose", "write-debug", "write-success", "fail", "echo", "out-host",
}  # fmt: skip
SECRET_VARIABLE = re.compile(r"password|secret|token", re.IGNORECASE)
SECRET_KEYS = ("POSTGRES_PASSWORD", "SECRET_KEY", "DEFAULT_ADMIN_PASSWORD")
# Expressions that can look a secret up by name, e.g. $(Get-EnvValue $v 'SECRET_KEY'), $h['...'].
LOOKUPS = {"sub_expression", "element_access", "member_access", "parenthesized_expression"}


def parse_problems(source: bytes) -> list[str]:
    """Each ERROR or MISSING node as 'line N: ...'."""
    root = PARSER.parse(source).root_node
    problems = [node for node in walk(root) if node.type == "ERROR" or node.is_missing]
    return [
        f"line {n.start_point[0] + 1}: {'MISSING' if n.is_missing else 'ERROR'} {text(n)[:60]!r}"
        for n in problems
    ]


def secret_leaks(source: bytes) -> list[str]:
    """Output commands that interpolate a password or secret value, as 'line N: ...'."""
    leaks = []
    for node in walk(PARSER.parse(source).root_node):
        if node.type != "command" or text(node.children[0]).lower() not in OUTPUT_COMMANDS:
            continue
        for part in walk(node):
            leaky_variable = part.type == "variable" and SECRET_VARIABLE.search(text(part))
            lookup = part.type in LOOKUPS
            if leaky_variable or (lookup and any(key in text(part) for key in SECRET_KEYS)):
                leaks.append(f"line {part.start_point[0] + 1}: {text(node)[:80]}")
                break
    return leaks


def _declared_parameters(root: Node) -> list[str]:
    block = next(node for node in walk(root) if node.type == "param_block")
    params = [node for node in walk(block) if node.type == "script_parameter"]
    variables = [child for node in params for child in node.children if child.type == "variable"]
    return [text(variable).lstrip("$") for variable in variables]


def test_script_parses_without_errors() -> None:
    assert parse_problems(SCRIPT.read_bytes()) == []


def test_parser_check_reports_a_broken_script() -> None:
    broken = b"param([switch]$Start)\nif ($Start) {\n    Write-Host ('unclosed'\n"
    assert parse_problems(broken), "the parser check accepted a broken script"


def test_help_lists_exactly_the_parameters_and_each_is_handled() -> None:
    source = SCRIPT.read_text()
    root = PARSER.parse(source.encode()).root_node
    declared = {name.lower(): name for name in _declared_parameters(root)}
    help_match = re.search(r"\$HelpText = @'\n(.*?)\n'@", source, re.DOTALL)
    assert help_match, "DOCKER.ps1 should keep its help in a $HelpText here-string"
    in_help = {name.lower() for name in re.findall(r"(?<![\w-])-([A-Z][A-Za-z]+)", help_match[1])}
    assert in_help == set(declared), f"help {sorted(in_help)} vs param {sorted(declared)}"
    param_block_end = next(n for n in walk(root) if n.type == "param_block").end_byte
    used = {
        text(node).lstrip("$").lower()
        for node in walk(root)
        if node.type == "variable" and node.start_byte > param_block_end
    }
    assert set(declared) <= used, f"declared but never handled: {sorted(set(declared) - used)}"


def test_script_never_prints_a_secret() -> None:
    assert secret_leaks(SCRIPT.read_bytes()) == []


def test_secret_check_catches_leaks() -> None:
    leaky = (
        b'Write-Host "password: $env:POSTGRES_PASSWORD"\n'
        b"Write-Output \"key $($values['SECRET_KEY'])\"\n"
        b'Write-Host "masked: $maskedUrl"\n'
        b"Write-Host $generated['DEFAULT_ADMIN_PASSWORD']\n"
        b"Fail (Get-EnvValue $v 'POSTGRES_PASSWORD')\n"
        b'Write-Warning "POSTGRES_PASSWORD is empty"\n'
    )
    lines = [leak.split(":")[0] for leak in secret_leaks(leaky)]
    assert lines == ["line 1", "line 2", "line 4", "line 5"]


def test_script_is_ascii() -> None:
    # Windows PowerShell 5.1 reads a BOM-less script as ANSI: UTF-8 punctuation such as a curly
    # quote decodes to characters it treats as string delimiters.
    bad = [n for n, line in enumerate(SCRIPT.read_bytes().splitlines(), 1) if not line.isascii()]
    assert bad == [], f"non-ASCII on lines {bad}"
