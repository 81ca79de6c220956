"""The two rankings of TermDetector: a glossary's (the default) and a reader's (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit import TermDetector, read_jsonl
from toolkit.terms.discovery import Discovery

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"


@pytest.fixture(scope="module")
def towns():
    corpus = read_jsonl(SAMPLE)
    return corpus, TermDetector(progress=False, rank="reader").fit(corpus)


def _ranks(det: TermDetector, text: str, rank: str) -> dict[str, int]:
    det.set_params(rank=rank)
    try:
        table = det.detect(text)
    finally:
        det.set_params(rank="reader")
    return dict(zip(table["term"], table["rank"], strict=True))


def test_a_salient_local_formulation_outranks_a_formula_every_document_writes(towns):
    corpus, det = towns
    text = next(doc.text for doc in corpus if doc.doc_id == "shatang-2022-03")
    # 田坎工作法 is this report's own method, written three times; 一岗双责 is
    # written once here and in 13 of the 36 sample documents.
    assert det.terms_.set_index("term").loc["一岗双责", "doc_freq"] == 13
    reader = _ranks(det, text, "reader")
    assert reader["田坎工作法"] == 1
    assert reader["田坎工作法"] < reader["一岗双责"]
    # The glossary's ranking puts the widespread formula first.
    glossary = _ranks(det, text, "glossary")
    assert glossary["一岗双责"] < glossary["田坎工作法"]


def test_both_rankings_report_the_same_glossary_candidates(towns):
    # The reader's ranking reorders; it may add known terms the text stresses,
    # never drop what the glossary's ranking reports.
    corpus, det = towns
    for doc in list(corpus)[:6]:
        assert set(_ranks(det, doc.text, "glossary")) <= set(_ranks(det, doc.text, "reader"))


def test_the_reader_adds_only_terms_it_leads_with_and_then_follows_the_glossary(towns):
    # A stressed known term is reported only when it makes the lead; after the
    # lead, the glossary's candidates keep the glossary's order.
    from toolkit.terms.scoring import _READER_LEAD

    corpus, det = towns
    for doc in corpus:
        reader = _ranks(det, doc.text, "reader")
        glossary = _ranks(det, doc.text, "glossary")
        extra = set(reader) - set(glossary)
        assert all(reader[term] <= _READER_LEAD for term in extra)
        tail = [t for t in sorted(reader, key=reader.__getitem__) if reader[t] > _READER_LEAD]
        assert tail == [t for t in sorted(glossary, key=glossary.__getitem__) if t in tail]


def test_a_listed_term_a_report_stresses_leads_the_reader_and_only_the_lead_adds(
    towns, monkeypatch
):
    from toolkit.terms import scoring

    corpus, _ = towns
    # A town report that writes the listed 高质量发展 four times, where six of
    # the other 35 sample documents write it once.
    base = next(doc.text for doc in corpus if doc.doc_id == "shatang-2022-03")
    assert "高质量发展" not in base
    stressed = base.replace("。", "，推动高质量发展。", 4)
    texts = [doc.text for doc in corpus if doc.doc_id != "shatang-2022-03"] + [stressed]
    det = TermDetector(progress=False, rank="reader").fit(texts)
    # Written everywhere, a glossary would not explain it: the glossary's ranking
    # does not report it, the reader's ranking leads with it.
    assert "高质量发展" not in _ranks(det, stressed, "glossary")
    assert _ranks(det, stressed, "reader")["高质量发展"] == 1
    # A stressed term outside the lead is not reported.
    monkeypatch.setattr(scoring, "_READER_LEAD", 0)
    assert "高质量发展" not in _ranks(det, stressed, "reader")


def test_a_general_word_a_text_quotes_once_does_not_lead(towns, monkeypatch):
    # A report that quotes “人民” once writes the word everywhere: six uses, but
    # of the ordinary word. It does not lead; without the rule it would.
    from toolkit.terms import scoring

    corpus, _ = towns
    base = next(doc.text for doc in corpus if doc.doc_id == "shatang-2022-03")
    text = "坚持“人民”至上，人民群众满意，人民生活改善，依靠人民，服务人民，人民利益至上。" + base
    texts = [doc.text for doc in corpus if doc.doc_id != "shatang-2022-03"]
    det = TermDetector(progress=False, rank="reader").fit(
        [*texts, text, "一切为了“人民”。人民满意。"]
    )
    assert det.detect(text)["term"].iloc[0] == "田坎工作法"
    monkeypatch.setattr(scoring, "_GENERAL_WORD", float("inf"))
    assert det.detect(text)["term"].iloc[0] == "人民"


def test_the_corpus_table_does_not_depend_on_the_ranking(towns, monkeypatch):
    # The table lists a term on the glossary's evidence, whichever ranking
    # orders each document's terms: a diffusion study reads the same table.
    # Here with a word the reader's ranking leads with and the glossary's ranks
    # low (人民, the general-word rule switched off).
    from toolkit.terms import scoring

    corpus, _ = towns
    base = next(doc.text for doc in corpus if doc.doc_id == "shatang-2022-03")
    text = "坚持“人民”至上，人民群众满意，人民生活改善，依靠人民，服务人民，人民利益至上。" + base
    texts = [doc.text for doc in corpus if doc.doc_id != "shatang-2022-03"]
    texts += [text, "一切为了“人民”。人民满意。"]
    monkeypatch.setattr(scoring, "_GENERAL_WORD", float("inf"))
    reader = TermDetector(progress=False, rank="reader").fit(texts)
    assert reader.detect(text)["term"].iloc[0] == "人民"
    glossary = TermDetector(progress=False, rank="glossary").fit(texts)
    assert len(reader.terms_) > 300
    pd.testing.assert_frame_equal(reader.terms_, glossary.terms_)
    pd.testing.assert_frame_equal(reader.periods_, glossary.periods_)


def test_the_reader_ranking_is_the_same_in_worker_processes(towns):
    corpus, det = towns
    one = det.detect(corpus)
    det.set_params(n_jobs=2)
    try:
        two = det.detect(corpus)
    finally:
        det.set_params(n_jobs=1)
    assert one.equals(two)


def test_a_verb_governing_a_listed_term_is_not_discovered():
    # 全面落实科学发展观 swallowed every use of the listed 科学发展观 in the
    # 2007 national report; 农业高质量发展 (a noun before the term) is a term.
    docs = [["全面落实", "科学发展观"], ["农业", "高质量发展"], ["，"]] * 4
    discovery = Discovery(stop=frozenset())
    for tokens in docs:
        discovery.add(tokens)
    # jieba's tags: 全面落实 is a set phrase (i).
    tags = {"全面落实": "i", "农业": "n", "科学发展观": "n", "高质量发展": "n"}

    def select(listed: set[str]) -> dict[str, float]:
        return discovery.select(
            background={"的": 1_000_000},
            min_count=2,
            min_df=2,
            min_whole=0.5,
            min_pmi=0.0,
            min_termhood=0.0,
            exclude=listed,
            tags=tags,
        )

    assert set(select({"科学发展观", "高质量发展"})) == {"农业高质量发展"}
    # The control: unlisted, 科学发展观 is only a word, and the phrase is kept.
    assert "全面落实科学发展观" in select({"高质量发展"})
