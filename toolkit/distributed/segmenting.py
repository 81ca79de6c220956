"""Segmentation on a Dask cluster, with the tokens of one process.

The segmenter travels to each worker once (scattered), each worker process
builds its engine once (:func:`toolkit.distributed._worker.cached_segmenter`),
and the corpus goes out one partition of documents per task. Tokens come back
in the order of the input documents, never in the order partitions finish,
so the result equals ``segmenter.segment(corpus)`` in one process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from toolkit.corpus import Corpus, Document
from toolkit.distributed._worker import segment_partition
from toolkit.distributed.partitions import (
    _check_corpus,
    _check_segmenter,
    iter_partitions,
    rows_docvars,
    scattered_map,
    shipped_segmenter,
)
from toolkit.segment import Segmenter, Tokens

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["DEFAULT_PARTITION_SIZE", "iter_segment_corpus", "segment_corpus"]

#: Documents per task: large enough that a task outweighs its scheduling cost.
DEFAULT_PARTITION_SIZE = 256


def _segment_parts(
    corpus: Iterable[Document],
    segmenter: Segmenter,
    client: Client,
    partition_size: int,
    max_in_flight: int | None,
) -> Iterator[tuple[list[str], list[dict[str, Any]], tuple[dict[str, Any], Any, Any]]]:
    key, shipped = shipped_segmenter(segmenter)
    parts = iter_partitions(corpus, partition_size)
    for (ids, metas, _texts), result in scattered_map(
        client, segment_partition, parts, key, shipped, max_in_flight=max_in_flight
    ):
        yield ids, metas, result


def iter_segment_corpus(
    corpus: Corpus | Iterable[Document],
    *,
    segmenter: Segmenter,
    client: Client,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    max_in_flight: int | None = None,
) -> Iterator[tuple[str, list[str]]]:
    """Yield ``(doc_id, tokens)`` in the order of ``corpus``, segmented on the cluster.

    Only ``max_in_flight`` partitions are held at a time, so a
    :class:`~toolkit.corpus.CorpusStream` larger than memory can be segmented
    to a file.

    Parameters
    ----------
    corpus : Corpus, CorpusStream or iterable of Document
        Read once.
    segmenter : Segmenter
        Fitted or not; its ``n_jobs`` and ``progress`` do not apply here.
    client : distributed.Client
        See :func:`toolkit.distributed.dask_client`.
    partition_size : int
        Documents per task.
    max_in_flight : int, optional
        Partitions submitted and not yet yielded (default: four per worker thread).

    Yields
    ------
    (str, list of str)
    """
    _check_corpus(corpus, "iter_segment_corpus")
    for ids, _metas, (_prov, tokens, _tags) in _segment_parts(
        corpus, segmenter, client, partition_size, max_in_flight
    ):
        yield from zip(ids, tokens, strict=True)


def segment_corpus(
    corpus: Corpus | Iterable[Document],
    *,
    segmenter: Segmenter,
    client: Client,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    max_in_flight: int | None = None,
) -> Tokens:
    """Segment every document on a Dask cluster: equal to ``segmenter.segment(corpus)``.

    Parameters
    ----------
    corpus : Corpus, CorpusStream or iterable of Document
        Read once.
    segmenter : Segmenter
        Fitted or not (fit it first, in one process or on a sample); ``pos=True``
        gives tags as well.
    client : distributed.Client
        See :func:`toolkit.distributed.dask_client`.
    partition_size : int
        Documents per task.
    max_in_flight : int, optional
        Partitions submitted and not yet gathered (default: four per worker thread).

    Returns
    -------
    Tokens
        In the ``doc_id`` order of ``corpus``, with its docvars and the
        segmenter's provenance.

    Examples
    --------
    >>> from toolkit import Corpus, Segmenter
    >>> from toolkit.distributed import dask_client, segment_corpus
    >>> corpus = Corpus.from_records([{"doc_id": "a", "text": "推进扫黑除恶"}])
    >>> with dask_client(n_workers=1, processes=False) as client:  # doctest: +SKIP
    ...     segment_corpus(corpus, segmenter=Segmenter(), client=client)["a"]
    ['推进', '扫黑除恶']
    """
    _check_corpus(corpus, "segment_corpus")
    _check_segmenter(segmenter)
    doc_ids: list[str] = []
    metas: list[dict[str, Any]] = []
    tokens: list[list[str]] = []
    tags: list[list[str]] | None = [] if segmenter.pos else None
    provenance: dict[str, Any] | None = None
    for ids, part_metas, (prov, part_tokens, part_tags) in _segment_parts(
        corpus, segmenter, client, partition_size, max_in_flight
    ):
        provenance = provenance or prov
        doc_ids += ids
        metas += part_metas
        tokens += part_tokens
        if tags is not None:
            tags += part_tags
    if provenance is None:  # an empty corpus: no worker was asked
        provenance = segmenter.provenance()
    return Tokens(
        tokens,
        doc_ids=doc_ids,
        docvars=rows_docvars(corpus, doc_ids, metas),
        provenance=provenance,
        tags=tags,
        copy=False,
    )
