"""The lag of units behind the reference, pooled over terms, with a bootstrap over terms."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from toolkit._validation import check_positive_int
from toolkit.diffusion._frame import check_adoptions
from toolkit.diffusion.table import TABLE_COLUMNS

__all__ = ["pooled_lag"]


def pooled_lag(
    diffusion: pd.DataFrame, adoptions: pd.DataFrame, *, seed: int = 0, n_boot: int = 1000
) -> dict[str, Any]:
    """Median lag of units behind the reference's first use, all terms pooled.

    Only units that adopted in or after the reference's first period and were
    already observed then (``entry`` at or before it) count: a unit whose
    documents start later has an unknown lag.

    Parameters
    ----------
    diffusion : pandas.DataFrame
        As :func:`~toolkit.diffusion.diffusion_table` returns it.
    adoptions : pandas.DataFrame
        As :func:`~toolkit.diffusion.adoptions` returns it.
    seed : int
        Seed of the bootstrap, which resamples terms.
    n_boot : int
        Bootstrap resamples.

    Returns
    -------
    dict
        ``n_adoptions``, ``n_terms``, ``median``, ``mean``, ``share_same_period``
        and the 95% bootstrap interval of the median, ``low`` and ``high``
        (None when no lag is known).
    """
    check_adoptions(adoptions, "pooled_lag")
    missing = [c for c in TABLE_COLUMNS if c not in getattr(diffusion, "columns", ())]
    if not isinstance(diffusion, pd.DataFrame) or missing:
        raise ValueError(
            "pooled_lag: diffusion must be a table as toolkit.diffusion.diffusion_table returns "
            f"(missing column(s) {missing})"
        )
    n_boot = check_positive_int("n_boot", n_boot)
    ref = diffusion.dropna(subset=["reference_first"]).set_index("term")["reference_first"]
    units = adoptions[
        ~adoptions["reference"].astype(bool)
        & adoptions["first_time"].notna()
        & adoptions["term"].isin(ref.index)
    ]
    first = units["term"].map(ref).astype(float)
    later = units[(units["first_time"] >= first) & (units["entry"] <= first)]
    lags = (later["first_time"] - later["term"].map(ref)).astype(float)
    by_term = [g.to_numpy() for _, g in lags.groupby(later["term"], sort=True)]
    if not by_term:
        return {
            "n_adoptions": 0, "n_terms": 0, "median": None, "mean": None,
            "share_same_period": None, "low": None, "high": None,
        }  # fmt: skip
    rng = np.random.default_rng(seed)
    draws = [
        np.median(np.concatenate([by_term[i] for i in rng.integers(0, len(by_term), len(by_term))]))
        for _ in range(n_boot)
    ]
    return {
        "n_adoptions": len(lags),
        "n_terms": len(by_term),
        "median": float(np.median(lags)),
        "mean": round(float(lags.mean()), 3),
        "share_same_period": round(float((lags == 0).mean()), 3),
        "low": float(np.percentile(draws, 2.5)),
        "high": float(np.percentile(draws, 97.5)),
    }
