"""Annotated candidates: terms followed by a note marker, 金宿银宿[36], 海关AEO［1］.

Reports that carry a 名词解释 appendix mark each explained term in the body
with its note number. The term is the quoted span before the marker, or the
bounded modifier before it (as for head nouns).
"""

from __future__ import annotations

import re

from toolkit.terms.sources.boundaries import left_modifier
from toolkit.terms.sources.span import Span

__all__ = ["find_annotated"]

_MARKER = re.compile(r"[\[［〔【]\s*[0-9０-９]{1,3}\s*[\]］〕】]")
_CLOSE_QUOTE = '”」』"'
_OPEN_QUOTE = '“「『"'
_MAX_TERM = 14


def find_annotated(text: str, *, cuts: frozenset[int] | None = None) -> list[Span]:
    """Spans right before a note marker."""
    spans = []
    for match in _MARKER.finditer(text):
        end = match.start()
        if end and text[end - 1] in _CLOSE_QUOTE:
            opening = max(text.rfind(q, max(0, end - 30), end - 1) for q in _OPEN_QUOTE)
            if opening >= 0 and end - 1 - (opening + 1) >= 1:
                spans.append(Span(opening + 1, end - 1, text[opening + 1 : end - 1], "annotated"))
            continue
        start = left_modifier(text, end, cuts=cuts, max_chars=_MAX_TERM)
        # “1 7”重点高中[10]: the quoted core and its head noun are one term.
        inside = text[max(0, end - _MAX_TERM) : end]
        close = max(inside.rfind(q) for q in _CLOSE_QUOTE)
        if close >= 0:
            close += end - len(inside)
            opening = max(text.rfind(q, max(0, close - 20), close) for q in _OPEN_QUOTE)
            if opening >= 0:
                start = opening + 1
        if end - start >= 2:
            form = text[start:end].translate({ord(q): None for q in _OPEN_QUOTE + _CLOSE_QUOTE})
            spans.append(Span(start, end, form, "annotated"))
    return spans
