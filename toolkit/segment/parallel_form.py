"""The written shape of a parallel formula: 2–6 parallel units, joined by 、，or nothing.

共建共治共享 and 共建、共治、共享; 民事、民议、民决; 比、学、赶、超;
学党史、悟思想、办实事、开新局; 小事不出社区，大事不出街道，矛盾不上交.

Units are parallel when they have one length and share a character in one
place (民事、民议、民决), or, without a shared character, when there are at
least three of them and each is at least three characters long (verb–object
slogans); three or more units that end with one head word are parallel
whatever their lengths (经济建设、…、生态文明建设). Ordinary lists (北京、上海、
广州; 电动汽车、物联网) fail these tests.

This is the lowest layer that needs the rule: the quoted-term rule
(:mod:`toolkit.segment.quoted`) asks it whether quoted clauses are one
formula, and term detection (:mod:`toolkit.terms.sources.parallel`) finds
formulas in running text with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

__all__ = ["is_parallel", "parallel_units", "repeated_formulas", "units_are_parallel"]

_HAN = r"\u3400-\u9fff"
# Unseparated repetition with one shared first character: 共建共治共享, 大排查大化解.
# One pattern per unit length: with {1,2} a two-character unit would swallow
# the next repeat (共建共治共享 read as 建 | 治共).
_REPEATED_BY_LENGTH = [
    re.compile(rf"([{_HAN}])([{_HAN}]{{{n}}})\1([{_HAN}]{{{n}}})(?:\1([{_HAN}]{{{n}}}))?")
    for n in (1, 2)
]
_SPLIT = re.compile(r"[、，,；;]")


def units_are_parallel(units: Sequence[str]) -> bool:
    """Whether ``units`` read as one parallel formula (see the module docstring)."""
    if not 2 <= len(units) <= 6 or any(not u for u in units):
        return False
    lengths = {len(u) for u in units}
    if len(lengths) != 1 and len(units) >= 3 and max(lengths) <= 8 and _shared_head(units):
        # 经济建设、政治建设、文化建设、社会建设、生态文明建设: one head word makes
        # the units one series, whatever the length of what it modifies.
        return True
    if len(lengths) != 1:
        # Clauses of a slogan may differ by a character (小事不出社区，矛盾不上交):
        # two clauses must share a bigram, three or more a character.
        if max(lengths) - min(lengths) > 1 or max(lengths) > 8:
            return False
        if len(units) == 2:
            return _shared_bigram(units)
        return bool(set.intersection(*(set(u) for u in units)))
    length = lengths.pop()
    if length == 1:
        return len(units) >= 3
    if any(len({u[i] for u in units}) == 1 for i in range(length)):
        return True
    return len(units) >= 3 and length >= 3


def _shared_head(units: Sequence[str]) -> bool:
    """Every unit ends with the same two characters and says more than them."""
    head = units[0][-2:]
    return all(len(u) > 2 and u.endswith(head) for u in units)


def _shared_bigram(units: Sequence[str]) -> bool:
    grams = [{u[i : i + 2] for i in range(len(u) - 1)} for u in units]
    common = set.intersection(*grams) if grams else set()
    return bool(common) or all(u[-2:] == units[0][-2:] for u in units)


def parallel_units(form: str) -> list[str]:
    """The units of a parallel formula (共建共治共享 → 共建, 共治, 共享), or ``[form]``."""
    units = [u for u in _SPLIT.split(form) if u]
    if len(units) > 1:
        return units
    for pattern in _REPEATED_BY_LENGTH:
        match = pattern.fullmatch(form)
        if match is not None and _repeated_ok(match):
            head = match.group(1)
            return [head + g for g in match.groups()[1:] if g]
    return [form]


@lru_cache(maxsize=1 << 17)
def is_parallel(form: str) -> bool:
    """Whether ``form`` is a parallel formula, separated (民事、民议) or not (共建共治共享)."""
    units = [u for u in _SPLIT.split(form)]
    if len(units) > 1:
        return len(set(units)) == len(units) and units_are_parallel(units)
    return any(
        (match := pattern.fullmatch(form)) is not None and _repeated_ok(match)
        for pattern in _REPEATED_BY_LENGTH
    )


def repeated_formulas(text: str) -> Iterator[re.Match[str]]:
    """Formulas written together with a repeated first character (共建共治共享) in ``text``."""
    for pattern in _REPEATED_BY_LENGTH:
        for match in pattern.finditer(text):
            if _repeated_ok(match):
                yield match


def _repeated_ok(match: re.Match[str]) -> bool:
    units = [g for g in match.groups()[1:] if g]
    return len({len(u) for u in units}) == 1 and len(set(units)) == len(units)
