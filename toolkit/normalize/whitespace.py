"""Whitespace collapsing that keeps paragraph structure."""

from __future__ import annotations

import re

from toolkit._validation import require_text
from toolkit.normalize.chars import HORIZONTAL_WHITESPACE_CLASS, LINE_BREAK_PATTERN

__all__ = ["collapse_whitespace"]

_LINE_BREAK = re.compile(LINE_BREAK_PATTERN)
_HORIZONTAL_RUN = re.compile(f"[{HORIZONTAL_WHITESPACE_CLASS}]+")
_THREE_OR_MORE_NEWLINES = re.compile("\n{3,}")


def collapse_whitespace(text: str) -> str:
    """Collapse runs of whitespace while keeping lines and blank-line breaks.

    Within a line, every run of spaces, tabs, ideographic spaces (U+3000),
    no-break spaces and other Unicode space separators becomes one ASCII space,
    and each line is stripped. Line breaks (``\\r\\n``, ``\\r``, form feed, ...)
    become ``\\n``; three or more consecutive newlines become two, so one blank
    line survives to mark paragraph and page boundaries. Finally the whole text
    is stripped of leading and trailing newlines.

    Single spaces *between* Chinese phrases are kept: in newspaper subheads such
    as ``下沉一线摸底 落实工作在基层`` the space is the only separator.

    Parameters
    ----------
    text : str
        Text to tidy.

    Returns
    -------
    str
        The tidied text.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> collapse_whitespace("\\u3000\\u3000下沉一线摸底\\u3000 落实工作在基层  \\n\\n\\n\\n第二段")
    '下沉一线摸底 落实工作在基层\\n\\n第二段'
    """
    lines = _LINE_BREAK.split(require_text(text))
    joined = "\n".join(_HORIZONTAL_RUN.sub(" ", line).strip(" ") for line in lines)
    return _THREE_OR_MORE_NEWLINES.sub("\n\n", joined).strip("\n")
