"""The per-term diffusion table: who used a term first, how many followed, and how fast."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from toolkit._validation import check_positive_int
from toolkit.diffusion._frame import check_adoptions, per_term, term_rng

__all__ = ["DIRECTIONS", "TABLE_COLUMNS", "diffusion_table", "median_interval"]

#: Columns of :func:`diffusion_table`, in this order; other tools read them by name.
TABLE_COLUMNS = (
    "term",
    "kind",
    "reference_first",
    "first_unit",
    "first_time",
    "n_units",
    "n_observed",
    "n_before_reference",
    "median_lag",
    "lag_low",
    "lag_high",
    "direction",
)
#: Values of ``direction``.
DIRECTIONS = ("bottom-up", "top-down", "local")


def median_interval(
    values: np.ndarray, *, n_boot: int, rng: np.random.Generator, level: float = 0.95
) -> tuple[float, float, float]:
    """The median of ``values`` and its percentile bootstrap interval (NaN when empty)."""
    values = np.asarray(values, dtype=float)
    if not len(values):
        return float("nan"), float("nan"), float("nan")
    median = float(np.median(values))
    draws = rng.choice(values, size=(n_boot, len(values)), replace=True)
    medians = np.median(draws, axis=1)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(medians, [tail, 100.0 - tail])
    return median, float(low), float(high)


def diffusion_table(
    adoptions: pd.DataFrame,
    *,
    min_units: int = 1,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """One row per term: the reference's first use, the first units, and the lag of the rest.

    Parameters
    ----------
    adoptions : pandas.DataFrame
        As :func:`~toolkit.diffusion.adoptions` returns it.
    min_units : int
        Keep terms adopted by at least this many units (the reference not counted).
    n_boot : int
        Bootstrap resamples of the lag interval.
    seed : int
        Seed of the bootstrap; a term's interval depends only on the seed and
        the term, so it does not change when other terms are added.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TABLE_COLUMNS`, most widely adopted terms first:

        - ``reference_first``: first period the reference group used the term
          (empty if it never did);
        - ``first_unit``, ``first_time``: the earliest adopting unit(s), ties
          joined with ``|``, and their period;
        - ``n_units``: units that adopted; ``n_observed``: units with any
          document in the window;
        - ``n_before_reference``: units that adopted before the reference
          (empty when the reference never used the term);
        - ``median_lag``: median of the periods from ``reference_first`` to the
          adoption of each unit that adopted in or after it and was observed
          (had a document) by ``reference_first``; a unit that enters later is
          left-truncated, and its lag is not known, so it is left out;
        - ``lag_low``, ``lag_high``: the 95% percentile bootstrap interval of
          that median (units resampled, seeded);
        - ``direction``: ``bottom-up`` when some unit used the term before the
          reference, ``top-down`` when none did, ``local`` when the reference
          never used it.
    """
    check_adoptions(adoptions, "diffusion_table")
    check_positive_int("min_units", min_units)
    check_positive_int("n_boot", n_boot)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int (got {type(seed).__name__}: {seed!r})")
    records: list[dict[str, Any]] = []
    for key, _, units, reference_first in per_term(adoptions):
        adopted = units[units["first_time"].notna()]
        if len(adopted) < min_units:
            continue
        first_time = int(adopted["first_time"].min()) if len(adopted) else None
        leaders = sorted(adopted.loc[adopted["first_time"] == first_time, "unit"])
        if reference_first is None:
            before: int | None = None
            lags = np.array([], dtype=float)
            direction = "local"
        else:
            times = adopted["first_time"].astype("int64")
            before = int((times < reference_first).sum())
            later = adopted[(times >= reference_first) & (adopted["entry"] <= reference_first)]
            lags = later["first_time"].astype("int64").to_numpy() - reference_first
            direction = "bottom-up" if before else "top-down"
        median, low, high = median_interval(lags, n_boot=n_boot, rng=term_rng(seed, key))
        records.append(
            {
                "term": units["term"].iloc[0] if len(units) else key,
                "kind": units["kind"].iloc[0] if len(units) else "",
                "reference_first": reference_first,
                "first_unit": "|".join(leaders),
                "first_time": first_time,
                "n_units": len(adopted),
                "n_observed": len(units),
                "n_before_reference": before,
                "median_lag": median,
                "lag_low": low,
                "lag_high": high,
                "direction": direction,
            }
        )
    table = pd.DataFrame(records, columns=list(TABLE_COLUMNS))
    table = table.astype(
        {
            "reference_first": "Int64",
            "first_time": "Int64",
            "n_units": "int64",
            "n_observed": "int64",
            "n_before_reference": "Int64",
            "median_lag": float,
            "lag_low": float,
            "lag_high": float,
        }
    )
    if len(table):
        table = table.sort_values(
            ["n_units", "term"], ascending=[False, True], kind="stable"
        ).reset_index(drop=True)
    return table
