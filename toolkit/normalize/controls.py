"""Removal of invisible and control characters; line-break unification."""

from __future__ import annotations

import re

from toolkit._validation import require_text
from toolkit.normalize.chars import LINE_BREAK_PATTERN

__all__ = ["remove_control_characters"]

# Zero-width and other invisible formatting characters that web pages and PDF
# extractors leave inside words, where they silently break term matching:
# soft hyphen, Mongolian vowel separator, zero-width space/non-joiner/joiner,
# LRM/RLM, bidi embeddings and isolates, word joiner, invisible operators, BOM.
_INVISIBLE = "\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
# C0 and C1 controls other than the ones that carry layout: tab stays, and the
# line-break controls (\n \v \f \r NEL) are unified below rather than dropped,
# so that a page break does not glue the last line of one page to the next.
_CONTROLS = "\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f"

_DROP = re.compile(f"[{_INVISIBLE}{_CONTROLS}]+")
_LINE_BREAK = re.compile(LINE_BREAK_PATTERN)


def remove_control_characters(text: str) -> str:
    """Drop invisible and control characters and unify line breaks to ``\\n``.

    Removed: zero-width characters (U+200B–U+200D, U+2060, U+FEFF), the soft
    hyphen U+00AD, other invisible formatting marks (U+180E, LRM/RLM
    U+200E–U+200F, bidi controls U+202A–U+202E and U+2066–U+2069, invisible
    operators U+2061–U+2064), and every C0/C1 control character except tab.
    Line breaks (``\\r\\n``, lone ``\\r``, vertical tab, form feed, NEL U+0085,
    U+2028, U+2029) become ``\\n``. Form feed is kept as a break because PDF
    extractors put it between pages.

    Parameters
    ----------
    text : str
        Text to clean.

    Returns
    -------
    str
        The cleaned text.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> remove_control_characters("\\ufeff乡村\\u200b振兴\\r\\n共同富裕\\x07")
    '乡村振兴\\n共同富裕'
    """
    # Drop first so that "\r<ZWSP>\n" becomes one break rather than two.
    return _LINE_BREAK.sub("\n", _DROP.sub("", require_text(text)))
