"""Numbered formulas: 一岗双责, 两学一做, 四个意识, 十大创新工程, 1+x, 1+N+X, 三改二.

Three written shapes:

* alternating numerals and words: 一岗双责, 三严三实, 五位一体, 一区多园, 三改二;
* a numeral with a measure word before a named head: 四个意识, 三大攻坚战,
  两项改革, 6张清单 (quantities such as 三个月 or 30个村 have no such head);
* Arabic numerals joined by plus signs: 1+4+6, 1+x, 1+N+X.

:func:`is_numbered` also accepts a numeral with one or two characters
(六稳, 两委, 三基) when the form is not an ordinary word (一线, 一手).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from toolkit.terms.sources.boundaries import left_modifier
from toolkit.terms.sources.span import Span

__all__ = ["CHINESE_NUMERALS", "find_numbered", "is_numbered"]

#: Numerals that open a formula; 双 and 多 count (一岗双责, 一区多园).
CHINESE_NUMERALS = "一二三四五六七八九十两双百千万"
_N = f"[{CHINESE_NUMERALS}]"
_NM = f"[{CHINESE_NUMERALS}多]"
# Measure words and time nouns after a numeral make a quantity (三个月, 五年), not a formula.
_QUANTITY = "个年月天日次名人元家所座批期届周岁倍层位户亩吨米里"
_W = f"[^\\W\\d{CHINESE_NUMERALS}多第_A-Za-z]"
_ALTERNATING = re.compile(
    rf"(?<![{CHINESE_NUMERALS}第])({_N}{_W}{{1,2}}{_NM}(?:{_W}{{1,2}}(?:{_N}{_W}{{1,2}})?|(?![\u3400-\u9fff])))"
)
_HEADS = [
    "工程",
    "行动",
    "产业",
    "攻坚战",
    "保卫战",
    "措施",
    "任务",
    "战略",
    "体系",
    "集群",
    "板块",
    "基地",
    "中心",
    "平台",
    "机制",
    "制度",
    "改革",
    "意识",
    "自信",
    "维护",
    "引领",
    "清单",
    "示范",
    "目标",
    "理念",
    "要求",
    "原则",
    "举措",
    "计划",
    "专项",
    "品牌",
    "服务",
    "工作法",
    "模式",
    "经济",
    "走廊",
    "新城",
    "片区",
    "园区",
    "通道",
    "枢纽",
    "网",
    "课堂",
    "活动",
    "战役",
    "整治",
    "提升",
    "突破",
    "革命",
    "建设",
    "发展",
    "责任",
    "底线",
    "红线",
    "思维",
    "能力",
    "定位",
    "格局",
    "支柱产业",
    "主导产业",
    "制造业",
    "产业链",
]
_HEAD = "|".join(sorted(_HEADS, key=len, reverse=True))
# Arabic numerals count things (6个板块, 11个重点产业) except with 大 (4大工程);
# 一个 is the article "a" (一个指挥中心), not the numeral of a formula.
_MEASURED = re.compile(
    rf"(?<![{CHINESE_NUMERALS}0-9第])((?:(?!一个){_N}{{1,3}}[个大项张条类种支道]|[0-9]{{1,2}}大)"
    rf"(?:[\u3400-\u9fff]{{0,4}}?)(?:{_HEAD}))"
)
# A formula that a text quotes needs no listed head: “四个到户”, “三色台账”.
_QUOTED_SHAPE = re.compile(rf"{_N}{{1,2}}[个大项张条类种支道色星]?[\u3400-\u9fff]{{1,4}}")
_PLUS = re.compile(
    r"(?<![0-9A-Za-z+＋])([0-9]{1,3}(?:\s?[+＋]\s?(?:[0-9]{1,3}|[NnXxMm]))+)(?![0-9A-Za-z])"
)
# Ordinary words that open with a numeral: 一线工作法 is a method, not a formula.
_ORDINARY_PREFIXES = (
    "一线", "一手", "一体", "一流", "一批", "一起", "一站式", "一直", "一般", "一切", "一些",
    "一致", "一心", "一贯", "一举", "一揽子", "一把手", "万一", "一方面", "一同", "一道",
)  # fmt: skip
_SECOND_NUMERAL = re.compile(f"[{CHINESE_NUMERALS}0-9]")
_MAX_FIELD = 8
_FUNCTION = re.compile("[的了是在和与及等并或之时中]")
_SHORT = re.compile(rf"{_N}{{1,2}}[\u3400-\u9fff]{{1,2}}")


def find_numbered(text: str, *, cuts: frozenset[int] | None = None) -> list[Span]:
    """Numbered formulas in ``text`` in the three shapes of the module docstring.

    A measured formula is also given with the modifier that names its field
    (交通基础设施 | 六大工程), bounded like an institution's; ``cuts`` are the
    token boundaries of a segmentation of ``text``.
    """
    spans = []
    for pattern in (_ALTERNATING, _MEASURED, _PLUS):
        for match in pattern.finditer(text):
            form = match.group(1)
            if pattern is _ALTERNATING:
                if form[1] in _QUANTITY or "分之" in form:
                    continue
                # 三改二的时机: a function word after the last numeral ends the formula.
                tail = _FUNCTION.search(form, 3)
                if tail is not None:
                    form = form[: tail.start()]
            start = match.start(1)
            if cuts is not None and pattern is _ALTERNATING:
                # 一国两制制度: the formula ends on a word boundary (一国两制 | 制度).
                end = start + len(form)
                while end > start + 3 and end not in cuts:
                    end -= 1
                if end not in cuts or not _ALTERNATING.fullmatch(text[start:end]):
                    continue
                form = text[start:end]
            spans.append(Span(start, start + len(form), form, "numbered"))
            if pattern is _MEASURED:
                left = left_modifier(text, start, cuts=cuts, max_chars=_MAX_FIELD)
                if start - left >= 2 and (cuts is None or left in cuts):
                    end = start + len(form)
                    spans.append(Span(left, end, text[left:end], "numbered"))
    return spans


@lru_cache(maxsize=1 << 17)
def is_numbered(form: str, *, quoted: bool = False) -> bool:
    """Whether a candidate (found by any source) is a numbered formula.

    ``quoted``: the text puts the form in quotation marks, which is evidence
    enough for a numeral with a short word (“四个到户”, “三色台账”).
    """
    if form.startswith(_ORDINARY_PREFIXES) and not _SECOND_NUMERAL.search(form, 2):
        return False
    if quoted and _QUOTED_SHAPE.fullmatch(form) and not _ordinary_word(form):
        return "分之" not in form
    if _PLUS.fullmatch(form) or _ALTERNATING.fullmatch(form) or _MEASURED.fullmatch(form):
        return True
    if _SHORT.fullmatch(form):
        return form[1] not in _QUANTITY and not _ordinary_word(form)
    # A formula with a head noun: 123工作法, 1+x课堂, 两个引领工程.
    return bool(re.match(r"[0-9]{2,}|[0-9]\s?[+＋]", form)) or bool(
        _ALTERNATING.match(form) or _MEASURED.match(form) or _PLUS.match(form)
    )


@cache
def _ordinary_word(form: str) -> bool:
    """Whether jieba's general dictionary lists ``form`` as a common word (一线, 一手)."""
    from toolkit.segment.backends import jieba_frequencies

    return jieba_frequencies().get(form, 0) >= 50
