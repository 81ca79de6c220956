"""plot_group_counts: Chinese labels render, an Axes comes back, options are checked."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.axes import Axes

from toolkit.plot import plot_group_counts


@pytest.fixture()
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {"documents": [3, 1, 2], "characters": [2400, 800, 1500]},
        index=pd.Index(["河塘镇", "柳湾街道", "共建共治共享"], name="town"),
    )


def test_chinese_labels_draw_without_any_warning(table):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plot_group_counts(table, value="characters", title="各镇字数 −1")
        ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["河塘镇", "柳湾街道", "共建共治共享"]


def test_returns_axes_on_a_new_figure(table):
    ax = plot_group_counts(table)
    assert isinstance(ax, Axes)
    assert len(ax.patches) == 3
    assert [p.get_width() for p in ax.patches] == [3, 1, 2]


def test_integer_counts_get_integer_ticks(table):
    ax = plot_group_counts(table, value="documents")
    ax.figure.canvas.draw()
    assert all(float(t).is_integer() for t in ax.get_xticks())


def test_draws_on_the_given_axes(table):
    fig, (left, right) = plt.subplots(1, 2)
    out = plot_group_counts(table, ax=right, value="documents")
    assert out is right
    assert out.figure is fig
    assert len(left.patches) == 0
    assert len(plt.get_fignums()) == 1


def test_first_row_is_at_the_top(table):
    ax = plot_group_counts(table)
    top_bar = min(ax.patches, key=lambda p: p.get_y())
    assert ax.yaxis_inverted()
    assert top_bar.get_width() == 3  # 河塘镇, the first row


def test_shared_y_axis_stays_in_table_order(table):
    _, (left, right) = plt.subplots(1, 2, sharey=True)
    plot_group_counts(table, ax=left, value="documents")
    plot_group_counts(table, ax=right, value="characters")
    assert left.yaxis_inverted()
    assert right.yaxis_inverted()


def test_unknown_value_names_the_columns(table):
    with pytest.raises(ValueError, match=r"value must be one of \{'characters', 'documents'\}"):
        plot_group_counts(table, value="words")


def test_table_must_be_a_dataframe():
    with pytest.raises(TypeError, match=r"table must be a pandas\.DataFrame"):
        plot_group_counts({"河塘镇": 3})


def test_empty_table_draws_a_note():
    empty = pd.DataFrame({"documents": [], "characters": []}, index=pd.Index([], name="town"))
    ax = plot_group_counts(empty)
    ax.figure.canvas.draw()
    assert len(ax.patches) == 0
    assert any(t.get_text() == "no data" for t in ax.texts)


def test_options_are_keyword_only(table):
    with pytest.raises(TypeError):
        plot_group_counts(table, None, "documents")
