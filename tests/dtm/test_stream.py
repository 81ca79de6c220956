"""DocTermMatrix from a stream in two passes, or hashed in one (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.corpus import Corpus, CorpusStream, Document, read_corpus, write_parquet
from toolkit.dtm import DocTermChunks, DocTermMatrix, build_vocabulary
from toolkit.segment import Segmenter

SAMPLE = Path(__file__).parents[2] / "corpora" / "sample" / "towns.jsonl"


@pytest.fixture(scope="module")
def sample() -> Corpus:
    return read_corpus(SAMPLE)


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter(progress=False)


@pytest.fixture
def partitions(tmp_path: Path, sample: Corpus) -> CorpusStream:
    for n in range(5):
        write_parquet(sample[n * 8 : (n + 1) * 8], tmp_path / "parts" / f"part.{n}.parquet")
    return CorpusStream(tmp_path / "parts")


def _in_memory(corpus: Corpus, segmenter: Segmenter, **trim: object) -> DocTermMatrix:
    return DocTermMatrix.from_tokens(segmenter.segment(corpus)).trim(**trim)  # type: ignore[arg-type]


def _assert_equal(a: DocTermMatrix, b: DocTermMatrix) -> None:
    assert a.doc_ids == b.doc_ids
    assert a.feature_names == b.feature_names
    assert a.shape == b.shape
    assert (a.counts != b.counts).nnz == 0
    pd.testing.assert_frame_equal(a.docvars, b.docvars)


@pytest.mark.parametrize(
    "trim", [{}, {"min_df": 2}, {"min_df": 3, "max_df": 0.5}, {"min_df": 0.1, "max_df": 20}]
)
def test_two_passes_over_partitions_equal_the_in_memory_matrix(
    partitions: CorpusStream, sample: Corpus, segmenter: Segmenter, trim: dict
) -> None:
    streamed = DocTermMatrix.from_corpus(partitions, segmenter=segmenter, **trim)
    _assert_equal(streamed, _in_memory(sample, segmenter, **trim))
    assert streamed.counts.dtype == np.int64


def test_min_df_prunes_in_the_first_pass(partitions: CorpusStream, segmenter: Segmenter) -> None:
    everything = build_vocabulary(partitions, segmenter=segmenter)
    pruned = build_vocabulary(partitions, segmenter=segmenter, min_df=5)
    assert pruned == sorted(pruned) and set(pruned) < set(everything)
    dtm = DocTermMatrix.from_corpus(partitions, segmenter=segmenter, min_df=5)
    assert dtm.feature_names == pruned
    assert int((dtm.counts > 0).sum(axis=0).min()) >= 5


def test_a_known_vocabulary_is_one_pass_and_keeps_its_order(
    sample: Corpus, segmenter: Segmenter
) -> None:
    once = iter(sample)  # one pass suffices, so a generator is fine
    dtm = DocTermMatrix.from_corpus(
        once, segmenter=segmenter, vocabulary=["河长制", "治理", "乡村"]
    )
    assert dtm.feature_names == ["河长制", "治理", "乡村"]
    full = _in_memory(sample, segmenter)
    for j, name in enumerate(dtm.feature_names):
        expected = full.counts[:, full.feature_names.index(name)].toarray().ravel()
        assert dtm.counts[:, j].toarray().ravel().tolist() == expected.tolist()


def test_hashing_is_one_pass_stable_and_sums_the_tokens(
    sample: Corpus, segmenter: Segmenter
) -> None:
    hashed = DocTermMatrix.from_corpus(iter(sample), segmenter=segmenter, n_features=64)
    assert hashed.shape == (36, 64)
    assert hashed.feature_names[:3] == ["#0", "#1", "#2"]
    full = _in_memory(sample, segmenter)
    # Hashing moves counts between columns, never loses one.
    assert hashed.counts.sum(axis=1).A1.tolist() == full.counts.sum(axis=1).A1.tolist()
    again = DocTermMatrix.from_corpus(sample, segmenter=segmenter, n_features=64)
    assert (hashed.counts != again.counts).nnz == 0
    # murmurhash3 with seed 0, pinned: 河长制 lands in the same column on every run.
    one = Corpus([Document("a", "河长制")])
    col = DocTermMatrix.from_corpus(one, segmenter=segmenter, n_features=2**20).counts.indices
    from sklearn.utils import murmurhash3_32

    assert col.tolist() == [murmurhash3_32("河长制", seed=0, positive=True) % 2**20]


def test_chunks_share_features_and_add_up(
    partitions: CorpusStream, sample: Corpus, segmenter: Segmenter
) -> None:
    vocab = build_vocabulary(partitions, segmenter=segmenter, min_df=2)
    chunks = DocTermChunks(partitions, segmenter=segmenter, vocabulary=vocab, size=10)
    first = list(chunks)
    assert [len(c) for c in first] == [10, 10, 10, 6]
    assert all(c.feature_names == vocab for c in first)
    assert [d for c in first for d in c.doc_ids] == sample.doc_ids
    whole = _in_memory(sample, segmenter, min_df=2)
    stacked = np.vstack([c.counts.toarray() for c in first])
    assert (stacked == whole.counts.toarray()).all()
    assert [c.doc_ids for c in chunks] == [c.doc_ids for c in first]  # re-iterable
    hashed = DocTermChunks(sample, segmenter=segmenter, n_features=32, size=36)
    assert [c.shape for c in hashed] == [(36, 32)]


def test_a_corpus_that_changes_between_passes_is_refused(
    sample: Corpus, segmenter: Segmenter
) -> None:
    class Shifting:
        passes = 0

        def __iter__(self):
            self.passes += 1
            return iter(sample[: 10 + self.passes])

    with pytest.raises(
        ValueError,
        match=re.escape("corpus gave other documents in the second pass than in the first"),
    ):
        DocTermMatrix.from_corpus(Shifting(), segmenter=segmenter)


def test_refusals_name_what_to_pass(sample: Corpus, segmenter: Segmenter) -> None:
    with pytest.raises(TypeError, match=r"corpus is a one-shot iterator \(generator\)"):
        DocTermMatrix.from_corpus((d for d in sample), segmenter=segmenter, min_df=2)
    with pytest.raises(TypeError, match=r"corpus is a one-shot iterator \(list_iterator\)"):
        DocTermChunks(iter(sample), segmenter=segmenter, n_features=8)
    with pytest.raises(TypeError, match=r"segmenter must be a toolkit.Segmenter \(got str\)"):
        DocTermMatrix.from_corpus(sample, segmenter="jieba")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"corpus must hold Documents; item 0 is a str"):
        DocTermMatrix.from_corpus(["河长制"], segmenter=segmenter)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="pass vocabulary= or n_features=, not both"):
        DocTermMatrix.from_corpus(sample, segmenter=segmenter, vocabulary=["a"], n_features=8)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "min_df and max_df prune the vocabulary a first pass learns; with n_features= "
            "there is none (got min_df=2, max_df=None). Call .trim(min_df=...) on the result"
        ),
    ):
        DocTermMatrix.from_corpus(sample, segmenter=segmenter, n_features=8, min_df=2)
    with pytest.raises(ValueError, match=r"n_features must be an integer >= 1 \(got 0\)"):
        DocTermMatrix.from_corpus(sample, segmenter=segmenter, n_features=0)
    with pytest.raises(ValueError, match=r"min_df must be a share between 0.0 and 1.0 \(got 1.5\)"):
        DocTermMatrix.from_corpus(sample, segmenter=segmenter, min_df=1.5)
    with pytest.raises(ValueError, match="DocTermChunks needs one of vocabulary= or n_features="):
        DocTermChunks(sample, segmenter=segmenter)
    with pytest.raises(ValueError, match=r"size must be an integer >= 1 \(got 0\)"):
        DocTermChunks(sample, segmenter=segmenter, n_features=8, size=0)
