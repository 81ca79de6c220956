"""Figures for topic models: top terms per topic, prevalence by group, and the choice of K.

All three draw under :func:`~toolkit.plot.style.figure_style` (Chinese labels
in its CJK font), order topics by number and groups by
value (numerically when the values are whole numbers) so one input always gives
one picture, and return the :class:`~matplotlib.figure.Figure` they drew on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from toolkit._estimator import check_fitted
from toolkit._validation import check_choice, check_positive_int
from toolkit.plot._common import (
    OKABE_ITO,
    VALUE_CMAP,
    annotate_cells,
    category_color,
    check_frame,
    check_title,
    figure_of,
    new_axes,
    no_data,
    require_columns,
    top_down,
)
from toolkit.plot.style import COLUMN_WIDTH, FONT_SIZE, FULL_WIDTH, SINGLE_COLOR, styled
from toolkit.topics.model import TopicModel

__all__ = ["MAX_LINES", "PREVALENCE_KINDS", "plot_k_selection", "plot_prevalence", "plot_topics"]

#: Values of ``plot_prevalence(kind=...)``.
PREVALENCE_KINDS: tuple[str, ...] = ("auto", "heatmap", "lines")
#: Most topics ``plot_prevalence(kind="lines")`` draws; beyond it the lines would be unreadable.
MAX_LINES = 8

# ``by`` names that mean time: kind="auto" draws these as lines.
_TIME_FIELDS = ("year", "month", "date")
# Tick labels that fit side by side on the x axis of a line plot.
_MAX_TICKS = 30
_TOPIC_NUMBER = re.compile(r"^topic_(\d+)$")
_INTEGER = re.compile(r"^[+-]?\d+$")

_K_PANELS = (
    ("coherence_npmi", "一致性 coherence (mean c_npmi) ↑"),
    ("exclusivity", "排他性 exclusivity ↑"),
    ("perplexity", "留出困惑度 held-out perplexity ↓"),
    ("diversity", "主题多样性 topic diversity ↑"),
)


def _topic_key(topic: str) -> tuple[int, int, str]:
    # topic_10 after topic_9, not after topic_1; other names after all numbered ones.
    match = _TOPIC_NUMBER.match(topic)
    return (0, int(match.group(1)), "") if match else (1, 0, topic)


def _as_integers(values: Iterable[Any]) -> list[int] | None:
    """The values as ints if every one is a whole number (``2022``, ``"2022"``, ``2022.0``)."""
    out = []
    for value in values:
        if isinstance(value, (bool, np.bool_)):
            return None
        whole = (
            isinstance(value, (int, np.integer))
            or (isinstance(value, (float, np.floating)) and float(value).is_integer())
            or (isinstance(value, str) and _INTEGER.match(value.strip()) is not None)
        )
        if not whole:
            return None
        out.append(int(value))
    return out


def _display_labels(labels: Mapping[str, str] | Sequence[str] | None) -> dict[str, str]:
    if labels is None:
        return {}
    if isinstance(labels, str):
        raise TypeError(
            "labels must map topic columns to display labels, or list one label per topic "
            "(as TopicModel.labels() returns), not a single str"
        )
    if isinstance(labels, Mapping):
        return {str(k): str(v) for k, v in labels.items()}
    if isinstance(labels, Sequence):
        return {f"topic_{t}": str(label) for t, label in enumerate(labels)}
    raise TypeError(f"labels must be a mapping or a sequence of str (got {type(labels).__name__})")


# ----------------------------------------------------------------------------- top terms


@styled
def plot_topics(
    model: TopicModel,
    *,
    n: int = 10,
    relevance: float = 1.0,
    topics: Iterable[int] | None = None,
    ncols: int = 3,
    title: str | None = None,
) -> Figure:
    """Draw each topic's top terms as horizontal bars, one small panel per topic.

    Parameters
    ----------
    model : TopicModel
        A fitted model.
    n : int
        Terms per topic.
    relevance : float
        λ of Sievert & Shirley's relevance, which chooses the ``n`` terms (see
        :meth:`TopicModel.top_terms`): 1 takes the most probable in the topic,
        lower values favour terms exclusive to it. A panel lists the chosen
        terms by their probability in the topic, φ[topic, term], which is the
        bar's length, largest at the top, so the bars always decrease; every
        panel shares one x scale so bars compare across topics.
    topics : iterable of int, optional
        Topic numbers to draw, in this order (repeats are drawn once). All
        topics, in order, by default.
    ncols : int
        Panels per row; panels fill rows left to right. The figure is 7 in
        wide (3.5 in for one column of panels), so each panel gets 7 /
        ``ncols`` in: three leave room for a topic's label and its terms.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per topic drawn, in the order of ``topics``, each titled with
        the topic's :meth:`TopicModel.labels` (``"T0 民生·保障·就业"``) and
        listing its terms top to bottom, most probable first.

    Raises
    ------
    ValueError
        If a topic number is outside ``0 … k-1``, or ``topics`` is empty.

    Examples
    --------
    >>> model = TopicModel(k=4, seed=0).fit(data.dtm)  # doctest: +SKIP
    >>> fig = plot_topics(model, n=8, relevance=0.6, title="四个主题")  # doctest: +SKIP
    """
    if not isinstance(model, TopicModel):
        raise TypeError(f"model must be a TopicModel (got {type(model).__name__})")
    check_fitted(model)
    check_positive_int("n", n)
    check_positive_int("ncols", ncols)
    check_title(title)
    if topics is None:
        chosen = list(range(model.k))
    else:
        chosen = []
        for t in topics:
            if isinstance(t, (bool, np.bool_)) or not isinstance(t, (int, np.integer)):
                raise TypeError(f"topics must be topic numbers (int); got {t!r}")
            if not 0 <= t < model.k:
                raise ValueError(
                    f"topic {t} does not exist: the model has topics 0 to {model.k - 1}"
                )
            chosen.append(int(t))
        chosen = list(dict.fromkeys(chosen))
        if not chosen:
            raise ValueError("topics must name at least one topic (got none)")

    chosen_terms = model.top_terms(n, relevance=relevance)
    names = model.labels()
    column = {name: j for j, name in enumerate(model.feature_names_)}
    phi = model.topic_term_
    # Relevance chooses the terms; the panel lists them by the probability its
    # bars draw, so the bars always decrease (ties keep the relevance order).
    ranked: dict[int, list[str]] = {}
    for t in chosen:
        probability = {term: float(phi[t, column[term]]) for term in chosen_terms[t]}
        ranked[t] = sorted(chosen_terms[t], key=lambda term: -probability[term])
    widths = {t: [float(phi[t, column[term]]) for term in ranked[t]] for t in chosen}
    longest = max(max(w, default=0.0) for w in widths.values())

    cols = min(ncols, len(chosen))
    rows = math.ceil(len(chosen) / cols)
    rows_of_bars = max(len(ranked[t]) for t in chosen)
    # 0.15 in per bar holds a 7 pt term; 0.45 in per panel its title and axis.
    fig = plt.figure(
        figsize=(
            COLUMN_WIDTH if cols == 1 else FULL_WIDTH,
            rows * (0.45 + 0.15 * rows_of_bars) + (0.45 if title else 0.25),
        ),
        layout="constrained",
    )
    for i, t in enumerate(chosen):
        ax = fig.add_subplot(rows, cols, i + 1)
        positions = np.arange(len(ranked[t]))
        ax.barh(positions, widths[t], color=category_color(t))
        ax.set_yticks(positions, ranked[t])
        top_down(ax)
        ax.set_xlim(0, longest * 1.05 if longest > 0 else 1.0)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3))
        # Only the lowest panel of each column keeps its x tick labels.
        ax.tick_params(axis="x", labelbottom=i + cols >= len(chosen))
        ax.set_title(names[t], fontsize=FONT_SIZE)
        ax.spines[["top", "right"]].set_visible(False)
    fig.supxlabel("主题内概率 probability in topic (φ)")
    if title is not None:
        fig.suptitle(title)
    return fig


# ----------------------------------------------------------------------------- prevalence


def _ordered_groups(values: Iterable[Any]) -> tuple[list[Any], list[int] | None]:
    """Distinct group values in order (numeric when all are whole numbers), and their ints."""
    distinct = list(dict.fromkeys(values))
    numbers = _as_integers(distinct)
    if numbers is not None:
        order = sorted(range(len(distinct)), key=lambda i: (numbers[i], str(distinct[i])))
        return [distinct[i] for i in order], [numbers[i] for i in order]
    return sorted(distinct, key=str), None


@styled
def plot_prevalence(
    table: pd.DataFrame,
    *,
    by: str,
    kind: str = "auto",
    labels: Mapping[str, str] | Sequence[str] | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Draw how much of each group's text each topic takes up.

    Parameters
    ----------
    table : pandas.DataFrame
        The result of :func:`toolkit.topics.prevalence`: one row per (group,
        topic) with columns ``by``, ``topic``, ``share`` and, for
        ``kind="lines"``, ``lower`` and ``upper``.
    by : str
        The group column, the ``by`` that ``prevalence`` was called with.
    kind : {'auto', 'heatmap', 'lines'}
        ``"heatmap"``: groups as rows, topics as columns, colour = share, each
        cell annotated with its share when there are at most 150 cells.
        ``"lines"``: one line per topic over the sorted group values, the
        bootstrap interval (``lower`` to ``upper``) as a shaded band; meant
        for time (whole-number years on a numeric axis, dates and months such
        as ``"2022-03"`` on a date axis, anything else as evenly spaced
        categories in sorted order). With more than :data:`MAX_LINES` (8)
        topics only the 8 whose share varies most across groups (population
        variance; ties by topic number) are drawn, and the figure says so;
        filter ``table`` to choose other topics. ``"auto"`` picks lines when
        ``by`` is ``"year"``, ``"month"`` or ``"date"`` or every group value
        is a whole number, else the heatmap.
    labels : mapping or sequence of str, optional
        Display names of the topics: a mapping from the ``topic`` value
        (``"topic_3"``) to a label, or a list with one label per topic number,
        such as :meth:`TopicModel.labels` returns. Topics without a label
        show their ``topic`` value.
    title : str, optional
        Axes title.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        Topics are ordered by number (``topic_2`` before ``topic_10``); groups
        by value, numerically when every value is a whole number.

    Raises
    ------
    ValueError
        If ``kind`` is not one of the above, a needed column is missing (the
        message names the missing and the present columns), or a (group,
        topic) pair appears twice.

    Examples
    --------
    >>> table = prevalence(model, by="year")  # doctest: +SKIP
    >>> fig = plot_prevalence(table, by="year", labels=model.labels())  # doctest: +SKIP
    >>> fig = plot_prevalence(prevalence(model, by="county"), by="county")  # doctest: +SKIP
    """
    check_frame("table", table)
    check_choice("kind", kind, PREVALENCE_KINDS)
    check_title(title)
    if not isinstance(by, str):
        raise TypeError(f"by must be a column name (str), got {type(by).__name__}")
    require_columns("table", table, [by, "topic", "share"], "prevalence()")
    names = _display_labels(labels)

    groups, numbers = _ordered_groups(table[by].tolist())
    if kind == "auto":
        kind = "lines" if by in _TIME_FIELDS or numbers is not None else "heatmap"
    if kind == "lines":
        require_columns("table", table, ["lower", "upper"], "prevalence()")
    if table.duplicated([by, "topic"]).any():
        pairs = table.loc[table.duplicated([by, "topic"], keep=False), [by, "topic"]]
        first = tuple(pairs.iloc[0])
        raise ValueError(
            f"table has more than one row for a ({by!r}, 'topic') pair, e.g. {first}; "
            "pass the table of a single prevalence() call"
        )
    topics = sorted({str(t) for t in table["topic"]}, key=_topic_key)
    frame = table.assign(topic=table["topic"].astype(str))

    if kind == "heatmap":
        ax = _prevalence_heatmap(frame, by, groups, topics, names, ax)
    else:
        ax = _prevalence_lines(frame, by, groups, numbers, topics, names, ax)
    if title is not None:
        ax.set_title(title)
    return figure_of(ax)


def _prevalence_heatmap(
    frame: pd.DataFrame,
    by: str,
    groups: list[Any],
    topics: list[str],
    names: dict[str, str],
    ax: Axes | None,
) -> Axes:
    grid = frame.pivot(index=by, columns="topic", values="share").reindex(
        index=groups, columns=topics
    )
    values = grid.to_numpy(dtype=float)
    # Up to four topic columns fit one paper column beside the group labels and
    # the colour bar; more take the full width. 0.2 in per row holds a 7 pt number.
    width = COLUMN_WIDTH if len(topics) <= 4 else FULL_WIDTH
    height = min(max(2.0, 1.5 + 0.2 * len(groups)), 30.0)
    ax = new_axes(ax, (width, height))
    if values.size == 0:
        no_data(ax)
        return ax
    cmap = plt.get_cmap(VALUE_CMAP)
    top = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
    image = ax.imshow(values, cmap=cmap, vmin=0.0, vmax=top or 1.0, aspect="auto")
    ax.set_xticks(range(len(topics)), [names.get(t, t) for t in topics], rotation=40, ha="right")
    ax.set_yticks(range(len(groups)), [str(g) for g in groups])
    ax.set_ylabel(by)
    ax.figure.colorbar(image, ax=ax, label="平均份额 mean share")
    annotate_cells(ax, image, values, np.isnan(values), fontsize=FONT_SIZE - 1.5)
    return ax


def _x_positions(groups: list[Any], numbers: list[int] | None) -> tuple[list[Any], list[Any], str]:
    """The groups in x order, their x values, and the axis: number, date or category."""
    if numbers is not None:
        return groups, list(numbers), "number"
    try:
        dates = pd.to_datetime(pd.Series([str(g) for g in groups]), format="mixed")
    except (ValueError, TypeError, OverflowError):
        return groups, list(range(len(groups))), "category"
    if not dates.is_unique:
        # "2022-03" and "2022-03-01" are one date: separate categories keep both visible.
        return groups, list(range(len(groups))), "category"
    order = sorted(range(len(groups)), key=lambda i: dates.iloc[i])
    return [groups[i] for i in order], [dates.iloc[i] for i in order], "date"


def _gap(x: Sequence[Any]) -> float | None:
    """The distance between groups beyond which a line breaks: three usual steps.

    The usual step is the median distance between neighbouring groups (a year
    for annual reports, five for congresses); None with fewer than three groups.
    """
    if len(x) < 3:
        return None
    steps = np.diff(np.asarray(x, dtype=float))
    return 3.0 * float(np.median(steps))


def _prevalence_lines(
    frame: pd.DataFrame,
    by: str,
    groups: list[Any],
    numbers: list[int] | None,
    topics: list[str],
    names: dict[str, str],
    ax: Axes | None,
) -> Axes:
    groups, x, axis = _x_positions(groups, numbers)
    key = {g: i for i, g in enumerate(groups)}
    shown = topics
    if len(topics) > MAX_LINES:
        spread = frame.groupby("topic")["share"].var(ddof=0).fillna(0.0)
        ranked = sorted(topics, key=lambda t: (-float(spread.get(t, 0.0)), _topic_key(t)))
        chosen = set(ranked[:MAX_LINES])
        shown = [t for t in topics if t in chosen]

    # Full width: the legend of topic labels sits beside the plot.
    ax = new_axes(ax, (FULL_WIDTH, 3.0))
    gap = _gap(x) if axis == "number" else None
    for topic in shown:
        rows = frame[frame["topic"] == topic]
        rows = rows.iloc[np.argsort([key[g] for g in rows[by]], kind="stable")]
        xs = [x[key[g]] for g in rows[by]]
        # By place among the lines drawn: at most 8, so no two share a colour; for
        # topics 0-7 this is also plot_topics' colour of the same topic.
        color = category_color(shown.index(topic))
        # A line across years without data would draw a trend nobody measured:
        # each run of years without a long gap is its own line (see _gap).
        cuts = [0] + [i for i in range(1, len(xs)) if gap is not None and xs[i] - xs[i - 1] > gap]
        for n, (a, b) in enumerate(zip(cuts, [*cuts[1:], len(xs)], strict=True)):
            ax.fill_between(
                xs[a:b],
                rows["lower"].to_numpy(dtype=float)[a:b],
                rows["upper"].to_numpy(dtype=float)[a:b],
                color=color,
                alpha=0.15,
                linewidth=0,
            )
            ax.plot(
                xs[a:b],
                rows["share"].to_numpy(dtype=float)[a:b],
                color=color,
                marker="o",
                markersize=3,
                label=names.get(topic, topic) if n == 0 else "_nolegend_",
            )
    if axis == "number":
        steps = {b - a for a, b in pairwise(x)}
        if len(x) <= _MAX_TICKS and len(steps) <= 1:
            ax.set_xticks(x, [str(v) for v in x])
        else:
            # Uneven years (1921, 1923, 1969 …) labelled each would collide.
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    elif axis == "category":
        ax.set_xticks(x, [str(g) for g in groups], rotation=90 if len(x) > 12 else 0)
    else:
        ax.figure.autofmt_xdate()
    if len(x) == 1 and axis != "date":
        # A single group gives a single point; widen the axis so it is not on the edge.
        ax.set_xlim(x[0] - 1, x[0] + 1)
    ax.set_xlabel(by)
    ax.set_ylabel("主题份额 topic share")
    ax.set_ylim(bottom=0)
    ax.grid(True, axis="y", color="0.92", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    if shown:
        legend_title = (
            f"变化最大的 {len(shown)}/{len(topics)} 个主题 most varying topics"
            if len(shown) < len(topics)
            else "主题 topic"
        )
        ax.legend(
            title=legend_title,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
        )
    else:
        no_data(ax)
    return ax


# ----------------------------------------------------------------------------- choosing K


@styled
def plot_k_selection(table: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Draw the four diagnostics of :func:`toolkit.topics.select_k` against K.

    Parameters
    ----------
    table : pandas.DataFrame
        The result of ``select_k``: columns ``k``, ``coherence_npmi``,
        ``exclusivity``, ``perplexity`` and ``diversity``, and
        ``attrs["recommended"]`` and ``attrs["rule"]``.
    title : str, optional
        Figure title, above the line that states the rule.

    Returns
    -------
    matplotlib.figure.Figure
        Four panels sharing the K axis: mean c_npmi coherence, exclusivity,
        held-out perplexity and topic diversity, each titled with the
        direction that is better (↑ or ↓). The recommended K is a dashed
        vertical line in every panel, and the figure's subtitle names it and
        the rule that chose it. When the rule names a diversity threshold
        ("diversity >= 0.7") it is drawn in the diversity panel. Without
        ``attrs["recommended"]`` (pandas drops attrs in some operations) no K
        is marked and the subtitle says so.

    Examples
    --------
    >>> table = select_k(data.dtm, [4, 6, 8, 10], texts=data.texts)  # doctest: +SKIP
    >>> fig = plot_k_selection(table, title="主题数的选择")  # doctest: +SKIP
    """
    check_frame("table", table)
    require_columns("table", table, ["k", *(c for c, _ in _K_PANELS)], "select_k()")
    check_title(title)
    data = table.sort_values("k", kind="mergesort")
    ks = pd.to_numeric(data["k"]).to_numpy()
    recommended = table.attrs.get("recommended")
    rule = table.attrs.get("rule")

    fig, axes = plt.subplots(2, 2, sharex=True, figsize=(FULL_WIDTH, 4.4), layout="constrained")
    for ax, (column, label) in zip(axes.flat, _K_PANELS, strict=True):
        ax.plot(
            ks, pd.to_numeric(data[column]).to_numpy(dtype=float), marker="o", color=SINGLE_COLOR
        )
        ax.set_title(label)
        if recommended is not None:
            # Okabe–Ito vermillion: apart from the blue line for every colour vision.
            ax.axvline(recommended, color=OKABE_ITO[4], linestyle="--", linewidth=1.0)
        ax.grid(True, color="0.92", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
    threshold = re.search(r"diversity\D*?(\d+(?:\.\d+)?)", rule or "")
    if threshold:
        axes[1, 1].axhline(float(threshold.group(1)), color="0.5", linestyle=":", linewidth=1.0)
    if len(ks) <= _MAX_TICKS:
        axes[1, 0].set_xticks(ks, [str(int(k)) for k in ks])
    else:
        axes[1, 0].xaxis.set_major_locator(MaxNLocator(integer=True))
    for ax in axes[1]:
        ax.set_xlabel("主题数 K")

    if recommended is None:
        subtitle = "未标注推荐 K (no attrs['recommended'] on the table)"
    else:
        subtitle = f"推荐 recommended K = {recommended} (虚线 dashed)"
        if rule:
            subtitle += f": {rule}"
    heading = subtitle if title is None else f"{title}\n{subtitle}"
    fig.suptitle(heading)
    return fig
