"""The corpus table's time and group views: periods_, the time docvar, and its warnings."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from toolkit import Corpus, TermDetector, read_jsonl

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"

RIVERS = [
    {"doc_id": "a", "text": "全面推行“河长制”，落实河长制责任。", "year": 2020, "province": "甲省"},
    {"doc_id": "b", "text": "深化河长制，推行“林长制”。", "year": 2021, "province": "甲省"},
    {"doc_id": "c", "text": "建立河长制和林长制。", "year": 2021, "province": "乙省"},
    {"doc_id": "d", "text": "河长制全面见效。", "year": 2022, "province": "乙省"},
]


def _fit(records, **params):
    return TermDetector(min_count=1, min_df=1, progress=False, **params).fit(
        Corpus.from_records(records)
    )


def test_periods_count_each_term_per_year_and_group():
    det = _fit(RIVERS, by=["province"])
    table = det.periods_
    assert list(table.columns) == ["term", "key", "period", "province", "count", "doc_freq"]
    river = table[table["term"] == "河长制"][["period", "province", "count", "doc_freq"]]
    # a writes it twice (quoted and not), b, c and d once each.
    assert river.values.tolist() == [
        ["2020", "甲省", 2, 1],
        ["2021", "乙省", 1, 1],
        ["2021", "甲省", 1, 1],
        ["2022", "乙省", 1, 1],
    ]
    forest = table[table["term"] == "林长制"][["period", "province"]].values.tolist()
    assert forest == [["2021", "乙省"], ["2021", "甲省"]]


def test_periods_add_up_to_the_corpus_table_on_the_sample_corpus():
    det = TermDetector(progress=False).fit(read_jsonl(SAMPLE))
    sums = det.periods_.groupby("key")[["count", "doc_freq"]].sum()
    table = det.terms_.set_index("key")
    # Every sample document is dated, so each term's periods hold all its uses.
    assert set(sums.index) == set(table.index)
    pd.testing.assert_series_equal(sums["count"], table.loc[sums.index, "count"])
    pd.testing.assert_series_equal(sums["doc_freq"], table.loc[sums.index, "doc_freq"])
    assert set(det.periods_["period"]) <= set(det.terms_["first"]) | set(det.terms_["last"]) | {
        d for d in read_jsonl(SAMPLE).docvars["date"]
    }


def test_a_time_docvar_of_another_name_dates_the_table():
    records = [{"congress_year" if k == "year" else k: v for k, v in r.items()} for r in RIVERS]
    with pytest.warns(UserWarning, match=r"no docvar named 'date' or 'year'; pass time="):
        undated = _fit(records)
    assert undated.terms_["first"].isna().all() and undated.periods_.empty
    dated = _fit(records, time="congress_year")
    row = dated.terms_[dated.terms_["term"] == "河长制"].iloc[0]
    assert (row["first"], row["last"]) == ("2020", "2022")


def test_undated_documents_are_counted_and_said():
    records = [dict(r) for r in RIVERS]
    records[3]["year"] = None
    with pytest.warns(UserWarning, match=r"1 of 4 documents have no 'year': their uses are"):
        det = _fit(records)
    river = det.terms_[det.terms_["term"] == "河长制"].iloc[0]
    assert river["doc_freq"] == 4 and river["last"] == "2021"


def test_a_time_docvar_the_corpus_lacks_is_refused():
    with pytest.raises(ValueError, match=r"time names docvar 'congress_year', which the corpus"):
        _fit(RIVERS, time="congress_year")


def test_plain_texts_are_not_warned_about():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        det = TermDetector(progress=False).fit(["推行“河长制”。", "落实河长制。"])
    assert det.periods_.empty
