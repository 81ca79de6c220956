"""Tests for the public surface of toolkit.normalize and its import cost."""

from __future__ import annotations

import subprocess
import sys

import toolkit.normalize


def test_importing_normalize_does_not_import_opencc() -> None:
    # A fresh interpreter: this test process may already have loaded OpenCC.
    code = (
        "import sys, toolkit.normalize\n"
        "print('opencc' in sys.modules)\n"
        "toolkit.normalize.to_simplified('國')\n"
        "print('opencc' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    # The second line proves the check can see OpenCC once it is really used.
    assert result.stdout.split() == ["False", "True"]


def test_package_reexports_the_public_functions() -> None:
    assert set(toolkit.normalize.__all__) == {
        "ascii_punctuation_to_fullwidth",
        "collapse_whitespace",
        "compose",
        "contains_chinese",
        "fullwidth_to_halfwidth",
        "is_chinese_char",
        "normalize",
        "remove_control_characters",
        "to_simplified",
        "unify_quotes",
    }
