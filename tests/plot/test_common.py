"""toolkit.plot._common: one rule for each thing every figure checks or draws the same way."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from toolkit.plot import (
    plot_group_counts,
    plot_k_selection,
    plot_keyness,
    plot_neighbors_network,
    plot_prevalence,
    plot_reuse,
    plot_similarity,
    plot_term_timeline,
)
from toolkit.plot._common import (
    MAX_ANNOTATED_CELLS,
    OKABE_ITO,
    VALUE_CMAP,
    annotate_cells,
    category_color,
    group_colors,
)

TOWNS = ["河塘镇", "柳湾乡"]

# Each figure with the smallest input it draws, so the title check is all that can fail.
FIGURES = {
    "plot_group_counts": lambda title: plot_group_counts(
        pd.DataFrame({"documents": [3, 1]}, index=TOWNS), title=title
    ),
    "plot_keyness": lambda title: plot_keyness(
        pd.DataFrame({"feature": ["河长制"], "g2": [3.0]}), title=title
    ),
    "plot_term_timeline": lambda title: plot_term_timeline(
        pd.DataFrame({"doc_id": ["a"], "term": ["河长制"], "year": [2021]}), title=title
    ),
    "plot_prevalence": lambda title: plot_prevalence(
        pd.DataFrame({"town": TOWNS, "topic": ["topic_0"] * 2, "share": [0.4, 0.6]}),
        by="town",
        title=title,
    ),
    "plot_k_selection": lambda title: plot_k_selection(
        pd.DataFrame(
            {"k": [2], "coherence_npmi": [0.1], "exclusivity": [0.5], "perplexity": [90.0]}
        ).assign(diversity=[0.8]),
        title=title,
    ),
    "plot_similarity": lambda title: plot_similarity(
        pd.DataFrame([[1.0, 0.3], [0.3, 1.0]], index=TOWNS, columns=TOWNS), title=title
    ),
    "plot_neighbors_network": lambda title: plot_neighbors_network(
        pd.DataFrame({"unit": [TOWNS[0]], "neighbor": [TOWNS[1]], "similarity": [0.3]}),
        title=title,
    ),
    "plot_reuse": lambda title: plot_reuse("联村全覆盖", "联户全覆盖", title=title),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_refuses_a_title_that_is_not_a_str(name):
    draw = FIGURES[name]
    draw("标题")  # the same input with a str title draws
    with pytest.raises(TypeError, match=r"title must be a str or None \(got int: 5\)"):
        draw(5)


def test_group_colors_are_assigned_in_sorted_order_whatever_the_input_order():
    first = group_colors(["苇川县", "砚溪县", "苇川县"])
    assert list(first) == ["砚溪县", "苇川县"]
    assert group_colors(["砚溪县", "苇川县"]) == first
    # Beyond 8 groups (more than Okabe–Ito has) tab20 gives each of 20 its own colour.
    many = group_colors([f"g{i:02d}" for i in range(20)])
    assert len(set(many.values())) == 20


def test_categories_and_up_to_eight_groups_take_the_okabe_ito_colours():
    # tab10, matplotlib's default cycle, is not colour-blind safe (issue 17).
    assert [category_color(i) for i in range(9)] == [*OKABE_ITO, OKABE_ITO[0]]
    eight = group_colors([f"g{i}" for i in range(8)])
    assert list(eight.values()) == [to_rgba(c) for c in OKABE_ITO]


def test_annotate_cells_skips_masked_cells_and_large_heatmaps():
    import matplotlib.pyplot as plt

    values = np.array([[1.0, 0.25], [0.75, np.nan]])
    _, ax = plt.subplots()
    image = ax.imshow(values, vmin=0.0, vmax=1.0)
    annotate_cells(ax, image, values, np.isnan(values))
    assert [t.get_text() for t in ax.texts] == ["1.00", "0.25", "0.75"]
    side = int(np.sqrt(MAX_ANNOTATED_CELLS)) + 1
    big = np.zeros((side, side))
    _, ax = plt.subplots()
    annotate_cells(ax, ax.imshow(big), big, np.zeros_like(big, dtype=bool))
    assert len(ax.texts) == 0


@pytest.mark.parametrize("cmap", [VALUE_CMAP, "YlGnBu"])
def test_cell_numbers_contrast_with_their_cell_whichever_way_the_map_runs(cmap):
    # cividis runs dark to light, YlGnBu light to dark: the text colour follows the
    # cell's luminance, so every number stays readable in both.
    import matplotlib.pyplot as plt

    values = np.array([[0.0, 1.0]])
    _, ax = plt.subplots()
    image = ax.imshow(values, vmin=0.0, vmax=1.0, cmap=cmap)
    annotate_cells(ax, image, values, np.zeros_like(values, dtype=bool))
    for text, value in zip(ax.texts, values.ravel(), strict=True):
        red, green, blue, _ = image.cmap(image.norm(value))
        cell_is_light = 0.299 * red + 0.587 * green + 0.114 * blue > 0.5
        assert text.get_color() == ("black" if cell_is_light else "white")
    assert {t.get_color() for t in ax.texts} == {"black", "white"}
