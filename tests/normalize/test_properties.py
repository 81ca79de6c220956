"""Property tests: idempotence and preservation of Chinese characters.

The generated text mixes the material the context rules care about: Chinese
characters from several Unicode blocks, ASCII and full-width letters, digits
and punctuation, curly, corner and straight quotes, every kind of whitespace
and line break, control and zero-width characters, plus arbitrary code points.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit.normalize import (
    ascii_punctuation_to_fullwidth,
    collapse_whitespace,
    compose,
    fullwidth_to_halfwidth,
    normalize,
    remove_control_characters,
    to_simplified,
    unify_quotes,
)

# Written out independently of toolkit.normalize.chars so the oracle is not the code.
CHINESE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")

PIECES = [
    *"政府乡村振兴共同富裕民生幸福基层群众个年元县镇",
    *"㐀㑮豈𠀀𫝈",
    *"aZx09%",
    *",;:?!()\"'.+-/",
    *"ＡＰｚ０９．，！？：；（）％＋＂＇～",
    *"，。、“”‘’《》【】〔〕…—·「」『』",
    *" \t\u3000\u00a0\u2002",
    *"\n\n\r\x0c\x85\u2028",
    *"\x00\x07\x1b\x7f\x9f\u200b\u200d\u2060\ufeff\u00ad\u202e",
    # Multi-character pieces make the interesting adjacencies common.
    "\r\n",
    "3,720",
    "1:2",
    "http://a.b",
    '"1+x"',
    "(试行)",
    "(一)",
    "?!",
]
piece = st.sampled_from(PIECES)
broad_texts = st.lists(
    st.one_of(piece, piece, piece, st.characters(exclude_categories=("Cs",))), max_size=40
).map("".join)
# Short strings over few symbols, so that the adjacencies the rules look at
# (`中,"`, `）"`, `?` before trailing space, ...) come up in most examples.
DENSE = ["中", "文", "A", "1", ",", "?", "!", "(", ")", '"', "'", " ", "\u3000", "\n", "\r"]
DENSE += ["\u200b", "“", "”", "（", "）", "，", "：", "Ｂ", "＂", "「", "」"]
dense_texts = st.lists(st.sampled_from(DENSE), max_size=14).map("".join)
# Snippets that each carry one piece of context; concatenating a few of them
# produces the boundary cases between rules (`中,` + `"中"`, `(中)` + `"x"`,
# `中?` + `\u3000` + `\n`) far more often than character-level sampling does.
FRAGMENTS = ["中", "中,", "中?", ",", "1", '"x"', '"中"', '"', "'中'", "(中)", "(", ")"]
FRAGMENTS += [" ", "\u3000", "\n", "\x85", "\u200b", "＂"]
fragment_texts = st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join)
texts = st.one_of(fragment_texts, dense_texts, broad_texts)

# Policy vocabulary in traditional and simplified form. OpenCC is not idempotent
# on every phrase (see to_simplified's Notes), so t2s properties use characters
# that are stable under it.
T2S_PIECES = [
    *"國家發展經濟會議區縣鄉鎮幹部黨員群眾務實體製範圍關於實施計劃項目資金農業環境衛生",
    *"国家发展经济会议区县乡镇干部党员群众务实体制范围关于实施计划项目资金农业环境卫生",
    *"，。“”「」,:(\"' \u3000\n１２ａ",
]
t2s_texts = st.lists(st.sampled_from(T2S_PIECES), max_size=40).map("".join)

CHINESE_PRESERVING: list[Callable[[str], str]] = [
    fullwidth_to_halfwidth,
    ascii_punctuation_to_fullwidth,
    unify_quotes,
    remove_control_characters,
    collapse_whitespace,
    normalize,
]
SAME_LENGTH: list[Callable[[str], str]] = [
    fullwidth_to_halfwidth,
    ascii_punctuation_to_fullwidth,
    unify_quotes,
]
switches = st.fixed_dictionaries(
    {name: st.booleans() for name in ("width", "punctuation", "quotes", "controls", "whitespace")}
)


def chinese_of(text: str) -> list[str]:
    return CHINESE.findall(text)


@pytest.mark.parametrize("function", CHINESE_PRESERVING, ids=lambda f: f.__name__)
@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_idempotent(function: Callable[[str], str], text: str) -> None:
    once = function(text)
    assert function(once) == once


@pytest.mark.parametrize("function", CHINESE_PRESERVING, ids=lambda f: f.__name__)
@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_chinese_characters_are_kept(function: Callable[[str], str], text: str) -> None:
    assert chinese_of(function(text)) == chinese_of(text)


@pytest.mark.parametrize("function", SAME_LENGTH, ids=lambda f: f.__name__)
@settings(max_examples=100, deadline=None)
@given(text=texts)
def test_one_for_one_replacement(function: Callable[[str], str], text: str) -> None:
    assert len(function(text)) == len(text)


_WITHOUT_CONTROLS = {
    "width": True,
    "punctuation": True,
    "quotes": True,
    "controls": False,
    "whitespace": True,
}


# Without the controls step, punctuation must already treat NEL as a line end,
# or collapse_whitespace turns it into "\n" and creates work for a second pass.
@example(text="是否完成?\x85", flags=_WITHOUT_CONTROLS)
@example(text="\x85(中)", flags=_WITHOUT_CONTROLS)
@settings(max_examples=200, deadline=None)
@given(text=texts, flags=switches)
def test_normalize_is_idempotent_for_every_switch_combination(
    text: str, flags: dict[str, bool]
) -> None:
    once = normalize(text, **flags)
    assert normalize(once, **flags) == once
    assert chinese_of(once) == chinese_of(text)


# Each pinned example breaks idempotence if one step's rule is changed so that a
# later step can create work for it (order of quotes and punctuation, "line end"
# that does not ignore whitespace, quote neighbours that count punctuation, ...).
@example(text='坚持,"民生幸福"导向')
@example(text="是否完成?\u3000\n")
@example(text="深入群众, ")
@example(text="\u3000(一)加强领导")
@example(text='(试行)"x"')
@example(text="是否完成?\x85")
@example(text="\x85(中)")
@example(text="中\u200b,全面")
@example(text="(中)(中),(中)")
@settings(max_examples=200, deadline=None)
@given(text=fragment_texts)
def test_normalize_is_idempotent_at_rule_boundaries(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=100, deadline=None)
@given(text=texts, flags=switches)
def test_normalize_equals_composing_the_steps_in_order(text: str, flags: dict[str, bool]) -> None:
    steps = {
        "controls": remove_control_characters,
        "width": fullwidth_to_halfwidth,
        "quotes": unify_quotes,
        "punctuation": ascii_punctuation_to_fullwidth,
        "whitespace": collapse_whitespace,
    }
    chosen = [function for name, function in steps.items() if flags[name]]
    assert normalize(text, **flags) == compose(*chosen)(text)


@settings(max_examples=100, deadline=None)
@given(text=t2s_texts)
def test_to_simplified_is_idempotent_on_policy_vocabulary(text: str) -> None:
    once = to_simplified(text)
    assert to_simplified(once) == once


@settings(max_examples=100, deadline=None)
@given(text=t2s_texts)
def test_to_simplified_changes_only_chinese_characters(text: str) -> None:
    converted = to_simplified(text)
    assert CHINESE.sub("", converted) == CHINESE.sub("", text)
    assert len(chinese_of(converted)) == len(chinese_of(text))


@settings(max_examples=100, deadline=None)
@given(text=t2s_texts)
def test_normalize_with_t2s_is_idempotent_on_policy_vocabulary(text: str) -> None:
    once = normalize(text, t2s=True)
    assert normalize(once, t2s=True) == once
