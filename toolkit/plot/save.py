"""Save figures so that the same figure gives the same bytes on every run."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
from matplotlib.figure import Figure

from toolkit._atomic import atomic_path
from toolkit._validation import check_choice

if TYPE_CHECKING:
    # Only for the checker: matplotlib.typing.RcKeyType is newer than matplotlib 3.7,
    # the lowest version the toolkit supports.
    from matplotlib.typing import RcKeyType

__all__ = ["FIGURE_FORMATS", "save_figure", "stable_svg_ids"]

#: Formats :func:`save_figure` can write deterministically.
FIGURE_FORMATS: tuple[str, ...] = ("png", "svg")

# Matplotlib stamps its version (PNG "Software") and the date (SVG "Date") into
# files by default; either would make two identical runs differ.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
}

# SVG clip-path and glyph ids are random unless salted; a fixed salt makes them stable.
_RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "tifa-toolkit",
    "svg.fonttype": "path",  # glyphs as outlines: the SVG renders without the font installed
    "svg.id": None,
}

# Matplotlib names clip paths, hatches and markers by a hash of their geometry
# at full float precision. A layout that lands on other last bits (it can, with
# the same input, depending on what the process drew before) gives other names
# for rectangles that are written identically, so the names are renumbered in
# order of appearance.
# Only whole attribute values and #references match, never base64 image data.
_SVG_HASHED_ID = re.compile(r'(?<=[#"])([phm])[0-9a-f]{10}(?=[")])')


def stable_svg_ids(svg: str) -> str:
    """Rename Matplotlib's hashed SVG ids (``p3f2a…``) to ``p1``, ``p2``, … in order of use.

    Parameters
    ----------
    svg : str
        The text of an SVG file written by Matplotlib.

    Returns
    -------
    str
        The same SVG with each hashed clip-path, hatch and marker id, and every
        reference to it, replaced by its kind and its rank of first appearance.

    Examples
    --------
    >>> stable_svg_ids('<g clip-path="url(#p0123456789)"/><clipPath id="p0123456789">')
    '<g clip-path="url(#p1)"/><clipPath id="p1">'
    """
    names: dict[str, str] = {}
    counts: dict[str, int] = {}

    def rename(match: re.Match[str]) -> str:
        old = match.group(0)
        if old not in names:
            kind = match.group(1)
            counts[kind] = counts.get(kind, 0) + 1
            names[old] = f"{kind}{counts[kind]}"
        return names[old]

    return _SVG_HASHED_ID.sub(rename, svg)


def save_figure(
    fig: Figure,
    path_without_suffix: str | Path,
    *,
    formats: Sequence[str] = FIGURE_FORMATS,
    dpi: int = 300,
) -> list[Path]:
    """Write ``fig`` once per format, with no dates or versions in the files.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save.
    path_without_suffix : str or Path
        Target path without extension; ``figures/counts_by_town`` gives
        ``figures/counts_by_town.png`` and ``figures/counts_by_town.svg``.
        Missing parent folders are created.
    formats : sequence of str
        Any of :data:`FIGURE_FORMATS`.
    dpi : int
        Resolution of raster formats: 300 by default, what journals ask of
        figures printed at their own size.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> [p.name for p in save_figure(fig, tmp / "empty")]  # doctest: +SKIP
    ['empty.png', 'empty.svg']
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure (got {type(fig).__name__})")
    if isinstance(formats, str):
        formats = (formats,)
    if not formats:
        raise ValueError(f"formats must name at least one of {set(FIGURE_FORMATS)} (got none)")
    for fmt in formats:
        check_choice("formats", fmt, FIGURE_FORMATS)
    base = Path(path_without_suffix)
    if base.suffix.lstrip(".").lower() in FIGURE_FORMATS:
        raise ValueError(
            f"path_without_suffix must not end in a format suffix (got {str(base)!r}); "
            f"pass {str(base.with_suffix(''))!r} and choose formats with formats="
        )
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with mpl.rc_context(_RC):
        for fmt in dict.fromkeys(formats):
            # with_name keeps dots inside the stem ("counts.v2") instead of replacing them.
            target = base.with_name(f"{base.name}.{fmt}")
            # Written under a temporary name and renamed: never a half-written figure.
            with atomic_path(target) as partial:
                fig.savefig(
                    partial,
                    format=fmt,
                    dpi=dpi,
                    # Cropped to the drawing with a hair of margin, so that a figure
                    # drawn 3.5 or 7 in wide is saved that wide (the default 0.1 in
                    # pad would add 0.2 in); nothing drawn outside the figure is cut.
                    bbox_inches="tight",
                    pad_inches=0.02,
                    metadata=_METADATA[fmt],
                )
                if fmt == "svg":
                    partial.write_text(
                        stable_svg_ids(partial.read_text(encoding="utf-8")), encoding="utf-8"
                    )
            written.append(target)
    return written
