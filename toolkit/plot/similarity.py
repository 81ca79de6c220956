"""The clustered heatmap of unit similarity: a dendrogram, a group strip and the matrix.

:func:`plot_similarity` draws under :func:`~toolkit.plot.style.figure_style`
(Chinese labels in its CJK font) and orders the units by an optimally
ordered dendrogram, so one matrix always gives one picture. The neighbour
network is in :mod:`toolkit.plot.network`, the aligned passages of text reuse
in :mod:`toolkit.plot.reuse`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import Colormap
from matplotlib.figure import Figure
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

from toolkit._validation import check_choice
from toolkit.plot._common import (
    VALUE_CMAP,
    annotate_cells,
    check_frame,
    check_title,
    group_colors,
    group_handles,
    group_of,
    group_title,
    names,
)
from toolkit.plot.style import FONT_SIZE, FULL_WIDTH, styled

__all__ = ["LINKAGE_METHODS", "plot_similarity"]

#: Values of ``plot_similarity(method=...)``: the linkages that are valid for any distance.
LINKAGE_METHODS: tuple[str, ...] = ("average", "complete", "single", "weighted")


def _check_matrix(matrix: Any) -> tuple[list[str], np.ndarray]:
    """The unit labels and the similarity values, columns in the order of the rows."""
    check_frame("matrix", matrix, "SimilarityIndex.matrix()")
    rows, cols = matrix.shape
    if rows != cols:
        raise ValueError(f"matrix must be square (got {rows} rows × {cols} columns)")
    if rows < 2:
        raise ValueError(f"matrix must compare at least two units (got {rows})")
    index = [str(u) for u in matrix.index]
    columns = [str(u) for u in matrix.columns]
    for axis, labels in (("rows", index), ("columns", columns)):
        if len(set(labels)) != len(labels):
            repeated = sorted({u for u in labels if labels.count(u) > 1})
            raise ValueError(f"matrix has repeated labels on its {axis}: {names(repeated)}")
    if set(index) != set(columns):
        only_rows = sorted(set(index) - set(columns))
        only_cols = sorted(set(columns) - set(index))
        raise ValueError(
            "matrix must have the same labels on both axes; only in rows: "
            f"{names(only_rows)}, only in columns: {names(only_cols)}"
        )
    try:
        values = matrix.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise TypeError("matrix must hold numbers (similarities)") from None
    position = {u: j for j, u in enumerate(columns)}
    values = values[:, [position[u] for u in index]]
    bad = ~np.isfinite(values)
    if bad.any():
        i, j = (int(x[0]) for x in np.nonzero(bad))
        raise ValueError(
            f"matrix must hold finite numbers; {int(bad.sum())} cells are NaN or infinite "
            f"(e.g. row {index[i]!r}, column {index[j]!r})"
        )
    gap = np.abs(values - values.T)
    if not np.allclose(values, values.T, rtol=1e-6, atol=1e-9):
        i, j = (int(x) for x in np.unravel_index(int(np.argmax(gap)), gap.shape))
        raise ValueError(
            "matrix must be symmetric; the similarity of "
            f"{index[i]!r} to {index[j]!r} is {values[i, j]:.6g} but of {index[j]!r} to "
            f"{index[i]!r} it is {values[j, i]:.6g}"
        )
    return index, values


def _leaf_order(values: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
    """The linkage of the units on distance ``1 - similarity``, and its optimal leaf order."""
    distance = 1.0 - (values + values.T) / 2.0
    np.fill_diagonal(distance, 0.0)
    distance = np.clip(distance, 0.0, None)
    link = hierarchy.linkage(
        squareform(distance, checks=False), method=method, optimal_ordering=True
    )
    return link, hierarchy.leaves_list(link)


@styled
def plot_similarity(
    matrix: pd.DataFrame,
    *,
    groups: pd.Series | Mapping[Any, Any] | None = None,
    method: str = "average",
    title: str | None = None,
    cmap: str | Colormap = VALUE_CMAP,
) -> Figure:
    """Draw a units × units similarity matrix as a heatmap clustered by a dendrogram.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Similarities of every pair of units, as :meth:`SimilarityIndex.matrix`
        returns: square, the same labels on rows and columns (in any order),
        finite and symmetric.
    groups : pandas.Series or mapping, optional
        Each unit's group (``index.units_["county"]``); units missing from it
        are an error, extra entries are ignored. Drawn as a colour strip
        between the dendrogram and the heatmap, with a legend titled by the
        Series' name. Colours are assigned to groups in sorted order
        (Okabe–Ito up to 8 groups, colour-blind safe; tab20 beyond, repeating
        beyond 20).
    method : {'average', 'complete', 'single', 'weighted'}
        The :func:`scipy.cluster.hierarchy.linkage` method, on the distance
        ``1 - similarity`` (clipped at 0), with ``optimal_ordering=True`` so
        the leaf order is deterministic and neighbouring leaves are alike.
    title : str, optional
        Figure title.
    cmap : str or matplotlib.colors.Colormap
        Colour map of the similarities; cividis by default (perceptually uniform,
        colour-blind safe).

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled (``ax.get_label()``) ``"dendrogram"``, ``"groups"``
        (only with ``groups``), ``"heatmap"`` and ``"colorbar"``. The heatmap's
        rows and columns are the units in dendrogram leaf order, top to bottom
        and left to right, their names on the right and at the bottom. Its
        colour scale spans the off-diagonal similarities; the diagonal
        (a unit with itself) is masked and drawn grey. With at most 150 cells
        every off-diagonal cell is annotated with its value.

    Raises
    ------
    ValueError
        If ``matrix`` is not square, has fewer than two units, different or
        repeated labels on its axes, non-finite values or is not symmetric;
        if ``groups`` lacks a unit; if ``method`` is not one of the above.

    Examples
    --------
    >>> index = SimilarityIndex(by="town").fit(corpus)  # doctest: +SKIP
    >>> fig = plot_similarity(index.matrix(), groups=index.units_["county"])  # doctest: +SKIP
    """
    units, values = _check_matrix(matrix)
    check_choice("method", method, LINKAGE_METHODS)
    check_title(title)
    colors: dict[str, Any] = {}
    if groups is not None:
        group = group_of(groups, units)
        colors = group_colors(group)
    link, order = _leaf_order(values, method)
    n = len(units)
    labels = [units[i] for i in order]
    grid = values[np.ix_(order, order)]

    # Full width, always: the matrix takes what the dendrogram (0.9 in), the group
    # strip, the colour bar, the unit labels and the group legend leave, about
    # 3.8 in, so its cells shrink as units are added, never the page. Up to about
    # 55 units a cell holds a 5 pt label; beyond, only every k-th unit is labelled.
    side = min(3.8 if groups is not None else 4.8, 0.32 * n)
    cell = side / n
    fontsize = max(5.0, min(FONT_SIZE - 1, cell * 72 * 0.7))
    label_step = max(1, int(np.ceil(fontsize / (cell * 72 * 0.9))))
    widths = [0.9, *([0.15] if groups is not None else []), side, 0.12]
    fig = plt.figure(figsize=(FULL_WIDTH, side + 1.5), layout="constrained")
    spec = fig.add_gridspec(1, len(widths), width_ratios=widths, wspace=0.01)
    tree_ax = fig.add_subplot(spec[0, 0], label="dendrogram")
    heat_ax = fig.add_subplot(spec[0, len(widths) - 2], label="heatmap")
    bar_ax = fig.add_subplot(spec[0, len(widths) - 1], label="colorbar")

    hierarchy.dendrogram(
        link,
        orientation="left",
        ax=tree_ax,
        no_labels=True,
        link_color_func=lambda _: "0.3",
    )
    # Leaves are about 1/n of the height apart: lines thicker than that merge the
    # tree into a grey block (268 cities at 7 in), so they thin with n.
    for lines in tree_ax.collections:
        lines.set_linewidth(min(float(np.atleast_1d(lines.get_linewidth())[0]), 30.0 / n))
    tree_ax.set_ylim(10 * n, 0)  # leaf i sits at 10 i + 5: first leaf at the top, as row 0
    tree_ax.set_yticks([])
    tree_ax.spines[["left", "top", "right"]].set_visible(False)
    tree_ax.set_xlabel("距离 distance\n(1 - similarity)")

    if groups is not None:
        strip_ax = fig.add_subplot(spec[0, 1], label="groups")
        rgba = np.array([[colors[group[i]]] for i in order], dtype=float)
        strip_ax.imshow(rgba, aspect="auto", interpolation="nearest")
        strip_ax.set_xticks([])
        strip_ax.set_yticks([])
        fig.legend(
            handles=group_handles(colors),
            title=group_title(groups),
            loc="outside right upper",
        )

    offdiag = grid[~np.eye(n, dtype=bool)]
    low = min(0.0, float(offdiag.min()))
    high = float(offdiag.max())
    if high <= low:
        high = low + 1.0
    colormap = plt.get_cmap(cmap).with_extremes(bad="0.85")
    masked = np.ma.masked_array(grid, mask=np.eye(n, dtype=bool))
    image = heat_ax.imshow(
        masked, cmap=colormap, vmin=low, vmax=high, aspect="auto", interpolation="nearest"
    )
    ticks = list(range(0, n, label_step))
    shown = [labels[i] for i in ticks]
    heat_ax.set_xticks(ticks, shown, rotation=90, fontsize=fontsize)
    heat_ax.set_yticks(ticks, shown, fontsize=fontsize)
    heat_ax.yaxis.tick_right()
    heat_ax.tick_params(length=2)
    annotate_cells(heat_ax, image, grid, np.eye(n, dtype=bool), fontsize=min(6.5, fontsize))
    fig.colorbar(image, cax=bar_ax, label="相似度 similarity")
    if title is not None:
        fig.suptitle(title)
    return fig


# Names that lived here in 0.1.0 and moved with the split of this module; the old imports
# work, with a FutureWarning, for one release.
_MOVED = {
    "plot_neighbors_network": "toolkit.plot.network",
    "plot_reuse": "toolkit.plot.reuse",
    "REPLACE_COLOR": "toolkit.plot.reuse",
    "DELETE_COLOR": "toolkit.plot.reuse",
    "INSERT_COLOR": "toolkit.plot.reuse",
}


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        import importlib

        home = _MOVED[name]
        warnings.warn(
            f"toolkit.plot.similarity.{name} has moved to {home}.{name}; import it from "
            f"there (or from toolkit.plot); the old import will be removed in the next release",
            FutureWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(home), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
