"""Two passages one above the other, the characters that differ highlighted.

:func:`plot_reuse` draws the aligned passages of a text-reuse pair under
:func:`~toolkit.plot.style.figure_style` (its CJK font), one character per
cell, and returns the :class:`~matplotlib.figure.Figure` it drew on.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from toolkit._validation import check_positive_int
from toolkit.plot._common import check_real, check_title
from toolkit.plot.style import FULL_WIDTH, styled

__all__ = ["DELETE_COLOR", "INSERT_COLOR", "REPLACE_COLOR", "plot_reuse"]

# Light tints of Okabe–Ito yellow, vermillion and sky blue: told apart with every
# common colour-vision deficiency (red against green is not), and light enough
# for the black characters drawn on them.
#: Highlight of characters that differ between the two passages (in both blocks).
REPLACE_COLOR = "#F0E442"
#: Highlight of characters only in the first passage (deleted from it).
DELETE_COLOR = "#F4B183"
#: Highlight of characters only in the second passage (inserted into it).
INSERT_COLOR = "#9ED3F2"

# Room beside the character grid, in inches: the figure is FULL_WIDTH wide and
# each of ``width`` characters per line gets an equal share of the rest.
_MARGIN = 0.3

_TAGS = {
    "replace": (REPLACE_COLOR, "替换 replaced"),
    "delete": (DELETE_COLOR, "删除 deleted (only in A)"),
    "insert": (INSERT_COLOR, "插入 inserted (only in B)"),
}


def _cells(text: str, width: int) -> list[tuple[int, int]]:
    """(row, column) of each character wrapped at ``width``; a newline ends its row."""
    cells = []
    row = col = 0
    for char in text:
        if col >= width:
            row, col = row + 1, 0
        cells.append((row, col))
        col += 1
        if char == "\n":
            row, col = row + 1, 0
    return cells


def _spans(
    opcodes: Sequence[tuple[str, int, int, int, int]], side: str
) -> list[tuple[str, int, int]]:
    """The (tag, start, end) of the differing spans of one side ("a" or "b")."""
    out = []
    for tag, i1, i2, j1, j2 in opcodes:
        start, end = (i1, i2) if side == "a" else (j1, j2)
        if tag != "equal" and end > start:
            out.append((tag, start, end))
    return out


def _draw_passage(
    ax: Any,
    text: str,
    spans: list[tuple[str, int, int]],
    width: int,
    rows: int,
    heading: str,
    fontsize: float,
) -> None:
    cells = _cells(text, width)
    for tag, start, end in spans:
        color = _TAGS[tag][0]
        # One rectangle per row the span covers.
        i = start
        while i < end:
            row, col = cells[i]
            j = i
            while j + 1 < end and cells[j + 1][0] == row:
                j += 1
            ax.add_patch(
                Rectangle(
                    (col, row),
                    cells[j][1] - col + 1,
                    1,
                    facecolor=color,
                    edgecolor="none",
                    gid=tag,
                    zorder=1,
                )
            )
            i = j + 1
    for char, (row, col) in zip(text, cells, strict=True):
        shown = {"\n": "↵", "\t": "→"}.get(char, char)
        ax.text(
            col + 0.5,
            row + 0.52,
            shown,
            ha="center",
            va="center",
            fontsize=fontsize,
            color="0.55" if shown != char else "black",
            zorder=2,
        )
    if not text:
        ax.text(0.1, 0.5, "(空 empty)", va="center", color="0.5")
    ax.set_xlim(0, width)
    ax.set_ylim(rows, 0)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("0.85")
    ax.set_title(heading, loc="left")


@styled
def plot_reuse(
    text_a: str,
    text_b: str,
    *,
    label_a: str = "",
    label_b: str = "",
    score: float | None = None,
    title: str | None = None,
    width: int = 40,
) -> Figure:
    """Draw two passages one above the other, with the characters that differ highlighted.

    The alignment is :class:`difflib.SequenceMatcher`'s (``autojunk=False``),
    character by character. Characters it matches are drawn plain; replaced
    characters are highlighted in yellow on both sides
    (:data:`REPLACE_COLOR`), characters only in ``text_a`` in light vermillion
    (:data:`DELETE_COLOR`) and characters only in ``text_b`` in light blue
    (:data:`INSERT_COLOR`): Okabe–Ito tints, safe for colour-blind readers.

    Parameters
    ----------
    text_a, text_b : str
        The two passages, e.g. ``text_a`` and ``text_b`` of a row of
        :func:`toolkit.similarity.reuse.find_reuse`'s table.
    label_a, label_b : str
        Shown above each block, after ``A`` and ``B`` (a doc_id, a town).
    score : float, optional
        The pair's reuse score, shown under the title.
    title : str, optional
        Figure title.
    width : int
        Characters per line; each character takes one cell, Chinese or not,
        and a newline (drawn as ``↵``) ends its line. The figure is 7 in wide
        whatever ``width`` is: at 40 (the default) a character is drawn at
        8.5 pt; above about 60 it gets too small to read in print.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes, labelled ``"a"`` and ``"b"``, in character cells: character
        ``i`` of a passage without newlines sits in the cell from
        ``(i % width, i // width)`` to one more in each direction (x to the
        right, y down). Each highlighted run is one
        :class:`~matplotlib.patches.Rectangle` per line it covers, with gid
        ``"replace"``, ``"delete"`` or ``"insert"``. A legend names the
        colours and the subtitle counts the characters that match.

    Raises
    ------
    TypeError
        If a passage or label is not a str, or ``score`` is not a number.
    ValueError
        If ``width`` is not a positive integer or ``score`` is not finite.

    Examples
    --------
    >>> fig = plot_reuse("沙棠镇推动联村全覆盖", "菱角乡推动联户全覆盖",
    ...                  label_a="沙棠镇", label_b="菱角乡", score=0.8)
    """
    for name, value in (
        ("text_a", text_a),
        ("text_b", text_b),
        ("label_a", label_a),
        ("label_b", label_b),
    ):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str (got {type(value).__name__})")
    check_positive_int("width", width)
    if score is not None:
        score = check_real("score", score)
    check_title(title)

    matcher = difflib.SequenceMatcher(None, text_a, text_b, autojunk=False)
    opcodes = matcher.get_opcodes()
    same = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag == "equal")
    rows = [max(1, _cells(t, width)[-1][0] + 1) if t else 1 for t in (text_a, text_b)]

    # Full width always: the cell shrinks with ``width`` (see the docstring) and the
    # figure grows downwards only, one cell per line, plus the headings and legend.
    cell = (FULL_WIDTH - _MARGIN) / width
    fontsize = min(10.0, cell * 72 * 0.7)
    fig = plt.figure(
        figsize=(FULL_WIDTH, (sum(rows) + 1) * cell + 1.1),
        layout="constrained",
    )
    spec = fig.add_gridspec(2, 1, height_ratios=rows)
    for k, (side, text, label) in enumerate((("a", text_a, label_a), ("b", text_b, label_b))):
        ax = fig.add_subplot(spec[k, 0], label=side)
        heading = f"{side.upper()}  {label}".rstrip() + f"  ({len(text)} 字 chars)"
        _draw_passage(ax, text, _spans(opcodes, side), width, rows[k], heading, fontsize)

    used = {tag for tag, *_ in opcodes if tag != "equal"}
    fig.legend(
        handles=[Patch(color=color, label=name) for tag, (color, name) in _TAGS.items()],
        loc="outside lower center",
        ncols=3,
        title=None if used else "两段完全相同 identical passages",
    )
    summary = f"相同 matching: {same} 字 chars"
    if score is not None:
        summary = f"得分 score = {score:.3g}   " + summary
    fig.suptitle(summary if title is None else f"{title}\n{summary}")
    return fig
