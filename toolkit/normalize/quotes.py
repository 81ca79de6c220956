"""Quotation marks unified to the mainland-Chinese curly forms “” and ‘’.

Rules
-----
Corner brackets
    ``「」`` become ``“”`` and ``『』`` become ``‘’`` everywhere.

Straight double quotes ``"``
    Handled line by line, and only on lines with an even number of them (an odd
    count means a quote is missing or spans lines, and guessing would mis-pair
    the rest). They are paired left to right; a pair becomes ``“…”`` when the
    quoted text contains a Chinese character *or* the character directly before
    the opening quote or directly after the closing quote is Chinese. The
    neighbour test catches Chinese terms written in Latin letters, such as
    ``推进"1+x"课堂`` → ``推进“1+x”课堂``, while ``He said "yes".`` is left alone.

Straight single quotes ``'``
    A ``'`` with an ASCII letter or digit on both sides is an apostrophe
    (``China's``) and is ignored. The remaining ones are paired left to right on
    lines with an even count, and a pair becomes ``‘…’`` only when the quoted
    text contains a Chinese character; single quotes around Latin text are too
    often code or English to convert on a neighbour alone.

"Chinese" means a Chinese ideograph, never punctuation, so converting ``,`` or
``(`` next to a quote (see :mod:`toolkit.normalize.punctuation`) cannot change
a later decision here. Converted pairs leave the remaining straight quotes
paired exactly as before, so a second call changes nothing.
"""

from __future__ import annotations

from toolkit._validation import require_text
from toolkit.normalize._lines import map_lines
from toolkit.normalize.chars import contains_chinese, is_chinese_char

__all__ = ["unify_quotes"]

_CORNER_BRACKETS = str.maketrans("「」『』", "“”‘’")
_ASCII_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def unify_quotes(text: str) -> str:
    """Unify quotation marks to ``“”`` and ``‘’``.

    ``「」`` → ``“”`` and ``『』`` → ``‘’``; straight ``"…"`` → ``“…”`` when the
    quoted text or a neighbour outside the quotes is Chinese; straight ``'…'`` →
    ``‘…’`` when the quoted text is Chinese. Straight quotes are paired left to
    right within a line and only on lines where their count is even. The full
    rules are in the module docstring (:mod:`toolkit.normalize.quotes`).

    Parameters
    ----------
    text : str
        Text to convert. Full-width ``＂`` and ``＇`` are not quotes here; run
        :func:`~toolkit.normalize.fullwidth_to_halfwidth` first (as
        :func:`~toolkit.normalize.normalize` does).

    Returns
    -------
    str
        The converted text; it has the same length as ``text``.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> unify_quotes('以"民生幸福"为标杆,推进「1+x」证书和"1+x"课堂')
    '以“民生幸福”为标杆,推进“1+x”证书和“1+x”课堂'
    >>> unify_quotes("He said \\"yes\\" and it's '十四五' time")
    'He said "yes" and it\\'s ‘十四五’ time'
    """
    return map_lines(_convert_line, require_text(text).translate(_CORNER_BRACKETS))


def _convert_line(line: str) -> str:
    if '"' not in line and "'" not in line:
        return line
    out = list(line)
    doubles = [i for i, char in enumerate(line) if char == '"']
    for open_, close in _pairs(doubles):
        if (
            contains_chinese(line[open_ + 1 : close])
            or _is_chinese_at(line, open_ - 1)
            or _is_chinese_at(line, close + 1)
        ):
            out[open_], out[close] = "“", "”"
    singles = [i for i, char in enumerate(line) if char == "'" and not _is_apostrophe(line, i)]
    for open_, close in _pairs(singles):
        if contains_chinese(line[open_ + 1 : close]):
            out[open_], out[close] = "‘", "’"
    return "".join(out)


def _pairs(positions: list[int]) -> list[tuple[int, int]]:
    if len(positions) % 2:
        return []
    return list(zip(positions[::2], positions[1::2], strict=True))


def _is_chinese_at(line: str, index: int) -> bool:
    return 0 <= index < len(line) and is_chinese_char(line[index])


def _is_apostrophe(line: str, index: int) -> bool:
    return (
        0 < index < len(line) - 1
        and line[index - 1] in _ASCII_ALNUM
        and line[index + 1] in _ASCII_ALNUM
    )
