"""Term detection on a Dask cluster, with the detector and tables of one process.

:func:`fit_detector` runs :meth:`TermDetector.fit <toolkit.terms.TermDetector.fit>`
in three steps. The workers count each partition's candidates, forms,
spelled-out formulas and n-gram statistics
(:class:`~toolkit.terms.learning.FitCounts`); the client merges those counts in
the input's ``doc_id`` order and runs once what needs the whole corpus
(discovery's selection, the vocabulary, expansions, abbreviations); the
workers then rank each partition's documents for the corpus table, which the
client adds up in input order. :func:`detect_corpus` and
:func:`iter_detect_corpus` rank each partition on the workers.

The detector travels pickled, once to each worker (scattered); each worker
process unpickles it, which rebuilds its matchers and segmenters, once per
detector state (:func:`toolkit.distributed._worker.cached`). Only texts go out
and only counts or ranked rows come back.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pandas as pd

from toolkit._validation import check_positive_int, ensure_reiterable
from toolkit.corpus import Corpus, Document
from toolkit.corpus.places import place_names
from toolkit.distributed._worker import cached
from toolkit.distributed.partitions import (
    Partition,
    _check_corpus,
    iter_partitions,
    scattered_map,
)
from toolkit.distributed.segmenting import DEFAULT_PARTITION_SIZE
from toolkit.terms import TermDetector
from toolkit.terms.detector import _corpus_frame, _text_frame, _text_of
from toolkit.terms.learning import FitCounts

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["detect_corpus", "fit_detector", "iter_detect_corpus"]

#: Ranked rows of one document, as ``TermDetector._rank`` gives them.
_Rows = list[dict[str, Any]]


# ---------------------------------------------------------------------- on the workers
def _loaded(key: str, state: bytes) -> TermDetector:
    """The detector pickled in ``state``, unpickled once per process (its matchers built)."""

    def build() -> TermDetector:
        detector: TermDetector = pickle.loads(state)
        detector._segmenter.provenance()  # builds the segmenter's engine now, once
        return detector

    return cached(key, build)


def _learn_partition(key: str, state: bytes, texts: list[str]) -> FitCounts:
    """Fit's first pass over a partition: its counts, discovery's unpruned."""
    detector = _loaded(key, state)
    counts = detector._new_counts(prune=False)
    for text in texts:
        detector._count(text, counts)
    return counts


def _table_partition(key: str, state: bytes, texts: list[str]) -> list[_Rows]:
    """Each text's rows for the corpus table: every candidate, uses recounted."""
    detector = _loaded(key, state)
    uses = cached(f"{key}/uses", detector._term_uses)
    return [
        uses.rows(text, detector._ranked_text(text, top=None, keep_known=True)) for text in texts
    ]


def _detect_partition(key: str, state: bytes, top: int | None, texts: list[str]) -> list[_Rows]:
    """Each text's ranked candidates, the best ``top``."""
    detector = _loaded(key, state)
    return [detector._ranked_text(text, top=top) for text in texts]


# ---------------------------------------------------------------------- on the client
def _check_detector(detector: object, where: str) -> TermDetector:
    if not isinstance(detector, TermDetector):
        raise TypeError(
            f"{where}: detector must be a toolkit.TermDetector (got {type(detector).__name__})"
        )
    return detector


def _shipped(detector: TermDetector) -> tuple[str, bytes]:
    """The detector's pickle (no compiled matchers: workers rebuild them) and its sha256."""
    state = pickle.dumps(detector, protocol=5)
    return hashlib.sha256(state).hexdigest(), state


def _reading(corpus: Iterable[Document]) -> Iterator[Document]:
    """Each document with the text the detector reads (a page's headings included)."""
    for doc in corpus:
        if isinstance(doc, Document):
            text = _text_of(doc)
            yield doc if text == doc.text else Document(doc.doc_id, text, doc.meta)
        else:
            yield doc  # iter_partitions says what it is


def _aligned(parts: Iterable[Partition], every: int) -> Iterator[Partition]:
    """``parts`` cut again so that none holds a multiple of ``every`` documents but at its end.

    Discovery prunes its counts every ``every`` documents; the counts of such
    partitions merge into exactly those of one pass
    (:meth:`~toolkit.terms.discovery.Discovery.merge`).
    """
    done = 0
    for ids, metas, texts in parts:
        start = 0
        while start < len(ids):
            end = min(len(ids), start + every - (done + start) % every)
            yield ids[start:end], metas[start:end], texts[start:end]
            start = end
        done += len(ids)


def fit_detector(
    corpus: Corpus | Iterable[Document],
    *,
    detector: TermDetector,
    client: Client,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    max_in_flight: int | None = None,
) -> TermDetector:
    """Fit a term detector on a Dask cluster: equal to ``detector.fit(corpus)``.

    The per-document work of both of fit's passes (segmenting and gathering
    candidates, then ranking every document for the corpus table) runs per
    partition on the workers; the counts are merged in the input's order and
    the steps that need the whole corpus run here, once. The fitted attributes,
    ``terms_`` and ``periods_`` equal those of one process.

    Parameters
    ----------
    corpus : Corpus, CorpusStream or list of Document
        Read twice, so a one-shot iterator is refused.
    detector : TermDetector
        Fitted in place, as ``fit`` does; its ``n_jobs`` and ``progress`` do not
        apply here.
    client : distributed.Client
        See :func:`toolkit.distributed.dask_client`.
    partition_size : int
        Documents per task. Partitions of the first pass are also cut where
        discovery prunes its counts (every
        :data:`~toolkit.terms.discovery.PRUNE_EVERY` documents).
    max_in_flight : int, optional
        Partitions submitted and not yet gathered (default: four per worker thread).

    Returns
    -------
    TermDetector
        ``detector``, fitted.

    Examples
    --------
    >>> from toolkit import Corpus, TermDetector
    >>> from toolkit.distributed import dask_client, fit_detector
    >>> corpus = Corpus.from_records([{"doc_id": "a", "text": "推行“一线工作法”。"}])
    >>> with dask_client(n_workers=1, processes=False) as client:  # doctest: +SKIP
    ...     det = fit_detector(corpus, detector=TermDetector(progress=False), client=client)
    >>> det.terms_["term"].tolist()  # doctest: +SKIP
    ['一线工作法']
    """
    _check_corpus(corpus, "fit_detector")
    _check_detector(detector, "fit_detector")
    detector._validate_params()
    corpus = ensure_reiterable(corpus, "corpus")
    check_positive_int("partition_size", partition_size)
    counts = detector._start_fit()
    parts: Iterable[Partition] = iter_partitions(_reading(corpus), partition_size)
    if counts.discovery is not None and counts.discovery.prune_every:
        parts = _aligned(parts, counts.discovery.prune_every)
    key, state = _shipped(detector)
    for (_ids, metas, _texts), part in scattered_map(
        client, _learn_partition, parts, key, state, max_in_flight=max_in_flight
    ):
        for meta in metas:
            counts.places.update(place_names(meta))
        counts.merge(part)
    detector._learn(counts)
    key, state = _shipped(detector)
    ranked = scattered_map(
        client,
        _table_partition,
        iter_partitions(_reading(corpus), partition_size),
        key,
        state,
        max_in_flight=max_in_flight,
    )
    detector._tabulate(
        doc
        for (ids, metas, texts), rows in ranked
        for doc in zip(ids, metas, texts, rows, strict=True)
    )
    return detector


def _detected(
    corpus: Iterable[Document],
    detector: TermDetector,
    client: Client,
    n: int | None,
    partition_size: int,
    max_in_flight: int | None,
) -> Iterator[tuple[str, dict[str, Any], _Rows]]:
    key, state = _shipped(detector)
    for (ids, metas, _texts), rows in scattered_map(
        client,
        _detect_partition,
        iter_partitions(_reading(corpus), partition_size),
        key,
        state,
        n,
        max_in_flight=max_in_flight,
    ):
        yield from zip(ids, metas, rows, strict=True)


def _check_detect(corpus: object, detector: object, n: int | None, where: str) -> TermDetector:
    _check_corpus(corpus, where)
    _check_detector(detector, where)._check_fitted()
    if n is not None:
        check_positive_int("n", n)
    return detector  # type: ignore[return-value]


def iter_detect_corpus(
    corpus: Corpus | Iterable[Document],
    *,
    detector: TermDetector,
    client: Client,
    n: int | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    max_in_flight: int | None = None,
) -> Iterator[tuple[str, pd.DataFrame]]:
    """Yield ``(doc_id, terms)`` in the order of ``corpus``, ranked on the cluster.

    Each table equals ``detector.detect(doc, n=n)``; documents without terms
    get an empty one. Only ``max_in_flight`` partitions are held at a time.

    Parameters
    ----------
    corpus : Corpus, CorpusStream or iterable of Document
        Read once.
    detector : TermDetector
        Fitted (in one process or with :func:`fit_detector`).
    client : distributed.Client
        See :func:`toolkit.distributed.dask_client`.
    n : int, optional
        Keep the best ``n`` candidates per document; all by default.
    partition_size : int
        Documents per task.
    max_in_flight : int, optional
        Partitions submitted and not yet yielded (default: four per worker thread).

    Yields
    ------
    (str, pandas.DataFrame)
        The columns :data:`~toolkit.terms.detector.COLUMNS`, best first.
    """
    detector = _check_detect(corpus, detector, n, "iter_detect_corpus")
    for doc_id, _meta, rows in _detected(
        corpus, detector, client, n, partition_size, max_in_flight
    ):
        yield doc_id, _text_frame(rows)


def detect_corpus(
    corpus: Corpus | Iterable[Document],
    *,
    detector: TermDetector,
    client: Client,
    n: int | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    max_in_flight: int | None = None,
) -> pd.DataFrame:
    """Rank every document's term candidates on a Dask cluster: ``detector.detect(corpus, n=n)``.

    Parameters
    ----------
    corpus : Corpus, CorpusStream or iterable of Document
        Read once.
    detector : TermDetector
        Fitted (in one process or with :func:`fit_detector`).
    client : distributed.Client
        See :func:`toolkit.distributed.dask_client`.
    n : int, optional
        Keep the best ``n`` candidates per document; all by default.
    partition_size : int
        Documents per task.
    max_in_flight : int, optional
        Partitions submitted and not yet gathered (default: four per worker thread).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, the columns :data:`~toolkit.terms.detector.COLUMNS`, then the
        docvars; documents in input order, each one's terms best first.
    """
    detector = _check_detect(corpus, detector, n, "detect_corpus")
    return _corpus_frame(_detected(corpus, detector, client, n, partition_size, max_in_flight))
