"""Diffusion figures draw headless, with Chinese labels, from the diffusion tables (issue 14)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from tests.diffusion.conftest import planted_corpus
from toolkit.diffusion import adoption_curves, adoptions, leaders, observations
from toolkit.plot import plot_adoption_curves, plot_first_use, plot_lags, plot_leaders
from toolkit.plot.diffusion import lags_of


@pytest.fixture(scope="module")
def planted():
    corpus = planted_corpus()
    return adoptions(corpus, terms=["河长制", "六稳", "强基工程"]), observations(corpus)


def test_adoption_curves_one_step_line_per_term(planted):
    ax = plot_adoption_curves(adoption_curves(planted[0]), title="采用曲线")
    assert isinstance(ax, Axes)
    assert [line.get_label() for line in ax.get_lines()][:2] == ["河长制", "六稳"]


def test_lags_pool_every_adoption_relative_to_the_reference(planted):
    # 河长制 (national 2005): 甲 -2, 乙 +1, 丁 +3; 六稳 (2004): 甲 +1, 乙 +3, 丙 +5.
    assert sorted(lags_of(planted[0]).tolist()) == [-2, 1, 1, 3, 3, 5]
    ax = plot_lags(planted[0])
    assert sum(p.get_height() for p in ax.patches) == 6


def test_first_use_heatmap_marks_missing_reports_apart_from_not_yet(planted):
    fig = plot_first_use(*planted, terms=["河长制", "六稳"])
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    grid = np.asarray(fig.axes[1].images[0].get_array())
    # Rows by first use of 河长制: 甲, 乙, 丁, 丙. 丙省 (last row) has no report in 2004-2006.
    assert grid[3, 4:7].tolist() == [0, 0, 0]
    assert grid[3, 9] == 2  # first use of 六稳 in 2009


def test_first_use_names_unknown_terms(planted):
    with pytest.raises(ValueError, match=r"terms \['八稳'\] are not in adoptions"):
        plot_first_use(*planted, terms=["八稳"])


def test_leaders_draw_on_given_axes(planted):
    _, ax = plt.subplots()
    assert plot_leaders(leaders(planted[0]), ax=ax) is ax
    assert ax.get_yticklabels()[0].get_text().startswith("甲省")
