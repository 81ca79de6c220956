"""Leaders and followers: each unit's mean adoption rank across the terms it adopted."""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit._validation import check_positive_int
from toolkit.diffusion._frame import check_adoptions, per_term

__all__ = ["LEADER_COLUMNS", "adoption_ranks", "leaders"]

#: Columns of :func:`leaders`, in order.
LEADER_COLUMNS = ("unit", "n_terms", "mean_rank", "rank_low", "rank_high")


def adoption_ranks(adoptions: pd.DataFrame) -> pd.DataFrame:
    """Each adoption's standardised rank among the term's adopters: 0 first, 1 last.

    Only units observed when the term was first used anywhere (``entry`` at or
    before it) are ranked: a unit whose reports start later cannot be early,
    and ranking it would make a late start look like following. Ties share
    their mean rank. Terms with fewer than two ranked adopters are left out.

    Returns
    -------
    pandas.DataFrame
        Columns ``key``, ``unit``, ``rank``.
    """
    check_adoptions(adoptions, "adoption_ranks")
    rows = []
    for key, ref, units, _ in per_term(adoptions):
        times = pd.concat([ref["first_time"], units["first_time"]]).dropna()
        if not len(times):
            continue
        birth = int(times.min())
        ranked = units[units["first_time"].notna() & (units["entry"] <= birth)]
        if len(ranked) < 2:
            continue
        rank = ranked["first_time"].astype("int64").rank(method="average").to_numpy()
        std = (rank - 1.0) / (len(ranked) - 1.0)
        rows += [(key, u, r) for u, r in zip(ranked["unit"], std, strict=True)]
    return pd.DataFrame(rows, columns=["key", "unit", "rank"])


def leaders(adoptions: pd.DataFrame, *, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Rank units from leaders to followers, with a bootstrap interval over terms.

    Parameters
    ----------
    adoptions : pandas.DataFrame
        As :func:`~toolkit.diffusion.adoptions` returns it.
    n_boot : int
        Bootstrap resamples of the terms.
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LEADER_COLUMNS`, one row per unit with a ranked
        adoption (see :func:`adoption_ranks`), leaders first: ``mean_rank`` its
        mean standardised rank (0: always first, 1: always last), ``rank_low``
        and ``rank_high`` the 95% percentile interval of that mean when the
        terms are resampled with replacement.
    """
    check_positive_int("n_boot", n_boot)
    ranks = adoption_ranks(adoptions)
    if not len(ranks):
        return pd.DataFrame(columns=list(LEADER_COLUMNS)).astype({"n_terms": "int64"})
    terms = list(dict.fromkeys(ranks["key"]))
    units = sorted(set(ranks["unit"]))
    t_index = {k: i for i, k in enumerate(terms)}
    u_index = {u: i for i, u in enumerate(units)}
    matrix = np.full((len(terms), len(units)), np.nan)
    for key, unit, rank in zip(ranks["key"], ranks["unit"], ranks["rank"], strict=True):
        matrix[t_index[key], u_index[unit]] = rank
    present = ~np.isnan(matrix)
    values = np.where(present, matrix, 0.0)
    rng = np.random.default_rng(seed)
    # Each resample draws terms with replacement: a weight per term.
    draws = rng.integers(0, len(terms), size=(n_boot, len(terms)))
    weights = np.stack([np.bincount(d, minlength=len(terms)) for d in draws]).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = (weights @ values) / (weights @ present)
    low = np.nanpercentile(means, 2.5, axis=0)
    high = np.nanpercentile(means, 97.5, axis=0)
    table = pd.DataFrame(
        {
            "unit": units,
            "n_terms": present.sum(axis=0).astype("int64"),
            "mean_rank": values.sum(axis=0) / present.sum(axis=0),
            "rank_low": low,
            "rank_high": high,
        }
    )
    return table.sort_values(["mean_rank", "unit"], kind="stable").reset_index(drop=True)
