"""prepare_topics: the toolkit's way from a corpus to a matrix a topic model can learn from."""

from __future__ import annotations

import re
from pathlib import Path

import jieba
import pytest

from toolkit import Corpus, read_jsonl
from toolkit.segment import load_stopwords
from toolkit.topics import prepare_topics

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"


@pytest.fixture(scope="module")
def corpus():
    return read_jsonl(SAMPLE)


@pytest.fixture(scope="module")
def data(corpus):
    return prepare_topics(corpus, unit="paragraph", min_df=2, progress=False)


def test_units_are_paragraphs_traced_to_their_article(data, corpus):
    first = corpus[0]
    n_paragraphs = len([p for p in first.text.split("\n") if p.strip()])
    ids = [d for d in data.dtm.doc_ids if d.startswith(first.doc_id + "#p")]
    assert 0 < len(ids) <= n_paragraphs
    assert set(data.dtm.docvars.loc[ids, "document"]) == {first.doc_id}
    assert set(data.dtm.docvars.loc[ids, "town"]) == {first.meta["town"]}
    assert data.texts.doc_ids == data.dtm.doc_ids


def test_official_terms_stay_whole_that_jieba_splits(data):
    features = set(data.dtm.feature_names)
    tokenizer = jieba.Tokenizer()
    for term in ("新时代枫桥经验", "三色台账", "最后一公里", "笔锋夜校"):
        assert len(tokenizer.lcut(term)) > 1
        assert term in features
    # “四上门”工作法 is rejoined across the quote marks; 服务队 is a generic head, so
    # “四上门”服务队 is the term and a word (the quoted-term rule of toolkit.segment.quoted).
    assert {"四上门工作法", "四上门", "服务队"} <= features
    assert "四上门服务队" not in features


def test_no_stopwords_numbers_or_single_characters(data):
    features = data.dtm.feature_names
    stop = load_stopwords()
    assert not [f for f in features if len(f) < 2]
    assert not [f for f in features if f in stop]
    # Quantities go; numbered formulas such as 1+4+N and 12345热线 are terms and stay, and
    # so does a number the corpus quotes as a name (“246”服务站: the 246 formula).
    numbers = [f for f in features if re.fullmatch(r"[0-9.%]+[年月日个万亿元%]*", f)]
    assert numbers == ["246"]
    assert {"1+4+N", "12345热线"} <= set(features)
    # A quoted number with a head noun is a named formula the corpus learned.
    assert "246工作法" in features


def test_place_names_of_the_corpus_are_dropped(data, corpus):
    features = set(data.dtm.feature_names)
    towns = set(corpus.docvars["town"])
    assert "沙棠镇" in towns and "沙棠" not in features and "沙棠镇" not in features
    assert not towns & features
    assert not set(corpus.docvars["county"]) & features
    kept = prepare_topics(corpus, min_df=2, drop_places=False, progress=False)
    # Kept whole when asked for, not broken into pieces.
    assert "沙棠镇" in kept.dtm.feature_names


def test_units_left_empty_are_counted_and_named():
    corpus = Corpus.from_records(
        [
            {"doc_id": "a", "text": "推进河长制，落实河长制。\n2023年。\n河长制巡河。"},
            {"doc_id": "b", "text": "河长制巡河常态化。"},
        ]
    )
    data = prepare_topics(corpus, min_df=1, max_df=1.0, progress=False)
    assert data.dropped == ["a#p2"]
    assert "a#p2" not in data.dtm.doc_ids and len(data.dtm) == 3
    assert data.texts.doc_ids == data.dtm.doc_ids


def test_bad_parameters_are_named(corpus):
    with pytest.raises(
        ValueError, match=r"unit must be one of \{'document', 'paragraph'\} \(got 'line'\)"
    ):
        prepare_topics(corpus, unit="line", progress=False)
    with pytest.raises(ValueError, match=r"min_chars must be an integer >= 1 \(got 0\)"):
        prepare_topics(corpus, min_chars=0, progress=False)


def test_trimming_that_leaves_no_unit_is_refused_naming_min_df(corpus):
    # The sample corpus has a few hundred paragraphs: no word is in 1000 of them.
    with pytest.raises(ValueError, match=r"min_df=1000 and max_df=0\.5 leave 0 features"):
        prepare_topics(corpus, min_df=1000, progress=False)
    assert len(prepare_topics(corpus, min_df=2, progress=False).dtm) > 0
