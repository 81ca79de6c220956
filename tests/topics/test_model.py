"""TopicModel: LDA that gives the same topics for the same data and seed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit import Segmenter, read_jsonl
from toolkit.dtm import DocTermMatrix
from toolkit.topics import TopicModel

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"


@pytest.fixture(scope="module")
def data():
    corpus = read_jsonl(SAMPLE)
    tokens = Segmenter(mode="analysis", progress=False).fit(corpus).segment(corpus)
    dtm = DocTermMatrix.from_tokens(tokens).trim(min_df=2, max_df=0.5)
    return tokens, dtm


@pytest.fixture(scope="module")
def model(data):
    return TopicModel(k=4, seed=1, passes=5, iterations=50).fit(data[1])


def test_fit_learns_topics_and_document_shares(model, data):
    _, dtm = data
    assert model.topic_term_.shape == (4, dtm.shape[1])
    np.testing.assert_allclose(model.topic_term_.sum(axis=1), 1.0, rtol=1e-5)
    assert list(model.doc_topic_.index) == dtm.doc_ids
    np.testing.assert_allclose(model.doc_topic_.sum(axis=1), 1.0, rtol=1e-4)


def test_same_data_and_seed_give_the_same_model(model, data):
    again = TopicModel(k=4, seed=1, passes=5, iterations=50).fit(data[1])
    assert again.top_terms(10) == model.top_terms(10)
    pd.testing.assert_frame_equal(again.doc_topic_, model.doc_topic_)


def test_relevance_favours_terms_exclusive_to_a_topic(model):
    by_probability = model.top_terms(10, relevance=1.0)
    exclusive = model.top_terms(10, relevance=0.0)
    # Sievert & Shirley: λ = 1 ranks by p(w|t), λ = 0 by lift p(w|t) / p(w); ties by name.
    phi = model.topic_term_
    lift = phi / phi.mean(axis=0)
    names = model.feature_names_
    for t in range(model.k):
        assert by_probability[t] == sorted(names, key=lambda w: (-phi[t, names.index(w)], w))[:10]
        assert exclusive[t] == sorted(names, key=lambda w: (-lift[t, names.index(w)], w))[:10]
        # Ranked by lift, the exclusive terms have at least the lift of the probable ones.
        top_lift = [lift[t, names.index(w)] for w in exclusive[t]]
        assert sum(top_lift) >= sum(lift[t, names.index(w)] for w in by_probability[t])
    assert any(by_probability[t] != exclusive[t] for t in range(model.k))
    with pytest.raises(ValueError, match=r"relevance must be between 0.0 and 1.0 \(got 2\)"):
        model.top_terms(5, relevance=2)


def test_coherence_per_topic_on_the_texts(model, data):
    tokens, _ = data
    from gensim.models import CoherenceModel

    npmi = model.coherence(texts=tokens, measure="c_npmi")
    # Scored on the model's own top terms and dictionary, as gensim scores them directly.
    direct = CoherenceModel(
        topics=model.top_terms(10),
        texts=[list(t) for t in tokens],
        dictionary=model.dictionary_,
        coherence="c_npmi",
        processes=1,
    ).get_coherence_per_topic()
    np.testing.assert_allclose(npmi, direct)
    # Fitted topics hang together better than the same number of terms drawn at random.
    rng = np.random.default_rng(0)
    vocab = list(model.feature_names_)
    random_sets = [list(rng.choice(vocab, size=10, replace=False)) for _ in range(4)]
    chance = CoherenceModel(
        topics=random_sets,
        texts=[list(t) for t in tokens],
        dictionary=model.dictionary_,
        coherence="c_npmi",
        processes=1,
    ).get_coherence()
    assert np.mean(npmi) > chance
    with pytest.raises(ValueError, match=r"measure must be one of \{'c_npmi', 'c_v', 'u_mass'\}"):
        model.coherence(texts=tokens, measure="npmi")
    with pytest.raises(ValueError, match="pass texts="):
        model.coherence()


def test_save_and_load_round_trip(model, data, tmp_path):
    path = model.save(tmp_path / "model.tifa")
    loaded = TopicModel.load(path)
    pd.testing.assert_frame_equal(loaded.transform(data[1]), model.doc_topic_)


def test_bad_parameters_and_order_of_calls(data):
    with pytest.raises(
        ValueError, match=r"backend must be one of \{'gensim', 'tomotopy'\} \(got 'mallet'\)"
    ):
        TopicModel(backend="mallet").fit(data[1])
    with pytest.raises(ValueError, match=r"k must be an integer >= 1 \(got 0\)"):
        TopicModel(k=0).fit(data[1])
    with pytest.raises(RuntimeError, match=r"not fitted yet; call fit\(dtm\) first"):
        TopicModel().top_terms()


def test_prevalence_by_county_with_bootstrap_intervals(model):
    from toolkit.topics import prevalence

    table = prevalence(model, by="county", n_boot=200, seed=3)
    counties = sorted(set(model.docvars_["county"]))
    assert table["county"].unique().tolist() == counties
    assert len(table) == len(counties) * model.k
    one = table[(table["county"] == counties[0]) & (table["topic"] == "topic_0")].iloc[0]
    members = model.docvars_["county"] == counties[0]
    assert one["share"] == pytest.approx(model.doc_topic_.loc[members, "topic_0"].mean())
    assert one["lower"] <= one["share"] <= one["upper"]
    assert one["n_documents"] == members.sum()
    # Shares of one group's topics add up to one.
    sums = table.groupby("county")["share"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0, rtol=1e-4)
    pd.testing.assert_frame_equal(table, prevalence(model, by="county", n_boot=200, seed=3))
    with pytest.raises(KeyError, match=r"prevalence: no docvar named 'village'"):
        prevalence(model, by="village")


def test_select_k_reports_four_diagnostics_and_a_rule(data):
    from toolkit.topics import select_k

    tokens, dtm = data
    with pytest.raises(TypeError, match=r"texts must be token lists.*\(got NoneType\)"):
        select_k(dtm, [2], texts=None)
    table = select_k(dtm, [2, 4], texts=tokens, seed=1, passes=3, iterations=30)
    assert table["k"].tolist() == [2, 4]
    assert set(table.columns) == {"k", "coherence_npmi", "exclusivity", "perplexity", "diversity"}
    assert table["perplexity"].gt(1).all() and table["diversity"].between(0, 1).all()
    # The rule, applied to the table by hand: best mean c_npmi among the diverse K.
    diverse = table[table["diversity"] >= 0.5]
    pool = diverse if len(diverse) else table
    assert table.attrs["recommended"] == pool.sort_values("coherence_npmi")["k"].iloc[-1]
    assert "c_npmi" in table.attrs["rule"] and ("diversity >= 0.5" in table.attrs["rule"]) == (
        len(diverse) > 0
    )
    again = select_k(dtm, [4, 2], texts=tokens, seed=1, passes=3, iterations=30, progress=False)
    pd.testing.assert_frame_equal(table, again)
    # Fitted in two processes, the table is the same: each model is seeded and single-threaded.
    parallel = select_k(dtm, [2, 4], texts=tokens, seed=1, passes=3, iterations=30, n_jobs=2)
    pd.testing.assert_frame_equal(table, parallel)
    with pytest.raises(ValueError, match=r"n_jobs must be an integer >= 1 \(got 0\)"):
        select_k(dtm, [2], texts=tokens, n_jobs=0)
    with pytest.raises(ValueError, match=r"held_out must be between 0 and 1, exclusive"):
        select_k(dtm, [2], texts=tokens, held_out=1.5)
