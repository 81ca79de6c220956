"""The CJK font: found inside mplfonts, registered once, and covering policy vocabulary."""

from __future__ import annotations

import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager, ft2font

from toolkit.plot import cjk_font_path, use_cjk_font

WORDS = ["河塘镇", "柳湾街道", "共建共治共享", "一岗双责", "最后一公里", "“两委”", "（试行）"]


def test_font_ships_with_mplfonts():
    path = cjk_font_path()
    assert path.is_file()
    assert "mplfonts" in path.parts
    assert path.suffix in {".otf", ".ttf"}


def test_font_file_has_the_glyphs():
    charmap = ft2font.FT2Font(str(cjk_font_path())).get_charmap()
    missing = sorted({ch for word in WORDS for ch in word if ord(ch) not in charmap})
    assert missing == []


def test_use_cjk_font_sets_rcparams_and_registers_once():
    family = use_cjk_font()
    n_fonts = len(font_manager.fontManager.ttflist)
    assert use_cjk_font() == family
    assert len(font_manager.fontManager.ttflist) == n_fonts
    assert family == font_manager.FontProperties(fname=str(cjk_font_path())).get_name()
    assert mpl.rcParams["font.sans-serif"][0] == family
    assert mpl.rcParams["font.family"] == ["sans-serif"]
    assert mpl.rcParams["axes.unicode_minus"] is False


def test_use_cjk_font_survives_rcdefaults():
    use_cjk_font()
    with mpl.rc_context():
        mpl.rcdefaults()
        family = use_cjk_font()
        assert mpl.rcParams["font.sans-serif"][0] == family


def _draw(text: str) -> list[warnings.WarningMessage]:
    fig, ax = plt.subplots()
    ax.set_title(text)
    ax.set_xlabel(text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    return [w for w in caught if "missing from font" in str(w.message)]


def test_default_font_would_miss_glyphs():
    # Control: proves the check below can fail, i.e. glyph lookup really happens.
    with mpl.rc_context({"font.family": ["DejaVu Sans"]}):
        assert _draw("河塘镇")


@pytest.mark.parametrize("word", WORDS)
def test_cjk_font_draws_without_missing_glyphs(word):
    use_cjk_font()
    assert _draw(word) == []
