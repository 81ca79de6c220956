"""to_networkx: neighbour and reuse tables as networkx graphs, to write for Gephi.

:func:`to_networkx` reads either table the similarity package writes and
knows it by its columns: the neighbours of :meth:`SimilarityIndex.neighbors`
and :meth:`SimilarityIndex.top_neighbors`, or the unit pairs of
:func:`toolkit.similarity.reuse.reuse_network`. The graph it returns can go
straight to ``networkx.write_gexf`` (Gephi) or ``networkx.write_graphml``:
every attribute value is a ``str``, ``int``, ``float`` or ``bool``.

networkx is imported when a graph is built, not with this module.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import networkx

__all__ = ["NEIGHBOR_COLUMNS", "REUSE_COLUMNS", "to_networkx"]

#: The columns that make a table a neighbours table (``unit`` may be in ``attrs``).
NEIGHBOR_COLUMNS = ("unit", "neighbor", "similarity")
#: The columns that make a table a reuse network.
REUSE_COLUMNS = ("unit_a", "unit_b", "passages")

# What each kind of table joins, and the column its edges are weighted by.
_ENDS = {"neighbors": ("unit", "neighbor"), "reuse": ("unit_a", "unit_b")}
_WEIGHT = {"neighbors": "similarity", "reuse": "passages"}


def to_networkx(
    table: pd.DataFrame, *, weight: str | None = None, nodes: pd.DataFrame | None = None
) -> networkx.Graph:
    """An undirected graph of units, from a neighbours table or a reuse network.

    Parameters
    ----------
    table : pandas.DataFrame
        Either a neighbours table, columns ``unit``, ``neighbor``,
        ``similarity`` (:meth:`SimilarityIndex.top_neighbors`; the table of
        :meth:`SimilarityIndex.neighbors` names its unit in
        ``attrs["unit"]``), or a reuse network, columns ``unit_a``,
        ``unit_b``, ``passages`` (:func:`~toolkit.similarity.reuse.reuse_network`).
        Other columns (``rank``, ``chars``, ``distinctive``, ``terms`` …)
        are kept as edge attributes.
    weight : str, optional
        The numeric column copied, as a float, into each edge's ``weight``
        (the edge weight Gephi reads from GEXF). Default ``similarity`` for
        neighbours, ``passages`` for reuse.
    nodes : pandas.DataFrame, optional
        Node attributes, one row per node, indexed by the unit names (the
        ``units_`` of a :class:`SimilarityIndex`). Every row becomes a node,
        with or without edges.

    Returns
    -------
    networkx.Graph
        Nodes are the units. A pair two neighbour rows name in both
        directions is one edge, with the values of its better-ranked row and
        ``mutual=True`` (``False`` for a pair named once). A unit paired
        with itself in a reuse network is a self-loop. Attribute values are
        ``str``, ``int``, ``float`` or ``bool``: numpy scalars become Python
        ones, dates ISO strings, lists ``|``-joined strings, other objects
        their ``str``; missing values are left out. ``graph.graph`` holds the
        table's scalar ``attrs`` (``by``, ``metric`` …).

    Raises
    ------
    TypeError
        If ``table`` or ``nodes`` is not a DataFrame.
    ValueError
        If ``table`` has neither set of columns, ``weight`` is not one of its
        numeric columns, or a unit is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"unit": ["甲镇", "乙镇"], "neighbor": ["乙镇", "甲镇"],
    ...                       "similarity": [0.5, 0.5], "rank": [1, 1]})
    >>> graph = to_networkx(table)
    >>> graph.edges["甲镇", "乙镇"]
    {'similarity': 0.5, 'rank': 1, 'mutual': True, 'weight': 0.5}
    """
    import networkx as nx

    if not isinstance(table, pd.DataFrame):
        raise TypeError(
            "table must be a pandas.DataFrame from SimilarityIndex.top_neighbors() or "
            f"reuse_network() (got {type(table).__name__})"
        )
    kind = _kind(table)
    attrs = dict(table.attrs)
    if kind == "neighbors" and "unit" not in table.columns:
        table = table.assign(unit=table.attrs["unit"])[["unit", *table.columns]]
    weight = _WEIGHT[kind] if weight is None else weight
    numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
    if weight not in numeric:
        raise ValueError(
            f"weight must be one of the table's numeric columns {numeric} (got {weight!r})"
        )
    ends = _ENDS[kind]
    for column in ends:
        if table[column].isna().any():
            raise ValueError(f"table has missing units in column {column!r}")
    if kind == "neighbors" and "rank" in table.columns:
        # The better-ranked row of a pair named twice gives the edge its values.
        table = table.sort_values("rank", kind="stable")

    graph = nx.Graph()
    graph.graph.update(_scalars(attrs))
    if nodes is not None:
        if not isinstance(nodes, pd.DataFrame):
            raise TypeError(
                f"nodes must be a pandas.DataFrame indexed by unit (got {type(nodes).__name__})"
            )
        node_attributes = _records(nodes)
        for node, attributes in zip(nodes.index, node_attributes, strict=True):
            graph.add_node(_plain(node), **attributes)

    others = [c for c in table.columns if c not in ends]
    weights = table[weight].to_numpy(dtype=float)
    sources = [_plain(u) for u in table[ends[0]]]
    targets = [_plain(u) for u in table[ends[1]]]
    for a, b, w, attributes in zip(sources, targets, weights, _records(table[others]), strict=True):
        if graph.has_edge(a, b):
            if kind == "neighbors":
                graph.edges[a, b]["mutual"] = True
            continue
        if kind == "neighbors":
            attributes["mutual"] = False
        attributes["weight"] = float(w)
        graph.add_edge(a, b, **attributes)
    return graph


def _kind(table: pd.DataFrame) -> str:
    columns = set(table.columns)
    reuse = set(REUSE_COLUMNS) <= columns
    neighbors = {"neighbor", "similarity"} <= columns and (
        "unit" in columns or "unit" in table.attrs
    )
    if reuse and not neighbors:
        return "reuse"
    if neighbors and not reuse:
        return "neighbors"
    problem = "both" if reuse else "neither"
    raise ValueError(
        f"table must be a neighbours table (columns {list(NEIGHBOR_COLUMNS)}, as "
        "SimilarityIndex.top_neighbors() returns) or a reuse network (columns "
        f"{list(REUSE_COLUMNS)}, as reuse_network() returns); it has {problem} "
        f"(columns: {list(map(str, table.columns))})"
    )


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """One attribute dict per row; missing values left out, so GEXF/GraphML omit them."""
    columns = {str(name): _values(frame[name]) for name in frame.columns}
    return [
        {name: values[i] for name, values in columns.items() if values[i] is not None}
        for i in range(len(frame))
    ]


def _values(column: pd.Series) -> list[Any]:
    """A column as Python values of one type, the column's, so GraphML gives it one key type."""
    dtype = column.dtype
    convert: Callable[[Any], Any]
    if pd.api.types.is_bool_dtype(dtype):
        convert = bool
    elif pd.api.types.is_integer_dtype(dtype):
        convert = int
    elif pd.api.types.is_float_dtype(dtype):
        convert = float
    elif pd.api.types.is_datetime64_any_dtype(dtype):
        convert = _iso
    else:
        convert = _text
    return [None if _missing(v) else convert(v) for v in column.tolist()]


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _iso(value: Any) -> str:
    return pd.Timestamp(value).isoformat()


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (set, frozenset)):
        return "|".join(sorted(map(str, value)))
    if isinstance(value, (list, tuple)):
        return "|".join(map(str, value))
    return str(value)


def _plain(value: Any) -> Any:
    """A node id as a Python value: numpy scalars become int, float, str or bool."""
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


def _scalars(attrs: Mapping[Any, Any]) -> dict[str, Any]:
    out = {}
    for name, value in attrs.items():
        value = _plain(value)
        if isinstance(value, (str, int, float, bool)):
            out[str(name)] = value
    return out
