"""Adoption curves: the cumulative share of units adopting, by time since the reference's first use.

A Kaplan–Meier estimate (statsmodels' ``SurvfuncRight``) over the units, in
which each unit is at risk from its first document (left truncation: it enters
just before its first observed period) until it adopts or its last document
(right censoring). Time 0 is the period of the reference's first use; units
that adopted before it give the curve its height at negative times.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm

from toolkit.diffusion._frame import check_adoptions, per_term

__all__ = ["CURVE_COLUMNS", "adoption_curves", "survival_rows"]

#: Columns of :func:`adoption_curves`, in order.
CURVE_COLUMNS = ("term", "time", "at_risk", "adopted", "share", "share_low", "share_high")


def survival_rows(units: pd.DataFrame, reference_first: int) -> tuple[np.ndarray, ...]:
    """``(entry, time, status)`` of each unit on the clock that starts at ``reference_first``.

    A unit enters just before its first period with a document (``entry - 1``:
    the interval ``(entry - 1, entry]`` holds its first observed period); it
    leaves at its adoption (status 1) or at its last document (status 0).
    """
    adopted = units["first_time"].notna().to_numpy()
    first = units["first_time"].astype("Float64").fillna(np.nan).to_numpy(dtype=float)
    exit_ = units["exit"].to_numpy(dtype=float)
    time = np.where(adopted, first, exit_) - reference_first
    entry = units["entry"].to_numpy(dtype=float) - 1.0 - reference_first
    return entry, time, adopted.astype(float)


def adoption_curves(
    adoptions: pd.DataFrame,
    *,
    terms: Sequence[str] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Kaplan–Meier cumulative share of units adopting each term, with bands and risk sets.

    Parameters
    ----------
    adoptions : pandas.DataFrame
        As :func:`~toolkit.diffusion.adoptions` returns it.
    terms : sequence of str, optional
        Terms to estimate (any spelling with the term's canonical key); default
        every term the reference group used.
    level : float
        Coverage of the pointwise bands (log-log transformed, Greenwood's
        standard error as statsmodels gives it).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CURVE_COLUMNS`, one row per term and period (since
        ``reference_first``) at which some unit adopted: ``at_risk`` units
        observed and not yet adopted just before it, ``adopted`` units adopting
        then, ``share`` the estimated cumulative share adopted (1 − S(t)) and its
        band. Terms the reference never used have no clock and no rows.

    Raises
    ------
    ValueError
        If a term of ``terms`` is not in ``adoptions``, or ``level`` is not
        between 0 and 1.
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    from toolkit.terms import canonical_key

    check_adoptions(adoptions, "adoption_curves")
    if isinstance(level, bool) or not isinstance(level, float) or not 0.0 < level < 1.0:
        raise ValueError(f"level must be a float between 0 and 1, e.g. 0.95 (got {level!r})")
    wanted: list[str] | None = None
    if terms is not None:
        if isinstance(terms, str):
            raise TypeError(f"terms must be a list of terms, not a str; pass [{terms!r}]")
        wanted = [canonical_key(t) for t in terms]
        known = set(adoptions["key"])
        absent = [t for t, k in zip(terms, wanted, strict=True) if k not in known]
        if absent:
            raise ValueError(
                f"terms {absent} are not in adoptions (no unit or reference uses them); "
                f"terms present include {sorted(set(adoptions['term']))[:10]}"
            )
    z = float(norm.ppf(0.5 + level / 2.0))
    frames: dict[str, pd.DataFrame] = {}
    for key, _, units, reference_first in per_term(adoptions):
        if reference_first is None or (wanted is not None and key not in wanted):
            continue
        if not len(units) or not units["first_time"].notna().any():
            continue
        entry, time, status = survival_rows(units, reference_first)
        fit = SurvfuncRight(time, status, entry=entry)
        surv = np.asarray(fit.surv_prob, dtype=float)
        se = np.asarray(fit.surv_prob_se, dtype=float)
        low, high = _loglog_band(surv, se, z)
        frames[key] = pd.DataFrame(
            {
                "term": units["term"].iloc[0],
                "time": np.asarray(fit.surv_times, dtype=float).astype("int64"),
                "at_risk": np.asarray(fit.n_risk, dtype="int64"),
                "adopted": np.asarray(fit.n_events, dtype="int64"),
                "share": 1.0 - surv,
                "share_low": 1.0 - high,
                "share_high": 1.0 - low,
            }
        )
    keys = wanted if wanted is not None else list(frames)
    parts = [frames[k] for k in keys if k in frames]
    if not parts:
        return pd.DataFrame(columns=list(CURVE_COLUMNS)).astype(
            {"time": "int64", "at_risk": "int64", "adopted": "int64"}
        )
    return pd.concat(parts, ignore_index=True)[list(CURVE_COLUMNS)]


def _loglog_band(surv: np.ndarray, se: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise band of S(t) on the log(-log) scale; collapses to S where it is 0 or 1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = z * se / (surv * np.abs(np.log(surv)))
        low = surv ** np.exp(scale)
        high = surv ** np.exp(-scale)
    degenerate = ~np.isfinite(scale)
    low = np.where(degenerate, surv, low)
    high = np.where(degenerate, surv, high)
    return low, high
