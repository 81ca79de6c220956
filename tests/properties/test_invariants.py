"""Properties that hold for any text: offsets, sums, symmetry (hypothesis).

Texts are drawn from pieces of policy prose (terms, places, punctuation,
numbers, quotes) so that the generator reaches the code paths real reports
reach: quoted terms, numbered and parallel formulas, passages shared between
documents.
"""

from __future__ import annotations

import warnings
from functools import cache

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO
from toolkit import (
    Corpus,
    DocTermMatrix,
    Segmenter,
    SimilarityIndex,
    TermDetector,
    find_reuse,
    read_corpus,
)

_PIECES = [
    "河长制",
    "湖长制",
    "“一线工作法”",
    "123工作法",
    "一张网",
    "两个引领",
    "三个平台",
    "民事、民议、民决",
    "共建共治共享",
    "扫黑除恶",
    "乡村振兴",
    "网格化管理",
    "党建引领",
    "青石镇",
    "柳湾乡",
    "推进",
    "落实",
    "全面",
    "深化",
    "建设",
    "工作",
    "群众",
    "，",
    "。",
    "、",
    "“",
    "”",
    "（",
    "）",
    "\n",
    " ",
    "2021年",
    "12条",
    "五个振兴",
    "四下基层",
]
_TEXTS = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=60).map("".join)
_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def _sample() -> Corpus:
    return read_corpus(REPO / "corpora" / "sample" / "towns.jsonl")


@cache
def _detector() -> TermDetector:
    return TermDetector(progress=False).fit(_sample())


@given(text=_TEXTS)
@_SETTINGS
def test_every_reported_offset_points_at_a_reported_form(text: str) -> None:
    table = _detector().detect(text)
    for row in table.itertuples():
        # ``first`` is where the text first writes the term, in one of its forms.
        assert any(text.startswith(form, row.first) for form in row.forms) or text.startswith(
            row.term, row.first
        ), (row.term, row.forms, row.first, text)


@given(texts=st.lists(_TEXTS, min_size=1, max_size=6), groups=st.data())
@_SETTINGS
def test_grouping_a_matrix_keeps_its_column_sums(texts: list[str], groups: st.DataObject) -> None:
    labels = groups.draw(
        st.lists(st.sampled_from("甲乙丙"), min_size=len(texts), max_size=len(texts))
    )
    corpus = Corpus.from_records(
        [
            {"doc_id": f"d{i}", "text": t, "town": g}
            for i, (t, g) in enumerate(zip(texts, labels, strict=True))
        ]
    )
    dtm = DocTermMatrix.from_tokens(Segmenter(progress=False).segment(corpus))
    grouped = dtm.group("town")
    np.testing.assert_array_equal(
        np.asarray(dtm.counts.sum(axis=0)).ravel(), np.asarray(grouped.counts.sum(axis=0)).ravel()
    )
    assert list(grouped.docvars["n_documents"]) == [labels.count(v) for v in sorted(set(labels))]


_LONG = st.lists(st.sampled_from(_PIECES), min_size=15, max_size=60).map("".join)


@given(extra=st.lists(_LONG, min_size=2, max_size=5))
@_SETTINGS
def test_similarity_is_symmetric_in_range_and_maximal_on_itself(extra: list[str]) -> None:
    records = [{"doc_id": f"x{i}", "text": t, "unit": f"u{i % 3}"} for i, t in enumerate(extra)] + [
        {"doc_id": "base", "text": "推进河长制，落实乡村振兴。", "unit": "u0"}
    ]
    corpus = Corpus.from_records(records)
    with warnings.catch_warnings():
        # A unit whose words all occur everywhere has no tf-idf feature: it says so.
        warnings.simplefilter("ignore", UserWarning)
        index = SimilarityIndex(by="unit", min_df=1, max_df=1.0, progress=False).fit(corpus)
    S = index.matrix().to_numpy()
    assert np.allclose(S, S.T)
    assert np.all(S >= -1e-9) and np.all(S <= 1 + 1e-9)
    assert np.allclose(np.diag(S), 1.0)
    assert np.all(np.diag(S)[:, None] + 1e-9 >= S)


@given(
    shared=st.lists(st.sampled_from(_PIECES), min_size=30, max_size=60).map("".join),
    before=_TEXTS,
    after=_TEXTS,
)
@_SETTINGS
def test_reuse_offsets_cut_out_the_reported_passages(shared: str, before: str, after: str) -> None:
    corpus = Corpus.from_records(
        [
            {"doc_id": "a", "text": before + shared},
            {"doc_id": "b", "text": shared + after},
            {"doc_id": "c", "text": after + "。" + before},
        ]
    )
    texts = {d.doc_id: d.text for d in corpus}
    found = find_reuse(corpus, min_chars=20, progress=False)
    assert isinstance(found, pd.DataFrame)
    for row in found.itertuples():
        assert texts[row.doc_a][row.start_a : row.end_a] == row.text_a
        assert texts[row.doc_b][row.start_b : row.end_b] == row.text_b
