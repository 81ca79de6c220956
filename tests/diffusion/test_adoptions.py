"""Adoption events and the per-term diffusion table on a corpus with planted dates (issue 14)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.diffusion.conftest import record
from toolkit import Corpus
from toolkit.diffusion import (
    ADOPTION_COLUMNS,
    TABLE_COLUMNS,
    adoptions,
    diffusion_table,
    observations,
)

TERMS = ["河长制", "六稳", "强基工程"]


@pytest.fixture(scope="module")
def table(corpus) -> pd.DataFrame:
    return adoptions(corpus, terms=TERMS)


def _first(table: pd.DataFrame, term: str) -> dict[str, object]:
    rows = table[table["term"] == term]
    return {
        u: (None if pd.isna(t) else int(t))
        for u, t in zip(rows["unit"], rows["first_time"], strict=True)
    }


def test_columns_and_one_row_per_term_and_observed_unit(table):
    assert list(table.columns) == list(ADOPTION_COLUMNS)
    assert len(table) == 3 * 5  # 3 terms x (reference + 4 provinces)
    assert table.groupby("term").size().eq(5).all()


def test_first_times_are_the_planted_ones(table):
    assert _first(table, "河长制") == {
        "level=national": 2005, "丁省": 2008, "丙省": None, "乙省": 2006, "甲省": 2003,
    }  # fmt: skip
    assert _first(table, "六稳") == {
        "level=national": 2004, "丁省": None, "丙省": 2009, "乙省": 2007, "甲省": 2005,
    }  # fmt: skip
    assert _first(table, "强基工程")["乙省"] == 2002


def test_evidence_is_the_first_use_in_context(table):
    row = table[(table["term"] == "河长制") & (table["unit"] == "甲省")].iloc[0]
    assert row["first_doc"] == "甲省/2003"
    assert row["evidence"] == "要加强基层组织建设，改善空气质量。推进【河长制】。"
    assert row["documents"] == 8 and row["mentions"] == 8


def test_observation_window_left_truncation_and_right_censoring(table):
    rows = table[table["term"] == "六稳"].set_index("unit")
    # 丁省 starts reporting in 2004; 乙省 stops in 2008; 丙省 misses 2004-2006.
    assert rows.loc["丁省", ["entry", "exit", "n_periods"]].tolist() == [2004, 2010, 7]
    assert rows.loc["乙省", ["entry", "exit", "n_periods"]].tolist() == [2000, 2008, 9]
    assert rows.loc["丙省", ["entry", "exit", "n_periods"]].tolist() == [2000, 2009, 7]


def test_observations_panel_has_no_rows_for_missing_years(corpus):
    obs = observations(corpus)
    c = obs[obs["unit"] == "丙省"]
    assert 2005 not in set(c["period"]) and len(c) == 7
    assert obs["reference"].iloc[0] and obs["unit"].iloc[0] == "level=national"


def test_min_mentions_needs_that_many_uses_in_one_period():
    corpus = Corpus.from_records(
        [
            record("全国", 2001, "推进河长制。", level="national"),
            record("甲省", 2001, "推进河长制。"),
            record("甲省", 2002, "推进河长制，落实河长制。"),
        ]
    )
    one = adoptions(corpus, terms=["河长制"], min_mentions=1)
    two = adoptions(corpus, terms=["河长制"], min_mentions=2)
    assert one.set_index("unit").loc["甲省", "first_time"] == 2001
    assert two.set_index("unit").loc["甲省", "first_time"] == 2002
    assert two.set_index("unit").loc["level=national", "first_time"] is pd.NA


def test_diffusion_table_columns_direction_and_counts(table):
    dt = diffusion_table(table, seed=3)
    assert list(dt.columns) == list(TABLE_COLUMNS)
    rows = dt.set_index("term")
    h = rows.loc["河长制"]
    assert (h["reference_first"], h["first_unit"], h["first_time"]) == (2005, "甲省", 2003)
    assert (h["n_units"], h["n_observed"], h["n_before_reference"]) == (3, 4, 1)
    assert h["direction"] == "bottom-up"
    # Lags: 乙省 1, 丁省 3 (observed since 2004, by the reference's 2005).
    assert h["median_lag"] == 2.0
    assert rows.loc["六稳", "direction"] == "top-down"
    assert rows.loc["六稳", "n_before_reference"] == 0
    local = rows.loc["强基工程"]
    assert local["direction"] == "local"
    assert pd.isna(local["reference_first"]) and pd.isna(local["n_before_reference"])
    assert np.isnan(local["median_lag"])


def test_a_unit_entering_after_the_reference_gives_no_lag():
    corpus = Corpus.from_records(
        [
            record("全国", 2001, "推进河长制。", level="national"),
            record("甲省", 2001, "本年工作。"),
            record("甲省", 2003, "推进河长制。"),
            # 乙省 reports only from 2010: its lag of 9 is not known, only bounded.
            record("乙省", 2010, "推进河长制。"),
        ]
    )
    dt = diffusion_table(adoptions(corpus, terms=["河长制"]))
    assert dt.loc[0, "median_lag"] == 2.0
    assert (dt.loc[0, "lag_low"], dt.loc[0, "lag_high"]) == (2.0, 2.0)


def test_lag_interval_is_a_seeded_bootstrap_that_contains_the_median():
    records = [record("全国", 2000, "推进六稳。", level="national")]
    lags = [0, 1, 1, 2, 2, 2, 3, 4, 6, 9]
    for i, lag in enumerate(lags):
        # Each province reports in 2000 (so its lag is known) and first uses it at 2000 + lag.
        records.append(record(f"省{i}", 2000, "推进六稳。" if lag == 0 else "本年工作。"))
        if lag:
            records.append(record(f"省{i}", 2000 + lag, "推进六稳。"))
    table = adoptions(Corpus.from_records(records), terms=["六稳"])
    a = diffusion_table(table, seed=1)
    b = diffusion_table(table, seed=1)
    c = diffusion_table(table, seed=2, n_boot=200)
    pd.testing.assert_frame_equal(a, b)
    row = a.iloc[0]
    assert row["median_lag"] == float(np.median(lags))
    assert row["lag_low"] <= row["median_lag"] <= row["lag_high"]
    # Pinned for seed 1: the bootstrap medians of these ten lags run from 1 to 4.5.
    assert (row["lag_low"], row["lag_high"]) == (1.0, 4.5)
    assert c.iloc[0]["median_lag"] == row["median_lag"]


def test_min_units_keeps_widely_adopted_terms(table):
    assert diffusion_table(table, min_units=3)["term"].tolist() == ["六稳", "河长制"]


def test_reference_that_matches_nothing_names_the_values_seen(corpus):
    with pytest.raises(
        ValueError,
        match=r"reference \{'level': 'central'\} matches no document; values seen: "
        r"level: \['national', 'provincial'\]",
    ):
        adoptions(corpus, terms=TERMS, reference={"level": "central"})


def test_unknown_unit_docvar_is_named(corpus):
    with pytest.raises(ValueError, match=r"unit names docvar 'county', which the corpus does not"):
        adoptions(corpus, terms=TERMS, unit="county")


def test_min_mentions_is_checked(corpus):
    with pytest.raises(ValueError, match=r"min_mentions must be an integer >= 1 \(got 0\)"):
        adoptions(corpus, terms=TERMS, min_mentions=0)


def test_periods_must_be_whole_numbers():
    corpus = Corpus.from_records(
        [
            {"doc_id": "n", "text": "河长制。", "level": "national", "year": "2001年"},
            {"doc_id": "a", "text": "河长制。", "province": "甲省", "year": 2001},
        ]
    )
    with pytest.raises(ValueError, match=r"time docvar 'year' must hold whole periods"):
        adoptions(corpus, terms=["河长制"])


def test_a_fitted_term_detector_gives_the_same_first_times(corpus, table):
    from toolkit.terms import TermDetector

    det = TermDetector(progress=False, lexicons=[["河长制", "六稳", "强基工程"]]).fit(corpus)
    via = adoptions(corpus, terms=det)
    for term in TERMS:
        assert _first(via, term) == _first(table, term)
    assert not ({"强基", "气质"} & set(via["term"]))


def test_evidence_is_the_line_kwic_shows_for_that_use():
    from toolkit.terms import kwic

    text = "第一段。\n坚持“共建、共治、共享”，推进基层治理现代化建设，再次强调共建共治共享。"
    corpus = Corpus.from_records(
        [
            record("全国", 2001, "推进共建共治共享。", level="national"),
            {"doc_id": "甲省/2001", "text": text, "province": "甲省", "year": 2001},
        ]
    )
    row = adoptions(corpus, terms=["共建共治共享"]).set_index("unit").loc["甲省"]
    line = kwic([corpus["甲省/2001"]], "共建共治共享").iloc[0]
    assert row["evidence"] == f"{line['left']}【{line['match']}】{line['right']}"
    assert row["mentions"] == 2
