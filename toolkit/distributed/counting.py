"""Document-term matrices on a Dask cluster: counts per partition, one vocabulary.

Each task segments a partition and counts it against the partition's own
sorted features. The client takes the union of those features as the one
vocabulary (sorted, as :meth:`DocTermMatrix.from_tokens` sorts it), moves each
partition's columns to their place in it and stacks the rows in input order.
Because both vocabularies are sorted the same way, the move keeps each row's
columns sorted, and the matrix equals the one-process matrix element for element.
With ``n_features=`` each partition's features go to their hashed columns
instead (the murmurhash3 of :meth:`DocTermMatrix.from_corpus`), summed where
two features share one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from toolkit._validation import check_positive_int
from toolkit.corpus import Corpus, Document
from toolkit.distributed._worker import count_partition
from toolkit.distributed.partitions import (
    _check_corpus,
    _check_segmenter,
    iter_partitions,
    ordered_map,
    shipped_segmenter,
)
from toolkit.distributed.segmenting import DEFAULT_PARTITION_SIZE
from toolkit.dtm import DocTermMatrix
from toolkit.dtm.stream import _check_count_options, _hasher, hashed_feature_names
from toolkit.segment import Segmenter

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["count_corpus", "merge_counts"]

#: A partition's counts: sorted features and CSR ``(indptr, indices, data)``.
PartCounts = tuple[list[str], list[int], list[int], list[int]]


def merge_counts(
    parts: list[PartCounts], *, n_features: int | None = None
) -> tuple[sp.csr_matrix, list[str]]:
    """Stack partitions' counts into one matrix over the union of their features.

    Parameters
    ----------
    parts : list of (features, indptr, indices, data)
        Each partition's sorted features and its rows in CSR form, in row order.
    n_features : int, optional
        Hash each feature into one of ``n_features`` columns, as
        :meth:`DocTermMatrix.from_corpus` does with ``n_features=``; no
        vocabulary is built.

    Returns
    -------
    (scipy.sparse.csr_matrix, list of str)
        int64 counts, and the sorted feature names of its columns (``"#0"``,
        ``"#1"`` ... when hashed).

    Examples
    --------
    >>> m, names = merge_counts([(["b"], [0, 1], [0], [2]), (["a", "b"], [0, 2], [0, 1], [1, 1])])
    >>> names, m.toarray().tolist()
    (['a', 'b'], [[0, 2], [1, 1]])
    """
    if n_features is not None:
        names = hashed_feature_names(n_features)
        column: Callable[[str], int] = _hasher(n_features)
    else:
        names = sorted(set().union(*(p[0] for p in parts))) if parts else []
        column = {name: j for j, name in enumerate(names)}.__getitem__
    blocks = []
    for features, indptr, indices, data in parts:
        moved = np.asarray([column(f) for f in features], dtype=np.int64)
        local = np.asarray(indices, dtype=np.int64)
        block = sp.csr_matrix(
            (np.asarray(data, dtype=np.int64), moved[local], np.asarray(indptr)),
            shape=(len(indptr) - 1, len(names)),
        )
        if n_features is not None:
            block.sum_duplicates()  # features that hash to one column: summed, sorted
        blocks.append(block)
    if not blocks:
        return sp.csr_matrix((0, len(names)), dtype=np.int64), names
    return sp.csr_matrix(sp.vstack(blocks, format="csr", dtype=np.int64)), names


def _docvars(
    corpus: Iterable[Document], doc_ids: list[str], metas: list[dict[str, Any]]
) -> pd.DataFrame:
    """The docvars table :meth:`DocTermMatrix.from_corpus` gives the same corpus."""
    if isinstance(corpus, Corpus):
        return corpus.docvars
    return Corpus(Document(i, "", m) for i, m in zip(doc_ids, metas, strict=True)).docvars


def count_corpus(
    corpus: Corpus | Iterable[Document],
    *,
    segmenter: Segmenter,
    client: Client,
    min_df: int | float | None = None,
    max_df: int | float | None = None,
    n_features: int | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    max_in_flight: int | None = None,
) -> DocTermMatrix:
    """Segment and count a corpus on a Dask cluster, in one pass.

    Equal to :meth:`DocTermMatrix.from_corpus` with the same ``min_df``,
    ``max_df`` and ``n_features`` (same rows, features, CSR arrays and
    docvars), and so to ``DocTermMatrix.from_tokens(segmenter.segment(corpus)).trim(...)``.
    Only counts come back from the workers, never tokens or texts.

    Parameters
    ----------
    corpus : Corpus, CorpusStream or iterable of Document
        Read once.
    segmenter : Segmenter
    client : distributed.Client
        See :func:`toolkit.distributed.dask_client`.
    min_df, max_df : int or float, optional
        Document counts (int) or shares (float), as in :meth:`DocTermMatrix.trim`;
        applied to the merged matrix.
    n_features : int, optional
        Hash each token into one of ``n_features`` columns (murmurhash3, stable
        across runs and workers), named ``"#0"``, ``"#1"`` ...; no vocabulary
        is built, so ``min_df`` and ``max_df`` do not apply.
    partition_size : int
        Documents per task.
    max_in_flight : int, optional
        Partitions submitted and not yet gathered (default: four per worker thread).

    Returns
    -------
    DocTermMatrix
    """
    _check_corpus(corpus, "count_corpus")
    _check_segmenter(segmenter)
    _check_count_options(min_df, max_df, None, n_features)
    if n_features is not None:
        check_positive_int("n_features", n_features)
    key, shipped = shipped_segmenter(segmenter)
    remote = client.scatter(shipped, broadcast=True, hash=False)
    doc_ids: list[str] = []
    metas: list[dict[str, Any]] = []
    parts: list[PartCounts] = []
    try:
        for (ids, part_metas, _texts), counts in ordered_map(
            client,
            count_partition,
            iter_partitions(corpus, partition_size),
            key,
            remote,
            max_in_flight=max_in_flight,
            fallback_args=(key, shipped),
        ):
            doc_ids += ids
            metas += part_metas
            parts.append(counts)
    finally:
        client.cancel(remote)
    matrix, names = merge_counts(parts, n_features=n_features)
    dtm = DocTermMatrix(
        matrix,
        doc_ids=doc_ids,
        feature_names=names,
        docvars=_docvars(corpus, doc_ids, metas),
    )
    if min_df is None and max_df is None:
        return dtm
    return dtm.trim(min_df=min_df, max_df=max_df)
