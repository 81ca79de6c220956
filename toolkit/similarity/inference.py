"""How sure a similarity is: a bootstrap interval for one pair, a permutation test for groups.

These are :meth:`SimilarityIndex.confidence` and
:meth:`SimilarityIndex.permutation_test`, which call the functions here with
the fitted index; they read its pieces and unit membership as ``fit`` left
them.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
from tqdm.auto import tqdm

from toolkit._estimator import check_fitted
from toolkit._validation import check_positive_int
from toolkit.similarity import metrics
from toolkit.similarity.units import group_labels

if TYPE_CHECKING:
    from toolkit.similarity.index import SimilarityIndex

__all__ = ["BootstrapInterval", "PermutationResult", "confidence", "permutation_test"]

# Bootstrap replicates computed at once (each is a units-sized sparse row).
_BOOT_CHUNK = 250


@dataclass(frozen=True)
class BootstrapInterval:
    """What :meth:`SimilarityIndex.confidence` returns.

    Attributes
    ----------
    a, b : str
        The two units.
    similarity : float
        The similarity of the fitted units.
    low, high : float
        Percentile bootstrap interval at ``level``.
    std_error : float
        Standard deviation of the bootstrap similarities.
    level : float
    n_boot : int
    n_a, n_b : int
        Pieces (documents or paragraphs) resampled on each side.
    replicates : numpy.ndarray
        The ``n_boot`` bootstrap similarities.
    """

    a: str
    b: str
    similarity: float
    low: float
    high: float
    std_error: float
    level: float
    n_boot: int
    n_a: int
    n_b: int
    replicates: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class PermutationResult:
    """What :meth:`SimilarityIndex.permutation_test` returns.

    Attributes
    ----------
    groups : str
        The docvar that groups the units.
    observed : float
        Mean similarity of pairs in the same group minus that of pairs in
        different groups.
    within, across : float
        The two means.
    p_value : float
        Share of label permutations (counting the observed labels) whose
        difference is at least ``observed``: one-sided, ``(1 + hits) / (1 + n_perm)``.
    n_perm : int
    n_within, n_across : int
        Pairs of units in the same group and in different groups.
    n_units, n_groups : int
    null : numpy.ndarray
        The ``n_perm`` differences under permuted labels.
    """

    groups: str
    observed: float
    within: float
    across: float
    p_value: float
    n_perm: int
    n_within: int
    n_across: int
    n_units: int
    n_groups: int
    null: np.ndarray = field(repr=False)


def confidence(
    index: SimilarityIndex,
    a: Any,
    b: Any,
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int | None = None,
) -> BootstrapInterval:
    """Bootstrap interval for the similarity of units ``a`` and ``b`` of a fitted ``index``.

    See :meth:`SimilarityIndex.confidence`.
    """
    i, j = index._index_of(a, "a"), index._index_of(b, "b")
    check_positive_int("n_boot", n_boot)
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1, exclusive (got {level!r})")
    rng = np.random.default_rng(index.seed if seed is None else seed)
    pieces = [index._member[u].indices for u in (i, j)]
    for label, members in zip((a, b), pieces, strict=True):
        if len(members) == 1:
            warnings.warn(
                f"unit {label!r} is built from one piece; its side of the interval "
                "has no sampling variation",
                # The user's call, through SimilarityIndex.confidence.
                stacklevel=3,
            )
    draws = [rng.integers(0, len(p), size=(n_boot, len(p))) for p in pieces]
    rep = index.representation_
    n_pieces = index._member.shape[1]
    values = np.empty(n_boot)
    bar = tqdm(total=n_boot, desc="similarity: bootstrap", disable=not index.progress)
    for start in range(0, n_boot, _BOOT_CHUNK):
        stop = min(n_boot, start + _BOOT_CHUNK)
        sides = []
        for members, draw in zip(pieces, draws, strict=True):
            chosen = members[draw[start:stop]]
            rows = np.repeat(np.arange(stop - start), chosen.shape[1])
            weights = sp.csr_matrix(
                (np.ones(chosen.size), (rows, chosen.ravel())),
                shape=(stop - start, n_pieces),
            )
            sizes = np.full(stop - start, len(members))
            sides.append(rep.vectors(rep.sums(weights), sizes))
        values[start:stop] = metrics.paired(sides[0], sides[1], index.metric)
        bar.update(stop - start)
    bar.close()
    tail = (1.0 - level) / 2
    low, high = np.quantile(values, [tail, 1.0 - tail])
    return BootstrapInterval(
        a=str(a),
        b=str(b),
        similarity=index.similarity(a, b),
        low=float(low),
        high=float(high),
        std_error=float(values.std(ddof=1)) if n_boot > 1 else 0.0,
        level=level,
        n_boot=n_boot,
        n_a=len(pieces[0]),
        n_b=len(pieces[1]),
        replicates=values,
    )


def permutation_test(
    index: SimilarityIndex, groups: str, *, n_perm: int = 999, seed: int | None = None
) -> PermutationResult:
    """Are units of a fitted ``index`` in the same group more alike than others?

    See :meth:`SimilarityIndex.permutation_test`.
    """
    check_fitted(index)
    check_positive_int("n_perm", n_perm)
    labels = group_labels(index.representation_.docvars, index.units_, index.by, groups)
    S = index._similarity_matrix()
    n = len(labels)
    upper = np.triu_indices(n, 1)
    pair_sims = S[upper]
    _, codes = np.unique(labels, return_inverse=True)
    same = codes[upper[0]] == codes[upper[1]]
    n_within, n_across = int(same.sum()), int((~same).sum())
    if n_within == 0 or n_across == 0:
        raise ValueError(
            f"permutation_test: groups={groups!r} gives {n_within} pairs of units in the "
            f"same group and {n_across} across groups; it needs both (some group with two "
            "or more units, and at least two groups)"
        )
    total = float(pair_sims.sum())

    def difference(within_sum: np.ndarray | float) -> Any:
        return within_sum / n_within - (total - within_sum) / n_across

    observed_sum = float(pair_sims[same].sum())
    observed = float(difference(observed_sum))
    rng = np.random.default_rng(index.seed if seed is None else seed)
    null_sums = np.empty(n_perm)
    for t in tqdm(range(n_perm), desc="similarity: permutations", disable=not index.progress):
        shuffled = codes[rng.permutation(n)]
        null_sums[t] = pair_sims[shuffled[upper[0]] == shuffled[upper[1]]].sum()
    null = difference(null_sums)
    # Sums in another order can differ in the last bits for the same grouping.
    hits = int((null >= observed - 1e-12).sum())
    return PermutationResult(
        groups=groups,
        observed=observed,
        within=observed_sum / n_within,
        across=(total - observed_sum) / n_across,
        p_value=(1 + hits) / (1 + n_perm),
        n_perm=n_perm,
        n_within=n_within,
        n_across=n_across,
        n_units=n,
        n_groups=int(codes.max()) + 1,
        null=null,
    )
