"""plot_similarity, plot_neighbors_network and plot_reuse on a real index of the sample corpus."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

import toolkit
from toolkit.plot import (
    cjk_font_path,
    plot_neighbors_network,
    plot_reuse,
    plot_similarity,
    save_figure,
)
from toolkit.plot.network import _MAX_EDGE_WIDTH, _MIN_EDGE_WIDTH
from toolkit.plot.reuse import DELETE_COLOR, INSERT_COLOR, REPLACE_COLOR
from toolkit.similarity import SimilarityIndex

SAMPLES = Path(__file__).resolve().parents[2] / "corpora" / "sample"
TAGS = ("replace", "delete", "insert")


@pytest.fixture(scope="module")
def index() -> SimilarityIndex:
    corpus = toolkit.read_jsonl(SAMPLES / "towns.jsonl")
    return SimilarityIndex(by="town", progress=False).fit(corpus)


@pytest.fixture(scope="module")
def matrix(index) -> pd.DataFrame:
    return index.matrix()


@pytest.fixture(scope="module")
def counties(index) -> pd.Series:
    return index.units_["county"]


@pytest.fixture(scope="module")
def top3(index) -> pd.DataFrame:
    return index.top_neighbors(3)


@pytest.fixture(scope="module")
def reuse_pair() -> pd.Series:
    # 沙棠镇 and 渡口铺镇: one county paragraph, another town name, ASCII commas, 126 vs 152.
    return pd.read_csv(SAMPLES / "reuse.tsv", sep="\t").iloc[1]


def _draw_strictly(fig: Figure) -> None:
    # Any warning fails, "Glyph ... missing from font" among them.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()


def _assert_cjk(labels: list[Text]) -> None:
    # The font matplotlib actually picks for each label must be the CJK file.
    expected = Path(cjk_font_path()).resolve()
    for label in labels:
        found = Path(font_manager.findfont(label.get_fontproperties())).resolve()
        assert found == expected, label.get_text()


def _texts(labels: list[Text]) -> list[str]:
    return [t.get_text() for t in labels]


def _axes(fig: Figure, label: str):
    (ax,) = [ax for ax in fig.axes if ax.get_label() == label]
    return ax


def _leaves(matrix: pd.DataFrame, method: str = "average") -> list[str]:
    distance = np.clip(1.0 - matrix.to_numpy(), 0.0, None)
    np.fill_diagonal(distance, 0.0)
    link = hierarchy.linkage(squareform(distance), method=method, optimal_ordering=True)
    return [str(matrix.index[i]) for i in hierarchy.leaves_list(link)]


def _by_gid(ax, gid: str, kind: type):
    (found,) = [c for c in ax.collections if c.get_gid() == gid and isinstance(c, kind)]
    return found


# ----------------------------------------------------------------------------- heatmap


def test_heatmap_rows_follow_the_dendrogram_and_cells_are_the_matrix(matrix, counties):
    fig = plot_similarity(matrix, groups=counties, title="乡镇相似度")
    _draw_strictly(fig)
    heat = _axes(fig, "heatmap")
    order = _leaves(matrix)
    assert sorted(order) == sorted(matrix.index)
    assert _texts(heat.get_yticklabels()) == order
    assert _texts(heat.get_xticklabels()) == order
    image = heat.images[0].get_array()
    np.testing.assert_allclose(image.data, matrix.loc[order, order].to_numpy())
    np.testing.assert_array_equal(np.ma.getmaskarray(image), np.eye(len(order), dtype=bool))
    # The two most similar towns are neighbouring leaves.
    upper = matrix.where(~np.eye(len(matrix), dtype=bool)).stack()
    a, b = upper.idxmax()
    assert abs(order.index(a) - order.index(b)) == 1
    # The colour scale spans the off-diagonal values, not the 1s of the diagonal.
    assert heat.images[0].get_clim() == pytest.approx((0.0, upper.max()))
    assert {ax.get_label() for ax in fig.axes} == {"dendrogram", "groups", "heatmap", "colorbar"}
    assert fig.get_suptitle() == "乡镇相似度"
    _assert_cjk(heat.get_yticklabels() + heat.get_xticklabels() + [fig._suptitle])


def test_heatmap_dendrogram_leaves_line_up_with_the_rows(matrix):
    fig = plot_similarity(matrix)
    tree = _axes(fig, "dendrogram")
    # Leaves at y = 5, 15, … with the first at the top, like row 0 of the heatmap.
    assert tree.get_ylim() == (10 * len(matrix), 0)
    leaf_ys = {
        y
        for line in tree.collections[0].get_segments()
        for x, y in line
        if x == 0 and (y - 5) % 10 == 0
    }
    assert leaf_ys == {5 + 10 * i for i in range(len(matrix))}
    assert "groups" not in {ax.get_label() for ax in fig.axes}
    assert fig.legends == []


def test_heatmap_tree_thins_its_lines_as_the_units_grow(matrix):
    # 268 cities drew the tree as one grey block: lines must stay thinner than the
    # leaves are apart, while a small matrix keeps the style's width.
    small = _axes(plot_similarity(matrix), "dendrogram").collections[0].get_linewidth()[0]
    rng = np.random.default_rng(0)
    points = rng.random((240, 5))
    sims = points @ points.T
    sims = sims / np.sqrt(np.outer(np.diag(sims), np.diag(sims)))
    names = [f"u{i}" for i in range(240)]
    big = plot_similarity(pd.DataFrame(sims, index=names, columns=names))
    width = _axes(big, "dendrogram").collections[0].get_linewidth()[0]
    assert width == pytest.approx(30.0 / 240) and width < small


def test_heatmap_group_strip_matches_the_groups(matrix, counties):
    fig = plot_similarity(matrix, groups=counties)
    order = _texts(_axes(fig, "heatmap").get_yticklabels())
    strip = np.asarray(_axes(fig, "groups").images[0].get_array())
    (legend,) = fig.legends
    names = _texts(legend.get_texts())
    assert names == sorted(counties.unique())
    assert legend.get_title().get_text() == "county"
    color = {
        name: to_rgba(handle.get_facecolor())
        for name, handle in zip(names, legend.legend_handles, strict=True)
    }
    assert len(set(color.values())) == len(names)
    for row, unit in enumerate(order):
        assert tuple(strip[row, 0]) == pytest.approx(color[counties[unit]])
    _assert_cjk(legend.get_texts())


def test_heatmap_reorders_columns_and_annotates_small_matrices(matrix):
    sub = matrix.iloc[:5, :5]
    shuffled = sub[list(sub.columns[::-1])]
    cells = [
        _axes(plot_similarity(m, method="complete"), "heatmap").images[0].get_array().data
        for m in (sub, shuffled)
    ]
    np.testing.assert_array_equal(cells[0], cells[1])
    heat = _axes(plot_similarity(sub, groups={u: "甲" for u in sub.index}), "heatmap")
    order = _texts(heat.get_yticklabels())
    assert order == _leaves(sub)
    expected = [f"{sub.loc[a, b]:.2f}" for a in order for b in order if a != b]
    assert _texts(heat.texts) == expected
    # 13 × 13 = 169 cells: too many to annotate.
    assert len(_axes(plot_similarity(matrix), "heatmap").texts) == 0


def test_heatmap_methods_give_their_own_deterministic_order(matrix):
    for method in ("average", "complete", "single", "weighted"):
        first = _texts(_axes(plot_similarity(matrix, method=method), "heatmap").get_yticklabels())
        again = _texts(_axes(plot_similarity(matrix, method=method), "heatmap").get_yticklabels())
        assert first == again == _leaves(matrix, method)


def test_heatmap_errors(matrix, counties):
    with pytest.raises(TypeError, match=r"matrix must be a pandas\.DataFrame"):
        plot_similarity(matrix.to_numpy())
    with pytest.raises(ValueError, match=r"must be square \(got 13 rows × 12 columns\)"):
        plot_similarity(matrix.iloc[:, :12])
    with pytest.raises(ValueError, match=r"at least two units \(got 1\)"):
        plot_similarity(matrix.iloc[:1, :1])
    renamed = matrix.rename(columns={"沙棠镇": "沙棠"})
    with pytest.raises(
        ValueError, match=r"only in rows: \['沙棠镇'\], only in columns: \['沙棠'\]"
    ):
        plot_similarity(renamed)
    repeated = matrix.rename(index={"沙棠镇": "墨池镇"}, columns={"沙棠镇": "墨池镇"})
    with pytest.raises(ValueError, match=r"repeated labels on its rows: \['墨池镇'\]"):
        plot_similarity(repeated)
    broken = matrix.copy()
    broken.iloc[0, 1] = broken.iloc[1, 0] = np.nan
    with pytest.raises(ValueError, match=r"finite numbers; 2 cells are NaN or infinite"):
        plot_similarity(broken)
    lopsided = matrix.copy()
    lopsided.iloc[0, 1] = 0.9
    with pytest.raises(ValueError, match=r"must be symmetric; the similarity of '墨池镇' to"):
        plot_similarity(lopsided)
    with pytest.raises(ValueError, match=r"method must be one of \{'average', 'complete'"):
        plot_similarity(matrix, method="ward")
    with pytest.raises(ValueError, match=r"no group for 1 units \['沙棠镇'\]"):
        plot_similarity(matrix, groups=counties.drop("沙棠镇"))
    with pytest.raises(ValueError, match=r"missing \(NaN\) for 1 units \['沙棠镇'\]"):
        plot_similarity(matrix, groups=counties.mask(counties.index == "沙棠镇"))
    with pytest.raises(TypeError, match=r"groups must be a pandas\.Series"):
        plot_similarity(matrix, groups="county")
    with pytest.raises(TypeError):
        plot_similarity(matrix, counties)


# ----------------------------------------------------------------------------- network


def _pairs(table: pd.DataFrame) -> dict[tuple[str, str], float]:
    pairs: dict[tuple[str, str], float] = {}
    for unit, neighbor, sim in table[["unit", "neighbor", "similarity"]].itertuples(index=False):
        key = tuple(sorted((unit, neighbor)))
        pairs[key] = max(sim, pairs.get(key, -1.0))
    return pairs


def test_network_nodes_and_edges_match_the_table(top3, counties):
    assert list(top3.columns) == ["unit", "neighbor", "similarity", "rank"]
    fig = plot_neighbors_network(top3, groups=counties, title="近邻网络")
    _draw_strictly(fig)
    ax = fig.axes[0]
    nodes = sorted(set(top3["unit"]) | set(top3["neighbor"]))
    points = _by_gid(ax, "nodes", PathCollection).get_offsets()
    assert len(points) == len(nodes) == 13
    assert _texts(ax.texts) == nodes
    pairs = _pairs(top3)
    edges = _by_gid(ax, "edges", LineCollection)
    segments = edges.get_segments()
    assert len(segments) == len(pairs) < len(top3)  # mutual neighbours share one edge
    at = {name: tuple(p) for name, p in zip(nodes, points, strict=True)}
    strongest = max(pairs.values())
    for (a, b), segment, width in zip(sorted(pairs), segments, edges.get_linewidths(), strict=True):
        assert {tuple(segment[0]), tuple(segment[1])} == {at[a], at[b]}
        assert width == pytest.approx(
            max(_MAX_EDGE_WIDTH * pairs[a, b] / strongest, _MIN_EDGE_WIDTH)
        )
    # Node colour by county, as the legend says.
    legend = next(a for a in ax.artists if a.get_title().get_text() == "county")
    color = {
        t.get_text(): to_rgba(h.get_facecolor())
        for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)
    }
    facecolors = _by_gid(ax, "nodes", PathCollection).get_facecolors()
    for name, face in zip(nodes, facecolors, strict=True):
        assert tuple(face) == pytest.approx(color[counties[name]])
    assert ax.get_title() == "近邻网络"
    _assert_cjk(ax.texts + legend.get_texts() + [ax.title])


def test_network_layout_is_seeded_and_ignores_row_order(top3):
    def layout(table, seed=0):
        ax = plot_neighbors_network(table, seed=seed).axes[0]
        return np.asarray(_by_gid(ax, "nodes", PathCollection).get_offsets())

    first = layout(top3)
    np.testing.assert_array_equal(first, layout(top3))
    np.testing.assert_array_equal(first, layout(top3.sample(frac=1.0, random_state=1)))
    assert not np.allclose(first, layout(top3, seed=1))
    assert np.abs(first).max() == pytest.approx(1.0)
    gaps = np.linalg.norm(first[:, None] - first[None, :], axis=-1)[np.triu_indices(13, 1)]
    assert gaps.min() > 0.2  # no two towns on top of each other


def test_network_of_separate_groups_fills_the_figure():
    # Four unconnected triangles (a reuse network by county): a spring layout
    # pushed them to the corners of a mostly empty square. Each is laid out
    # alone and they are packed, so the nodes span most of the drawing.
    rows = [
        {"unit": f"{g}{a}", "neighbor": f"{g}{b}", "similarity": 2.0}
        for g in "甲乙丙丁"
        for a, b in ((1, 2), (2, 3), (1, 3))
    ]
    ax = plot_neighbors_network(pd.DataFrame(rows), seed=0).axes[0]
    points = np.asarray(_by_gid(ax, "nodes", PathCollection).get_offsets())
    assert len(points) == 12
    span = points.max(axis=0) - points.min(axis=0)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert span[0] / (x1 - x0) > 0.7
    assert span[1] / (y1 - y0) > 0.7
    # No triangle is squeezed into a corner: its nodes are at least a quarter of
    # the drawing apart (laid out together they were about a ninth apart).
    for g in range(4):
        tri = points[3 * g : 3 * g + 3]
        closest = min(np.linalg.norm(tri[i] - tri[j]) for i in range(3) for j in range(i))
        assert closest > 0.25 * span.max()


def test_network_min_similarity_drops_edges_not_nodes(top3):
    # The median pair: some edges fall below it, whatever the weighting.
    threshold = float(np.median(list(_pairs(top3).values())))
    ax = plot_neighbors_network(top3, min_similarity=threshold).axes[0]
    kept = {k: v for k, v in _pairs(top3).items() if v >= threshold}
    assert 0 < len(kept) < len(_pairs(top3))
    assert len(_by_gid(ax, "edges", LineCollection).get_segments()) == len(kept)
    assert len(_by_gid(ax, "nodes", PathCollection).get_offsets()) == 13


def test_network_of_one_units_neighbors(index):
    table = index.neighbors("沙棠镇", k=4)
    assert "unit" not in table.columns
    ax = plot_neighbors_network(table).axes[0]
    assert _texts(ax.texts) == sorted(["沙棠镇", *table["neighbor"]])
    assert len(_by_gid(ax, "edges", LineCollection).get_segments()) == 4


def test_network_ignores_self_pairs_and_draws_empty_tables(top3):
    selfish = pd.concat(
        [top3, pd.DataFrame({"unit": ["沙棠镇"], "neighbor": ["沙棠镇"], "similarity": [1.0]})]
    )
    ax = plot_neighbors_network(selfish).axes[0]
    assert len(_by_gid(ax, "edges", LineCollection).get_segments()) == len(_pairs(top3))
    empty = plot_neighbors_network(top3.iloc[:0]).axes[0]
    assert _texts(empty.texts) == ["no data"]


def test_network_width_legend_names_the_weight(top3):
    legend = plot_neighbors_network(top3).axes[0].get_legend()
    assert legend.get_title().get_text() == "相似度 similarity"
    assert all("." in t.get_text() for t in legend.get_texts())
    counts = pd.DataFrame(
        {"unit": ["沙棠镇", "沙棠镇", "菱角乡"], "neighbor": ["菱角乡", "渡口铺镇", "渡口铺镇"]}
    ).assign(similarity=[1.0, 3.0, 6.0])
    legend = plot_neighbors_network(counts, weight_label="共享段落 passages").axes[0].get_legend()
    assert legend.get_title().get_text() == "共享段落 passages"
    assert [t.get_text() for t in legend.get_texts()] == ["1", "3", "6"]


def test_network_errors(top3, counties):
    with pytest.raises(
        ValueError, match=r"missing column\(s\) \['similarity'\].*present: \['unit'"
    ):
        plot_neighbors_network(top3.drop(columns="similarity"))
    with pytest.raises(ValueError, match="similarity must hold finite numbers"):
        plot_neighbors_network(top3.assign(similarity=np.nan))
    with pytest.raises(ValueError, match=r"missing values in column 'neighbor'"):
        plot_neighbors_network(top3.assign(neighbor=None))
    with pytest.raises(ValueError, match=r"no group for 1 units \['沙棠镇'\]"):
        plot_neighbors_network(top3, groups=counties.drop("沙棠镇"))
    with pytest.raises(TypeError, match="seed must be an int"):
        plot_neighbors_network(top3, seed=True)
    with pytest.raises(TypeError, match="min_similarity must be a number"):
        plot_neighbors_network(top3, min_similarity="0.1")
    with pytest.raises(ValueError, match="min_similarity must be finite"):
        plot_neighbors_network(top3, min_similarity=math.nan)
    with pytest.raises(TypeError, match=r"neighbors must be a pandas\.DataFrame"):
        plot_neighbors_network(top3.to_dict())
    with pytest.raises(TypeError, match="weight_label must be a str"):
        plot_neighbors_network(top3, weight_label=None)
    with pytest.raises(TypeError):
        plot_neighbors_network(top3, counties)


# ----------------------------------------------------------------------------- reuse


def _highlighted(fig: Figure, side: str, width: int) -> dict[str, set[int]]:
    """Character positions under each kind of highlight, read back from the rectangles."""
    out: dict[str, set[int]] = {tag: set() for tag in TAGS}
    for patch in _axes(fig, side).patches:
        if isinstance(patch, Rectangle) and patch.get_gid() in TAGS:
            x, y = (round(v) for v in patch.get_xy())
            out[patch.get_gid()] |= {y * width + x + i for i in range(round(patch.get_width()))}
    return out


def test_reuse_highlights_exactly_the_differing_characters(reuse_pair):
    a, b = reuse_pair["passage_a"], reuse_pair["passage_b"]
    fig = plot_reuse(
        a,
        b,
        label_a=reuse_pair["doc_id_a"],
        label_b=reuse_pair["doc_id_b"],
        score=0.91,
        title="文本复用",
    )
    _draw_strictly(fig)
    commas_a = [i for i, c in enumerate(a) if c == "，"]
    commas_b = [i for i, c in enumerate(b) if c == ","]
    assert len(commas_a) == len(commas_b) == 5
    assert a[:2] == "沙棠" and b[:3] == "渡口铺"
    assert a[64:67] == "126" and b[65:68] == "152"
    assert _highlighted(fig, "a", 40) == {
        "replace": {0, 1, *commas_a},  # 沙棠 → 渡口铺 (镇 is shared), full-width commas
        "delete": {66},  # the 6 of 126
        "insert": set(),
    }
    assert _highlighted(fig, "b", 40) == {
        "replace": {0, 1, 2, *commas_b},
        "delete": set(),
        "insert": {66},  # the 5 of 152
    }
    colors = {
        patch.get_gid(): to_rgba(patch.get_facecolor())
        for ax in fig.axes
        for patch in ax.patches
        if patch.get_gid() in TAGS
    }
    assert colors == {
        "replace": to_rgba(REPLACE_COLOR),
        "delete": to_rgba(DELETE_COLOR),
        "insert": to_rgba(INSERT_COLOR),
    }
    for side, text in (("a", a), ("b", b)):
        ax = _axes(fig, side)
        chars = ax.texts
        assert "".join(_texts(chars)) == text
        assert [t.get_position() for t in chars] == [
            (i % 40 + 0.5, i // 40 + 0.52) for i in range(len(text))
        ]
        _assert_cjk([*chars[:5], ax.title])
    assert _axes(fig, "a").get_title(loc="left") == "A  shatang-2022-03  (99 字 chars)"
    (legend,) = fig.legends
    assert _texts(legend.get_texts()) == [
        "替换 replaced",
        "删除 deleted (only in A)",
        "插入 inserted (only in B)",
    ]
    _assert_cjk(legend.get_texts())
    assert fig.get_suptitle() == "文本复用\n得分 score = 0.91   相同 matching: 91 字 chars"


def test_reuse_wraps_runs_over_lines():
    a = "一二三四五六七八九十甲乙"
    b = "一二三四五六七八九天地乙"
    fig = plot_reuse(a, b, width=10)
    assert _highlighted(fig, "a", 10)["replace"] == {9, 10}
    rects = [p for p in _axes(fig, "b").patches if p.get_gid() == "replace"]
    # One run, two lines: one rectangle per line.
    assert sorted((p.get_x(), p.get_y(), p.get_width()) for p in rects) == [(0, 1, 1), (9, 0, 1)]
    assert _axes(fig, "a").get_ylim() == (2, 0)
    assert fig.get_suptitle() == "相同 matching: 10 字 chars"


def test_reuse_identical_and_empty_passages():
    same = plot_reuse("推动联村全覆盖", "推动联村全覆盖")
    assert all(p.get_gid() not in TAGS for ax in same.axes for p in ax.patches)
    assert same.legends[0].get_title().get_text() == "两段完全相同 identical passages"
    empty = plot_reuse("", "联户")
    _draw_strictly(empty)
    assert _texts(_axes(empty, "a").texts) == ["(空 empty)"]
    assert _highlighted(empty, "b", 40)["insert"] == {0, 1}


def test_reuse_errors():
    with pytest.raises(TypeError, match=r"text_b must be a str \(got NoneType\)"):
        plot_reuse("联村", None)
    with pytest.raises(TypeError, match="label_a must be a str"):
        plot_reuse("联村", "联户", label_a=3)
    with pytest.raises(ValueError, match=r"width must be an integer >= 1 \(got 0\)"):
        plot_reuse("联村", "联户", width=0)
    with pytest.raises(ValueError, match="score must be finite"):
        plot_reuse("联村", "联户", score=math.inf)
    with pytest.raises(TypeError, match="score must be a number"):
        plot_reuse("联村", "联户", score="0.9")
    with pytest.raises(TypeError):
        plot_reuse("联村", "联户", "A")


# ----------------------------------------------------------------------------- files


def test_each_figure_saves_as_png(matrix, counties, top3, reuse_pair, tmp_path):
    figures = {
        "heatmap": lambda: plot_similarity(matrix, groups=counties, title="乡镇相似度"),
        "network": lambda: plot_neighbors_network(top3, groups=counties, title="近邻网络"),
        "reuse": lambda: plot_reuse(
            reuse_pair["passage_a"], reuse_pair["passage_b"], label_a="沙棠镇", label_b="渡口铺镇"
        ),
    }
    for name, draw in figures.items():
        (png,) = save_figure(draw(), tmp_path / name, formats=["png"], dpi=80)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        (again,) = save_figure(draw(), tmp_path / f"{name}-again", formats=["png"], dpi=80)
        assert again.read_bytes() == png.read_bytes()


# ----------------------------------------------------------------------------- moved names


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("plot_neighbors_network", "toolkit.plot.network"),
        ("plot_reuse", "toolkit.plot.reuse"),
        ("REPLACE_COLOR", "toolkit.plot.reuse"),
        ("DELETE_COLOR", "toolkit.plot.reuse"),
        ("INSERT_COLOR", "toolkit.plot.reuse"),
    ],
)
def test_names_that_left_plot_similarity_still_import_for_one_release(name, home):
    # 0.1.0 had the network and reuse figures in toolkit.plot.similarity.
    import importlib

    import toolkit.plot.similarity as old

    with pytest.warns(FutureWarning, match=rf"similarity\.{name} has moved to {home}\.{name}"):
        moved = getattr(old, name)
    assert moved is getattr(importlib.import_module(home), name)
    with pytest.raises(AttributeError, match="has no attribute 'plot_network'"):
        old.plot_network  # noqa: B018
