"""SimilarityIndex is a scikit-learn estimator: get_params, set_params, clone and repr."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from toolkit import Corpus, TermDetector, TopicModel, read_jsonl
from toolkit.similarity import SimilarityIndex

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample"


@pytest.fixture(scope="module")
def corpus():
    return read_jsonl(SAMPLE / "towns.jsonl")


def test_clone_gives_an_unfitted_index_with_equal_params(corpus):
    index = SimilarityIndex(by="county", metric="hellinger", min_df=1, progress=False)
    index.fit(corpus)
    copy = clone(index)
    assert copy is not index
    assert copy.get_params() == index.get_params()
    assert not hasattr(copy, "vectors_")
    np.testing.assert_array_equal(copy.fit(corpus).matrix(), index.matrix())


def test_get_params_reads_the_signature():
    params = SimilarityIndex(by="county").get_params()
    assert params["by"] == "county"
    assert params["representation"] == "tfidf"
    assert "progress" in params and "detector" in params


def test_set_params_round_trips(corpus):
    index = SimilarityIndex(progress=False)
    assert index.set_params(by="county", metric="hellinger") is index
    assert (
        index.get_params()
        == SimilarityIndex(by="county", metric="hellinger", progress=False).get_params()
    )
    direct = SimilarityIndex(by="county", metric="hellinger", progress=False).fit(corpus)
    np.testing.assert_array_equal(index.fit(corpus).matrix(), direct.matrix())


@pytest.mark.parametrize(
    "params",
    [
        {"metric": "l2"},
        {"representation": "topics", "metric": "jaccard"},
        {"split": "sentence"},
        {"n_jobs": 0},
        {"progress": 1},
        {"seed": 1.5},
    ],
)
def test_set_params_refuses_what_fit_refuses_with_the_same_message(corpus, params):
    with pytest.raises((ValueError, TypeError)) as at_fit:
        SimilarityIndex(**params).fit(corpus)
    with pytest.raises(type(at_fit.value)) as at_set:
        SimilarityIndex().set_params(**params)
    assert str(at_set.value) == str(at_fit.value)


def test_progress_must_be_a_bool():
    with pytest.raises(ValueError, match=r"^progress must be one of \{False, True\} \(got 1\)$"):
        SimilarityIndex().set_params(progress=1)


def test_repr_shows_only_the_parameters_that_differ_from_the_defaults():
    assert repr(SimilarityIndex()) == "SimilarityIndex()"
    assert repr(SimilarityIndex(by="county")) == "SimilarityIndex(by='county')"


def test_check_is_fitted_knows_the_index(corpus):
    index = SimilarityIndex(progress=False)
    with pytest.raises(NotFittedError, match="SimilarityIndex instance is not fitted yet"):
        check_is_fitted(index)
    # The index's own lookups raise the toolkit's error, which says how to fit.
    with pytest.raises(
        NotFittedError, match=r"^this SimilarityIndex is not fitted yet; call fit\(corpus\) first$"
    ):
        index.top_neighbors()
    check_is_fitted(index.fit(corpus))


# ---------------------------------------------------------------- fit leaves its parameters alone
def _fitted(model: object) -> bool:
    # scikit-learn's rule: a fitted model has attributes ending in _.
    return any(name.endswith("_") and not name.startswith("__") for name in vars(model))


@pytest.fixture(scope="module")
def halves(corpus):
    """Two corpora with no town in common: two counties each."""
    return (
        corpus.subset(county=["苇川县", "砚溪县"]),
        corpus.subset(county=["萤湖县", "檀岭区"]),
    )


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda: TermDetector(progress=False),
            id="TermDetector",
        ),
    ],
)
def test_an_unfitted_detector_is_a_template_refit_on_every_corpus(halves, make):
    # The bug this pins: fit used to fit the caller's detector in place, so a
    # second fit on corpus B counted the terms learned from corpus A.
    first, second = halves
    detector = make()
    index = SimilarityIndex(representation="terms", detector=detector, progress=False)
    index.fit(first)
    index.fit(second)
    fresh = SimilarityIndex(representation="terms", detector=make(), progress=False).fit(second)
    assert not _fitted(detector)
    assert index.detector_ is not detector
    assert index.detector_.get_params() == detector.get_params()
    assert index.feature_names_ == fresh.feature_names_
    np.testing.assert_array_equal(index.matrix(), fresh.matrix())
    # The test can tell: the detector fitted on the first corpus counts other terms.
    stale = SimilarityIndex(representation="terms", detector=make().fit(first), progress=False).fit(
        second
    )
    assert stale.feature_names_ != fresh.feature_names_


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            TopicModel,
            id="TopicModel",
        ),
    ],
)
def test_an_unfitted_topic_model_is_a_template_refit_on_every_corpus(halves, make):
    first, second = halves
    options = {"k": 3, "seed": 1, "backend": "tomotopy", "iterations": 20, "passes": 5}
    model = make(**options)
    index = SimilarityIndex(representation="topics", topic_model=model, progress=False)
    index.fit(first)
    index.fit(second)
    fresh = SimilarityIndex(
        representation="topics", topic_model=make(**options), progress=False
    ).fit(second)
    assert not _fitted(model)
    assert index.topic_model_ is not model
    assert list(index.units_.index) == list(fresh.units_.index)
    np.testing.assert_array_equal(index.matrix(), fresh.matrix())


def test_a_fitted_detector_is_used_as_it_is(corpus):
    detector = TermDetector(progress=False).fit(corpus)
    vocabulary = dict(detector.vocabulary_)
    index = SimilarityIndex(representation="terms", detector=detector, progress=False)
    index.fit(corpus.subset(county=["苇川县", "砚溪县"]))
    assert index.detector_ is detector
    assert detector.vocabulary_ == vocabulary


# -------------------------------------------------------------- renamed: n_topics -> k_topics
def test_k_topics_counts_the_topics_and_n_topics_still_works_with_a_warning(corpus):
    # The house rule: k counts neighbours and topics, n counts rows.
    new = SimilarityIndex(representation="topics", k_topics=3, progress=False).fit(corpus)
    assert new.topic_model_.k == 3
    old = SimilarityIndex(representation="topics", n_topics=3, progress=False)
    with pytest.warns(FutureWarning, match=r"^n_topics is renamed k_topics"):
        old.fit(corpus)
    assert old.topic_model_.k == 3
    np.testing.assert_array_equal(old.matrix(), new.matrix())
    assert repr(old) == "SimilarityIndex(n_topics=3, progress=False, representation='topics')"
    with pytest.warns(FutureWarning, match=r"^n_topics is renamed k_topics"):
        SimilarityIndex().set_params(n_topics=4)


def test_k_topics_and_n_topics_together_are_refused():
    with (
        pytest.warns(FutureWarning),
        pytest.raises(
            ValueError, match=r"^n_topics is the old name of k_topics; pass k_topics only"
        ),
    ):
        SimilarityIndex().set_params(k_topics=4, n_topics=5)


def test_default_n_topics_is_renamed_default_k_topics():
    import toolkit.similarity as similarity
    from toolkit.similarity import DEFAULT_K_TOPICS

    with pytest.warns(FutureWarning, match=r"^DEFAULT_N_TOPICS is renamed DEFAULT_K_TOPICS"):
        assert similarity.DEFAULT_N_TOPICS == DEFAULT_K_TOPICS == 10


def test_a_refit_with_another_representation_drops_the_old_model(corpus):
    detector = TermDetector(progress=False).fit(corpus)
    index = SimilarityIndex(representation="terms", detector=detector, progress=False)
    index.fit(corpus)
    assert index.detector_ is detector
    index.set_params(representation="tfidf", detector=None).fit(corpus)
    assert not hasattr(index, "detector_")


def test_units_lost_to_feature_pruning_are_named():
    # 河长制 is in every piece, so max_df=0.5 leaves x0 and x1 without a feature.
    corpus = Corpus.from_records(
        [
            {"doc_id": "x0", "text": "河长制" * 15, "unit": "u0"},
            {"doc_id": "x1", "text": "河长制" * 15, "unit": "u1"},
            {"doc_id": "base", "text": "推进河长制，落实乡村振兴。", "unit": "u0"},
        ]
    )
    with pytest.raises(ValueError) as info:
        SimilarityIndex(by="unit", min_df=1, progress=False).fit(corpus)
    assert str(info.value) == (
        "by='unit' gives 1 unit after 2 pieces without any feature were dropped "
        "(['x0', 'x1']); similarity needs at least two; lower min_df (got 1) or raise "
        "max_df (got 0.5)"
    )
    index = SimilarityIndex(by="unit", min_df=1, max_df=1.0, progress=False).fit(corpus)
    assert list(index.units_.index) == ["u0", "u1"]
