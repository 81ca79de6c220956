"""One figure style (issue 17): paper widths, 300-dpi PNG and SVG, nothing global changed."""

from __future__ import annotations

import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import Collection
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from PIL import Image

import toolkit
import toolkit.plot
from tests.diffusion.conftest import planted_corpus
from toolkit.diffusion import adoption_curves, adoptions, leaders, observations
from toolkit.plot import (
    COLUMN_WIDTH,
    FONT_SIZE,
    FULL_WIDTH,
    OKABE_ITO,
    SINGLE_COLOR,
    cjk_font_family,
    figure_style,
    plot_adoption_curves,
    plot_first_use,
    plot_group_counts,
    plot_k_selection,
    plot_keyness,
    plot_lags,
    plot_leaders,
    plot_neighbors_network,
    plot_prevalence,
    plot_reuse,
    plot_similarity,
    plot_term_timeline,
    plot_topics,
    save_figure,
)
from toolkit.similarity import SimilarityIndex
from toolkit.topics import TopicModel, prepare_topics, prevalence, select_k

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpora" / "sample" / "towns.jsonl"
WIDTHS = {COLUMN_WIDTH, FULL_WIDTH}


@pytest.fixture(scope="module")
def corpus() -> toolkit.Corpus:
    return toolkit.read_jsonl(SAMPLE)


@pytest.fixture(scope="module")
def inputs(corpus) -> dict[str, Any]:
    """What each public plot function draws, computed once from the sample corpus."""
    data = prepare_topics(corpus, unit="paragraph", min_df=2, progress=False)
    model = TopicModel(k=4, seed=0, passes=2, iterations=50).fit(data.dtm)
    detector = toolkit.TermDetector(progress=False).fit(corpus)
    tokens = toolkit.Segmenter().segment(corpus)
    county = corpus.docvars["county"]
    index = SimilarityIndex(by="town", progress=False).fit(corpus)
    planted = planted_corpus()
    adopted = adoptions(planted, terms=["河长制", "六稳", "强基工程"])
    return {
        "model": model,
        "by_year": prevalence(model, by="year", n_boot=50),
        "by_town": prevalence(model, by="town", n_boot=50),
        "k_table": select_k(data.dtm, [2, 3], texts=data.texts, passes=1, iterations=20),
        "detections": detector.detect(corpus),
        "keyness": toolkit.keyness(tokens, target=list(county.index[county == "苇川县"])),
        "summary": corpus.summary(by="town"),
        "index": index,
        "adoptions": adopted,
        "observations": observations(planted),
    }


def _figure(drawn: Figure | Axes) -> Figure:
    figure = drawn if isinstance(drawn, Figure) else drawn.figure
    assert isinstance(figure, Figure)
    return figure


# Every public plot function, with the inputs of a real analysis of the sample corpus.
FIGURES: dict[str, Callable[[dict[str, Any]], Figure | Axes]] = {
    "plot_group_counts": lambda i: plot_group_counts(i["summary"], title="documents by town"),
    "plot_keyness": lambda i: plot_keyness(i["keyness"], n=10, title="苇川县 vs 其他"),
    "plot_term_timeline/year": lambda i: plot_term_timeline(i["detections"], n=8),
    "plot_term_timeline/month": lambda i: plot_term_timeline(
        i["detections"], time="month", by="county", n=8, title="timeline"
    ),
    "plot_topics": lambda i: plot_topics(i["model"], n=8, title="四个主题"),
    "plot_topics/one column": lambda i: plot_topics(i["model"], n=8, ncols=1),
    "plot_prevalence/lines": lambda i: plot_prevalence(i["by_year"], by="year"),
    "plot_prevalence/heatmap": lambda i: plot_prevalence(i["by_town"], by="town"),
    "plot_k_selection": lambda i: plot_k_selection(i["k_table"], title="K"),
    "plot_similarity": lambda i: plot_similarity(
        i["index"].matrix(), groups=i["index"].units_["county"], title="相似度"
    ),
    "plot_neighbors_network": lambda i: plot_neighbors_network(
        i["index"].top_neighbors(3), groups=i["index"].units_["county"], title="近邻"
    ),
    "plot_reuse": lambda i: plot_reuse(
        "沙棠镇推动联村全覆盖" * 6, "菱角乡推动联户全覆盖" * 6, score=0.8, title="复用"
    ),
    "plot_adoption_curves": lambda i: plot_adoption_curves(
        adoption_curves(i["adoptions"]), title="采用曲线"
    ),
    "plot_lags": lambda i: plot_lags(i["adoptions"], title="滞后"),
    "plot_first_use": lambda i: plot_first_use(
        i["adoptions"], i["observations"], terms=["河长制", "六稳"], title="首次使用"
    ),
    "plot_leaders": lambda i: plot_leaders(leaders(i["adoptions"]), title="领先者"),
}


def test_every_public_plot_function_is_measured():
    public = {name for name in toolkit.plot.__all__ if name.startswith("plot_")}
    assert {name.split("/")[0] for name in FIGURES} == public


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_is_a_column_or_the_full_width_and_draws_cleanly(name, inputs, tmp_path):
    figure = _figure(FIGURES[name](inputs))
    width, height = figure.get_size_inches()
    assert width in WIDTHS, f"{name} is {width} in wide"
    assert 1.0 <= height <= 40.0
    with warnings.catch_warnings():
        # Any warning fails: a missing CJK glyph, a layout that could not fit.
        warnings.simplefilter("error")
        png, _ = save_figure(figure, tmp_path / "figure")
    # Saved as wide as drawn: cropped to the drawing with at most a hair of margin.
    with Image.open(png) as image:
        saved = image.size[0] / 300
    assert width - 0.25 <= saved <= width + 0.05, f"{name}: saved {saved:.2f} in wide"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_text_is_readable_in_print(name, inputs):
    # 5 pt is the smallest a journal prints; titles and labels are 7 to 9.5 pt.
    figure = _figure(FIGURES[name](inputs))
    sizes = {
        text.get_fontsize()
        for text in figure.findobj(mpl.text.Text)
        if text.get_text() and text.get_visible()
    }
    assert min(sizes) >= 5.0, f"{name}: text of {min(sizes)} pt"
    assert max(sizes) <= FONT_SIZE + 2


def test_save_figure_writes_a_300_dpi_png_and_an_svg(inputs, tmp_path):
    figure = _figure(FIGURES["plot_group_counts"](inputs))
    png, svg = save_figure(figure, tmp_path / "counts")
    with Image.open(png) as image:
        dpi = image.info["dpi"]
        pixels = image.size
    # PNG stores pixels per metre: 300 dpi reads back as 299.9994.
    assert dpi == pytest.approx((300, 300), abs=0.01)
    assert pixels[0] == pytest.approx(COLUMN_WIDTH * 300, abs=0.25 * 300)
    assert svg.suffix == ".svg"
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert "<svg" in svg.read_text(encoding="utf-8")[:1000]


def test_importing_toolkit_plot_changes_no_rcparams():
    code = (
        "import matplotlib as mpl; before = {k: repr(v) for k, v in mpl.rcParams.items()}; "
        "import toolkit.plot, toolkit.experiment; "
        "print(sorted(k for k, v in mpl.rcParams.items() if repr(v) != before[k]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", ["plot_group_counts", "plot_topics", "plot_similarity"])
def test_drawing_leaves_the_callers_rcparams_alone(name, inputs):
    with mpl.rc_context():
        mpl.rcdefaults()
        before = {k: repr(v) for k, v in mpl.rcParams.items()}
        FIGURES[name](inputs)
        changed = sorted(k for k, v in mpl.rcParams.items() if repr(v) != before[k])
    assert changed == []


def test_style_is_set_inside_the_context_and_undone_after():
    with mpl.rc_context():
        mpl.rcdefaults()
        with figure_style():
            assert mpl.rcParams["font.family"][0] == cjk_font_family()
            assert mpl.rcParams["font.size"] == FONT_SIZE
            assert mpl.rcParams["savefig.dpi"] == 300
            colors = [to_hex(c["color"]) for c in mpl.rcParams["axes.prop_cycle"]]
            assert colors == [c.lower() for c in OKABE_ITO]
            # The default cycle: a plain plot() takes Okabe–Ito orange, not tab10 blue.
            _, ax = plt.subplots()
            (line,) = ax.plot([0, 1])
            assert to_hex(line.get_color()) == OKABE_ITO[0].lower()
        assert mpl.rcParams["font.family"] == ["sans-serif"]
        assert mpl.rcParams["font.size"] == 10.0


def test_chinese_survives_the_end_of_the_style(inputs):
    # Drawn under the style, then shown or saved under matplotlib's defaults
    # (DejaVu Sans, no ideographs): the text keeps the CJK font it was made with.
    figure = _figure(FIGURES["plot_group_counts"](inputs))
    with mpl.rc_context():
        mpl.rcdefaults()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            figure.canvas.draw()
    labels = figure.axes[0].get_yticklabels()
    assert labels and all(t.get_fontfamily()[0] == cjk_font_family() for t in labels)


def test_callers_axes_get_the_cjk_font_for_their_tick_labels(inputs):
    with mpl.rc_context():
        mpl.rcdefaults()
        figure, (left, right) = plt.subplots(1, 2, figsize=(FULL_WIDTH, 3))
        plot_group_counts(inputs["summary"], ax=right)
        assert figure.get_size_inches()[0] == FULL_WIDTH  # the caller's figure, untouched
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            figure.canvas.draw()
        assert right.get_yticklabels()[0].get_fontfamily()[0] == cjk_font_family()
        assert left.get_yticklabels()[0].get_fontfamily() == ["sans-serif"]


def test_one_series_takes_the_single_colour(inputs):
    ax = plot_group_counts(inputs["summary"])
    assert {to_rgba(bar.get_facecolor()) for bar in ax.patches} == {to_rgba(SINGLE_COLOR)}
    figure = plot_k_selection(inputs["k_table"])
    assert {to_hex(line.get_color()) for line in figure.axes[0].get_lines()[:1]} == {
        SINGLE_COLOR.lower()
    }


def _drawn_colors(figure: Figure) -> set[str]:
    colors: set[str] = set()
    for artist in figure.findobj():
        if isinstance(artist, Line2D):
            colors.add(to_hex(artist.get_color()))
        elif isinstance(artist, Patch):
            colors.add(to_hex(artist.get_facecolor()))
        elif isinstance(artist, Collection):
            colors |= {to_hex(c) for c in artist.get_facecolors()}
    return colors


@pytest.mark.parametrize(
    "name", ["plot_group_counts", "plot_term_timeline/year", "plot_k_selection", "plot_leaders"]
)
def test_no_figure_draws_in_the_default_cycle_colours(name, inputs):
    # tab10 is not colour-blind safe. A "C0" left in the code would resolve to its
    # blue here, outside the style.
    tab10 = {to_hex(c) for c in plt.get_cmap("tab10").colors}
    used = _drawn_colors(_figure(FIGURES[name](inputs)))
    assert used and not used & tab10
