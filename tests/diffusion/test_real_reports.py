"""Diffusion on the real national and provincial government work reports (../shared; skipped
when absent). Pins what the study reports and what detection must never do (issue 14)."""

from __future__ import annotations

import pytest

from toolkit.diffusion import adoptions, count_uses, diffusion_table
from toolkit.ingest import read_gov_reports

pytestmark = pytest.mark.shared

TERMS = ["河长制", "精准扶贫", "乡村振兴", "放管服", "六稳", "强基", "气质"]


@pytest.fixture(scope="module")
def reports(shared):
    folder = shared / "data" / "gov_work_reports"
    return read_gov_reports([folder / "national.jsonl", folder / "provincial.jsonl"])


@pytest.fixture(scope="module")
def table(reports):
    return adoptions(reports, terms=TERMS)


def test_no_counted_use_of_qiangji_or_qizhi_lies_inside_a_longer_word(reports):
    uses = count_uses(reports, ["强基", "气质"])
    for doc_id, start, end in zip(uses["doc_id"], uses["start"], uses["end"], strict=True):
        text = reports[doc_id].text
        assert "加强基层" not in text[max(0, start - 1) : end + 2]
        assert "空气质量" not in text[max(0, start - 2) : end + 2]


def test_national_first_uses_and_the_river_chief_system_spreading_bottom_up(table):
    dt = diffusion_table(table, seed=0).set_index("term")
    assert dt.loc["河长制", "reference_first"] == 2017
    assert dt.loc["精准扶贫", "reference_first"] == 2014
    assert dt.loc["乡村振兴", "reference_first"] == 2018
    assert dt.loc["放管服", "reference_first"] == 2017
    assert dt.loc["六稳", "reference_first"] == 2020
    # 河长制 was a provincial experiment (贵州 2010 writes 实行河长制管理模式) years before
    # the State Council's report named it.
    row = dt.loc["河长制"]
    assert row["direction"] == "bottom-up"
    assert row["first_unit"] == "贵州省" and row["first_time"] == 2010


def test_every_first_adoption_has_its_evidence(table):
    adopted = table[table["first_time"].notna()]
    assert (adopted["first_doc"] != "").all()
    assert all("【" in line for line in adopted["evidence"])
