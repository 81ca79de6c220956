"""Plots for corpus summaries, terms and topic models; Chinese labels use a CJK font.

Every figure is drawn under one style (:func:`figure_style`): :data:`COLUMN_WIDTH`
(3.5 in) or :data:`FULL_WIDTH` (7 in) wide, 8 pt text in Noto Sans CJK, thin
lines, Okabe–Ito colours for categories and :data:`VALUE_CMAP` for values. The
style is entered by each function and left when it returns: the caller's
``matplotlib.rcParams`` are never changed. :func:`save_figure` writes PNG at
300 dpi and SVG.

Each ``plot_*`` function takes keyword-only options, never calls
``plt.show()`` and so works headless; those that draw a single axes take an
optional ``ax`` to draw inside larger figures (the small-multiple figures,
:func:`plot_topics` and :func:`plot_k_selection`, make their own).
:func:`plot_group_counts` returns the :class:`matplotlib.axes.Axes` it drew
on; :func:`plot_keyness`, :func:`plot_term_timeline`, :func:`plot_topics`,
:func:`plot_prevalence` and :func:`plot_k_selection` return its Figure.
"""

from toolkit.plot._common import OKABE_ITO, VALUE_CMAP
from toolkit.plot.diffusion import (
    plot_adoption_curves,
    plot_first_use,
    plot_lags,
    plot_leaders,
)
from toolkit.plot.fonts import CJK_FONT_FILES, cjk_font_family, cjk_font_path, use_cjk_font
from toolkit.plot.group_counts import plot_group_counts
from toolkit.plot.network import plot_neighbors_network
from toolkit.plot.reuse import plot_reuse
from toolkit.plot.save import FIGURE_FORMATS, save_figure, stable_svg_ids
from toolkit.plot.similarity import plot_similarity
from toolkit.plot.style import (
    COLUMN_WIDTH,
    FONT_SIZE,
    FULL_WIDTH,
    SINGLE_COLOR,
    figure_style,
    style_params,
)
from toolkit.plot.terms import plot_keyness, plot_term_timeline
from toolkit.plot.topics import plot_k_selection, plot_prevalence, plot_topics

__all__ = [
    "CJK_FONT_FILES",
    "COLUMN_WIDTH",
    "FIGURE_FORMATS",
    "FONT_SIZE",
    "FULL_WIDTH",
    "OKABE_ITO",
    "SINGLE_COLOR",
    "VALUE_CMAP",
    "cjk_font_family",
    "cjk_font_path",
    "figure_style",
    "plot_adoption_curves",
    "plot_first_use",
    "plot_group_counts",
    "plot_k_selection",
    "plot_keyness",
    "plot_lags",
    "plot_leaders",
    "plot_neighbors_network",
    "plot_prevalence",
    "plot_reuse",
    "plot_similarity",
    "plot_term_timeline",
    "plot_topics",
    "save_figure",
    "stable_svg_ids",
    "style_params",
    "use_cjk_font",
]
