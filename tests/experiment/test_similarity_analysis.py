"""town_similarity: town-by-town similarity, a county permutation test and text reuse."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.experiment import ANALYSES, ConfigError, load_config, run
from toolkit.experiment.similarity_analysis import (
    NEIGHBORS_COLUMNS,
    reuse_edges,
    town_similarity,
)
from toolkit.similarity.reuse import NETWORK_COLUMNS, PASSAGE_COLUMNS

REPO = Path(__file__).resolve().parents[2]
FLAGSHIP = REPO / "experiments" / "flagship"
SAMPLE = REPO / "corpora" / "sample"
TABLES = (
    "tables/town_similarity.csv",
    "tables/town_neighbors.csv",
    "tables/reuse_passages.csv",
    "tables/reuse_network.csv",
)
FIGURES = (
    "figures/town_similarity.png",
    "figures/town_similarity.svg",
    "figures/reuse_network.png",
    "figures/reuse_network.svg",
)
OUTPUTS = (*TABLES, *FIGURES, "metrics.json")


@pytest.fixture(scope="module")
def sample_config(flagship_only) -> Path:
    """The flagship's corpus, seed and town_similarity options, without the other analyses."""
    return flagship_only("town_similarity")


@pytest.fixture(scope="module")
def runs(sample_config, run_twice):
    """The analysis run twice on the sample corpus: (first, second)."""
    return run_twice(sample_config)


@pytest.fixture(scope="module")
def out(runs) -> Path:
    return runs[0].run_dir


def _table(out: Path, name: str, **kwargs) -> pd.DataFrame:
    return pd.read_csv(out / "tables" / f"{name}.csv", **kwargs)


def test_flagship_config_runs_town_similarity(flagship_analysis):
    config, analysis = flagship_analysis("town_similarity")
    assert analysis.options == {
        "by": "town",
        "group": "county",
        "representation": "tfidf",
        "metric": "cosine",
        "k": 3,
        "n_perm": 999,
        "min_chars": 50,
        "max_df": 0.1,
    }
    assert [a.kind for a in config.analyses].count("town_similarity") == 1
    assert ANALYSES["town_similarity"] is town_similarity


def test_outputs_are_written_and_reported(runs):
    result = runs[0]
    for name in OUTPUTS:
        path = result.run_dir / name
        assert path.is_file() and path.stat().st_size > 0, name
    for name in ("figures/town_similarity.png", "figures/reuse_network.png"):
        assert (result.run_dir / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.relative_to(result.run_dir).as_posix() for p in result.tables] == list(TABLES)
    assert [p.relative_to(result.run_dir).as_posix() for p in result.figures] == list(FIGURES)
    manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
    assert set(OUTPUTS) <= {f["path"] for f in manifest["outputs"]}


def test_similarity_matrix_is_square_symmetric_and_sorted(out):
    matrix = _table(out, "town_similarity", index_col="town")
    assert len(matrix) == 13
    assert list(matrix.index) == list(matrix.columns) == sorted(matrix.index)
    values = matrix.to_numpy()
    np.testing.assert_array_equal(np.diag(values), 1.0)
    np.testing.assert_allclose(values, values.T, atol=1e-6)
    off = values[~np.eye(len(values), dtype=bool)]
    assert ((off >= 0) & (off < 1)).all()


def test_neighbors_are_the_largest_entries_of_the_matrix(out):
    matrix = _table(out, "town_similarity", index_col="town")
    neighbors = _table(out, "town_neighbors")
    assert list(neighbors.columns) == list(NEIGHBORS_COLUMNS)
    assert neighbors.groupby("unit")["rank"].apply(list).map(lambda r: r == [1, 2, 3]).all()
    assert list(neighbors["unit"].unique()) == list(matrix.index)
    for unit, rows in neighbors.groupby("unit"):
        others = matrix.loc[unit].drop(unit)
        assert unit not in set(rows["neighbor"])
        np.testing.assert_allclose(rows["similarity"], others.loc[rows["neighbor"]], atol=1e-6)
        assert rows["similarity"].min() >= others.drop(rows["neighbor"]).max() - 1e-6
        assert rows["similarity"].is_monotonic_decreasing


def test_reuse_passages_and_network_agree(out, runs):
    passages = _table(out, "reuse_passages")
    assert list(passages.columns) == [
        *PASSAGE_COLUMNS,
        "town_a",
        "town_b",
        "county_a",
        "county_b",
    ]
    network = _table(out, "reuse_network")
    assert list(network.columns) == list(NETWORK_COLUMNS)
    assert network["passages"].sum() == len(passages)
    assert network["distinctive"].sum() == (~passages["boilerplate"]).sum()
    pairs = {tuple(sorted(p)) for p in zip(passages["town_a"], passages["town_b"], strict=True)}
    assert pairs == set(zip(network["unit_a"], network["unit_b"], strict=True))
    lengths = np.minimum(
        passages["end_a"] - passages["start_a"], passages["end_b"] - passages["start_b"]
    )
    assert network["chars"].sum() == lengths.sum()
    assert lengths.min() >= 45  # min_chars = 50, less edits at the ends
    metrics = runs[0].metrics
    assert metrics["reuse_n_passages"] == len(passages)
    assert metrics["reuse_n_distinctive"] == int((~passages["boilerplate"]).sum())
    assert metrics["reuse_n_boilerplate"] == int(passages["boilerplate"].sum())
    assert metrics["reuse_n_pairs"] == len(network)


def test_planted_reuse_is_found_and_stays_in_its_county(out):
    # corpora/sample/reuse.tsv lists the passages the corpus authors planted:
    # boilerplate shared across counties, and county formulas copied between
    # towns of one county. The most heavily edited copies (several numbers
    # changed and a clause inserted) fall below find_reuse's defaults.
    planted = pd.read_csv(SAMPLE / "reuse.tsv", sep="\t")
    passages = _table(out, "reuse_passages")
    found = {frozenset(p) for p in zip(passages["doc_a"], passages["doc_b"], strict=True)}
    hits = [
        frozenset((a, b)) in found
        for a, b in zip(planted["doc_id_a"], planted["doc_id_b"], strict=True)
    ]
    by_kind = pd.Series(hits).groupby(planted["kind"].to_numpy()).agg(["sum", "size"])
    assert by_kind.loc["boilerplate", "sum"] == by_kind.loc["boilerplate", "size"]
    assert by_kind.loc["county_reuse", "sum"] >= 0.6 * by_kind.loc["county_reuse", "size"]
    distinctive = passages[~passages["boilerplate"]]
    assert len(distinctive) > 0
    assert (distinctive["county_a"] == distinctive["county_b"]).all()


def test_towns_of_one_county_are_more_alike(runs):
    metrics = runs[0].metrics
    assert metrics["similarity_n_units"] == 13
    assert metrics["similarity_within"] > metrics["similarity_across"]
    assert metrics["similarity_permutation_observed"] == pytest.approx(
        metrics["similarity_within"] - metrics["similarity_across"], abs=2e-6
    )
    assert 1 / 1000 <= metrics["similarity_permutation_p"] < 0.05
    saved = json.loads((runs[0].run_dir / "metrics.json").read_text(encoding="utf-8"))
    assert saved == metrics


def test_two_runs_give_identical_bytes(runs):
    first, second = runs
    for name in OUTPUTS:
        assert (first.run_dir / name).read_bytes() == (second.run_dir / name).read_bytes(), name


# ---------------------------------------------------------------- reuse_edges


def test_reuse_edges_maps_the_network_to_neighbor_columns():
    network = pd.DataFrame(
        {
            "unit_a": ["甲镇", "甲镇", "乙镇"],
            "unit_b": ["乙镇", "甲镇", "丙镇"],
            "passages": [3, 2, 1],
            "chars": [300, 200, 60],
            "distinctive": [2, 2, 0],
            "boilerplate": [1, 0, 1],
        }
    )
    edges = reuse_edges(network)
    assert edges.to_dict("list") == {"unit": ["甲镇"], "neighbor": ["乙镇"], "similarity": [2.0]}


# ---------------------------------------------------------------- options, on the tiny corpus


def _add(experiment: Path, text: str) -> None:
    experiment.write_text(experiment.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.mark.parametrize(
    ("option", "error", "pattern"),
    [
        (
            'representation = "bert"',
            ValueError,
            r"town_similarity: representation must be one of \{'embedding', 'terms', 'tfidf', "
            r"'topics'\} \(got 'bert'\)",
        ),
        (
            'metric = "jaccard"\nrepresentation = "topics"',
            ValueError,
            r"town_similarity: metric \(for representation 'topics'\) must be one of \{",
        ),
        ("k = 0", ValueError, r"town_similarity: k must be an integer >= 1 \(got 0\)"),
        ("n_perm = 0", ValueError, r"town_similarity: n_perm must be an integer >= 1"),
        ("min_chars = 4", ValueError, r"town_similarity: min_chars must be at least 5 \(got 4\)"),
        ("max_df = 0", ValueError, r"town_similarity: max_df must be a share in \(0, 1\)"),
        ('group = "town"', ValueError, r"town_similarity: by and group are both 'town'"),
        (
            'by = "village"',
            KeyError,
            r"town_similarity: by field 'village' is not a docvar of this corpus; available: \[",
        ),
        ('group = "region"', KeyError, r"town_similarity: group field 'region' is not a docvar"),
        (
            'by = "county"\ngroup = "year"',
            ValueError,
            r"town_similarity: group: docvar 'year' is not constant within units of 'county'",
        ),
    ],
)
@pytest.mark.filterwarnings("ignore:.*have no features:UserWarning")
def test_bad_option_values_are_named(experiment, tmp_path, option, error, pattern):
    _add(experiment, f'\n[[analysis]]\nkind = "town_similarity"\n{option}\n')
    with pytest.raises(error, match=pattern):
        run(experiment, output_root=tmp_path, progress=False)


def test_bad_option_types_are_refused_by_the_config(experiment):
    _add(experiment, '\n[[analysis]]\nkind = "town_similarity"\nk = "3"\n')
    with pytest.raises(ConfigError, match=r"\(town_similarity\): option 'k' must be a int"):
        load_config(experiment)
