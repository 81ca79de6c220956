"""The toolkit's default way from a corpus to a matrix a topic model can learn from.

Term-aware segmentation (official terms stay whole, so 一岗双责 or a quoted
“246” is one feature), the general and policy-filler stopword lists, no
quantities, no single characters, no place names of the corpus's own towns
and counties, then trimming of rare and ubiquitous features. Every unit left
empty by these steps is counted and named, never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from typing import Any

from toolkit._validation import check_flag, check_positive_int
from toolkit.corpus import Corpus, Document
from toolkit.corpus.places import place_names
from toolkit.dtm import DocTermMatrix, split_units
from toolkit.segment import Segmenter, Tokens

__all__ = ["TopicData", "prepare_topics"]

# Tokens that carry a quantity rather than a topic: 2023年, 15.6%, 3个, 一百.
_NUMERIC = re.compile(r"^[0-9０-９.．%％+\-~～]+[年月日个万亿元%％余多家项次倍人户]*$")


@dataclass
class TopicData:
    """What :func:`prepare_topics` returns.

    Attributes
    ----------
    dtm : DocTermMatrix
        Counts of the kept units (rows) over the kept features.
    texts : Tokens
        The same units' tokens after filtering, before trimming: the
        reference for coherence.
    dropped : list of str
        ``doc_id`` of the units with fewer than ``min_tokens`` features left.
    """

    dtm: DocTermMatrix
    texts: Tokens
    dropped: list[str] = field(default_factory=list)


def _content(token: str, min_chars: int) -> bool:
    return len(token) >= min_chars and not _NUMERIC.match(token)


# Longest run of tokens that _rejoin tries as one lexicon term.
_MAX_JOIN = 4


def _rejoin(doc: list[str], terms: Container[str]) -> list[str]:
    """Join runs of tokens that spell a lexicon term once quote marks are gone.

    “246”工作法 and “三色”台账 are learned as 246工作法 and 三色台账, but the
    quote marks between their parts keep the segmenter from matching them;
    analysis mode drops the marks, so the parts can be joined here.
    """
    out: list[str] = []
    i = 0
    while i < len(doc):
        for j in range(min(len(doc), i + _MAX_JOIN), i + 1, -1):
            joined = "".join(doc[i:j])
            if joined in terms:
                out.append(joined)
                i = j
                break
        else:
            out.append(doc[i])
            i += 1
    return out


class _Keep:
    """The filter, as a picklable object: lexicon terms stay, places go, the rest by shape."""

    def __init__(self, terms: Container[str], places: frozenset[str], min_chars: int) -> None:
        self.terms, self.places, self.min_chars = terms, places, min_chars

    def __call__(self, token: str) -> bool:
        if token in self.places:
            return False
        return token in self.terms or _content(token, self.min_chars)


def prepare_topics(
    corpus: Corpus | Iterable[Document],
    *,
    unit: str = "paragraph",
    segmenter: Segmenter | None = None,
    terms: Any = None,
    min_chars: int = 2,
    min_df: int | float = 5,
    max_df: int | float = 0.5,
    min_tokens: int = 1,
    drop_places: bool = True,
    progress: bool = True,
) -> TopicData:
    """Segment, filter and count a corpus for topic modelling.

    Parameters
    ----------
    corpus : Corpus or iterable of Document
    unit : {'document', 'paragraph'}
        The rows of the matrix; paragraph ids are ``"<doc_id>#p<n>"`` and keep
        the article's docvars plus ``document``.
    segmenter : Segmenter, optional
        Defaults to ``Segmenter(mode="analysis")`` fitted on the corpus, so
        its quoted terms (and ``terms``) come out whole and stopwords go.
    terms : TermDetector or iterable of str, optional
        More terms to keep whole when the default segmenter is fitted.
    min_chars : int
        Shorter tokens are dropped (single characters by default), unless
        the segmenter's lexicon holds them.
    min_df, max_df : int or float
        Passed to :meth:`DocTermMatrix.trim`.
    min_tokens : int
        Units with fewer counted features are dropped and listed in ``dropped``.
    drop_places : bool
        Drop the place names the docvars give (沙棠镇 and 沙棠, 苇川县 and
        苇川), kept whole by the default segmenter: otherwise a topic can be
        little more than one town's name.
    progress : bool
        Show segmentation progress.

    Returns
    -------
    TopicData

    Examples
    --------
    >>> from toolkit import Corpus
    >>> docs = Corpus.from_records([{"doc_id": "a", "text": "推进河长制。\\n落实河长制。"}])
    >>> data = prepare_topics(docs, min_df=1, max_df=1.0, progress=False)
    >>> data.dtm.doc_ids, data.dtm.feature_names
    (['a#p1', 'a#p2'], ['推进', '河长制', '落实'])
    """
    check_positive_int("min_chars", min_chars)
    check_positive_int("min_tokens", min_tokens)
    check_flag("drop_places", drop_places)
    check_flag("progress", progress)
    if segmenter is not None and not isinstance(segmenter, Segmenter):
        raise TypeError(f"segmenter must be a toolkit.Segmenter or None (got {segmenter!r})")
    units = split_units(corpus, unit)
    places = frozenset(place_names(d.meta for d in units))
    if segmenter is None:
        segmenter = Segmenter(
            mode="analysis", lexicons=("builtin", sorted(places)), progress=progress
        ).fit(units, terms=terms)
    tokens = segmenter.segment(units)
    # The fitted segmenter's Lexicon (a Mapping keyed by term), or no terms at all.
    lexicon: Container[str] = getattr(segmenter, "lexicon_", frozenset())
    tokens = Tokens(
        [_rejoin(doc, lexicon) for doc in tokens],
        doc_ids=tokens.doc_ids,
        docvars=tokens.docvars,
        provenance={**tokens.provenance, "steps": ["rejoin quoted terms"]},
        copy=False,
    )
    keep = _Keep(
        lexicon,
        places if drop_places else frozenset(),
        min_chars,
    )
    texts = tokens.filter(keep, step=f"content(min_chars={min_chars}, no quantities, places)")
    dtm = DocTermMatrix.from_tokens(texts).trim(min_df=min_df, max_df=max_df)
    sizes = dtm.counts.sum(axis=1).A1
    rows = [i for i, n in enumerate(sizes) if n >= min_tokens]
    if len(sizes) and not rows:
        # An empty result would only fail later, in TopicModel.fit, far from its cause.
        raise ValueError(
            f"min_df={min_df!r} and max_df={max_df!r} leave {dtm.counts.shape[1]} features, "
            f"and none of the {len(sizes)} units keeps min_tokens={min_tokens} of them; "
            "lower min_df or raise max_df"
        )
    dropped = [dtm.doc_ids[i] for i, n in enumerate(sizes) if n < min_tokens]
    if dropped:
        dtm = dtm.rows(rows)
        texts = Tokens(
            [texts[i] for i in rows],
            doc_ids=[texts.doc_ids[i] for i in rows],
            docvars=texts.docvars.iloc[rows],
            provenance=texts.provenance,
        )
    return TopicData(dtm=dtm, texts=texts, dropped=dropped)
