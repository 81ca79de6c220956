"""town_topics: topics, topic shares per paragraph and prevalence per town, on the sample corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.dtm import DocTermMatrix, split_units
from toolkit.experiment import ANALYSES, ConfigError, load_config, run
from toolkit.experiment.topics_analysis import TOPICS_COLUMNS, topic_table, town_topics
from toolkit.ingest import ingest
from toolkit.segment import Tokens
from toolkit.topics import TopicModel

REPO = Path(__file__).resolve().parents[2]
FLAGSHIP = REPO / "experiments" / "flagship"
TABLES = (
    "tables/topics.csv",
    "tables/doc_topics.csv",
    "tables/topic_prevalence_town.csv",
    "tables/topic_prevalence_year.csv",
)
FIGURES = (
    "figures/topics.png",
    "figures/topics.svg",
    "figures/topic_prevalence.png",
    "figures/topic_prevalence.svg",
)
OUTPUTS = (*TABLES, *FIGURES, "metrics.json")
# Words of the urban topic: residents, communities, residential compounds.
URBAN = {"居民", "社区", "小区"}


@pytest.fixture(scope="module")
def sample_config(flagship_only) -> Path:
    """The flagship's corpus, seed and town_topics options, without the other analyses."""
    return flagship_only("town_topics")


@pytest.fixture(scope="module")
def runs(sample_config, run_twice):
    """The analysis run twice on the sample corpus: (first, second)."""
    return run_twice(sample_config)


@pytest.fixture(scope="module")
def out(runs) -> Path:
    return runs[0].run_dir


@pytest.fixture(scope="module")
def prevalence_by_town(out) -> pd.DataFrame:
    return pd.read_csv(out / "tables" / "topic_prevalence_town.csv")


def test_flagship_config_runs_town_topics(flagship_analysis):
    config, analysis = flagship_analysis("town_topics")
    assert analysis.options == {
        "unit": "paragraph",
        "k": 6,
        "by": "town",
        "time": "year",
        "backend": "tomotopy",
        "n": 8,
        "relevance": 0.6,
        "min_df": 2,
    }
    assert [a.kind for a in config.analyses][-1] == "town_topics"
    assert ANALYSES["town_topics"] is town_topics


def test_outputs_are_written_and_reported(runs):
    result = runs[0]
    for name in OUTPUTS:
        path = result.run_dir / name
        assert path.is_file() and path.stat().st_size > 0, name
    for name in ("figures/topics.png", "figures/topic_prevalence.png"):
        assert (result.run_dir / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    tables = [p.relative_to(result.run_dir).as_posix() for p in result.tables]
    figures = [p.relative_to(result.run_dir).as_posix() for p in result.figures]
    assert tables == list(TABLES)
    assert figures == list(FIGURES)
    manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
    assert set(OUTPUTS) <= {f["path"] for f in manifest["outputs"]}


def test_topic_table_lists_each_topics_top_terms(out):
    topics = pd.read_csv(out / "tables" / "topics.csv")
    assert list(topics.columns) == list(TOPICS_COLUMNS)
    assert topics["topic"].unique().tolist() == [f"topic_{t}" for t in range(6)]
    for topic, rows in topics.groupby("topic"):
        assert rows["rank"].tolist() == list(range(1, 9)), topic
        assert rows["term"].is_unique, topic
        assert rows["term"].str.len().min() >= 2, topic  # no single characters
        assert not rows["term"].str.fullmatch(r"[0-9.%]+").any(), topic  # no numbers
    assert ((topics["probability"] > 0) & (topics["probability"] < 1)).all()


def test_every_paragraph_gets_topic_shares(out, runs, flagship_analysis):
    config, _ = flagship_analysis("town_topics")
    corpus = ingest(config.input_paths(), progress=False).corpus
    paragraphs = split_units(corpus, "paragraph")
    shares = pd.read_csv(out / "tables" / "doc_topics.csv")
    topic_columns = [f"topic_{t}" for t in range(6)]
    assert list(shares.columns) == ["doc_id", "document", "town", "year", *topic_columns]
    metrics = runs[0].metrics
    assert len(shares) == metrics["topics_n_units"]
    assert metrics["topics_n_units"] + metrics["topics_n_dropped"] == len(paragraphs)
    assert shares["doc_id"].is_unique
    assert (shares["doc_id"].str.split("#p").str[0] == shares["document"]).all()
    assert set(shares["document"]) <= set(corpus.doc_ids)
    assert shares["town"].nunique() == 13
    np.testing.assert_allclose(shares[topic_columns].sum(axis=1), 1.0, atol=1e-5)


def test_prevalence_is_the_mean_share_with_an_interval(out, prevalence_by_town):
    table = prevalence_by_town
    assert list(table.columns) == ["town", "topic", "share", "lower", "upper", "n_documents"]
    assert table["town"].nunique() == 13
    assert (table.groupby("town").size() == 6).all()
    assert ((table["lower"] <= table["share"]) & (table["share"] <= table["upper"])).all()
    # The share is the mean over the town's paragraphs, as doc_topics.csv gives them.
    shares = pd.read_csv(out / "tables" / "doc_topics.csv")
    topic_columns = [f"topic_{t}" for t in range(6)]
    means = shares.groupby("town")[topic_columns].mean()
    for row in table.itertuples():
        assert row.share == pytest.approx(means.loc[row.town, row.topic], abs=1e-5)
        assert row.n_documents == (shares["town"] == row.town).sum()
    years = pd.read_csv(out / "tables" / "topic_prevalence_year.csv")
    assert sorted(years["year"].unique()) == [2022, 2023]
    assert years.groupby("year")["n_documents"].first().sum() == len(shares)


def test_the_urban_topic_leads_in_every_subdistrict(out, prevalence_by_town):
    # The three subdistricts (街道), two in 檀岭区 and one in 苇川县, share their
    # leading topic; it is about residents and residential compounds, and it
    # takes more of each subdistrict than of any town or township.
    grid = prevalence_by_town.pivot(index="town", columns="topic", values="share")
    streets = [town for town in grid.index if town.endswith("街道")]
    assert sorted(streets) == sorted(["梧荫街道", "鹤皋街道", "蒹葭街道"])
    (urban,) = {grid.loc[town].idxmax() for town in streets}
    topics = pd.read_csv(out / "tables" / "topics.csv")
    assert URBAN & set(topics.loc[topics["topic"] == urban, "term"])
    assert grid.loc[streets, urban].min() > grid.drop(index=streets)[urban].max()


def test_metrics(runs):
    metrics = runs[0].metrics
    assert metrics["topics_k"] == 6
    assert metrics["topics_n_dropped"] == 0
    assert metrics["topics_n_features"] > 500
    coherence = metrics["topics_coherence_npmi"]
    assert len(coherence) == 6
    assert all(-1.0 <= c <= 1.0 for c in coherence)
    assert metrics["topics_coherence_npmi_mean"] == pytest.approx(np.mean(coherence), abs=1e-6)
    saved = json.loads((runs[0].run_dir / "metrics.json").read_text(encoding="utf-8"))
    assert saved == metrics


def test_two_runs_give_identical_bytes(runs):
    first, second = runs
    for name in OUTPUTS:
        assert (first.run_dir / name).read_bytes() == (second.run_dir / name).read_bytes(), name


def test_identical_bytes_under_another_hash_seed(sample_config, out, tmp_path):
    env = {**os.environ, "PYTHONHASHSEED": "4321"}
    command = [sys.executable, "-m", "toolkit", "run", str(sample_config), "--quiet"]
    subprocess.run(
        [*command, "--output-root", str(tmp_path), "--run-id", "other"],
        check=True,
        capture_output=True,
        env=env,
    )
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (tmp_path / "other" / name).read_bytes(), name


# ---------------------------------------------------------------- options, on the tiny corpus


def _add(experiment: Path, text: str) -> None:
    experiment.write_text(experiment.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_runs_on_a_tiny_corpus_without_a_time_field(experiment, tmp_path):
    _add(experiment, '\n[[analysis]]\nkind = "town_topics"\nk = 2\nn = 3\ntime = ""\n')
    result = run(experiment, output_root=tmp_path, run_id="t", progress=False)
    names = [p.name for p in result.tables]
    assert names[-3:] == ["topics.csv", "doc_topics.csv", "topic_prevalence_town.csv"]
    assert not (result.run_dir / "tables" / "topic_prevalence_year.csv").exists()
    topics = pd.read_csv(result.run_dir / "tables" / "topics.csv")
    assert topics.groupby("topic").size().max() <= 3
    shares = pd.read_csv(result.run_dir / "tables" / "doc_topics.csv")
    assert "year" not in shares.columns
    assert (result.run_dir / "figures" / "topic_prevalence.png").is_file()
    assert result.metrics["topics_k"] == 2


def test_document_units(experiment, tmp_path):
    _add(experiment, '\n[[analysis]]\nkind = "town_topics"\nunit = "document"\nk = 2\nmin_df = 1\n')
    result = run(experiment, output_root=tmp_path, run_id="d", progress=False)
    shares = pd.read_csv(result.run_dir / "tables" / "doc_topics.csv")
    # doc_topics.csv has one layout for both units: a document unit is its own article.
    assert list(shares.columns[:4]) == ["doc_id", "document", "town", "year"]
    assert not shares["doc_id"].str.contains("#p").any()
    assert (shares["document"] == shares["doc_id"]).all()
    assert result.metrics["topics_n_units"] + result.metrics["topics_n_dropped"] == 5


@pytest.mark.parametrize(
    ("option", "error", "pattern"),
    [
        ('unit = "sentence"', ValueError, r"town_topics: unit must be one of \{'document', "),
        ("k = 0", ValueError, r"town_topics: k must be an integer >= 1 \(got 0\)"),
        ('backend = "mallet"', ValueError, r"town_topics: backend must be one of \{'gensim', "),
        ("relevance = 1.5", ValueError, r"town_topics: relevance must be between 0 and 1"),
        (
            'by = "village"',
            KeyError,
            r"town_topics: by field 'village' is not a docvar of this corpus; available: \[",
        ),
        ('time = "month"', KeyError, r"town_topics: time field 'month' is not a docvar"),
        ('time = "town"', ValueError, r"town_topics: by and time are both 'town'"),
    ],
)
def test_bad_option_values_are_named(experiment, tmp_path, option, error, pattern):
    _add(experiment, f'\n[[analysis]]\nkind = "town_topics"\n{option}\n')
    with pytest.raises(error, match=pattern):
        run(experiment, output_root=tmp_path, progress=False)


def test_units_without_a_group_are_an_error(experiment, tmp_path):
    data = experiment.parent / "data" / "towns.jsonl"
    records = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    del records[0]["town"]
    data.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    _add(experiment, '\n[[analysis]]\nkind = "town_topics"\nk = 2\nmin_df = 1\n')
    with pytest.raises(ValueError, match=r"town_topics: 1 units have no 'town' value"):
        run(experiment, output_root=tmp_path, progress=False)


def test_bad_option_types_are_refused_by_the_config(experiment):
    _add(experiment, '\n[[analysis]]\nkind = "town_topics"\nk = "6"\n')
    with pytest.raises(ConfigError, match=r"\(town_topics\): option 'k' must be a int"):
        load_config(experiment)


# ---------------------------------------------------------------- topic_table


def test_topic_table_ranks_by_relevance_and_reports_probability():
    docs = [["河长制", "河湖", "治理"], ["招商", "项目", "投资"]] * 10
    tokens = Tokens(docs, doc_ids=[str(i) for i in range(20)])
    model = TopicModel(k=2, seed=1, backend="tomotopy").fit(DocTermMatrix.from_tokens(tokens))
    table = topic_table(model, n=2, relevance=1.0)
    assert list(table.columns) == list(TOPICS_COLUMNS)
    assert table["topic"].tolist() == ["topic_0", "topic_0", "topic_1", "topic_1"]
    assert table["rank"].tolist() == [1, 2, 1, 2]
    column = {name: j for j, name in enumerate(model.feature_names_)}
    for row in table.itertuples():
        t = int(row.topic.split("_")[1])
        assert row.term == model.top_terms(2, relevance=1.0)[t][row.rank - 1]
        assert row.probability == pytest.approx(model.topic_term_[t, column[row.term]], abs=1e-6)
    # By probability (λ = 1) each topic's first term is its most probable one.
    first = table[table["rank"] == 1]
    assert first["probability"].tolist() == pytest.approx(model.topic_term_.max(axis=1), abs=1e-6)
