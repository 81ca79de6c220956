"""What drives adoption: a discrete-time hazard model on unit × period rows.

Each unit contributes one row per period in which it has a document, from the
term's first use anywhere until it adopts (the row of the adoption period has
``adopted = 1``) or until its last document (right-censored). Periods without
a document give no row: a missing report is not a non-adoption. The model is
a binomial GLM with a complementary log-log link (the discrete-time version
of a proportional-hazards model) or a logit link, with standard errors
clustered by unit (statsmodels).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from toolkit._estimator import Estimator
from toolkit._validation import check_choice
from toolkit.diffusion._frame import check_adoptions, per_term
from toolkit.diffusion.adjacency import neighbors_of, province_adjacency

__all__ = ["COEF_COLUMNS", "COVARIATES", "LINKS", "AdoptionHazard"]

#: Links of the hazard model.
LINKS = ("cloglog", "logit")
#: Covariates of the model, after the intercept.
COVARIATES = ("reference_used", "neighbor_share", "time")
#: Columns of ``AdoptionHazard.coef_``.
COEF_COLUMNS = ("variable", "coef", "se", "z", "p", "low", "high", "ratio")
_DESIGN_COLUMNS = ("key", "unit", "period", "adopted", *COVARIATES)


class AdoptionHazard(Estimator):
    """Discrete-time event-history model of term adoption.

    Parameters
    ----------
    link : {'cloglog', 'logit'}
        ``'cloglog'``: ``exp(coef)`` is a hazard ratio; ``'logit'``: an odds ratio.
    adjacency : 'province', DataFrame or mapping, optional
        Which units are neighbours. ``'province'`` is the built-in land-border
        table of China's provinces (:func:`province_adjacency`); other units
        (counties, cities) need a table with columns ``unit`` and ``neighbor``
        or a mapping ``{unit: [neighbours]}``. ``None`` leaves the neighbour
        covariate out.
    level : float
        Coverage of the coefficient intervals.

    Attributes
    ----------
    coef_ : pandas.DataFrame
        Columns :data:`COEF_COLUMNS`: each variable's coefficient, clustered
        standard error, z, p, interval and ``exp(coef)`` (``ratio``).
    design_ : pandas.DataFrame
        The unit × period rows the model was fitted on: ``key``, ``unit``,
        ``period``, ``adopted`` and the covariates :data:`COVARIATES`:
        ``reference_used`` (the reference group used the term in an earlier
        period), ``neighbor_share`` (share of the unit's neighbours observed
        before this period that had adopted before it; 0 without any) and
        ``time`` (periods since the term's first use anywhere).
    n_rows_, n_events_, n_units_, n_terms_ : int
    dropped_ : list of str
        Covariates left out because they do not vary in the data.
    """

    _fitted_attribute = "coef_"
    _fit_hint = "fit(adoptions, observations)"

    def __init__(
        self, *, link: str = "cloglog", adjacency: Any = "province", level: float = 0.95
    ) -> None:
        self.link = link
        self.adjacency = adjacency
        self.level = level
        self._validate_params()

    def _validate_params(self) -> None:
        check_choice("link", self.link, LINKS)
        if isinstance(self.adjacency, str):
            check_choice("adjacency", self.adjacency, ("province",))
        if (
            isinstance(self.level, bool)
            or not isinstance(self.level, float)
            or not 0.0 < self.level < 1.0
        ):
            raise ValueError(
                f"level must be a float between 0 and 1, e.g. 0.95 (got {self.level!r})"
            )

    def _neighbors(self, units: list[str]) -> dict[str, frozenset[str]] | None:
        if self.adjacency is None:
            return None
        table = province_adjacency() if isinstance(self.adjacency, str) else self.adjacency
        neighbors = neighbors_of(table)
        if units and not set(units) & set(neighbors):
            raise ValueError(
                f"adjacency knows none of the units {sorted(units)[:10]}; "
                "adjacency='province' names provinces in full (河北省); for other units pass "
                "a table with columns 'unit' and 'neighbor'"
            )
        return neighbors

    def design(self, adoptions: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
        """The unit × period rows of the model (see ``design_``)."""
        check_adoptions(adoptions, "AdoptionHazard")
        missing = [c for c in ("unit", "reference", "period") if c not in observations.columns]
        if missing:
            raise ValueError(
                f"observations is missing column(s) {missing}, which "
                "toolkit.diffusion.observations returns"
            )
        obs = observations[~observations["reference"].astype(bool)]
        periods = {
            str(u): np.sort(g["period"].to_numpy(dtype="int64"))
            for u, g in obs.groupby("unit", sort=True)
        }
        units = sorted(periods)
        neighbors = self._neighbors(units)
        columns: dict[str, list[Any]] = {c: [] for c in _DESIGN_COLUMNS}
        for key, ref, rows, reference_first in per_term(adoptions):
            times = pd.concat([ref["first_time"], rows["first_time"]]).dropna()
            if not len(times):
                continue
            birth = int(times.min())
            first = {
                str(u): (None if pd.isna(t) else int(t))
                for u, t in zip(rows["unit"], rows["first_time"], strict=True)
            }
            entry = {str(u): int(e) for u, e in zip(rows["unit"], rows["entry"], strict=True)}
            for unit in units:
                if unit not in first:
                    continue
                p = periods[unit]
                adopted_at = first[unit]
                stop = adopted_at if adopted_at is not None else p[-1]
                p = p[(p >= birth) & (p <= stop)]
                if not len(p):
                    continue
                share = np.zeros(len(p))
                if neighbors is not None:
                    near = [n for n in neighbors.get(unit, ()) if n in entry]
                    if near:
                        nb_first = np.array(
                            [np.inf if first[n] is None else first[n] for n in near]
                        )
                        nb_entry = np.array([entry[n] for n in near], dtype=float)
                        seen = (nb_entry[None, :] < p[:, None]).sum(axis=1)
                        done = (nb_first[None, :] < p[:, None]).sum(axis=1)
                        share = np.divide(done, seen, out=np.zeros(len(p)), where=seen > 0)
                columns["key"].append(np.full(len(p), key, dtype=object))
                columns["unit"].append(np.full(len(p), unit, dtype=object))
                columns["period"].append(p)
                columns["adopted"].append((p == adopted_at).astype("int64"))
                columns["reference_used"].append(
                    (p > reference_first).astype("int64")
                    if reference_first is not None
                    else np.zeros(len(p), dtype="int64")
                )
                columns["neighbor_share"].append(share)
                columns["time"].append(p - birth)
        if not columns["key"]:
            return pd.DataFrame(columns=list(_DESIGN_COLUMNS))
        design = pd.DataFrame({c: np.concatenate(v) for c, v in columns.items()})
        if neighbors is None:
            design = design.drop(columns="neighbor_share")
        return design

    def fit(self, adoptions: pd.DataFrame, observations: pd.DataFrame) -> AdoptionHazard:
        """Build the unit × period rows and fit the model.

        Parameters
        ----------
        adoptions : pandas.DataFrame
            As :func:`~toolkit.diffusion.adoptions` returns it.
        observations : pandas.DataFrame
            As :func:`~toolkit.diffusion.observations` returns it (for the same corpus).

        Returns
        -------
        AdoptionHazard
            ``self``.

        Raises
        ------
        ValueError
            If there are no rows or no adoption to fit.
        """
        import statsmodels.api as sm

        self._validate_params()
        design = self.design(adoptions, observations)
        if not len(design) or not design["adopted"].any():
            raise ValueError(
                "no adoption to model: the hazard model needs at least one unit that adopts "
                f"a term while observed (got {len(design)} unit × period rows)"
            )
        covariates = [c for c in COVARIATES if c in design.columns]
        self.dropped_ = [c for c in covariates if design[c].nunique() < 2]
        if self.dropped_:
            warnings.warn(
                f"covariate(s) {self.dropped_} do not vary in the data and are left out",
                UserWarning,
                stacklevel=2,
            )
        kept = [c for c in covariates if c not in self.dropped_]
        X = sm.add_constant(design[kept].astype(float), has_constant="add")
        link = sm.families.links.CLogLog() if self.link == "cloglog" else sm.families.links.Logit()
        groups = pd.factorize(design["unit"], sort=True)[0]
        model = sm.GLM(design["adopted"].astype(float), X, family=sm.families.Binomial(link=link))
        result = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
        interval = result.conf_int(alpha=1.0 - self.level)
        coef = pd.DataFrame(
            {
                "variable": list(X.columns),
                "coef": result.params.to_numpy(),
                "se": result.bse.to_numpy(),
                "z": result.tvalues.to_numpy(),
                "p": result.pvalues.to_numpy(),
                "low": interval.iloc[:, 0].to_numpy(),
                "high": interval.iloc[:, 1].to_numpy(),
            }
        )
        coef["ratio"] = np.exp(coef["coef"])
        self.coef_ = coef[list(COEF_COLUMNS)]
        self.design_ = design
        self.n_rows_ = len(design)
        self.n_events_ = int(design["adopted"].sum())
        self.n_units_ = int(design["unit"].nunique())
        self.n_terms_ = int(design["key"].nunique())
        return self
