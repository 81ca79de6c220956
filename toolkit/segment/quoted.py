"""Terms a text marks itself: what it puts in quotation marks.

Chinese official prose quotes its formulations (“一线工作法”, 村“两委”,
“1+x”课堂). This module is the one rule for which quoted span is a term:
the segmenter learns these terms and the term detector's quoted source
(:mod:`toolkit.terms.sources.quoted`) is built on them, so the two agree.

* A quoted span of 2–16 characters with a letter, a digit or a Chinese
  character is a term (“一线工作法”, “4433”, “1+x”); quoted speech, with
  sentence punctuation inside, is not.
* A short quoted enumeration is one formula (“双随机、一公开”); a list of
  more than 12 characters is a list of slogans. Quoted clauses are one
  formula only when they are parallel (“小事不出社区，大事不出街道，矛盾不上交”,
  up to 30 characters; see :mod:`toolkit.segment.parallel_form`).
* A quoted modifier and the head noun after it form a named term (“1+x”课堂 →
  1+x课堂, “十强”产业 → 十强产业), unless the head is generic (“回头看”活动
  is 回头看 plus a word) or starts a longer word (网格 in “1+4+N”网格化).

Straight ASCII quotes count as well: scraped pages often lose the curly ones.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from toolkit.segment.parallel_form import is_parallel

__all__ = ["HEAD_NOUNS", "WEAK_HEADS", "Quote", "find_quotes", "quoted_terms"]

_QUOTED = re.compile(r"[“「『\"]([^“”「」『』\"\n]{1,40})[”」』\"]")
# Sentence punctuation inside quotes means speech, not a term.
_SENTENCE = re.compile(r"[。！？；：;:!?…]|^\s|\s$")
_CLAUSE = re.compile(r"[，,]")
_HAS_CONTENT = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
_MAX_TERM = 16
# A short quoted enumeration is one formula (“双随机、一公开”, “民事、民议、民决”);
# a long one is a list of slogans (“学党史、悟思想、办实事、开新局”).
_MAX_ENUMERATION = 12
_MAX_PARALLEL = 30

#: Head nouns that follow a quoted modifier to form a named term: “1+x”课堂, “十强”产业.
HEAD_NOUNS = (
    "工作法",
    "工作室",
    "志愿服务队",
    "服务队",
    "小程序",
    "工程",
    "行动",
    "机制",
    "模式",
    "平台",
    "中心",
    "品牌",
    "活动",
    "体系",
    "制度",
    "课堂",
    "产业",
    "驿站",
    "讲堂",
    "书屋",
    "超市",
    "银行",
    "积分",
    "队伍",
    "网格",
    "联盟",
    "基地",
    "示范村",
    "示范区",
    "清单",
    "台账",
    "工作站",
    "服务站",
    "服务",
    "计划",
    "项目",
    "战略",
    "理念",
    "精神",
    "经验",
    "做法",
    "样板",
    "专项行动",
    "三年行动",
    "攻坚战",
    "保卫战",
    "试点",
)
#: Generic heads: after a quoted term they are a word of their own, not part of a name
#: (“回头看”活动 and “聚议厅”服务 are the quoted term plus a word).
WEAK_HEADS = frozenset(
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
    "|".join(sorted((h for h in HEAD_NOUNS if h not in WEAK_HEADS), key=len, reverse=True))
)
_WORD_GOES_ON = frozenset("化式型性")


class Quote(NamedTuple):
    """One quoted span that reads as a term.

    Attributes
    ----------
    start, end : int
        Offsets of the quoted text, quote marks excluded.
    inner : str
        The quoted text.
    head : str
        The head noun right after the closing quote that makes a named term
        with the quoted text (课堂 in “1+x”课堂), or ``""``.
    clauses : bool
        Whether the quoted text is an enumeration or parallel clauses.
    """

    start: int
    end: int
    inner: str
    head: str
    clauses: bool

    @property
    def compound(self) -> str | None:
        """The named term of quoted text and head noun (1+x课堂), or None."""
        return self.inner + self.head if self.head else None

    @property
    def compound_end(self) -> int | None:
        """Where the compound ends in the text (after the head noun), or None."""
        return self.end + 1 + len(self.head) if self.head else None


def find_quotes(text: str) -> list[Quote]:
    """The quoted spans of ``text`` that read as terms (the rule in the module docstring).

    Examples
    --------
    >>> [q.inner for q in find_quotes("他说：“我们要干。”坚持“一线工作法”")]
    ['一线工作法']
    """
    quotes: list[Quote] = []
    for match in _QUOTED.finditer(text):
        inner = match.group(1)
        if len(inner) < 2 or not _HAS_CONTENT.search(inner) or _SENTENCE.search(inner):
            continue
        clauses = bool(_CLAUSE.search(inner)) or "、" in inner
        if clauses:
            if "、、" in inner:
                continue
            parallel = is_parallel(inner)
            limit = _MAX_PARALLEL if parallel else _MAX_ENUMERATION
            if len(inner) > limit or (_CLAUSE.search(inner) and not parallel):
                continue
        elif len(inner) > _MAX_TERM:
            continue
        head = _HEAD.match(text, match.end()) if not clauses else None
        if head is not None and text[head.end() : head.end() + 1] in _WORD_GOES_ON:
            head = None
        start, end = match.span(1)
        quotes.append(Quote(start, end, inner, head.group() if head else "", clauses))
    return quotes


def quoted_terms(text: str) -> list[str]:
    """The terms ``text`` quotes, and their compounds with a following head noun.

    Parameters
    ----------
    text : str
        The text to scan.

    Returns
    -------
    list of str
        In order of appearance, without duplicates.

    Examples
    --------
    >>> quoted_terms("推出基层治理“1+x”课堂，坚持“一线工作法”，做到“小事不出村，大事不出镇”")
    ['1+x', '1+x课堂', '一线工作法', '小事不出村，大事不出镇']
    >>> quoted_terms("推行“246”工作法，开展“回头看”活动")
    ['246', '246工作法', '回头看']
    """
    found: dict[str, None] = {}
    for quote in find_quotes(text):
        found.setdefault(quote.inner, None)
        if quote.compound is not None:
            found.setdefault(quote.compound, None)
    return list(found)
