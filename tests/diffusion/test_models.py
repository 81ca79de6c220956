"""Adoption curves, the hazard model and the leaders ranking on planted corpora (issue 14)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from tests.diffusion.conftest import neighbour_corpus
from toolkit.diffusion import (
    COEF_COLUMNS,
    CURVE_COLUMNS,
    LEADER_COLUMNS,
    AdoptionHazard,
    adoption_curves,
    adoptions,
    diffusion_table,
    leaders,
    observations,
    province_adjacency,
)

TERMS = ["河长制", "六稳", "强基工程"]


@pytest.fixture(scope="module")
def table(corpus) -> pd.DataFrame:
    return adoptions(corpus, terms=TERMS)


# ---------------------------------------------------------------- curves
def test_curves_respect_left_truncation_and_right_censoring(table):
    curves = adoption_curves(table, terms=["河长制"])
    assert list(curves.columns) == list(CURVE_COLUMNS)
    # Clock: 0 = 2005, the national first use. 甲省 adopts at -2, 乙省 at +1, 丁省 at +3.
    assert curves["time"].tolist() == [-2, 1, 3]
    # At -2 (2003) 丁省 has no report yet: 甲, 乙, 丙 are at risk. At +1 (2006)
    # 丙省 misses its report but is still in the risk set; 丁省 has entered.
    # At +3 (2008): 丙省 and 丁省 (乙省 adopted).
    assert curves["at_risk"].tolist() == [3, 3, 2]
    assert curves["adopted"].tolist() == [1, 1, 1]
    assert curves["share"].tolist() == pytest.approx([1 / 3, 1 - 2 / 3 * 2 / 3, 1 - 4 / 9 / 2])
    assert (curves["share_low"] <= curves["share"]).all()
    assert (curves["share"] <= curves["share_high"]).all()


def test_curves_censor_a_unit_that_stops_reporting(table):
    curves = adoption_curves(table, terms=["六稳"])
    # 0 = 2004. 甲省 +1, 乙省 +3 (2007), 丙省 +5 (2009); 乙省 stops in 2008 after adopting,
    # 丁省 (2004-2010) never adopts: censored at +6, never an event.
    assert curves["time"].tolist() == [1, 3, 5]
    assert curves["at_risk"].tolist() == [4, 3, 2]


def test_curves_skip_local_terms_and_name_unknown_terms(table):
    assert set(adoption_curves(table)["term"]) == {"河长制", "六稳"}
    with pytest.raises(ValueError, match=r"terms \['八稳'\] are not in adoptions"):
        adoption_curves(table, terms=["八稳"])


# ---------------------------------------------------------------- hazard
@pytest.fixture(scope="module")
def ring():
    corpus, adjacency, terms = neighbour_corpus()
    return adoptions(corpus, terms=terms), observations(corpus), adjacency


def test_hazard_recovers_a_planted_neighbour_effect(ring):
    table, obs, adjacency = ring
    model = AdoptionHazard(adjacency=adjacency).fit(table, obs)
    coef = model.coef_.set_index("variable")
    assert list(model.coef_.columns) == list(COEF_COLUMNS)
    assert coef.loc["neighbor_share", "coef"] > 0
    assert coef.loc["neighbor_share", "low"] > 0  # the interval excludes no effect
    # Every unit reports every year, so every adoption is one event row.
    adopted = table[~table["reference"] & table["first_time"].notna()]
    assert model.n_events_ == len(adopted)


def test_hazard_rows_skip_missing_years(corpus, table):
    model = AdoptionHazard(adjacency=None).fit(table, observations(corpus))
    design = model.design_
    # 河长制 is first used anywhere in 2003 (甲省); 丙省 has no report in 2004-2006, never
    # adopts and reports last in 2009 (censored there). The national report used it
    # from 2005: "already used" from 2006 on.
    rows = design[(design["unit"] == "丙省") & (design["key"] == "河长制")]
    assert rows["period"].tolist() == [2003, 2007, 2008, 2009]
    assert rows["adopted"].tolist() == [0, 0, 0, 0]
    assert rows["reference_used"].tolist() == [0, 1, 1, 1]
    assert rows["time"].tolist() == [0, 4, 5, 6]
    # 六稳 is born in 2004 (national); 丙省's rows start after its missing years and stop
    # at its adoption.
    rows = design[(design["unit"] == "丙省") & (design["key"] == "六稳")]
    assert rows["period"].tolist() == [2007, 2008, 2009]
    assert rows["adopted"].tolist() == [0, 0, 1]
    assert "neighbor_share" not in design.columns


def test_hazard_parameters_are_checked():
    with pytest.raises(
        ValueError, match=r"link must be one of \{'cloglog', 'logit'\} \(got 'probit'\)"
    ):
        AdoptionHazard(link="probit")
    with pytest.raises(
        ValueError, match=r"adjacency must be one of \{'province'\} \(got 'county'\)"
    ):
        AdoptionHazard(adjacency="county")


def test_province_adjacency_is_symmetric_land_borders():
    adj = province_adjacency()
    assert list(adj.columns) == ["unit", "neighbor"]
    assert len(adj) == 70
    pairs = set(zip(adj["unit"], adj["neighbor"], strict=True))
    assert not any((b, a) in pairs for a, b in pairs)  # each pair once
    assert ("北京市", "河北省") in pairs and "海南省" not in set(adj["unit"]) | set(adj["neighbor"])


def test_hazard_refuses_units_the_adjacency_does_not_know(table, corpus):
    with pytest.raises(ValueError, match=r"adjacency knows none of the units"):
        AdoptionHazard().fit(table, observations(corpus))


# ---------------------------------------------------------------- leaders
def test_leaders_rank_early_adopters_first(table):
    board = leaders(table, seed=0)
    assert list(board.columns) == list(LEADER_COLUMNS)
    # 甲省 is first on 河长制 and 六稳, second on 强基工程; 丁省 starts late and is not ranked
    # on terms born before 2004.
    assert board["unit"].iloc[0] == "甲省"
    assert "丁省" not in set(board["unit"])
    assert (board["rank_low"] <= board["mean_rank"]).all()
    assert (board["mean_rank"] <= board["rank_high"]).all()


# ---------------------------------------------------------------- determinism
def _csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def test_outputs_are_byte_identical_for_the_same_seed(ring):
    table, obs, adjacency = ring

    def run(seed: int) -> list[bytes]:
        return [
            _csv(diffusion_table(table, seed=seed)),
            _csv(leaders(table, seed=seed)),
            _csv(adoption_curves(table)),
            _csv(AdoptionHazard(adjacency=adjacency).fit(table, obs).coef_),
        ]

    assert run(5) == run(5)
    assert run(5)[0] != run(6)[0]
