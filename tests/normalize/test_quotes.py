"""Tests for toolkit.normalize.quotes.unify_quotes."""

from __future__ import annotations

import pytest

from toolkit.normalize import unify_quotes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Corner brackets.
        ("打造「民生幸福」标杆", "打造“民生幸福”标杆"),
        ("开好『十四五』局", "开好‘十四五’局"),
        ("他说「要把『群众满意』作为标准」", "他说“要把‘群众满意’作为标准”"),
        # Straight double quotes around Chinese, or next to Chinese.
        ('以"民生幸福"为标杆', "以“民生幸福”为标杆"),
        ('他强调"要把群众满意作为第一标准"。', "他强调“要把群众满意作为第一标准”。"),
        ('推进"1+x"课堂改革', "推进“1+x”课堂改革"),
        ('"1+x"证书试点', "“1+x”证书试点"),
        ('全面推行"ABC"', "全面推行“ABC”"),
        ('"a" "中" "b"', '"a" “中” "b"'),
        ('一是"稳",二是"进"', "一是“稳”,二是“进”"),
        # Straight single quotes: only around Chinese; apostrophes skipped.
        ("'十四五'规划开局良好", "‘十四五’规划开局良好"),
        ("他说:\"'十四五'开局良好。\"", "他说:“‘十四五’开局良好。”"),
        ("China's '共同富裕' goal", "China's ‘共同富裕’ goal"),
        # Lines are handled separately.
        ('第一行"乡村振兴"\n第二行"共同富裕"', "第一行“乡村振兴”\n第二行“共同富裕”"),
    ],
)
def test_unify_quotes(text: str, expected: str) -> None:
    assert unify_quotes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'He said "yes" to the plan.',
        '"1+x"',
        "'abc'规划",  # single quotes need Chinese inside
        "Xi's 中国 and China's economy",
        '他说"好',  # odd count on the line
        '"甲"乙"',
        '第一行"甲\n乙"第二行',  # a pair may not span lines
        "“民生幸福”与‘十四五’",
        "",
    ],
)
def test_leaves_alone(text: str) -> None:
    assert unify_quotes(text) == text


def test_rejects_non_str() -> None:
    with pytest.raises(TypeError, match=r"^text must be a str \(got int\)$"):
        unify_quotes(1)  # type: ignore[arg-type]
