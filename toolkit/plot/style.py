"""The one figure style of the toolkit: paper widths, font sizes, CJK font, palette.

Every figure is :data:`COLUMN_WIDTH` (one column of a two-column paper) or
:data:`FULL_WIDTH` (the width of the page) wide and is drawn under
:func:`figure_style`, which sets font sizes readable at those widths, thin lines,
the CJK font shipped by ``mplfonts`` and the Okabe–Ito colour cycle.

The style is an :func:`matplotlib.rc_context`, entered by each plotting function
for as long as it draws: importing :mod:`toolkit.plot` or drawing a figure
leaves the caller's ``matplotlib.rcParams`` as they were.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import matplotlib as mpl
from cycler import cycler

from toolkit.plot._common import OKABE_ITO, VALUE_CMAP
from toolkit.plot.fonts import cjk_font_family

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = [
    "COLUMN_WIDTH",
    "FONT_SIZE",
    "FULL_WIDTH",
    "SINGLE_COLOR",
    "figure_style",
    "style_params",
    "styled",
]

#: Width in inches of one column of a two-column paper.
COLUMN_WIDTH = 3.5
#: Width in inches of the full text block of a paper page.
FULL_WIDTH = 7.0
#: Body text size in points: the size of a paper's figure text once printed at
#: the figure's own width (8-9 pt is what journals ask for).
FONT_SIZE = 8.0
#: The colour of a figure that has one series only: Okabe–Ito blue.
SINGLE_COLOR = OKABE_ITO[3]

P = ParamSpec("P")
R = TypeVar("R")


def style_params() -> dict[RcKeyType, Any]:
    """The rcParams of the toolkit's figure style.

    Returns
    -------
    dict
        The rcParams that :func:`figure_style` sets: font sizes, the CJK font,
        line widths, the Okabe–Ito colour cycle and the value colour map.

    Examples
    --------
    >>> style_params()["font.size"]
    8.0
    """
    family = cjk_font_family()
    return {
        # The font by name rather than the generic "sans-serif": a text keeps the
        # family it was created with, so a figure drawn under the style still has
        # its Chinese glyphs when saved or shown after the context has closed.
        # DejaVu Sans stands behind it for any glyph the CJK font lacks.
        "font.family": [family, "DejaVu Sans"],
        "font.size": FONT_SIZE,
        "axes.titlesize": FONT_SIZE + 1,
        "axes.labelsize": FONT_SIZE,
        "xtick.labelsize": FONT_SIZE - 1,
        "ytick.labelsize": FONT_SIZE - 1,
        "legend.fontsize": FONT_SIZE - 1,
        "legend.title_fontsize": FONT_SIZE - 1,
        "legend.frameon": False,
        "figure.titlesize": FONT_SIZE + 1.5,
        "figure.labelsize": FONT_SIZE,
        # Some CJK fonts lack U+2212 MINUS SIGN; the hyphen is drawn by any font.
        "axes.unicode_minus": False,
        # Thin lines: at 3.5 in the default 0.8 pt spines look heavy beside 8 pt text.
        "axes.linewidth": 0.6,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "xtick.minor.width": 0.4,
        "ytick.minor.width": 0.4,
        "xtick.major.size": 2.5,
        "ytick.major.size": 2.5,
        "xtick.major.pad": 2.0,
        "ytick.major.pad": 2.0,
        "axes.titlepad": 4.0,
        "axes.labelpad": 2.0,
        "lines.linewidth": 1.2,
        "lines.markersize": 4.0,
        "patch.linewidth": 0.5,
        "grid.linewidth": 0.5,
        "axes.prop_cycle": cycler(color=list(OKABE_ITO)),
        "image.cmap": VALUE_CMAP,
        "figure.dpi": 100,
        "savefig.dpi": 300,
    }


@contextlib.contextmanager
def figure_style() -> Iterator[None]:
    """Draw under the toolkit's figure style; the rcParams are restored on exit.

    Yields
    ------
    None

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with figure_style():
    ...     fig, ax = plt.subplots(figsize=(COLUMN_WIDTH, 2.4))
    ...     _ = ax.set_title("河塘镇")
    """
    with mpl.rc_context(style_params()):
        yield


def styled(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run inside :func:`figure_style`: how each ``plot_*`` applies the style."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with figure_style():
            return function(*args, **kwargs)

    return wrapper
