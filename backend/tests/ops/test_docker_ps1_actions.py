"""DOCKER.ps1's Compose calls, -Restore and -Migrate, read from its syntax tree.

PowerShell cannot run here, so these check what the script would do: which files every
Compose call names, what -Restore copies and passes to the restore tool, and what guards each
step. scripts/docker.sh, which does the same and can run, is exercised for real in
test_docker_sh_actions.py and test_docker_sh_container.py.
"""

from __future__ import annotations

import re

import yaml
from tree_sitter import Node

from backend.tests.ops.ps1_tree import SCRIPT, Call, calls, functions, root, text, walk
from backend.tests.ops.sh_harness import REPO

COMPOSE_CALLS = ("Invoke-Compose", "Test-Compose", "Get-ComposeOutput")
TREE = root()
FUNCTIONS = functions(TREE)


def enclosing_function(node: Node) -> str | None:
    parent = node.parent
    while parent is not None and parent.type != "function_statement":
        parent = parent.parent
    return None if parent is None else text(parent.children[1])


def assignments(function: str, variable: str) -> list[str]:
    """The right-hand sides assigned to variable inside function."""
    found = []
    for node in walk(FUNCTIONS[function]):
        if node.type == "assignment_expression" and text(node.children[0]).lower() == variable.lower():
            found.append(text(node.children[-1]))
    return found


def compose(function: str) -> list[Call]:
    return calls(FUNCTIONS[function], *COMPOSE_CALLS)


def test_only_get_compose_base_names_compose_files() -> None:
    places = []
    for node in walk(TREE):
        array = node.parent.parent if node.parent and node.parent.parent else node
        words = [w for w in re.findall(r"'([^']*)'", text(array))]
        if node.type == "string_literal" and text(node) == "'compose'" and words[1:2] != ["version"]:
            places.append(enclosing_function(node))
        if node.type == "variable" and text(node) == "$ComposeFile" and enclosing_function(node):
            places.append(enclosing_function(node))
    assert set(places) == {"Get-ComposeBase"}, places


def test_get_compose_base_adds_the_override_when_it_exists() -> None:
    (override,) = [node for node in walk(TREE) if node.type == "assignment_expression" and
                   text(node.children[0]) == "$OverrideFile"]  # fmt: skip
    assert text(override.children[-1]) == "Join-Path $Root 'docker-compose.override.yml'"
    body = text(FUNCTIONS["Get-ComposeBase"])
    assert (
        "if (Test-Path -LiteralPath $OverrideFile -PathType Leaf) { $base += @('-f', $OverrideFile) }" in body
    )
    assert body.index("'-f', $ComposeFile") < body.index("'-f', $OverrideFile")


def test_restore_passes_a_bare_name_and_yes() -> None:
    (restore,) = [c for c in compose("Invoke-Restore") if "backend.scripts.backup" in c.words]
    assert restore.words == ("exec", "-T", "app", "python", "-m", "backend.scripts.backup", "restore",
                             "$name", "--yes")  # fmt: skip
    assert assignments("Invoke-Restore", "$name") == ["$File", "Split-Path -Leaf $localPath"]


def test_restore_copies_the_backup_and_its_metadata_only_for_a_local_file() -> None:
    copies = [c for c in compose("Invoke-Restore") if c.words[:1] == ("cp",)]
    assert [c.words for c in copies] == [
        ("cp", "$localPath", "app:$target"),
        ("cp", "$localPath.meta.json", "app:$target.meta.json"),
    ]
    assert all(c.guards[-1] == "$localPath" for c in copies)
    (chown,) = [c for c in compose("Invoke-Restore") if "chown" in c.words]
    assert chown.words[-3:] == ("10001:10001", "$target", "$target.meta.json")
    assert assignments("Invoke-Restore", "$target") == ['"$ContainerBackups/$name"']


def test_restore_checks_the_metadata_and_asks_before_copying() -> None:
    function = FUNCTIONS["Invoke-Restore"]
    (docker,) = calls(function, "Assert-Docker")
    metadata = [c for c in calls(function, "Test-Path") if "$localPath.meta.json" in c.words]
    assert metadata and metadata[0].line < docker.line, "the metadata must be checked before Docker"
    fails = calls(function, "Fail")
    assert any("has no metadata file beside it" in " ".join(f.words) for f in fails)
    (confirm,) = calls(function, "Confirm-Action")
    first_copy = next(c for c in compose("Invoke-Restore") if c.words[:1] == ("cp",))
    assert confirm.line < first_copy.line


def test_restore_removes_its_copy_when_the_restore_fails() -> None:
    removals = calls(FUNCTIONS["Invoke-Restore"], "Remove-Copy")
    assert [(r.words, r.guards[0]) for r in removals] == [
        (("$target",), "$LASTEXITCODE -ne 0"),
        (("$target",), "$localPath"),
    ]
    (rm,) = compose("Remove-Copy")
    assert rm.words[-5:] == ("rm", "-f", "--", "$Target", "$Target.meta.json")


def test_a_dry_run_does_not_stop_the_app() -> None:
    (stop,) = [c for c in compose("Invoke-Migrate") if c.words == ("stop", "app")]
    assert stop.guards == ("-not $DryRun",)
    (run,) = [c for c in compose("Invoke-Migrate") if c.words[:1] == ("run",)]
    assert run.guards == ()


def test_migrate_leaves_the_target_to_the_container_settings() -> None:
    # The tool's fallback (DATABASE_ENGINE=postgresql + POSTGRES_*) is what test_docker_sh_container
    # proves against a real server; both wrappers must hand the container the same variables.
    literals = {text(node).strip("'\"") for node in walk(TREE) if node.type == "string_literal"}
    assert "--postgres-url" not in literals and "--sqlite-path" in literals
    (ps1_keys,) = re.findall(r"^\$PgPassthroughKeys = @\(([^)]+)\)", SCRIPT.read_text(), re.MULTILINE)
    sh = (REPO / "scripts" / "docker.sh").read_text()
    (sh_keys,) = re.findall(r'^PG_PASSTHROUGH_KEYS="([^"]+)"', sh, re.MULTILINE)
    compose_file = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    bare = {item for item in compose_file["services"]["app"]["environment"] if "=" not in item}
    assert set(re.findall(r"'(\w+)'", ps1_keys)) == set(sh_keys.split()) == bare
