"""Abbreviations of terms: 台独 is 台湾独立, 营改增 is 营业税改征增值税.

Chinese abbreviates a term by keeping the first character of each of its
words (台湾 | 独立 → 台独). A short term and a long one are variants of one
term when the short one is exactly the initials of the long one's words, both
are terms of the corpus, and each word of the long one has at least two
characters and is a dictionary word (so that 台湾独立 is read as two words,
not as four characters, and 河湖长制 is not read as 河湖 | 长制 for 河长).
Numerals are not initials (双创基地 is not 双基).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

__all__ = ["abbreviations"]

_NUMERAL = re.compile(r"[0-9一二两双三四五六七八九十百千万]")


def abbreviations(
    terms: Iterable[str],
    cut: Callable[[str], list[str]],
    is_word: Callable[[str], bool] | None = None,
) -> dict[str, str]:
    """Long term → its abbreviation, for the pairs of ``terms`` that abbreviate one another.

    Parameters
    ----------
    terms : iterable of str
        Terms of one corpus (canonical keys).
    cut : callable
        A word segmentation without a term lexicon (so that a term is cut
        into its words).
    is_word : callable, optional
        Whether a string is a dictionary word. A segmenter's dictionary may
        hold a whole term as one word (台湾独立); with ``is_word`` such a word is
        split into shorter dictionary words of two characters or more.

    Returns
    -------
    dict of str to str
        E.g. ``{"台湾独立": "台独"}``. Numbered formulas are left out: their
        numerals are not initials (两学一做 abbreviates nothing by its words).

    Examples
    --------
    >>> words = {"台湾独立": ["台湾", "独立"]}
    >>> abbreviations(["台独", "台湾独立", "独立"], lambda t: words.get(t, [t]))
    {'台湾独立': '台独'}
    """
    unique = sorted(set(terms))
    short = {t for t in unique if 2 <= len(t) <= 4 and not _NUMERAL.search(t)}
    out: dict[str, str] = {}
    for term in unique:
        if not 4 <= len(term) <= 16 or _NUMERAL.search(term):
            continue
        words = [w for word in cut(term) for w in _split(word, is_word)]
        if not 2 <= len(words) <= 4 or any(len(w) < 2 for w in words):
            continue
        # 河湖 | 长制 is no abbreviation of 河长: 长制 is not a word.
        if is_word is not None and not all(is_word(w) for w in words):
            continue
        initials = "".join(w[0] for w in words)
        if initials in short:
            out[term] = initials
    return out


def _split(word: str, is_word: Callable[[str], bool] | None) -> list[str]:
    """``word`` as the fewest dictionary words of two or more characters, else ``[word]``."""
    if is_word is None or len(word) < 4:
        return [word]
    # best[i]: the fewest words covering word[:i], or None.
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(2, len(word) + 1):
        for start in range(max(0, end - 4), end - 1):
            head, piece, known = best[start], word[start:end], best[end]
            if (
                head is not None
                and piece != word
                and is_word(piece)
                and (known is None or len(head) + 1 < len(known))
            ):
                best[end] = [*head, piece]
    return best[-1] or [word]
