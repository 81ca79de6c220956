"""reuse_network: who copies from whom, summed from passages to units (towns, counties)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from toolkit.corpus import Corpus

__all__ = ["NETWORK_COLUMNS", "reuse_network"]

#: Columns of the table :func:`reuse_network` returns, in order.
NETWORK_COLUMNS = (
    "unit_a",
    "unit_b",
    "passages",
    "chars",
    "distinctive",
    "boilerplate",
    "earlier_a",
    "earlier_b",
    "undated",
)

_NEEDED = ("doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "boilerplate", "earlier")
_MISSING = "<missing>"


def _unit_of(
    passages: pd.DataFrame, by: str, corpus: Corpus | None
) -> tuple[pd.Series, pd.Series, Mapping[str, str]]:
    """The unit of ``doc_a`` and ``doc_b`` of every passage, and a doc_id -> unit map."""
    if corpus is None:
        columns = [f"{by}_a", f"{by}_b"]
        if by == "doc_id":
            lookup = {d: d for d in pd.concat([passages["doc_a"], passages["doc_b"]])}
            return passages["doc_a"], passages["doc_b"], lookup
        if all(c in passages.columns for c in columns):
            lookup = dict(zip(passages["doc_a"], passages[columns[0]], strict=True))
            lookup.update(zip(passages["doc_b"], passages[columns[1]], strict=True))
            return passages[columns[0]], passages[columns[1]], lookup
        raise ValueError(
            f"reuse_network needs the corpus to find each document's {by!r} "
            f"(or columns {columns} in passages); pass corpus=..."
        )
    if by == "doc_id":
        lookup = {d: d for d in corpus.doc_ids}
    else:
        if by not in corpus.docvars.columns:
            raise KeyError(
                f"reuse_network: no docvar named {by!r}; "
                f"available: {sorted(corpus.docvars.columns)}"
            )
        # Read meta, not the docvars table, where ints with gaps become floats.
        lookup = {d.doc_id: str(d.meta[by]) if by in d.meta else _MISSING for d in corpus}
    unknown = sorted(set(passages["doc_a"]).union(passages["doc_b"]) - set(lookup))
    if unknown:
        raise KeyError(
            f"reuse_network: {len(unknown)} doc_ids of passages are not in the corpus "
            f"(e.g. {unknown[:5]})"
        )
    return passages["doc_a"].map(lookup), passages["doc_b"].map(lookup), lookup


def reuse_network(
    passages: pd.DataFrame, by: str = "town", *, corpus: Corpus | None = None
) -> pd.DataFrame:
    """Summarise reused passages into a unit-to-unit table.

    Parameters
    ----------
    passages : pandas.DataFrame
        The output of :func:`~toolkit.similarity.reuse.find_reuse`.
    by : str, default 'town'
        The docvar that defines a unit (``'town'``, ``'county'``,
        ``'province'`` …), or ``'doc_id'`` for one unit per document.
    corpus : Corpus, optional
        Where each document's ``by`` is looked up. Not needed when
        ``by='doc_id'`` or when ``passages`` has columns ``<by>_a`` and
        ``<by>_b``. A document without the docvar counts as unit ``'<missing>'``.

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair of units that share at least one passage,
        ``unit_a <= unit_b``; a unit paired with itself (two towns' worth of
        articles from one town) is a row with ``unit_a == unit_b``. Sorted by
        ``passages`` (most first), then ``unit_a`` and ``unit_b``. Columns:

        ``unit_a``, ``unit_b`` (str)
        ``passages`` (int)
            Passage rows between documents of the two units.
        ``chars`` (int)
            Characters reused, counting each passage by its shorter copy.
        ``distinctive``, ``boilerplate`` (int)
            Passages with ``boilerplate`` False and True.
        ``earlier_a``, ``earlier_b`` (int)
            Passages whose earlier document (the ``earlier`` column) belongs
            to ``unit_a`` or ``unit_b``: the direction hint. For a unit paired
            with itself every dated passage counts in ``earlier_a``.
        ``undated`` (int)
            Passages without a direction hint.

    Raises
    ------
    TypeError
        If ``passages`` is not a DataFrame.
    ValueError
        If ``passages`` lacks a column of the ``find_reuse`` output, or the
        units cannot be found without ``corpus``.
    KeyError
        If ``by`` is not a docvar of ``corpus``, or a passage's document is not
        in it.

    Examples
    --------
    >>> import pandas as pd
    >>> passages = pd.DataFrame({
    ...     "doc_a": ["a1", "a1"], "doc_b": ["b1", "b2"],
    ...     "start_a": [0, 50], "end_a": [60, 120], "start_b": [10, 0], "end_b": [72, 66],
    ...     "boilerplate": [False, True], "earlier": ["a1", None],
    ...     "town_a": ["沙棠镇", "沙棠镇"], "town_b": ["菱角乡", "菱角乡"],
    ... })
    >>> reuse_network(passages, by="town").iloc[0].to_dict()
    {'unit_a': '沙棠镇', 'unit_b': '菱角乡', 'passages': 2, 'chars': 126, 'distinctive': 1, \
'boilerplate': 1, 'earlier_a': 1, 'earlier_b': 0, 'undated': 1}
    """
    if not isinstance(passages, pd.DataFrame):
        raise TypeError(
            f"passages must be a pandas.DataFrame from find_reuse (got {type(passages).__name__})"
        )
    missing = [c for c in _NEEDED if c not in passages.columns]
    if missing:
        raise ValueError(
            f"passages is missing columns {missing} (expected the output of find_reuse)"
        )
    if not isinstance(by, str) or not by:
        raise TypeError(f"by must be a docvar name (got {by!r})")
    if corpus is not None and not isinstance(corpus, Corpus):
        raise TypeError(f"corpus must be a toolkit.Corpus (got {type(corpus).__name__})")

    raw_a, raw_b, lookup = _unit_of(passages, by, corpus)
    unit_a = raw_a.fillna(_MISSING).astype(str).to_numpy()
    unit_b = raw_b.fillna(_MISSING).astype(str).to_numpy()
    # A list, not Series.map: pandas 3 would turn the None of undated rows into NaN.
    earlier = [
        str(lookup.get(d, _MISSING)) if isinstance(d, str) else None for d in passages["earlier"]
    ]
    records: dict[tuple[str, str], dict[str, Any]] = {}
    lengths = (
        pd.concat(
            [passages["end_a"] - passages["start_a"], passages["end_b"] - passages["start_b"]],
            axis=1,
        )
        .min(axis=1)
        .to_numpy()
    )
    for ua, ub, length, flag, first in zip(
        unit_a, unit_b, lengths, passages["boilerplate"].to_numpy(), earlier, strict=True
    ):
        low, high = (ua, ub) if ua <= ub else (ub, ua)
        row = records.setdefault(
            (low, high), {c: 0 for c in NETWORK_COLUMNS[2:]} | {"unit_a": low, "unit_b": high}
        )
        row["passages"] += 1
        row["chars"] += int(length)
        row["boilerplate" if flag else "distinctive"] += 1
        if first is None:
            row["undated"] += 1
        elif first == low:
            row["earlier_a"] += 1
        else:
            row["earlier_b"] += 1
    table = pd.DataFrame(list(records.values()), columns=list(NETWORK_COLUMNS))
    table = table.astype({c: "int64" for c in NETWORK_COLUMNS[2:]})
    table = table.sort_values(
        ["passages", "unit_a", "unit_b"], ascending=[False, True, True], kind="stable"
    )
    return table.reset_index(drop=True)
