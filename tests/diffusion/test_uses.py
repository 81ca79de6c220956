"""A use of a term lies on token boundaries, never inside a word (issue 14)."""

from __future__ import annotations

import pytest

from toolkit import Corpus
from toolkit.diffusion import USE_COLUMNS, adoptions, count_uses


def _corpus(*texts: str) -> Corpus:
    return Corpus.from_records([{"doc_id": f"d{i}", "text": t} for i, t in enumerate(texts)])


def test_qiangji_inside_jiaqiang_jiceng_never_counts():
    corpus = _corpus("要加强基层组织建设，加强基层治理。", "推进强基工程，夯实基础。")
    uses = count_uses(corpus, ["强基"])
    assert uses["doc_id"].tolist() == ["d1"]
    assert uses["count"].tolist() == [1]
    assert corpus["d1"].text[uses["start"][0] : uses["end"][0]] == "强基"


def test_qizhi_inside_kongqi_zhiliang_never_counts():
    uses = count_uses(_corpus("改善空气质量，空气质量优良天数增加。"), ["气质", "空气质量"])
    assert uses[["term", "count"]].values.tolist() == [["空气质量", 2]]


def test_variants_with_quotes_and_enumeration_commas_are_one_term():
    text = "坚持共建共治共享，推进“共建、共治、共享”。"
    uses = count_uses(_corpus(text), ["共建共治共享"])
    assert uses["count"].tolist() == [2]
    assert list(uses.columns) == list(USE_COLUMNS)


def test_a_use_never_runs_across_a_clause_break():
    assert count_uses(_corpus("加快发展，改革开放。"), ["发展改革"]).empty


def test_a_bare_number_is_never_a_term():
    with pytest.raises(ValueError, match=r"terms holds '120', which is not countable"):
        count_uses(_corpus("拨打120。"), ["120"])


def test_terms_must_be_a_list_not_a_str():
    with pytest.raises(TypeError, match=r"terms must be a fitted TermDetector or a list of terms"):
        count_uses(_corpus("推进河长制。"), "河长制")


def test_adoptions_never_date_qiangji_or_qizhi_by_their_characters(corpus):
    # Every report writes 加强基层 and 空气质量 from 2000; 强基 is used as a word only
    # in 强基工程 (乙省 from 2002, 甲省 from 2004), and 气质 never.
    table = adoptions(corpus, terms=["强基", "气质"])
    assert set(table["term"]) == {"强基"}
    adopted = table[table["first_time"].notna()]
    assert dict(zip(adopted["unit"], adopted["first_time"], strict=True)) == {
        "乙省": 2002,
        "甲省": 2004,
    }
