"""Plots for corpus summaries; every function draws Chinese labels with a CJK font.

Each ``plot_*`` function takes keyword-only options and an optional ``ax``,
returns the :class:`matplotlib.axes.Axes` it drew on, and never calls
``plt.show()``, so it works headless and inside larger figures.
"""

from toolkit.plot.fonts import CJK_FONT_FILES, cjk_font_path, use_cjk_font
from toolkit.plot.group_counts import plot_group_counts
from toolkit.plot.save import FIGURE_FORMATS, save_figure

__all__ = [
    "CJK_FONT_FILES",
    "FIGURE_FORMATS",
    "cjk_font_path",
    "plot_group_counts",
    "save_figure",
    "use_cjk_font",
]
