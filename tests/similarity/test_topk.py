"""Blocked top-k neighbours equal the dense brute force, ties and all."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import toolkit.similarity.metrics as metrics_module
import toolkit.similarity.topk as topk_module
from toolkit.similarity.metrics import METRICS, pairwise
from toolkit.similarity.topk import select_top, top_k


def brute_force(X, k, metric):
    """Full matrix, self excluded, sorted by similarity then position."""
    S = pairwise(X, metric, block_size=len(X.toarray() if sp.issparse(X) else X))
    np.fill_diagonal(S, -np.inf)
    positions = np.tile(np.arange(len(S)), (len(S), 1))
    order = np.lexsort((positions, -S))[:, :k]
    return order, np.take_along_axis(S, order, axis=1)


@pytest.fixture(scope="module")
def random_sparse():
    # Rounded values make exact ties; many rows share nothing (similarity 0).
    X = sp.random(90, 300, density=0.03, random_state=7, format="csr")
    X.data = np.round(X.data * 4) / 4 + 0.25
    return X


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("block_size", [1, 7, None])
def test_blocked_equals_brute_force(random_sparse, metric, block_size):
    idx, sim = top_k(random_sparse, 6, metric=metric, block_size=block_size)
    ref_idx, ref_sim = brute_force(random_sparse, 6, metric)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_allclose(sim, ref_sim, atol=1e-12)
    # The values also match a dense computation by other code (ties aside, by value).
    dense = pairwise(random_sparse.toarray(), metric)
    np.fill_diagonal(dense, -np.inf)
    np.testing.assert_allclose(sim, -np.sort(-dense, axis=1)[:, :6], atol=1e-12)


def test_dense_input_and_dense_features(random_sparse, monkeypatch):
    topics = np.random.default_rng(1).dirichlet(np.ones(5) * 0.3, size=40)
    for metric in ("cosine", "jensen_shannon", "hellinger"):
        idx, sim = top_k(topics, 4, metric=metric, block_size=9)
        ref_idx, ref_sim = brute_force(topics, 4, metric)
        np.testing.assert_array_equal(idx, ref_idx)
        np.testing.assert_allclose(sim, ref_sim, atol=1e-12)
    # Frequent features go through a dense product: same neighbours.
    monkeypatch.setattr(metrics_module, "_DENSE_MIN_DF", 2)
    monkeypatch.setattr(metrics_module, "_DENSE_SHARE", 0.02)
    idx, sim = top_k(random_sparse, 6, block_size=13)
    ref_idx, ref_sim = brute_force(random_sparse, 6, "cosine")
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_allclose(sim, ref_sim, atol=1e-12)


def test_sampled_threshold_path_equals_exact(monkeypatch):
    # A small sample forces the candidate path; a small cap sends some rows back.
    rng = np.random.default_rng(5)
    S = np.round(rng.random((30, 500)) * 3, 1)
    S[:, rng.random(500) < 0.5] = 0.0
    rows = rng.integers(0, 500, size=30)
    ref = S.copy()
    ref[np.arange(30), rows] = -np.inf
    order = np.lexsort((np.tile(np.arange(500), (30, 1)), -ref))[:, :8]
    for sample, cap in [(64, 1000), (64, 40), (2048, 2048)]:
        monkeypatch.setattr(topk_module, "_SAMPLE", sample)
        monkeypatch.setattr(topk_module, "_MAX_CANDIDATES", cap)
        idx, sim = select_top(S.copy(), rows, 8)
        np.testing.assert_array_equal(idx, order)
        np.testing.assert_array_equal(sim, np.take_along_axis(ref, order, axis=1))


def test_self_is_excluded_and_k_is_capped():
    X = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    idx, sim = top_k(X, 10)
    assert idx.shape == (3, 2)
    assert all(i not in row for i, row in enumerate(idx))
    # Row 0's identical twin is row 1, and the reverse.
    assert idx[0, 0] == 1 and idx[1, 0] == 0 and sim[0, 0] == pytest.approx(1.0)


def test_workers_give_the_same_result(random_sparse):
    one = top_k(random_sparse, 5, block_size=20)
    two = top_k(random_sparse, 5, block_size=20, n_jobs=2)
    np.testing.assert_array_equal(one[0], two[0])
    np.testing.assert_array_equal(one[1], two[1])


def test_bad_parameters_are_named(random_sparse):
    with pytest.raises(ValueError, match=r"^k must be an integer >= 1 \(got 0\)$"):
        top_k(random_sparse, 0)
    with pytest.raises(ValueError, match=r"^block_size must be an integer >= 1 \(got -1\)$"):
        top_k(random_sparse, 3, block_size=-1)
    with pytest.raises(ValueError, match=r"at least two rows .* \(got 1\)"):
        top_k(np.ones((1, 3)), 1)
