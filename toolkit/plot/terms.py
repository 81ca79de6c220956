"""Figures for official terms: keyness bars and the when-and-where timeline.

Both functions draw under :func:`~toolkit.plot.style.figure_style` (Chinese
term labels in the CJK font), order everything explicitly (by
statistic, then by name) so one table always gives one picture, and return the
:class:`~matplotlib.figure.Figure` they drew on.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from toolkit._validation import check_choice, check_positive_int
from toolkit.plot._common import (
    check_frame,
    check_title,
    figure_of,
    group_colors,
    new_axes,
    no_data,
    top_down,
)
from toolkit.plot.style import COLUMN_WIDTH, FULL_WIDTH, SINGLE_COLOR, styled
from toolkit.terms.keyness import MEASURES

if TYPE_CHECKING:
    # Only for the checker: matplotlib.typing is newer than matplotlib 3.7, the
    # lowest version the toolkit supports.
    from matplotlib.typing import ColorType

__all__ = ["REFERENCE_COLOR", "TARGET_COLOR", "plot_keyness", "plot_term_timeline"]

#: Bar colour of features over-used in the target documents (Okabe–Ito vermillion).
TARGET_COLOR = "#D55E00"
#: Bar colour of features over-used in the reference documents (Okabe–Ito blue).
REFERENCE_COLOR = "#0072B2"

_MEASURE_LABELS = {"g2": "G² (signed log-likelihood)", "chi2": "χ² (signed, Yates)"}
_TIMES = ("year", "month")
# Largest marker area in points²; areas are proportional to document counts.
# 150 pt² is a dot 14 pt across: it fits a timeline row (0.22 in, 16 pt).
_MAX_AREA = 150.0
# Upright 7 pt period labels that fit side by side in the plot area of a
# full-width figure (about 5 in beside the term labels and the legends).
_MAX_LABELS = 30


# Terms shown by plot_term_timeline when neither terms nor n is given.
_DEFAULT_N = 10


def _height(rows: int, per_row: float, extra: float) -> float:
    """Figure height, in inches, of a chart with one row per term: ``per_row`` inches
    each, plus ``extra`` for the title and the x axis."""
    return min(extra + per_row * max(rows, 1), 40.0)


@styled
def plot_keyness(
    table: pd.DataFrame,
    *,
    n: int = 10,
    measure: str | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Draw the features most over-used on each side of a keyness table.

    Parameters
    ----------
    table : pandas.DataFrame
        The result of :func:`toolkit.terms.keyness.keyness` (at least the
        ``feature`` column and the ``measure`` column).
    n : int
        Features to show on each side: the ``n`` with the largest positive
        statistic (over-used in the target) and the ``n`` with the most
        negative one (over-used in the reference). Features scoring 0 are not
        drawn.
    measure : {'g2', 'chi2'}, optional
        The statistic for bar length. Defaults to the one ``keyness`` sorted
        by (``table.attrs["measure"]``), else ``"g2"``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        Target features at the top, strongest first; reference features below,
        strongest at the bottom; one bar per feature, labelled on the y axis.

    Examples
    --------
    >>> table = pd.DataFrame({"feature": ["共建共治共享", "两委", "一岗双责"],
    ...                       "g2": [32.7, 0.6, -29.4]})
    >>> fig = plot_keyness(table, n=5, title="苇川县 vs 砚溪县")
    """
    check_frame("table", table)
    check_positive_int("n", n)
    if measure is None:
        measure = table.attrs.get("measure", "g2")
    check_choice("measure", measure, MEASURES)
    check_title(title)
    for column in ("feature", measure):
        if column not in table.columns:
            raise ValueError(
                f"table must have a {column!r} column, as keyness() returns; "
                f"columns: {list(table.columns)}"
            )
    scores = pd.DataFrame(
        {"feature": table["feature"].astype(str), "stat": pd.to_numeric(table[measure])}
    )
    positive = scores[scores["stat"] > 0].sort_values(
        ["stat", "feature"], ascending=[False, True], kind="mergesort"
    )
    negative = scores[scores["stat"] < 0].sort_values(
        ["stat", "feature"], ascending=[True, True], kind="mergesort"
    )
    # Reference rows run from weakest to strongest, so the strongest sits at the bottom.
    shown = pd.concat([positive.head(n), negative.head(n).iloc[::-1]], ignore_index=True)

    ax = new_axes(ax, (COLUMN_WIDTH, _height(len(shown), 0.16, 0.9)))
    positions = np.arange(len(shown))
    values = shown["stat"].to_numpy(dtype=float)
    colors = [TARGET_COLOR if v > 0 else REFERENCE_COLOR for v in values]
    ax.barh(positions, values, color=colors)
    ax.set_yticks(positions, shown["feature"].tolist())
    top_down(ax)
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.set_xlabel(_MEASURE_LABELS[measure])
    if len(shown):
        ax.legend(
            handles=[
                Patch(color=TARGET_COLOR, label="目标 target"),
                Patch(color=REFERENCE_COLOR, label="参照 reference"),
            ],
            loc="lower right",
        )
    else:
        no_data(ax)
    if title is not None:
        ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return figure_of(ax)


def _periods(frame: pd.DataFrame, time: str) -> tuple[pd.Series, list]:
    """Each row's period, and every period from the first to the last, in order."""
    columns = list(frame.columns)
    if time == "year" and "year" in columns:
        raw, source = frame["year"], "year"
    elif "date" in columns:
        raw, source = frame["date"], "date"
    else:
        need = "a 'year' or 'date' column" if time == "year" else "a 'date' column"
        raise ValueError(f"time={time!r} needs {need} in detections; columns: {columns}")
    if raw.empty:
        return pd.Series([], dtype=object), []
    missing = raw.isna().to_numpy()
    if missing.any():
        examples = frame.loc[missing, "doc_id"].drop_duplicates().tolist()[:5]
        raise ValueError(
            f"{int(missing.sum())} rows of detections have no {source!r} (e.g. doc_ids "
            f"{examples}); fill it or drop those rows first"
        )
    if source == "year":
        years = pd.to_numeric(raw, errors="coerce")
        if years.isna().any() or not (years % 1 == 0).all():
            bad = raw[years.isna() | (years % 1 != 0)].tolist()[:3]
            raise ValueError(f"year must hold whole numbers (got {bad})")
        period = years.astype("int64")
        return period, list(range(int(period.min()), int(period.max()) + 1))
    try:
        dates = pd.to_datetime(raw, format="mixed")
    except (ValueError, TypeError) as err:
        raise ValueError(f"date must hold dates such as '2022-03-18' ({err})") from None
    if time == "year":
        period = dates.dt.year.astype("int64")
        return period, list(range(int(period.min()), int(period.max()) + 1))
    months = dates.dt.to_period("M")
    return months, list(pd.period_range(months.min(), months.max(), freq="M"))


def _dot(color: ColorType, size: float, label: str) -> Line2D:
    # scatter's s= is an area in points², a legend marker's size a diameter: size = sqrt(s).
    return Line2D([], [], linestyle="", marker="o", markersize=size, color=color, label=label)


@styled
def plot_term_timeline(
    detections: pd.DataFrame,
    *,
    time: str = "year",
    terms: Iterable[str] | None = None,
    n: int | None = None,
    by: str | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    top: int | None = None,
) -> Figure:
    """Draw when, and optionally where, each term is used: one row per term.

    Parameters
    ----------
    detections : pandas.DataFrame
        The long table a term detector's ``detect()`` returns: one row per
        (document, term) with ``doc_id``, ``term``, optionally ``count`` (rows
        with a count of 0 are not uses) and the docvars, among them ``year``
        (int) or ``date`` (a date string or datetime).
    time : {'year', 'month'}
        The period on the x axis. ``"year"`` reads the ``year`` column, or the
        year of ``date``; ``"month"`` reads ``date``. Every period from the
        first to the last is shown, those without uses too.
    terms : iterable of str, optional
        The terms to show, top to bottom; a term never used gets an empty row.
        By default the ``n`` terms used by the most documents (ties by name).
    n : int, optional
        How many terms to show when ``terms`` is not given; 10 by default.
    by : str, optional
        A docvar such as ``"county"``. Each marker is then coloured by the
        group with the most documents in that cell (ties go to the name that
        sorts first) and a legend names the groups: the diffusion view of
        where a term appears first and where it spreads. Colours are assigned
        to groups in sorted order and repeat beyond 20 groups.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.
    title : str, optional
        Axes title.
    top : int, optional
        The old name of ``n`` (rows are counted with ``n`` everywhere); it
        still works for one release, with a ``FutureWarning``.

    Returns
    -------
    matplotlib.figure.Figure
        Marker area is proportional to the number of documents using the term
        in the period; a second legend gives the scale.

    Examples
    --------
    >>> detections = pd.DataFrame({
    ...     "doc_id": ["a", "b", "b", "c"],
    ...     "term": ["共建共治共享", "共建共治共享", "一线工作法", "一线工作法"],
    ...     "count": [2, 1, 1, 3],
    ...     "year": [2021, 2022, 2022, 2023],
    ...     "county": ["苇川县", "砚溪县", "砚溪县", "苇川县"],
    ... })
    >>> fig = plot_term_timeline(detections, by="county")
    """
    check_frame("detections", detections)
    check_choice("time", time, _TIMES)
    if top is not None:
        if n is not None:
            raise TypeError(f"pass n only; top is its old name (got n={n!r}, top={top!r})")
        warnings.warn(
            "plot_term_timeline(top=...) is renamed plot_term_timeline(n=...); top will be "
            "removed in the next release",
            FutureWarning,
            stacklevel=2,
        )
        n = top
    if n is None:
        n = _DEFAULT_N
    check_positive_int("n", n)
    check_title(title)
    missing = [c for c in ("doc_id", "term") if c not in detections.columns]
    if missing:
        raise ValueError(
            f"detections must have columns 'doc_id' and 'term' (missing {missing}); "
            f"columns: {list(detections.columns)}"
        )
    if by is not None:
        check_choice("by", by, [c for c in detections.columns if c not in ("doc_id", "term")])
    if isinstance(terms, str):
        raise TypeError(f"terms must be an iterable of str, not a single str; pass [{terms!r}]")

    uses = detections
    if "count" in uses.columns:
        uses = uses[pd.to_numeric(uses["count"]) > 0]
    period, periods = _periods(uses, time)
    cells = pd.DataFrame(
        {"doc_id": uses["doc_id"].to_numpy(), "term": uses["term"].astype(str).to_numpy()}
    )
    cells["period"] = period.to_numpy()
    if by is not None:
        cells["group"] = uses[by].astype("string").fillna("<missing>").to_numpy()

    if terms is None:
        per_term = cells.groupby("term")["doc_id"].nunique()
        ranked = sorted(per_term.items(), key=lambda kv: (-kv[1], kv[0]))
        rows = [term for term, _ in ranked[:n]]
    else:
        rows = list(dict.fromkeys(str(t) for t in terms))
    cells = cells[cells["term"].isin(rows)]

    # Full width: the term labels, the periods and two legends beside them do not
    # fit one column. Upright month labels need 0.6 in below the axis.
    ax = new_axes(ax, (FULL_WIDTH, _height(len(rows), 0.22, 1.4 if time == "month" else 1.0)))
    row_of = {term: i for i, term in enumerate(rows)}
    col_of = {p: i for i, p in enumerate(periods)}
    docs = cells.groupby(["term", "period"])["doc_id"].nunique()
    largest = int(docs.max()) if len(docs) else 0
    scale = _MAX_AREA / max(largest, 3)  # a lone document must not fill a whole cell

    x = [col_of[p] for _, p in docs.index]
    y = [row_of[t] for t, _ in docs.index]
    sizes = docs.to_numpy(dtype=float) * scale
    if by is None:
        ax.scatter(x, y, s=sizes, color=SINGLE_COLOR, alpha=0.85, linewidths=0)
    else:
        colors = group_colors(cells["group"])
        per_group = cells.groupby(["term", "period", "group"])["doc_id"].nunique()
        leader = {
            key: min(sub.items(), key=lambda kv: (-kv[1], kv[0][2]))[0][2]
            for key, sub in per_group.groupby(level=["term", "period"])
        }
        ax.scatter(
            x,
            y,
            s=sizes,
            color=[colors[leader[key]] for key in docs.index],
            alpha=0.85,
            linewidths=0,
        )
        used = sorted(set(leader.values()))
        group_legend = ax.legend(
            handles=[_dot(colors[g], 8.0, g) for g in used],
            title=by,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
        )
        ax.add_artist(group_legend)

    ax.set_yticks(range(len(rows)), rows)
    labels = [str(p) for p in periods]
    ax.set_xticks(range(len(periods)), labels, rotation=90 if time == "month" else 0)
    if len(periods) > _MAX_LABELS:
        # A decade of monthly labels would overlap even on the widest figure.
        step = int(np.ceil(len(periods) / _MAX_LABELS))
        for i, label in enumerate(ax.get_xticklabels()):
            label.set_visible(i % step == 0)
    ax.set_xlim(-0.6, max(len(periods), 1) - 0.4)
    ax.set_ylim(-0.6, max(len(rows), 1) - 0.4)
    top_down(ax)
    ax.grid(True, color="0.92", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_xlabel({"year": "年份 year", "month": "月份 month"}[time])
    if largest:
        steps = sorted({1, max(1, largest // 2), largest})
        ax.legend(
            handles=[_dot("0.5", float(np.sqrt(v * scale)), str(v)) for v in steps],
            title="文档数 documents",
            loc="lower left",
            bbox_to_anchor=(1.01, 0.0),
            labelspacing=1.2,
        )
    else:
        no_data(ax)
    if title is not None:
        ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return figure_of(ax)
