"""Tests for toolkit.normalize.controls.remove_control_characters."""

from __future__ import annotations

import pytest

from toolkit.normalize import remove_control_characters


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\ufeff关于做好春耕生产工作的通知", "关于做好春耕生产工作的通知"),
        ("共同\u200b富裕", "共同富裕"),
        ("乡村\u200c振\u200d兴\u2060示范村", "乡村振兴示范村"),
        ("数字\u00ad化改革", "数字化改革"),
        ("\u202e基层\u200e治理\u2066", "基层治理"),
        ("第一段\r\n第二段", "第一段\n第二段"),
        ("第一段\r第二段", "第一段\n第二段"),
        ("第一段\r\u200b\n第二段", "第一段\n第二段"),
        ("第一页末行\f第二页首行", "第一页末行\n第二页首行"),
        (
            "第一行\u2028第二行\u2029第三行\x85第四行\x0b第五行",
            "第一行\n第二行\n第三行\n第四行\n第五行",
        ),
        ("标题\t正文", "标题\t正文"),
        ("\x00县\x07委\x1b书\x7f记\x80主\x9f持", "县委书记主持"),
        ("\u3000\u3000正文缩进保留", "\u3000\u3000正文缩进保留"),
        ("第一段\n\n\n第二段", "第一段\n\n\n第二段"),  # blank lines are whitespace's business
        ("", ""),
    ],
)
def test_remove_control_characters(text: str, expected: str) -> None:
    assert remove_control_characters(text) == expected


def test_rejects_non_str() -> None:
    with pytest.raises(TypeError, match=r"^text must be a str \(got NoneType\)$"):
        remove_control_characters(None)  # type: ignore[arg-type]
