"""The written shape of a parallel formula, shared by the quoted-term rule and term detection."""

from __future__ import annotations

import pytest

from toolkit.segment.parallel_form import is_parallel, units_are_parallel


@pytest.mark.parametrize(
    "units",
    [
        ["民事", "民议", "民决"],
        ["学党史", "悟思想", "办实事", "开新局"],
        # One head word makes a series whatever the length of what it modifies.
        ["经济建设", "政治建设", "文化建设", "社会建设", "生态文明建设"],
        ["小事不出社区", "大事不出街道"],
    ],
)
def test_parallel_units(units):
    assert units_are_parallel(units)


@pytest.mark.parametrize(
    "units",
    [
        ["北京", "上海", "广州"],
        ["电动汽车", "物联网"],
        # Two units with one head and different lengths are a list, not a series.
        ["经济建设", "生态文明建设"],
        # A shared head, but a unit that is nothing but the head.
        ["建设", "经济建设", "生态文明建设"],
    ],
)
def test_ordinary_lists_are_not_parallel(units):
    assert not units_are_parallel(units)


def test_is_parallel_reads_both_spellings():
    assert is_parallel("共建共治共享")
    assert is_parallel("经济建设、政治建设、文化建设、社会建设、生态文明建设")
    assert not is_parallel("北京、上海、广州")
