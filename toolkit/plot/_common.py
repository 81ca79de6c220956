"""What every figure module of :mod:`toolkit.plot` checks and draws the same way.

One definition each of: the argument checks (titles, numbers, tables and their
columns), the group colours and their legend, the "no data" note, the
top-to-bottom row order and the annotation of heatmap cells. A figure module
imports these instead of writing its own, so two figures never disagree on
what a valid title is or which colour a group gets.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from numbers import Real
from typing import Any, cast

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Patch

__all__ = [
    "MAX_ANNOTATED_CELLS",
    "annotate_cells",
    "check_frame",
    "check_real",
    "check_title",
    "figure_of",
    "group_colors",
    "group_handles",
    "group_of",
    "group_title",
    "names",
    "new_axes",
    "no_data",
    "require_columns",
    "top_down",
]

#: Heatmaps with more cells than this are not annotated: the numbers would overlap.
MAX_ANNOTATED_CELLS = 150
# Values named in an error message before "… and N more".
_SHOWN = 10


# ----------------------------------------------------------------------------- checks


def names(values: Iterable[Any]) -> str:
    """``values`` as a list for an error message, cut after the first ten."""
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:_SHOWN])
    more = f" … and {len(values) - _SHOWN} more" if len(values) > _SHOWN else ""
    return f"[{shown}{more}]"


def check_title(title: Any) -> None:
    """Raise ``TypeError`` unless ``title`` is a str or None."""
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None (got {type(title).__name__}: {title!r})")


def check_real(name: str, value: Any) -> float:
    """``value`` as a float; ``TypeError`` unless a real number (not a bool), else finite."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number (got {type(value).__name__}: {value!r})")
    if not math.isfinite(float(value)):
        raise ValueError(f"{name} must be finite (got {value!r})")
    return float(value)


def check_frame(name: str, value: Any, source: str | None = None) -> None:
    """Raise ``TypeError`` unless ``value`` is a DataFrame; ``source`` names what makes one."""
    if not isinstance(value, pd.DataFrame):
        made_by = f", as {source} returns" if source else ""
        raise TypeError(f"{name} must be a pandas.DataFrame{made_by} (got {type(value).__name__})")


def require_columns(name: str, table: pd.DataFrame, columns: Iterable[str], source: str) -> None:
    """Raise ``ValueError`` naming the missing and the present columns of ``table``."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(
            f"{name} is missing column(s) {missing}, which {source} returns; "
            f"columns present: {list(table.columns)}"
        )


# ----------------------------------------------------------------------------- groups


def group_of(groups: Any, units: Sequence[str]) -> list[str]:
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
        raise ValueError(f"groups has more than one entry for units {names(repeated)}")
    lookup = {str(unit): value for unit, value in groups.items()}
    absent = [u for u in units if u not in lookup]
    if absent:
        raise ValueError(
            f"groups has no group for {len(absent)} units {names(absent)}; it must map "
            "every unit drawn"
        )
    missing = [u for u in units if pd.isna(lookup[u])]
    if missing:
        raise ValueError(
            f"groups is missing (NaN) for {len(missing)} units {names(missing)}; fill it "
            "first, e.g. groups.fillna('<missing>')"
        )
    return [str(lookup[u]) for u in units]


#: Okabe & Ito's eight colours, distinguishable with every common colour-vision
#: deficiency: the colour of the i-th category of a figure (tab10 is not safe).
OKABE_ITO = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)


#: The colour map for values (shares, similarities): perceptually uniform, so
#: equal steps of value look like equal steps of colour, and readable with
#: every common colour-vision deficiency.
VALUE_CMAP = "cividis"


def category_color(i: int) -> str:
    """The colour of the ``i``-th category (line, topic, term) of a figure; repeats after 8."""
    return OKABE_ITO[i % len(OKABE_ITO)]


def group_colors(groups: Iterable[str]) -> dict[str, tuple[float, float, float, float]]:
    """Colours of the groups, assigned in sorted order: Okabe–Ito up to eight groups,
    tab20 beyond (more groups than any safe palette tells apart); they repeat beyond 20."""
    ordered = sorted(set(groups))
    if len(ordered) <= len(OKABE_ITO):
        return {name: to_rgba(category_color(i)) for i, name in enumerate(ordered)}
    cmap = plt.get_cmap("tab20")
    return {name: cmap(i % cmap.N) for i, name in enumerate(ordered)}


def group_handles(colors: Mapping[str, Any]) -> list[Patch]:
    """One legend patch per group, in sorted order."""
    return [Patch(color=colors[name], label=name) for name in sorted(colors)]


def group_title(groups: Any) -> str:
    """The legend title of ``groups``: the Series' name, else ``"group"``."""
    name = getattr(groups, "name", None)
    return str(name) if name is not None else "group"


# ----------------------------------------------------------------------------- drawing


def new_axes(
    ax: Axes | None, figsize: tuple[float, float], layout: str | None = "constrained"
) -> Axes:
    """``ax`` if given, else the axes of a new figure of ``figsize`` inches.

    Called under :func:`~toolkit.plot.style.figure_style`: a new figure takes the
    style; a caller's axes keep their own sizes but get the style's font for
    their tick labels, title and axis labels, which were made before and would
    miss the Chinese glyphs.
    The constrained layout keeps labels and legends outside the axes inside the
    figure, so the figure keeps the width it was given.
    """
    if ax is not None:
        family = mpl.rcParams["font.family"]
        ax.tick_params(which="both", labelfontfamily=family)
        # The title and axis labels exist from the axes' creation too, in its font.
        for text in (ax.title, ax.xaxis.label, ax.yaxis.label):
            text.set_fontfamily(family)
        return ax
    _, ax = plt.subplots(figsize=figsize, layout=layout)
    return ax


def figure_of(ax: Axes) -> Figure:
    """The figure ``ax`` is drawn in, which a figure function returns."""
    # cast: matplotlib types Axes.figure as Figure | SubFigure. The axes come from
    # new_axes (a new Figure) or from the caller; an axes inside a SubFigure gives
    # that SubFigure, as it always did, which the annotation does not cover.
    return cast(Figure, ax.figure)


def top_down(ax: Axes) -> None:
    """Put row 0 at the top of ``ax``, once."""
    # Check first: on a y axis shared with another bar chart a second flip would undo it.
    if not ax.yaxis_inverted():
        ax.invert_yaxis()


def no_data(ax: Axes) -> None:
    """Write "no data" in the middle of an empty ``ax``."""
    ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)


def annotate_cells(
    ax: Axes, image: AxesImage, values: np.ndarray, skip: np.ndarray, fontsize: float = 8.0
) -> None:
    """Write each cell's value on a heatmap of at most :data:`MAX_ANNOTATED_CELLS` cells.

    Cells where ``skip`` is true (the diagonal, missing values) stay blank.
    """
    if values.size > MAX_ANNOTATED_CELLS:
        return
    for (i, j), value in np.ndenumerate(values):
        if skip[i, j]:
            continue
        # Dark cells get white text, light cells black, so every number stays readable:
        # the cell's own colour decides, whichever way the map runs.
        # cast: the stubs type Norm.__call__ as returning ArrayLike for any input;
        # on one cell's scalar it returns a scalar.
        red, green, blue, _ = image.cmap(cast(float, image.norm(value)))
        light = 0.299 * red + 0.587 * green + 0.114 * blue > 0.5
        ax.text(
            j,
            i,
            f"{value:.2f}",
            ha="center",
            va="center",
            fontsize=fontsize,
            color="black" if light else "white",
        )
