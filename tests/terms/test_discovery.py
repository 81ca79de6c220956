"""Term discovery never runs a candidate through a time or discourse word (issue 13)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from toolkit import TermDetector, read_jsonl
from toolkit.terms.sources.boundaries import TIME_AND_DISCOURSE_WORDS

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"


def test_time_and_discourse_phrases_are_never_discovered():
    # 今年以来 is in 31 of the 36 sample articles; it was the corpus table's first row.
    corpus = read_jsonl(SAMPLE)
    assert sum("今年以来" in text for text in corpus.texts) == 31
    det = TermDetector(progress=False).fit(corpus)
    discovered = det.terms_.loc[det.terms_["kind"] == "discovered", "term"].tolist()
    assert discovered, "discovery found nothing: the test would guard nothing"
    assert not [t for t in discovered if any(w in t for w in ("今年以来", "下一步", "目前"))]
    assert "今年以来" not in set(det.terms_["term"])


def test_the_closed_class_holds_no_term_of_the_builtin_lexicon():
    from toolkit.segment import Lexicon

    builtin = Lexicon.builtin()
    assert not [w for w in TIME_AND_DISCOURSE_WORDS if w in builtin]


def _sample_tokens() -> list[list[str]]:
    from toolkit import Segmenter

    return list(Segmenter(progress=False).segment(read_jsonl(SAMPLE)))


def _state(d) -> tuple:
    # Key order too: select() lists terms in the order n-grams were first seen.
    return (
        list(d.ngram.items()),
        dict(d.whole),
        dict(d.df),
        dict(d.words),
        dict(d.parts),
        d.n_tokens,
        d.n_docs,
    )


def test_parts_counted_apart_and_merged_in_order_are_one_pass():
    # Issue 15: fit's discovery statistics are counted per partition on a cluster.
    from toolkit.segment.stopwords import load_stopwords
    from toolkit.terms.discovery import Discovery

    stop = load_stopwords()
    tokens = _sample_tokens()
    one = Discovery(stop=stop, prune_every=5)
    for doc in tokens:
        one.add(doc)
    merged = Discovery(stop=stop, prune_every=5)
    # Parts end at or before each pruning point (5, 10, ...), never across one.
    cuts = [0, 3, 5, 10, 11, 15, 20, 25, 30, 35, 36]
    for a, b in pairwise(cuts):
        part = Discovery(stop=stop, prune_every=0)
        for doc in tokens[a:b]:
            part.add(doc)
        merged.merge(part)
    assert one.n_docs == 36
    assert _state(merged) == _state(one)
    unpruned = Discovery(stop=stop, prune_every=0)
    for doc in tokens:
        unpruned.add(doc)
    assert len(one.ngram) < len(unpruned.ngram)  # the test saw lossy counting at work


def test_merge_refuses_a_part_across_a_pruning_point():
    from toolkit.terms.discovery import Discovery

    whole = Discovery(stop=frozenset(), prune_every=5)
    for _ in range(3):
        whole.add(["全面推进", "乡村振兴"])
    part = Discovery(stop=frozenset(), prune_every=0)
    for _ in range(3):
        part.add(["全面推进", "乡村振兴"])
    with pytest.raises(
        ValueError,
        match=r"cannot merge 3 documents after 3: the counts are pruned every 5 documents, "
        r"so a part must not span a multiple of 5",
    ):
        whole.merge(part)
