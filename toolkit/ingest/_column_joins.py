"""Evidence that a line break inside a paragraph is a column break, not a new paragraph.

Page layout breaks paragraphs across columns. :func:`continues` says whether the
right-hand line continues the left-hand one: the left side ends inside a quote or
bracket, the right side cannot start a sentence, a unit follows a number, or jieba's
dictionary (through ``rjieba``, read only) segments a word across the break.
"""

from __future__ import annotations

import re
from functools import lru_cache

from toolkit.ingest._page_lines import HAS_CJK, is_bracketed

__all__ = [
    "AFTER_NUMBER",
    "NON_STARTERS",
    "PAIRS",
    "WINDOW",
    "continues",
    "unclosed",
    "word_across",
]

PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")", "《": "》", "【": "】"}
# Characters that cannot start a sentence: closing and inner punctuation, and
# particles that only follow a word.
NON_STARTERS = frozenset("，。、；：？！…）)」』”’》】%‰,.;:?!的了着们")
# After a number, a unit or an approximation continues it (1800 / 余户, 1 / 20亩).
AFTER_NUMBER = re.compile(r"^[0-9０-９.．%‰万亿千百余多个名人户家项次元吨亩米斤倍年月日号]")
WINDOW = 4  # characters on each side of a break given to the segmenter


def unclosed(text: str) -> bool:
    """Whether ``text`` ends inside a quotation or bracket it opened."""
    depth: list[str] = []
    for ch in text:
        if ch in PAIRS:
            depth.append(PAIRS[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
    return bool(depth)


@lru_cache(maxsize=4096)
def word_across(left: str, right: str) -> bool:
    """Whether jieba's dictionary segments a word across the break between the two."""
    import rjieba  # jieba's dictionary, read-only; imported when a break needs it

    position = 0
    for token in rjieba.cut(left + right, False):
        if position < len(left) < position + len(token):
            return True
        position += len(token)
    return False


def continues(left: str, right: str) -> bool:
    """Evidence that ``right`` continues ``left`` across a column break."""
    if not left or not right or is_bracketed(right):
        return False
    if unclosed(left) or right[0] in NON_STARTERS:
        return True
    if left[-1].isdigit() and AFTER_NUMBER.match(right):
        return True
    if HAS_CJK.fullmatch(left[-1]) and HAS_CJK.fullmatch(right[0]):
        return word_across(left[-WINDOW:], right[:WINDOW])
    return False
