"""kwic: every surface form of a term, in its context, with the document's docvars."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import toolkit
from toolkit import Corpus, Document
from toolkit.terms.canonical import canonical_key
from toolkit.terms.kwic import KWIC_COLUMNS, kwic

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"

# An invented county: two towns write the same terms differently.
HETANG = (
    "河塘镇坚持共建共治共享，推行“一线工作法”，村“两委”班子每月走访农户。\n"
    "今年以来，全镇共建、共治、共享的基层治理格局初步形成。"
)
LIUWAN = "柳湾乡把村两委换届作为头等大事，“两委”成员全部到村坐班，田坎工作法和一线工作法并用。"
SHIQIAO = "石桥街道推进老旧小区改造，新增停车位三百个。"


@pytest.fixture()
def corpus() -> Corpus:
    # Not in doc_id order: results must follow the corpus, not the ids.
    return Corpus.from_records(
        [
            {"doc_id": "z-hetang", "text": HETANG, "town": "河塘镇", "year": 2022},
            {"doc_id": "a-liuwan", "text": LIUWAN, "town": "柳湾乡", "year": 2023},
            {"doc_id": "m-shiqiao", "text": SHIQIAO, "town": "石桥街道"},
        ]
    )


def test_finds_every_surface_form_of_the_canonical_term(corpus):
    hits = kwic(corpus, "共建共治共享")
    assert hits["match"].tolist() == ["共建共治共享", "共建、共治、共享"]
    assert hits["doc_id"].tolist() == ["z-hetang", "z-hetang"]
    for row in hits.itertuples():
        assert HETANG[row.start : row.end] == row.match


def test_enumerated_form_finds_the_run_together_form_too(corpus):
    assert len(kwic(corpus, "共建、共治、共享")) == 2


def test_columns_are_doc_id_docvars_then_the_concordance(corpus):
    hits = kwic(corpus, "两委")
    assert list(hits.columns) == ["doc_id", "town", "year", *KWIC_COLUMNS]
    assert hits["town"].tolist() == ["河塘镇", "柳湾乡", "柳湾乡"]
    # year is missing on one document: still whole numbers, not 2022.0.
    assert str(hits["year"].dtype) == "Int64"
    assert hits["year"].tolist() == [2022, 2023, 2023]
    assert hits["start"].dtype == "int64"


def test_quotes_inside_are_part_of_the_match_quotes_around_are_not(corpus):
    hits = kwic(corpus, "一线工作法")
    assert hits["match"].tolist() == ["一线工作法", "一线工作法"]
    assert hits["left"].iloc[0].endswith("推行“")
    assert hits["right"].iloc[0].startswith("”")


def test_forms_add_longer_variants_leftmost_longest(corpus):
    plain = kwic(corpus, "两委")
    assert plain["match"].tolist() == ["两委", "两委", "两委"]
    with_village = kwic(corpus, "两委", forms=["村两委"])
    # 村“两委” and 村两委 are one hit each, not a 村两委 hit plus a 两委 hit.
    assert with_village["match"].tolist() == ["村“两委", "村两委", "两委"]
    assert [canonical_key(m) for m in with_village["match"]] == ["村两委", "村两委", "两委"]
    starts = [HETANG.index("村“两委"), LIUWAN.index("村两委"), LIUWAN.index("“两委") + 1]
    assert with_village["start"].tolist() == starts


def test_the_leftmost_match_wins_over_a_longer_later_one(corpus):
    hits = kwic(corpus, "工作法", forms=["一线工作法"])
    in_liuwan = hits[hits["doc_id"] == "a-liuwan"]
    assert in_liuwan["match"].tolist() == ["工作法", "一线工作法"]  # 田坎工作法, then 一线工作法
    assert hits["match"].tolist()[0] == "一线工作法"  # 河塘镇: never 一线 + 工作法


def test_document_order_then_offset(corpus):
    hits = kwic(corpus, "两委", forms=["村两委"])
    assert hits["doc_id"].tolist() == ["z-hetang", "a-liuwan", "a-liuwan"]
    starts = hits[hits["doc_id"] == "a-liuwan"]["start"].tolist()
    assert starts == sorted(starts)


def test_window_and_newlines(corpus):
    hits = kwic(corpus, "共建共治共享", window=6)
    first, second = hits.itertuples()
    assert first.left == "河塘镇坚持"  # only 5 characters before it
    assert first.right == "，推行“一线"
    assert len(second.left) == 6
    assert "\n" not in second.left + second.right
    # The line break becomes a space, so the context keeps its length.
    newline = HETANG.index("\n")
    wide = kwic(corpus, "共建共治共享", window=40).iloc[1]
    assert wide["left"][newline - (wide["start"] - 40)] == " "


def test_no_match_gives_an_empty_table_with_the_same_columns(corpus):
    empty = kwic(corpus, "接诉即办")
    assert empty.empty
    assert list(empty.columns) == list(kwic(corpus, "两委").columns)


def test_empty_corpus_gives_the_concordance_columns():
    assert list(kwic(Corpus(), "两委").columns) == ["doc_id", *KWIC_COLUMNS]


def test_stream_list_and_generator_give_the_same_table(corpus, tmp_path):
    path = toolkit.write_jsonl(corpus, tmp_path / "towns.jsonl")
    stream = toolkit.read_jsonl(path, stream=True)
    expected = kwic(corpus, "两委", forms=["村两委"])
    pd.testing.assert_frame_equal(kwic(stream, "两委", forms=["村两委"]), expected)
    pd.testing.assert_frame_equal(kwic(list(corpus), "两委", forms=["村两委"]), expected)
    pd.testing.assert_frame_equal(kwic(iter(corpus), "两委", forms=["村两委"]), expected)


def test_sample_corpus_village_committees():
    corpus = toolkit.read_jsonl(SAMPLE)
    plain = kwic(corpus, "两委")
    village = kwic(corpus, "两委", forms=["村两委"])
    # Every 两委 in the sample is a village committee, written 村“两委”.
    assert len(plain) == len(village) > 5
    assert set(village["match"]) == {"村“两委"}
    assert (village["start"] == plain["start"] - len("村“")).all()
    assert (village["end"] == plain["end"]).all()
    assert set(village.columns) >= {"county", "town", "year", "date"}


def test_sample_corpus_enumerated_slogan():
    corpus = toolkit.read_jsonl(SAMPLE)
    hits = kwic(corpus, "共建共治共享", window=10)
    assert {canonical_key(m) for m in hits["match"]} == {"共建共治共享"}
    assert "共建、共治、共享" in set(hits["match"])
    assert hits["right"].str.len().max() <= 10
    texts = {d.doc_id: d.text for d in corpus}
    for row in hits.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.match


@pytest.mark.parametrize("window", [0, -3, 2.5, True, "20"])
def test_window_must_be_a_positive_int(corpus, window):
    with pytest.raises(ValueError, match=rf"window must be an integer >= 1 \(got {window!r}\)"):
        kwic(corpus, "两委", window=window)


@pytest.mark.parametrize("term", ["", "  ", None, 3])
def test_term_must_be_a_non_empty_str(corpus, term):
    with pytest.raises(ValueError, match=rf"term must be a non-empty str \(got {term!r}\)"):
        kwic(corpus, term)


def test_term_of_quotes_only_is_refused(corpus):
    with pytest.raises(ValueError, match="term must contain a character other than quotes"):
        kwic(corpus, "“”")


def test_forms_must_not_be_a_bare_str(corpus):
    with pytest.raises(TypeError, match=r"forms must be an iterable of str.*pass \['村两委'\]"):
        kwic(corpus, "两委", forms="村两委")


@pytest.mark.parametrize("form", ["", "、", None])
def test_forms_must_be_non_empty_strings(corpus, form):
    with pytest.raises(ValueError, match=rf"forms must hold non-empty strings.*\(got {form!r}\)"):
        kwic(corpus, "两委", forms=[form])


def test_corpus_must_not_be_a_str():
    with pytest.raises(TypeError, match="corpus must be a Corpus, a CorpusStream or an iterable"):
        kwic(HETANG, "两委")


def test_corpus_must_hold_documents():
    with pytest.raises(TypeError, match=r"corpus\[1\] must be a toolkit.Document \(got dict\)"):
        kwic([Document("a", LIUWAN), {"doc_id": "b", "text": HETANG}], "两委")


def test_docvar_named_like_a_concordance_column_is_refused():
    clash = [Document("a", LIUWAN, {"start": "2022-01"})]
    with pytest.raises(ValueError, match=r"docvar\(s\) \['start'\] clash with the concordance"):
        kwic(clash, "两委")


def test_options_are_keyword_only(corpus):
    with pytest.raises(TypeError):
        kwic(corpus, "两委", 10)
