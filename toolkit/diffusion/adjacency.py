"""Neighbour relations between units: the built-in province adjacency, or a user's table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib.resources import files
from typing import Any

import pandas as pd

__all__ = ["ADJACENCY_COLUMNS", "neighbors_of", "province_adjacency"]

#: Columns of an adjacency table: one row per pair of neighbouring units.
ADJACENCY_COLUMNS = ("unit", "neighbor")


def province_adjacency() -> pd.DataFrame:
    """Land borders between China's province-level divisions (``toolkit/data``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ADJACENCY_COLUMNS`, one row per bordering pair, each pair
        once. Names are full official names (河北省, 内蒙古自治区). Hainan has no
        land neighbour and no row.

    Examples
    --------
    >>> sorted(neighbors_of(province_adjacency())["北京市"])
    ['天津市', '河北省']
    """
    path = files("toolkit") / "data" / "province_adjacency.tsv"
    with path.open(encoding="utf-8") as fh:
        frame = pd.read_csv(fh, sep="\t", comment="#", dtype=str)
    return frame[list(ADJACENCY_COLUMNS)]


def neighbors_of(adjacency: Any) -> dict[str, frozenset[str]]:
    """Each unit's neighbours, symmetric, from a table or a mapping.

    Parameters
    ----------
    adjacency : pandas.DataFrame or mapping of str to iterable of str
        A table with columns ``unit`` and ``neighbor`` (one row per pair, in
        either direction), or ``{unit: [neighbours]}``.

    Raises
    ------
    TypeError
        If ``adjacency`` is neither.
    ValueError
        If the table lacks a column.
    """
    pairs: Iterable[tuple[Any, Any]]
    if isinstance(adjacency, pd.DataFrame):
        missing = [c for c in ADJACENCY_COLUMNS if c not in adjacency.columns]
        if missing:
            raise ValueError(
                f"adjacency is missing column(s) {missing}; it needs {list(ADJACENCY_COLUMNS)}, "
                f"one row per pair of neighbouring units (columns present: "
                f"{list(adjacency.columns)})"
            )
        pairs = zip(adjacency["unit"], adjacency["neighbor"], strict=True)
    elif isinstance(adjacency, Mapping):
        pairs = [(u, n) for u, ns in adjacency.items() for n in ns]
    else:
        raise TypeError(
            "adjacency must be a DataFrame with columns 'unit' and 'neighbor' or a mapping "
            f"from unit to its neighbours (got {type(adjacency).__name__})"
        )
    out: dict[str, set[str]] = {}
    for a, b in pairs:
        a, b = str(a), str(b)
        if a == b:
            continue
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return {unit: frozenset(ns) for unit, ns in out.items()}
