"""Read DOCKER.ps1 through the tree-sitter PowerShell grammar (there is no PowerShell here).

What the tests need from the syntax tree: the functions, the commands each one runs with their
literal arguments in order, and the `if` conditions a command is guarded by.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import tree_sitter_powershell
from tree_sitter import Language, Node, Parser

SCRIPT = Path(__file__).resolve().parents[3] / "DOCKER.ps1"
PARSER = Parser(Language(tree_sitter_powershell.language()))


def walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children:
        yield from walk(child)


def text(node: Node) -> str:
    return (node.text or b"").decode()


@dataclass(frozen=True)
class Call:
    """One command: its name, its arguments (quotes stripped, variables as written), where."""

    name: str
    words: tuple[str, ...]
    guards: tuple[str, ...]
    line: int


def root(source: bytes | None = None) -> Node:
    return PARSER.parse(SCRIPT.read_bytes() if source is None else source).root_node


def functions(tree: Node) -> dict[str, Node]:
    found = {}
    for node in walk(tree):
        if node.type == "function_statement":
            name = next(child for child in node.children if child.type == "function_name")
            found[text(name)] = node
    return found


def _words(node: Node) -> Iterator[str]:
    if node.type == "string_literal":
        yield text(node)[1:-1]
    elif node.type == "variable":
        yield text(node)
    else:
        for child in node.children:
            yield from _words(child)


def guards(node: Node) -> tuple[str, ...]:
    """The conditions of the if/elseif blocks around node, innermost first ('else' for else)."""
    found = []
    parent = node.parent
    while parent is not None:
        if parent.type == "statement_block" and parent.parent is not None:
            branch = parent.parent
            if branch.type == "else_clause":
                found.append("else")
            elif branch.type in {"if_statement", "elseif_clause"}:
                kinds = [child.type for child in branch.children]
                found.append(text(branch.children[kinds.index("(") + 1]))
        parent = parent.parent
    return tuple(found)


def calls(node: Node, *names: str) -> list[Call]:
    """The commands called ``names`` inside node, in source order."""
    wanted = {name.lower() for name in names}
    found = []
    for command in walk(node):
        if command.type != "command" or not command.children:
            continue
        name = text(command.children[0]).lower()
        if name in wanted:
            words = tuple(word for child in command.children[1:] for word in _words(child))
            found.append(Call(name, words, guards(command), command.start_point[0] + 1))
    return found
