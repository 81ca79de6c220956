"""Parallel formulas in running text: 2–6 parallel units, joined by 、，or nothing.

What makes units parallel is one rule, :mod:`toolkit.segment.parallel_form`,
which the quoted-term rule shares; this module finds such formulas in text.
"""

from __future__ import annotations

import re

from toolkit.segment.parallel_form import (
    is_parallel,
    parallel_units,
    repeated_formulas,
    units_are_parallel,
)
from toolkit.terms.sources.span import Span

__all__ = ["find_parallel", "is_parallel", "parallel_units", "units_are_parallel"]

_HAN = r"\u3400-\u9fff"
# A run of 、-separated units, each 1–6 Chinese characters.
_ENUMERATION = re.compile(rf"[{_HAN}]{{1,6}}(?:、[{_HAN}]{{1,6}}){{1,5}}")
_COMMA = re.compile("、")
_UNIT = 6  # the longest unit _ENUMERATION takes


def _enumerations(text: str) -> list[re.Match[str]]:
    """``_ENUMERATION`` matches, searched only around the 、 of ``text`` (the regex is slow)."""
    windows: list[list[int]] = []
    for comma in _COMMA.finditer(text):
        start, end = max(0, comma.start() - _UNIT), comma.end() + _UNIT
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    return [m for start, end in windows for m in _ENUMERATION.finditer(text, start, end)]


def find_parallel(text: str, *, cuts: frozenset[int] | None = None) -> list[Span]:
    """Parallel formulas in ``text``, separated by 、 or written together.

    ``cuts`` are the token boundaries of a segmentation of ``text``: with them,
    a formula must start and end on a token boundary, so that 省委、省政府 is
    not read as 省委、省政.
    """
    spans: list[Span] = []

    def aligned(start: int, end: int) -> bool:
        return cuts is None or (start in cuts and end in cuts)

    for match in _enumerations(text):
        units = match.group().split("、")
        inner = units[1:-1]
        if inner:
            length = len(inner[0])
            if any(len(u) != length for u in inner):
                continue
            lengths = [length]
        else:
            lengths = list(range(min(len(units[0]), len(units[-1]), 5), 0, -1))
        for length in lengths:
            if len(units[0]) < length or len(units[-1]) < length:
                continue
            last = units[-1][:length]
            if inner and len(units[-1]) > length and units[-1].endswith(inner[0][-2:]):
                # …社会建设、生态文明建设: the last unit ends with the series' head word.
                last = units[-1]
            trimmed = [units[0][-length:], *inner, last]
            start = match.start() + len(units[0]) - length
            form = "、".join(trimmed)
            if units_are_parallel(trimmed) and aligned(start, start + len(form)):
                spans.append(Span(start, start + len(form), form, "parallel"))
                break
    for match in repeated_formulas(text):
        if aligned(match.start(), match.end()):
            spans.append(Span(match.start(), match.end(), match.group(), "parallel"))
    return spans
