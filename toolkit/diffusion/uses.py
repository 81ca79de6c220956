"""Uses of a term, not of its characters: occurrences that lie on token boundaries.

强基 is a term (强基工程) and also the middle of 加强基层; 气质 is a word and also
the middle of 空气质量. A diffusion study that counted characters would date
an adoption of 强基 to the first report that strengthens the grassroots.
:func:`count_uses` counts an occurrence only where both its edges are token
boundaries of the segmenter's own cut (:meth:`Segmenter.plain_cut`, the
backend without any lexicon forcing terms whole: forcing 强基 whole would make
it a token inside 加强基层).

An occurrence is any surface form with the term's
:func:`~toolkit.terms.canonical_key` (共建共治共享 and 共建、共治、共享 are one
term, as :func:`~toolkit.terms.kwic` finds them), never running across a
clause break (，；). A bare number is never a term (120, 110).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from toolkit._estimator import check_fitted
from toolkit.corpus import Document
from toolkit.segment import Segmenter
from toolkit.terms import TermDetector, canonical_key, variant_pattern

__all__ = ["USE_COLUMNS", "TermList", "count_uses", "term_list"]

#: Columns of :func:`count_uses`: one row per document and term used in it.
USE_COLUMNS = ("doc_id", "term", "key", "kind", "count", "start", "end")
# Inside one use, only quote marks, enumeration commas and spaces may stand
# between the characters of the term; a clause break never does.
_CLAUSE_BREAKS = frozenset("，,；;")
_NUMBER = re.compile(r"[\d.%+\-]+")


@dataclass(frozen=True)
class TermList:
    """Terms to count, by canonical key: each key's display form and kind."""

    keys: tuple[str, ...]
    terms: tuple[str, ...]
    kinds: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.keys)


def _countable(key: str) -> bool:
    # One character is never a term here, nor a bare number (120, 110, 3.5%).
    return len(key) >= 2 and not _NUMBER.fullmatch(key)


def term_list(terms: Any) -> TermList:
    """The terms of a fitted TermDetector (``terms_``) or of a list of terms.

    Parameters
    ----------
    terms : TermDetector or sequence of str
        A fitted detector: every row of its ``terms_`` table, with its kind. A
        list: each term, kind ``'listed'``; terms with one canonical key count
        as one (the first spelling names it).

    Raises
    ------
    TypeError
        If ``terms`` is a bare str, or neither a detector nor a list of str.
    ValueError
        If the list is empty or holds a term that cannot be counted.
    NotFittedError
        If the detector is not fitted.
    """
    keys: dict[str, tuple[str, str]] = {}
    if isinstance(terms, TermDetector):
        check_fitted(terms)
        table = terms.terms_
        for term, kind in zip(table["term"], table["kind"], strict=True):
            key = canonical_key(term)
            if _countable(key):
                keys.setdefault(key, (term, kind))
    else:
        if isinstance(terms, (str, bytes)) or not isinstance(terms, Iterable):
            raise TypeError(
                "terms must be a fitted TermDetector or a list of terms, e.g. ['河长制'] "
                f"(got {type(terms).__name__}: {terms!r})"
            )
        listed = list(terms)
        if not listed:
            raise ValueError("terms must hold at least one term (got an empty list)")
        for term in listed:
            if not isinstance(term, str):
                raise TypeError(
                    f"terms must hold str, e.g. ['河长制'] (got {type(term).__name__}: {term!r})"
                )
            key = canonical_key(term.strip())
            if not _countable(key):
                raise ValueError(
                    f"terms holds {term!r}, which is not countable: a term has at least two "
                    "characters besides quotes and commas, and is not a bare number"
                )
            keys.setdefault(key, (term.strip(), "listed"))
    return TermList(
        keys=tuple(keys),
        terms=tuple(t for t, _ in keys.values()),
        kinds=tuple(k for _, k in keys.values()),
    )


class _Counter:
    """Finds every key in a text, on token boundaries, with one automaton."""

    def __init__(self, terms: TermList, segmenter: Segmenter) -> None:
        import ahocorasick_rs

        self.terms = terms
        standard = ahocorasick_rs.MatchKind.Standard
        self._automaton = (
            ahocorasick_rs.AhoCorasick(list(terms.keys), matchkind=standard) if len(terms) else None
        )
        self._cut = segmenter.plain_cut()
        self._keymap: dict[str, str] = {}
        self._patterns: dict[int, re.Pattern[str]] = {}

    def _normal(self, text: str) -> tuple[str, np.ndarray]:
        """The text as canonical keys spell it, and each kept character's offset."""
        keymap = self._keymap
        for char in set(text) - keymap.keys():
            keymap[char] = canonical_key(char)
        table = {ord(c): k or None for c, k in keymap.items() if k != c}
        normal = text.translate(table)
        if len(normal) == len(text):
            return normal, np.arange(len(text))
        kept = np.fromiter((bool(keymap[c]) for c in text), dtype=bool, count=len(text))
        return normal, np.flatnonzero(kept)

    def _boundaries(self, text: str) -> np.ndarray:
        lengths = [len(tok) for tok in self._cut(text)]
        edges = np.zeros(len(text) + 1, dtype=bool)
        edges[np.cumsum([0, *lengths])] = True
        return edges

    def uses(self, text: str) -> dict[int, list[tuple[int, int]]]:
        """Term index → ``(start, end)`` of each use in ``text``, non-overlapping, in order."""
        if self._automaton is None or not text:
            return {}
        normal, offsets = self._normal(text)
        hits = self._automaton.find_matches_as_indexes(normal, overlapping=True)
        if not hits:
            return {}
        edges = self._boundaries(text)
        found: dict[int, list[tuple[int, int]]] = {}
        for index, nstart, nend in hits:
            start = int(offsets[nstart])
            end = int(offsets[nend - 1]) + 1
            if not (edges[start] and edges[end]):
                continue
            span = text[start:end]
            if end - start != nend - nstart:
                if _CLAUSE_BREAKS.intersection(span):
                    continue
                pattern = self._patterns.get(index)
                if pattern is None:
                    pattern = self._patterns[index] = variant_pattern(self.terms.keys[index])
                if not pattern.fullmatch(span):
                    continue
            spans = found.setdefault(index, [])
            # One key never overlaps itself (哈哈 in 哈哈哈 is one use).
            if spans and start < spans[-1][1]:
                continue
            spans.append((start, end))
        for spans in found.values():
            spans.sort()
        return found


def count_uses(
    corpus: Iterable[Document],
    terms: Any,
    *,
    segmenter: Segmenter | None = None,
) -> pd.DataFrame:
    """Count each term's uses in each document, on token boundaries only.

    Parameters
    ----------
    corpus : Corpus, CorpusStream or iterable of Document
        Read once.
    terms : TermDetector or sequence of str
        A fitted :class:`~toolkit.terms.TermDetector` (the terms of its
        ``terms_`` table) or a list of terms; see :func:`term_list`.
    segmenter : Segmenter, optional
        Whose backend cut gives the token boundaries. Default: ``Segmenter()``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`USE_COLUMNS`: one row per document and term it uses,
        in document order, then by first use; ``count`` uses, ``start`` and
        ``end`` the offsets of the first (``text[start:end]`` is the form).

    Examples
    --------
    >>> from toolkit import Corpus
    >>> corpus = Corpus.from_records(
    ...     [{"doc_id": "a", "text": "加强基层建设，改善空气质量，推进强基工程。"}]
    ... )
    >>> count_uses(corpus, ["强基", "气质", "空气质量"])[["term", "count"]].values.tolist()
    [['空气质量', 1], ['强基', 1]]
    """
    if isinstance(corpus, (str, bytes)):
        raise TypeError(
            "corpus must be a Corpus or an iterable of Document, not a str; build one with "
            "toolkit.Corpus.from_records([{'doc_id': ..., 'text': ...}])"
        )
    listed = term_list(terms)
    counter = _Counter(listed, segmenter or Segmenter(progress=False))
    rows: list[tuple[Any, ...]] = []
    for i, doc in enumerate(corpus):
        if not isinstance(doc, Document):
            raise TypeError(f"corpus[{i}] must be a toolkit.Document (got {type(doc).__name__})")
        found = counter.uses(doc.text)
        for index, spans in sorted(found.items(), key=lambda item: (item[1][0], item[0])):
            start, end = spans[0]
            rows.append(
                (
                    doc.doc_id,
                    listed.terms[index],
                    listed.keys[index],
                    listed.kinds[index],
                    len(spans),
                    start,
                    end,
                )
            )
    frame = pd.DataFrame(rows, columns=list(USE_COLUMNS))
    return frame.astype({"count": "int64", "start": "int64", "end": "int64"})
