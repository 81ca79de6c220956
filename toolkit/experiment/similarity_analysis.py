"""Analysis ``town_similarity``: how alike towns write, and which passages they share.

A :class:`~toolkit.similarity.SimilarityIndex` turns every town (``by``) into
a vector (tf-idf of term-aware tokens by default) and compares every pair;
a permutation test asks whether towns of the same county (``group``) are more
alike than towns of different counties. :func:`~toolkit.similarity.reuse.find_reuse`
then finds the passages two articles share despite small edits, and
:func:`~toolkit.similarity.reuse.reuse_network` sums them per pair of towns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from toolkit._validation import check_choice, check_positive_int
from toolkit.corpus import Corpus
from toolkit.experiment.context import RunContext
from toolkit.experiment.options import analysis_options
from toolkit.plot import COLUMN_WIDTH, figure_style, plot_neighbors_network, plot_similarity
from toolkit.similarity import REPRESENTATIONS, VALID_METRICS, SimilarityIndex
from toolkit.similarity.reuse import find_reuse, reuse_network

__all__ = [
    "NEIGHBORS_COLUMNS",
    "UnitComparison",
    "compare_units",
    "reuse_edges",
    "reuse_network_figure",
    "town_similarity",
    "unit_groups",
]

#: Columns of ``tables/<by>_neighbors.csv`` (``town_neighbors.csv`` for towns).
NEIGHBORS_COLUMNS = ("unit", "neighbor", "similarity", "rank")

# Decimals kept in the CSV tables: enough to rank and compare, short enough to read.
_DECIMALS = 6
# Shortest passage find_reuse accepts (its character shingle).
_SHINGLE = 5


@dataclass(frozen=True)
class UnitComparison:
    """What :func:`compare_units` found: the fitted index, its matrix and each unit's group.

    Attributes
    ----------
    index : SimilarityIndex
        Fitted on the corpus, one unit per value of ``by``.
    matrix : pandas.DataFrame
        ``index.matrix()``: units × units, 1 on the diagonal.
    groups : pandas.Series or None
        Each unit's value of ``group`` (for colours and the permutation test),
        or ``None`` when no group was asked for.
    """

    index: SimilarityIndex
    matrix: pd.DataFrame
    groups: pd.Series | None

    def heatmap(self, *, title: str | None = None) -> Figure:
        """The matrix clustered by a dendrogram, with a strip of each unit's group."""
        return plot_similarity(self.matrix, groups=self.groups, title=title)

    def neighbors_network(self, k: int, *, seed: int, title: str | None = None) -> Figure:
        """Each unit linked to its ``k`` nearest units, coloured by group."""
        return plot_neighbors_network(
            self.index.top_neighbors(k), groups=self.groups, seed=seed, title=title
        )


def unit_groups(index: SimilarityIndex, field: str, *, where: str) -> pd.Series:
    """Each unit's value of ``field``; an error naming ``where`` when it varies within a unit.

    Parameters
    ----------
    index : SimilarityIndex
        A fitted index.
    field : str
        A docvar at the level of the units or above (county for towns), or
        ``index.by`` itself.
    where : str
        What set ``field`` (``"--group"``, ``"town_similarity: group"``),
        named at the start of the error.
    """
    if field == index.by:
        return index.units_.index.to_series()
    if field not in index.units_.columns:
        constant = sorted(str(c) for c in index.units_.columns if c != "n_pieces")
        raise ValueError(
            f"{where}: docvar {field!r} is not constant within units of {index.by!r}; "
            f"choose a docvar at the level of the units or above (constant: {constant})"
        )
    return index.units_[field]


def compare_units(
    corpus: Corpus, *, group: str | None = None, where: str, **params: Any
) -> UnitComparison:
    """Fit a :class:`~toolkit.similarity.SimilarityIndex` and compare every pair of units.

    The one fit behind ``tifa similarity`` and the ``town_similarity``
    analysis, so the command and the experiment cannot compare units in two
    ways.

    Parameters
    ----------
    corpus : Corpus
    group : str, optional
        A docvar constant within each unit, returned per unit (see :func:`unit_groups`).
    where : str
        The caller's name for ``group``, at the start of its errors.
    **params
        :class:`~toolkit.similarity.SimilarityIndex` parameters (``by``,
        ``representation``, ``metric`` …); the rest keep the API's defaults.
    """
    index = SimilarityIndex(**params).fit(corpus)
    groups = None if group is None else unit_groups(index, group, where=where)
    return UnitComparison(index=index, matrix=index.matrix(), groups=groups)


@analysis_options(
    by="town",
    group="county",
    representation="tfidf",
    metric="cosine",
    k=3,
    n_perm=999,
    min_chars=50,
    max_df=0.1,
)
def town_similarity(corpus: Corpus, options: Mapping[str, Any], ctx: RunContext) -> None:
    """Compare every pair of towns, test the county grouping, and find reused passages.

    Writes:

    Tables and the heatmap are named after ``by`` (``town_similarity.csv``
    for towns, ``city_similarity.csv`` for cities), so one kind serves every
    level of units.

    - ``tables/<by>_similarity.csv``: the ``by`` × ``by`` similarity matrix
      (:meth:`SimilarityIndex.matrix`, 1 on the diagonal, rounded to 6
      decimals), units sorted by name.
    - ``tables/<by>_neighbors.csv``: each unit's ``k`` most similar units
      (:meth:`SimilarityIndex.top_neighbors`), columns ``unit``, ``neighbor``,
      ``similarity``, ``rank`` (1 = most similar).
    - ``tables/reuse_passages.csv``: every passage two documents share
      (:func:`~toolkit.similarity.reuse.find_reuse` with ``min_chars`` and
      ``max_df``, seeded with the experiment's seed), with both texts, offsets, ``similarity``,
      ``edit``, ``df``, ``boilerplate``, ``earlier`` and the ``by`` and
      ``group`` docvars of both documents.
    - ``tables/reuse_network.csv``: :func:`~toolkit.similarity.reuse.reuse_network`
      by ``by``: one row per pair of units sharing text (``unit_a``,
      ``unit_b``, ``passages``, ``chars``, ``distinctive``, ``boilerplate``,
      ``earlier_a``, ``earlier_b``, ``undated``).
    - ``figures/<by>_similarity.png`` and ``.svg``: the matrix as a heatmap
      ordered by a dendrogram, with a colour strip of each unit's ``group``
      (:func:`toolkit.plot.plot_similarity`).
    - ``figures/reuse_network.png`` and ``.svg``: the reuse network drawn
      with :func:`toolkit.plot.plot_neighbors_network`, nodes coloured by
      ``group``. Its edges are :func:`reuse_edges`: ``unit`` ← ``unit_a``,
      ``neighbor`` ← ``unit_b``, ``similarity`` ← ``distinctive`` (passages
      that are not boilerplate), so an edge's width counts the distinctive
      passages two units share; pairs sharing only boilerplate, and a unit
      paired with itself, are not drawn.

    Metrics: ``similarity_n_units``, ``similarity_within`` and
    ``similarity_across`` (mean similarity of pairs in the same and in
    different groups), ``similarity_permutation_observed`` (their difference),
    ``similarity_permutation_p`` (one-sided p-value of ``n_perm`` label
    permutations, seeded with the experiment's seed), ``reuse_n_passages``,
    ``reuse_n_distinctive``, ``reuse_n_boilerplate`` and ``reuse_n_pairs``
    (rows of the network).

    Parameters
    ----------
    corpus : Corpus
        The ingested corpus.
    options : mapping
        ``by``: the docvar of the units (towns); ``group``: a docvar constant
        within each unit (county), for the permutation test and the colours;
        ``representation``: ``"tfidf"``, ``"terms"``, ``"topics"`` or
        ``"embedding"``; ``metric``: one valid for it
        (:data:`toolkit.similarity.VALID_METRICS`); ``k``: neighbours per
        unit; ``n_perm``: permutations; ``min_chars``: shortest reused
        passage, in characters (at least 5); ``max_df``: a passage in more
        articles than this (a share of the corpus if below 1, else a count)
        is boilerplate.
    ctx : RunContext
        Where outputs go; ``ctx.seed`` seeds the index, the permutation test
        and the MinHash of the reuse search.

    Raises
    ------
    KeyError
        If ``by`` or ``group`` is not a docvar of the corpus.
    ValueError
        On a bad option value, ``group`` equal to ``by``, a ``metric`` that
        does not apply to ``representation``, units without a ``by`` value,
        or a ``group`` that is not constant within each unit.
    """
    by, group = options["by"], options["group"]
    representation = check_choice(
        "town_similarity: representation", options["representation"], REPRESENTATIONS
    )
    metric = check_choice(
        f"town_similarity: metric (for representation {representation!r})",
        options["metric"],
        VALID_METRICS[representation],
    )
    k = check_positive_int("town_similarity: k", options["k"])
    n_perm = check_positive_int("town_similarity: n_perm", options["n_perm"])
    min_chars = check_positive_int("town_similarity: min_chars", options["min_chars"])
    if min_chars < _SHINGLE:
        raise ValueError(
            f"town_similarity: min_chars must be at least {_SHINGLE} (got {min_chars})"
        )
    max_df = options["max_df"]
    if not max_df > 0:
        raise ValueError(
            f"town_similarity: max_df must be a share in (0, 1) or a count >= 1 (got {max_df})"
        )
    if group == by:
        raise ValueError(
            f"town_similarity: by and group are both {by!r}; group must be a coarser "
            "docvar (county for towns)"
        )
    available = sorted(corpus.docvars.columns)
    for name, field in (("by", by), ("group", group)):
        if field not in available:
            raise KeyError(
                f"town_similarity: {name} field {field!r} is not a docvar of this corpus; "
                f"available: {available}"
            )

    comparison = compare_units(
        corpus,
        group=group,
        where="town_similarity: group",
        by=by,
        representation=representation,
        metric=metric,
        seed=ctx.seed,
        progress=ctx.progress,
    )
    index, matrix, groups = comparison.index, comparison.matrix, comparison.groups
    test = index.permutation_test(group, n_perm=n_perm, seed=ctx.seed)

    ctx.save_table(matrix.round(_DECIMALS), f"{by}_similarity")
    neighbors = index.top_neighbors(min(k, len(matrix) - 1))
    ctx.save_table(neighbors.round({"similarity": _DECIMALS}), f"{by}_neighbors", index=False)
    fig = comparison.heatmap(
        title=f"{by} 相似度 similarity ({representation}, {metric}); "
        f"same {group} − other: {test.observed:.3f}, p = {test.p_value:.3f}",
    )
    ctx.save_figure(fig, f"{by}_similarity")

    passages = find_reuse(
        corpus,
        min_chars=min_chars,
        max_df=max_df,
        docvars=[by, group],
        seed=ctx.seed,
        progress=ctx.progress,
    )
    ctx.save_table(
        passages.round({"similarity": _DECIMALS, "edit": _DECIMALS}),
        "reuse_passages",
        index=False,
    )
    network = reuse_network(passages, by=by, corpus=corpus)
    ctx.save_table(network, "reuse_network", index=False)
    assert groups is not None  # compare_units was given the group
    ctx.save_figure(
        reuse_network_figure(network, by=by, groups=groups, seed=ctx.seed), "reuse_network"
    )

    ctx.add_metric("similarity_n_units", len(matrix))
    ctx.add_metric("similarity_within", round(test.within, _DECIMALS))
    ctx.add_metric("similarity_across", round(test.across, _DECIMALS))
    ctx.add_metric("similarity_permutation_observed", round(test.observed, _DECIMALS))
    ctx.add_metric("similarity_permutation_p", round(test.p_value, _DECIMALS))
    ctx.add_metric("reuse_n_passages", len(passages))
    ctx.add_metric("reuse_n_distinctive", int((~passages["boilerplate"].astype(bool)).sum()))
    ctx.add_metric("reuse_n_boilerplate", int(passages["boilerplate"].astype(bool).sum()))
    ctx.add_metric("reuse_n_pairs", len(network))


def reuse_edges(network: pd.DataFrame) -> pd.DataFrame:
    """The reuse network as the edge table :func:`toolkit.plot.plot_neighbors_network` draws.

    ``unit`` is ``unit_a``, ``neighbor`` is ``unit_b`` and ``similarity`` is
    ``distinctive``, the number of passages the two units share that are not
    boilerplate. Pairs with no distinctive passage and a unit paired with
    itself are left out.

    Parameters
    ----------
    network : pandas.DataFrame
        The output of :func:`~toolkit.similarity.reuse.reuse_network`.

    Returns
    -------
    pandas.DataFrame
        Columns ``unit``, ``neighbor``, ``similarity`` (float), in the
        network's order.
    """
    kept = network[(network["distinctive"] > 0) & (network["unit_a"] != network["unit_b"])]
    return pd.DataFrame(
        {
            "unit": kept["unit_a"].to_numpy(),
            "neighbor": kept["unit_b"].to_numpy(),
            "similarity": kept["distinctive"].to_numpy(dtype=float),
        }
    )


def reuse_network_figure(
    network: pd.DataFrame, *, by: str, groups: pd.Series | None = None, seed: int = 0
) -> Figure:
    """The units that share distinctive passages, linked; a note when none do.

    Parameters
    ----------
    network : pandas.DataFrame
        The output of :func:`~toolkit.similarity.reuse.reuse_network`.
    by : str
        The unit docvar the network is of, for the title.
    groups : pandas.Series, optional
        Each unit's group (its county), for the colours and the legend.
    seed : int
        Seed of the layout.

    Returns
    -------
    matplotlib.figure.Figure
        :func:`~toolkit.plot.plot_neighbors_network` of :func:`reuse_edges`,
        edge width the number of distinctive passages two units share.
    """
    edges = reuse_edges(network)
    title = f"{by} 间文本复用 text reuse: edge width = distinctive passages shared"
    if len(edges):
        return plot_neighbors_network(
            edges, groups=groups, seed=seed, title=title, weight_label="共享段落 passages"
        )
    with figure_style():
        fig, ax = plt.subplots(figsize=(COLUMN_WIDTH, 1.6), layout="constrained")
        ax.set_axis_off()
        # The title is a long sentence: wrapped, it fits one column.
        ax.set_title(title.replace(": ", ":\n", 1))
        ax.text(0.5, 0.5, "no distinctive reuse found", ha="center", va="center")
    return fig


# What each output shows, for report.html (toolkit.experiment.report): patterns of
# the files this analysis writes, placeholders filled from the file's name.
CAPTIONS = {
    "figures/town_similarity": (
        "How alike the units write: the similarity of every pair (the colour bar gives "
        "the scale), units ordered by clustering (the tree on the left) with their group "
        "in the colour strip; the title gives how much more alike units of one group are "
        "than units of different groups, and the permutation test's p."
    ),
    "figures/reuse_network": (
        "Who shares passages with whom: units joined by the passages their articles "
        "share despite small edits (text reuse), coloured by group; boilerplate "
        "passages found in many articles are left out."
    ),
    "tables/town_similarity": (
        "The unit × unit similarity matrix drawn in the heatmap (1 on the diagonal)."
    ),
    "tables/town_neighbors": "Each unit's nearest units by similarity, ranked from 1.",
    "tables/reuse_passages": (
        "Every reused passage: the two documents, where the passage lies in each, "
        "its two texts, how similar they are, how many articles hold it (df), whether "
        "it is boilerplate and which article came first."
    ),
    "tables/reuse_network": (
        "Reuse summed per pair of units: passages and characters shared, distinctive "
        "or boilerplate, and how often each side wrote first."
    ),
}
