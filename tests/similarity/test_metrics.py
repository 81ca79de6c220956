"""Similarity metrics, checked against scipy and by hand."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.spatial.distance import cdist, jensenshannon

import toolkit.similarity.metrics as metrics_module
from toolkit.similarity.metrics import METRICS, contributions, paired, pairwise, similarity


@pytest.fixture(scope="module")
def counts():
    """Non-negative rows with zeros, as counts or weights are; no empty row."""
    rng = np.random.default_rng(3)
    X = rng.poisson(0.6, size=(25, 30)).astype(float) * rng.random((25, 30))
    X[X.sum(axis=1) == 0, 0] = 1.0
    return X


def _off_diagonal(S):
    return S[~np.eye(len(S), dtype=bool)]


def test_cosine_matches_scipy(counts):
    expected = 1 - cdist(counts, counts, "cosine")
    np.testing.assert_allclose(_off_diagonal(pairwise(counts)), _off_diagonal(expected), atol=1e-12)
    np.testing.assert_allclose(pairwise(sp.csr_matrix(counts)), pairwise(counts), atol=1e-12)


def test_jensen_shannon_matches_scipy(counts):
    P = counts / counts.sum(axis=1, keepdims=True)
    expected = np.array([[1 - jensenshannon(p, q, base=2) for q in P] for p in P])
    for X in (counts, sp.csr_matrix(counts)):
        np.testing.assert_allclose(pairwise(X, "jensen_shannon"), expected, atol=1e-9)
    assert similarity(counts[0], counts[1], "jensen_shannon") == pytest.approx(
        expected[0, 1], abs=1e-12
    )


def test_hellinger_by_hand(counts):
    P = counts / counts.sum(axis=1, keepdims=True)
    R = np.sqrt(P)
    distance = np.linalg.norm(R[:, None, :] - R[None, :, :], axis=2) / np.sqrt(2)
    for X in (counts, sp.csr_matrix(counts)):
        np.testing.assert_allclose(pairwise(X, "hellinger"), 1 - distance, atol=1e-7)


def test_jaccard_matches_scipy(counts):
    B = counts > 0
    expected = 1 - cdist(B, B, "jaccard")
    np.testing.assert_allclose(pairwise(counts, "jaccard"), expected, atol=1e-12)


@pytest.mark.parametrize("metric", METRICS)
def test_paired_and_similarity_agree_with_pairwise(counts, metric):
    S = pairwise(counts, metric)
    rows = paired(counts[:-1], counts[1:], metric)
    np.testing.assert_allclose(rows, np.diag(S, 1), atol=1e-12)
    sparse_rows = paired(sp.csr_matrix(counts[:-1]), sp.csr_matrix(counts[1:]), metric)
    np.testing.assert_allclose(sparse_rows, rows, atol=1e-12)
    assert similarity(counts[2], counts[7], metric) == pytest.approx(S[2, 7], abs=1e-12)


@pytest.mark.parametrize("metric", METRICS)
def test_contributions_sum_to_the_similarity(counts, metric):
    for i, j in [(0, 1), (3, 9), (4, 4)]:
        parts, wa, wb = contributions(counts[i], counts[j], metric)
        assert parts.sum() == pytest.approx(similarity(counts[i], counts[j], metric), abs=1e-12)
        assert (parts >= -1e-15).all()
        assert parts.shape == wa.shape == wb.shape == (counts.shape[1],)
    parts, wa, wb = contributions(counts[0], counts[1], "cosine")
    np.testing.assert_allclose(parts, wa * wb)
    assert np.linalg.norm(wa) == pytest.approx(1.0)


def test_dense_split_of_frequent_features_changes_nothing(counts, monkeypatch):
    X = sp.csr_matrix(counts)
    expected = {metric: pairwise(X, metric) for metric in ("cosine", "hellinger", "jaccard")}
    # Every feature used by two rows becomes dense: both halves of the product run.
    monkeypatch.setattr(metrics_module, "_DENSE_MIN_DF", 2)
    monkeypatch.setattr(metrics_module, "_DENSE_SHARE", 0.3)
    prepared = metrics_module.prepare(X, "cosine")
    assert prepared.dense is not None and 0 < prepared.dense.shape[1] < X.shape[1]
    for metric, S in expected.items():
        np.testing.assert_allclose(pairwise(X, metric), S, atol=1e-12)


def test_jensen_shannon_chunks_change_nothing(counts, monkeypatch):
    X = sp.csr_matrix(counts)
    expected = pairwise(X, "jensen_shannon")
    monkeypatch.setattr(metrics_module, "_TRIPLES", 7)
    np.testing.assert_allclose(pairwise(X, "jensen_shannon", block_size=4), expected, atol=1e-12)


@pytest.mark.parametrize("metric", METRICS)
def test_empty_rows_are_similar_to_nothing_but_themselves(metric):
    X = np.array([[1.0, 2.0, 0.0], [0.0, 0.0, 0.0], [1.0, 2.0, 0.0]])
    S = pairwise(X, metric)
    assert S[0, 2] == pytest.approx(1.0)
    assert S[1, 0] == S[1, 2] == S[0, 1] == 0.0
    np.testing.assert_array_equal(np.diag(S), 1.0)


def test_pairwise_is_symmetric_and_blocks_do_not_matter(counts):
    S = pairwise(counts, "jensen_shannon", block_size=3)
    np.testing.assert_array_equal(S, S.T)
    np.testing.assert_allclose(S, pairwise(counts, "jensen_shannon"), atol=1e-14)


def test_unknown_metric_is_named():
    with pytest.raises(ValueError) as err:
        pairwise(np.eye(2), "euclidean")
    assert str(err.value) == (
        "metric must be one of {'cosine', 'hellinger', 'jaccard', 'jensen_shannon'} "
        "(got 'euclidean')"
    )


def test_negative_values_need_cosine():
    with pytest.raises(ValueError) as err:
        pairwise(np.array([[1.0, -0.5], [0.2, 0.3]]), "hellinger")
    assert str(err.value) == (
        "metric 'hellinger' needs non-negative values (counts, weights or shares); "
        "the rows have values down to -0.5; use metric='cosine'"
    )
    # Cosine of embeddings may be negative.
    assert pairwise(np.array([[1.0, 0.0], [-1.0, 0.0]]))[0, 1] == pytest.approx(-1.0)


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match=r"X must be 2-D .* 1 dimension"):
        pairwise(np.ones(3))
    with pytest.raises(ValueError, match=r"same shape \(got \(1, 2\) and \(1, 3\)\)"):
        paired(np.ones((1, 2)), np.ones((1, 3)))
    with pytest.raises(ValueError, match="finite"):
        pairwise(np.array([[np.nan, 1.0], [1.0, 1.0]]))
