"""Analysis ``diffusion``: when each official term reaches each unit, who leads, who follows.

:func:`diffusion_outputs` computes what ``tifa diffusion`` writes (the
per-term table, adoptions, curves, hazard model, leaders and their figures);
both that command and this analysis call it, so a config and the command give
the same tables for the same settings.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from toolkit._validation import check_positive_int
from toolkit.corpus import Corpus
from toolkit.diffusion import (
    AdoptionHazard,
    adoption_curves,
    adoptions,
    diffusion_table,
    leaders,
    observations,
    pooled_lag,
    redate,
)
from toolkit.experiment.context import RunContext
from toolkit.experiment.options import analysis_options
from toolkit.plot import plot_adoption_curves, plot_first_use, plot_lags, plot_leaders
from toolkit.terms import TermDetector

__all__ = ["REDATED", "DiffusionOutputs", "diffusion", "diffusion_outputs"]

#: Terms drawn in the curves and heatmap figures when none are chosen.
N_SHOWN = 5

#: The docvar :func:`~toolkit.diffusion.redate` writes when an analysis sets ``redate``.
REDATED = "delivered_year"

# Columns of the validity sample: the events to read by hand.
_VALIDITY_COLUMNS = ["term", "unit", "first_time", "first_doc", "evidence"]


@dataclass
class DiffusionOutputs:
    """What a diffusion analysis computes; see :func:`diffusion_outputs`.

    Attributes
    ----------
    diffusion : pandas.DataFrame
        The per-term table (:func:`~toolkit.diffusion.diffusion_table`).
    adoptions : pandas.DataFrame
        One row per term × unit, for the terms of ``diffusion``.
    curves : pandas.DataFrame
        Kaplan–Meier adoption curves of those terms.
    leaders : pandas.DataFrame
        Units from leaders to followers.
    observations : pandas.DataFrame
        Which unit has documents in which period.
    hazard : AdoptionHazard or None
        The fitted hazard model; None when it could not be fitted.
    hazard_error : str or None
        Why it could not be fitted.
    shown : list of str
        The terms drawn in the curves and first-use figures.
    """

    diffusion: pd.DataFrame
    adoptions: pd.DataFrame
    curves: pd.DataFrame
    leaders: pd.DataFrame
    observations: pd.DataFrame
    hazard: AdoptionHazard | None = None
    hazard_error: str | None = None
    shown: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by file name stem, in the order ``tifa diffusion`` writes them."""
        out = {
            "diffusion": self.diffusion,
            "adoptions": self.adoptions,
            "curves": self.curves,
            "leaders": self.leaders,
        }
        if self.hazard is not None:
            out["hazard"] = self.hazard.coef_
        return out

    def figures(self) -> dict[str, Figure]:
        """The figures by file name stem: ``curves`` and ``first_use`` (when terms are
        shown), ``lags`` and ``leaders``. Each call draws them anew; close them after saving."""
        out: dict[str, Figure] = {}
        if self.shown:
            out["curves"] = _figure(
                plot_adoption_curves(
                    self.curves, terms=self.shown, title="采用曲线 adoption curves (Kaplan–Meier)"
                ).figure
            )
            out["first_use"] = plot_first_use(
                self.adoptions, self.observations, terms=self.shown, title="首次使用 first use"
            )
        out["lags"] = _figure(
            plot_lags(self.adoptions, title="采用滞后 lag after the reference's first use").figure
        )
        out["leaders"] = _figure(
            plot_leaders(self.leaders, title="领先者 leaders and followers").figure
        )
        return out


def _figure(fig: Any) -> Figure:
    if not isinstance(fig, Figure):  # a SubFigure: never, the plots make their own figure
        raise TypeError(f"expected a matplotlib Figure (got {type(fig).__name__})")
    return fig


def diffusion_outputs(
    corpus: Corpus,
    *,
    terms: TermDetector | Sequence[str],
    unit: str = "province",
    time: str = "year",
    reference: Mapping[str, Any] | None = None,
    min_units: int = 1,
    min_mentions: int = 1,
    seed: int = 0,
    adjacency: Any = "auto",
    show: Sequence[str] = (),
) -> DiffusionOutputs:
    """Compute the diffusion tables of ``tifa diffusion`` and the ``diffusion`` analysis.

    Parameters
    ----------
    corpus : Corpus
        Documents with ``unit`` and ``time`` docvars (the reference group's
        need only ``time``).
    terms : TermDetector or sequence of str
        A fitted detector or a list of terms.
    unit, time : str
        Docvars of the adopting unit and of the period (whole numbers).
    reference : mapping, optional
        Docvar values of the reference group; default ``{"level": "national"}``.
    min_units : int
        Keep terms adopted by at least this many units.
    min_mentions : int
        Uses in one period that make it the adoption.
    seed : int
        Seed of every bootstrap.
    adjacency : 'auto', 'province', DataFrame, mapping or None
        Neighbours for the hazard model; ``'auto'``: the built-in province
        borders when ``unit`` is ``"province"``, else none.
    show : sequence of str
        Terms to draw in the curves and first-use figures; empty: the
        ``N_SHOWN`` most widely adopted terms the reference used.

    Returns
    -------
    DiffusionOutputs

    Raises
    ------
    ValueError
        If a docvar is missing, or ``reference`` matches no document (the
        message lists the values seen).
    """
    reference = dict(reference) if reference is not None else {"level": "national"}
    if isinstance(adjacency, str) and adjacency == "auto":
        adjacency = "province" if unit == "province" else None
    obs = observations(corpus, unit=unit, time=time, reference=reference)
    table = adoptions(
        corpus, terms=terms, unit=unit, time=time, reference=reference, min_mentions=min_mentions
    )
    per_term = diffusion_table(table, min_units=min_units, seed=seed)
    kept = table[table["term"].isin(set(per_term["term"]))].reset_index(drop=True)
    out = DiffusionOutputs(
        diffusion=per_term,
        adoptions=kept,
        curves=adoption_curves(kept),
        leaders=leaders(kept, seed=seed),
        observations=obs,
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            out.hazard = AdoptionHazard(adjacency=adjacency).fit(kept, obs)
    except ValueError as exc:
        out.hazard_error = str(exc)
    known = set(out.curves["term"])
    out.shown = [t for t in show if t in known] if show else [
        str(t) for t in per_term.loc[per_term["reference_first"].notna(), "term"].head(N_SHOWN)
    ]  # fmt: skip
    return out


def _strings(name: str, value: Any) -> list[str]:
    if not all(isinstance(t, str) and t for t in value):
        raise ValueError(f"diffusion: {name} must be a list of non-empty strings (got {value!r})")
    return list(value)


def _reference(value: Mapping[str, Any]) -> dict[str, str]:
    if not isinstance(value, Mapping) or not value:
        raise ValueError(
            "diffusion: reference must be a table of docvar values, e.g. "
            f'{{ level = "national" }} (got {value!r})'
        )
    return {str(k): str(v) for k, v in value.items()}


@analysis_options(
    unit="province",
    time="year",
    reference={"level": "national"},
    terms=[],
    min_units=1,
    min_mentions=1,
    adjacency="auto",
    show=[],
    redate="",
    validity_sample=0,
    compare_min_mentions=0,
    since=0,
)
def diffusion(corpus: Corpus, options: Mapping[str, Any], ctx: RunContext) -> None:
    """Date each unit's first use of each official term against a reference group.

    Writes what ``tifa diffusion`` writes, under the run folder:

    - ``tables/diffusion.csv``, ``adoptions.csv``, ``curves.csv``,
      ``leaders.csv``, ``hazard.csv`` (see :func:`diffusion_outputs`) and
      ``observations.csv`` (which unit has documents when);
    - ``figures/curves``, ``first_use``, ``lags``, ``leaders`` (PNG and SVG);
    - with ``validity_sample = N``: ``tables/validity_sample.csv``, a sample of
      N first-adoption events by units (seeded with the run's seed) with their
      KWIC lines, to read by hand;
    - with ``compare_min_mentions = M``: ``tables/diffusion_min_mentions_M.csv``,
      the per-term table when an adoption needs M uses in one period.

    Metrics (prefix ``diffusion_``): ``n_terms_detected``, ``n_terms``,
    ``n_units``, ``n_redated``, counts per ``direction``, ``n_with_reference``,
    the pooled lag (:func:`~toolkit.diffusion.pooled_lag`), the hazard model's
    rows and events, the same direction counts for ``compare_min_mentions``,
    and with ``since = Y`` the counts among terms the reference first used in
    period Y or later.

    Parameters
    ----------
    corpus : Corpus
        The ingested corpus.
    options : mapping
        ``unit``, ``time``: docvars. ``reference``: docvar values of the
        reference group (a TOML table). ``terms``: terms to follow (default:
        those a :class:`~toolkit.terms.TermDetector` fitted on the corpus
        finds). ``min_units``, ``min_mentions``: as ``tifa diffusion``.
        ``adjacency``: ``"auto"``, ``"province"``, ``"none"`` or a TSV file of
        neighbours (columns ``unit``, ``neighbor``), relative to the current
        folder. ``show``: terms to draw. ``redate``: a date docvar (e.g.
        ``"delivered_date"``): the period becomes the year each document was
        delivered (:func:`~toolkit.diffusion.redate`), not ``time``.
        ``validity_sample``, ``compare_min_mentions``, ``since``: 0 for none.
    ctx : RunContext
        Where outputs go; its seed seeds every bootstrap and the sample.

    Raises
    ------
    ValueError
        If ``min_units`` or ``min_mentions`` is not a positive integer, a
        count option is negative, ``reference`` is empty, or it matches no
        document.
    """
    unit, time = str(options["unit"]), str(options["time"])
    reference = _reference(options["reference"])
    min_units = check_positive_int("diffusion: min_units", options["min_units"])
    min_mentions = check_positive_int("diffusion: min_mentions", options["min_mentions"])
    n_sample = check_positive_int(
        "diffusion: validity_sample", options["validity_sample"], allow_zero=True
    )
    compare = check_positive_int(
        "diffusion: compare_min_mentions", options["compare_min_mentions"], allow_zero=True
    )
    listed = _strings("terms", options["terms"])
    shown = _strings("show", options["show"])
    adjacency: Any = options["adjacency"]
    if adjacency == "none":
        adjacency = None
    elif adjacency not in ("auto", "province"):
        if not Path(adjacency).is_file():
            raise ValueError(
                "diffusion: adjacency must be 'auto', 'province', 'none' or a TSV file of "
                f"neighbours (columns unit, neighbor) (got {adjacency!r})"
            )
        adjacency = pd.read_csv(adjacency, sep="\t", comment="#", dtype=str)

    if options["redate"]:
        corpus = redate(corpus, time=time, date=str(options["redate"]), to=REDATED)
        ctx.add_metric("diffusion_n_redated", sum(d.meta[REDATED] != d.meta[time] for d in corpus))
        time = REDATED
    terms: TermDetector | list[str] = listed
    if not listed:
        terms = TermDetector(by=[unit], time=time, progress=ctx.progress).fit(corpus)
        ctx.add_metric("diffusion_n_terms_detected", len(terms.terms_))
    out = diffusion_outputs(
        corpus,
        terms=terms,
        unit=unit,
        time=time,
        reference=reference,
        min_units=min_units,
        min_mentions=min_mentions,
        seed=ctx.seed,
        adjacency=adjacency,
        show=shown,
    )
    for name, frame in out.tables().items():
        ctx.save_table(frame, name, index=False)
    ctx.save_table(out.observations, "observations", index=False)
    for name, fig in out.figures().items():
        ctx.save_figure(fig, name)

    table = out.diffusion
    ctx.add_metric("diffusion_n_terms", len(table))
    ctx.add_metric(
        "diffusion_n_units",
        int(out.observations.loc[~out.observations["reference"], "unit"].nunique()),
    )
    _direction_metrics(ctx, "diffusion", table)
    if options["since"]:
        since = int(options["since"])
        recent = table[table["reference_first"].notna() & (table["reference_first"] >= since)]
        _direction_metrics(ctx, f"diffusion_since_{since}", recent)
    for key, value in pooled_lag(table, out.adoptions, seed=ctx.seed).items():
        ctx.add_metric(f"diffusion_pooled_lag_{key}", value)
    if out.hazard is not None:
        ctx.add_metric("diffusion_hazard_rows", out.hazard.n_rows_)
        ctx.add_metric("diffusion_hazard_events", out.hazard.n_events_)
    if out.hazard_error is not None:
        ctx.add_metric("diffusion_hazard_error", out.hazard_error)

    if n_sample:
        events = out.adoptions[~out.adoptions["reference"] & out.adoptions["first_time"].notna()]
        sample = events.sample(n=min(n_sample, len(events)), random_state=ctx.seed)
        ctx.save_table(
            sample[_VALIDITY_COLUMNS].reset_index(drop=True), "validity_sample", index=False
        )
    if compare:
        other = adoptions(
            corpus, terms=terms, unit=unit, time=time, reference=reference, min_mentions=compare
        )
        other_table = diffusion_table(other, min_units=min_units, seed=ctx.seed)
        ctx.save_table(other_table, f"diffusion_min_mentions_{compare}", index=False)
        _direction_metrics(ctx, f"diffusion_min_mentions_{compare}", other_table)


def _direction_metrics(ctx: RunContext, prefix: str, table: pd.DataFrame) -> None:
    ctx.add_metric(f"{prefix}_n_with_reference", int(table["reference_first"].notna().sum()))
    for direction in ("bottom-up", "top-down", "local"):
        name = direction.replace("-", "_")
        ctx.add_metric(f"{prefix}_n_{name}", int((table["direction"] == direction).sum()))


# What each output shows, for report.html (toolkit.experiment.report): patterns of
# the files this analysis writes, placeholders filled from the file's name.
CAPTIONS = {
    "figures/curves": (
        "How fast terms spread: the share of units that have adopted each shown term, "
        "by time since the reference first used it (Kaplan–Meier)."
    ),
    "figures/first_use": (
        "When each unit first used each shown term, beside the periods in which the "
        "unit is observed at all."
    ),
    "figures/lags": (
        "The lag between the reference's first use of a term and each unit's first use "
        "of it, over all terms: how long units take to follow."
    ),
    "figures/leaders": (
        "Which units lead and which follow: each unit's mean standardised adoption rank "
        "(0: always first) with its interval."
    ),
    "tables/diffusion": (
        "One row per term: the reference's first use, the first units to adopt, and the "
        "lag of the rest with its bootstrap interval."
    ),
    "tables/adoptions": "Each unit's first use of each term (empty when it never used it).",
    "tables/curves": "The adoption curves drawn in figures/curves, per term and period.",
    "tables/leaders": "Each unit's mean standardised adoption rank and its interval.",
    "tables/hazard": "The coefficients of the discrete-time hazard model of adoption.",
    "tables/observations": "The periods in which each unit is observed (has documents).",
    "tables/validity_sample": (
        "A random sample of adoption events with the evidence, to check by reading."
    ),
    "tables/diffusion_min_mentions_{n}": (
        "The diffusion table again, counting a unit as adopting only after {n} mentions."
    ),
}
