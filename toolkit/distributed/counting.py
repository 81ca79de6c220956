"""Document-term matrices on a Dask cluster: counts per partition, one vocabulary.

Each task segments a partition and counts it against the partition's own
sorted features, sending back compact arrays, never tokens. The client
appends each partition's rows as it arrives (:class:`CountsMerger`, which
numbers features in the order first met) and drops the partition; at the end
it sorts the features, as :meth:`DocTermMatrix.from_tokens` sorts them,
renumbers the columns and sorts each row's columns, so the matrix equals the
one-process matrix element for element. With ``n_features=`` each feature
goes to its hashed column instead (the murmurhash3 of
:meth:`DocTermMatrix.from_corpus`), summed where two features share one.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
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
    scattered_map,
    shipped_segmenter,
)
from toolkit.distributed.segmenting import DEFAULT_PARTITION_SIZE
from toolkit.dtm import DocTermMatrix
from toolkit.dtm.stream import _check_count_options, _hasher, hashed_feature_names
from toolkit.segment import Segmenter

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["CountsMerger", "count_corpus", "merge_counts"]

#: A partition's counts: sorted features and CSR ``(indptr, indices, data)``.
PartCounts = tuple[list[str], Any, Any, Any]

# Rows are remapped this many entries at a time, so the remap needs no second full copy.
_REMAP_CHUNK = 1 << 22


class CountsMerger:
    """Partitions' counts appended as they arrive, into one matrix over all their features.

    Each partition's columns get an id the first time a feature is met, and
    its rows are appended to compact arrays (4 bytes an index, 8 a count), so
    a partition is dropped as soon as it is added. :meth:`result` sorts the
    features, renumbers the columns in place and sorts each row's columns:
    the matrix a single ``count_tokens`` over all rows would give, with one
    copy of the counts in memory rather than the partitions plus their stack.

    Examples
    --------
    >>> merged = CountsMerger()
    >>> merged.add((["b"], [0, 1], [0], [2]))
    >>> merged.add((["a", "b"], [0, 2], [0, 1], [1, 1]))
    >>> m, names = merged.result()
    >>> names, m.toarray().tolist()
    (['a', 'b'], [[0, 2], [1, 1]])
    """

    def __init__(self, n_features: int | None = None) -> None:
        self.n_features = n_features
        self._hash = _hasher(n_features) if n_features is not None else None
        self._column: dict[str, int] = {}  # feature -> id, in the order first met
        self._indptr = array("q", [0])
        self._indices = array("i")
        self._data = array("q")

    def add(self, part: PartCounts) -> None:
        """Append one partition's rows: ``(features, indptr, indices, data)``."""
        features, indptr, indices, data = part
        column = self._column
        hashed = self._hash
        ids = np.fromiter(
            (hashed(f) for f in features)
            if hashed is not None
            else (column.setdefault(f, len(column)) for f in features),
            dtype=np.int32,
            count=len(features),
        )
        self._indices.frombytes(ids[np.asarray(indices, dtype=np.intp)].tobytes())
        self._data.frombytes(np.asarray(data, dtype=np.int64).tobytes())
        offset = self._indptr[-1]
        self._indptr.frombytes((np.asarray(indptr[1:], dtype=np.int64) + offset).tobytes())

    def result(self) -> tuple[sp.csr_matrix, list[str]]:
        """The int64 counts, with columns in sorted feature order, and those features.

        Hashed (``n_features``): the columns are the hash buckets ``"#0"``,
        ``"#1"`` ..., and features that share a bucket are summed.
        """
        if self.n_features is not None:
            hashed = sp.csr_matrix(
                (
                    np.frombuffer(self._data, dtype=np.int64),
                    np.frombuffer(self._indices, dtype=np.int32),
                    np.frombuffer(self._indptr, dtype=np.int64),
                ),
                shape=(len(self._indptr) - 1, self.n_features),
            )
            hashed.sum_duplicates()  # features that hash to one column: summed, sorted
            return hashed, hashed_feature_names(self.n_features)
        names = sorted(self._column)
        rank = np.empty(len(names), dtype=np.int32)
        rank[np.fromiter((self._column[n] for n in names), np.intp, len(names))] = np.arange(
            len(names), dtype=np.int32
        )
        indices = np.frombuffer(self._indices, dtype=np.int32)
        for start in range(0, len(indices), _REMAP_CHUNK):
            chunk = indices[start : start + _REMAP_CHUNK]
            chunk[:] = rank[chunk]
        counts = sp.csr_matrix(
            (
                np.frombuffer(self._data, dtype=np.int64),
                indices,
                np.frombuffer(self._indptr, dtype=np.int64),
            ),
            shape=(len(self._indptr) - 1, len(names)),
        )
        counts.has_sorted_indices = False  # a later partition's new features sort between
        counts.sort_indices()
        return counts, names


def merge_counts(
    parts: Iterable[PartCounts], *, n_features: int | None = None
) -> tuple[sp.csr_matrix, list[str]]:
    """Stack partitions' counts into one matrix over the union of their features.

    Parameters
    ----------
    parts : iterable of (features, indptr, indices, data)
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
    merged = CountsMerger(n_features)
    for part in parts:
        merged.add(part)
    return merged.result()


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
    doc_ids: list[str] = []
    metas: list[dict[str, Any]] = []
    merged = CountsMerger(n_features)
    for (ids, part_metas, _texts), counts in scattered_map(
        client,
        count_partition,
        iter_partitions(corpus, partition_size),
        key,
        shipped,
        max_in_flight=max_in_flight,
    ):
        doc_ids += ids
        metas += part_metas
        merged.add(counts)
    matrix, names = merged.result()
    dtm = DocTermMatrix(
        matrix,
        doc_ids=doc_ids,
        feature_names=names,
        docvars=_docvars(corpus, doc_ids, metas),
    )
    if min_df is None and max_df is None:
        return dtm
    return dtm.trim(min_df=min_df, max_df=max_df)
