"""Plots for corpus summaries and terms; every function draws Chinese labels with a CJK font.

Each ``plot_*`` function takes keyword-only options and an optional ``ax``,
never calls ``plt.show()``, and so works headless and inside larger figures.
:func:`plot_group_counts` returns the :class:`matplotlib.axes.Axes` it drew
on; :func:`plot_keyness` and :func:`plot_term_timeline` return its Figure.
"""

from toolkit.plot.fonts import CJK_FONT_FILES, cjk_font_path, use_cjk_font
from toolkit.plot.group_counts import plot_group_counts
from toolkit.plot.save import FIGURE_FORMATS, save_figure
from toolkit.plot.terms import plot_keyness, plot_term_timeline

__all__ = [
    "CJK_FONT_FILES",
    "FIGURE_FORMATS",
    "cjk_font_path",
    "plot_group_counts",
    "plot_keyness",
    "plot_term_timeline",
    "save_figure",
    "use_cjk_font",
]
