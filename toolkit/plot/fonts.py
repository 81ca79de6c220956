"""Make matplotlib render Chinese with a CJK font shipped by ``mplfonts``.

Matplotlib's default DejaVu Sans has no ideographs: without this every town name
would be drawn as empty boxes and matplotlib would warn "Glyph ... missing from font".
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

__all__ = ["CJK_FONT_FILES", "cjk_font_family", "cjk_font_path", "use_cjk_font"]

#: Font files looked for inside the ``mplfonts`` package, in order of preference.
CJK_FONT_FILES: tuple[str, ...] = (
    "NotoSansCJKsc-Regular.otf",
    "SourceHanSerifSC-Regular.otf",
    "NotoSerifCJKsc-Regular.otf",
)


@functools.cache
def cjk_font_path() -> Path:
    """Return the path of the CJK font file shipped with ``mplfonts``.

    Returns
    -------
    pathlib.Path
        The first of :data:`CJK_FONT_FILES` found in the package's ``fonts`` folder.

    Raises
    ------
    ModuleNotFoundError
        If ``mplfonts`` is not installed.
    FileNotFoundError
        If none of the expected font files is present.
    """
    # find_spec locates the package without importing it: importing mplfonts
    # pulls in its own font-management helpers, which we do not need.
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "mplfonts is not installed; it ships the CJK font used for Chinese labels. "
            "Install it with: pip install mplfonts"
        )
    searched = []
    for location in spec.submodule_search_locations:
        folder = Path(location) / "fonts"
        for name in CJK_FONT_FILES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        searched.append(str(folder))
    raise FileNotFoundError(
        f"no CJK font found in mplfonts; looked for {list(CJK_FONT_FILES)} in {searched}. "
        "Reinstall mplfonts: pip install --force-reinstall mplfonts"
    )


@functools.cache
def _register() -> str:
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def cjk_font_family() -> str:
    """Register the CJK font with matplotlib (once per process) and return its family name.

    Unlike :func:`use_cjk_font` this changes no rcParams: the figure style of
    :func:`~toolkit.plot.figure_style` names the family inside its own context.

    Returns
    -------
    str
        The font family name, e.g. ``"Noto Sans CJK SC"``.

    Examples
    --------
    >>> cjk_font_family()
    'Noto Sans CJK SC'
    """
    return _register()


def use_cjk_font() -> str:
    """Register the CJK font with matplotlib and make it the default sans-serif font.

    This changes the global rcParams, for a user's own figures; the toolkit's
    plotting functions do not call it (they draw under
    :func:`~toolkit.plot.figure_style`, which restores the rcParams).
    The font file is registered once per process; the rcParams are set on every
    call, so a later ``plt.style.use`` or ``rcdefaults`` cannot leave plots
    without Chinese glyphs. Other sans-serif fonts stay in the list as fallbacks.

    Returns
    -------
    str
        The font family name, e.g. ``"Noto Sans CJK SC"``.

    Examples
    --------
    >>> use_cjk_font()
    'Noto Sans CJK SC'
    """
    family = _register()
    others = [f for f in mpl.rcParams["font.sans-serif"] if f != family]
    mpl.rcParams["font.sans-serif"] = [family, *others]
    mpl.rcParams["font.family"] = ["sans-serif"]
    # Some CJK fonts (SimHei, for one) lack U+2212 MINUS SIGN; the ASCII hyphen is
    # drawn the same whichever CJK font a user swaps in.
    mpl.rcParams["axes.unicode_minus"] = False
    return family
