"""Document-term matrices on a 2-worker LocalCluster equal one process's (issue 15)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from toolkit import Corpus, CorpusStream, DocTermMatrix, Segmenter
from toolkit.distributed import count_corpus, merge_counts

from .conftest import SAMPLE


def _assert_same(got: DocTermMatrix, expected: DocTermMatrix) -> None:
    assert got.doc_ids == expected.doc_ids
    assert got.feature_names == expected.feature_names
    assert got.counts.dtype == expected.counts.dtype
    # The same CSR arrays, not only the same values.
    np.testing.assert_array_equal(got.counts.indptr, expected.counts.indptr)
    np.testing.assert_array_equal(got.counts.indices, expected.counts.indices)
    np.testing.assert_array_equal(got.counts.data, expected.counts.data)
    assert got.docvars.equals(expected.docvars)


@pytest.mark.parametrize("partition_size", [1, 5, 256])
def test_counts_equal_from_tokens_on_the_sample(
    client: Any, corpus: Corpus, fitted: Segmenter, partition_size: int
) -> None:
    expected = DocTermMatrix.from_tokens(fitted.segment(corpus))
    got = count_corpus(corpus, segmenter=fitted, client=client, partition_size=partition_size)
    _assert_same(got, expected)


@pytest.mark.parametrize(("min_df", "max_df"), [(2, None), (None, 0.5), (2, 0.8)])
def test_pruned_counts_equal_from_corpus(
    client: Any, fitted: Segmenter, min_df: Any, max_df: Any
) -> None:
    stream = CorpusStream(SAMPLE)
    expected = DocTermMatrix.from_corpus(stream, segmenter=fitted, min_df=min_df, max_df=max_df)
    got = count_corpus(
        stream, segmenter=fitted, client=client, min_df=min_df, max_df=max_df, partition_size=6
    )
    _assert_same(got, expected)


def test_merge_puts_each_partitions_columns_in_the_one_vocabulary() -> None:
    parts = [
        (["河长制", "落实"], [0, 2, 3], [0, 1, 1], [1, 2, 4]),
        (["推进", "河长制"], [0, 2], [0, 1], [3, 5]),
    ]
    counts, names = merge_counts(parts)
    assert names == ["推进", "河长制", "落实"]
    assert counts.toarray().tolist() == [[0, 1, 2], [0, 0, 4], [3, 5, 0]]
    assert counts.has_sorted_indices


def test_merge_of_nothing_is_empty() -> None:
    counts, names = merge_counts([])
    assert names == []
    assert sp.issparse(counts)
    assert counts.shape == (0, 0)


def test_an_empty_corpus_gives_an_empty_matrix(client: Any) -> None:
    dtm = count_corpus([], segmenter=Segmenter(progress=False), client=client)
    assert dtm.shape == (0, 0)


def test_guards_name_the_parameter(client: Any, fitted: Segmenter) -> None:
    with pytest.raises(TypeError, match=r"count_corpus: corpus must be a Corpus, CorpusStream"):
        count_corpus("推进扫黑除恶", segmenter=fitted, client=client)
    with pytest.raises(TypeError, match=r"segmenter must be a toolkit.Segmenter \(got NoneType\)"):
        count_corpus([], segmenter=None, client=client)  # type: ignore[arg-type]


@pytest.mark.parametrize("partition_size", [5, 256])
def test_hashed_counts_equal_from_corpus(
    client: Any, corpus: Corpus, fitted: Segmenter, partition_size: int
) -> None:
    # 64 columns for ~3,000 features: many share a column and are summed.
    expected = DocTermMatrix.from_corpus(corpus, segmenter=fitted, n_features=64)
    got = count_corpus(
        corpus, segmenter=fitted, client=client, n_features=64, partition_size=partition_size
    )
    _assert_same(got, expected)


def test_hashing_refuses_pruning_as_from_corpus_does(client: Any, fitted: Segmenter) -> None:
    with pytest.raises(ValueError, match=r"with n_features= there is none \(got min_df=2"):
        count_corpus([], segmenter=fitted, client=client, n_features=64, min_df=2)
    with pytest.raises(ValueError, match=r"n_features must be an integer >= 1 \(got 0\)"):
        count_corpus([], segmenter=fitted, client=client, n_features=0)
