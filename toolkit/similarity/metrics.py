"""Similarity between profiles: cosine, Jensen–Shannon, Hellinger and Jaccard.

Every metric is reported as a *similarity*, 1 for identical profiles:

- ``cosine``: ``x·y / (|x| |y|)``; in [0, 1] for non-negative profiles
  (tf-idf, counts, topic shares), in [-1, 1] for embeddings.
- ``jensen_shannon``: ``1 - d_JS(p, q)`` where ``p`` and ``q`` are the rows
  scaled to proportions and ``d_JS`` is the Jensen–Shannon *distance* in
  base 2 (``scipy.spatial.distance.jensenshannon(p, q, base=2)``), in [0, 1].
- ``hellinger``: ``1 - H(p, q)`` with ``H = sqrt(1 - Σ sqrt(p q))``, the
  Hellinger distance in [0, 1] (``‖√p - √q‖₂ / √2``).
- ``jaccard``: ``|A ∩ B| / |A ∪ B|`` over the features each row uses (> 0).

Two distances, not divergences, are used so that ``1 - similarity`` is a true
metric. A row with no features is similar to nothing (0), except itself in
:func:`pairwise`, whose diagonal is 1 by definition.

Rows are compared in blocks (:meth:`Prepared.block`), so the same code gives a
full matrix for a few hundred units and the top-k neighbours of 40,000
(:mod:`toolkit.similarity.topk`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import xlogy
from tqdm.auto import tqdm

from toolkit._validation import check_choice

__all__ = [
    "METRICS",
    "Prepared",
    "contributions",
    "paired",
    "pairwise",
    "prepare",
    "similarity",
]

#: Similarity measures, see the module docstring.
METRICS: tuple[str, ...] = ("cosine", "hellinger", "jaccard", "jensen_shannon")

# Metrics for distributions and sets: negative weights have no meaning there.
_NON_NEGATIVE = frozenset({"hellinger", "jaccard", "jensen_shannon"})
# Pairs (row, other row, shared feature) expanded at once for Jensen–Shannon on
# sparse rows: about 40 bytes each, so 2**22 keeps a chunk near 160 MB.
_TRIPLES = 1 << 22

# Features used by at least this share of the rows (and this many rows) go
# into a dense block, at most _DENSE_VALUES values of it (256 MB).
_DENSE_SHARE = 0.1
_DENSE_MIN_DF = 64
_DENSE_VALUES = 1 << 25

Matrix = Any  # scipy.sparse.csr_matrix or a 2-D numpy.ndarray of float64


# ---------------------------------------------------------------------- helpers
def as_matrix(X: Any, name: str = "X") -> Matrix:
    """A float64 copy of ``X``: CSR without explicit zeros if sparse, else a 2-D array."""
    if sp.issparse(X):
        matrix = sp.csr_matrix(X).astype(np.float64, copy=True)
        matrix.sum_duplicates()
        matrix.eliminate_zeros()
        values = matrix.data
    else:
        matrix = np.array(X, dtype=np.float64)
        if matrix.ndim != 2:
            raise ValueError(
                f"{name} must be 2-D (rows = units, columns = features); "
                f"got an array with {matrix.ndim} dimension(s)"
            )
        values = matrix
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must hold finite numbers; it has NaN or infinite values")
    return matrix


def _row_sums(M: Matrix) -> np.ndarray:
    return np.asarray(M.sum(axis=1)).ravel()


def _row_norms(M: Matrix) -> np.ndarray:
    if sp.issparse(M):
        return np.sqrt(np.asarray(M.multiply(M).sum(axis=1)).ravel())
    return np.linalg.norm(M, axis=1)


def _inverse(values: np.ndarray) -> np.ndarray:
    # Rows with nothing in them stay zero instead of becoming NaN.
    return np.divide(1.0, values, out=np.zeros_like(values, dtype=float), where=values > 0)


def _scale_rows(M: Matrix, factors: np.ndarray) -> Matrix:
    if sp.issparse(M):
        return sp.csr_matrix(sp.diags(factors) @ M)
    return M * factors[:, None]


def _proportions(M: Matrix) -> Matrix:
    return _scale_rows(M, _inverse(_row_sums(M)))


def _binary(M: Matrix) -> sp.csr_matrix:
    B = sp.csr_matrix(M, copy=True) if sp.issparse(M) else sp.csr_matrix(M)
    B.eliminate_zeros()
    B.data = np.ones_like(B.data)
    return B


def _check_metric(metric: str, M: Matrix) -> None:
    check_choice("metric", metric, METRICS)
    if metric in _NON_NEGATIVE:
        low = (M.data.min() if M.nnz else 0.0) if sp.issparse(M) else (M.min() if M.size else 0.0)
        if low < 0:
            raise ValueError(
                f"metric {metric!r} needs non-negative values (counts, weights or shares); "
                f"the rows have values down to {low:.3g}; use metric='cosine'"
            )


def _agreement(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Per-feature share of two distributions that Jensen–Shannon counts as common.

    ``(p + q) / 2`` minus the feature's term of the divergence (base 2); the
    terms over all features sum to ``1 - JSD``, and a feature only one side
    uses contributes exactly 0, so only shared features need computing.
    """
    m = (p + q) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        rp = np.divide(p, m, out=np.ones_like(m), where=m > 0)
        rq = np.divide(q, m, out=np.ones_like(m), where=m > 0)
    terms = m - (xlogy(p, rp) + xlogy(q, rq)) / (2 * np.log(2))
    # Exactly 0 where a side is 0, as in the sparse path (rounding leaves ~1e-17).
    return np.where((p > 0) & (q > 0), terms, 0.0)


def _from_affinity(affinity: np.ndarray) -> np.ndarray:
    # Bhattacharyya coefficient (Hellinger) or 1 - JSD (Jensen–Shannon) to 1 - distance.
    return 1.0 - np.sqrt(np.clip(1.0 - affinity, 0.0, 1.0))


# ---------------------------------------------------------------------- blocks
@dataclass(eq=False)
class Prepared:
    """Rows transformed once for a metric, compared a block at a time.

    Build it with :func:`prepare`. ``block(rows)`` gives the similarities of
    those rows to every row, a dense ``len(rows) × n`` array; the result for a
    row does not depend on which other rows share its block.
    """

    metric: str
    rows: Matrix
    columns: Matrix
    sizes: np.ndarray | None
    n: int
    dense: np.ndarray | None = None

    def block(self, rows: slice | np.ndarray) -> np.ndarray:
        """Similarities of ``rows`` (a slice or positions) to all ``n`` rows."""
        if self.metric == "jensen_shannon":
            return _js_block(self, rows)
        product = self.rows[rows] @ self.columns
        out = product.toarray() if sp.issparse(product) else np.asarray(product)
        if self.dense is not None:
            out += self.dense[rows] @ self.dense.T
        if self.metric == "cosine":
            return np.clip(out, -1.0, 1.0, out=out)
        if self.metric == "hellinger":
            return _from_affinity(out)
        assert self.sizes is not None
        union = self.sizes[rows][:, None] + self.sizes[None, :] - out
        return np.divide(out, union, out=np.zeros_like(out), where=union > 0)


def prepare(X: Any, metric: str = "cosine") -> Prepared:
    """Transform the rows of ``X`` for ``metric`` (see the module docstring).

    Cosine scales rows to unit length, Hellinger takes square roots of the
    proportions, Jaccard keeps which features are used, Jensen–Shannon the
    proportions.
    """
    M = as_matrix(X)
    _check_metric(metric, M)
    n = M.shape[0]
    if metric in ("cosine", "hellinger", "jaccard"):
        sizes = None
        if metric == "cosine":
            rows = _scale_rows(M, _inverse(_row_norms(M)))
        elif metric == "hellinger":
            rows = _proportions(M)
            rows = rows.sqrt() if sp.issparse(rows) else np.sqrt(rows)
        else:
            rows = _binary(M)
            sizes = _row_sums(rows)
        rows, dense = _split_frequent(rows)
        return Prepared(metric, rows, _transposed(rows), sizes, n, dense)
    rows = _proportions(M)
    # Sparse rows are joined feature by feature, through the columns of a CSC copy.
    columns = sp.csc_matrix(rows) if sp.issparse(rows) else rows
    return Prepared(metric, rows, columns, None, n)


def _split_frequent(rows: Matrix) -> tuple[Matrix, np.ndarray | None]:
    """Move the features most rows use out of the sparse matrix into a dense one.

    A feature used by a share ``s`` of ``n`` rows costs about ``(s n)²``
    steps of the sparse product but only ``n²`` of a dense (BLAS) one, which
    is some 10 to 100 times faster per step. Word frequencies follow Zipf's
    law, so a few hundred such features would otherwise take most of the time.
    """
    if not sp.issparse(rows):
        return rows, None
    n, n_features = rows.shape
    df = np.bincount(rows.indices, minlength=n_features)
    frequent = np.flatnonzero(df >= max(_DENSE_MIN_DF, _DENSE_SHARE * n))
    if frequent.size == 0:
        return rows, None
    # Most used first, ties by position, up to the memory budget.
    frequent = frequent[np.lexsort((frequent, -df[frequent]))][: max(1, _DENSE_VALUES // n)]
    rest = np.ones(n_features, dtype=bool)
    rest[frequent] = False
    dense = np.ascontiguousarray(rows[:, np.sort(frequent)].toarray())
    return sp.csr_matrix(rows[:, np.flatnonzero(rest)]), dense


def _transposed(rows: Matrix) -> Matrix:
    # CSR × CSR is the fast path of scipy's sparse product; a CSC transpose
    # would be converted again for every block.
    return sp.csr_matrix(rows.T) if sp.issparse(rows) else np.ascontiguousarray(rows.T)


def _js_block(prep: Prepared, rows: slice | np.ndarray) -> np.ndarray:
    P = prep.rows[rows]
    n = prep.n
    if not sp.issparse(P):
        # Dense rows (topic shares): few features, so loop over them.
        Q = prep.columns
        affinity = np.zeros((P.shape[0], n))
        for f in range(P.shape[1]):
            affinity += _agreement(P[:, f][:, None], Q[None, :, f])
        return _from_affinity(affinity)
    P = sp.csr_matrix(P)
    C = prep.columns
    b = P.shape[0]
    local = np.repeat(np.arange(b), np.diff(P.indptr))
    features, values = P.indices, P.data
    starts = C.indptr[features]
    lengths = C.indptr[features + 1] - starts
    affinity = np.zeros(b * n)
    # Expand (row, other row, shared feature) in chunks of about _TRIPLES.
    bounds = np.searchsorted(np.cumsum(lengths), np.arange(_TRIPLES, lengths.sum(), _TRIPLES))
    edges = [0, *sorted(set(bounds.tolist())), len(lengths)]
    for s, e in itertools.pairwise(edges):
        if e <= s:
            continue
        size = lengths[s:e]
        total = int(size.sum())
        if total == 0:
            continue
        offsets = np.repeat(starts[s:e] - (np.cumsum(size) - size), size) + np.arange(total)
        others = C.indices[offsets]
        a = _agreement(np.repeat(values[s:e], size), C.data[offsets])
        affinity += np.bincount(np.repeat(local[s:e], size) * n + others, a, minlength=b * n)
    return _from_affinity(affinity.reshape(b, n))


# ---------------------------------------------------------------------- public helpers
def auto_block_size(n: int, budget: int = 1 << 24) -> int:
    """Rows per block so that a dense block of ``n`` columns holds about ``budget`` values."""
    return max(1, min(max(n, 1), budget // max(n, 1)))


def pairwise(
    X: Any,
    metric: str = "cosine",
    *,
    block_size: int | None = None,
    progress: bool = False,
) -> np.ndarray:
    """All-pairs similarity of the rows of ``X``: a symmetric ``n × n`` array, 1 on the diagonal.

    Parameters
    ----------
    X : array-like or scipy.sparse matrix
        One row per unit.
    metric : {'cosine', 'hellinger', 'jaccard', 'jensen_shannon'}
    block_size : int, optional
        Rows compared at a time; by default about 16 million values per block.
    progress : bool
        Show a progress bar over the rows.

    Examples
    --------
    >>> pairwise([[1, 0], [1, 1]]).round(3).tolist()
    [[1.0, 0.707], [0.707, 1.0]]
    """
    prep = X if isinstance(X, Prepared) else prepare(X, metric)
    n = prep.n
    step = block_size or auto_block_size(n)
    out = np.empty((n, n))
    with tqdm(total=n, desc="similarity: pairs", unit="unit", disable=not progress) as bar:
        for start in range(0, n, step):
            stop = min(n, start + step)
            out[start:stop] = prep.block(slice(start, stop))
            bar.update(stop - start)
    # The two halves are sums in different orders; make them agree exactly.
    out = (out + out.T) / 2
    np.fill_diagonal(out, 1.0)
    return out


def paired(X: Any, Y: Any, metric: str = "cosine") -> np.ndarray:
    """Similarity of each row of ``X`` with the same row of ``Y`` (same shape)."""
    A, B = as_matrix(X, "X"), as_matrix(Y, "Y")
    if A.shape != B.shape:
        raise ValueError(f"X and Y must have the same shape (got {A.shape} and {B.shape})")
    _check_metric(metric, A)
    _check_metric(metric, B)
    if metric == "cosine":
        dot = _row_dot(A, B)
        return np.clip(dot * _inverse(_row_norms(A)) * _inverse(_row_norms(B)), -1.0, 1.0)
    if metric == "jaccard":
        a, b = _binary(A), _binary(B)
        inter = _row_dot(a, b)
        union = _row_sums(a) + _row_sums(b) - inter
        return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    P, Q = _proportions(A), _proportions(B)
    empty = (_row_sums(P) == 0) | (_row_sums(Q) == 0)
    if metric == "hellinger":
        roots = (P.sqrt(), Q.sqrt()) if sp.issparse(P) else (np.sqrt(P), np.sqrt(Q))
        bc = _row_dot(*roots)
        return np.where(empty, 0.0, _from_affinity(bc))
    # Jensen–Shannon divergence = H((p + q) / 2) - (H(p) + H(q)) / 2, in bits.
    jsd = _entropy((P + Q) / 2) - (_entropy(P) + _entropy(Q)) / 2
    return np.where(empty, 0.0, _from_affinity(1.0 - jsd))


def _row_dot(A: Matrix, B: Matrix) -> np.ndarray:
    if sp.issparse(A) or sp.issparse(B):
        A = A if sp.issparse(A) else sp.csr_matrix(A)
        return np.asarray(A.multiply(B).sum(axis=1)).ravel()
    return np.einsum("ij,ij->i", A, B)


def _entropy(P: Matrix) -> np.ndarray:
    if sp.issparse(P):
        P = sp.csr_matrix(P)
        terms = P.copy()
        terms.data = -xlogy(P.data, P.data) / np.log(2)
        return _row_sums(terms)
    return -xlogy(P, P).sum(axis=1) / np.log(2)


def similarity(x: Any, y: Any, metric: str = "cosine") -> float:
    """Similarity of two profiles (1-D arrays of the same length).

    Examples
    --------
    >>> round(similarity([1, 1, 0], [0, 1, 1], "jaccard"), 3)
    0.333
    """
    a, b = np.atleast_2d(_dense(x)), np.atleast_2d(_dense(y))
    return float(paired(a, b, metric)[0])


def _dense(x: Any) -> np.ndarray:
    return np.asarray(x.toarray() if sp.issparse(x) else x, dtype=np.float64).ravel()


def contributions(
    x: Any, y: Any, metric: str = "cosine"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each feature's share of the similarity of ``x`` and ``y``, and each side's weight.

    Returns ``(contribution, weight_x, weight_y)``, arrays over the features.
    The contributions sum to :func:`similarity` (up to rounding):

    - ``cosine``: ``x̂_f ŷ_f`` of the unit-length vectors; weights are ``x̂, ŷ``.
    - ``hellinger``: ``sqrt(p_f q_f)``, the Bhattacharyya coefficient's terms,
      scaled so that they sum to ``1 - H``; weights are the proportions.
    - ``jensen_shannon``: the features' terms of ``1 - JSD`` (``(p+q)/2``
      minus the feature's divergence), scaled to sum to ``1 - d_JS``;
      weights are the proportions.
    - ``jaccard``: ``1 / |A ∪ B|`` for each shared feature; weights are ``x, y``.
    """
    a, b = _dense(x), _dense(y)
    if a.shape != b.shape:
        raise ValueError(f"x and y must have the same length (got {a.size} and {b.size})")
    _check_metric(metric, a[None, :])
    _check_metric(metric, b[None, :])
    if metric == "cosine":
        wa, wb = _scaled(a, float(np.linalg.norm(a))), _scaled(b, float(np.linalg.norm(b)))
        return wa * wb, wa, wb
    if metric == "jaccard":
        shared = (a > 0) & (b > 0)
        union = int(((a > 0) | (b > 0)).sum())
        return shared / union if union else np.zeros_like(a), a, b
    pa, pb = _scaled(a, a.sum()), _scaled(b, b.sum())
    terms = np.sqrt(pa * pb) if metric == "hellinger" else _agreement(pa, pb)
    affinity = terms.sum()
    sim = float(_from_affinity(np.array([affinity]))[0]) if affinity > 0 else 0.0
    scale = sim / affinity if affinity > 0 else 0.0
    return terms * scale, pa, pb


def _scaled(a: np.ndarray, total: float) -> np.ndarray:
    return a / total if total > 0 else np.zeros_like(a)
