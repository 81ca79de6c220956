"""Quoted terms: what a text marks as its own formulations."""

from __future__ import annotations

import pytest

from toolkit.segment import quoted_terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("坚持“一线工作法”", ["一线工作法"]),
        ("推出基层治理“1+x”课堂", ["1+x", "1+x课堂"]),
        ("村“两委”换届", ["两委"]),
        ("招商引资“十强”产业", ["十强", "十强产业"]),
        ("「码上办」平台", ["码上办", "码上办平台"]),
        # Quotations and enumerations are not single terms.
        ("“以前单打独斗，价格被人压着走。”他说", []),
        ("“学党史、悟思想、办实事、开新局”", []),
        ("推行“双随机、一公开”监管", ["双随机、一公开"]),
        ("按照“民事、民议、民决”原则", ["民事、民议、民决"]),
        ("“水”“电”", []),
        ("“一线工作法”和“一线工作法”", ["一线工作法"]),
    ],
)
def test_quoted_terms(text, expected):
    assert quoted_terms(text) == expected
