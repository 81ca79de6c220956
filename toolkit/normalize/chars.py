"""Character classes shared by the normalisation steps.

Every context rule in :mod:`toolkit.normalize` asks the same questions (is this
an ideograph? is this horizontal whitespace? where does a line end?), so the
answers live in one place and the steps cannot drift apart.
"""

from __future__ import annotations

import re

__all__ = [
    "CHINESE_CHAR_CLASS",
    "HORIZONTAL_WHITESPACE_CLASS",
    "LINE_BREAK_PATTERN",
    "contains_chinese",
    "is_chinese_char",
]

#: Body of a regex character class matching one Chinese character: the CJK Unified
#: Ideographs block, extension A, the compatibility ideographs, and planes 2 and 3
#: (extensions B onwards plus the compatibility supplement). The supplementary
#: planes are included because OpenCC maps some extension-A characters into them;
#: without them traditional-to-simplified conversion could turn a "Chinese"
#: character into a "non-Chinese" one and change every context decision.
CHINESE_CHAR_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"

#: Body of a regex character class matching whitespace inside a line: tab and
#: every Unicode space separator (ASCII space, NBSP, U+3000 ideographic space,
#: the U+2000 series, ...). Line breaks are deliberately not in it.
HORIZONTAL_WHITESPACE_CLASS = "\t\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"

#: Regex matching one line break. Form feed is included because PDF extractors
#: use it between pages; ``\r\n`` comes first so it counts as one break, not two.
LINE_BREAK_PATTERN = "\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]"

_CHINESE_CHAR = re.compile(f"[{CHINESE_CHAR_CLASS}]")


def is_chinese_char(char: str) -> bool:
    """Return whether ``char`` is a single Chinese character (ideograph).

    Parameters
    ----------
    char : str
        A string; anything other than exactly one character gives ``False``.

    Returns
    -------
    bool
        ``True`` for CJK Unified Ideographs (including extension A and later
        extensions) and CJK compatibility ideographs. Punctuation such as ``，``
        and the ideographic zero ``〇`` are not ideographs.

    Examples
    --------
    >>> is_chinese_char("政"), is_chinese_char("，"), is_chinese_char("A")
    (True, False, False)
    """
    return len(char) == 1 and _CHINESE_CHAR.match(char) is not None


def contains_chinese(text: str) -> bool:
    """Return whether ``text`` contains at least one Chinese character.

    Examples
    --------
    >>> contains_chinese("1+x证书"), contains_chinese("1+x")
    (True, False)
    """
    return _CHINESE_CHAR.search(text) is not None
