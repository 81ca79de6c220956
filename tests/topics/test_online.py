"""TopicModel trains online from a stream of chunks (issue 15): same seed, same model."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from toolkit.corpus import CorpusStream, read_corpus, write_jsonl
from toolkit.dtm import DocTermChunks, DocTermMatrix, build_vocabulary
from toolkit.segment import Segmenter
from toolkit.topics import TopicModel

SAMPLE = Path(__file__).parents[2] / "corpora" / "sample" / "towns.jsonl"


@pytest.fixture(scope="module")
def chunks(tmp_path_factory: pytest.TempPathFactory) -> DocTermChunks:
    sample = read_corpus(SAMPLE)
    folder = tmp_path_factory.mktemp("parts")
    for n in range(3):
        write_jsonl(sample[n * 12 : (n + 1) * 12], folder / f"part.{n}.jsonl")
    stream = CorpusStream(folder)
    segmenter = Segmenter(mode="analysis", progress=False)
    vocab = build_vocabulary(stream, segmenter=segmenter, min_df=2, max_df=0.5)
    return DocTermChunks(stream, segmenter=segmenter, vocabulary=vocab, size=10)


def test_same_seed_same_model(chunks: DocTermChunks) -> None:
    a = TopicModel(k=3, seed=7, passes=2, iterations=20).fit_stream(chunks)
    b = TopicModel(k=3, seed=7, passes=2, iterations=20).fit_stream(chunks)
    c = TopicModel(k=3, seed=8, passes=2, iterations=20).fit_stream(chunks)
    assert np.array_equal(a.topic_term_, b.topic_term_)
    assert a.top_terms(5) == b.top_terms(5)
    assert not np.allclose(a.topic_term_, c.topic_term_)
    assert a.n_documents_ == 2 * 36
    assert a.feature_names_ == chunks.feature_names
    assert a.topic_term_.shape == (3, len(chunks.feature_names))
    np.testing.assert_allclose(a.topic_term_.sum(axis=1), 1.0, rtol=1e-5)
    assert not hasattr(a, "doc_topic_")


def test_fit_stream_equals_partial_fit_chunk_by_chunk(chunks: DocTermChunks) -> None:
    streamed = TopicModel(k=3, seed=1, passes=1, iterations=20).fit_stream(chunks)
    by_hand = TopicModel(k=3, seed=1, passes=1, iterations=20)
    for chunk in chunks:
        by_hand.partial_fit(chunk)
    assert np.array_equal(streamed.topic_term_, by_hand.topic_term_)
    shares = by_hand.transform(next(iter(chunks)))
    assert shares.shape == (10, 3)
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, rtol=1e-5)


def test_fit_stream_refits_from_scratch(chunks: DocTermChunks) -> None:
    model = TopicModel(k=3, seed=1, passes=1, iterations=20)
    first = model.fit_stream(chunks).topic_term_.copy()
    assert np.array_equal(model.fit_stream(chunks).topic_term_, first)
    assert model.n_documents_ == 36


def test_one_pass_takes_a_generator_several_refuse_it(chunks: DocTermChunks) -> None:
    TopicModel(k=2, seed=1, passes=1, iterations=5).fit_stream(c for c in chunks)
    with pytest.raises(
        TypeError,
        match=re.escape(
            "chunks is a one-shot iterator (generator) but several passes are needed; "
            "pass a list, a Corpus, or a re-iterable stream"
        ),
    ):
        TopicModel(k=2, seed=1, passes=2).fit_stream(c for c in chunks)


def test_online_refusals(chunks: DocTermChunks) -> None:
    chunk = next(iter(chunks))
    with pytest.raises(
        ValueError,
        match=re.escape(
            "online training needs backend='gensim' and no covariates (got "
            "backend='tomotopy', covariates=None)"
        ),
    ):
        TopicModel(k=2, seed=1, backend="tomotopy").partial_fit(chunk)
    with pytest.raises(TypeError, match="for one matrix call fit"):
        TopicModel(k=2, seed=1, passes=1).fit_stream(chunk)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"fit_stream needs at least one chunk \(got none\)"):
        TopicModel(k=2, seed=1, passes=1).fit_stream([])
    model = TopicModel(k=2, seed=1, iterations=5).partial_fit(chunk)
    other = DocTermMatrix(
        chunk.counts[:, :-1], doc_ids=chunk.doc_ids, feature_names=chunk.feature_names[:-1]
    )
    with pytest.raises(
        ValueError, match="partial_fit needs every chunk to have the features of the first"
    ):
        model.partial_fit(other)
    fitted = TopicModel(k=2, seed=1, backend="tomotopy", passes=1, iterations=5).fit(chunk)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "partial_fit continues an online model; this one was fitted by fit(dtm) with "
            "another backend. Call fit_stream, or partial_fit on a new TopicModel"
        ),
    ):
        fitted.partial_fit(chunk)
