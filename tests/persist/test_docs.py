"""docs/models.md: the example of sharing a fitted model runs as a reader copies it."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _sharing_blocks() -> list[str]:
    text = (ROOT / "docs" / "models.md").read_text(encoding="utf-8")
    section = text.split("## Sharing a fitted model", 1)[1]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    return [textwrap.dedent(block) for block in blocks]


def test_the_sharing_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    blocks = _sharing_blocks()
    assert len(blocks) == 3
    namespace: dict = {}
    for i, block in enumerate(blocks):
        exec(compile(block, f"docs/models.md: sharing, block {i + 1}", "exec"), namespace)
    assert namespace["manifest"]["class"] == "TermDetector"
    assert namespace["manifest"]["format_version"] == 1
    assert (
        namespace["shared"]
        .detect("坚持一线工作法")
        .equals(namespace["detector"].detect("坚持一线工作法"))
    )
