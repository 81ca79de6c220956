"""Figures for unit similarity and text reuse: clustered heatmap, neighbour network, passage diff.

All three draw Chinese labels with the CJK font from
:func:`~toolkit.plot.fonts.use_cjk_font`, order units and groups explicitly (the
heatmap by an optimally ordered dendrogram, the network and legends by name) so
one input always gives one picture, and return the
:class:`~matplotlib.figure.Figure` they drew on.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from numbers import Real
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.colors import Colormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

from toolkit._validation import check_choice, check_positive_int
from toolkit.plot.fonts import use_cjk_font

__all__ = [
    "DELETE_COLOR",
    "INSERT_COLOR",
    "LINKAGE_METHODS",
    "REPLACE_COLOR",
    "plot_neighbors_network",
    "plot_reuse",
    "plot_similarity",
]

#: Values of ``plot_similarity(method=...)``: the linkages that are valid for any distance.
LINKAGE_METHODS: tuple[str, ...] = ("average", "complete", "single", "weighted")
#: Highlight of characters that differ between the two passages (in both blocks).
REPLACE_COLOR = "#f7dc6f"
#: Highlight of characters only in the first passage (deleted from it).
DELETE_COLOR = "#f1948a"
#: Highlight of characters only in the second passage (inserted into it).
INSERT_COLOR = "#82e0aa"

# Heatmaps with more cells than this are not annotated: the numbers would overlap.
_MAX_ANNOTATED_CELLS = 150
# Units named in an error message before "… and N more".
_SHOWN = 10
# Widest edge of the network, in points; the strongest edge drawn gets it.
_MAX_EDGE_WIDTH = 6.0
# Thinnest edge, so that weak (or non-positive) similarities stay visible.
_MIN_EDGE_WIDTH = 0.3
# Iterations of the force-directed layout.
_LAYOUT_ITERATIONS = 200
# Most rounds of pushing apart nodes that sit closer than a label's width.
_SPREAD_ITERATIONS = 50
# Side of one character cell of plot_reuse, in inches.
_CELL = 0.24

_TAGS = {
    "replace": (REPLACE_COLOR, "替换 replaced"),
    "delete": (DELETE_COLOR, "删除 deleted (only in A)"),
    "insert": (INSERT_COLOR, "插入 inserted (only in B)"),
}


def _names(values: Sequence[Any]) -> str:
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:_SHOWN])
    more = f" … and {len(values) - _SHOWN} more" if len(values) > _SHOWN else ""
    return f"[{shown}{more}]"


def _check_title(title: Any) -> None:
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None (got {type(title).__name__})")


def _check_real(name: str, value: Any) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number (got {type(value).__name__}: {value!r})")
    if not math.isfinite(float(value)):
        raise ValueError(f"{name} must be finite (got {value!r})")
    return float(value)


# ----------------------------------------------------------------------------- groups


def _group_of(groups: Any, units: Sequence[str]) -> list[str]:
    """Each unit's group as a str, in the order of ``units``."""
    if isinstance(groups, Mapping) and not isinstance(groups, pd.Series):
        groups = pd.Series(dict(groups), dtype=object)
    if not isinstance(groups, pd.Series):
        raise TypeError(
            "groups must be a pandas.Series (or a mapping) from unit to group, e.g. "
            f"index.units_['county'] (got {type(groups).__name__})"
        )
    if not groups.index.is_unique:
        repeated = sorted({str(u) for u in groups.index[groups.index.duplicated()]})
        raise ValueError(f"groups has more than one entry for units {_names(repeated)}")
    lookup = {str(unit): value for unit, value in groups.items()}
    absent = [u for u in units if u not in lookup]
    if absent:
        raise ValueError(
            f"groups has no group for {len(absent)} units {_names(absent)}; it must map "
            "every unit drawn"
        )
    missing = [u for u in units if pd.isna(lookup[u])]
    if missing:
        raise ValueError(
            f"groups is missing (NaN) for {len(missing)} units {_names(missing)}; fill it "
            "first, e.g. groups.fillna('<missing>')"
        )
    return [str(lookup[u]) for u in units]


def _palette(names: Sequence[str]) -> dict[str, tuple[float, ...]]:
    """Colours of the groups, assigned in sorted order; they repeat beyond 20 groups."""
    ordered = sorted(set(names))
    cmap = plt.get_cmap("tab10" if len(ordered) <= 10 else "tab20")
    return {name: cmap(i % cmap.N) for i, name in enumerate(ordered)}


def _group_handles(colors: Mapping[str, Any]) -> list[Patch]:
    return [Patch(color=colors[name], label=name) for name in sorted(colors)]


def _group_title(groups: Any) -> str:
    name = getattr(groups, "name", None)
    return str(name) if name is not None else "group"


# ----------------------------------------------------------------------------- heatmap


def _check_matrix(matrix: Any) -> tuple[list[str], np.ndarray]:
    """The unit labels and the similarity values, columns in the order of the rows."""
    if not isinstance(matrix, pd.DataFrame):
        raise TypeError(
            "matrix must be a pandas.DataFrame of similarities, as SimilarityIndex.matrix() "
            f"returns (got {type(matrix).__name__})"
        )
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
            raise ValueError(f"matrix has repeated labels on its {axis}: {_names(repeated)}")
    if set(index) != set(columns):
        only_rows = sorted(set(index) - set(columns))
        only_cols = sorted(set(columns) - set(index))
        raise ValueError(
            "matrix must have the same labels on both axes; only in rows: "
            f"{_names(only_rows)}, only in columns: {_names(only_cols)}"
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
        i, j = np.unravel_index(int(np.argmax(gap)), gap.shape)
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


def plot_similarity(
    matrix: pd.DataFrame,
    *,
    groups: pd.Series | Mapping[Any, Any] | None = None,
    method: str = "average",
    title: str | None = None,
    cmap: str | Colormap = "YlGnBu",
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
        Series' name. Colours are assigned to groups in sorted order (tab10,
        or tab20 beyond 10 groups; they repeat beyond 20).
    method : {'average', 'complete', 'single', 'weighted'}
        The :func:`scipy.cluster.hierarchy.linkage` method, on the distance
        ``1 - similarity`` (clipped at 0), with ``optimal_ordering=True`` so
        the leaf order is deterministic and neighbouring leaves are alike.
    title : str, optional
        Figure title.
    cmap : str or matplotlib.colors.Colormap
        Colour map of the similarities.

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
    _check_title(title)
    colors: dict[str, Any] = {}
    if groups is not None:
        group = _group_of(groups, units)
        colors = _palette(group)
    link, order = _leaf_order(values, method)
    n = len(units)
    labels = [units[i] for i in order]
    grid = values[np.ix_(order, order)]

    use_cjk_font()
    cell = min(0.32, 18.0 / n)  # inches; large matrices shrink their cells, not grow forever
    fontsize = max(3.0, min(9.0, cell * 72 * 0.6))
    side = n * cell
    widths = [1.4, *([0.22] if groups is not None else []), side, 0.18]
    fig = plt.figure(
        figsize=(sum(widths) + 2.6 + (1.4 if groups is not None else 0.0), side + 1.9),
        layout="constrained",
    )
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
    tree_ax.set_ylim(10 * n, 0)  # leaf i sits at 10 i + 5: first leaf at the top, as row 0
    tree_ax.set_yticks([])
    tree_ax.spines[["left", "top", "right"]].set_visible(False)
    tree_ax.tick_params(axis="x", labelsize=7)
    tree_ax.set_xlabel("距离 distance\n(1 - similarity)", fontsize=8)

    if groups is not None:
        strip_ax = fig.add_subplot(spec[0, 1], label="groups")
        rgba = np.array([[colors[group[i]]] for i in order], dtype=float)
        strip_ax.imshow(rgba, aspect="auto", interpolation="nearest")
        strip_ax.set_xticks([])
        strip_ax.set_yticks([])
        fig.legend(
            handles=_group_handles(colors),
            title=_group_title(groups),
            loc="outside right upper",
            fontsize=8,
            title_fontsize=8,
            frameon=False,
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
    heat_ax.set_xticks(range(n), labels, rotation=90, fontsize=fontsize)
    heat_ax.set_yticks(range(n), labels, fontsize=fontsize)
    heat_ax.yaxis.tick_right()
    heat_ax.tick_params(length=2)
    if n * n <= _MAX_ANNOTATED_CELLS:
        for (i, j), value in np.ndenumerate(grid):
            if i == j:
                continue
            # Dark cells get white text, light cells black, so every number stays readable.
            light = image.norm(value) < 0.55
            heat_ax.text(
                j,
                i,
                f"{value:.2f}",
                ha="center",
                va="center",
                fontsize=min(8.0, fontsize),
                color="black" if light else "white",
            )
    fig.colorbar(image, cax=bar_ax, label="相似度 similarity")
    bar_ax.tick_params(labelsize=7)
    if title is not None:
        fig.suptitle(title)
    return fig


# ----------------------------------------------------------------------------- network


def _neighbor_edges(neighbors: Any) -> pd.DataFrame:
    """The table as columns ``unit``, ``neighbor`` (str) and ``similarity`` (float)."""
    if not isinstance(neighbors, pd.DataFrame):
        raise TypeError(
            "neighbors must be a pandas.DataFrame, as SimilarityIndex.top_neighbors() "
            f"returns (got {type(neighbors).__name__})"
        )
    table = neighbors
    if "unit" not in table.columns and "unit" in table.attrs:
        # SimilarityIndex.neighbors(unit) names its unit in attrs, not in a column.
        table = table.assign(unit=table.attrs["unit"])
    missing = [c for c in ("unit", "neighbor", "similarity") if c not in table.columns]
    if missing:
        raise ValueError(
            f"neighbors is missing column(s) {missing}, which SimilarityIndex.top_neighbors() "
            f"returns; columns present: {list(neighbors.columns)}"
        )
    for column in ("unit", "neighbor"):
        if table[column].isna().any():
            raise ValueError(f"neighbors has missing values in column {column!r}")
    similarity = pd.to_numeric(table["similarity"], errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(similarity).all():
        bad = table["similarity"][~np.isfinite(similarity)].tolist()[:3]
        raise ValueError(f"neighbors' similarity must hold finite numbers (got {bad})")
    return pd.DataFrame(
        {
            "unit": table["unit"].astype(str).to_numpy(),
            "neighbor": table["neighbor"].astype(str).to_numpy(),
            "similarity": similarity,
        }
    )


def _spring_layout(n: int, edges: np.ndarray, weights: np.ndarray, seed: int) -> np.ndarray:
    """Fruchterman–Reingold positions of ``n`` nodes in [-1, 1]², seeded.

    ``edges`` holds index pairs, ``weights`` their attraction (scaled to at most 1).
    """
    if n <= 1:
        return np.zeros((n, 2))
    rng = np.random.default_rng(seed)
    pos = rng.uniform(0.0, 1.0, size=(n, 2))
    attract = np.zeros((n, n))
    if len(edges):
        attract[edges[:, 0], edges[:, 1]] = weights
        attract[edges[:, 1], edges[:, 0]] = weights
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    cooling = temperature / (_LAYOUT_ITERATIONS + 1)
    for _ in range(_LAYOUT_ITERATIONS):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=-1), 0.01)
        force = k * k / distance**2 - attract * distance / k
        shift = np.einsum("ijk,ij->ik", delta, force)
        length = np.maximum(np.linalg.norm(shift, axis=-1), 0.01)
        pos += shift * (temperature / length)[:, None]
        temperature -= cooling
    pos = _rescale(pos)
    # Tightly knit units would sit on top of each other and their labels overlap: push
    # pairs closer than a label's width apart, a little at a time.
    gap = min(0.25, 1.5 / math.sqrt(n))
    for _ in range(_SPREAD_ITERATIONS):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.linalg.norm(delta, axis=-1)
        np.fill_diagonal(distance, np.inf)
        close = distance < gap
        if not close.any():
            break
        safe = np.where(close, np.maximum(distance, 1e-9), 1.0)
        push = np.where(close, (gap - safe) / 2 / safe, 0.0)
        pos = pos + np.einsum("ijk,ij->ik", delta, push) / 2
    return _rescale(pos)


def _rescale(pos: np.ndarray) -> np.ndarray:
    pos = pos - pos.mean(axis=0)
    reach = float(np.abs(pos).max())
    return pos / reach if reach > 0 else pos


def plot_neighbors_network(
    neighbors: pd.DataFrame,
    *,
    groups: pd.Series | Mapping[Any, Any] | None = None,
    min_similarity: float | None = None,
    seed: int = 0,
    title: str | None = None,
    weight_label: str = "相似度 similarity",
) -> Figure:
    """Draw units as nodes joined to their nearest neighbours.

    Parameters
    ----------
    neighbors : pandas.DataFrame
        Columns ``unit``, ``neighbor`` and ``similarity``, as
        :meth:`SimilarityIndex.top_neighbors` returns (other columns, such as
        ``rank``, are ignored). The table of :meth:`SimilarityIndex.neighbors`
        works too: its unit is read from ``attrs["unit"]``.
    groups : pandas.Series or mapping, optional
        Each unit's group (``index.units_["county"]``), the node colour, with
        a legend titled by the Series' name. Colours are assigned to groups
        in sorted order, as in :func:`plot_similarity`.
    min_similarity : float, optional
        Edges below this similarity are not drawn; their units stay, as
        nodes, even when left without an edge.
    seed : int
        Seeds the force-directed (Fruchterman–Reingold) layout: the same
        table and seed give the same picture, whatever the order of its rows.
    title : str, optional
        Axes title.
    weight_label : str
        Title of the edge-width legend: what ``similarity`` holds. Pass
        another when the edges carry another weight, e.g. ``"共享段落
        passages"`` for counts of reused passages; whole-number weights are
        written without decimals in that legend.

    Returns
    -------
    matplotlib.figure.Figure
        One node per unit named in ``unit`` or ``neighbor`` (a scatter with
        gid ``"nodes"``, units sorted by name, each labelled in Chinese) and
        one edge per unordered pair of units in the table (a LineCollection
        with gid ``"edges"``, pairs sorted by name): a pair listed both ways
        (A's neighbour B, B's neighbour A) is one edge, with the larger
        similarity; rows pairing a unit with itself are ignored. Edge width
        is proportional to similarity, 6 points for the largest drawn (at
        least 0.3 points, so weak edges stay visible); a second legend gives
        the scale.

    Raises
    ------
    ValueError
        If a column is missing (the message names the missing and the
        present columns), a unit or similarity is missing or not finite, or
        ``groups`` lacks a unit.

    Examples
    --------
    >>> index = SimilarityIndex(by="town").fit(corpus)  # doctest: +SKIP
    >>> fig = plot_neighbors_network(  # doctest: +SKIP
    ...     index.top_neighbors(3), groups=index.units_["county"], min_similarity=0.1
    ... )
    """
    table = _neighbor_edges(neighbors)
    if min_similarity is not None:
        min_similarity = _check_real("min_similarity", min_similarity)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int (got {type(seed).__name__}: {seed!r})")
    _check_title(title)
    if not isinstance(weight_label, str):
        raise TypeError(f"weight_label must be a str (got {type(weight_label).__name__})")

    nodes = sorted(set(table["unit"]) | set(table["neighbor"]))
    position = {u: i for i, u in enumerate(nodes)}
    colors: dict[str, Any] = {}
    if groups is not None:
        group = _group_of(groups, nodes)
        colors = _palette(group)

    pairs: dict[tuple[int, int], float] = {}
    for unit, neighbor, sim in table.itertuples(index=False):
        if unit == neighbor:
            continue
        key = tuple(sorted((position[unit], position[neighbor])))
        pairs[key] = max(sim, pairs.get(key, -math.inf))
    edges = sorted(
        (key, sim) for key, sim in pairs.items() if min_similarity is None or sim >= min_similarity
    )
    index_pairs = np.array([key for key, _ in edges], dtype=int).reshape(-1, 2)
    sims = np.array([sim for _, sim in edges], dtype=float)
    strongest = float(sims.max()) if len(sims) else 0.0
    scaled = np.clip(sims / strongest, 0.0, 1.0) if strongest > 0 else np.zeros_like(sims)
    pos = _spring_layout(len(nodes), index_pairs, scaled, int(seed))

    use_cjk_font()
    size = min(max(6.0, 1.7 * math.sqrt(len(nodes))), 20.0)
    fig, ax = plt.subplots(figsize=(size + (1.8 if groups is not None else 1.2), size))
    if not nodes:
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        if title is not None:
            ax.set_title(title)
        return fig

    widths = np.maximum(_MAX_EDGE_WIDTH * scaled, _MIN_EDGE_WIDTH)
    lines = LineCollection(
        [pos[[i, j]] for i, j in index_pairs],
        linewidths=widths,
        colors="0.45",
        alpha=0.7,
        zorder=1,
        gid="edges",
    )
    ax.add_collection(lines)
    node_colors = [colors[g] for g in group] if groups is not None else ["#5d6d7e"] * len(nodes)
    ax.scatter(
        pos[:, 0],
        pos[:, 1],
        s=140,
        c=node_colors,
        edgecolors="white",
        linewidths=1.0,
        zorder=2,
        gid="nodes",
    )
    fontsize = 9 if len(nodes) <= 60 else 7
    for name, (x, y) in zip(nodes, pos, strict=True):
        ax.annotate(
            name,
            (x, y),
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=fontsize,
            zorder=3,
        )
    ax.set_xlim(-1.15, 1.15)
    ax.set_ylim(-1.15, 1.2)
    ax.set_aspect("equal")
    ax.set_axis_off()

    if groups is not None:
        group_legend = ax.legend(
            handles=_group_handles(colors),
            title=_group_title(groups),
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            fontsize=8,
            title_fontsize=8,
            frameon=False,
        )
        ax.add_artist(group_legend)
    if len(sims):
        steps = sorted({float(sims.min()), float(np.median(sims)), strongest})
        whole = all(float(v).is_integer() for v in sims)
        ax.legend(
            handles=[
                Line2D(
                    [],
                    [],
                    color="0.45",
                    linewidth=max(_MAX_EDGE_WIDTH * v / strongest, _MIN_EDGE_WIDTH)
                    if strongest > 0
                    else _MIN_EDGE_WIDTH,
                    label=f"{v:.0f}" if whole and v.is_integer() else f"{v:.2f}",
                )
                for v in steps
            ],
            title=weight_label,
            loc="lower left",
            bbox_to_anchor=(1.0, 0.0),
            fontsize=8,
            title_fontsize=8,
            frameon=False,
        )
    if title is not None:
        ax.set_title(title)
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- reuse


def _cells(text: str, width: int) -> list[tuple[int, int]]:
    """(row, column) of each character wrapped at ``width``; a newline ends its row."""
    cells = []
    row = col = 0
    for char in text:
        if col >= width:
            row, col = row + 1, 0
        cells.append((row, col))
        col += 1
        if char == "\n":
            row, col = row + 1, 0
    return cells


def _spans(opcodes: list[tuple[str, int, int, int, int]], side: str) -> list[tuple[str, int, int]]:
    """The (tag, start, end) of the differing spans of one side ("a" or "b")."""
    out = []
    for tag, i1, i2, j1, j2 in opcodes:
        start, end = (i1, i2) if side == "a" else (j1, j2)
        if tag != "equal" and end > start:
            out.append((tag, start, end))
    return out


def _draw_passage(
    ax: Any,
    text: str,
    spans: list[tuple[str, int, int]],
    width: int,
    rows: int,
    heading: str,
) -> None:
    cells = _cells(text, width)
    for tag, start, end in spans:
        color = _TAGS[tag][0]
        # One rectangle per row the span covers.
        i = start
        while i < end:
            row, col = cells[i]
            j = i
            while j + 1 < end and cells[j + 1][0] == row:
                j += 1
            ax.add_patch(
                Rectangle(
                    (col, row),
                    cells[j][1] - col + 1,
                    1,
                    facecolor=color,
                    edgecolor="none",
                    gid=tag,
                    zorder=1,
                )
            )
            i = j + 1
    for char, (row, col) in zip(text, cells, strict=True):
        shown = {"\n": "↵", "\t": "→"}.get(char, char)
        ax.text(
            col + 0.5,
            row + 0.52,
            shown,
            ha="center",
            va="center",
            fontsize=12,
            color="0.55" if shown != char else "black",
            zorder=2,
        )
    if not text:
        ax.text(0.1, 0.5, "(空 empty)", va="center", fontsize=10, color="0.5")
    ax.set_xlim(0, width)
    ax.set_ylim(rows, 0)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("0.85")
    ax.set_title(heading, loc="left", fontsize=10)


def plot_reuse(
    text_a: str,
    text_b: str,
    *,
    label_a: str = "",
    label_b: str = "",
    score: float | None = None,
    title: str | None = None,
    width: int = 40,
) -> Figure:
    """Draw two passages one above the other, with the characters that differ highlighted.

    The alignment is :class:`difflib.SequenceMatcher`'s (``autojunk=False``),
    character by character. Characters it matches are drawn plain; replaced
    characters are highlighted in yellow on both sides
    (:data:`REPLACE_COLOR`), characters only in ``text_a`` in red
    (:data:`DELETE_COLOR`) and characters only in ``text_b`` in green
    (:data:`INSERT_COLOR`).

    Parameters
    ----------
    text_a, text_b : str
        The two passages, e.g. ``text_a`` and ``text_b`` of a row of
        :func:`toolkit.similarity.reuse.find_reuse`'s table.
    label_a, label_b : str
        Shown above each block, after ``A`` and ``B`` (a doc_id, a town).
    score : float, optional
        The pair's reuse score, shown under the title.
    title : str, optional
        Figure title.
    width : int
        Characters per line; each character takes one cell, Chinese or not,
        and a newline (drawn as ``↵``) ends its line.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes, labelled ``"a"`` and ``"b"``, in character cells: character
        ``i`` of a passage without newlines sits in the cell from
        ``(i % width, i // width)`` to one more in each direction (x to the
        right, y down). Each highlighted run is one
        :class:`~matplotlib.patches.Rectangle` per line it covers, with gid
        ``"replace"``, ``"delete"`` or ``"insert"``. A legend names the
        colours and the subtitle counts the characters that match.

    Raises
    ------
    TypeError
        If a passage or label is not a str, or ``score`` is not a number.
    ValueError
        If ``width`` is not a positive integer or ``score`` is not finite.

    Examples
    --------
    >>> fig = plot_reuse("沙棠镇推动联村全覆盖", "菱角乡推动联户全覆盖",
    ...                  label_a="沙棠镇", label_b="菱角乡", score=0.8)
    """
    for name, value in (
        ("text_a", text_a),
        ("text_b", text_b),
        ("label_a", label_a),
        ("label_b", label_b),
    ):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str (got {type(value).__name__})")
    check_positive_int("width", width)
    if score is not None:
        score = _check_real("score", score)
    _check_title(title)

    matcher = difflib.SequenceMatcher(None, text_a, text_b, autojunk=False)
    opcodes = matcher.get_opcodes()
    same = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag == "equal")
    rows = [max(1, _cells(t, width)[-1][0] + 1) if t else 1 for t in (text_a, text_b)]

    use_cjk_font()
    fig = plt.figure(
        figsize=(width * _CELL + 0.6, (sum(rows) + 2) * _CELL + 2.0),
        layout="constrained",
    )
    spec = fig.add_gridspec(2, 1, height_ratios=rows)
    for k, (side, text, label) in enumerate((("a", text_a, label_a), ("b", text_b, label_b))):
        ax = fig.add_subplot(spec[k, 0], label=side)
        heading = f"{side.upper()}  {label}".rstrip() + f"  ({len(text)} 字 chars)"
        _draw_passage(ax, text, _spans(opcodes, side), width, rows[k], heading)

    used = {tag for tag, *_ in opcodes if tag != "equal"}
    fig.legend(
        handles=[Patch(color=color, label=name) for tag, (color, name) in _TAGS.items()],
        loc="outside lower center",
        ncols=3,
        fontsize=9,
        frameon=False,
        title=None if used else "两段完全相同 identical passages",
        title_fontsize=9,
    )
    summary = f"相同 matching: {same} 字 chars"
    if score is not None:
        summary = f"得分 score = {score:.3g}   " + summary
    fig.suptitle(summary if title is None else f"{title}\n{summary}", fontsize=11)
    return fig
