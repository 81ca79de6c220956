"""Tests for toolkit.normalize.whitespace.collapse_whitespace."""

from __future__ import annotations

import pytest

from toolkit.normalize import collapse_whitespace


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("下沉一线摸底 落实工作在基层", "下沉一线摸底 落实工作在基层"),
        ("下沉一线摸底\u3000\u3000落实工作在基层", "下沉一线摸底 落实工作在基层"),
        ("  \u3000乡村振兴\t\t 共同富裕 \u00a0", "乡村振兴 共同富裕"),
        ("\u3000\u3000本报讯 近日，县委召开常委会议。", "本报讯 近日，县委召开常委会议。"),
        ("第一段\n\n\n\n第二段", "第一段\n\n第二段"),
        ("第一段\n \u3000\n\t\n第二段", "第一段\n\n第二段"),
        ("第一段\n\n第二段", "第一段\n\n第二段"),
        ("第一段\n第二段", "第一段\n第二段"),
        ("第一段\r\n\r\n\r\n第二段", "第一段\n\n第二段"),
        ("第一页末行\f第二页首行", "第一页末行\n第二页首行"),
        ("\n\n  标题  \n\n", "标题"),
        ("It was  a   good\tyear", "It was a good year"),
        ("共同\u200b富裕", "共同\u200b富裕"),  # zero-width is not whitespace here
        ("   ", ""),
        ("", ""),
    ],
)
def test_collapse_whitespace(text: str, expected: str) -> None:
    assert collapse_whitespace(text) == expected


def test_rejects_non_str() -> None:
    with pytest.raises(TypeError, match=r"^text must be a str \(got list\)$"):
        collapse_whitespace(["乡村振兴"])  # type: ignore[arg-type]
