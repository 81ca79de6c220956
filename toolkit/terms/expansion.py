"""Expansions of numbered formulas: what 123工作法, 四个意识 and 六稳 stand for.

A text spells a formula out in one of three ways, and each is looked for after
the formula in the same text:

* a digit sequence (123工作法) is followed by numbered parts whose numerals
  count up: 一张网, 两个引领, 三个平台;
* a numeral with a head (四个意识) is followed by as many items that share the
  head: 政治意识、大局意识、核心意识、看齐意识;
* a numeral with one character (六稳) by as many items that open with it:
  稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from toolkit.terms.sources.span import Span

__all__ = ["chinese_numeral_value", "enumerations", "find_expansion"]

_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "双": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ENUMERATION = re.compile(r"[\u3400-\u9fff]{1,10}(?:(?:、|和|及|与)[\u3400-\u9fff]{1,10}){1,11}")
_SEQUENCE = re.compile(r"^([1-9]{2,5})(?=[\u3400-\u9fff])")
_HEADED = re.compile(
    r"^([一二两三四五六七八九十]{1,3}|[0-9]{1,2})[个大项条种张支类]?([\u3400-\u9fff]{1,4})$"
)
# 两抓三促: two items with 抓, then three with 促 (抓党建、抓产业，促振兴、促增收、促和谐).
_ALTERNATING = re.compile(
    r"([一二两三四五六七八九十])([\u3400-\u9fff])([一二两三四五六七八九十])([\u3400-\u9fff])"
)
_ITEM_SPLIT = re.compile(r"[、，,；;]")
_CLAUSE_WINDOW = 160
# How far after the formula its parts may be spelled out, in characters.
_WINDOW = 1500


def chinese_numeral_value(text: str) -> int | None:
    """Value of a Chinese numeral up to 99 (三 → 3, 十二 → 12, 二十 → 20), else None."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _DIGITS.get(tens, 0 if tens else 1) if tens else 1
        o = _DIGITS.get(ones, 0) if ones else 0
        if (tens and tens not in _DIGITS) or (ones and ones not in _DIGITS):
            return None
        return t * 10 + o
    return _DIGITS.get(text) if len(text) == 1 else None


def _leading_value(form: str) -> int | None:
    match = re.match(r"[一二两双三四五六七八九十]{1,3}|[0-9]{1,2}", form)
    return chinese_numeral_value(match.group()) if match else None


def enumerations(text: str) -> list[tuple[int, list[str]]]:
    """Every enumeration in ``text`` (items joined by 、和及与), with its offset."""
    return [(m.start(), re.split("、|和|及|与", m.group())) for m in _ENUMERATION.finditer(text)]


def find_expansion(
    text: str,
    span: Span,
    numbered: Sequence[Span],
    *,
    listed: Sequence[tuple[int, list[str]]] | None = None,
) -> list[str]:
    """The parts of the formula at ``span`` as spelled out later in ``text``, or ``[]``.

    Parameters
    ----------
    text : str
    span : Span
        The formula's occurrence.
    numbered : sequence of Span
        Numbered candidates of the same text, in any order.
    listed : sequence of (int, list of str), optional
        ``enumerations(text)``, when the caller expands many formulas of one text.
    """
    form = span.form
    sequence = _SEQUENCE.match(form)
    if sequence:
        return _counted_parts([int(d) for d in sequence.group(1)], span, numbered)
    alternating = _ALTERNATING.fullmatch(form)
    if alternating:
        return _alternating_parts(text[span.end : span.end + _CLAUSE_WINDOW], alternating)
    headed = _HEADED.match(form)
    if not headed:
        return []
    size = chinese_numeral_value(headed.group(1))
    head = headed.group(2)
    if size is None or not 2 <= size <= 12:
        return []
    if listed is None:
        listed = enumerations(text)
    starts = [start for start, _ in listed]
    lo, hi = bisect_left(starts, span.end), bisect_left(starts, span.end + _WINDOW)
    after = [items for _, items in listed[lo:hi]]
    lo = bisect_left(starts, span.start - 200)
    before = [items for _, items in listed[lo : bisect_left(starts, span.start)]]
    for items in (*after, *before):
        found = _items_sharing(items, head, size)
        if found:
            return found
    return []


def _alternating_parts(after: str, match: re.Match[str]) -> list[str]:
    groups = [
        (chinese_numeral_value(match.group(1)), match.group(2)),
        (chinese_numeral_value(match.group(3)), match.group(4)),
    ]
    if any(n is None or not 1 <= n <= 9 for n, _ in groups):
        return []
    sentence = re.split(r"[。！？\n]", after, maxsplit=1)[0]
    items = [item for item in _ITEM_SPLIT.split(sentence) if item]
    total = sum(n for n, _ in groups)  # type: ignore[misc]
    for i in range(len(items) - total + 1):
        parts, j = [], i
        for n, char in groups:
            chunk = items[j : j + n]  # type: ignore[operator]
            if not all(char in item for item in chunk):
                break
            if j == i:
                # The very first item's left edge is unknown: start it at its character.
                chunk = [chunk[0][chunk[0].index(char) :], *chunk[1:]]
            parts += chunk
            j += n  # type: ignore[operator]
        else:
            if all(len(p) <= 8 for p in parts):
                return parts
    return []


def _counted_parts(values: list[int], span: Span, numbered: Sequence[Span]) -> list[str]:
    after = sorted((s for s in numbered if s.start >= span.end), key=lambda s: s.start)
    parts: list[str] = []
    for value in values:
        nxt = next(
            (s for s in after if _leading_value(s.form) == value and s.end - span.end < _WINDOW),
            None,
        )
        if nxt is None:
            return []
        parts.append(nxt.form)
        after = [s for s in after if s.start >= nxt.end]
    return parts


def _items_sharing(items: list[str], head: str, size: int) -> list[str]:
    """``size`` consecutive items sharing the head's last characters or its first one."""
    if len(items) < size:
        return []
    suffix = head[-2:] if len(head) >= 2 else None
    for i in range(len(items) - size + 1):
        window = items[i : i + size]
        if (
            suffix
            and all(item.endswith(suffix) for item in window[1:])
            and window[0].endswith(suffix)
        ):
            return _trim(window, suffix, at_end=True)
        # 红色台账记急事、黄色台账记难事: each item names its part, then says more.
        if suffix and all(suffix in item for item in window):
            cut = [item[: item.index(suffix) + len(suffix)] for item in window]
            if len({len(c) for c in cut[1:]}) <= 1:
                return _trim(cut, suffix, at_end=True)
        if len(head) == 1 and all(
            item[1:].startswith(head) or item.startswith(head) for item in window[1:]
        ):
            first = window[0]
            at = first.rfind(head)
            if at >= 0:
                return [first[at:], *window[1:]]
    return []


def _trim(items: list[str], suffix: str, *, at_end: bool) -> list[str]:
    # The first item's left edge is unknown (增强政治意识): give it the length of the others.
    length = len(items[1])
    return [items[0][-length:], *items[1:]]
