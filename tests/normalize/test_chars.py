"""Tests for toolkit.normalize.chars: what counts as a Chinese character."""

from __future__ import annotations

import pytest

from toolkit.normalize import contains_chinese, is_chinese_char


@pytest.mark.parametrize(
    ("char", "expected"),
    [
        ("政", True),  # CJK Unified Ideographs
        ("㐀", True),  # extension A, first
        ("䶿", True),  # extension A, last
        ("豈", True),  # U+F900 compatibility ideograph
        ("𠀀", True),  # extension B
        ("𫝈", True),  # extension C, produced by OpenCC from 㑮
        ("，", False),
        ("。", False),
        ("“", False),
        ("〇", False),  # ideographic number zero is not an ideograph
        ("\u3000", False),
        ("A", False),
        ("ア", False),
        ("한", False),
        ("", False),
        ("政府", False),  # not a single character
    ],
)
def test_is_chinese_char(char: str, expected: bool) -> None:
    assert is_chinese_char(char) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1+x证书", True),
        ("“十四五”", True),
        ("1+x", False),
        ("，。！？", False),
        ("", False),
    ],
)
def test_contains_chinese(text: str, expected: bool) -> None:
    assert contains_chinese(text) is expected
