"""Named institutions, methods and campaigns, found by their head noun.

河长制, 一线工作法, 旅游振兴十大行动, 雪亮工程, 为民服务中心: a head noun
(制, 工作法, 行动, 工程, 中心 …) with the modifier before it. The modifier is
bounded on the left by the verb or function word that governs the term
(:mod:`toolkit.terms.sources.boundaries`), so it is a name and not half a
sentence.
"""

from __future__ import annotations

import re

from toolkit.terms.sources.boundaries import left_modifier
from toolkit.terms.sources.span import Span

__all__ = ["INSTITUTION_HEADS", "find_institutions"]

#: Heads that close a named institution, method or campaign.
INSTITUTION_HEADS = [
    "工作法",
    "工作室",
    "工作站",
    "服务站",
    "行动",
    "专项行动",
    "三年行动",
    "攻坚行动",
    "工程",
    "机制",
    "模式",
    "制度",
    "计划",
    "战略",
    "攻坚战",
    "保卫战",
    "示范区",
    "试验区",
    "先行区",
    "改革",
    "驿站",
    "课堂",
    "讲堂",
    "专项整治",
    "大会战",
    "主题月",
]
# 制 alone closes too many words (控制, 体制); it names an institution after these.
_SYSTEM = [
    "长",
    "责任",
    "负责",
    "承诺",
    "备案",
    "积分",
    "代办",
    "清单",
    "专员",
    "包保",
    "轮值",
    "首问",
    "销号",
    "督办",
    "派驻",
    "联系",
    "点单",
    "会商",
    "网格",
    "双签",
    "坐班",
    "值班",
    "挂牌",
    "督查",
    "考核",
]
_HEAD = re.compile(
    "|".join(sorted(INSTITUTION_HEADS, key=len, reverse=True))
    + "|(?:"
    + "|".join(sorted(_SYSTEM, key=len, reverse=True))
    + ")制"
)
_MIN_MODIFIER = 2
_MAX_TERM = 16


def find_institutions(text: str, *, cuts: frozenset[int] | None = None) -> list[Span]:
    """Head-noun terms in ``text``; ``cuts`` are token boundaries (see ``left_modifier``)."""
    spans = []
    for match in _HEAD.finditer(text):
        head_start = match.start()
        start = left_modifier(text, head_start, cuts=cuts)
        modifier = head_start - start
        if match.group().endswith("长制"):
            # 河长制: the modifier is one character before 长.
            modifier += 1
        if modifier < _MIN_MODIFIER or match.end() - start > _MAX_TERM:
            continue
        # A name starts on a word boundary; a window cut mid-word is no name.
        if cuts is not None and (start not in cuts or match.end() not in cuts):
            continue
        # A quote mark right before the modifier belongs to a quoted candidate.
        form = text[start : match.end()]
        spans.append(Span(start, match.end(), form, "institution"))
    return spans
