"""Spans that the toolkit tokenizes itself, before a backend sees the text.

Numbers with their units (3720万元, 3.96亿元, 12.5%, -5), dates (2021年, 5月,
8时30分, 二○○一年), Latin and alphanumeric runs (APP, 4G, 12345), URLs,
whitespace, ASCII punctuation, and the two-character dash and ellipsis (——,
……). Backends then only see runs of Chinese text, which is where jieba and
jieba-rs agree token for token; they handle the rest differently.

Digits and letters may be full-width (２０２１年, ＡＰＰ, ３．９６亿元, １２％).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

__all__ = [
    "PROTECTED",
    "PROTECTED_SPLIT",
    "TERM_MASK",
    "learn_units",
    "protected_split",
    "protected_tag",
    "split_protected",
]

_DIGIT = r"0-9０-９"
_LETTER = r"A-Za-zＡ-Ｚａ-ｚ"
_ALNUM = _DIGIT + _LETTER
_WORD = rf"[{_ALNUM}]*[{_LETTER}][{_ALNUM}]*"
# PKU-style text writes the decimal point as a middle dot (１４·９％).
_NUMBER = rf"(?:[{_DIGIT}]{{1,3}}(?:,[{_DIGIT}]{{3}})+|[{_DIGIT}]+)(?:[.．·][{_DIGIT}]+)?"
# A minus sign makes a negative number (-5, －8) unless it joins two numbers or
# words (2019-2021, A-1), where it is a hyphen.
_SIGN = rf"(?:(?<![{_ALNUM}.．])[-－−])?"
_SCALE = r"(?:万亿|[万亿])"
# Month and day names, the clock time and money attach to the number (PKU's
# convention for dates, and the form in which reports state budgets); measure
# words stay separate. 年 attaches only to a four-digit year: 2021年 is a date,
# while in 5年 (five years) 年 is a measure word.
_UNIT = r"(?:%|％|‰|‱|月份|月|日|号|时|元|美元|欧元|港元|日元|英镑)"
_SUFFIX = rf"(?:{_SCALE})?{_UNIT}?"
_HAN_DIGIT = "〇○零一二三四五六七八九"
_HAN_ZERO = "0０OＯ"  # zeros typed for ○ in Chinese-numeral years (二００一年)
# Typographic marks written as two characters; a run is one mark.
_DASHES = "—…―─⋯"


#: Private-use character standing in for a lexicon term during splitting.
TERM_MASK = "\ue000"


def _rules(suffix: str) -> list[str]:
    return [
        f"(?P<term>{TERM_MASK})",
        rf"(?P<url>(?:https?://|www[.．])[!-~{_ALNUM}／．－＿～]+)",
        rf"(?P<email>[{_ALNUM}._%+-]+[@＠][{_ALNUM}-]+(?:[.．][{_ALNUM}-]+)+)",
        # Alphanumeric runs with at least one letter: APP, 4G, COVID19, ＡＰＰ,
        # and such runs joined by dots (file and host names: data.csv, gov.cn).
        rf"(?P<latin>{_WORD}(?:[.．]{_WORD})*)",
        rf"(?P<year>[{_DIGIT}]{{4}}年)",
        rf"(?P<minute>(?<=[{_DIGIT}]时)[{_DIGIT}]{{1,2}}分)",
        rf"(?P<number>{_SIGN}{_NUMBER}{suffix})",
        rf"(?P<handate>[{_HAN_DIGIT}][{_HAN_DIGIT}{_HAN_ZERO}]{{3}}年)",
        "(?P<dash>" + "|".join(f"{c}{{2,}}" for c in _DASHES) + ")",
        r"(?P<space>\s+)",
        # One token per ASCII symbol: jieba and jieba-rs group these differently.
        r"(?P<symbol>[!-/:-@\[-`{-~])",
    ]


PROTECTED = re.compile("|".join(_rules(_SUFFIX)))

# One capturing group around the whole alternation: re.split then returns
# [free, protected, free, protected, ..., free], splitting in C.
# The lookahead lets the engine reject most positions (Chinese characters) with
# one class test instead of trying every alternative: four times faster.
# Chinese numerals are common characters, so they pass the test only as a year.
_STARTS = (
    rf"[\s{_ALNUM}!-/:-@\[-`{{-~－−{_DASHES}{TERM_MASK}]"
    rf"|[{_HAN_DIGIT}][{_HAN_DIGIT}{_HAN_ZERO}]{{3}}年"
)


@lru_cache(maxsize=16)
def protected_split(units: tuple[str, ...] | None = None) -> Callable[[str], list[str]]:
    """The fast splitter, with the default number suffixes or the given ``units``.

    ``units`` are the strings allowed to follow a number in one token (万元,
    个, 年 …), as :func:`learn_units` finds them in a word list.
    """
    if units is None:
        suffix = _SUFFIX
    else:
        alternatives = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
        suffix = f"(?:{alternatives})?" if alternatives else ""
    body = re.sub(r"\(\?P<\w+>", "(?:", "|".join(_rules(suffix)))
    return re.compile("((?=" + _STARTS + ")(?:" + body + "))").split


PROTECTED_SPLIT = protected_split()


def learn_units(words: Iterable[str], *, min_count: int = 3) -> tuple[str, ...]:
    """Which suffixes a word list joins to numbers: its segmentation standard.

    Standards differ: PKU writes 2000年 and 1万 as words but 5 元 apart; MSR
    writes 20万元 and 8个 as words. A word list that holds ``<number><suffix>``
    entries at least ``min_count`` times for a suffix says that suffix joins.

    Examples
    --------
    >>> learn_units(["3万", "5万", "12万", "8个", "2000年"], min_count=2)
    ('万',)
    """
    counts: dict[str, int] = {}
    for word in words:
        match = _NUMBER_PREFIX.match(word)
        if match is None:
            continue
        suffix = word[match.end() :]
        # 年 after a four-digit number is a year, which the year rule covers already.
        if suffix and _SUFFIX_CHARS.fullmatch(suffix) and not (suffix == "年" and match.end() == 4):
            counts[suffix] = counts.get(suffix, 0) + 1
    return tuple(sorted(u for u, n in counts.items() if n >= min_count))


_NUMBER_PREFIX = re.compile(rf"[{_DIGIT}]+(?:[.．·][{_DIGIT}]+)?")
_SUFFIX_CHARS = re.compile(r"[\u4e00-\u9fff%％‰‱]{1,4}")


def split_protected(text: str) -> Iterator[tuple[str, bool]]:
    """Yield ``(piece, protected)``: protected pieces are final tokens.

    Unprotected pieces are the runs between them, for a backend to segment.
    """
    pos = 0
    for match in PROTECTED.finditer(text):
        start, end = match.span()
        if start > pos:
            yield text[pos:start], False
        yield match.group(), True
        pos = end
    if pos < len(text):
        yield text[pos:], False


# jieba's tag set: m numeral, eng Latin, x punctuation and other symbols.
_TAGS = {
    "term": "x",
    "url": "eng",
    "email": "eng",
    "latin": "eng",
    "year": "m",
    "minute": "m",
    "number": "m",
    "handate": "m",
    "dash": "x",
    "space": "x",
    "symbol": "x",
}


def protected_tag(piece: str) -> str:
    """The part-of-speech tag of a protected piece, from the rule that made it.

    Examples
    --------
    >>> [protected_tag(p) for p in ["-5", "二○○一年", "APP", "——", "30分", "%"]]
    ['m', 'm', 'eng', 'x', 'm', 'x']
    """
    match = PROTECTED.fullmatch(piece)
    if match is not None and match.lastgroup is not None:
        return _TAGS[match.lastgroup]
    # A piece whose rule looks behind it (30分 after 8时) does not match alone.
    return "m" if piece[:1].isdigit() else "x"
