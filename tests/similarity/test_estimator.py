"""SimilarityIndex is a scikit-learn estimator: get_params, set_params, clone and repr."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from toolkit import read_jsonl
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
