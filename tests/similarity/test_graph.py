"""to_networkx: neighbour and reuse tables as graphs that GEXF and GraphML round-trip."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from toolkit import read_jsonl
from toolkit.similarity import SimilarityIndex, to_networkx
from toolkit.similarity.reuse import find_reuse, reuse_network

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample"
WRITERS = {"gexf": (nx.write_gexf, nx.read_gexf), "graphml": (nx.write_graphml, nx.read_graphml)}


@pytest.fixture(scope="module")
def corpus():
    return read_jsonl(SAMPLE / "towns.jsonl")


@pytest.fixture(scope="module")
def index(corpus):
    return SimilarityIndex(by="town", progress=False).fit(corpus)


@pytest.fixture(scope="module")
def network(corpus):
    passages = find_reuse(corpus, docvars="town", progress=False)
    return reuse_network(passages, by="town", corpus=corpus)


def _round_trip(graph: nx.Graph, tmp_path: Path, fmt: str) -> nx.Graph:
    write, read = WRITERS[fmt]
    path = tmp_path / f"graph.{fmt}"
    write(graph, path)
    return read(path)


def _allowed_types(graph: nx.Graph) -> set[type]:
    values = [v for _, data in graph.nodes(data=True) for v in data.values()]
    values += [v for _, _, data in graph.edges(data=True) for v in data.values()]
    return {type(v) for v in values}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_the_neighbours_graph_round_trips_with_docvars(index, tmp_path, fmt):
    graph = index.to_networkx(k=3)
    assert _allowed_types(graph) <= {str, int, float, bool}
    back = _round_trip(graph, tmp_path, fmt)
    assert set(back.nodes) == set(index.units_.index)
    a, b = "沙棠镇", index.neighbors("沙棠镇", k=1)["neighbor"].iloc[0]
    assert back.edges[a, b]["weight"] == pytest.approx(index.similarity(a, b))
    assert back.edges[a, b]["rank"] == 1
    assert back.nodes["沙棠镇"]["county"] == index.units_.loc["沙棠镇", "county"] == "苇川县"
    assert back.nodes["沙棠镇"]["n_pieces"] == index.units_.loc["沙棠镇", "n_pieces"]


def test_a_pair_named_twice_is_one_mutual_edge(index):
    table = index.top_neighbors(3)
    graph = index.to_networkx(k=3)
    pairs = set(zip(table["unit"], table["neighbor"], strict=True))
    assert graph.number_of_edges() == len({frozenset(p) for p in pairs})
    for a, b, data in graph.edges(data=True):
        assert data["mutual"] == ((a, b) in pairs and (b, a) in pairs)
        ranks = table.loc[
            ((table["unit"] == a) & (table["neighbor"] == b))
            | ((table["unit"] == b) & (table["neighbor"] == a)),
            "rank",
        ]
        assert data["rank"] == ranks.min()
    assert graph.graph == {"by": "town", "representation": "tfidf", "metric": "cosine"}


def test_one_units_neighbours_take_the_unit_from_attrs(index):
    graph = to_networkx(index.neighbors("沙棠镇", k=4))
    assert sorted(graph.degree, key=lambda nd: -nd[1])[0] == ("沙棠镇", 4)
    assert graph.graph["unit"] == "沙棠镇"


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_the_reuse_network_round_trips(network, tmp_path, fmt):
    assert len(network) > 0
    graph = to_networkx(network)
    assert _allowed_types(graph) <= {str, int, float, bool}
    back = _round_trip(graph, tmp_path, fmt)
    units = set(network["unit_a"]) | set(network["unit_b"])
    assert set(back.nodes) == units
    first = network.iloc[0]
    edge = back.edges[first["unit_a"], first["unit_b"]]
    assert edge["weight"] == first["passages"]
    assert edge["distinctive"] == first["distinctive"]
    assert edge["chars"] == first["chars"]


def test_weight_can_be_another_numeric_column(network):
    graph = to_networkx(network, weight="distinctive")
    first = network.iloc[0]
    assert graph.edges[first["unit_a"], first["unit_b"]]["weight"] == first["distinctive"]
    with pytest.raises(ValueError, match=r"^weight must be one of the table's numeric columns \["):
        to_networkx(network, weight="unit_a")


def test_values_become_types_gexf_and_graphml_accept():
    table = pd.DataFrame(
        {
            "unit": ["甲镇", "乙镇"],
            "neighbor": ["乙镇", "丙镇"],
            "similarity": [0.5, 0.25],
            "terms": [["河长制", "巡河"], None],
            "date": pd.to_datetime(["2022-03-18", None]),
        }
    )
    nodes = pd.DataFrame(
        {"year": [2022, 2023], "share": [0.5, float("nan")]}, index=["甲镇", "乙镇"]
    )
    graph = to_networkx(table, nodes=nodes)
    assert graph.edges["甲镇", "乙镇"] == {
        "similarity": 0.5,
        "terms": "河长制|巡河",
        "date": "2022-03-18T00:00:00",
        "mutual": False,
        "weight": 0.5,
    }
    # Missing values are left out rather than written as "nan".
    assert "terms" not in graph.edges["乙镇", "丙镇"] and "date" not in graph.edges["乙镇", "丙镇"]
    assert graph.nodes["乙镇"] == {"year": 2023}
    assert type(graph.nodes["甲镇"]["year"]) is int
    assert graph.nodes["丙镇"] == {}


def test_a_table_of_neither_shape_names_the_expected_columns(index):
    with pytest.raises(ValueError) as err:
        to_networkx(index.matrix())
    message = str(err.value)
    assert message.startswith(
        "table must be a neighbours table (columns ['unit', 'neighbor', 'similarity'], as "
        "SimilarityIndex.top_neighbors() returns) or a reuse network (columns "
        "['unit_a', 'unit_b', 'passages'], as reuse_network() returns); it has neither"
    )
    with pytest.raises(TypeError, match=r"^table must be a pandas.DataFrame .* \(got list\)$"):
        to_networkx([("甲镇", "乙镇")])


def test_networkx_is_imported_only_to_build_a_graph():
    code = "import sys, toolkit.similarity; print('networkx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]
