"""Both engines are real and reproducible; tomotopy also fits the covariate model (DMR)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit import read_jsonl
from toolkit.topics import TopicModel, prepare_topics, prevalence

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"


@pytest.fixture(scope="module")
def data():
    return prepare_topics(read_jsonl(SAMPLE), unit="paragraph", min_df=2, progress=False)


@pytest.mark.parametrize("backend", ["gensim", "tomotopy"])
def test_each_backend_gives_the_same_model_twice(data, backend):
    params = {"k": 5, "seed": 3, "backend": backend, "passes": 3, "iterations": 50}
    first = TopicModel(**params).fit(data.dtm)
    second = TopicModel(**params).fit(data.dtm)
    assert first.top_terms(10) == second.top_terms(10)
    pd.testing.assert_frame_equal(first.doc_topic_, second.doc_topic_)
    pd.testing.assert_frame_equal(first.transform(data.dtm), second.transform(data.dtm))
    np.testing.assert_allclose(first.doc_topic_.sum(axis=1), 1.0, rtol=1e-4)
    np.testing.assert_allclose(first.topic_term_.sum(axis=1), 1.0, rtol=1e-4)
    other_seed = TopicModel(**{**params, "seed": 4}).fit(data.dtm)
    assert other_seed.top_terms(10) != first.top_terms(10)


def test_tomotopy_separates_two_planted_vocabularies():
    from toolkit import Tokens
    from toolkit.dtm import DocTermMatrix

    rng = np.random.default_rng(0)
    water, invest = ["河长制", "河湖", "水质", "巡河"], ["招商", "项目", "投资", "园区"]
    docs = [list(rng.choice(water if i % 2 else invest, size=30)) for i in range(40)]
    dtm = DocTermMatrix.from_tokens(Tokens(docs, doc_ids=[f"d{i}" for i in range(40)]))
    model = TopicModel(k=2, backend="tomotopy", seed=0).fit(dtm)
    assert sorted(sorted(t) for t in model.top_terms(4)) == sorted([sorted(water), sorted(invest)])
    # Each document sits almost wholly in the topic of its own vocabulary.
    assert (model.doc_topic_.max(axis=1) > 0.9).all()


def test_tomotopy_model_saves_and_loads(data, tmp_path):
    model = TopicModel(k=4, backend="tomotopy", seed=1, passes=2, iterations=50).fit(data.dtm)
    loaded = TopicModel.load(model.save(tmp_path / "lda.tifa"))
    assert loaded.top_terms(10) == model.top_terms(10)
    pd.testing.assert_frame_equal(loaded.transform(data.dtm), model.transform(data.dtm))


def test_held_out_log_likelihood_per_word(data):
    for backend in ("gensim", "tomotopy"):
        model = TopicModel(k=4, backend=backend, seed=0, passes=2, iterations=50)
        value = model.fit(data.dtm).log_likelihood(data.dtm)
        # Per word, in nats: perplexity exp(-value) lies between 1 and the vocabulary size.
        assert 1.0 < np.exp(-value) < data.dtm.shape[1]


def test_covariate_model_learns_which_county_writes_about_what(data):
    model = TopicModel(
        k=4, backend="tomotopy", seed=0, passes=5, iterations=50, covariates="county"
    ).fit(data.dtm)
    effects = model.covariate_effects_
    counties = sorted(data.dtm.docvars["county"].unique())
    assert list(effects.index) == ["(intercept)", *(f"county={c}" for c in counties)]
    assert list(effects.columns) == [f"topic_{t}" for t in range(4)]
    # The prior a county's documents get points the same way as their fitted shares:
    # where a county's prior departs from the counties' average, its shares depart the
    # same way. (Comparing only each county's top topic hinged on near-ties such as
    # 0.321 against 0.313, and so on the seed and the vocabulary.)
    shares = prevalence(model, by="county", n_boot=10)
    priors, observed = [], []
    for county in counties:
        prior = model.topic_prior(county=county)
        assert prior.sum() == pytest.approx(1.0)
        priors.append(prior.to_numpy())
        rows = shares[shares["county"] == county].set_index("topic")["share"]
        observed.append(rows.reindex(prior.index).to_numpy())
    prior_effect = np.array(priors) - np.mean(priors, axis=0)
    observed_effect = np.array(observed) - np.mean(observed, axis=0)
    for p_row, o_row in zip(prior_effect, observed_effect, strict=True):
        assert np.corrcoef(p_row, o_row)[0, 1] > 0
    assert np.corrcoef(prior_effect.ravel(), observed_effect.ravel())[0, 1] > 0.9


def test_covariate_errors_name_the_fix(data):
    with pytest.raises(
        ValueError, match=r"covariates need backend='tomotopy' \(got backend='gensim'\)"
    ):
        TopicModel(k=2, covariates="county").fit(data.dtm)
    with pytest.raises(KeyError, match=r"covariates: no docvar named 'prefect'; available: \["):
        TopicModel(k=2, backend="tomotopy", covariates=["prefect"]).fit(data.dtm)
    model = TopicModel(k=2, backend="tomotopy", seed=0, passes=1, covariates="county")
    model.fit(data.dtm)
    with pytest.raises(KeyError, match=r"'town' are not covariates|\['town'\] are not covariates"):
        model.topic_prior(town="沙棠镇")
    with pytest.raises(KeyError, match=r"'county=无此县' was not seen in fitting"):
        model.topic_prior(county="无此县")
    with pytest.raises(ValueError, match=r"topic_prior needs a model fitted with covariates="):
        TopicModel(k=2, seed=0, passes=1).fit(data.dtm).topic_prior(county="x")
