"""save_figure: PNG and SVG, no dates or versions inside, same bytes every time."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.plot import plot_group_counts, save_figure


@pytest.fixture()
def fig():
    table = pd.DataFrame(
        {"documents": [3, 1], "characters": [2400, 800]},
        index=pd.Index(["河塘镇", "柳湾街道"], name="town"),
    )
    return plot_group_counts(table, title="共建共治共享").figure


def test_writes_png_and_svg(fig, tmp_path):
    paths = save_figure(fig, tmp_path / "sub" / "counts_by_town")
    assert [p.name for p in paths] == ["counts_by_town.png", "counts_by_town.svg"]
    assert paths[0].read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in paths[1].read_bytes()[:1000]


def test_same_figure_gives_same_bytes(fig, tmp_path):
    first = save_figure(fig, tmp_path / "a")
    second = save_figure(fig, tmp_path / "b")
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.suffix


def test_no_date_or_version_in_files(fig, tmp_path):
    png, svg = save_figure(fig, tmp_path / "f")
    text = svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in text
    assert "Matplotlib v" not in text
    assert b"Software" not in png.read_bytes()


def test_one_format(fig, tmp_path):
    assert [p.suffix for p in save_figure(fig, tmp_path / "f", formats=("svg",))] == [".svg"]
    assert [p.suffix for p in save_figure(fig, tmp_path / "g", formats="png")] == [".png"]


def test_dots_in_the_name_are_kept(fig, tmp_path):
    [path] = save_figure(fig, tmp_path / "counts.v2", formats=("png",))
    assert path.name == "counts.v2.png"


def test_unknown_format_is_refused(fig, tmp_path):
    with pytest.raises(ValueError, match=r"formats must be one of \{'png', 'svg'\} \(got 'jpg'\)"):
        save_figure(fig, tmp_path / "f", formats=("jpg",))


def test_suffix_in_path_is_refused(fig, tmp_path):
    with pytest.raises(ValueError, match="must not end in a format suffix"):
        save_figure(fig, tmp_path / "f.png")


def test_fig_must_be_a_figure(tmp_path):
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        save_figure("figure", tmp_path / "f")
