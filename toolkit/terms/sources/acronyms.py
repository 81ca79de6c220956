"""Acronyms and Latin-script names: RCEP, CEPA, AEO, PM2.5, Wi-Fi, 5G.

Reports write international agreements, standards and technologies in Latin
letters, and these are exactly what their glossaries explain. A candidate is
a run of capital letters (two to eight, digits and one inner ``-`` ``.`` or
``&`` allowed) that is not part of a longer Latin word, or a mixed-case word
with an inner hyphen (Wi-Fi).
"""

from __future__ import annotations

import re

from toolkit.terms.sources.span import Span

__all__ = ["find_acronyms"]

_ACRONYM = re.compile(
    r"(?<![A-Za-z0-9Ａ-Ｚａ-ｚ])"
    r"([A-ZＡ-Ｚ][A-ZＡ-Ｚ0-9０-９]*(?:[-.&][A-ZＡ-Ｚ0-9０-９]+)?"
    r"|[A-Z][a-z]+-[A-Z][a-z]+)"
    r"(?![A-Za-z0-9Ａ-Ｚａ-ｚ])"
)
# Units and markers written in capitals that are not terms.
_NOT_TERMS = frozenset({"GDP", "CPI", "PPI", "KM", "MW", "KV", "KW", "TEU", "AAA", "AAAA", "AAAAA"})


def find_acronyms(text: str) -> list[Span]:
    """Acronyms and Latin-script names in ``text``."""
    spans = []
    for match in _ACRONYM.finditer(text):
        form = match.group(1)
        letters = sum(c.isalpha() for c in form)
        if letters < 2 or len(form) > 10 or form.upper() in _NOT_TERMS:
            continue
        spans.append(Span(match.start(1), match.end(1), form, "acronym"))
    return spans
