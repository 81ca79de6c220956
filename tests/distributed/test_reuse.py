"""Text reuse on a 2-worker LocalCluster equals find_reuse in one process (issue 15)."""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from toolkit import Corpus, Document, find_reuse, read_jsonl
from toolkit.distributed import find_reuse_distributed
from toolkit.similarity.reuse.minhash import (
    build_windows,
    concat_windows,
    matching_text,
    merge_shingle_df,
    shingle_df,
    shingle_hashes,
)

from .conftest import SAMPLE

ARTICLES = SAMPLE.with_name("page_articles.jsonl")


@pytest.fixture(scope="module")
def both(corpus: Corpus) -> Corpus:
    # Towns and newspaper articles: boilerplate and distinctive reuse across the two files.
    return corpus.concat(read_jsonl(ARTICLES))


@pytest.fixture(scope="module")
def expected(both: Corpus) -> pd.DataFrame:
    return find_reuse(both, docvars="county", progress=False)


def test_the_sample_has_both_kinds_of_reuse(expected: pd.DataFrame) -> None:
    # What the equality tests below compare is not an empty or one-sided table.
    assert expected["boilerplate"].any()
    assert (~expected["boilerplate"]).any()


@pytest.mark.parametrize("partition_size", [1, 5, 256])
def test_passages_equal_find_reuse(
    client: Any, both: Corpus, expected: pd.DataFrame, partition_size: int
) -> None:
    # partition_size=1: every candidate pair joins windows signed in two tasks.
    got = find_reuse_distributed(
        both, client=client, docvars="county", partition_size=partition_size, progress=False
    )
    assert_frame_equal(got, expected, check_exact=True)


def test_background_drop_and_other_parameters_equal_find_reuse(client: Any, corpus: Corpus) -> None:
    options: dict[str, Any] = {
        "min_chars": 40,
        "max_edit": 0.2,
        "max_df": 3,
        "boilerplate": "drop",
        "shingle": 4,
        "num_perm": 64,
        "bands": 32,
        "seed": 7,
        "progress": False,
    }
    background = list(read_jsonl(ARTICLES))
    one = find_reuse(corpus, background=background, **options)
    got = find_reuse_distributed(
        corpus, client=client, background=background, partition_size=4, **options
    )
    assert len(one) > 0
    assert_frame_equal(got, one, check_exact=True)


def test_no_documents_gives_find_reuses_empty_table(client: Any) -> None:
    got = find_reuse_distributed([], client=client, progress=False)
    assert_frame_equal(got, find_reuse([], progress=False))
    assert got.empty


def test_the_shared_parameters_have_find_reuses_defaults() -> None:
    ours = inspect.signature(find_reuse_distributed).parameters
    theirs = inspect.signature(find_reuse).parameters
    shared = set(ours) & set(theirs)
    assert shared == set(theirs) - {"n_jobs"}
    assert {name: ours[name].default for name in shared} == {
        name: theirs[name].default for name in shared
    }


def test_lists_the_corpus_once_and_refuses_a_generator(client: Any, corpus: Corpus) -> None:
    class Passes:
        def __init__(self, docs: list[Document]) -> None:
            self.docs, self.passes = docs, 0

        def __iter__(self) -> Iterator[Document]:
            self.passes += 1
            return iter(self.docs)

    counted = Passes(list(corpus)[:6])
    find_reuse_distributed(counted, client=client, progress=False)
    assert counted.passes == 1
    with pytest.raises(TypeError, match=r"one-shot iterator \(generator\) but several passes"):
        find_reuse_distributed((d for d in corpus), client=client, progress=False)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"corpus": "推进扫黑除恶"},
            TypeError,
            r"find_reuse_distributed: corpus must be a Corpus, CorpusStream or list of "
            r"Document, not a str",
        ),
        ({"bands": 3}, ValueError, r"bands must divide num_perm \(128\) \(got 3\)"),
        ({"max_edit": 1.0}, ValueError, r"max_edit must be a number in \[0, 1\) \(got 1.0\)"),
        ({"partition_size": 0}, ValueError, r"partition_size must be an integer >= 1 \(got 0\)"),
        ({"docvars": "village"}, KeyError, r"find_reuse: no docvar named 'village'; available"),
    ],
    ids=["str", "bands", "max_edit", "partition_size", "docvars"],
)
def test_bad_arguments_are_refused_with_find_reuses_messages(
    client: Any, corpus: Corpus, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    arguments: dict[str, Any] = {"corpus": corpus, "progress": False, **kwargs}
    with pytest.raises(error, match=message):
        find_reuse_distributed(client=client, **arguments)


def test_windows_signed_by_parts_equal_the_whole(corpus: Corpus) -> None:
    hashes = [shingle_hashes(matching_text(d.text), 5) for d in corpus]
    options: dict[str, Any] = {"k": 5, "stride": 23, "num_perm": 32, "seed": 3}
    whole = build_windows(hashes, **options)
    cuts = [0, 1, 10, 11, 36]
    parts = [build_windows(hashes[a:b], **options) for a, b in itertools.pairwise(cuts)]
    merged = concat_windows(parts, num_perm=32, doc_offsets=cuts[:-1])
    for field in ("doc", "start", "end", "signature"):
        np.testing.assert_array_equal(getattr(merged, field), getattr(whole, field))
    assert concat_windows([], num_perm=32).signature.shape == (0, 32)


def test_shingle_counts_of_parts_add_up_to_the_whole(corpus: Corpus) -> None:
    hashes = [shingle_hashes(matching_text(d.text), 5) for d in corpus]
    values, counts = shingle_df(hashes)
    merged = merge_shingle_df([shingle_df(hashes[:7]), shingle_df(hashes[7:]), shingle_df([])])
    np.testing.assert_array_equal(merged[0], values)
    np.testing.assert_array_equal(merged[1], counts)
    assert merged[1].dtype == np.int64
    assert [len(a) for a in merge_shingle_df([])] == [0, 0]
