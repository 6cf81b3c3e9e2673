"""docs/CLI.md, the one page on the command-line tools, says what the code says: every installed
command with its `python -m` form, and the exit-code table of backend/cli/exit_codes.py."""

from __future__ import annotations

import re

from backend.cli import exit_codes
from backend.tests.docs import doc_facts

CLI_DOC = doc_facts.REPO / "docs" / "CLI.md"
COMMAND_ROW = re.compile(r"^\| `(sms-[a-z]+)` \| `python -m ([\w.]+)[^`]*` \|", re.M)
EXIT_ROW = re.compile(r"^\| (\d+) \| ([A-Z]+) \| (.+) \|$", re.M)


def documented_commands() -> dict[str, str]:
    """docs/CLI.md's table: installed command -> the module its `python -m` form runs."""
    return dict(COMMAND_ROW.findall(CLI_DOC.read_text(encoding="utf-8")))


def test_every_installed_command_is_documented_with_its_python_m_form() -> None:
    documented = documented_commands()
    assert set(documented) == set(doc_facts.entry_points()), "docs/CLI.md and pyproject [project.scripts]"
    # backend/tests/cli checks that each pair is one program (the same --help).


def test_the_exit_code_table_is_the_codes_table() -> None:
    rows = EXIT_ROW.findall(CLI_DOC.read_text(encoding="utf-8"))
    assert [(int(code), name, text) for code, name, text in rows] == [
        (code, exit_codes.NAMES[code], exit_codes.MEANINGS[code]) for code in sorted(exit_codes.MEANINGS)
    ]
    for code, name in exit_codes.NAMES.items():
        assert getattr(exit_codes, name) == code


def test_the_docs_link_the_page_instead_of_listing_the_codes_again() -> None:
    for doc in ("README.md", "docs/BACKUPS.md", "docs/MIGRATION_TOOL.md"):
        text = (doc_facts.REPO / doc).read_text(encoding="utf-8")
        assert "CLI.md" in text, f"{doc} does not link docs/CLI.md"
    backups = (doc_facts.REPO / "docs" / "BACKUPS.md").read_text(encoding="utf-8")
    assert "| exit code |" not in backups.lower(), "docs/BACKUPS.md lists the exit codes again"
