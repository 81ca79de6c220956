"""Expansions of numbered formulas: what 123工作法, 四个意识 and 六稳 stand for.

A text spells a formula out in one of these ways:

* a digit sequence (123工作法) is followed by numbered parts whose numerals
  count up: 一张网, 两个引领, 三个平台. The digits must count up from 1 and
  not count something: 12条, 15分钟 and 33项 are quantities, and a two-digit
  run is a sequence only where the text quotes it (“12”工作法), as twelve is
  far more often meant;
* a numeral with a head (四个意识) is followed by as many items that share the
  head: 政治意识、大局意识、核心意识、看齐意识;
* a numeral with one character (六稳, 五治, 三个一) by as many items that carry
  it: 稳就业、稳金融…; 政治、德治、法治、自治、智治; 建好一张表，用好一个群，
  办好一件事;
* the parts may also come first, ending where the formula begins, in the same
  clause: 坚持产业、人才、文化、生态、组织“五个振兴” (short items take the
  head: 产业振兴); 经济建设、政治建设、文化建设、社会建设、生态文明建设五位一体;
  学党章党规、学系列讲话、做合格党员，“两学一做”.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from itertools import pairwise

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
    r"^([一二两三四五六七八九十]{1,3}|[0-9]{1,2})[个大项条种张支类方只篇]?([\u3400-\u9fff]{1,4})$"
)
# 两抓三促: two items with 抓, then three with 促 (抓党建、抓产业，促振兴、促增收、促和谐).
_ALTERNATING = re.compile(
    r"([一二两三四五六七八九十])([\u3400-\u9fff])([一二两三四五六七八九十])([\u3400-\u9fff])"
)
_ITEM_SPLIT = re.compile(r"[、，,；;：:]")
# A digit run followed by one of these counts something (12条, 15分钟): not a sequence.
_MEASURES = frozenset("条项个件类种名户人家所座万千百亿元年月日天次分秒倍批场部期届")
# Where a clause ends: parts written before a formula are in its clause.
_CLAUSE_END = re.compile(r"[，,。；;：:！!？?\n（(）)]")
_QUOTES = "“”‘’「」『』\"'《》 "
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


# Head nouns a formula is named with (五位一体总体布局, 四个全面战略布局): the
# parts are the core's. Longest first.
_FORMULA_HEADS = ("总体布局", "战略布局", "布局", "格局")


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

    A formula named with a head noun after it (五位一体总体布局) has the parts
    of its core (五位一体).

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
    parts = _find_expansion(text, span, numbered, listed=listed)
    if parts:
        return parts
    for head in _FORMULA_HEADS:
        if span.form.endswith(head) and len(span.form) > len(head) + 1:
            core = span.form[: -len(head)]
            inner = Span(span.start, span.start + len(core), core, span.kind)
            return _find_expansion(text, inner, numbered, listed=listed)
    return []


def _find_expansion(
    text: str,
    span: Span,
    numbered: Sequence[Span],
    *,
    listed: Sequence[tuple[int, list[str]]] | None = None,
) -> list[str]:
    form = span.form
    sequence = _SEQUENCE.match(form)
    if sequence:
        digits = [int(d) for d in sequence.group(1)]
        if not _is_sequence(digits, form, quoted=span.kind == "quoted"):
            return []
        return _counted_parts(digits, span, numbered)
    alternating = _ALTERNATING.fullmatch(form)
    if alternating:
        groups = _groups(alternating)
        if groups is None:
            return []
        parts = _carried_parts(text[span.end : span.end + _CLAUSE_WINDOW], groups) or (
            _carried_parts(_sentence_before(text, span.start), groups, last=True)
        )
        # 五位一体 names five parts made one: its parts share no character with it.
        if parts or groups[1] != (1, "体"):
            return parts
    headed = _HEADED.match(form)
    if not headed:
        return []
    size = chinese_numeral_value(headed.group(1))
    head = headed.group(2)
    if size is None or not 2 <= size <= 12:
        return []
    before_parts = _parts_before(_clause_before(text, span.start), head, size)
    if listed is None:
        listed = enumerations(text)
    starts = [start for start, _ in listed]
    lo, hi = bisect_left(starts, span.end), bisect_left(starts, span.end + _WINDOW)
    after = [items for _, items in listed[lo:hi]]
    lo = bisect_left(starts, span.start - 200)
    before = [items for _, items in listed[lo : bisect_left(starts, span.start)]]
    # Items that share the head are the strongest evidence; then a list that ends
    # where the formula begins.
    for items in (*after, *before):
        found = _items_sharing(items, head, size)
        if found:
            return found
    if before_parts:
        return before_parts
    if len(head) == 1:
        # 三个一: 建好一张表，用好一个群，办好一件事 (parts in a sentence, not a 、 list).
        return _carried_parts(text[span.end : span.end + _CLAUSE_WINDOW], [(size, head)])
    return []


def _is_sequence(digits: list[int], form: str, *, quoted: bool) -> bool:
    """Whether a digit run names numbered parts (123工作法) rather than a quantity (12条)."""
    if digits[0] != 1 or any(b <= a for a, b in pairwise(digits)):
        return False
    if form[len(digits)] in _MEASURES:
        return False
    return quoted or len(digits) >= 3


def _groups(match: re.Match[str]) -> list[tuple[int, str]] | None:
    groups = []
    for numeral, char in ((match.group(1), match.group(2)), (match.group(3), match.group(4))):
        n = chinese_numeral_value(numeral)
        if n is None or not 1 <= n <= 9:
            return None
        groups.append((n, char))
    return groups


def _clause_before(text: str, start: int) -> str:
    """The clause that ends where a formula begins, without the quote mark before it."""
    window = text[max(0, start - _CLAUSE_WINDOW) : start].rstrip(_QUOTES)
    return _CLAUSE_END.split(window)[-1]


def _sentence_before(text: str, start: int) -> str:
    """The sentence up to a formula, without the quote mark and comma before it."""
    window = text[max(0, start - _CLAUSE_WINDOW) : start].rstrip(_QUOTES + "，,")
    return re.split(r"[。！？!?\n]", window)[-1]


def _parts_before(clause: str, head: str, size: int) -> list[str]:
    """``size`` items listed with 、 that end the clause just before the formula."""
    items = clause.split("、")
    if len(items) == size - 1:
        # 文化建设和生态文明建设: the last two joined by a conjunction.
        last = re.split("和|及|与", items[-1], maxsplit=1)
        items = [*items[:-1], *last]
    if len(items) != size or not all(items):
        return []
    items[-1] = items[-1].removesuffix("等")  # 电子信息、生物医药等“两大产业”
    first = _left_edge(items[0], items[1:])
    if first is None:
        return []
    items = [first, *items[1:]]
    if any(
        not re.fullmatch(r"[\u3400-\u9fff]{1,10}", item) or item.startswith("等") for item in items
    ):
        return []
    # 提质、扩量、增效实施“三大工程”: the verb that governs the formula ends the list,
    # so the list is that verb's object, not the formula's parts.
    if len(items[-1]) > 2 and items[-1][-2:] in _INTRODUCING:
        return []
    if len(set(items)) < size:
        return []
    # 产业、人才…“五个振兴”: short items name their parts with the head (产业振兴).
    # Not when every item carries the head's first character (外贸、外资…“五外联动”).
    if (
        len(head) >= 2
        and not re.search("[一二两三四五六七八九十]", head)
        and all(len(item) <= 2 for item in items)
        and not all(head[0] in item for item in items)
    ):
        return [item + head for item in items]
    return items


# Verbs that introduce a formula (实施…工程, 开展…行动, 推行…制度).
_INTRODUCING = frozenset(
    {"实施", "实现", "开展", "推进", "推动", "推行", "打造", "落实", "坚持", "深化", "启动", "抓好"}
)
# Words that open a clause before its object: 坚持产业…, 统筹推进经济建设…, 大力发展….
_GOVERNING_TAGS = frozenset({"v", "p", "c", "u", "d", "ad", "r"})
_MANNER = frozenset({"大力", "着力", "全面", "重点", "积极", "加快", "持续", "进一步", "切实"})


def _leading_words(text: str) -> int:
    """How many words at the start of ``text`` govern what follows (verbs, prepositions...)."""
    import rjieba  # jieba's dictionary, read-only; loaded when a list needs it

    from toolkit.segment.backends import jieba_tags

    tags = jieba_tags()
    n = 0
    for word in rjieba.cut(text):
        if word in _MANNER or tags.get(word) in _GOVERNING_TAGS:
            n += len(word)
        else:
            break
    return n


def _left_edge(first: str, others: list[str]) -> str | None:
    """The first item without the words of its clause that precede the list.

    The regex cannot see where a list begins (坚持产业、人才…): drop the verbs,
    prepositions and adverbs that open it, then keep whole words, as near to the
    other items' length as they come.
    """
    import rjieba

    first = first[_leading_words(first) :]
    if not first:
        return None
    target = sorted(len(o) for o in others)[len(others) // 2]
    words = rjieba.cut(first)
    best = first
    for i in range(1, len(words)):
        tail = "".join(words[i:])
        if abs(len(tail) - target) <= abs(len(best) - target):
            best = tail
    return best


def _carried_parts(clause: str, groups: list[tuple[int, str]], *, last: bool = False) -> list[str]:
    """Consecutive items of one sentence that carry the formula's characters, in order.

    ``groups`` is ``[(count, char), ...]``: 两学一做 is two items with 学, then one
    with 做. Each item starts at its character (建好一张表 → 一张表), or, where
    every item ends with it (政治、德治…“五治”), keeps the length of the others.
    With ``last`` the items must end the clause (parts written before the formula).
    """
    sentence = clause if last else re.split(r"[。！？\n]", clause, maxsplit=1)[0]
    items = [item for item in _ITEM_SPLIT.split(sentence) if item]
    total = sum(n for n, _ in groups)
    starts = [len(items) - total] if last else range(len(items) - total + 1)
    for i in starts:
        if i < 0:
            return []
        parts, j = [], i
        for n, char in groups:
            chunk = items[j : j + n]
            if not all(char in item for item in chunk):
                break
            parts += [_from_char(item, char, chunk) for item in chunk]
            j += n
        else:
            # 一老一小, 一县一业 name two groups, not parts written out item by item.
            if len(set(parts)) == total >= 3 and all(2 <= len(p) <= 8 for p in parts):
                return parts
    return []


def _from_char(item: str, char: str, chunk: list[str]) -> str:
    if len(chunk) > 1 and all(c.endswith(char) for c in chunk):
        width = len(chunk[1]) if item == chunk[0] else len(item)
        return item[-width:]
    return item[item.index(char) :]


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
            if all(item.endswith(head) for item in window):
                # 政治、德治、法治: the first item's edge is unknown; it takes the others' length.
                return [first[-len(window[1]) :], *window[1:]]
            at = first.rfind(head)
            if at >= 0:
                return [first[at:], *window[1:]]
    return []


def _trim(items: list[str], suffix: str, *, at_end: bool) -> list[str]:
    # The first item's left edge is unknown (增强政治意识): give it the length of the others.
    length = len(items[1])
    return [items[0][-length:], *items[1:]]
