"""plot_keyness and plot_term_timeline: Chinese labels, the right rows, stable output."""

from __future__ import annotations

import warnings
from itertools import pairwise
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.legend import Legend

import toolkit
from toolkit import Corpus
from toolkit.plot import plot_keyness, plot_term_timeline, save_figure
from toolkit.plot.terms import REFERENCE_COLOR, TARGET_COLOR
from toolkit.terms.detector import TermDetector
from toolkit.terms.keyness import keyness
from toolkit.terms.kwic import kwic

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"

TERMS = ["共建共治共享", "两委", "一线工作法", "网格化管理", "河长制"]

# An invented prefecture: 共建共治共享 starts in 苇川县 and reaches 砚溪县 later;
# 一线工作法 goes the other way.
RECORDS = [
    ("hetang-2021", "苇川县", "河塘镇", "2021-04-02", "河塘镇探索共建共治共享，村“两委”带头。"),
    ("liuwan-2021", "苇川县", "柳湾乡", "2021-11-20", "柳湾乡推动共建、共治、共享，落实河长制。"),
    ("hetang-2023", "苇川县", "河塘镇", "2023-03-15", "河塘镇学习一线工作法，深化共建共治共享。"),
    (
        "shiqiao-2021",
        "砚溪县",
        "石桥街道",
        "2021-04-28",
        "石桥街道首创“一线工作法”，网格化管理全覆盖。",
    ),
    (
        "songlin-2023",
        "砚溪县",
        "松林镇",
        "2023-03-09",
        "松林镇引入共建共治共享，村两委和网格员联动。",
    ),
    ("songlin-2023b", "砚溪县", "松林镇", "2023-06-30", "松林镇推行一线工作法，推动共建共治共享。"),
]


def detect_like(corpus: Corpus, terms: list[str]) -> pd.DataFrame:
    """A table shaped like TermDetector.detect(): one row per (document, term), known counts."""
    rows = []
    docvars = corpus.docvars
    for rank, term in enumerate(terms, start=1):
        hits = kwic(corpus, term)
        for doc_id, found in hits.groupby("doc_id", sort=False):
            rows.append(
                {
                    "doc_id": doc_id,
                    "rank": rank,
                    "term": term,
                    "forms": sorted(set(found["match"])),
                    "kind": "quoted",
                    "count": len(found),
                    "score": 1.0 / rank,
                    "expansion": [],
                    "sources": ["quoted"],
                    "first": int(found["start"].min()),
                    **docvars.loc[doc_id].to_dict(),
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture()
def corpus() -> Corpus:
    return Corpus.from_records(
        {"doc_id": i, "county": c, "town": t, "date": d, "year": int(d[:4]), "text": text}
        for i, c, t, d, text in RECORDS
    )


@pytest.fixture()
def detections(corpus) -> pd.DataFrame:
    return detect_like(corpus, TERMS)


@pytest.fixture()
def table(detections) -> pd.DataFrame:
    return keyness(detections, target={"county": "苇川县"})


def _draw_strictly(fig: Figure) -> None:
    # Any warning fails, "Glyph ... missing from font" among them.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()


def _yticks(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


def _xticks(ax) -> list[str]:
    return [t.get_text() for t in ax.get_xticklabels()]


# ----------------------------------------------------------------------------- keyness


def test_keyness_chinese_labels_draw_without_any_warning(table):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plot_keyness(table, title="苇川县与砚溪县 −1")
        fig.canvas.draw()
    ax = fig.axes[0]
    positive = table[table["g2"] > 0]["feature"].tolist()
    negative = table[table["g2"] < 0]["feature"].tolist()
    assert _yticks(ax) == positive + negative
    assert "共建共治共享" in positive
    assert "一线工作法" in negative
    assert ax.get_title() == "苇川县与砚溪县 −1"


def test_keyness_top_n_each_side(table):
    n_pos = int((table["g2"] > 0).sum())
    n_neg = int((table["g2"] < 0).sum())
    ax = plot_keyness(table, n=1).axes[0]
    assert len(ax.patches) == min(1, n_pos) + min(1, n_neg)
    assert _yticks(ax) == [table["feature"].iloc[0], table["feature"].iloc[-1]]
    ax = plot_keyness(table, n=10).axes[0]
    assert len(ax.patches) == n_pos + n_neg


def test_keyness_bar_lengths_and_colours(table):
    ax = plot_keyness(table).axes[0]
    widths = [p.get_width() for p in ax.patches]
    shown = table[table["g2"] != 0]
    assert widths == pytest.approx(shown["g2"].tolist())
    for patch, value in zip(ax.patches, widths, strict=True):
        expected = TARGET_COLOR if value > 0 else REFERENCE_COLOR
        assert patch.get_facecolor() == to_rgba(expected)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["目标 target", "参照 reference"]


def test_keyness_measure_defaults_to_the_tables(detections):
    table = keyness(detections, target={"county": "苇川县"}, measure="chi2")
    ax = plot_keyness(table).axes[0]
    assert [p.get_width() for p in ax.patches] == pytest.approx(
        table.loc[table["chi2"] != 0, "chi2"].tolist()
    )
    assert ax.get_xlabel().startswith("χ²")
    g2_ax = plot_keyness(table, measure="g2").axes[0]
    assert g2_ax.get_xlabel().startswith("G²")


def test_keyness_zero_scores_are_not_drawn():
    table = pd.DataFrame({"feature": ["河长制", "林长制", "湖长制"], "g2": [3.0, 0.0, -2.0]})
    ax = plot_keyness(table).axes[0]
    assert _yticks(ax) == ["河长制", "湖长制"]


def test_keyness_draws_on_the_given_axes(table):
    fig, (left, right) = plt.subplots(1, 2)
    out = plot_keyness(table, ax=right)
    assert out is fig
    assert len(left.patches) == 0
    assert len(right.patches) > 0
    assert len(plt.get_fignums()) == 1


def test_keyness_empty_table_draws_a_note():
    empty = pd.DataFrame({"feature": [], "g2": []})
    fig = plot_keyness(empty)
    _draw_strictly(fig)
    assert any(t.get_text() == "no data" for t in fig.axes[0].texts)


def test_keyness_same_table_same_bytes(table, tmp_path):
    first = save_figure(plot_keyness(table, title="提法"), tmp_path / "a")
    second = save_figure(plot_keyness(table, title="提法"), tmp_path / "b")
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.suffix


def test_keyness_errors(table):
    with pytest.raises(TypeError, match=r"table must be a pandas\.DataFrame \(got list\)"):
        plot_keyness([("共建共治共享", 3.0)])
    with pytest.raises(ValueError, match=r"n must be an integer >= 1 \(got 0\)"):
        plot_keyness(table, n=0)
    with pytest.raises(ValueError, match=r"measure must be one of \{'chi2', 'g2'\} \(got 'lr'\)"):
        plot_keyness(table, measure="lr")
    with pytest.raises(ValueError, match="table must have a 'chi2' column"):
        plot_keyness(table[["feature", "g2"]], measure="chi2")
    with pytest.raises(TypeError):
        plot_keyness(table, 5)


# ----------------------------------------------------------------------------- timeline


def test_timeline_chinese_labels_rows_and_years(detections):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plot_term_timeline(detections, title="提法扩散")
        fig.canvas.draw()
    ax = fig.axes[0]
    # By documents using them: 5, 3, 2, then 1 each, ties by name.
    assert _yticks(ax) == ["共建共治共享", "一线工作法", "两委", "河长制", "网格化管理"]
    # 2022 has no document but stays on the axis: gaps are part of the story.
    assert _xticks(ax) == ["2021", "2022", "2023"]
    assert ax.yaxis_inverted()


def test_timeline_marker_size_counts_documents(detections):
    ax = plot_term_timeline(detections).axes[0]
    points = ax.collections[0]
    offsets = [tuple(xy) for xy in points.get_offsets().tolist()]
    sizes = dict(zip(offsets, points.get_sizes().tolist(), strict=True))
    rows = {label: i for i, label in enumerate(_yticks(ax))}
    cols = {label: i for i, label in enumerate(_xticks(ax))}
    slogan_2021 = sizes[(cols["2021"], rows["共建共治共享"])]  # hetang, liuwan
    slogan_2023 = sizes[(cols["2023"], rows["共建共治共享"])]  # hetang, songlin x2
    method_2021 = sizes[(cols["2021"], rows["一线工作法"])]  # shiqiao
    assert slogan_2023 / method_2021 == pytest.approx(3)
    assert slogan_2021 / method_2021 == pytest.approx(2)
    # One marker per (term, period) with a use; nothing in 2022.
    cells = detections.groupby(["term", "year"]).size()
    assert len(offsets) == len(cells)
    assert cols["2022"] not in {x for x, _ in offsets}


def test_timeline_n_and_explicit_terms(detections):
    ax = plot_term_timeline(detections, n=2).axes[0]
    assert _yticks(ax) == ["共建共治共享", "一线工作法"]
    ax = plot_term_timeline(detections, terms=["河长制", "枫桥经验", "两委"]).axes[0]
    assert _yticks(ax) == ["河长制", "枫桥经验", "两委"]
    ys = {y for _, y in ax.collections[0].get_offsets().tolist()}
    assert 1 not in ys  # 枫桥经验 is never used: its row stays empty


def test_timeline_colours_by_the_leading_group(detections):
    fig = plot_term_timeline(detections, by="county")
    _draw_strictly(fig)
    ax = fig.axes[0]
    points = ax.collections[0]
    rows = {label: i for i, label in enumerate(_yticks(ax))}
    cols = {label: i for i, label in enumerate(_xticks(ax))}
    colour_at = {
        tuple(xy): tuple(c)
        for xy, c in zip(points.get_offsets().tolist(), points.get_facecolors(), strict=True)
    }
    weichuan = colour_at[(cols["2021"], rows["共建共治共享"])]  # 2 documents in 苇川县
    yanxi = colour_at[(cols["2023"], rows["共建共治共享"])]  # 2 in 砚溪县, 1 in 苇川县
    assert weichuan != yanxi
    assert colour_at[(cols["2021"], rows["一线工作法"])] == yanxi
    legends = [c for c in ax.get_children() if isinstance(c, Legend)]
    texts = {t.get_text() for legend in legends for t in legend.get_texts()}
    titles = {legend.get_title().get_text() for legend in legends}
    assert {"苇川县", "砚溪县"} <= texts
    assert titles == {"county", "文档数 documents"}


def test_timeline_months_from_dates(detections):
    fig = plot_term_timeline(detections.drop(columns="year"), time="month")
    _draw_strictly(fig)
    labels = _xticks(fig.axes[0])
    assert labels[0] == "2021-04"
    assert labels[-1] == "2023-06"
    assert len(labels) == 27  # every month from April 2021 to June 2023
    assert "2022-07" in labels  # a month without documents keeps its place


def test_timeline_thins_month_labels_on_long_spans(detections):
    late = detections.iloc[[0]].assign(doc_id="hetang-2027", date="2027-01-05")
    ax = plot_term_timeline(pd.concat([detections, late]), time="month").axes[0]
    assert len(ax.get_xticks()) == 70  # April 2021 to January 2027
    # 70 months at most 30 labels: every third (issue 17: the figure is 7 in wide).
    labels = [t for t in ax.get_xticklabels() if t.get_visible()]
    assert [t.get_text() for t in labels[:3]] == ["2021-04", "2021-07", "2021-10"]
    assert ax.figure.get_figwidth() == 7.0
    # The labels shown do not run into each other at that width.
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert all(a.x1 < b.x0 for a, b in pairwise(boxes))


def test_timeline_year_from_dates_when_there_is_no_year_column(detections):
    ax = plot_term_timeline(detections.drop(columns="year")).axes[0]
    assert _xticks(ax) == ["2021", "2022", "2023"]


def test_timeline_zero_counts_are_not_uses(detections):
    silent = detections.assign(count=np.where(detections["term"] == "共建共治共享", 0, 1))
    ax = plot_term_timeline(silent).axes[0]
    assert "共建共治共享" not in _yticks(ax)


def test_timeline_sample_corpus_by_county():
    corpus = toolkit.read_jsonl(SAMPLE)
    terms = ["共建共治共享", "两委", "一岗双责", "乡村振兴", "党建引领", "接诉即办", "河长制"]
    detections = detect_like(corpus, terms)
    fig = plot_term_timeline(detections, by="county", time="month", n=5)
    _draw_strictly(fig)
    ax = fig.axes[0]
    per_term = detections.groupby("term")["doc_id"].nunique()
    expected = sorted(per_term.index, key=lambda t: (-per_term[t], t))[:5]
    assert _yticks(ax) == expected
    assert _xticks(ax)[0] == "2022-02" and _xticks(ax)[-1] == "2023-12"


def test_real_detector_output_draws_both_figures():
    corpus = toolkit.read_jsonl(SAMPLE)
    detections = TermDetector(progress=False).fit(corpus).detect(corpus)
    timeline = plot_term_timeline(detections, by="county", time="month", n=8)
    _draw_strictly(timeline)
    assert len(_yticks(timeline.axes[0])) == 8
    bars = plot_keyness(keyness(detections, target={"county": "苇川县"}), n=6)
    _draw_strictly(bars)
    assert len(bars.axes[0].patches) == 12


def test_timeline_same_table_same_bytes(detections, tmp_path):
    first = save_figure(plot_term_timeline(detections, by="town"), tmp_path / "a")
    second = save_figure(plot_term_timeline(detections, by="town"), tmp_path / "b")
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.suffix


def test_timeline_empty_draws_a_note(detections):
    fig = plot_term_timeline(detections.iloc[:0])
    _draw_strictly(fig)
    assert any(t.get_text() == "no data" for t in fig.axes[0].texts)


def test_timeline_draws_on_the_given_axes(detections):
    fig, (left, right) = plt.subplots(1, 2)
    assert plot_term_timeline(detections, ax=left) is fig
    assert len(left.collections) == 1
    assert len(right.collections) == 0


def test_timeline_errors(detections):
    with pytest.raises(ValueError, match=r"time must be one of \{'month', 'year'\} \(got 'week'\)"):
        plot_term_timeline(detections, time="week")
    with pytest.raises(ValueError, match=r"time='month' needs a 'date' column in detections"):
        plot_term_timeline(detections.drop(columns="date"), time="month")
    with pytest.raises(ValueError, match=r"by must be one of \{.*'county'.*\} \(got 'province'\)"):
        plot_term_timeline(detections, by="province")
    with pytest.raises(ValueError, match=r"n must be an integer >= 1 \(got 0\)"):
        plot_term_timeline(detections, n=0)
    with pytest.raises(TypeError, match=r"terms must be an iterable of str.*pass \['两委'\]"):
        plot_term_timeline(detections, terms="两委")
    with pytest.raises(ValueError, match=r"detections must have columns 'doc_id' and 'term'"):
        plot_term_timeline(detections.rename(columns={"term": "feature"}))
    with pytest.raises(TypeError, match=r"detections must be a pandas\.DataFrame"):
        plot_term_timeline(detections.to_dict())
    with pytest.raises(TypeError):
        plot_term_timeline(detections, "year")


def test_timeline_top_is_the_old_name_of_n_for_one_release(detections):
    # Rows are counted with n across the API; plot_term_timeline(top=) was the odd one out.
    with pytest.warns(
        FutureWarning, match=r"plot_term_timeline\(top=\.\.\.\) is renamed .*\(n=\.\.\.\)"
    ):
        old = plot_term_timeline(detections, top=2).axes[0]
    assert _yticks(old) == _yticks(plot_term_timeline(detections, n=2).axes[0])
    with pytest.raises(TypeError, match=r"pass n only; top is its old name \(got n=3, top=2\)"):
        plot_term_timeline(detections, n=3, top=2)
    with (
        pytest.warns(FutureWarning),
        pytest.raises(ValueError, match=r"n must be an integer >= 1 \(got 0\)"),
    ):
        plot_term_timeline(detections, top=0)
    # Neither given: the 10 terms in the most documents (all 5 here).
    assert len(_yticks(plot_term_timeline(detections).axes[0])) == 5


def test_timeline_missing_years_are_refused(detections):
    gap = detections.assign(year=detections["year"].astype("Int64"))
    gap.loc[gap["doc_id"] == "liuwan-2021", "year"] = pd.NA
    message = r"2 rows of detections have no 'year' \(e.g. doc_ids \['liuwan-2021'\]"
    with pytest.raises(ValueError, match=message):
        plot_term_timeline(gap)


def test_timeline_unreadable_dates_are_refused(detections):
    bad = detections.drop(columns="year").assign(date="去年春天")
    with pytest.raises(ValueError, match="date must hold dates such as '2022-03-18'"):
        plot_term_timeline(bad)
