"""The neighbour network: units as nodes, joined to their nearest neighbours.

:func:`plot_neighbors_network` draws under :func:`~toolkit.plot.style.figure_style`
(Chinese labels in its CJK font), orders nodes, edges and legends by
name and seeds its layout, so one table and seed always give one picture.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from toolkit.plot._common import (
    check_frame,
    check_real,
    check_title,
    group_colors,
    group_handles,
    group_of,
    group_title,
    no_data,
    require_columns,
)
from toolkit.plot.style import FONT_SIZE, FULL_WIDTH, SINGLE_COLOR, styled

__all__ = ["plot_neighbors_network"]

# Widest edge of the network, in points; the strongest edge drawn gets it.
_MAX_EDGE_WIDTH = 3.5
# Thinnest edge, so that weak (or non-positive) similarities stay visible.
_MIN_EDGE_WIDTH = 0.3
# Iterations of the force-directed layout.
_LAYOUT_ITERATIONS = 200
# Most rounds of pushing apart nodes that sit closer than a label's width.
_SPREAD_ITERATIONS = 50


def _neighbor_edges(neighbors: Any) -> pd.DataFrame:
    """The table as columns ``unit``, ``neighbor`` (str) and ``similarity`` (float)."""
    check_frame("neighbors", neighbors, "SimilarityIndex.top_neighbors()")
    table = neighbors
    if "unit" not in table.columns and "unit" in table.attrs:
        # SimilarityIndex.neighbors(unit) names its unit in attrs, not in a column.
        table = table.assign(unit=table.attrs["unit"])
    require_columns(
        "neighbors", table, ("unit", "neighbor", "similarity"), "SimilarityIndex.top_neighbors()"
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
    """networkx's Fruchterman–Reingold positions of ``n`` nodes in [-1, 1]², seeded.

    ``edges`` holds index pairs, ``weights`` their attraction (scaled to at most 1).
    """
    import networkx as nx

    if n <= 1:
        return np.zeros((n, 2))
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(
        (int(i), int(j), float(w)) for (i, j), w in zip(edges, weights, strict=True)
    )
    # A spring layout pushes unconnected groups of units to the corners and leaves
    # the middle empty: each connected component is laid out alone, then the
    # components are packed in a grid, largest first, each in a cell scaled to
    # its size.
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    cols = math.ceil(math.sqrt(len(components)))
    largest = len(components[0])
    pos = np.zeros((n, 2))
    for k, component in enumerate(components):
        members = sorted(component)
        if len(members) == 1:
            local = np.zeros((1, 2))
        else:
            layout = nx.spring_layout(
                graph.subgraph(members),
                weight="weight",
                seed=seed,
                iterations=_LAYOUT_ITERATIONS,
            )
            local = _rescale(np.array([layout[i] for i in members], dtype=float))
        scale = max(0.35, math.sqrt(len(members) / largest)) if len(components) > 1 else 1.0
        row, col = divmod(k, cols)
        pos[members] = local * scale + np.array([2.6 * col, -2.6 * row])
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


@styled
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
        min_similarity = check_real("min_similarity", min_similarity)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int (got {type(seed).__name__}: {seed!r})")
    check_title(title)
    if not isinstance(weight_label, str):
        raise TypeError(f"weight_label must be a str (got {type(weight_label).__name__})")

    nodes = sorted(set(table["unit"]) | set(table["neighbor"]))
    position = {u: i for i, u in enumerate(nodes)}
    colors: dict[str, Any] = {}
    if groups is not None:
        group = group_of(groups, nodes)
        colors = group_colors(group)

    pairs: dict[tuple[int, int], float] = {}
    for unit, neighbor, sim in table.itertuples(index=False):
        if unit == neighbor:
            continue
        low, high = sorted((position[unit], position[neighbor]))
        key = (low, high)
        pairs[key] = max(sim, pairs.get(key, -math.inf))
    edges = sorted(
        (key, sim) for key, sim in pairs.items() if min_similarity is None or sim >= min_similarity
    )
    index_pairs = np.array([key for key, _ in edges], dtype=int).reshape(-1, 2)
    sims = np.array([sim for _, sim in edges], dtype=float)
    strongest = float(sims.max()) if len(sims) else 0.0
    scaled = np.clip(sims / strongest, 0.0, 1.0) if strongest > 0 else np.zeros_like(sims)
    pos = _spring_layout(len(nodes), index_pairs, scaled, int(seed))

    # Full width, the legends beside the drawing; as tall as the drawing is, so a
    # wide grid of components gets a short figure. More than about 150 units do not
    # fit 7 in with readable labels: their labels shrink to 5 pt and may touch.
    # The drawing keeps its aspect, so the height is what makes it fill the width:
    # the width left beside the legends (about 1.1 in) times the drawing's ratio,
    # plus the title.
    drawing = FULL_WIDTH - 1.1
    extent = pos.max(axis=0) - pos.min(axis=0) if len(nodes) else np.ones(2)
    if extent[1] > extent[0]:
        # A tall drawing turned a quarter: it then fills the page's width, not its height.
        pos, extent = pos[:, ::-1].copy(), extent[::-1]
    # The axes' ratio once padded as below (room for the labels).
    pad = 0.08 * float(max(extent)) + 0.12
    ratio = float((extent[1] + 2 * pad + 0.05) / (extent[0] + 2 * pad))
    height = drawing * min(max(ratio, 0.45), 1.0)
    fig, ax = plt.subplots(
        figsize=(FULL_WIDTH, height + (0.35 if title is not None else 0.1)), layout="constrained"
    )
    if not nodes:
        no_data(ax)
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
    node_colors = [colors[g] for g in group] if groups is not None else [SINGLE_COLOR] * len(nodes)
    ax.scatter(
        pos[:, 0],
        pos[:, 1],
        s=60,
        c=node_colors,
        edgecolors="white",
        linewidths=0.6,
        zorder=2,
        gid="nodes",
    )
    fontsize = FONT_SIZE - 1 if len(nodes) <= 60 else FONT_SIZE - 2 if len(nodes) <= 150 else 5.0
    for name, (x, y) in zip(nodes, pos, strict=True):
        ax.annotate(
            name,
            (x, y),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=fontsize,
            zorder=3,
            # A white halo keeps a label readable where an edge runs under it.
            path_effects=[patheffects.withStroke(linewidth=2.0, foreground="white")],
        )
    # The drawing's own extent, with room for the labels above the nodes.
    low, high = pos.min(axis=0), pos.max(axis=0)
    ax.set_xlim(low[0] - pad, high[0] + pad)
    ax.set_ylim(low[1] - pad, high[1] + pad + 0.05)
    ax.set_aspect("equal")
    ax.set_axis_off()

    if groups is not None:
        group_legend = ax.legend(
            handles=group_handles(colors),
            title=group_title(groups),
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
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
        )
    if title is not None:
        ax.set_title(title)
    return fig
