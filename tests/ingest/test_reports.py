"""Government work reports: schema, validation, and the real collection when present."""

from __future__ import annotations

import json
import time

import pytest

from toolkit import CorpusStream, read_gov_reports
from toolkit.ingest import REPORT_FIELDS


def _write(path, records):
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
    )


GOOD = {
    "id": "provincial/东川省/2022",
    "level": "provincial",
    "gov_level": "province",
    "province": "东川省",
    "city": None,
    "year": 2022,
    "text": "各位代表：\n现在，我代表省人民政府向大会报告工作。",
}


def test_reads_docvars_and_drops_nulls(tmp_path):
    _write(tmp_path / "provincial.jsonl", [GOOD])
    corpus = read_gov_reports(tmp_path)
    doc = corpus["provincial/东川省/2022"]
    assert {k: doc.meta[k] for k in REPORT_FIELDS} == {
        "province": "东川省",
        "year": 2022,
        "level": "provincial",
        "gov_level": "province",
    }
    assert "city" not in doc.meta  # null means absent, not the string "None"
    assert doc.meta["source_file"] == "provincial.jsonl"


def test_invalid_reports_are_collected(tmp_path):
    bad_year = {**GOOD, "id": "provincial/东川省/2021", "year": "2021年"}
    no_level = {k: v for k, v in GOOD.items() if k != "level"} | {"id": "x/2020"}
    _write(tmp_path / "p.jsonl", [GOOD, bad_year, no_level])
    rejected = []
    corpus = read_gov_reports(tmp_path / "p.jsonl", rejected=rejected)
    assert corpus.doc_ids == ["provincial/东川省/2022"]
    assert [r.location for r in rejected] == ["provincial/东川省/2021", "x/2020"]
    assert "'year' must be an integer" in rejected[0].reason
    assert "missing report field(s) ['level']" in rejected[1].reason
    with pytest.raises(ValueError, match="'year' must be an integer"):
        read_gov_reports(tmp_path / "p.jsonl")


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"no \*\.jsonl report files"):
        read_gov_reports(tmp_path)


@pytest.mark.shared
def test_whole_collection_loads(shared):
    folder = shared / "data" / "gov_work_reports"
    start = time.perf_counter()
    rejected = []
    corpus = read_gov_reports(folder, rejected=rejected)
    elapsed = time.perf_counter() - start
    assert rejected == []
    assert len(corpus) == 2322
    dv = corpus.docvars
    assert set(REPORT_FIELDS) | {"city"} <= set(dv.columns)
    assert dv["year"].between(1950, 2030).all()
    assert (dv.loc[dv["level"] == "other_prefecture", "city"].notna()).all()
    assert elapsed < 120  # generous; the timed figure lives in benchmarks/


@pytest.mark.shared
def test_collection_streams(shared):
    stream = read_gov_reports(shared / "data" / "gov_work_reports", stream=True)
    assert isinstance(stream, CorpusStream)
    first_pass = [d.doc_id for d in stream]
    assert len(first_pass) == 2322
    assert first_pass[:5] == [d.doc_id for _, d in zip(range(5), stream, strict=False)]
