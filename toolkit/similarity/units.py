"""Units and their pieces: which documents (or paragraphs) make each town, county, year.

A *unit* is one value of the docvar ``by``; its *pieces* are the rows whose
``by`` has that value. :func:`membership` is the units × pieces matrix every
representation sums through, :func:`unit_table` the docvars that are constant
within units, and :func:`group_labels` the unit-level docvar that the
permutation test shuffles. Units are compared as strings and sorted, so
``2022`` and ``"2022"`` are one unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from toolkit._ordering import label_order

__all__ = ["check_by", "group_labels", "membership", "names", "unit_table"]

# Units named in an error message before "… and N more".
_SHOWN = 20


def names(values: Iterable[Any]) -> str:
    """``values`` for an error message: the first 20, then how many more."""
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:_SHOWN])
    more = f" … and {len(values) - _SHOWN} more" if len(values) > _SHOWN else ""
    return f"[{shown}{more}]"


def check_by(docvars: pd.DataFrame, by: str, where: str = "the corpus") -> None:
    """Raise unless ``by`` is a docvar of ``docvars`` with a value for every row.

    Raises
    ------
    KeyError
        If there is no such docvar; the message lists those there are.
    ValueError
        If some rows have no value.
    """
    if by not in docvars.columns:
        raise KeyError(
            f"by: no docvar named {by!r} in {where}; available: {sorted(map(str, docvars.columns))}"
        )
    missing = docvars[by].isna().to_numpy()
    if missing.any():
        example = list(docvars.index[missing][:3])
        raise ValueError(
            f"by: docvar {by!r} is missing for {int(missing.sum())} documents "
            f"(e.g. {example}); fill it or subset those documents out first"
        )


def membership(docvars: pd.DataFrame, by: str) -> tuple[sp.csr_matrix, list[str]]:
    """Units × pieces, 1 where the piece belongs to the unit, and the units' labels.

    Returns
    -------
    (scipy.sparse.csr_matrix, list of str)
        The matrix, rows in the order of the labels: strings, numbers by value first
        (:func:`toolkit._ordering.label_order`).

    Raises
    ------
    ValueError
        If ``by`` gives fewer than two units.
    """
    labels = docvars[by].astype(str).to_numpy()
    units = label_order(labels)
    if len(units) < 2:
        raise ValueError(
            f"by={by!r} gives {len(units)} unit ({names(units)}); similarity "
            "needs at least two; group by a finer docvar"
        )
    row = {u: i for i, u in enumerate(units)}
    member = sp.csr_matrix(
        (np.ones(len(labels)), ([row[u] for u in labels], np.arange(len(labels)))),
        shape=(len(units), len(labels)),
    )
    return member, units


def unit_table(docvars: pd.DataFrame, by: str, units: list[str], sizes: np.ndarray) -> pd.DataFrame:
    """One row per unit: ``n_pieces`` and every docvar constant within every unit.

    The index is named ``by`` and holds ``units``, in their order.
    """
    labels = docvars[by].astype(str).to_numpy()
    table = pd.DataFrame({"n_pieces": sizes}, index=pd.Index(units, name=by))
    # 'document' and 'unit' are the bookkeeping columns of paragraph pieces.
    skip = {by, "document", "unit"}
    for name in docvars.columns:
        if name in skip:
            continue
        try:
            distinct = docvars[name].groupby(labels).nunique(dropna=False)
        except TypeError:  # list-valued docvars (reporters …) are not unit-level
            continue
        if (distinct <= 1).all():
            first = docvars[name].groupby(labels).first()
            table[name] = first.reindex(table.index).to_numpy()
    return table


def group_labels(docvars: pd.DataFrame, units: pd.DataFrame, by: str, groups: str) -> np.ndarray:
    """The value of the unit-level docvar ``groups`` for every unit, as strings.

    Parameters
    ----------
    docvars : pandas.DataFrame
        The docvars of the pieces.
    units : pandas.DataFrame
        The table :func:`unit_table` made of them.
    by, groups : str
        The docvar of the units, and the one that groups them.

    Raises
    ------
    KeyError
        If ``groups`` is not a docvar.
    ValueError
        If it varies within a unit, or is missing for some.
    """
    if not isinstance(groups, str) or groups not in docvars.columns:
        raise KeyError(
            f"groups: no docvar named {groups!r}; available: {sorted(map(str, docvars.columns))}"
        )
    if groups not in units.columns:
        labels = docvars[by].astype(str).to_numpy()
        try:
            distinct = docvars[groups].groupby(labels).nunique(dropna=False)
        except TypeError:
            distinct = pd.Series(dtype=int)
        mixed = list(distinct.index[distinct > 1])
        raise ValueError(
            f"groups: docvar {groups!r} is not constant within units of {by!r} "
            f"({len(mixed)} units have several values, e.g. {names(mixed[:3])}); "
            f"pick a docvar at the level of the units or above "
            f"(constant: {sorted(c for c in units.columns if c != 'n_pieces')})"
        )
    values = units[groups]
    if values.isna().any():
        missing = list(values.index[values.isna()])
        raise ValueError(
            f"groups: docvar {groups!r} is missing for {len(missing)} units "
            f"({names(missing)}); fill it first"
        )
    return values.astype(str).to_numpy()
