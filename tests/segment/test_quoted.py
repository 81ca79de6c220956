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
        # Quotations and long lists are not single terms.
        ("“以前单打独斗，价格被人压着走。”他说", []),
        ("“电动汽车、物联网、人工智能、大数据”", []),
        # Parallel units are one formula, also as clauses (one rule with the detector).
        ("“学党史、悟思想、办实事、开新局”", ["学党史、悟思想、办实事、开新局"]),
        ("坚持“小事不出村，大事不出镇”", ["小事不出村，大事不出镇"]),
        ("“以前单打独斗，价格被人压着走”", []),
        # A quoted number is a term (“4433”工作法 is defined in a report's glossary).
        ("推行“4433”工作法", ["4433", "4433工作法"]),
        # A generic head is a word of its own; a head that starts a longer word is left out.
        ("开展“回头看”活动", ["回头看"]),
        ("依托“1+4+N”网格化服务", ["1+4+N"]),
        # Scraped pages lose curly quotes.
        ('坚持"一线工作法"', ["一线工作法"]),
        ("推行“双随机、一公开”监管", ["双随机、一公开"]),
        ("按照“民事、民议、民决”原则", ["民事、民议、民决"]),
        ("“水”“电”", []),
        ("“一线工作法”和“一线工作法”", ["一线工作法"]),
    ],
)
def test_quoted_terms(text, expected):
    assert quoted_terms(text) == expected


def test_segmenter_learns_what_the_detector_finds_in_quotes():
    """One rule (issue 12): every single quoted term of the detector is learned by the segmenter."""
    from toolkit.terms.sources import find_quoted

    text = (
        "推行“4433”工作法，开展“回头看”活动，坚持“小事不出村，大事不出镇”，"
        '依托"1+4+N"网格化服务，围绕“建好”和“用好”，他说：“我们要干。”'
    )
    found = {s.form for s in find_quoted(text)}
    # The detector adds the formula that quoted units make together; the rest is shared.
    assert found == {*quoted_terms(text), "建好、用好"}
    assert "小事不出村，大事不出镇" in found and "回头看活动" not in found
