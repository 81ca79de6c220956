"""Tests for toolkit.normalize.punctuation.ascii_punctuation_to_fullwidth."""

from __future__ import annotations

import pytest

from toolkit.normalize import ascii_punctuation_to_fullwidth

CONVERTED = [
    # Chinese on both sides.
    ("深入基层、深入群众,全面了解群众诉求", "深入基层、深入群众，全面了解群众诉求"),
    ("全年排查问题138个,已整改138个", "全年排查问题138个，已整改138个"),
    ("重点抓好以下方面的工作:一是加强组织领导", "重点抓好以下方面的工作：一是加强组织领导"),
    ("以“民生幸福”为标杆,坚持问题导向", "以“民生幸福”为标杆，坚持问题导向"),
    ("推进“放管服”改革;深化“最多跑一次”改革", "推进“放管服”改革；深化“最多跑一次”改革"),
    ("群众满意吗?满意!", "群众满意吗？满意！"),
    ("这项工作真的落实了吗?!", "这项工作真的落实了吗？！"),
    ("会议指出,《实施方案》要抓好落实", "会议指出，《实施方案》要抓好落实"),
    # A digit, letter or % on one side, Chinese on the other.
    ("截至目前,2021年度任务已全部完成", "截至目前，2021年度任务已全部完成"),
    ("共计发放补贴3.96亿元,惠及农户12万户", "共计发放补贴3.96亿元，惠及农户12万户"),
    ("全年共受理诉求1380,办结率98%", "全年共受理诉求1380，办结率98%"),
    ("同比增长12.5%,高于全省平均水平", "同比增长12.5%，高于全省平均水平"),
    ("上午9:30,县委书记一行来到", "上午9:30，县委书记一行来到"),
    ("政务服务网址:https://www.example.gov.cn", "政务服务网址：https://www.example.gov.cn"),
    ("上线APP,群众办事更方便", "上线APP，群众办事更方便"),
    # End of line after Chinese.
    ("主要做法如下:\n一是压实责任", "主要做法如下：\n一是压实责任"),
    ("这项工作落实了吗?\u3000\n", "这项工作落实了吗？\u3000\n"),
    ("深入群众,\r\n全面了解", "深入群众，\r\n全面了解"),
    # Parentheses around Chinese, after Chinese, a letter/digit, punctuation or line start.
    ("关于印发《乡村振兴实施意见》(试行)的通知", "关于印发《乡村振兴实施意见》（试行）的通知"),
    ("各镇(街道)、各部门要高度重视", "各镇（街道）、各部门要高度重视"),
    ("意见(2021年修订)", "意见（2021年修订）"),
    ("登录APP(浙里办)查询", "登录APP（浙里办）查询"),
    ("(一)加强组织领导", "（一）加强组织领导"),
    ("\u3000\u3000(二)强化督查考核", "\u3000\u3000（二）强化督查考核"),
    ("会议强调:(一)压实责任;(二)强化督查", "会议强调：（一）压实责任；（二）强化督查"),
    ("全县(含开发区(园区))", "全县（含开发区（园区））"),
    ("中(甲(乙)", "中(甲（乙）"),  # the outer "(" is unmatched; the inner pair converts
]

UNCHANGED = [
    "全县共有农户3,720户",
    "男女比例为1:2",
    "详见http://www.example.gov.cn/zwgk",
    "x(y)",
    "Hello, world! How are you?",
    '推进"1+x"课堂',
    "see f(x, y); then g(z): done",
    "第十四个五年规划 (十四五)",  # a space before "(" is English layout
    "意见 (试行)",
    "中(甲",  # unbalanced
    "甲)乙",
    "关于(2021)",  # nothing Chinese inside
    "群众, 全面了解",  # a space after the comma is English layout
    "The 14th Five-Year Plan mentions 中国, too.",
    "数据1,2,3",
    "会议于10:30开始",
    "已整改到位，群众满意！",
    "index.php?id=1&lang=zh",
    "",
]


@pytest.mark.parametrize(("text", "expected"), CONVERTED)
def test_converts_in_chinese_context(text: str, expected: str) -> None:
    assert ascii_punctuation_to_fullwidth(text) == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_leaves_non_chinese_context_alone(text: str) -> None:
    assert ascii_punctuation_to_fullwidth(text) == text


def test_lines_are_independent() -> None:
    text = "县委召开常委会议\n(会议由县委书记主持)\n3,720户\n是否完成?\n"
    expected = "县委召开常委会议\n（会议由县委书记主持）\n3,720户\n是否完成？\n"
    assert ascii_punctuation_to_fullwidth(text) == expected


def test_parentheses_do_not_pair_across_lines() -> None:
    text = "意见(试行\n)的通知"
    assert ascii_punctuation_to_fullwidth(text) == text


def test_rejects_non_str() -> None:
    with pytest.raises(TypeError, match=r"^text must be a str \(got int\)$"):
        ascii_punctuation_to_fullwidth(3720)  # type: ignore[arg-type]
