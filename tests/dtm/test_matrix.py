"""DocTermMatrix: counts, trimming, weighting and grouping keep rows and docvars aligned."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from toolkit import Segmenter, Tokens, read_jsonl
from toolkit.dtm import DocTermMatrix, split_units

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"


@pytest.fixture(scope="module")
def corpus():
    return read_jsonl(SAMPLE)


@pytest.fixture(scope="module")
def dtm(corpus):
    # fit learns the corpus's quoted terms, so they stay whole features.
    seg = Segmenter(mode="analysis", progress=False).fit(corpus)
    return DocTermMatrix.from_tokens(seg.segment(corpus))


def test_counts_match_the_tokens(corpus, dtm):
    tokens = Segmenter(mode="analysis", progress=False).fit(corpus).segment(corpus)
    doc = tokens.doc_ids[0]
    row = dtm.counts[0].toarray().ravel()
    j = dtm.feature_names.index("一核两翼四联") if "一核两翼四联" in dtm.feature_names else None
    assert dtm.doc_ids == tokens.doc_ids and dtm.shape[0] == len(corpus)
    assert row.sum() == len(tokens[doc])
    assert dtm.feature_names == sorted(dtm.feature_names)
    # Official terms stay whole features: the county formula is one column.
    assert j is not None and dtm.counts[:, j].sum() >= 4
    assert dtm.docvars.loc[doc, "town"] == corpus[doc].meta["town"]


def test_group_preserves_column_sums(dtm):
    by_town = dtm.group("town")
    np.testing.assert_array_equal(
        np.asarray(by_town.counts.sum(axis=0)), np.asarray(dtm.counts.sum(axis=0))
    )
    assert by_town.doc_ids == sorted(set(dtm.docvars["town"]))
    assert by_town.docvars["n_documents"].sum() == len(dtm)
    with pytest.raises(KeyError, match=r"group: no docvar named 'village'; available: \["):
        dtm.group("village")


def test_trim_and_weight(dtm):
    trimmed = dtm.trim(min_df=2, max_df=0.5, min_count=3)
    df = np.asarray((trimmed.counts > 0).sum(axis=0)).ravel()
    assert trimmed.shape[1] < dtm.shape[1]
    assert df.min() >= 2 and df.max() <= 0.5 * len(dtm)
    assert np.asarray(trimmed.counts.sum(axis=0)).min() >= 3
    prop = dtm.weight("prop")
    np.testing.assert_allclose(np.asarray(prop.counts.sum(axis=1)).ravel(), 1.0)
    tfidf = dtm.weight("tfidf")
    everywhere = np.flatnonzero(np.asarray((dtm.counts > 0).sum(axis=0)).ravel() == len(dtm))
    assert all(tfidf.counts[:, j].sum() == 0 for j in everywhere)
    with pytest.raises(
        ValueError, match=r"scheme must be one of \{'prop', 'tfidf'\} \(got 'bm25'\)"
    ):
        dtm.weight("bm25")
    with pytest.raises(ValueError, match=r"max_df must be a share between 0.0 and 1.0 \(got 1.5\)"):
        dtm.trim(max_df=1.5)


def test_gensim_and_sklearn_views(dtm):
    bows, dictionary = dtm.to_gensim()
    assert len(bows) == len(dtm) and len(dictionary) == dtm.shape[1]
    first = dict(bows[0])
    for j, n in first.items():
        assert dtm.counts[0, j] == n and dictionary[j] == dtm.feature_names[j]
    assert dtm.to_sklearn().shape == dtm.shape


def test_paragraph_units_add_back_up_to_their_article(corpus):
    units = split_units(corpus[:3], "paragraph")
    assert all(d.meta["document"] in corpus for d in units)
    seg = Segmenter(mode="analysis", progress=False)
    by_unit = DocTermMatrix.from_tokens(seg.segment(units))
    by_doc = DocTermMatrix.from_tokens(seg.segment(corpus[:3]))
    back = by_unit.group("document")
    assert back.doc_ids == sorted(by_doc.doc_ids)
    assert back.feature_names == by_doc.feature_names
    assert back.counts.sum() == by_doc.counts.sum()
    with pytest.raises(ValueError, match=r"unit must be one of \{'document', 'paragraph'\}"):
        split_units(corpus, "sentence")


def test_rows_must_align():
    with pytest.raises(ValueError, match="one row per doc_id"):
        DocTermMatrix(np.zeros((2, 2)), doc_ids=["a"], feature_names=["x", "y"])
    tokens = Tokens([["河长制", "落实"], ["河长制"]], doc_ids=["a", "b"])
    assert DocTermMatrix.from_tokens(tokens).counts.toarray().tolist() == [[1, 1], [1, 0]]
