"""`DOCKER.ps1 -Migrate` and `make docker-migrate` offer every safeguard of the migration tool.

A flag the tool grows (a guard, an opt-out) must reach Docker users too: each of the tool's
options that changes what a move does has a DOCKER.ps1 switch that passes it on, listed in the
script's help, and scripts/docker.sh (which hands its flags to the tool as they are) names it in
its help. Options about where the data is (the wrappers fill them) or how much is printed are
the exceptions, and so are the two options the Control Panel's background job drives the tool
with.
"""

from __future__ import annotations

import re

from backend.scripts.migrate_sqlite_to_postgres import build_parser
from backend.tests.ops.ps1_tree import SCRIPT
from backend.tests.ops.sh_harness import REPO

NOT_PASSED_ON = {"--help", "--sqlite-path", "--postgres-url", "--quiet", "--log-level", "--report-json"}
# The Control Panel's job runs the tool with these: how it reports and when it stops, not what it does.
NOT_PASSED_ON |= {"--progress-json", "--exit-on-stdin-close"}
PASSED_ON = re.compile(r"if \(\$(\w+)\) \{ \$toolArgs \+= (?:@\()?'(--[a-z-]+)'")


def tool_flags() -> set[str]:
    flags = {option for action in build_parser()._actions for option in action.option_strings}
    return {flag for flag in flags if flag.startswith("--")} - NOT_PASSED_ON


def test_every_tool_safeguard_has_a_ps1_switch_that_passes_it_on() -> None:
    script = SCRIPT.read_text()
    passed = dict((flag, switch) for switch, flag in PASSED_ON.findall(script))
    # -BatchSize is tested on $given (0 is a value), so it is written differently.
    if "'--batch-size'" in script:
        passed.setdefault("--batch-size", "BatchSize")
    assert tool_flags() - set(passed) == set()
    help_text = script.split("'@", 1)[0]
    for flag, switch in passed.items():
        assert re.search(rf"^\s+-{switch}\b", help_text, re.MULTILINE), f"-{switch} is not in the help"
        assert flag in help_text or switch == "Yes", f"the help of -{switch} does not name {flag}"
        assert re.search(rf"\[(?:switch|string|int|string\[\])\]\${switch},", script), switch


def test_every_migrate_switch_is_refused_without_migrate() -> None:
    script = SCRIPT.read_text()
    (listed,) = re.findall(r"\$migrateOptions = @\(@\(([^)]*)\)", script, re.DOTALL)
    switches = set(re.findall(r"'(\w+)'", listed))
    passed = {switch for switch, _ in PASSED_ON.findall(script)} | {"BatchSize"}
    assert passed - {"Yes"} == switches


def test_docker_sh_help_names_every_tool_safeguard() -> None:
    help_text = (REPO / "scripts" / "docker.sh").read_text()
    block = help_text[help_text.index("migrate [FLAGS]") : help_text.index("install [--force]")]
    assert {flag for flag in tool_flags() if flag not in block} == set()
