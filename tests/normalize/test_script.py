"""Tests for toolkit.normalize.script.to_simplified."""

from __future__ import annotations

import re

import pytest

from toolkit.normalize import script, to_simplified

SIMPLIFIED_SAMPLE = (
    "本报讯 近日，县委召开常委会议，传达学习关于深入推进乡村振兴战略的实施意见。"
    "会议强调，要以“民生幸福”为标杆，坚持问题导向，下沉一线摸底，落实工作在基层。"
    "全年完成固定资产投资3.96亿元，同比增长12.5%，12345热线办结率达98%。\n\n"
    "（一）加强组织领导；（二）强化督查考核：一是压实责任，二是健全机制。"
)


@pytest.mark.parametrize(
    ("text", "config", "expected"),
    [
        ("關於深入推進鄉村振興戰略的實施意見", "t2s", "关于深入推进乡村振兴战略的实施意见"),
        ("縣委書記主持召開會議", "t2s", "县委书记主持召开会议"),
        ("２０２１年,「為人民服務」", "t2s", "２０２１年,「为人民服务」"),
        ("臺灣的軟體與記憶體", "tw2s", "台湾的软体与记忆体"),
        ("網路資訊", "hk2s", "网路资讯"),
        ("臺灣的軟體與記憶體", "tw2sp", "台湾的软件与内存"),
        ("隨身碟和滑鼠", "tw2sp", "U盘和鼠标"),
        ("", "t2s", ""),
    ],
)
def test_to_simplified(text: str, config: str, expected: str) -> None:
    assert to_simplified(text, config=config) == expected


def test_simplified_text_is_unchanged() -> None:
    assert to_simplified(SIMPLIFIED_SAMPLE) == SIMPLIFIED_SAMPLE


def test_converter_is_cached_per_config() -> None:
    assert script._converter("t2s") is script._converter("t2s")
    assert script._converter("t2s") is not script._converter("tw2s")


def test_rejects_unknown_config() -> None:
    message = "config must be one of {'hk2s', 't2s', 'tw2s', 'tw2sp'} (got 's2t')"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        to_simplified("國家", config="s2t")


def test_config_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        to_simplified("國家", "t2s")  # type: ignore[misc]


def test_rejects_non_str() -> None:
    with pytest.raises(TypeError, match=r"^text must be a str \(got int\)$"):
        to_simplified(1)  # type: ignore[arg-type]
