"""A lexicon term is never cut out of the words around it (issue 13).

The sentences are from the government work reports in the shared data (state
documents, excluded from copyright by PRC Copyright Law art. 5).
"""

from __future__ import annotations

import pytest

from toolkit import Segmenter
from toolkit.segment.lexicon import Lexicon, splits_word

BROKEN = [
    # (term, sentence, a dictionary word the term would cut)
    ("强基", "加强基层政权建设和城乡基层民主政治建设。", "加强"),
    ("气质", "修订环境空气质量标准，增加细颗粒物PM2.5等监测指标。", "空气质量"),
    ("全覆盖", "重点发展中等职业教育，健全覆盖城乡的职业教育和培训网络。", "健全"),
    ("十一", "从今年开始，我省将实施第十一个五年规划。", "第十一个五年"),
]


@pytest.mark.parametrize(("term", "sentence", "word"), BROKEN)
def test_a_term_that_would_split_a_word_changes_nothing(term, sentence, word):
    tokens = Segmenter(lexicons=[[term]]).segment_text(sentence)
    assert term not in tokens and word in tokens
    assert tokens == Segmenter(lexicons=[]).segment_text(sentence)


@pytest.mark.parametrize(
    ("term", "sentence"),
    [
        ("强基", "深入实施“强基”计划。"),
        ("气质", "提升特色小镇的“颜值”和“气质”。"),
        ("全覆盖", "实现设市城市和县城污水处理设施“全覆盖”；"),
        ("全覆盖", "基本医疗保险实现全覆盖。"),
        ("十一", "“十一”黄金周期间旅游收入增幅居全国首位。"),
    ],
)
def test_the_same_terms_standing_alone_are_tokens(term, sentence):
    assert term in Segmenter(lexicons=[[term]]).segment_text(sentence)


def test_terms_in_ordinary_text_stay_whole():
    seg = Segmenter(lexicons=[["一线工作法", "河长制", "共建共治共享", "两委", "三农"]])
    text = "全面推行河长制，坚持一线工作法，坚持共建共治共享，选好村两委，抓好三农工作。"
    tokens = seg.segment_text(text)
    for term in ("一线工作法", "河长制", "共建共治共享", "两委", "三农"):
        assert term in tokens
    # 村两委 is one dictionary word that ends with the term: 两委 at the village level.
    assert tokens[tokens.index("两委") - 1] == "村"


def test_a_rejected_match_does_not_hide_the_term_after_it():
    # Leftmost-longest finds 强基 first; rejecting it must not lose 基层党建.
    tokens = Segmenter(lexicons=[["强基", "基层党建"]]).segment_text("全面加强基层党建工作。")
    assert "加强" in tokens and "基层党建" in tokens


def test_matcher_can_keep_substring_matching():
    lex = Lexicon(["强基"])
    assert lex.matcher().find("加强基层") == []
    assert lex.matcher(whole_words=False).find("加强基层") == [(1, 3)]


def test_splits_word_reads_only_edges_between_han_characters():
    assert splits_word("加强基层", 1, 3)
    assert not splits_word("“强基”", 1, 3)
    assert not splits_word("强基", 0, 2)
    # The matcher's ASCII rule, not the dictionary, decides edges beside Latin or digits.
    assert not splits_word("PM2.5浓度", 0, 5)


def test_word_pairs_are_the_adjacent_han_pairs_inside_dictionary_words():
    # The pairs come from one search over the dictionary's text; they must be
    # exactly the pairs a loop over each word of the parsed dictionary finds.
    from toolkit.segment.backends import jieba_frequencies
    from toolkit.segment.lexicon import _is_han, _word_pairs

    expected = {
        word[i : i + 2]
        for word in jieba_frequencies()
        for i in range(len(word) - 1)
        if _is_han(word[i]) and _is_han(word[i + 1])
    }
    pairs = _word_pairs()
    assert pairs == expected
    assert {"加强", "基层", "健全"} <= pairs
