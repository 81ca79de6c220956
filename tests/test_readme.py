"""The README's quick start runs as a newcomer copies it, from the repository's root."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_quick_start_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    quick_start = _python_blocks()[0]
    namespace: dict = {}
    exec(compile(quick_start, "README.md: quick start", "exec"), namespace)
    terms = namespace["detector"].terms_
    # The table opens with official terms, not with a time phrase every town writes.
    assert "今年以来" not in set(terms["term"])
    assert len(namespace["tokens"]) == len(namespace["corpus"])
