"""Figures of term diffusion: adoption curves, lags, first-use heatmaps, leaders.

Sized for a paper's column (3.5 in wide, or the full 7 in for the heatmap) and
drawn under :func:`~toolkit.plot.style.figure_style` (Chinese labels in its CJK font).
Each function takes the table its :mod:`toolkit.diffusion` counterpart returns
and returns the :class:`~matplotlib.axes.Axes` or Figure it drew on.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from toolkit.diffusion import ADOPTION_COLUMNS, CURVE_COLUMNS, LEADER_COLUMNS, OBSERVATION_COLUMNS
from toolkit.plot._common import (
    category_color,
    check_frame,
    check_title,
    new_axes,
    no_data,
    require_columns,
    top_down,
)
from toolkit.plot.style import COLUMN_WIDTH, FONT_SIZE, FULL_WIDTH, SINGLE_COLOR, styled

__all__ = [
    "lags_of",
    "plot_adoption_curves",
    "plot_first_use",
    "plot_lags",
    "plot_leaders",
]


def _check(name: str, frame: pd.DataFrame, columns: Sequence[str], source: str) -> None:
    check_frame(name, frame, source)
    require_columns(name, frame, columns, source)


def _small(ax: Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)


@styled
def plot_adoption_curves(
    curves: pd.DataFrame,
    *,
    terms: Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Cumulative share of units adopting, by periods since the reference's first use.

    Parameters
    ----------
    curves : pandas.DataFrame
        As :func:`~toolkit.diffusion.adoption_curves` returns it.
    terms : sequence of str, optional
        Terms to draw, in legend order; default every term of ``curves``.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        Kaplan–Meier steps with their 95% bands; a dashed line marks the
        reference's first use (0).
    """
    _check("curves", curves, CURVE_COLUMNS, "toolkit.diffusion.adoption_curves")
    check_title(title)
    ax = new_axes(ax, (COLUMN_WIDTH, 2.6))
    names = list(dict.fromkeys(curves["term"])) if terms is None else list(terms)
    for i, term in enumerate(names):
        rows = curves[curves["term"] == term].sort_values("time")
        if not len(rows):
            continue
        # The curve is 0 before the first adoption: start the step there.
        time = np.r_[rows["time"].iloc[0] - 1, rows["time"].to_numpy()]
        share = np.r_[0.0, rows["share"].to_numpy()]
        low = np.r_[0.0, rows["share_low"].to_numpy()]
        high = np.r_[0.0, rows["share_high"].to_numpy()]
        color = category_color(i)
        ax.step(time, share, where="post", color=color, lw=1.2, label=term)
        ax.fill_between(time, low, high, step="post", color=color, alpha=0.15, lw=0)
    if not len(curves):
        no_data(ax)
    ax.axvline(0, color="0.3", ls="--", lw=0.8)
    ax.set_ylim(0, 1)
    ax.set_xlabel("距参照组首次使用 periods since reference first use")
    ax.set_ylabel("已采用单位比例 share of units adopted")
    if names:
        ax.legend(loc="upper left")
    if title is not None:
        ax.set_title(title)
    _small(ax)
    return ax


def lags_of(adoptions: pd.DataFrame) -> np.ndarray:
    """Each unit's adoption lag behind the reference, across all terms the reference used."""
    _check("adoptions", adoptions, ADOPTION_COLUMNS, "toolkit.diffusion.adoptions")
    ref = adoptions[adoptions["reference"]].dropna(subset=["first_time"])
    first = ref.groupby("key")["first_time"].min()
    units = adoptions[~adoptions["reference"]].dropna(subset=["first_time"])
    units = units[units["key"].isin(first.index)]
    return units["first_time"].to_numpy(dtype=float) - units["key"].map(first).to_numpy(float)


@styled
def plot_lags(adoptions: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Histogram of adoption lags (unit first use minus reference first use), all terms pooled.

    Negative lags are units that used a term before the reference did.
    """
    check_title(title)
    lags = lags_of(adoptions)
    ax = new_axes(ax, (COLUMN_WIDTH, 2.4))
    if len(lags):
        low, high = int(np.floor(lags.min())), int(np.ceil(lags.max()))
        bins = [float(b) for b in np.arange(low - 0.5, high + 1.5, 1.0)]
        ahead = lags < 0
        ax.hist(lags[ahead], bins=bins, color="#D55E00", label="先于参照组 before reference")
        ax.hist(lags[~ahead], bins=bins, color="#0072B2", label="晚于或同年 same year or later")
        ax.axvline(0, color="0.3", ls="--", lw=0.8)
        # A few terms the reference used decades earlier stretch the axis over
        # empty years: show the central 99% and say how many lie beyond.
        left, right = np.percentile(lags, [0.5, 99.5])
        left, right = min(float(np.floor(left)), -1.0), max(float(np.ceil(right)), 1.0)
        beyond = int(((lags < left) | (lags > right)).sum())
        if beyond:
            ax.set_xlim(left - 0.5, right + 0.5)
            ax.text(
                0.99,
                0.55,
                f"{beyond} 个超出坐标范围\n{beyond} beyond the axis",
                transform=ax.transAxes,
                ha="right",
                fontsize=FONT_SIZE - 1.5,
                color="0.35",
            )
        # Headroom above the tallest bar for the legend, which would cover it at 3.5 in.
        ax.set_ylim(0, ax.get_ylim()[1] * 1.45)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="upper right")
    else:
        no_data(ax)
    ax.set_xlabel("滞后年数 lag (years)")
    ax.set_ylabel("采用事件数 adoptions")
    if title is not None:
        ax.set_title(title)
    _small(ax)
    return ax


# Cell states of the first-use heatmap.
_STATES = ("无报告 no report", "未采用 not yet", "首次使用 first use", "已采用 adopted")
# Okabe–Ito vermillion for the first use and a light tint of it after: the states
# differ in lightness too, so they stay apart without colour vision.
_STATE_COLORS = ("#ffffff", "#d5d8dc", "#D55E00", "#F5C6A5")


@styled
def plot_first_use(
    adoptions: pd.DataFrame,
    observations: pd.DataFrame,
    *,
    terms: Sequence[str],
    title: str | None = None,
) -> Figure:
    """Unit × period heatmap of first use, one panel per term, reference year marked.

    Parameters
    ----------
    adoptions, observations : pandas.DataFrame
        As :func:`~toolkit.diffusion.adoptions` and
        :func:`~toolkit.diffusion.observations` return them.
    terms : sequence of str
        Terms to draw, one panel each, side by side.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        Cells: white where the unit has no document that period (not a
        non-adoption), grey before adoption, vermillion in the adoption period, light vermillion
        after. Units are sorted by first use of the first term. A dashed line
        marks the reference's first use.
    """
    _check("adoptions", adoptions, ADOPTION_COLUMNS, "toolkit.diffusion.adoptions")
    _check("observations", observations, OBSERVATION_COLUMNS, "toolkit.diffusion.observations")
    check_title(title)
    if isinstance(terms, str) or not len(terms):
        raise ValueError(f"terms must be a non-empty list of terms (got {terms!r})")
    absent = [t for t in terms if t not in set(adoptions["term"])]
    if absent:
        raise ValueError(f"terms {absent} are not in adoptions")
    obs = observations[~observations["reference"]]
    units_all = sorted(set(obs["unit"]))
    periods = np.arange(int(obs["period"].min()), int(obs["period"].max()) + 1)
    seen = {(u, int(p)) for u, p in zip(obs["unit"], obs["period"], strict=True)}
    first_term = adoptions[(adoptions["term"] == terms[0]) & ~adoptions["reference"]]
    order = dict(zip(first_term["unit"], first_term["first_time"].fillna(99999), strict=True))
    units = sorted(units_all, key=lambda u: (order.get(u, 99999), u))
    # Full width, 0.16 in per unit row; the constrained layout keeps the legend
    # below the year labels and the title above the panels' titles.
    fig, axes = plt.subplots(
        1,
        len(terms),
        figsize=(FULL_WIDTH, 0.16 * len(units) + 1.2),
        sharey=True,
        squeeze=False,
        layout="constrained",
    )
    # Three year labels a panel: upright while a panel is 1.2 in wide (up to five terms).
    upright = (FULL_WIDTH - 0.6) / len(terms) >= 1.2
    cmap = ListedColormap(list(_STATE_COLORS))
    for ax, term in zip(axes[0], terms, strict=True):
        rows = adoptions[adoptions["term"] == term]
        first = dict(zip(rows["unit"], rows["first_time"], strict=True))
        grid = np.zeros((len(units), len(periods)))
        for i, unit in enumerate(units):
            when = first.get(unit)
            for j, p in enumerate(periods):
                if (unit, int(p)) not in seen:
                    continue
                if when is None or pd.isna(when) or p < when:
                    grid[i, j] = 1
                else:
                    grid[i, j] = 2 if p == when else 3
        ax.imshow(grid, aspect="auto", cmap=cmap, vmin=-0.5, vmax=3.5, interpolation="nearest")
        ref = rows.loc[rows["reference"], "first_time"].dropna()
        if len(ref):
            # At the left edge of the reference's first year.
            ax.axvline(int(ref.min()) - periods[0] - 0.5, color="k", ls="--", lw=0.8)
        ax.set_title(term)
        step = max(1, len(periods) // 2)
        ticks = list(range(0, len(periods), step))
        ax.set_xticks(ticks, [str(periods[t]) for t in ticks], rotation=0 if upright else 90)
        ax.set_yticks(range(len(units)), units)
    handles = [
        Patch(facecolor=c, edgecolor="0.6", label=s)
        for c, s in zip(_STATE_COLORS, _STATES, strict=True)
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=4)
    if title is not None:
        fig.suptitle(title)
    return fig


@styled
def plot_leaders(
    leaders: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None
) -> Axes:
    """Each unit's mean standardised adoption rank with its bootstrap interval, leaders on top."""
    _check("leaders", leaders, LEADER_COLUMNS, "toolkit.diffusion.leaders")
    check_title(title)
    ax = new_axes(ax, (COLUMN_WIDTH, 0.17 * len(leaders) + 1.0))
    y = np.arange(len(leaders))
    mean = leaders["mean_rank"].to_numpy(dtype=float)
    err = np.vstack(
        [mean - leaders["rank_low"].to_numpy(float), leaders["rank_high"].to_numpy(float) - mean]
    )
    ax.errorbar(mean, y, xerr=err, fmt="o", ms=3, color=SINGLE_COLOR, ecolor="0.6", lw=1)
    ax.set_yticks(
        y, [f"{u} ({n})" for u, n in zip(leaders["unit"], leaders["n_terms"], strict=True)]
    )
    if len(leaders):
        # Half a row of room at each end: the first and last dots are not cut by the axes.
        ax.set_ylim(len(leaders) - 0.5, -0.5)
    top_down(ax)
    ax.axvline(0.5, color="0.6", ls=":", lw=0.8)
    # A little beyond 0 and 1, so that a unit always first or always last shows whole.
    ax.set_xlim(-0.04, 1.04)
    ax.set_xlabel("平均采用次序 mean adoption rank (0 = first)")
    if not len(leaders):
        no_data(ax)
    if title is not None:
        ax.set_title(title)
    _small(ax)
    return ax
