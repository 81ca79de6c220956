"""Tests for toolkit.normalize.pipeline: normalize() and compose()."""

from __future__ import annotations

import functools
import re

import pytest

from toolkit.normalize import (
    collapse_whitespace,
    compose,
    normalize,
    pipeline,
    remove_control_characters,
    to_simplified,
    unify_quotes,
)

SWITCHES = ("width", "punctuation", "quotes", "controls", "whitespace", "t2s")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "\ufeff２０２１年,全县「１２３４５」热线办结率达９８．５％\r\n\r\n\r\n(完)",
            "2021年，全县“12345”热线办结率达98.5%\n\n（完）",
        ),
        # Quotes run before punctuation: the comma needs the curly quote as context.
        ('坚持,"民生幸福"导向', "坚持，“民生幸福”导向"),
        # Controls run first: the zero-width space hid the Chinese context.
        ("深入群众\u200b,全面了解", "深入群众，全面了解"),
        # Width runs before punctuation: ＡＰＰ must be seen as the word APP.
        ("上线ＡＰＰ,群众办事更方便", "上线APP，群众办事更方便"),
        (
            "\u3000\u3000下沉一线摸底\u3000落实工作在基层\n\n\n\n\u3000\u3000(一)加强组织领导\u3000",
            "下沉一线摸底 落实工作在基层\n\n（一）加强组织领导",
        ),
        ("全县共有农户3,720户,比例为1:2", "全县共有农户3,720户，比例为1:2"),
        ('He said "yes", see http://a.b (x).', 'He said "yes", see http://a.b (x).'),
        ("關於推進「數字政府」建設", "關於推進“數字政府”建設"),  # t2s is off by default
    ],
)
def test_normalize_defaults(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_normalize_t2s() -> None:
    text = '關於推進"數字政府"建設(試行)的實施意見'
    assert normalize(text, t2s=True) == "关于推进“数字政府”建设（试行）的实施意见"


@pytest.mark.parametrize(
    ("switch", "text", "expected"),
    [
        ("width", "２０２１年,全面", "２０２１年，全面"),
        ("punctuation", "２０２１年,全面", "2021年,全面"),
        ("quotes", "「民生」", "「民生」"),
        ("controls", "共同\u200b富裕", "共同\u200b富裕"),
        ("whitespace", "乡村\u3000\u3000振兴", "乡村\u3000\u3000振兴"),
    ],
)
def test_each_switch_turns_its_step_off(switch: str, text: str, expected: str) -> None:
    assert normalize(text, **{switch: False}) == expected


def test_all_switches_off_is_identity() -> None:
    text = "\ufeff２０２１年,「關於」\u3000\r\n\r\n\r\n"
    switches = dict.fromkeys(SWITCHES, False)
    assert normalize(text, **switches) == text


def test_step_order_is_pinned() -> None:
    names = [name for name, _ in pipeline._STEPS]
    assert names == ["controls", "width", "quotes", "punctuation", "whitespace", "t2s"]
    assert set(names) == set(SWITCHES)


@pytest.mark.parametrize("switch", SWITCHES)
@pytest.mark.parametrize("value", ["yes", 1, None])
def test_switches_must_be_bool(switch: str, value: object) -> None:
    message = f"{switch} must be one of {{False, True}} (got {value!r})"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        normalize("乡村振兴", **{switch: value})


def test_switches_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        normalize("乡村振兴", True)  # type: ignore[misc]


@pytest.mark.parametrize("bad", [1, None, b"bytes", ["list"]])
def test_normalize_rejects_non_str(bad: object) -> None:
    message = f"text must be a str (got {type(bad).__name__})"
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
        normalize(bad)  # type: ignore[arg-type]


def test_compose_applies_left_to_right() -> None:
    def tag_a(text: str) -> str:
        return text + "a"

    def tag_b(text: str) -> str:
        return text + "b"

    assert compose(tag_a, tag_b)("x") == "xab"
    assert compose(tag_b, tag_a)("x") == "xba"


def test_compose_of_nothing_is_identity() -> None:
    assert compose()("乡村 振兴") == "乡村 振兴"


def test_compose_accepts_bound_options() -> None:
    clean = compose(
        remove_control_characters,
        unify_quotes,
        functools.partial(to_simplified, config="tw2sp"),
        collapse_whitespace,
    )
    assert clean("\u200b「隨身碟」\u3000普及\r\n") == "“U盘” 普及"


def test_compose_name_lists_steps() -> None:
    assert compose(unify_quotes, collapse_whitespace).__name__ == (
        "compose(unify_quotes, collapse_whitespace)"
    )


def test_compose_rejects_non_callables() -> None:
    with pytest.raises(TypeError, match=r"^functions\[1\] must be callable \(got int\)$"):
        compose(unify_quotes, 5)  # type: ignore[arg-type]


def test_composed_function_rejects_non_str() -> None:
    with pytest.raises(TypeError, match=r"^text must be a str \(got int\)$"):
        compose()(5)  # type: ignore[arg-type]
