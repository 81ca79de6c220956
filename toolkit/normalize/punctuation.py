"""ASCII punctuation used inside Chinese text to full-width Chinese punctuation.

Half-width ``,;:?!()`` in Chinese prose come from input methods left in English
mode and from PDF extraction. Converting them blindly would break numbers
(``3,720``), ratios (``1:2``), URLs and English passages, so each mark is
converted only when its immediate neighbours show it sits in Chinese text.

Context rules
-------------
Definitions, all about the *immediate* neighbour (nothing is skipped):

* *Chinese* -- a Chinese ideograph (:func:`~toolkit.normalize.is_chinese_char`).
* *Chinese closer* -- ``”’）》】〕」』〉``; *Chinese opener* -- ``“‘（《【〔「『〈``.
* *word* -- an ASCII letter or digit, or ``%`` (``增长12.5%,高于`` is everywhere
  in statistical prose).
* *Chinese aside* -- an ASCII ``(`` whose matching ``)`` is on the same line and
  whose enclosed text contains a Chinese character.
* *line start / line end* -- nothing but horizontal whitespace between the mark
  and the line boundary, so the decision does not change when
  :func:`~toolkit.normalize.collapse_whitespace` strips the line.

Marks ``,`` ``;`` ``:`` and runs of ``?``/``!``
    Converted (the whole run for ``?!``) when

    * the left neighbour is Chinese or a Chinese closer, and the right neighbour
      is Chinese, a Chinese opener, a Chinese aside, a word character, or the
      line end; or
    * the left neighbour is a word character and the right neighbour is Chinese,
      a Chinese opener or a Chinese aside.

    Word characters on *both* sides never convert (``3,720``, ``1:2``, ``a?b=1``),
    nor does whitespace on either side (English prose puts a space after its
    commas; Chinese prose does not).

Parentheses
    A matched ASCII pair on one line becomes ``（…）`` when it is a Chinese aside
    and the ``(`` is at line start or directly after a Chinese character, a word
    character, or any Chinese punctuation mark. Both halves convert together;
    unmatched parentheses are left alone.

The text is scanned left to right and every decision looks at the already
converted left neighbour, so ``如下:(一)`` becomes ``如下：（一）`` in one call and
a second call changes nothing.
"""

from __future__ import annotations

import re

from toolkit._validation import require_text
from toolkit.normalize._lines import map_lines
from toolkit.normalize.chars import HORIZONTAL_WHITESPACE_CLASS, contains_chinese, is_chinese_char

__all__ = ["ascii_punctuation_to_fullwidth"]

_CLOSERS = frozenset("”’）》】〕」』〉")
_OPENERS = frozenset("“‘（《【〔「『〈")
_SEPARATORS = frozenset("，。、；：？！…—")
_WORD = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ%")
_FULLWIDTH = str.maketrans(",;:?!()", "，；：？！（）")

# A run of question/exclamation marks is one decision: "什么?!" converts as a whole.
_EVENT = re.compile("[(),;:]|[?!？！]+")
_ASCII_RUN_MARK = re.compile("[?!]")
_NEEDS_WORK = re.compile("[,;:?!(]")
# The line without its leading and trailing horizontal whitespace.
_CONTENT = re.compile(
    f"[^{HORIZONTAL_WHITESPACE_CLASS}](?:.*[^{HORIZONTAL_WHITESPACE_CLASS}])?", re.DOTALL
)


def ascii_punctuation_to_fullwidth(text: str) -> str:
    """Convert ASCII ``, ; : ? ! ( )`` to ``， ； ： ？ ！ （ ）`` in Chinese context.

    The context rules are given in the module docstring
    (:mod:`toolkit.normalize.punctuation`). In short: a mark converts when one
    neighbour is Chinese (an ideograph, or a Chinese closing mark on its left or
    opening mark on its right) and the other is Chinese, an ASCII letter or
    digit, or -- after Chinese -- the end of the line. A parenthesised aside
    containing Chinese converts when it starts the line or follows Chinese, a
    letter or digit, or Chinese punctuation.

    Parameters
    ----------
    text : str
        Text to convert. Full-width letters and digits are not word characters
        here; run :func:`~toolkit.normalize.fullwidth_to_halfwidth` first (as
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
    >>> ascii_punctuation_to_fullwidth("深入基层、深入群众,全面了解。完成3,720户")
    '深入基层、深入群众，全面了解。完成3,720户'
    >>> ascii_punctuation_to_fullwidth("关于印发《实施意见》(试行)的通知:一是")
    '关于印发《实施意见》（试行）的通知：一是'
    >>> ascii_punctuation_to_fullwidth("see http://a.b (x) at 1:2")
    'see http://a.b (x) at 1:2'
    """
    return map_lines(_convert_line, require_text(text))


def _convert_line(line: str) -> str:
    content = _CONTENT.search(line)
    if content is None or _NEEDS_WORK.search(line) is None:
        return line
    content_start, content_end = content.span()
    partner = _matched_parentheses(line)
    asides = {
        open_ for open_, close in partner.items() if contains_chinese(line[open_ + 1 : close])
    }

    out = list(line)
    closers_to_convert: set[int] = set()
    for match in _EVENT.finditer(line):
        start, end = match.span()
        token = match.group()
        # Everything left of `start` is final, so decisions chain left to right.
        left = out[start - 1] if start > 0 else ""
        if token == "(":
            if start in asides and (start <= content_start or _may_precede_aside(left)):
                out[start] = "（"
                closers_to_convert.add(partner[start])
        elif token == ")":
            if start in closers_to_convert:
                out[start] = "）"
        elif _ASCII_RUN_MARK.search(token) or token in ",;:":
            right = line[end] if end < len(line) else ""
            right_is_chinese = (
                is_chinese_char(right) or right in _OPENERS or (right == "(" and end in asides)
            )
            if _mark_converts(left, right, right_is_chinese, at_line_end=end >= content_end):
                out[start:end] = token.translate(_FULLWIDTH)
    return "".join(out)


def _mark_converts(left: str, right: str, right_is_chinese: bool, *, at_line_end: bool) -> bool:
    if is_chinese_char(left) or left in _CLOSERS:
        return right_is_chinese or right in _WORD or at_line_end
    if left in _WORD:
        return right_is_chinese
    return False


def _may_precede_aside(left: str) -> bool:
    return (
        is_chinese_char(left)
        or left in _WORD
        or left in _CLOSERS
        or left in _OPENERS
        or left in _SEPARATORS
    )


def _matched_parentheses(line: str) -> dict[int, int]:
    """Map the index of each matched ``(`` to the index of its ``)``."""
    partner: dict[int, int] = {}
    stack: list[int] = []
    for index, char in enumerate(line):
        if char == "(":
            stack.append(index)
        elif char == ")" and stack:
            partner[stack.pop()] = index
    return partner
