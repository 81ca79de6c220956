"""Quoted candidates: what a text marks as a term by putting it in quotation marks.

“一线工作法” is a candidate; so is a quoted modifier with the head noun after
it (“1+x”课堂 → 1+x课堂, “十强”产业 → 十强产业). Quoted speech and long
quotations are not terms; quoted parallel clauses (“小事不出社区，大事不出
街道，矛盾不上交”) are.
"""

from __future__ import annotations

import re

from toolkit.segment.quoted import HEAD_NOUNS
from toolkit.terms.sources.numbered import is_numbered
from toolkit.terms.sources.parallel import is_parallel, units_are_parallel
from toolkit.terms.sources.span import Span

__all__ = ["find_quoted"]

_QUOTED = re.compile(r"[“「『\"]([^“”「」『』\"\n]{1,40})[”」』\"]")
_SENTENCE = re.compile(r"[。！？；：;:!?…]|^\s|\s$")
_CLAUSE = re.compile(r"[，,]")
_HAS_CONTENT = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
# Heads that make a quoted modifier part of a name (“1+x”课堂 is 1+x课堂). Generic
# heads do not: “回头看”活动 and “聚议厅”服务 are the quoted term plus a word.
_WEAK_HEADS = frozenset(
    [
        "服务",
        "活动",
        "小程序",
        "项目",
        "计划",
        "精神",
        "经验",
        "做法",
        "理念",
        "品牌",
        "服务队",
        "志愿服务队",
        "队伍",
        "行动",
        "专项行动",
        "三年行动",
        "服务站",
        "清单",
        "台账",
        "积分",
        "战略",
        "试点",
    ]
)
_HEAD = re.compile(
    "|".join(sorted((h for h in HEAD_NOUNS if h not in _WEAK_HEADS), key=len, reverse=True))
)
_WORD_GOES_ON = frozenset("化式型性")
# Quoted units in a row, joined by 、和与及 or nothing: “建好”和“用好”.
_JOINER = re.compile(r"[、和与及]?")
# Parallel quoted units of one sentence may stand this far apart.
_MAX_GAP = 12
_SENTENCE_END = re.compile(r"[。！？；;!?\n]")
_MAX_TERM = 16
_MAX_ENUMERATION = 12
_MAX_PARALLEL = 30


def find_quoted(text: str) -> list[Span]:
    """Quoted spans that read as terms, each with its compound with a following head noun.

    Quoted units in a row that are parallel (“建好”和“用好”) are also one
    candidate, written with 、 (建好、用好); numbered ones (“六稳”“六保”) are not.
    So are three or more parallel quoted units spread over one sentence
    (思想建设的“主阵地”、文化建设的“主战场”、文明传播的“主渠道” → 主阵地、主战场、主渠道).
    """
    spans: list[Span] = []
    run: list[tuple[int, int, str]] = []
    spread: list[tuple[int, int, str]] = []
    for match in _QUOTED.finditer(text):
        inner = match.group(1)
        start, end = match.span(1)
        if len(inner) < 2 or not _HAS_CONTENT.search(inner) or _SENTENCE.search(inner):
            continue
        clauses = bool(_CLAUSE.search(inner)) or "、" in inner
        if clauses:
            limit = _MAX_PARALLEL if is_parallel(inner) else _MAX_ENUMERATION
            if len(inner) > limit or (_CLAUSE.search(inner) and not is_parallel(inner)):
                continue
        elif len(inner) > _MAX_TERM:
            continue
        spans.append(Span(start, end, inner, "quoted"))
        if run and _JOINER.fullmatch(text, run[-1][1] + 1, match.start()):
            run.append((start, end, inner))
        else:
            _close_run(run, spans)
            run = [(start, end, inner)]
        gap = text[spread[-1][1] + 1 : match.start()] if spread else ""
        if spread and len(gap) <= _MAX_GAP and not _SENTENCE_END.search(gap):
            spread.append((start, end, inner))
        else:
            _close_run(spread, spans, at_least=3)
            spread = [(start, end, inner)]
        head = _HEAD.match(text, match.end())
        # 网格 in “1+4+N”网格化 is the start of another word.
        if head is not None and text[head.end() : head.end() + 1] in _WORD_GOES_ON:
            head = None
        if head is not None and not clauses:
            spans.append(Span(start, head.end(), inner + head.group(), "quoted"))
    _close_run(run, spans)
    _close_run(spread, spans, at_least=3)
    return spans


def _close_run(run: list[tuple[int, int, str]], spans: list[Span], *, at_least: int = 2) -> None:
    units = [u for _, _, u in run]
    if (
        len(units) >= at_least
        and not any(map(is_numbered, units))
        and units_are_parallel(units)
        # A run of adjacent units is also a spread run: report it once.
        and not (spans and spans[-1].start == run[0][0] and spans[-1].end == run[-1][1])
    ):
        spans.append(Span(run[0][0], run[-1][1], "、".join(units), "quoted"))
