"""Quoted candidates: what a text marks as a term by putting it in quotation marks.

“一线工作法” is a candidate; so is a quoted modifier with the head noun after
it (“1+x”课堂 → 1+x课堂, “十强”产业 → 十强产业). Which quoted span is a
term is one rule, :func:`toolkit.segment.quoted.find_quotes`, which the
segmenter learns from too; this source adds the parallel formulas that
several quoted units make together.
"""

from __future__ import annotations

import re

from toolkit.segment.parallel_form import units_are_parallel
from toolkit.segment.quoted import find_quotes
from toolkit.terms.sources.numbered import is_numbered
from toolkit.terms.sources.span import Span

__all__ = ["find_quoted"]

# Quoted units in a row, joined by 、和与及 or nothing: “建好”和“用好”.
_JOINER = re.compile(r"[、和与及]?")
# Parallel quoted units of one sentence may stand this far apart.
_MAX_GAP = 12
_SENTENCE_END = re.compile(r"[。！？；;!?\n]")


def find_quoted(text: str) -> list[Span]:
    """Quoted spans that read as terms, each with its compound with a following head noun.

    Quoted units in a row that are parallel (“建好”和“用好”) are also one
    candidate, written with 、 (建好、用好); numbered ones (“六稳”“六保”) are not.
    So are three or more parallel quoted units spread over one sentence
    (思想建设的“主阵地”、文化建设的“主战场”、文明传播的“主渠道” → 主阵地、主战场、主渠道).
    """
    spans: list[Span] = []
    run: list[tuple[int, int, str]] = []
    spread: list[tuple[int, int, str]] = []
    for quote in find_quotes(text):
        start, end, inner = quote.start, quote.end, quote.inner
        spans.append(Span(start, end, inner, "quoted"))
        if run and _JOINER.fullmatch(text, run[-1][1] + 1, start - 1):
            run.append((start, end, inner))
        else:
            _close_run(run, spans)
            run = [(start, end, inner)]
        gap = text[spread[-1][1] + 1 : start - 1] if spread else ""
        if spread and len(gap) <= _MAX_GAP and not _SENTENCE_END.search(gap):
            spread.append((start, end, inner))
        else:
            _close_run(spread, spans, at_least=3)
            spread = [(start, end, inner)]
        if quote.compound is not None and quote.compound_end is not None:
            spans.append(Span(start, quote.compound_end, quote.compound, "quoted"))
    _close_run(run, spans)
    _close_run(spread, spans, at_least=3)
    return spans


def _close_run(run: list[tuple[int, int, str]], spans: list[Span], *, at_least: int = 2) -> None:
    # A unit quoted again in the same run is a second use, not another part:
    # “河长”…“河长”…“湖长” is 河长 and 湖长, never 河长、河长、湖长.
    units = list(dict.fromkeys(u for _, _, u in run))
    if (
        len(units) >= at_least
        and not any(map(is_numbered, units))
        # One unit inside another is one term and its institution or variant
        # (“河长制”，落实“河长”“湖长”: 河长制 is not a third part beside 河长).
        and not any(a != b and a in b for a in units for b in units)
        and units_are_parallel(units)
        # A run of adjacent units is also a spread run: report it once.
        and not (spans and spans[-1].start == run[0][0] and spans[-1].end == run[-1][1])
    ):
        spans.append(Span(run[0][0], run[-1][1], "、".join(units), "quoted"))
