"""Topic prevalence by metadata: mean topic shares per group, with bootstrap intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit._estimator import check_fitted
from toolkit._ordering import label_order
from toolkit._validation import check_fraction, check_positive_int, check_seed
from toolkit.topics.model import TopicModel

__all__ = ["prevalence"]


def prevalence(
    model: TopicModel,
    *,
    by: str,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean topic share of each group of documents, with a bootstrap interval.

    Parameters
    ----------
    model : TopicModel
        Fitted; its documents' docvars are those of the matrix it was fitted on.
    by : str
        The docvar that defines the groups (town, county, year …).
    n_boot : int
        Bootstrap resamples of each group's documents.
    level : float
        Coverage of the percentile interval.
    seed : int
        The same seed gives the same intervals.

    Notes
    -----
    Each resample is drawn as multinomial weights on the group's documents
    (how many times each is drawn), in blocks of about a million weights, so
    memory stays bounded whatever the group's size: resampling indices and
    gathering an ``n_boot x n x k`` array needed about 3 GB for a group of
    20,000 documents at 20 topics. The intervals are those of the ordinary
    bootstrap; earlier releases drew indices instead, so for a given seed
    their bounds differ from these by bootstrap noise.

    Returns
    -------
    pandas.DataFrame
        One row per (group, topic): ``by``, ``topic``, ``share``, ``lower``,
        ``upper``, ``n_documents``; groups in order, numbers by value (3 before 10).
    """
    check_fitted(model)
    check_positive_int("n_boot", n_boot)
    check_fraction("level", level)
    check_seed("seed", seed)
    docvars = model.docvars_
    if not isinstance(by, str) or by not in docvars.columns:
        raise KeyError(
            f"prevalence: no docvar named {by!r}; available: {sorted(docvars.columns)} (by=)"
        )
    shares = model.doc_topic_
    groups = docvars[by]
    if groups.isna().any():
        raise ValueError(
            f"prevalence: docvar {by!r} is missing for {int(groups.isna().sum())} documents; "
            "fill it or fit on a matrix without them"
        )
    rng = np.random.default_rng(seed)
    tail = (1.0 - level) / 2
    rows = []
    for value in label_order(groups):
        members = shares.loc[(groups.astype(str) == value).to_numpy()].to_numpy()
        n = len(members)
        boot = _bootstrap_means(members, n_boot, rng)
        lower, upper = np.quantile(boot, [tail, 1 - tail], axis=0)
        for t, topic in enumerate(shares.columns):
            rows.append(
                {
                    by: value,
                    "topic": topic,
                    "share": float(members[:, t].mean()),
                    "lower": float(lower[t]),
                    "upper": float(upper[t]),
                    "n_documents": n,
                }
            )
    return pd.DataFrame(rows, columns=[by, "topic", "share", "lower", "upper", "n_documents"])


# Weights drawn per block: a block of resamples holds about this many integers.
_BLOCK = 1 << 20


def _bootstrap_means(members: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Means of ``n_boot`` bootstrap resamples of the rows of ``members`` (n_boot x k).

    A resample is a draw of multinomial weights (each row's count, summing to
    n) rather than n row indices: the weighted mean is the resample's mean,
    and a block of weights times the rows is one matrix product.
    """
    n = len(members)
    p = np.full(n, 1.0 / n)
    block = max(1, min(n_boot, _BLOCK // max(n, 1)))
    out = np.empty((n_boot, members.shape[1]))
    for start in range(0, n_boot, block):
        stop = min(n_boot, start + block)
        weights = rng.multinomial(n, p, size=stop - start)
        out[start:stop] = weights @ members / n
    return out
