"""town_terms: each town's top terms, the term table and the timeline, on the sample corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from toolkit.experiment import ANALYSES, ConfigError, load_config, run
from toolkit.experiment.terms_analysis import TOP_TERMS_COLUMNS, group_top_terms
from toolkit.terms import canonical_key

REPO = Path(__file__).resolve().parents[2]
FLAGSHIP = REPO / "experiments" / "flagship"
PLANTED = REPO / "corpora" / "sample" / "terms.tsv"
OUTPUTS = ("tables/town_top_terms.csv", "tables/terms.csv", "metrics.json")
FIGURES = ("figures/term_timeline.png", "figures/term_timeline.svg")


def _needs_sample() -> None:
    missing = [p for p in load_config(FLAGSHIP).input_paths() if not p.exists()]
    if missing or not PLANTED.exists():
        pytest.skip(f"sample corpus not present: {missing or [PLANTED]}")


@pytest.fixture(scope="module")
def flagship(flagship_runs):
    """The flagship config run twice on the sample corpus: (first, second)."""
    _needs_sample()
    return flagship_runs


@pytest.fixture(scope="module")
def top_terms(flagship) -> pd.DataFrame:
    return pd.read_csv(flagship[0].run_dir / "tables" / "town_top_terms.csv")


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    _needs_sample()
    return pd.read_csv(PLANTED, sep="\t")


def _county_terms(planted: pd.DataFrame) -> pd.DataFrame:
    # The formulas (“一核两翼四联”, “246”…) and campaigns (“清苇行动”…) each county
    # invented and all of its towns use.
    rows = planted[(planted["scope"] == "county") & planted["kind"].isin(["numbered", "campaign"])]
    assert len(rows) == 9  # 4 formulas, 4 campaigns, 四个到户
    return rows


def _listed(top: pd.DataFrame, town: str, term: str) -> bool:
    # The detector may name a formula with the head noun the text attaches:
    # “1+4+N”网格化… gives 1+4+N网格, “246”工作法 gives 246工作法.
    key = canonical_key(term)
    return any(key in canonical_key(t) for t in top.loc[top["town"] == town, "term"])


def test_flagship_config_runs_town_terms():
    config = load_config(FLAGSHIP)
    (analysis,) = [a for a in config.analyses if a.kind == "town_terms"]
    assert analysis.options == {
        "group": "town",
        "by": "county",
        "n": 10,
        "time": "month",
        "timeline_n": 12,
    }
    assert ANALYSES["town_terms"].__name__ == "town_terms"


def test_outputs_are_written_and_reported(flagship):
    result = flagship[0]
    for name in (*OUTPUTS, *FIGURES):
        path = result.run_dir / name
        assert path.is_file() and path.stat().st_size > 0, name
    assert (result.run_dir / FIGURES[0]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    tables = [p.relative_to(result.run_dir).as_posix() for p in result.tables]
    figures = [p.relative_to(result.run_dir).as_posix() for p in result.figures]
    # In the order written, whatever analyses come after in the config.
    assert [t for t in tables if t in OUTPUTS] == ["tables/town_top_terms.csv", "tables/terms.csv"]
    assert [f for f in figures if f in FIGURES] == list(FIGURES)
    manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
    assert {*OUTPUTS, *FIGURES} <= {f["path"] for f in manifest["outputs"]}


def test_town_table_lists_every_town_ranked(top_terms):
    assert list(top_terms.columns) == ["town", "county", *TOP_TERMS_COLUMNS]
    assert top_terms["town"].nunique() == 13
    for town, rows in top_terms.groupby("town"):
        assert rows["rank"].tolist() == list(range(1, len(rows) + 1)), town
        assert 5 <= len(rows) <= 10, town
        assert rows["county"].nunique() == 1, town
        assert rows["score"].is_monotonic_decreasing, town
        assert rows["term"].is_unique, town
        assert (rows["documents"] >= 1).all() and (rows["count"] >= rows["documents"]).all()
    # Towns of one county stay together, counties and towns in sorted order.
    order = top_terms[["county", "town"]].drop_duplicates()
    assert order.to_numpy().tolist() == sorted(order.to_numpy().tolist())


def test_county_formulas_are_among_each_of_their_towns_top_terms(top_terms, planted):
    for row in _county_terms(planted).itertuples():
        for town in row.towns.split("|"):
            assert _listed(top_terms, town, row.term), (row.term, town)


def test_county_formulas_stay_out_of_other_counties_top_terms(top_terms, planted):
    for row in _county_terms(planted).itertuples():
        users = set(row.towns.split("|"))
        for town in set(top_terms["town"]) - users:
            assert not _listed(top_terms, town, row.term), (row.term, town)


def test_a_term_in_every_article_of_a_town_ranks_high(top_terms):
    # 田坎工作法, the town's own method, is in all four 沙棠镇 articles: summing
    # over documents keeps it among the town's first terms.
    shatang = top_terms[top_terms["town"] == "沙棠镇"].set_index("term")
    assert shatang.loc["田坎工作法", "rank"] <= 5
    assert shatang.loc["田坎工作法", "documents"] == 4
    assert shatang["score"].is_monotonic_decreasing


def test_term_table_says_where_and_when(flagship, planted):
    terms = pd.read_csv(flagship[0].run_dir / "tables" / "terms.csv", keep_default_na=False)
    assert list(terms.columns[:7]) == [
        "term",
        "key",
        "kind",
        "count",
        "doc_freq",
        "forms",
        "expansion",
    ]
    assert {"n_town", "town", "n_county", "county", "first", "last", "examples"} <= set(terms)
    assert terms["key"].is_unique
    assert not terms["forms"].str.startswith("[").any()  # lists are |-joined, not repr'd
    row = terms.set_index("term").loc["一核两翼四联"]
    assert row["county"] == "苇川县"
    assert set(row["town"].split("|")) == set(
        planted.set_index("term").loc["一核两翼四联", "towns"].split("|")
    )
    assert row["first"] <= row["last"]
    assert row["first"].startswith("2022-")
    # Widest first: a national term used across counties tops the table (乡村振兴, in
    # three of the four; 今年以来, a time phrase in every county, did before issue 13).
    assert terms.loc[0, "term"] == "乡村振兴" and terms.loc[0, "n_county"] == 3
    assert "今年以来" not in set(terms["term"])
    assert terms["doc_freq"].is_monotonic_decreasing


def test_metrics(flagship):
    result = flagship[0]
    terms = pd.read_csv(result.run_dir / "tables" / "terms.csv")
    metrics = result.metrics
    assert metrics["n_terms"] == len(terms)
    assert sum(metrics["n_terms_by_kind"].values()) == len(terms)
    by_town = metrics["n_terms_by_town"]
    assert len(by_town) == 13
    assert all(n >= 10 for n in by_town.values())
    assert json.loads((result.run_dir / "metrics.json").read_text(encoding="utf-8")) == metrics


def test_two_runs_give_identical_bytes(flagship):
    first, second = flagship
    for name in (*OUTPUTS, *FIGURES):
        assert (first.run_dir / name).read_bytes() == (second.run_dir / name).read_bytes(), name


def test_identical_bytes_under_another_hash_seed(flagship, tmp_path):
    # Sets of str iterate in a different order under another PYTHONHASHSEED;
    # nothing written may depend on that order.
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    command = [sys.executable, "-m", "toolkit", "run", str(FLAGSHIP), "--quiet"]
    subprocess.run(
        [*command, "--output-root", str(tmp_path), "--run-id", "other"],
        check=True,
        capture_output=True,
        env=env,
    )
    for name in (*OUTPUTS, *FIGURES):
        assert (flagship[0].run_dir / name).read_bytes() == (
            tmp_path / "other" / name
        ).read_bytes(), name


# ---------------------------------------------------------------- options, on the tiny corpus


def _add(experiment: Path, text: str) -> None:
    experiment.write_text(experiment.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_runs_on_a_tiny_corpus(experiment, tmp_path):
    _add(experiment, '\n[[analysis]]\nkind = "town_terms"\nn = 3\ntime = "year"\n')
    result = run(experiment, output_root=tmp_path, run_id="t", progress=False)
    top = pd.read_csv(result.run_dir / "tables" / "town_top_terms.csv")
    assert set(top["town"]) <= {"河塘镇", "石门乡", "柳湾街道"}
    assert top.groupby("town").size().max() <= 3
    assert (result.run_dir / "figures" / "term_timeline.png").is_file()


@pytest.mark.parametrize(
    ("option", "error", "pattern"),
    [
        ('time = "week"', ValueError, r"town_terms: time must be one of \{'', 'month', 'year'\}"),
        ("n = 0", ValueError, r"town_terms: n must be an integer >= 1 \(got 0\)"),
        (
            'group = "village"',
            KeyError,
            r"town_terms: group field 'village' is not a docvar of this corpus; available: \[",
        ),
    ],
)
def test_bad_option_values_are_named(experiment, tmp_path, option, error, pattern):
    _add(experiment, f'\n[[analysis]]\nkind = "town_terms"\n{option}\n')
    with pytest.raises(error, match=pattern):
        run(experiment, output_root=tmp_path, progress=False)


def test_bad_option_types_are_refused_by_the_config(experiment):
    _add(experiment, '\n[[analysis]]\nkind = "town_terms"\nn = "10"\n')
    with pytest.raises(ConfigError, match=r"\(town_terms\): option 'n' must be a int"):
        load_config(experiment)


# ---------------------------------------------------------------- group_top_terms


def test_group_top_terms_sums_documents_and_ranks():
    detections = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b", "b", "c", "d"],
            "term": ["甲法", "乙制", "甲法", "丙行动", "乙制", "丁"],
            "kind": ["quoted", "institution", "numbered", "quoted", "institution", "quoted"],
            "count": [2, 1, 1, 4, 1, 1],
            "score": [1.0, 1.5, 1.0, 0.5, 0.25, 9.0],
            "town": ["河塘镇", "河塘镇", "河塘镇", "河塘镇", "石门乡", None],
            "county": ["青川县"] * 5 + [None],
        }
    )
    table = group_top_terms(detections, n=2)
    assert list(table.columns) == ["town", "county", *TOP_TERMS_COLUMNS]
    assert table.to_dict("records") == [
        # 甲法: 1.0 + 1.0 beats 乙制's single 1.5; the quoted/numbered tie goes by name.
        {
            "town": "河塘镇",
            "county": "青川县",
            "rank": 1,
            "term": "甲法",
            "kind": "numbered",
            "documents": 2,
            "count": 3,
            "score": 2.0,
        },
        {
            "town": "河塘镇",
            "county": "青川县",
            "rank": 2,
            "term": "乙制",
            "kind": "institution",
            "documents": 1,
            "count": 1,
            "score": 1.5,
        },
        {
            "town": "石门乡",
            "county": "青川县",
            "rank": 1,
            "term": "乙制",
            "kind": "institution",
            "documents": 1,
            "count": 1,
            "score": 0.25,
        },
    ]  # 丙行动 is cut by n=2; document d has no town and is left out
