"""The static score bound of TermDetector.detect: it skips work, never rows (issue 12)."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pandas as pd
import pytest

from toolkit import Corpus, Document, TermDetector, read_jsonl

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"


def assert_bound_changes_nothing(det: TermDetector, *inputs: Corpus | str) -> None:
    """``detect`` gives the same frames with the bound as without it, and the bound skips."""
    texts = [text for x in inputs for text in ([x] if isinstance(x, str) else _first_texts(x))]
    bounded = [det.detect(x) for x in inputs]
    n_bounded = sum(len(det._candidates(text)) for text in texts)
    # The same matcher without its score bounds, as fit uses while it counts.
    det._build_matcher(prune=False)
    unbounded = [det.detect(x) for x in inputs]
    n_unbounded = sum(len(det._candidates(text)) for text in texts)
    assert n_bounded < n_unbounded, "the bound skipped no candidate: the test compares nothing"
    for with_bound, without_bound in zip(bounded, unbounded, strict=True):
        pd.testing.assert_frame_equal(with_bound, without_bound)


def _first_texts(corpus: Corpus) -> list[str]:
    return [doc.text for doc in islice(corpus, 5)]


def test_bound_keeps_every_row_on_the_sample_corpus():
    corpus = read_jsonl(SAMPLE)
    det = TermDetector(progress=False).fit(corpus)
    # The shorter a text, the higher its candidates score: the bound skips
    # nothing in the short sample texts, but does in all of them as one text.
    assert_bound_changes_nothing(det, corpus, "\n".join(doc.text for doc in corpus))


@pytest.mark.shared
def test_bound_keeps_recurring_parallel_formulas_on_provincial_reports(shared):
    # Before the fix the bound skipped recurring parallel formulas matched from
    # the corpus vocabulary (经济建设、政治建设、文化建设, 高端化、智能化、绿色化),
    # which min_score exempts: 13 rows lost on these 50 whole reports, 5 on
    # their first 6,000 characters, which keep the test fast. A formula is
    # lost only in a long text (its score falls with the text's length).
    path = shared / "data" / "gov_work_reports" / "provincial.jsonl"
    reports = islice(read_jsonl(path, id_field="id", stream=True), 50)
    corpus = Corpus([Document(doc.doc_id, doc.text[:6000], doc.meta) for doc in reports])
    assert_bound_changes_nothing(TermDetector(progress=False).fit(corpus), corpus)


def test_features_come_in_the_order_of_the_weights():
    """``_rank`` sums the features against the weights' values by position."""
    from toolkit.terms.scoring import _WEIGHT_VALUES, _WEIGHTS

    det = TermDetector(progress=False).fit(["推行“一线工作法”，坚持一线工作法。"])
    text = "坚持一线工作法"
    cand = next(iter(det._candidates(text).values()))
    features = det._features(cand, cand.key, "quoted", 1, 1, 1, len(text))
    assert list(features) == list(_WEIGHTS)
    assert tuple(_WEIGHTS[name] for name in features) == _WEIGHT_VALUES
