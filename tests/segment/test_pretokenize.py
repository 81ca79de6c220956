"""Numbers, units, dates and Latin are tokenized before the backend sees the text."""

from __future__ import annotations

import pytest

from toolkit.segment.pretokenize import PROTECTED_SPLIT, split_protected


@pytest.mark.parametrize(
    ("text", "protected"),
    [
        ("完成财政税收3720万元", ["3720万元"]),
        ("总产值3.96亿元", ["3.96亿元"]),
        ("2021年5月12日", ["2021年", "5月", "12日"]),
        ("增长12.5%", ["12.5%"]),
        ("投资1,250万美元", ["1,250万美元"]),
        ("开通APP和12345热线", ["APP", "12345"]),
        ("推广4G和5G网络", ["4G", "5G"]),
        ("二○○一年新年贺词", ["二○○一年"]),
        ("网址www.example.cn，邮箱a.b@example.cn", ["www.example.cn", "a.b@example.cn"]),
        ("１２３４５热线", ["１２３４５"]),
        ("“1+x”课堂", ["1", "+", "x"]),
    ],
)
def test_protected_spans(text, protected):
    pieces = list(split_protected(text))
    assert [p for p, is_protected in pieces if is_protected] == protected
    assert "".join(p for p, _ in pieces) == text


def test_fast_split_agrees_with_the_readable_one():
    text = "2021年,该镇APP下载量达3.96万次  同比增长12.5%\n“1+x”课堂开课30余次。"
    parts = PROTECTED_SPLIT(text)
    assert parts[1::2] == [p for p, is_protected in split_protected(text) if is_protected]
    assert "".join(parts) == text


def test_units_are_learned_from_a_word_list():
    from toolkit.segment.pretokenize import learn_units, protected_split

    pku_like = ["１９９８年", "２０００年", "１９９９年", "3万", "5万", "8万", "12月", "1月", "9月"]
    pku_like += ["5元"]  # once: not the list's convention
    units = learn_units(pku_like)
    assert units == ("万", "月")  # four-digit years are covered by the year rule already
    split = protected_split(units)
    assert split("投资3720万元")[1::2] == ["3720万"]
    assert split("共8个")[1::2] == ["8"]
    msr_like = ["8个", "3个", "12个", "20万元", "5万元", "7万元"]
    assert protected_split(learn_units(msr_like))("共8个")[1::2] == ["8个"]


def test_decimal_middle_dot():
    assert PROTECTED_SPLIT("增长14·9％")[1::2] == ["14·9％"]
