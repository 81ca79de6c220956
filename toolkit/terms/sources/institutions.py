"""Named institutions, methods and campaigns, found by their head noun.

河长制, 一线工作法, 旅游振兴十大行动, 雪亮工程, 为民服务中心: a head noun
(制, 工作法, 行动, 工程, 中心 …) with the modifier before it. The modifier is
bounded on the left by the verb or function word that governs the term
(:mod:`toolkit.terms.sources.boundaries`), so it is a name and not half a
sentence.
"""

from __future__ import annotations

import re
from itertools import pairwise

from toolkit.terms.sources.boundaries import left_modifier
from toolkit.terms.sources.span import Span

__all__ = ["GENERIC_MODIFIERS", "INSTITUTION_HEADS", "find_institutions"]

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
#: Words that describe or govern a head without naming it (see ``_names_nothing``).
GENERIC_MODIFIERS = frozenset(
    {
        # what kind
        "专项",
        "重大",
        "重点",
        "重要",
        "长效",
        "各项",
        "各类",
        "有关",
        "相关",
        "全面",
        "综合",
        "有效",
        "主要",
        "基本",
        "总体",
        "新",
        "新型",
        "一批",
        "若干",
        "系列",
        # what is done to it
        "发展",
        "深化",
        "推进",
        "实施",
        "加强",
        "完善",
        "健全",
        "建立",
        "创新",
        "推动",
        "落实",
        "开展",
        "治理",
    }
)
_MIN_MODIFIER = 2
_MAX_TERM = 16


def find_institutions(text: str, *, cuts: frozenset[int] | None = None) -> list[Span]:
    """Head-noun terms in ``text``; ``cuts`` are token boundaries (see ``left_modifier``)."""
    spans = []
    pos = 0
    while (match := _HEAD.search(text, pos)) is not None:
        span = _named(text, match, cuts)
        if span is None:
            # 将包保制度: the head is 制度, not the 包保制 read first; look again
            # from the next character.
            pos = match.start() + 1
            continue
        spans.append(span)
        pos = match.end()
    return spans


def _named(text: str, match: re.Match[str], cuts: frozenset[int] | None) -> Span | None:
    """The institution whose head is ``match``, or ``None`` when nothing names it."""
    head_start = match.start()
    start = left_modifier(text, head_start, cuts=cuts)
    modifier = head_start - start
    if match.group().endswith("长制"):
        # 河长制: the modifier is one character before 长.
        modifier += 1
    if modifier < _MIN_MODIFIER or match.end() - start > _MAX_TERM:
        return None
    # A name starts on a word boundary; a window cut mid-word is no name.
    if cuts is not None and (start not in cuts or match.end() not in cuts):
        return None
    if _names_nothing(text, start, head_start, cuts):
        return None
    return Span(start, match.end(), text[start : match.end()], "institution")


def _names_nothing(text: str, start: int, end: int, cuts: frozenset[int] | None) -> bool:
    """Whether the modifier ``text[start:end]`` is only words that describe or govern.

    深化改革, 重大改革, 长效机制, 专项行动: such words say what kind of reform or
    mechanism it is, or what is done to it, and name none in particular.
    """
    inner = [c for c in range(start + 1, end) if c in cuts] if cuts is not None else []
    bounds = [start, *inner, end]
    words = [text[a:b] for a, b in pairwise(bounds)]
    return all(w in GENERIC_MODIFIERS for w in words)
