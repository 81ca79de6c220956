"""Segmentation on a 2-worker LocalCluster equals one process's (issue 15)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from toolkit import Corpus, CorpusStream, Segmenter
from toolkit.distributed import iter_segment_corpus, segment_corpus
from toolkit.distributed._worker import engine_builds
from toolkit.distributed.partitions import iter_partitions, ordered_map, shipped_segmenter

from .conftest import SAMPLE


@pytest.mark.parametrize("partition_size", [1, 5, 256])
def test_tokens_equal_one_process_on_the_sample(
    client: Any, corpus: Corpus, fitted: Segmenter, partition_size: int
) -> None:
    expected = fitted.segment(corpus)
    got = segment_corpus(corpus, segmenter=fitted, client=client, partition_size=partition_size)
    assert got == expected  # the same doc_ids in the same order, the same tokens
    assert got.provenance == expected.provenance
    assert got.docvars.equals(expected.docvars)
    assert got.tags is None


def test_a_stream_and_a_list_give_what_segment_gives_them(client: Any, fitted: Segmenter) -> None:
    stream = CorpusStream(SAMPLE)
    docs = list(stream)[::-1]  # any order of the input is kept, not a sorted one
    assert segment_corpus(stream, segmenter=fitted, client=client, partition_size=4) == (
        fitted.segment(stream)
    )
    got = segment_corpus(docs, segmenter=fitted, client=client, partition_size=4)
    assert got.doc_ids == [d.doc_id for d in docs]
    assert got == fitted.segment(docs)
    assert got.docvars.equals(fitted.segment(docs).docvars)


def test_tags_come_back_aligned(client: Any, corpus: Corpus) -> None:
    seg = Segmenter(pos=True, progress=False)
    expected = seg.segment(corpus)
    got = segment_corpus(corpus, segmenter=seg, client=client, partition_size=7)
    assert got == expected
    assert got.tags == expected.tags


def test_iter_segment_corpus_yields_in_input_order(
    client: Any, corpus: Corpus, fitted: Segmenter
) -> None:
    pairs = list(iter_segment_corpus(corpus, segmenter=fitted, client=client, partition_size=3))
    assert pairs == list(fitted.segment(corpus).items())


def test_each_process_builds_the_engine_once_not_once_per_task(client: Any, corpus: Corpus) -> None:
    seg = Segmenter(lexicons=["builtin", ["一线工作法"]], progress=False)
    key, _ = shipped_segmenter(seg)
    for _ in range(2):  # 2 runs x 12 partitions, on 2 workers of this process
        segment_corpus(corpus, segmenter=seg, client=client, partition_size=3)
    assert engine_builds().count(key) == 1


def test_the_callers_segmenter_is_left_as_it_was(client: Any, corpus: Corpus) -> None:
    seg = Segmenter(n_jobs=2, progress=True)
    segment_corpus(list(corpus)[:3], segmenter=seg, client=client)
    assert (seg.n_jobs, seg.progress) == (2, True)


def test_results_follow_the_input_not_the_order_partitions_finish(client: Any) -> None:
    # The first partition finishes last; the map still yields it first.
    docs = [(["a"], [{}], ["0.3"]), (["b"], [{}], ["0.0"]), (["c"], [{}], ["0.0"])]

    def slow(texts: list[str]) -> str:
        time.sleep(float(texts[0]))
        return texts[0]

    got = [(part[0], result) for part, result in ordered_map(client, slow, docs)]
    assert got == [(["a"], "0.3"), (["b"], "0.0"), (["c"], "0.0")]


def test_partitions_cut_in_order() -> None:
    from toolkit import Document

    docs = [Document(doc_id=str(i), text="文", meta={"i": i}) for i in range(5)]
    parts = list(iter_partitions(docs, 2))
    assert [p[0] for p in parts] == [["0", "1"], ["2", "3"], ["4"]]
    assert parts[2][1] == [{"i": 4}]


def test_an_empty_corpus_gives_empty_tokens(client: Any) -> None:
    got = segment_corpus([], segmenter=Segmenter(progress=False), client=client)
    assert len(got) == 0
    assert got.provenance["backend"] == "jieba-rs"


def test_guards_name_the_parameter(client: Any, corpus: Corpus, fitted: Segmenter) -> None:
    with pytest.raises(TypeError, match=r"segment_corpus: corpus must be a Corpus, CorpusStream"):
        segment_corpus("推进扫黑除恶", segmenter=fitted, client=client)
    with pytest.raises(TypeError, match=r"segmenter must be a toolkit.Segmenter \(got str\)"):
        segment_corpus(corpus, segmenter="jieba", client=client)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"partition_size must be an integer >= 1 \(got 0\)"):
        segment_corpus(corpus, segmenter=fitted, client=client, partition_size=0)
    with pytest.raises(TypeError, match=r"corpus must hold Documents; item 0 is a str"):
        segment_corpus(["推进扫黑除恶"], segmenter=fitted, client=client)
