"""Full-width ASCII forms to their half-width equivalents.

Full-width letters and digits (``２０２１``, ``ＡＰＰ``) come from Chinese input
methods and typesetting; they split one token into many variants. The seven
full-width marks that *are* standard Chinese punctuation stay full-width.
"""

from __future__ import annotations

from toolkit._validation import require_text

__all__ = ["CHINESE_FULLWIDTH_PUNCTUATION", "fullwidth_to_halfwidth"]

#: Full-width forms (U+FF01–U+FF5E) that are the normal Chinese punctuation marks
#: ！（），：；？ and are therefore kept. The other Chinese marks (。、“”《》 …) live
#: outside that block and are never touched.
CHINESE_FULLWIDTH_PUNCTUATION = "！（），：；？"

# U+FF01..U+FF5E mirror U+0021..U+007E at a fixed offset.
_OFFSET = 0xFF01 - 0x21
_TO_HALFWIDTH = {
    code: code - _OFFSET
    for code in range(0xFF01, 0xFF5F)
    if chr(code) not in CHINESE_FULLWIDTH_PUNCTUATION
}


def fullwidth_to_halfwidth(text: str) -> str:
    """Convert full-width ASCII letters, digits and symbols to half-width.

    Every character in U+FF01–U+FF5E becomes its ASCII twin (``Ａ`` → ``A``,
    ``３`` → ``3``, ``．`` → ``.``, ``％`` → ``%``, ``＋`` → ``+``, ``～`` → ``~``,
    ``＂`` → ``"``), except the Chinese punctuation marks ``！（），：；？``, which
    stay full-width. The ideographic space U+3000 is left for
    :func:`~toolkit.normalize.collapse_whitespace`.

    Parameters
    ----------
    text : str
        Text to convert.

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
    >>> fullwidth_to_halfwidth("２０２１年ＡＰＰ下载量达３．９６亿次，增长１２％")
    '2021年APP下载量达3.96亿次，增长12%'
    """
    return require_text(text).translate(_TO_HALFWIDTH)
