"""Terms a text marks itself: what it puts in quotation marks.

Chinese official prose quotes its formulations (“一线工作法”, 村“两委”,
“1+x”课堂). A quoted span that reads as a term, plus the head noun after a
quoted modifier, is a term of that corpus.
"""

from __future__ import annotations

import re

__all__ = ["HEAD_NOUNS", "quoted_terms"]

_QUOTED = re.compile(r"[“「『]([^“”「」『』\n]{1,24})[”」』]")
# Sentence punctuation inside quotes means speech or an enumeration, not one term.
_NOT_A_TERM = re.compile(r"[。！？；，：,;:!?…]|^\s|\s$")
# A short quoted enumeration is one formula (“双随机、一公开”, “民事、民议、民决”);
# a long one is a list of slogans (“学党史、悟思想、办实事、开新局”).
_MAX_ENUMERATION = 12
_HAS_CONTENT = re.compile(r"[\u3400-\u9fffA-Za-z]")

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
_HEAD = re.compile("|".join(sorted(HEAD_NOUNS, key=len, reverse=True)))


def quoted_terms(text: str, *, max_length: int = 16) -> list[str]:
    """Quoted spans that read as terms, and their compounds with a following head noun.

    Parameters
    ----------
    text : str
        The text to scan.
    max_length : int
        Longer quoted spans are taken to be quotations, not terms.

    Returns
    -------
    list of str
        In order of appearance, without duplicates.

    Examples
    --------
    >>> quoted_terms("推出基层治理“1+x”课堂，坚持“一线工作法”，做到“小事不出村，大事不出镇”")
    ['1+x', '1+x课堂', '一线工作法']
    >>> quoted_terms("推行“246”工作法，完成“2023”")
    ['246工作法']
    """
    found: dict[str, None] = {}
    for match in _QUOTED.finditer(text):
        inner = match.group(1)
        if not 2 <= len(inner) <= max_length or _NOT_A_TERM.search(inner):
            continue
        if "、" in inner and (len(inner) > _MAX_ENUMERATION or "、、" in inner):
            continue
        # “246” alone is a number, but “246”工作法 is a named formula.
        if _HAS_CONTENT.search(inner):
            found.setdefault(inner, None)
        head = _HEAD.match(text, match.end())
        if head is not None:
            found.setdefault(inner + head.group(), None)
    return list(found)
