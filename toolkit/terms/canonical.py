"""Canonical forms: one name for every way a text writes a term.

A term is written many ways: “两委”, 村“两委”, 村两委; 共建共治共享 and
共建、共治、共享; 1+X and “1＋x”. All of them share a *key*: the surface form
without quote marks, enumeration commas and spaces, with full-width ASCII made
half-width and ASCII letters lower-cased. Forms with one key are one term; its
canonical form is the form a corpus writes most often.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

__all__ = ["QUOTES", "canonical_key", "pick_canonical", "strip_quotes", "variant_pattern"]

#: Quote marks that wrap terms in Chinese text.
QUOTES = "“”‘’\"'「」『』《》"
# Characters that separate parallel units without being part of the term.
_SEPARATORS = "、，,；; 　"
_QUOTE_DROP = {ord(c): None for c in QUOTES}
_KEY_DROP = {ord(c): None for c in QUOTES + _SEPARATORS}
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def strip_quotes(form: str) -> str:
    """``form`` without any quote marks (``村“两委”`` → ``村两委``)."""
    return form.translate(_QUOTE_DROP)


@lru_cache(maxsize=1 << 18)
def canonical_key(form: str) -> str:
    """The key shared by every surface form of one term.

    Examples
    --------
    >>> canonical_key("共建、共治、共享") == canonical_key("共建共治共享")
    True
    >>> canonical_key("“1＋X”")
    '1+x'
    """
    return form.translate(_KEY_DROP).translate(_FULLWIDTH).translate(_LOWER)


def pick_canonical(forms: Mapping[str, int] | Iterable[str]) -> str:
    """The canonical form among surface forms of one term: the most frequent.

    Ties go to the form without quote marks, then the shorter, then the
    lexicographically first, so the choice never depends on input order.
    """
    counts = forms if isinstance(forms, Mapping) else Counter(forms)
    if not counts:
        raise ValueError("forms must hold at least one surface form (got none)")
    cleaned: Counter[str] = Counter()
    for form, n in counts.items():
        cleaned[strip_quotes(form)] += n
    return min(cleaned, key=lambda f: (-cleaned[f], len(f), f))


def variant_pattern(term: str) -> re.Pattern[str]:
    """A regex matching every surface form of ``term`` that has its key.

    Between any two characters of the term, quote marks and enumeration commas
    may appear; ASCII letters match either case and ASCII symbols their
    full-width twins. ``共建共治共享`` thus finds ``共建、共治、共享`` and
    ``“共建共治共享”`` (the match starts and ends inside the quote marks).
    """
    key = canonical_key(term)
    if not key:
        raise ValueError(
            f"term must contain a character other than quotes and commas (got {term!r})"
        )
    gap = f"[{re.escape(QUOTES + _SEPARATORS)}]{{0,2}}"
    parts = []
    for char in key:
        if char.isascii() and char.isalpha():
            parts.append(f"[{char}{char.upper()}]")
        elif char.isascii() and not char.isalnum() and 0x21 <= ord(char) <= 0x7E:
            parts.append(f"[{re.escape(char)}{re.escape(chr(ord(char) + 0xFEE0))}]")
        elif char.isascii() and char.isdigit():
            parts.append(f"[{char}{chr(ord(char) + 0xFEE0)}]")
        else:
            parts.append(re.escape(char))
    return re.compile(gap.join(parts))
