"""Term detection on a 2-worker LocalCluster equals one process's (issue 15).

``fit_detector`` must give the ``terms_`` and ``periods_`` tables and fitted
attributes of ``TermDetector.fit``, ``detect_corpus`` the table of
``TermDetector.detect``, and ``tifa terms --scheduler`` the bytes of a run
without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from toolkit import Corpus, Document, TermDetector, read_jsonl
from toolkit.cli import main
from toolkit.distributed import detect_corpus, fit_detector, iter_detect_corpus
from toolkit.distributed._worker import engine_builds
from toolkit.distributed.terms import _aligned

from .conftest import SAMPLE


def _assert_same_fit(got: TermDetector, expected: TermDetector, n_documents: int = 36) -> None:
    pd.testing.assert_frame_equal(got.terms_, expected.terms_)
    pd.testing.assert_frame_equal(got.periods_, expected.periods_)
    # Item order too: the matcher and the ranking read these dicts in order.
    for name in ("vocabulary_", "discovered_", "expansions_", "abbreviations_", "df_"):
        assert list(getattr(got, name).items()) == list(getattr(expected, name).items()), name
    assert got.places_ == expected.places_
    assert got.n_documents_ == expected.n_documents_ == n_documents
    assert (got._cf, got._n_chars, got._bounds) == (
        expected._cf,
        expected._n_chars,
        expected._bounds,
    )


@pytest.fixture(scope="module")
def one_process(corpus: Corpus) -> TermDetector:
    return TermDetector(progress=False).fit(corpus)


@pytest.mark.parametrize("partition_size", [1, 5, 256])
def test_the_fit_equals_one_process_on_the_sample(
    client: Any, corpus: Corpus, one_process: TermDetector, partition_size: int
) -> None:
    det = TermDetector(progress=False)
    got = fit_detector(corpus, detector=det, client=client, partition_size=partition_size)
    assert got is det
    assert len(got.terms_) > 300 and len(got.discovered_) > 50  # the tables hold something
    _assert_same_fit(got, one_process)


def test_the_fit_equals_one_process_where_discovery_prunes_inside_the_corpus(
    client: Any, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Discovery forgets n-grams seen once every PRUNE_EVERY (200) documents; the
    # sample has 36. At 5, pruning changes what is discovered, and partitions
    # of 7 must be cut at 5, 10, ... for the merged counts to be one pass's.
    import toolkit.terms.detector as detector_module

    unpruned = TermDetector(progress=False).fit(corpus).discovered_
    monkeypatch.setattr(detector_module, "PRUNE_EVERY", 5)
    expected = TermDetector(progress=False).fit(corpus)
    assert expected.discovered_ != unpruned  # the test sees lossy counting at work
    got = fit_detector(
        corpus, detector=TermDetector(progress=False), client=client, partition_size=7
    )
    _assert_same_fit(got, expected)


def test_partitions_are_cut_at_each_pruning_point() -> None:
    parts = [(list("abcdefg"), [{}] * 7, list("1234567")), (list("hijklmn"), [{}] * 7, ["x"] * 7)]
    sizes = [len(ids) for ids, _, _ in _aligned(parts, 5)]
    assert sizes == [5, 2, 3, 4]  # ends at documents 5, 7, 10, 14
    assert [i for ids, _, _ in _aligned(parts, 5) for i in ids] == list("abcdefghijklmn")


def test_other_parameters_and_a_list_of_documents_fit_the_same(client: Any, corpus: Corpus) -> None:
    docs = list(corpus)[::-1]  # the input's order is kept, not a sorted one
    params = {"rank": "reader", "by": ["town"], "sources": ("quoted", "numbered", "parallel")}
    expected = TermDetector(progress=False, **params).fit(docs)
    got = fit_detector(docs, detector=TermDetector(progress=False, **params), client=client)
    _assert_same_fit(got, expected)


def test_a_heading_is_read_as_fit_reads_it(client: Any, corpus: Corpus) -> None:
    from toolkit import parse_page

    page = "甲县乙镇：织密“一张网”\n\n本报记者 张三\n\n乙镇推行“123工作法”。"
    docs = [*list(corpus)[:6], *parse_page(page)]
    assert "一张网" not in docs[-1].text  # only in the title, a docvar
    with pytest.warns(UserWarning, match="have no 'date'"):
        expected = TermDetector(progress=False).fit(docs)
    with pytest.warns(UserWarning, match="have no 'date'"):
        got = fit_detector(docs, detector=TermDetector(progress=False), client=client)
    _assert_same_fit(got, expected, n_documents=7)
    assert "一张网" in set(got.terms_["term"])
    pd.testing.assert_frame_equal(
        detect_corpus(docs, detector=got, client=client), expected.detect(docs)
    )


def test_a_page_is_read_with_its_headings(client: Any, seed_page: Path) -> None:
    from toolkit import parse_page
    from toolkit.ingest.headings import reading_text

    # Parsed without headings in the text: the detector reads them from the docvars.
    articles = parse_page(seed_page.read_text(encoding="utf-8"))
    assert all(reading_text(a) != a.text for a in articles)
    with pytest.warns(UserWarning, match="periods_ stay empty") as caught:
        expected = TermDetector(progress=False).fit(articles)
    with pytest.warns(UserWarning, match="periods_ stay empty") as dask_caught:
        got = fit_detector(articles, detector=TermDetector(progress=False), client=client)
    # The warning points at the caller, as fit's does.
    assert dask_caught[0].filename == caught[0].filename == __file__
    pd.testing.assert_frame_equal(got.terms_, expected.terms_)
    assert got.expansions_["123工作法"] == ["一张网", "两个引领", "三个平台"]
    pd.testing.assert_frame_equal(
        detect_corpus(articles, detector=got, client=client), expected.detect(articles)
    )


@pytest.mark.parametrize(("n", "partition_size"), [(None, 4), (5, 256), (1, 1)])
def test_detection_equals_one_process(
    client: Any, corpus: Corpus, one_process: TermDetector, n: int | None, partition_size: int
) -> None:
    expected = one_process.detect(corpus, n=n)
    got = detect_corpus(
        corpus, detector=one_process, client=client, n=n, partition_size=partition_size
    )
    assert len(got) >= 36  # every document of the sample has terms
    pd.testing.assert_frame_equal(got, expected)


def test_iter_detect_corpus_yields_detect_of_each_document_in_order(
    client: Any, corpus: Corpus, one_process: TermDetector
) -> None:
    pairs = list(
        iter_detect_corpus(corpus, detector=one_process, client=client, n=3, partition_size=5)
    )
    assert [doc_id for doc_id, _ in pairs] == corpus.doc_ids
    for (_, frame), doc in zip(pairs, corpus, strict=True):
        pd.testing.assert_frame_equal(frame, one_process.detect(doc, n=3))


def test_a_document_without_terms_gets_an_empty_table(
    client: Any, one_process: TermDetector
) -> None:
    docs = [Document("quiet", "今天天气很好。", {"town": "菱角乡"})]
    [(doc_id, frame)] = iter_detect_corpus(docs, detector=one_process, client=client)
    assert doc_id == "quiet" and frame.empty
    pd.testing.assert_frame_equal(frame, one_process.detect(docs[0]))
    pd.testing.assert_frame_equal(
        detect_corpus(docs, detector=one_process, client=client), one_process.detect(docs)
    )


def test_each_process_builds_a_detector_once_not_once_per_task(client: Any, corpus: Corpus) -> None:
    before = len(engine_builds())
    # 12 partitions per pass, 2 workers: the learning detector, the fitted one,
    # its table segmenter, and the detector with terms_ for detect. A lexicon
    # no other test uses: the cache outlives a test, keyed by what was shipped.
    det = TermDetector(lexicons=["builtin", ["一线工作法"]], progress=False)
    fit_detector(corpus, detector=det, client=client, partition_size=3)
    detect_corpus(corpus, detector=det, client=client, partition_size=3)
    built = engine_builds()[before:]
    assert len(built) == len(set(built)) == 4
    assert sum(key.endswith("/uses") for key in built) == 1
    detect_corpus(corpus, detector=det, client=client, partition_size=3)
    assert engine_builds()[before:] == built  # a second run reuses them


def test_the_callers_detector_keeps_its_parameters(client: Any, corpus: Corpus) -> None:
    det = TermDetector(n_jobs=2, progress=True)
    fit_detector(list(corpus)[:4], detector=det, client=client)
    assert (det.n_jobs, det.progress) == (2, True)


def test_guards_name_the_parameter(client: Any, corpus: Corpus, one_process: TermDetector) -> None:
    with pytest.raises(TypeError, match=r"fit_detector: corpus must be a Corpus, CorpusStream"):
        fit_detector("推进扫黑除恶", detector=TermDetector(), client=client)
    with pytest.raises(TypeError, match=r"fit_detector: detector must be a toolkit.TermDetector"):
        fit_detector(corpus, detector="jieba", client=client)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"corpus is a one-shot iterator \(generator\)"):
        fit_detector((d for d in corpus), detector=TermDetector(), client=client)
    with pytest.raises(ValueError, match=r"partition_size must be an integer >= 1 \(got 0\)"):
        fit_detector(corpus, detector=TermDetector(), client=client, partition_size=0)
    det = TermDetector()
    det.min_count = 0  # set after __init__, which checked it: fit checks again
    with pytest.raises(ValueError, match=r"min_count must be an integer >= 1 \(got 0\)"):
        fit_detector(corpus, detector=det, client=client)
    with pytest.raises(TypeError, match=r"corpus must hold Documents; item 0 is a str"):
        fit_detector(["推进扫黑除恶"], detector=TermDetector(), client=client)
    with pytest.raises(
        RuntimeError, match=r"this TermDetector is not fitted yet; call fit\(corpus\) first"
    ):
        detect_corpus(corpus, detector=TermDetector(), client=client)
    with pytest.raises(ValueError, match=r"n must be an integer >= 1 \(got 0\)"):
        detect_corpus(corpus, detector=one_process, client=client, n=0)
    with pytest.raises(TypeError, match=r"iter_detect_corpus: detector must be a toolkit"):
        next(iter_detect_corpus(corpus, detector=None, client=client))  # type: ignore[arg-type]


def test_tifa_terms_with_a_scheduler_writes_the_bytes_of_one_process(tmp_path: Path) -> None:
    # Issue 15: a 2-worker LocalCluster (worker processes) writes the same files.
    def run(name: str, *extra: str) -> list[Path]:
        paths = [tmp_path / f"{name}.jsonl", tmp_path / f"{name}.csv", tmp_path / f"{name}_p.csv"]
        argv = ["terms", str(SAMPLE), "-o", str(paths[0]), "--table", str(paths[1])]
        assert main([*argv, "--periods", str(paths[2]), "--n", "8", "--quiet", *extra]) == 0
        return paths

    one = run("one")
    dask = run("dask", "--scheduler", "local:2")
    for a, b in zip(one, dask, strict=True):
        assert b.read_bytes() == a.read_bytes(), b.name
    assert len(one[0].read_text(encoding="utf-8").splitlines()) == 36
    assert len(read_jsonl(SAMPLE)) == 36
