"""Tests for toolkit.normalize.width.fullwidth_to_halfwidth."""

from __future__ import annotations

import pytest

from toolkit.normalize import fullwidth_to_halfwidth

KEPT = "！（），：；？"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０２１年ＡＰＰ", "2021年APP"),
        ("市民可拨打１２３４５热线反映诉求", "市民可拨打12345热线反映诉求"),
        ("全年完成固定资产投资３．９６亿元", "全年完成固定资产投资3.96亿元"),
        ("城乡居民人均可支配收入同比增长１２．５％", "城乡居民人均可支配收入同比增长12.5%"),
        ("深化“互联网＋政务服务”改革", "深化“互联网+政务服务”改革"),
        ("全镇排查隐患１２８处，已全部整改到位！", "全镇排查隐患128处，已全部整改到位！"),
        ("行政村实现５Ｇ信号和Ｗｉ－Ｆｉ全覆盖", "行政村实现5G信号和Wi-Fi全覆盖"),
        ("每户补贴３００～５００元", "每户补贴300~500元"),
        ("登录＂浙里办＂ＡＰＰ", '登录"浙里办"APP'),
        ("邮箱ｘｃｂ＠ｅｘａｍｐｌｅ．ｃｎ", "邮箱xcb@example.cn"),
        ("比例为１：２", "比例为1：2"),  # the colon is Chinese punctuation and stays
        ("是否达标？（见附件）：是；否！", "是否达标？（见附件）：是；否！"),
        ("、。“”‘’《》【】〔〕…—·「」『』", "、。“”‘’《》【】〔〕…—·「」『』"),
        ("\u3000\u3000乡村振兴", "\u3000\u3000乡村振兴"),
        ("already half-width 2021, ok", "already half-width 2021, ok"),
        ("", ""),
    ],
)
def test_fullwidth_to_halfwidth(text: str, expected: str) -> None:
    assert fullwidth_to_halfwidth(text) == expected


@pytest.mark.parametrize("code", range(0xFF01, 0xFF5F), ids=lambda code: f"U+{code:04X}")
def test_every_fullwidth_form_maps_to_its_ascii_twin_unless_chinese(code: int) -> None:
    char = chr(code)
    expected = char if char in KEPT else chr(code - 0xFEE0)
    assert fullwidth_to_halfwidth(char) == expected


def test_rejects_non_str() -> None:
    with pytest.raises(TypeError, match=r"^text must be a str \(got bytes\)$"):
        fullwidth_to_halfwidth("２０２１".encode())  # type: ignore[arg-type]
