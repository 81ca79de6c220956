"""plot_topics, plot_prevalence and plot_k_selection on a real model of the sample corpus."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.text import Text

import toolkit
from toolkit.plot import (
    cjk_font_path,
    plot_k_selection,
    plot_prevalence,
    plot_topics,
    save_figure,
)
from toolkit.plot._common import category_color
from toolkit.plot.topics import MAX_LINES
from toolkit.topics import TopicModel, prepare_topics, prevalence, select_k

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"
K = 4


@pytest.fixture(scope="module")
def data():
    corpus = toolkit.read_jsonl(SAMPLE)
    return prepare_topics(corpus, unit="paragraph", min_df=2, progress=False)


@pytest.fixture(scope="module")
def model(data) -> TopicModel:
    return TopicModel(k=K, seed=0, passes=2, iterations=50).fit(data.dtm)


@pytest.fixture(scope="module")
def by_year(model) -> pd.DataFrame:
    return prevalence(model, by="year", n_boot=200)


@pytest.fixture(scope="module")
def by_county(model) -> pd.DataFrame:
    return prevalence(model, by="county", n_boot=200)


@pytest.fixture(scope="module")
def k_table(data) -> pd.DataFrame:
    return select_k(data.dtm, [2, 3, 4], texts=data.texts, passes=1, iterations=20)


def _draw_strictly(fig: Figure) -> None:
    # Any warning fails, "Glyph ... missing from font" among them.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()


def _texts(labels: list[Text]) -> list[str]:
    return [t.get_text() for t in labels]


def _assert_cjk(labels: list[Text]) -> None:
    # The font matplotlib actually picks for each label must be the CJK file.
    expected = Path(cjk_font_path()).resolve()
    for label in labels:
        found = Path(font_manager.findfont(label.get_fontproperties())).resolve()
        assert found == expected, label.get_text()


# ----------------------------------------------------------------------------- plot_topics


def test_topics_one_panel_per_topic_with_its_top_terms(model):
    fig = plot_topics(model, n=8, title="四个主题")
    _draw_strictly(fig)
    assert len(fig.axes) == K
    top = model.top_terms(8)
    column = {name: j for j, name in enumerate(model.feature_names_)}
    for t, ax in enumerate(fig.axes):
        assert {to_rgba(p.get_facecolor()) for p in ax.patches} == {to_rgba(category_color(t))}
        assert _texts(ax.get_yticklabels()) == top[t]
        assert ax.get_title() == model.labels()[t]
        widths = [p.get_width() for p in ax.patches]
        assert widths == pytest.approx([model.topic_term_[t, column[w]] for w in top[t]])
        assert ax.yaxis_inverted()  # best term at the top
        _assert_cjk(ax.get_yticklabels())
        _assert_cjk([ax.title])
    assert fig.get_suptitle() == "四个主题"


def test_topics_relevance_ranks_and_panels_follow_topics(model):
    fig = plot_topics(model, n=5, relevance=0.6, topics=[2, 0, 2], ncols=2)
    _draw_strictly(fig)
    assert len(fig.axes) == 2  # the repeated 2 is drawn once
    top = model.top_terms(5, relevance=0.6)
    column = {name: j for j, name in enumerate(model.feature_names_)}
    for t, ax in zip([2, 0], fig.axes, strict=True):
        # Relevance chooses the terms; they are listed by the probability drawn.
        listed = _texts(ax.get_yticklabels())
        assert sorted(listed) == sorted(top[t])
        widths = [p.get_width() for p in ax.patches]
        assert widths == pytest.approx([model.topic_term_[t, column[w]] for w in listed])
        assert widths == sorted(widths, reverse=True)
    # At λ = 0.6 relevance reorders the top terms of some topic: the order drawn is not it.
    assert any(
        _texts(ax.get_yticklabels()) != top[t] for t, ax in zip([2, 0], fig.axes, strict=True)
    )
    assert [ax.get_title() for ax in fig.axes] == [model.labels()[2], model.labels()[0]]
    # One shared x scale, so bars compare across panels.
    assert fig.axes[0].get_xlim() == fig.axes[1].get_xlim()


def test_topics_grid_shape(model):
    fig = plot_topics(model, n=3, ncols=3)
    assert len(fig.axes) == K
    rows = {round(ax.get_position().y0, 3) for ax in fig.axes}
    assert len(rows) == 2  # 4 panels in rows of 3


def test_topics_errors(model):
    with pytest.raises(ValueError, match=r"topic 4 does not exist: the model has topics 0 to 3"):
        plot_topics(model, topics=[1, 4])
    with pytest.raises(ValueError, match="topics must name at least one topic"):
        plot_topics(model, topics=[])
    with pytest.raises(TypeError, match="topics must be topic numbers"):
        plot_topics(model, topics=["topic_1"])
    with pytest.raises(ValueError, match=r"n must be an integer >= 1 \(got 0\)"):
        plot_topics(model, n=0)
    with pytest.raises(ValueError, match=r"relevance must be between 0\.0 and 1\.0"):
        plot_topics(model, relevance=1.5)
    with pytest.raises(RuntimeError, match="not fitted yet"):
        plot_topics(TopicModel(k=2))
    with pytest.raises(TypeError, match="model must be a TopicModel"):
        plot_topics(model.topic_term_)
    with pytest.raises(TypeError):
        plot_topics(model, 5)


# ----------------------------------------------------------------------------- prevalence


def test_prevalence_heatmap_cells_are_the_shares(model, by_county):
    fig = plot_prevalence(by_county, by="county", labels=model.labels(), title="各县主题")
    _draw_strictly(fig)
    ax = fig.axes[0]
    counties = sorted(by_county["county"].unique())
    assert _texts(ax.get_yticklabels()) == counties
    assert _texts(ax.get_xticklabels()) == model.labels()
    cells = np.asarray(ax.images[0].get_array())
    expected = by_county.pivot(index="county", columns="topic", values="share")
    assert cells.shape == (len(counties), K)
    np.testing.assert_allclose(cells, expected.loc[counties, [f"topic_{t}" for t in range(K)]])
    # Every cell annotated with its share, row by row.
    notes = [t.get_text() for t in ax.texts]
    assert notes == [f"{v:.2f}" for v in cells.ravel()]
    _assert_cjk(ax.get_yticklabels() + ax.get_xticklabels())
    assert ax.get_title() == "各县主题"


def test_prevalence_auto_picks_heatmap_for_places_and_lines_for_years(by_county, by_year):
    assert len(plot_prevalence(by_county, by="county").axes[0].images) == 1
    lines_ax = plot_prevalence(by_year, by="year").axes[0]
    assert len(lines_ax.images) == 0
    assert len(lines_ax.get_lines()) == K
    # Whole-number groups under another name are time too.
    renamed = by_year.rename(columns={"year": "届次"})
    assert len(plot_prevalence(renamed, by="届次").axes[0].get_lines()) == K


def test_prevalence_lines_follow_the_sorted_years_with_bands(model, by_year):
    fig = plot_prevalence(by_year, by="year", kind="lines", labels=model.labels())
    _draw_strictly(fig)
    ax = fig.axes[0]
    years = sorted(int(y) for y in by_year["year"].unique())
    assert years == [2022, 2023]
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == model.labels()
    for t, line in enumerate(lines):
        assert list(line.get_xdata()) == years
        rows = by_year[by_year["topic"] == f"topic_{t}"].sort_values("year")
        assert list(line.get_ydata()) == pytest.approx(rows["share"].tolist())
    assert len(ax.collections) == K  # one bootstrap band per topic
    band = ax.collections[0].get_paths()[0].vertices
    lows = by_year[by_year["topic"] == "topic_0"].sort_values("year")["lower"]
    assert band[:, 1].min() == pytest.approx(lows.min())
    assert _texts(ax.get_xticklabels()) == ["2022", "2023"]
    _assert_cjk(ax.get_legend().get_texts())


def test_prevalence_lines_sort_years_numerically(by_year):
    # Years as strings out of order: the x axis still runs forward in time.
    shuffled = by_year.iloc[::-1].assign(year=by_year["year"].iloc[::-1].astype(str))
    line = plot_prevalence(shuffled, by="year").axes[0].get_lines()[0]
    assert list(line.get_xdata()) == [2022, 2023]


def test_prevalence_lines_keep_the_most_varying_topics(by_year):
    # Twelve topics: topic_t's share moves by t/100 between the years.
    rows = [
        {
            "year": year,
            "topic": f"topic_{t}",
            "share": 0.05 + step * t / 100,
            "lower": 0.0,
            "upper": 0.3,
            "n_documents": 10,
        }
        for t in range(12)
        for step, year in enumerate((2022, 2023))
    ]
    ax = plot_prevalence(pd.DataFrame(rows), by="year").axes[0]
    shown = [line.get_label() for line in ax.get_lines()]
    assert len(shown) == MAX_LINES
    assert shown == [f"topic_{t}" for t in range(4, 12)]
    assert len({line.get_color() for line in ax.get_lines()}) == MAX_LINES
    assert "8/12" in ax.get_legend().get_title().get_text()


def test_prevalence_lines_break_across_years_without_data():
    # Party congresses: 1921, 1923, then every five years from 1969. No line may
    # run across the 46 years without a report, and uneven years are not each
    # labelled (1921 and 1923 would collide).
    years = [1921, 1923, 1969, 1973, 1977, 1982, 1987, 1992, 1997, 2002, 2007, 2012, 2017, 2022]
    rows = [
        {"year": year, "topic": f"topic_{t}", "share": 0.2 + 0.01 * t, "lower": 0.1, "upper": 0.4}
        for t in range(2)
        for year in years
    ]
    fig = plot_prevalence(pd.DataFrame(rows), by="year", labels=["党建", "经济"])
    _draw_strictly(fig)
    ax = fig.axes[0]
    runs = [list(line.get_xdata()) for line in ax.get_lines()]
    assert runs == [years[:2], years[2:]] * 2  # two runs per topic
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["党建", "经济"]
    assert len(ax.collections) == 4  # a band per run
    assert _texts(ax.get_xticklabels()) != [str(y) for y in years]


def test_prevalence_lines_on_months(model):
    monthly = prevalence(model, by="date", n_boot=50)
    fig = plot_prevalence(monthly, by="date")
    _draw_strictly(fig)
    xs = fig.axes[0].get_lines()[0].get_xdata()
    assert len(xs) == monthly["date"].nunique()
    assert list(xs) == sorted(xs)


def test_prevalence_draws_on_the_given_axes(by_county):
    fig, (left, right) = plt.subplots(1, 2)
    assert plot_prevalence(by_county, by="county", ax=right) is fig
    assert len(right.images) == 1
    assert len(left.images) == 0


def test_prevalence_errors(by_year):
    with pytest.raises(
        ValueError, match=r"kind must be one of \{'auto', 'heatmap', 'lines'\} \(got 'x'\)"
    ):
        plot_prevalence(by_year, by="year", kind="x")
    with pytest.raises(ValueError, match=r"missing column\(s\) \['county'\].*present: \['year'"):
        plot_prevalence(by_year, by="county")
    with pytest.raises(ValueError, match=r"missing column\(s\) \['year'\]"):
        plot_prevalence(by_year.drop(columns="year"), by="year")
    with pytest.raises(ValueError, match=r"missing column\(s\) \['lower', 'upper'\]"):
        plot_prevalence(by_year.drop(columns=["lower", "upper"]), by="year", kind="lines")
    # A heatmap needs no interval.
    plot_prevalence(by_year.drop(columns=["lower", "upper"]), by="year", kind="heatmap")
    with pytest.raises(ValueError, match="more than one row for a"):
        plot_prevalence(pd.concat([by_year, by_year]), by="year")
    with pytest.raises(TypeError, match="labels must map topic columns"):
        plot_prevalence(by_year, by="year", labels="T0")
    with pytest.raises(TypeError, match=r"table must be a pandas\.DataFrame"):
        plot_prevalence(by_year.to_dict(), by="year")
    with pytest.raises(TypeError):
        plot_prevalence(by_year, "year")


# ----------------------------------------------------------------------------- choosing K


def test_k_selection_marks_the_recommended_k(k_table):
    fig = plot_k_selection(k_table, title="主题数的选择")
    _draw_strictly(fig)
    recommended = k_table.attrs["recommended"]
    assert recommended in set(k_table["k"])
    assert len(fig.axes) == 4
    for ax, column in zip(
        fig.axes, ["coherence_npmi", "exclusivity", "perplexity", "diversity"], strict=True
    ):
        data, *marks = ax.get_lines()
        assert list(data.get_xdata()) == [2, 3, 4]
        assert list(data.get_ydata()) == pytest.approx(k_table[column].tolist())
        assert any(list(m.get_xdata()) == [recommended, recommended] for m in marks)
        _assert_cjk([ax.title])
    heading = fig.get_suptitle()
    assert heading.startswith("主题数的选择\n")
    assert f"K = {recommended}" in heading
    assert k_table.attrs["rule"] in heading


def test_k_selection_without_attrs_marks_nothing(k_table):
    bare = pd.DataFrame(k_table.to_dict("list"))
    assert "recommended" not in bare.attrs
    fig = plot_k_selection(bare)
    assert all(len(ax.get_lines()) == 1 for ax in fig.axes[:3])
    assert "no attrs['recommended']" in fig.get_suptitle()


def test_k_selection_errors(k_table):
    with pytest.raises(ValueError, match=r"missing column\(s\) \['perplexity'\].*present: \['k'"):
        plot_k_selection(k_table.drop(columns="perplexity"))
    with pytest.raises(TypeError):
        plot_k_selection(k_table, "K")


# ----------------------------------------------------------------------------- files


def test_each_figure_saves_as_png(model, by_year, by_county, k_table, tmp_path):
    figures = {
        "topics": plot_topics(model, n=8, ncols=2, title="四个主题"),
        "heatmap": plot_prevalence(by_county, by="county", labels=model.labels()),
        "lines": plot_prevalence(by_year, by="year", labels=model.labels()),
        "k_selection": plot_k_selection(k_table, title="主题数的选择"),
    }
    for name, fig in figures.items():
        (png,) = save_figure(fig, tmp_path / name, formats=["png"])
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    again = save_figure(
        plot_topics(model, n=8, ncols=2, title="四个主题"), tmp_path / "again", formats=["png"]
    )
    assert again[0].read_bytes() == (tmp_path / "topics.png").read_bytes()
