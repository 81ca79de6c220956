"""The constructed sample corpus: its promises (datasheet) and the page parser against it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import toolkit
from toolkit.normalize import ascii_punctuation_to_fullwidth

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample"


def _records(name: str) -> list[dict]:
    with (SAMPLE / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def full_corpus() -> toolkit.Corpus:
    result = toolkit.ingest([SAMPLE / "towns.jsonl", SAMPLE / "pages"], progress=False)
    assert result.ok, result.rejected
    return result.corpus


def test_datasheet_minimums(full_corpus):
    dv = full_corpus.docvars
    assert len(full_corpus) >= 36
    assert dv["town"].nunique() >= 12
    assert dv["county"].nunique() >= 4
    assert set(dv["year"]) == {2022, 2023}
    assert (full_corpus.summary(by="town")["documents"] >= 2).all()


def test_every_record_is_labelled_constructed_and_consistent():
    for rec in _records("towns.jsonl") + _records("page_articles.jsonl"):
        assert rec["source"] == "constructed"
        paragraphs = [p for s in rec["sections"] for p in s["paragraphs"]]
        assert rec["text"] == "\n".join(paragraphs), rec["doc_id"]


def test_page_articles_are_not_ingested_twice(full_corpus):
    titles = list(zip(full_corpus.docvars["town"], full_corpus.docvars["title"], strict=True))
    assert len(titles) == len(set(titles))
    table_ids = {r["doc_id"] for r in _records("towns.jsonl")}
    assert not table_ids & {r["doc_id"] for r in _records("page_articles.jsonl")}


def test_page_parser_recovers_the_reference_articles():
    reference = {(r["town"], r["title"]): r for r in _records("page_articles.jsonl")}
    parsed = toolkit.ingest([SAMPLE / "pages"], progress=False).corpus
    assert len(parsed) == len(reference) == 5
    for doc in parsed:
        ref = reference[(doc.meta["town"], doc.meta["title"])]
        assert doc.meta["county"] == ref["county"]
        assert doc.meta.get("kicker") == ref.get("kicker")
        assert doc.meta["reporters"] == ref["reporters"]
        assert doc.meta["correspondents"] == ref["correspondents"]
        assert doc.meta["date"] == doc.meta["source"][-14:-4]  # page_YYYY-MM-DD.txt
        # The pages use ASCII commas where the clean records use full-width ones;
        # normalising is a separate step, so compare after it.
        text = ascii_punctuation_to_fullwidth(doc.text)
        assert doc.meta["repairs"] >= 1
        if ref.get("truncated_on_page"):
            assert doc.meta["truncated"] is True
            assert ref["text"].startswith(text)
            assert len(text) < len(ref["text"])
        else:
            assert doc.meta["truncated"] is False
            assert text == ref["text"]
            assert [s["title"] for s in doc.meta["sections"]] == [
                s["title"] for s in ref["sections"]
            ]


def test_ground_truth_tables_reference_real_documents():
    ids = {r["doc_id"] for r in _records("towns.jsonl") + _records("page_articles.jsonl")}
    texts = {
        r["doc_id"]: r["text"] for r in _records("towns.jsonl") + _records("page_articles.jsonl")
    }
    rows = (SAMPLE / "reuse.tsv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    assert header[:4] == ["doc_id_a", "doc_id_b", "passage_a", "passage_b"]
    for row in rows[1:]:
        a, b, pa, pb, _kind = row.split("\t")
        assert {a, b} <= ids
        assert pa in texts[a] and pb in texts[b]
