"""Keyword in context: every place a term is written, with the text around it.

A concordance is how a reader checks what a term detector found: 共建共治共享
in one town report may be written 共建、共治、共享 in the next, and 两委 may
stand alone or inside 村“两委”. :func:`kwic` finds all of them through
:func:`~toolkit.terms.canonical.variant_pattern` and returns one row per hit,
with the document's docvars so hits can be grouped by town or year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from toolkit._validation import check_positive_int
from toolkit.corpus.document import Document
from toolkit.terms.canonical import canonical_key, variant_pattern

__all__ = ["KWIC_COLUMNS", "kwic"]

#: Columns of a concordance after ``doc_id`` and the docvars, in order.
KWIC_COLUMNS: tuple[str, ...] = ("start", "end", "left", "match", "right")

# Line breaks would split one concordance line over several when printed; one
# space per character keeps ``len(left) == min(window, start)``.
_NEWLINES = str.maketrans({"\n": " ", "\r": " ", "\u2028": " ", "\u2029": " "})


def _check_term(term: Any) -> str:
    if not isinstance(term, str) or not term.strip():
        raise ValueError(f"term must be a non-empty str (got {term!r})")
    return term


def _check_forms(forms: Iterable[str] | None) -> list[str]:
    if forms is None:
        return []
    if isinstance(forms, (str, bytes)):
        # A bare str would be iterated character by character: 村两委 -> 村, 两, 委.
        raise TypeError(f"forms must be an iterable of str, not a single str; pass [{forms!r}]")
    if not isinstance(forms, Iterable):
        raise TypeError(f"forms must be an iterable of str, e.g. ['村两委'] (got {forms!r})")
    checked = list(forms)
    for form in checked:
        if not isinstance(form, str) or not canonical_key(form):
            raise ValueError(
                f"forms must hold non-empty strings with a character other than quotes "
                f"and commas (got {form!r})"
            )
    return checked


def _patterns(term: str, forms: list[str]) -> list[re.Pattern[str]]:
    # Forms with one key compile to the same regex; keep the first of each.
    by_key: dict[str, re.Pattern[str]] = {}
    for form in (term, *forms):
        by_key.setdefault(canonical_key(form), variant_pattern(form))
    return list(by_key.values())


def _find(text: str, patterns: list[re.Pattern[str]], anywhere: re.Pattern[str]):
    """Yield ``(start, end)`` of leftmost-longest, non-overlapping matches."""
    pos = 0
    while (hit := anywhere.search(text, pos)) is not None:
        start = hit.start()
        # Python alternation is leftmost-*first*: 两委 would win over a longer
        # 村两委 listed after it. Every pattern is retried at the start found.
        end = max(m.end() for p in patterns if (m := p.match(text, start)) is not None)
        yield start, end
        pos = end


def _int_columns(frame: pd.DataFrame, ints: dict[str, bool]) -> pd.DataFrame:
    # As in Corpus.docvars: an int docvar missing on some rows would become float (2022.0).
    for name, all_int in ints.items():
        if all_int:
            frame[name] = frame[name].astype("Int64")
    return frame


def kwic(
    corpus: Iterable[Document],
    term: str,
    *,
    window: int = 20,
    forms: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Find every occurrence of a term and show it in its context.

    Parameters
    ----------
    corpus : Corpus, CorpusStream or iterable of Document
        Read once, in order; a generator is fine.
    term : str
        The term, in any of its surface forms. Every form with the same
        :func:`~toolkit.terms.canonical.canonical_key` is found: 共建共治共享
        also finds 共建、共治、共享 and “共建共治共享”.
    window : int
        Characters of context on each side (fewer at the start or end of a text).
    forms : iterable of str, optional
        Further surface forms counted as the same term, each matched with all
        its own variants: ``forms=["村两委"]`` for the term 两委. Where forms
        overlap, the longest match at the leftmost position wins and matches
        never overlap, so 村“两委” is one hit, not a hit for 村两委 and one for 两委.

    Returns
    -------
    pandas.DataFrame
        One row per match, in document order and then by offset. Columns:
        ``doc_id``; every docvar met in ``corpus`` (even on documents without a
        match, so an empty result has the same columns); ``start`` and ``end``
        (character offsets into the text, ``text[start:end] == match``);
        ``left``, ``match``, ``right`` (up to ``window`` characters either side,
        with line breaks shown as spaces).

    Raises
    ------
    ValueError
        If ``term`` is empty, ``window`` is not a positive integer, a form is
        empty, or a docvar is named like one of :data:`KWIC_COLUMNS`.
    TypeError
        If ``corpus`` is a str or holds something other than a Document, or
        ``forms`` is a bare str.

    Examples
    --------
    >>> from toolkit import Corpus
    >>> text = "坚持共建、共治、共享，健全村“两委”联席会议。"
    >>> corpus = Corpus.from_records([{"doc_id": "a", "text": text, "town": "河塘镇"}])
    >>> kwic(corpus, "共建共治共享", window=2)[["town", "left", "match", "right"]].values.tolist()
    [['河塘镇', '坚持', '共建、共治、共享', '，健']]
    >>> kwic(corpus, "两委", forms=["村两委"], window=2)["match"].tolist()
    ['村“两委']
    """
    term = _check_term(term)
    check_positive_int("window", window)
    extra = _check_forms(forms)
    if isinstance(corpus, (str, bytes)):
        raise TypeError(
            "corpus must be a Corpus, a CorpusStream or an iterable of Document, not a str; "
            "build one with toolkit.Corpus.from_records([{'doc_id': ..., 'text': ...}])"
        )
    patterns = _patterns(term, extra)
    anywhere = re.compile("|".join(f"(?:{p.pattern})" for p in patterns))

    rows: list[dict[str, Any]] = []
    # Every docvar seen, in first-seen order (as Corpus.docvars orders them), and
    # whether all its values are ints.
    fields: dict[str, bool] = {}
    for i, doc in enumerate(corpus):
        if not isinstance(doc, Document):
            raise TypeError(f"corpus[{i}] must be a toolkit.Document (got {type(doc).__name__})")
        for name, value in doc.meta.items():
            fields[name] = fields.get(name, True) and type(value) is int
        text = doc.text
        for start, end in _find(text, patterns, anywhere):
            rows.append(
                {
                    "doc_id": doc.doc_id,
                    **doc.meta,
                    "start": start,
                    "end": end,
                    "left": text[max(0, start - window) : start].translate(_NEWLINES),
                    "match": text[start:end],
                    "right": text[end : end + window].translate(_NEWLINES),
                }
            )
    clash = [name for name in fields if name in KWIC_COLUMNS]
    if clash:
        raise ValueError(
            f"docvar(s) {clash} clash with the concordance columns {list(KWIC_COLUMNS)}; "
            f"rename them in the documents' meta first"
        )
    columns = ["doc_id", *fields, *KWIC_COLUMNS]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    # Explicit dtypes so an empty concordance has the same dtypes as a full one.
    frame = frame.astype({"start": "int64", "end": "int64"})
    frame = frame.astype({name: str for name in ("doc_id", "left", "match", "right")})
    return _int_columns(frame, fields)
