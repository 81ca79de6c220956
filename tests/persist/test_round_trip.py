"""Issue 16 §5: a loaded model gives exactly the results of the model that was saved.

Each estimator is fitted on the sample corpus, saved, loaded, and its outputs
(``segment``, ``detect``, ``transform``, the similarity lookups) compared
exactly with the original's. Loading never unpickles anything.
"""

from __future__ import annotations

import dataclasses
import pickle
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from toolkit import Corpus, Segmenter, SimilarityIndex, TermDetector, TopicModel, read_jsonl
from toolkit.topics import prepare_topics

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return read_jsonl(SAMPLE)


@pytest.fixture(scope="module")
def detector(corpus: Corpus) -> TermDetector:
    return TermDetector(progress=False).fit(corpus)


@pytest.fixture(scope="module")
def dtm(corpus: Corpus) -> Any:
    return prepare_topics(corpus, unit="paragraph", min_df=2, progress=False).dtm


@pytest.fixture(autouse=True)
def no_unpickling(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading a model file must never unpickle: every way in is made to fail."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a model file was unpickled")

    original_dumps = pickle.dumps
    for name in ("load", "loads"):
        monkeypatch.setattr(pickle, name, refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    monkeypatch.setattr(pickle, "dumps", original_dumps)


def test_segmenter_segments_the_same(corpus: Corpus, detector: TermDetector, tmp_path: Path):
    seg = Segmenter(lexicons=["builtin", ["一线工作法"]], hmm="guarded", progress=False)
    seg.fit(corpus, terms=detector)
    loaded = Segmenter.load(seg.save(tmp_path / "segmenter.tifa"))
    assert loaded.get_params() == seg.get_params()
    assert dict(loaded.lexicon_) == dict(seg.lexicon_)
    assert loaded.lexicon_.name == seg.lexicon_.name
    assert dict(loaded.learned_) == dict(seg.learned_)
    assert loaded.n_learned_ == seg.n_learned_
    before, after = seg.segment(corpus), loaded.segment(corpus)
    assert list(after) == list(before)
    assert after.provenance == before.provenance


def test_term_detector_detects_the_same(corpus: Corpus, detector: TermDetector, tmp_path: Path):
    loaded = TermDetector.load(detector.save(tmp_path / "terms.tifa"))
    assert loaded.get_params() == detector.get_params()
    pd.testing.assert_frame_equal(loaded.terms_, detector.terms_, check_exact=True)
    pd.testing.assert_frame_equal(loaded.periods_, detector.periods_, check_exact=True)
    # Cells that were lists come back as lists (Parquet gives arrays).
    assert loaded.terms_["forms"].map(type).eq(list).all()
    pd.testing.assert_frame_equal(loaded.detect(corpus), detector.detect(corpus), check_exact=True)
    text = corpus[0].text
    pd.testing.assert_frame_equal(loaded.detect(text, n=20), detector.detect(text, n=20))
    for name in ("vocabulary_", "discovered_", "expansions_", "df_", "_bounds", "_origin"):
        assert getattr(loaded, name) == getattr(detector, name), name
    assert loaded.places_ == detector.places_


def test_a_model_file_is_the_same_bytes_each_time(detector: TermDetector, tmp_path: Path):
    first = detector.save(tmp_path / "a.tifa").read_bytes()
    assert detector.save(tmp_path / "b.tifa").read_bytes() == first


TOPIC_MODELS = {
    "gensim": {"backend": "gensim"},
    "gensim-auto-alpha": {"backend": "gensim", "alpha": "auto"},
    "tomotopy": {"backend": "tomotopy"},
    "tomotopy-dmr": {"backend": "tomotopy", "covariates": "county"},
}


@pytest.mark.parametrize("name", sorted(TOPIC_MODELS))
def test_topic_model_transforms_the_same(name: str, dtm: Any, tmp_path: Path):
    model = TopicModel(k=4, seed=1, passes=2, iterations=30, **TOPIC_MODELS[name]).fit(dtm)
    loaded = TopicModel.load(model.save(tmp_path / "topics.tifa"))
    assert loaded.get_params() == model.get_params()
    pd.testing.assert_frame_equal(loaded.transform(dtm), model.transform(dtm), check_exact=True)
    pd.testing.assert_frame_equal(loaded.doc_topic_, model.doc_topic_, check_exact=True)
    pd.testing.assert_frame_equal(loaded.docvars_, model.docvars_, check_exact=True)
    np.testing.assert_array_equal(loaded.topic_term_, model.topic_term_)
    assert loaded.top_terms(10, relevance=0.6) == model.top_terms(10, relevance=0.6)
    assert loaded.log_likelihood(dtm) == model.log_likelihood(dtm)
    assert loaded.dictionary_.token2id == model.dictionary_.token2id
    assert loaded.dictionary_.dfs == model.dictionary_.dfs
    if model.covariates is not None:
        pd.testing.assert_frame_equal(loaded.covariate_effects_, model.covariate_effects_)
        county = str(dtm.docvars["county"].iloc[0])
        pd.testing.assert_series_equal(
            loaded.topic_prior(county=county), model.topic_prior(county=county)
        )


def test_an_online_model_goes_on_learning_the_same(dtm: Any, tmp_path: Path):
    half = len(dtm) // 2
    first, second = dtm.rows(range(half)), dtm.rows(range(half, len(dtm)))
    model = TopicModel(k=3, seed=0, passes=1, iterations=20).partial_fit(first)
    loaded = TopicModel.load(model.save(tmp_path / "online.tifa"))
    model.partial_fit(second)
    loaded.partial_fit(second)
    np.testing.assert_array_equal(loaded.topic_term_, model.topic_term_)
    assert loaded.n_documents_ == model.n_documents_ == len(dtm)
    pd.testing.assert_frame_equal(loaded.transform(dtm), model.transform(dtm), check_exact=True)


def _same_result(a: Any, b: Any) -> None:
    for field in dataclasses.fields(a):
        np.testing.assert_array_equal(getattr(a, field.name), getattr(b, field.name))


INDEXES = {
    "tfidf": {},
    "tfidf-paragraphs-js": {"split": "paragraph", "metric": "jensen_shannon"},
    "terms": {"representation": "terms"},
    "topics": {"representation": "topics", "k_topics": 3},
    "embedding": {"representation": "embedding", "vector_size": 10, "epochs": 3},
}


@pytest.mark.parametrize("name", sorted(INDEXES))
def test_similarity_index_answers_the_same(name: str, corpus: Corpus, tmp_path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # units without features, on the small sample
        index = SimilarityIndex(by="town", min_df=1, progress=False, **INDEXES[name]).fit(corpus)
    loaded = SimilarityIndex.load(index.save(tmp_path / "index.tifa"))
    assert repr(loaded) == repr(index)
    pd.testing.assert_frame_equal(loaded.units_, index.units_, check_exact=True)
    pd.testing.assert_frame_equal(loaded.matrix(), index.matrix(), check_exact=True)
    pd.testing.assert_frame_equal(loaded.top_neighbors(3), index.top_neighbors(3), check_exact=True)
    a, b = index.units_.index[:2]
    assert loaded.similarity(a, b) == index.similarity(a, b)
    pd.testing.assert_frame_equal(loaded.neighbors(a, 5), index.neighbors(a, 5), check_exact=True)
    pd.testing.assert_frame_equal(loaded.explain(a, b), index.explain(a, b), check_exact=True)
    pd.testing.assert_frame_equal(loaded.distinctive(a), index.distinctive(a), check_exact=True)
    _same_result(loaded.confidence(a, b, n_boot=30), index.confidence(a, b, n_boot=30))
    _same_result(
        loaded.permutation_test("county", n_perm=30), index.permutation_test("county", n_perm=30)
    )
    if "word2vec_" in vars(index):
        np.testing.assert_array_equal(loaded.word2vec_.wv.vectors, index.word2vec_.wv.vectors)
        word = index.word2vec_.wv.index_to_key[0]
        assert loaded.word2vec_.wv.most_similar(word) == index.word2vec_.wv.most_similar(word)


def test_a_fitted_detector_given_to_the_index_is_its_nested_model(
    corpus: Corpus, detector: TermDetector, tmp_path: Path
):
    index = SimilarityIndex(by="town", representation="terms", detector=detector, progress=False)
    index.fit(corpus)
    loaded = SimilarityIndex.load(index.save(tmp_path / "index.tifa"))
    # One detector, as before saving: the parameter is the fitted detector_.
    assert loaded.detector is loaded.detector_
    pd.testing.assert_frame_equal(loaded.detector_.terms_, detector.terms_, check_exact=True)
    pd.testing.assert_frame_equal(loaded.matrix(), index.matrix(), check_exact=True)


def test_an_unfitted_topic_model_given_to_the_index_stays_a_template(
    corpus: Corpus, tmp_path: Path
):
    template = TopicModel(k=3, backend="tomotopy", seed=2, passes=2, iterations=20)
    index = SimilarityIndex(
        by="town", representation="topics", topic_model=template, min_df=1, progress=False
    ).fit(corpus)
    loaded = SimilarityIndex.load(index.save(tmp_path / "index.tifa"))
    assert loaded.topic_model is not None
    assert loaded.topic_model.get_params() == template.get_params()
    assert not loaded.topic_model.__sklearn_is_fitted__()
    pd.testing.assert_frame_equal(
        loaded.topic_model_.doc_topic_, index.topic_model_.doc_topic_, check_exact=True
    )
    pd.testing.assert_frame_equal(loaded.matrix(), index.matrix(), check_exact=True)
