"""Horizontal bar chart of a per-group counts table (documents or characters per town)."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from toolkit._validation import check_choice
from toolkit.plot._common import check_frame, check_title, new_axes, no_data, top_down
from toolkit.plot.style import COLUMN_WIDTH, SINGLE_COLOR, styled

__all__ = ["plot_group_counts"]

_LABELS = {"documents": "文档数 documents", "characters": "字数 characters"}


@styled
def plot_group_counts(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    value: str = "documents",
    title: str | None = None,
    color: str = SINGLE_COLOR,
    annotate: bool = True,
) -> Axes:
    """Draw one horizontal bar per group, first row of ``table`` at the top.

    Parameters
    ----------
    table : pandas.DataFrame
        Indexed by group label (town or county names, say) with one numeric
        column per count, e.g. ``documents`` and ``characters``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.
    value : str
        The column to plot; must be one of ``table``'s columns.
    title : str, optional
        Axes title.
    color : str
        Bar colour (any matplotlib colour); Okabe–Ito blue by default.
    annotate : bool
        Write each count at the end of its bar.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> table = pd.DataFrame(
    ...     {"documents": [3, 1], "characters": [2400, 800]},
    ...     index=pd.Index(["河塘镇", "柳湾乡"], name="town"),
    ... )
    >>> ax = plot_group_counts(table, value="characters", title="字数")
    """
    check_frame("table", table)
    check_choice("value", value, list(table.columns))
    check_title(title)
    # One column wide; about 0.16 in per bar holds a 7 pt label, with room for the axis.
    ax = new_axes(ax, (COLUMN_WIDTH, min(0.9 + 0.16 * len(table), 40.0)))

    labels = [str(label) for label in table.index]
    counts = pd.to_numeric(table[value], errors="raise").to_numpy()
    positions = range(len(labels))
    bars = ax.barh(positions, counts, color=color)
    ax.set_yticks(list(positions), labels)
    # barh puts row 0 at the bottom; flip so the chart reads in table order.
    top_down(ax)
    if pd.api.types.is_integer_dtype(counts.dtype):
        # Counts are whole: ticks at 0.5 documents would be nonsense.
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_LABELS.get(value, value))
    if table.index.name:
        ax.set_ylabel(str(table.index.name))
    if annotate and len(labels):
        ax.bar_label(bars, labels=[f"{c:,}" for c in counts.tolist()], padding=2)
        ax.margins(x=0.12)
    if not len(labels):
        no_data(ax)
    if title is not None:
        ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return ax
