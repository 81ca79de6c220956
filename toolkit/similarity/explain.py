"""Why two units are alike, and what sets one unit apart.

These are :meth:`SimilarityIndex.explain` and
:meth:`SimilarityIndex.distinctive`, which call the functions here with the
fitted index. The features' contributions to a similarity come from
:func:`toolkit.similarity.metrics.contributions`, except for embeddings,
whose dimensions mean nothing to a reader: :func:`embedding_contributions`
splits their cosine over words instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from toolkit._validation import check_choice, check_positive_int
from toolkit.similarity import metrics
from toolkit.terms.keyness import MEASURES, keyness

if TYPE_CHECKING:
    from toolkit.similarity.index import SimilarityIndex

__all__ = ["distinctive", "embedding_contributions", "explain"]


def explain(index: SimilarityIndex, a: Any, b: Any, n: int = 10) -> pd.DataFrame:
    """The features that contribute most to the similarity of ``a`` and ``b``.

    See :meth:`SimilarityIndex.explain`.
    """
    check_positive_int("n", n)
    i, j = index._index_of(a, "a"), index._index_of(b, "b")
    rep = index.representation_
    if rep.name == "embedding":
        assert rep.embeddings is not None
        counts = [_dense_row(index._sums, u) for u in (i, j)]
        contribution, wa, wb = embedding_contributions(rep.embeddings, counts[0], counts[1])
    else:
        contribution, wa, wb = metrics.contributions(
            _dense_row(index.vectors_, i), _dense_row(index.vectors_, j), index.metric
        )
    names = np.asarray(rep.feature_names, dtype=object)
    total = float(contribution.sum())
    sim = index.similarity(a, b) if i != j else total
    table = pd.DataFrame(
        {
            "feature": names,
            "contribution": contribution,
            "share": contribution / total if total else np.zeros_like(contribution),
            "weight_a": wa,
            "weight_b": wb,
        }
    )
    table = table[(table["weight_a"] != 0) | (table["weight_b"] != 0)]
    table = table.sort_values(
        ["contribution", "feature"], ascending=[False, True], kind="mergesort"
    )
    table = table.head(n).reset_index(drop=True)
    table.attrs.update(a=str(a), b=str(b), metric=index.metric, similarity=sim, total=total)
    return table


def embedding_contributions(
    embeddings: np.ndarray, counts_a: np.ndarray, counts_b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each word's part of the cosine of two units' mean word vectors.

    The cosine of the means splits exactly into
    ``(p_a(w) e_w·b̂ / |a| + p_b(w) e_w·â / |b|) / 2`` over words ``w``
    (``e_w`` its vector, ``p`` its share of the unit's tokens, ``â`` the
    unit-length mean).

    Parameters
    ----------
    embeddings : numpy.ndarray
        One vector per word (``n_words × dims``).
    counts_a, counts_b : numpy.ndarray
        Each unit's count of every word.

    Returns
    -------
    (contribution, shares_a, shares_b) : three numpy.ndarray of ``n_words``
        All contributions are 0 when a unit has no known word.
    """
    shares = [c / c.sum() if c.sum() > 0 else c for c in (counts_a, counts_b)]
    means = [s @ embeddings for s in shares]
    norms = [float(np.linalg.norm(m)) for m in means]
    if min(norms) == 0:
        zero = np.zeros(len(embeddings))
        return zero, shares[0], shares[1]
    unit = [m / nm for m, nm in zip(means, norms, strict=True)]
    pull_a = shares[0] * (embeddings @ unit[1]) / norms[0]
    pull_b = shares[1] * (embeddings @ unit[0]) / norms[1]
    return (pull_a + pull_b) / 2, shares[0], shares[1]


def distinctive(
    index: SimilarityIndex, unit: Any, *, n: int | None = 20, measure: str = "g2"
) -> pd.DataFrame:
    """Keyness of ``unit`` against all other units of a fitted ``index``.

    See :meth:`SimilarityIndex.distinctive`.
    """
    i = index._index_of(unit)
    check_choice("measure", measure, MEASURES)
    if n is not None:
        check_positive_int("n", n)
    counts = index.representation_.counts
    assert counts is not None
    coo = counts.counts.tocoo()
    long = pd.DataFrame(
        {
            "doc_id": np.asarray(counts.doc_ids, dtype=object)[coo.row],
            "feature": np.asarray(counts.feature_names, dtype=object)[coo.col],
            "count": coo.data,
        }
    )
    labels = counts.docvars[index.by].astype(str).to_numpy()
    label = index.units_.index[i]
    target = [d for d, u in zip(counts.doc_ids, labels, strict=True) if u == label]
    table = keyness(long, target=target, feature="feature", count="count", measure=measure)
    return table if n is None else table.head(n)


def _dense_row(M: Any, i: int) -> np.ndarray:
    row = M[i]
    return np.asarray(row.toarray() if sp.issparse(row) else row, dtype=np.float64).ravel()
