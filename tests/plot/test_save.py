"""save_figure: PNG and SVG, no dates or versions inside, same bytes every time."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.plot import plot_group_counts, save_figure, stable_svg_ids


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


def _bars_at(left: float):
    import matplotlib.pyplot as plt

    # No text: tick labels could land on a rounding tie of the written coordinates.
    fig = plt.figure(figsize=(4, 3))
    ax = fig.add_axes((left, 0.1, 0.8, 0.8))
    ax.bar([0, 1], [3, 1], hatch="//")
    ax.imshow([[0.0, 1.0], [1.0, 0.0]], extent=(0, 1, 0, 1))
    ax.set_axis_off()
    return fig


def test_svg_identical_when_layout_differs_in_the_last_bits(tmp_path):
    import io

    import matplotlib as mpl

    # Matplotlib alone names the clip paths of these two pictures differently.
    raw = []
    for left in (0.2, 0.2 + 1e-13):
        buffer = io.BytesIO()
        with mpl.rc_context({"svg.hashsalt": "tifa-toolkit"}):
            _bars_at(left).savefig(
                buffer, format="svg", bbox_inches="tight", metadata={"Date": None}
            )
        raw.append(buffer.getvalue())
    assert raw[0] != raw[1]
    one = save_figure(_bars_at(0.2), tmp_path / "one", formats=["svg"])[0].read_bytes()
    two = save_figure(_bars_at(0.2 + 1e-13), tmp_path / "two", formats=["svg"])[0].read_bytes()
    assert b'clip-path="url(#p1)"' in one
    assert one == two


def test_svg_references_point_at_renamed_ids(fig, tmp_path):
    import re

    text = save_figure(fig, tmp_path / "f", formats=["svg"])[0].read_text(encoding="utf-8")
    ids = set(re.findall(r'id="([^"]+)"', text))
    refs = set(re.findall(r"url\(#([^)]+)\)", text))
    assert refs and refs <= ids
    assert not re.search(r'[#"][phm][0-9a-f]{10}[")]', text)


def test_stable_svg_ids_numbers_each_kind_in_order_of_first_use():
    svg = (
        '<g clip-path="url(#pbbbbbbbbbb)"/><g clip-path="url(#paaaaaaaaaa)"/>'
        '<use xlink:href="#m0123456789"/><clipPath id="paaaaaaaaaa"/>'
        '<clipPath id="pbbbbbbbbbb"/><image xlink:href="data:image/png;base64,+p0123456789+"/>'
    )
    assert stable_svg_ids(svg) == (
        '<g clip-path="url(#p1)"/><g clip-path="url(#p2)"/>'
        '<use xlink:href="#m1"/><clipPath id="p2"/>'
        '<clipPath id="p1"/><image xlink:href="data:image/png;base64,+p0123456789+"/>'
    )
