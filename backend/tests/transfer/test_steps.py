"""One step list: the code's, the docs' and the report's phases name the same steps in one order."""

from __future__ import annotations

import re

from backend.config import REPO_ROOT
from backend.transfer.steps import STEPS

NAMES = [step.name for step in STEPS]


def test_the_tool_docs_list_the_steps_of_the_code_by_name_and_title() -> None:
    text = (REPO_ROOT / "docs" / "MIGRATION_TOOL.md").read_text()
    section = text.split("## What it does, in order", 1)[1].split("\n## ", 1)[0]
    items = [" ".join(item.split()) for item in re.split(r"^(?=\d+\. )", section, flags=re.MULTILINE)[1:]]
    assert [re.match(r"\d+\. \*\*(\w+)\*\*", item).group(1) for item in items] == NAMES  # type: ignore[union-attr]
    for item, step in zip(items, STEPS, strict=True):
        assert item.startswith(f"{step.number}. **{step.name}** — {step.title}"), item[:120]


def test_the_phases_the_guide_shows_are_steps_in_their_order() -> None:
    guide = (REPO_ROOT / "docs" / "POSTGRES_MIGRATION_GUIDE.md").read_text()
    lines = re.findall(r"^total time [\d.]+s \((.*)\)$", guide, flags=re.MULTILINE)
    assert lines
    for line in lines:
        phases = [phase.rsplit(" ", 1)[0] for phase in line.split(", ")]
        assert set(phases) <= set(NAMES), phases
        assert phases == sorted(phases, key=NAMES.index)
