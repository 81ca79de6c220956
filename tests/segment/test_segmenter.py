"""Segmenter: terms stay whole, nothing is lost in raw mode, backends agree, jieba untouched."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import Corpus, read_jsonl
from toolkit.segment import Segmenter, Tokens

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample"
TERMS = ["一线工作法", "共建共治共享", "123工作法", "1+x", "扫黑除恶", "两委", "一岗双责"]
SENTENCE = (
    "该镇坚持一线工作法,推出基层治理“1+x”课堂和“123工作法”，村“两委”落实一岗双责，"
    "推动共建共治共享，持续开展扫黑除恶，完成财政税收3720万元，工业总产值3.96亿元，"
    "2021年开通APP小程序和12345热线，同比增长12.5%。"
)


@pytest.fixture(scope="module")
def sample() -> Corpus:
    return read_jsonl(SAMPLE / "towns.jsonl")


@pytest.mark.parametrize("backend", ["jieba-rs", "jieba", "char"])
def test_terms_numbers_and_latin_stay_whole(backend):
    tokens = Segmenter(backend=backend, lexicons=[TERMS]).segment_text(SENTENCE)
    assert "".join(tokens) == SENTENCE
    for whole in [*TERMS, "3720万元", "3.96亿元", "2021年", "APP", "12345", "12.5%"]:
        assert whole in tokens, (backend, whole)


def test_plain_jieba_breaks_what_we_keep():
    # The reason this module exists: jieba alone splits these terms.
    import jieba

    plain = jieba.Tokenizer().lcut("一线工作法和扫黑除恶")
    assert "一线工作法" not in plain and "扫黑除恶" not in plain
    ours = Segmenter(lexicons=[TERMS]).segment_text("一线工作法和扫黑除恶")
    assert ours == ["一线工作法", "和", "扫黑除恶"]


def test_lexicon_matching_ignores_ascii_case_but_respects_runs():
    seg = Segmenter(lexicons=[["1+X", "APP"]])
    assert seg.segment_text("推出1+x课堂") == ["推出", "1+x", "课堂"]
    assert "1+X" not in seg.segment_text("21+X")
    assert "APP" not in seg.segment_text("APPLE")


def test_analysis_mode_drops_space_punctuation_and_stopwords():
    text = "进一步 切实推进扫黑除恶，。"
    raw = Segmenter(lexicons=[TERMS]).segment_text(text)
    assert "".join(raw) == text
    filler = Segmenter(lexicons=[TERMS], mode="analysis", stopwords=["filler"])
    kept = filler.segment_text(text)
    assert "扫黑除恶" in kept
    assert not {"进一步", "切实", "，", "。", " "} & set(kept)
    none = Segmenter(lexicons=[TERMS], mode="analysis", stopwords=[]).segment_text(text)
    assert "进一步" in none


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        ("backend", "jeiba", r"backend must be one of \{.*'jieba'.*\} \(got 'jeiba'\)"),
        ("mode", "clean", r"mode must be one of \{'analysis', 'raw'\} \(got 'clean'\)"),
        ("n_jobs", 0, r"n_jobs must be an integer >= 1 \(got 0\)"),
    ],
)
def test_invalid_parameters_are_named(param, value, message):
    seg = Segmenter(**{param: value}, lexicons=[])
    with pytest.raises(ValueError, match=message):
        seg.segment_text("河长制")


def test_init_only_stores_parameters():
    seg = Segmenter(backend="nonsense", lexicons=["/no/such/file.txt"])
    assert seg.backend == "nonsense"  # validated in fit or first use, not here
    assert seg.get_params()["lexicons"] == ["/no/such/file.txt"]


def test_missing_user_lexicon_file_is_named():
    with pytest.raises(FileNotFoundError, match=r"lexicon file not found: '/no/such/terms\.txt'"):
        Segmenter(lexicons=["/no/such/terms.txt"]).segment_text("x")


def test_fit_learns_quoted_terms_and_keeps_them_whole():
    corpus = Corpus.from_records(
        [
            {"doc_id": "a", "text": "沙棠镇推行“田坎工作法”，开设“1+x”课堂。"},
            {"doc_id": "b", "text": "田坎工作法让干部走进田间，1+x课堂每周一次。"},
        ]
    )
    seg = Segmenter(lexicons=[])
    before = seg.segment_text(corpus["b"].text)
    assert "田坎工作法" not in before
    assert seg.fit(corpus) is seg
    assert {"田坎工作法", "1+x", "1+x课堂"} <= set(seg.learned_)
    after = seg.segment_text(corpus["b"].text)
    assert "田坎工作法" in after and "1+x课堂" in after
    assert seg.provenance()["lexicon_sha256"] == seg.lexicon_.sha256()


def test_segment_corpus_keeps_ids_docvars_and_provenance(sample):
    tokens = Segmenter(lexicons=[TERMS], progress=False).segment(sample)
    assert isinstance(tokens, Tokens)
    assert tokens.doc_ids == sample.doc_ids
    assert list(tokens.docvars["town"]) == list(sample.docvars["town"])
    prov = tokens.provenance
    assert prov["backend"] == "jieba-rs" and prov["backend_version"] != "unknown"
    assert len(prov["lexicon_sha256"]) == 64
    for doc, toks in zip(sample, tokens, strict=True):
        assert "".join(toks) == doc.text


def test_parallel_equals_serial(sample):
    serial = Segmenter(lexicons=[TERMS], progress=False).segment(sample)
    parallel = Segmenter(lexicons=[TERMS], n_jobs=2, batch_size=4, progress=False).segment(sample)
    assert parallel == serial


def test_iter_segment_streams(tmp_path, sample):
    stream = read_jsonl(SAMPLE / "towns.jsonl", stream=True)
    seg = Segmenter(lexicons=[TERMS])
    pairs = list(seg.iter_segment(stream))
    assert [d.doc_id for d, _ in pairs] == sample.doc_ids
    assert all("".join(t) == d.text for d, t in pairs)


def test_segment_refuses_a_bare_string():
    with pytest.raises(TypeError, match="use segment_text for one text"):
        Segmenter(lexicons=[]).segment("河长制")


def test_pos_tags_mark_lexicon_terms():
    pairs = Segmenter(lexicons=[{"一线工作法": "method"}], pos=True).tag_text("坚持一线工作法")
    assert ("一线工作法", "tifa:method") in pairs
    tokens = Segmenter(lexicons=[TERMS], pos=True, progress=False).segment(
        Corpus.from_records([{"doc_id": "a", "text": "坚持一线工作法3720万元"}])
    )
    assert tokens.tags is not None and len(tokens.tags[0]) == len(tokens[0])


def test_jieba_and_jieba_rs_agree_on_the_sample_corpus(sample):
    a = Segmenter(backend="jieba", lexicons=[TERMS], progress=False).fit(sample)
    b = Segmenter(backend="jieba-rs", lexicons=[TERMS], progress=False).fit(sample)
    assert a.segment(sample) == b.segment(sample)


@pytest.mark.shared
def test_jieba_and_jieba_rs_agree_on_200_reports(shared):
    from toolkit import read_gov_reports

    reports = read_gov_reports(shared / "data" / "gov_work_reports" / "provincial.jsonl")
    docs = list(reports)[::3][:200]
    a = Segmenter(backend="jieba", lexicons=[TERMS], progress=False)
    b = Segmenter(backend="jieba-rs", lexicons=[TERMS], progress=False)
    for doc in docs:
        assert a.segment_text(doc.text) == b.segment_text(doc.text), doc.doc_id


def test_toolkit_never_touches_jiebas_global_dictionary(tmp_path):
    # In a fresh process: import and use the toolkit, then check jieba's default
    # tokenizer is exactly as an untouched import leaves it.
    code = """
import json, jieba
before = (jieba.dt.initialized, len(jieba.dt.FREQ), jieba.dt.dictionary)
import toolkit
from toolkit.segment import Segmenter
seg = Segmenter(backend="jieba", lexicons=[["一线工作法", "1+x"]], dictionary=["一线", "工作法"])
seg.segment_text("一线工作法")
Segmenter(backend="jieba", lexicons=[["扫黑除恶"]]).fit(["“河湖长制”"]).segment_text("河湖长制")
after = (jieba.dt.initialized, len(jieba.dt.FREQ), jieba.dt.dictionary)
print(json.dumps([before == after, jieba.lcut("一线工作法")]))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    same, plain = json.loads(out.stdout)
    assert same
    assert plain == ["一线", "工作", "法"]


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("一线工作法共建治享扫黑除恶两委镇村河长制")
            + list("0123456789.,%+xAPP年万元亿 \n\t“”，。、；：！？（）《》")
        ),
        max_size=80,
    )
)
def test_raw_mode_keeps_every_character(text):
    seg = _PROPERTY_SEGMENTER
    assert "".join(seg.segment_text(text)) == text


_PROPERTY_SEGMENTER = Segmenter(lexicons=[TERMS])


def test_terms_with_spaces_and_quotes_are_single_tokens():
    # jieba's user dictionaries cannot hold these; the automaton can.
    seg = Segmenter(lexicons=[["共建 共治 共享", "“1+N”"]])
    assert seg.segment_text("共建 共治 共享") == ["共建 共治 共享"]
    assert seg.segment_text("推行1+N模式") == ["推行", "1+N", "模式"]


def test_guarded_hmm_keeps_only_guesses_with_unknown_characters(sample):
    from toolkit.segment.backends import jieba_frequencies

    words = set(jieba_frequencies())
    single = {w for w in words if len(w) == 1}
    plain = Segmenter(lexicons=[], hmm=True)
    guarded = Segmenter(lexicons=[], hmm="guarded")
    changed = 0
    for doc in list(sample)[:10]:
        ours = guarded.segment_text(doc.text)
        assert "".join(ours) == doc.text
        for tok in ours:
            if len(tok) > 1 and tok not in words and "\n" not in tok and tok.strip():
                # a guess survives only if some character is not a one-character word
                protected = any(c.isascii() or c.isdigit() for c in tok)
                assert protected or not all(c in single for c in tok), tok
        changed += ours != plain.segment_text(doc.text)
    assert changed > 0


def test_dictionary_decides_which_units_join_numbers():
    pku_like = ["完成", "投资", "2000年", "3万", "5万", "8万", "年", "万", "元"]
    seg = Segmenter(lexicons=[], dictionary=pku_like, hmm=False)
    assert seg.segment_text("完成投资3720万元") == ["完成", "投资", "3720万", "元"]
    assert Segmenter(lexicons=[]).segment_text("完成投资3720万元")[-1] == "3720万元"


def test_parallel_handles_texts_holding_the_transfer_separator_and_empty_texts():
    corpus = Corpus.from_records(
        [
            {"doc_id": "a", "text": "河长制\x00落实"},
            {"doc_id": "b", "text": ""},
            {"doc_id": "c", "text": "一线工作法"},
        ]
    )
    serial = Segmenter(lexicons=[TERMS], progress=False).segment(corpus)
    parallel = Segmenter(lexicons=[TERMS], n_jobs=2, batch_size=1, progress=False).segment(corpus)
    assert parallel == serial
    assert parallel["b"] == [] and "\x00" in parallel["a"]


def test_text_holding_the_term_placeholder_is_segmented_correctly():
    seg = Segmenter(lexicons=[TERMS])
    text = "坚持一线工作法\ue000村两委"
    tokens = seg.segment_text(text)
    assert "".join(tokens) == text
    assert "一线工作法" in tokens and "两委" in tokens
