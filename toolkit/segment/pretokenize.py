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
from collections.abc import Iterator

__all__ = ["PROTECTED", "PROTECTED_SPLIT", "protected_tag", "split_protected"]

_DIGIT = r"0-9０-９"
_LETTER = r"A-Za-zＡ-Ｚａ-ｚ"
_ALNUM = _DIGIT + _LETTER
_WORD = rf"[{_ALNUM}]*[{_LETTER}][{_ALNUM}]*"
_NUMBER = rf"(?:[{_DIGIT}]{{1,3}}(?:,[{_DIGIT}]{{3}})+|[{_DIGIT}]+)(?:[.．][{_DIGIT}]+)?"
# A minus sign makes a negative number (-5, －8) unless it joins two numbers or
# words (2019-2021, A-1), where it is a hyphen.
_SIGN = rf"(?:(?<![{_ALNUM}.．])[-－−])?"
_SCALE = r"(?:万亿|[万亿])"
# Month and day names, the clock time and money attach to the number (PKU's
# convention for dates, and the form in which reports state budgets); measure
# words stay separate. 年 attaches only to a four-digit year: 2021年 is a date,
# while in 5年 (five years) 年 is a measure word.
_UNIT = r"(?:%|％|‰|‱|月份|月|日|号|时|元|美元|欧元|港元|日元|英镑)"
_HAN_DIGIT = "〇○零一二三四五六七八九"
_HAN_ZERO = "0０OＯ"  # zeros typed for ○ in Chinese-numeral years (二００一年)
# Typographic marks written as two characters; a run is one mark.
_DASHES = "—…―─⋯"

PROTECTED = re.compile(
    "|".join(
        [
            rf"(?P<url>(?:https?://|www[.．])[!-~{_ALNUM}／．－＿～]+)",
            rf"(?P<email>[{_ALNUM}._%+-]+[@＠][{_ALNUM}-]+(?:[.．][{_ALNUM}-]+)+)",
            # Alphanumeric runs with at least one letter: APP, 4G, COVID19, ＡＰＰ,
            # and such runs joined by dots (file and host names: data.csv, gov.cn).
            rf"(?P<latin>{_WORD}(?:[.．]{_WORD})*)",
            rf"(?P<year>[{_DIGIT}]{{4}}年)",
            rf"(?P<minute>(?<=[{_DIGIT}]时)[{_DIGIT}]{{1,2}}分)",
            rf"(?P<number>{_SIGN}{_NUMBER}(?:{_SCALE})?{_UNIT}?)",
            rf"(?P<handate>[{_HAN_DIGIT}][{_HAN_DIGIT}{_HAN_ZERO}]{{3}}年)",
            "(?P<dash>" + "|".join(f"{c}{{2,}}" for c in _DASHES) + ")",
            r"(?P<space>\s+)",
            # One token per ASCII symbol: jieba and jieba-rs group these differently.
            r"(?P<symbol>[!-/:-@\[-`{-~])",
        ]
    )
)


# One capturing group around the whole alternation: re.split then returns
# [free, protected, free, protected, ..., free], splitting in C.
# The lookahead lets the engine reject most positions (Chinese characters) with
# one class test instead of trying every alternative: four times faster.
# Chinese numerals are common characters, so they pass the test only as a year.
_STARTS = (
    rf"[\s{_ALNUM}!-/:-@\[-`{{-~－−{_DASHES}]"
    rf"|[{_HAN_DIGIT}][{_HAN_DIGIT}{_HAN_ZERO}]{{3}}年"
)
PROTECTED_SPLIT = re.compile(
    "((?=" + _STARTS + ")(?:" + re.sub(r"\(\?P<\w+>", "(?:", PROTECTED.pattern) + "))"
).split


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
