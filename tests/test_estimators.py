"""The four estimators are scikit-learn estimators: params, clone, repr and the fitted check."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError as SklearnNotFittedError
from sklearn.utils.validation import check_is_fitted

import toolkit
from toolkit import Segmenter, SimilarityIndex, TermDetector, TopicModel, read_jsonl
from toolkit._estimator import Estimator, NotFittedError, check_fitted

SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "sample" / "towns.jsonl"

# Each estimator with one parameter changed from its default, and another value for it.
CASES = [
    (Segmenter, {"mode": "analysis"}, {"mode": "raw"}, "Segmenter(mode='analysis')"),
    (TermDetector, {"min_count": 5}, {"min_count": 6}, "TermDetector(min_count=5)"),
    (TopicModel, {"k": 4}, {"k": 5}, "TopicModel(k=4)"),
    (SimilarityIndex, {"by": "county"}, {"by": "town"}, "SimilarityIndex(by='county')"),
]
IDS = [case[0].__name__ for case in CASES]


@pytest.mark.parametrize(("cls", "changed", "other", "text"), CASES, ids=IDS)
def test_clone_set_params_and_repr(cls, changed, other, text):
    est = cls(**changed)
    assert isinstance(est, Estimator)
    twin = clone(est)
    assert twin is not est
    assert twin.get_params() == est.get_params()
    assert twin.get_params(deep=True) == est.get_params(deep=True)
    # repr shows only what differs from the defaults.
    assert repr(est) == text
    assert repr(cls()) == f"{cls.__name__}()"
    assert est.set_params(**other) is est
    assert est.get_params() == {**twin.get_params(), **other}
    assert "<div" in est._repr_html_()  # what Jupyter shows


@pytest.mark.parametrize(
    "cls", [case[0] for case in CASES if case[0] is not Segmenter], ids=IDS[1:]
)
def test_unfitted_is_refused_in_both_vocabularies(cls):
    est = cls()
    with pytest.raises(NotFittedError, match="not fitted yet; call fit"):
        check_fitted(est)
    # The same error is scikit-learn's and a RuntimeError (what the toolkit raised before).
    assert issubclass(NotFittedError, SklearnNotFittedError)
    assert issubclass(NotFittedError, RuntimeError)
    with pytest.raises(SklearnNotFittedError):
        check_is_fitted(est)


class _DuckModel:
    """A model with fit that does not inherit scikit-learn's BaseEstimator."""

    def fit(self):
        self.coef_ = 1.0
        return self


def test_a_model_without_sklearns_base_gets_an_answer_not_an_attribute_error():
    # scikit-learn 1.6+ raises AttributeError (__sklearn_tags__) for such a model.
    with pytest.raises(NotFittedError, match="this _DuckModel is not fitted yet; call fit first"):
        check_fitted(_DuckModel())
    check_fitted(_DuckModel().fit())
    with pytest.raises(TypeError, match="is not an estimator instance"):
        check_fitted("a string")


def test_fitted_estimators_pass_the_fitted_check():
    corpus = read_jsonl(SAMPLE)
    detector = TermDetector(progress=False).fit(corpus)
    check_is_fitted(detector)
    check_fitted(detector)
    index = SimilarityIndex(by="county", progress=False).fit(corpus)
    check_is_fitted(index)


def test_a_clone_of_a_fitted_detector_is_unfitted_and_refits_the_same():
    corpus = read_jsonl(SAMPLE)
    detector = TermDetector(progress=False).fit(corpus)
    fresh = clone(detector)
    with pytest.raises(NotFittedError):
        check_fitted(fresh)
    refit = fresh.fit(corpus)
    assert refit.terms_.equals(detector.terms_)


def test_a_used_segmenter_pickles_and_segments_the_same():
    corpus = read_jsonl(SAMPLE)
    seg = Segmenter(progress=False).fit(corpus)
    before = [seg.segment_text(doc.text) for doc in corpus]
    again = pickle.loads(pickle.dumps(seg))
    assert [again.segment_text(doc.text) for doc in corpus] == before


def test_importing_toolkit_stays_light():
    import subprocess
    import sys

    code = (
        "import sys, toolkit; print(sorted(m for m in ('pandas', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert "TermDetector" in dir(toolkit)


def test_a_vectorizer_with_the_segmenter_as_tokenizer_pickles():
    from sklearn.feature_extraction.text import CountVectorizer

    texts = [doc.text for doc in read_jsonl(SAMPLE)]
    vectorizer = CountVectorizer(
        tokenizer=Segmenter(progress=False).segment_text, token_pattern=None
    )
    counts = vectorizer.fit_transform(texts[:20])
    again = pickle.loads(pickle.dumps(vectorizer))
    assert list(again.get_feature_names_out()) == list(vectorizer.get_feature_names_out())
    assert (again.transform(texts[20:]) != vectorizer.transform(texts[20:])).nnz == 0
    assert counts.shape[0] == 20
