"""Abbreviations by word initials: 台独 / 台湾独立, 营改增 / 营业税改征增值税."""

from __future__ import annotations

from toolkit.segment.backends import jieba_frequencies
from toolkit.terms.abbreviations import abbreviations


def _cut(text: str) -> list[str]:
    import rjieba

    return rjieba.cut(text)


def _is_word(text: str) -> bool:
    return text in jieba_frequencies()


def test_initials_of_the_words_make_the_abbreviation():
    terms = ["台独", "台湾独立", "营改增", "营业税改征增值税", "扫黑除恶"]
    assert abbreviations(terms, _cut, _is_word) == {
        "台湾独立": "台独",
        "营业税改征增值税": "营改增",
    }


def test_a_dictionary_word_holding_a_whole_term_is_split_only_with_is_word():
    # jieba's dictionary lists 台湾独立 as one word.
    assert abbreviations(["台独", "台湾独立"], _cut) == {}


def test_numbered_formulas_and_one_character_words_abbreviate_nothing():
    # 两学一做's numerals are not initials; 民事民议 has one-character words.
    terms = ["两学", "两学一做学习教育", "民议", "民事民议", "双基", "双创基地"]
    assert abbreviations(terms, _cut, _is_word) == {}


def test_a_term_that_only_looks_like_the_initials_is_kept_apart():
    # 河湖长制 is another institution than 河长 (长制 is not a word); 航空母舰 is 航母.
    terms = ["河长", "河湖长制", "航母", "航空母舰"]
    assert abbreviations(terms, _cut, _is_word) == {"航空母舰": "航母"}
