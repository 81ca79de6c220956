"""Corpus: documents plus a docvars table; subset, group, sample, pandas, hashing."""

from __future__ import annotations

import pickle
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest

from toolkit.corpus import Corpus, CorpusFormatError, Document, DuplicateDocIdError

IDS = [
    "hetang-2022-01",
    "liuwan-2022-01",
    "qingshi-2023-01",
    "hetang-2023-01",
    "liuwan-2023-01",
    "qingshi-2023-02",
]
DOCVARS = {"county", "town", "year", "reporters", "sections", "kicker", "n_villages"}


# ---------------------------------------------------------------------- basics
def test_len_iter_and_order(corpus: Corpus, records: list[dict[str, Any]]) -> None:
    assert len(corpus) == 6
    assert [d.doc_id for d in corpus] == IDS
    assert corpus.doc_ids == IDS
    assert corpus.texts == [r["text"] for r in records]
    assert all(isinstance(d, Document) for d in corpus)
    # Iterating twice gives the same documents.
    assert list(corpus) == list(corpus)


def test_getitem_by_position_and_doc_id(corpus: Corpus) -> None:
    assert corpus[0].doc_id == "hetang-2022-01"
    assert corpus[-1].doc_id == "qingshi-2023-02"
    doc = corpus["liuwan-2023-01"]
    assert doc is corpus[4]
    assert doc.meta["town"] == "柳湾乡"
    assert doc.text.startswith("柳湾乡把乡村振兴作为“一号工程”。\n")
    with pytest.raises(KeyError, match="no document with doc_id 'baishui-2022-01'"):
        corpus["baishui-2022-01"]
    with pytest.raises(IndexError):
        corpus[6]


def test_contains(corpus: Corpus) -> None:
    assert "qingshi-2023-01" in corpus
    assert "qingshi-2022-01" not in corpus


def test_from_records_keeps_meta_types(corpus: Corpus, records: list[dict[str, Any]]) -> None:
    doc = corpus["hetang-2022-01"]
    assert doc.meta["year"] == 2022 and isinstance(doc.meta["year"], int)
    assert doc.meta["reporters"] == ["李明"]
    assert doc.meta["sections"][0] == {
        "title": None,
        "paragraphs": records[0]["sections"][0]["paragraphs"],
    }
    assert doc.meta["sections"][1]["title"] == "党建引领 夯实基层"
    assert doc.meta["kicker"] == "乡村振兴进行时"
    assert "kicker" not in corpus["liuwan-2022-01"].meta
    assert corpus.to_records() == records


def test_from_records_drops_missing_values() -> None:
    c = Corpus.from_records(
        [
            {
                "doc_id": "a",
                "text": "柳湾乡。",
                "kicker": None,
                "score": float("nan"),
                "town": "柳湾乡",
            }
        ]
    )
    assert dict(c[0].meta) == {"town": "柳湾乡"}


def test_from_records_with_id_field_none_numbers_documents(records: list[dict[str, Any]]) -> None:
    for r in records:
        del r["doc_id"]
    c = Corpus.from_records(records, id_field=None)
    assert c.doc_ids == [f"doc{i:04d}" for i in range(6)]


def test_from_records_error_names_the_record(records: list[dict[str, Any]]) -> None:
    del records[2]["text"]
    with pytest.raises(CorpusFormatError, match=r"^<records>:record 3: missing text field 'text'"):
        Corpus.from_records(records)


def test_constructor_refuses_non_documents(records: list[dict[str, Any]]) -> None:
    with pytest.raises(TypeError, match=r"documents\[0\] must be a toolkit.Document \(got dict\)"):
        Corpus(records)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not a str"):
        Corpus("河塘镇")  # type: ignore[arg-type]


def test_empty_corpus() -> None:
    c = Corpus()
    assert len(c) == 0
    assert list(c) == []
    assert c.docvars.empty
    assert c.docvars.index.name == "doc_id"
    assert list(c.to_pandas().columns) == ["doc_id", "text"]
    assert c == Corpus([])


def test_corpus_equality(corpus: Corpus, records: list[dict[str, Any]]) -> None:
    assert corpus == Corpus.from_records(records)
    records[3]["year"] = 2024
    assert corpus != Corpus.from_records(records)
    assert corpus != Corpus.from_records(records[::-1])
    assert corpus != list(corpus)


def test_corpus_pickles(corpus: Corpus) -> None:
    assert pickle.loads(pickle.dumps(corpus)) == corpus


# ---------------------------------------------------------------------- duplicate ids
def test_duplicate_ids_are_all_named(records: list[dict[str, Any]]) -> None:
    dupes = [*records, records[0], records[4], records[4], records[5]]
    with pytest.raises(DuplicateDocIdError) as info:
        Corpus.from_records(dupes)
    message = str(info.value)
    assert "3 duplicated" in message
    for doc_id in ("hetang-2022-01", "liuwan-2023-01", "qingshi-2023-02"):
        assert repr(doc_id) in message
    for doc_id in ("liuwan-2022-01", "qingshi-2023-01", "hetang-2023-01"):
        assert doc_id not in message


def test_duplicate_ids_beyond_twenty_are_counted() -> None:
    docs = [Document(f"town-{i:02d}", "河塘镇。") for i in range(25)] * 2
    with pytest.raises(DuplicateDocIdError, match=r"25 duplicated: 'town-00', .* and 5 more$"):
        Corpus(docs)


def test_duplicate_error_is_a_value_error(corpus: Corpus) -> None:
    with pytest.raises(ValueError, match="'hetang-2022-01'"):
        corpus.concat(corpus.subset(town="河塘镇"))


# ---------------------------------------------------------------------- docvars
def test_docvars_table(corpus: Corpus, records: list[dict[str, Any]]) -> None:
    dv = corpus.docvars
    assert dv.index.name == "doc_id"
    assert list(dv.index) == IDS
    assert set(dv.columns) == DOCVARS
    assert "doc_id" not in dv.columns and "text" not in dv.columns
    assert dv.loc["hetang-2022-01", "town"] == "河塘镇"
    assert dv.loc["qingshi-2023-01", "county"] == "白鹭区"
    assert dv.loc["liuwan-2022-01", "year"] == 2022
    assert dv["year"].tolist() == [2022, 2022, 2023, 2023, 2023, 2023]
    assert dv.loc["qingshi-2023-01", "reporters"] == ["王芳", "赵磊"]
    assert dv.loc["hetang-2023-01", "sections"] == records[3]["sections"]
    assert dv["kicker"].isna().tolist() == [False, True, False, True, True, True]
    assert dv.loc["qingshi-2023-01", "kicker"] == "基层治理新观察"
    assert dv["n_villages"].notna().sum() == 2


def test_docvars_is_a_copy(corpus: Corpus) -> None:
    dv = corpus.docvars
    dv.loc["hetang-2022-01", "town"] = "柳湾乡"
    dv["extra"] = 1
    again = corpus.docvars
    assert again.loc["hetang-2022-01", "town"] == "河塘镇"
    assert "extra" not in again.columns
    assert corpus["hetang-2022-01"].meta["town"] == "河塘镇"


def test_docvars_without_meta_has_index_only() -> None:
    c = Corpus([Document("a", "共建共治共享。"), Document("b", "一岗双责。")])
    dv = c.docvars
    assert list(dv.index) == ["a", "b"]
    assert dv.columns.empty
    assert "docvars: none" in repr(c)


def test_repr_names_size_and_fields(corpus: Corpus) -> None:
    assert re.match(r"Corpus\(6 documents; docvars: .*town", repr(corpus))


# ---------------------------------------------------------------------- subset
def test_subset_by_value(corpus: Corpus) -> None:
    sub = corpus.subset(town="河塘镇")
    assert sub.doc_ids == ["hetang-2022-01", "hetang-2023-01"]
    assert isinstance(sub, Corpus)
    assert sub["hetang-2023-01"] == corpus["hetang-2023-01"]
    assert list(sub.docvars.index) == sub.doc_ids
    assert corpus.subset(year=2022).doc_ids == ["hetang-2022-01", "liuwan-2022-01"]
    assert len(corpus) == 6  # the original is untouched


def test_subset_by_list(corpus: Corpus) -> None:
    sub = corpus.subset(town=["青石街道", "柳湾乡"])
    # Corpus order, not list order.
    assert sub.doc_ids == ["liuwan-2022-01", "qingshi-2023-01", "liuwan-2023-01", "qingshi-2023-02"]
    assert corpus.subset(year=(2022,)).doc_ids == ["hetang-2022-01", "liuwan-2022-01"]
    assert corpus.subset(town=[]).doc_ids == []


def test_subset_on_a_partial_docvar(corpus: Corpus) -> None:
    assert corpus.subset(kicker="乡村振兴进行时").doc_ids == ["hetang-2022-01"]


def test_subset_by_callable(corpus: Corpus) -> None:
    sub = corpus.subset(lambda dv: dv["year"] >= 2023)
    assert sub.doc_ids == IDS[2:]
    sub = corpus.subset(lambda dv: dv["reporters"].map(lambda r: "李明" in r))
    assert sub.doc_ids == ["hetang-2022-01", "hetang-2023-01"]


def test_subset_by_boolean_mask(corpus: Corpus) -> None:
    mask = [True, False, False, True, False, True]
    assert corpus.subset(mask).doc_ids == ["hetang-2022-01", "hetang-2023-01", "qingshi-2023-02"]
    assert corpus.subset(np.array(mask)).doc_ids == corpus.subset(mask).doc_ids


def test_subset_by_series_aligns_on_doc_id(corpus: Corpus) -> None:
    # A Series in another order is matched by doc_id, not by position.
    series = pd.Series([True, False, False, False, False, True], index=IDS[::-1])
    assert corpus.subset(series).doc_ids == ["hetang-2022-01", "qingshi-2023-02"]
    series = pd.Series([True, False, False, False, False, False], index=IDS[::-1])
    assert corpus.subset(series).doc_ids == ["qingshi-2023-02"]


def test_subset_combines_all_conditions(corpus: Corpus) -> None:
    sub = corpus.subset(lambda dv: dv["year"] == 2023, county="清水县", town=["河塘镇", "青石街道"])
    assert sub.doc_ids == ["hetang-2023-01"]
    mask = [True] * 6
    assert corpus.subset(mask, county="白鹭区").doc_ids == ["qingshi-2023-01", "qingshi-2023-02"]


def test_subset_without_conditions_keeps_everything(corpus: Corpus) -> None:
    assert corpus.subset() == corpus


def test_subset_unknown_field_names_available_fields(corpus: Corpus) -> None:
    with pytest.raises(KeyError) as info:
        corpus.subset(township="河塘镇")
    message = str(info.value)
    assert "no docvar named 'township'" in message
    for field in ("county", "town", "year", "kicker"):
        assert repr(field) in message


@pytest.mark.parametrize("mask", [[True] * 5, [True] * 7, []])
def test_subset_wrong_length_mask(corpus: Corpus, mask: list[bool]) -> None:
    with pytest.raises(ValueError, match=r"where must give one boolean per document \(6\)"):
        corpus.subset(mask)


def test_subset_non_boolean_mask(corpus: Corpus) -> None:
    with pytest.raises(ValueError, match="dtype int"):
        corpus.subset([1, 0, 1, 0, 1, 0])
    with pytest.raises(ValueError, match="one boolean per document"):
        corpus.subset(lambda dv: dv["town"])


# ---------------------------------------------------------------------- group
def test_group_by_town(corpus: Corpus) -> None:
    grouped = corpus.group("town")
    assert grouped.doc_ids == ["河塘镇", "柳湾乡", "青石街道"]  # first appearance
    hetang = grouped["河塘镇"]
    assert hetang.text == corpus["hetang-2022-01"].text + "\n\n" + corpus["hetang-2023-01"].text
    assert hetang.meta["n_docs"] == 2
    assert hetang.meta["doc_ids"] == ["hetang-2022-01", "hetang-2023-01"]
    qingshi = grouped["青石街道"]
    assert qingshi.meta["doc_ids"] == ["qingshi-2023-01", "qingshi-2023-02"]
    assert qingshi.text.index("老城区") < qingshi.text.index("老旧小区")


def test_group_keeps_constant_docvars_only(corpus: Corpus) -> None:
    grouped = corpus.group("town")
    hetang = dict(grouped["河塘镇"].meta)
    # county and n_villages agree in both members; year, reporters, sections, kicker do not.
    assert hetang == {
        "county": "清水县",
        "town": "河塘镇",
        "n_villages": 12,
        "n_docs": 2,
        "doc_ids": ["hetang-2022-01", "hetang-2023-01"],
    }
    qingshi = grouped["青石街道"].meta
    assert qingshi["year"] == 2023  # both 2023: kept
    assert "reporters" not in qingshi  # ["王芳", "赵磊"] vs ["赵磊"]
    assert "kicker" not in qingshi  # only one member has it
    liuwan = grouped["柳湾乡"].meta
    assert liuwan["reporters"] == ["张伟"]
    assert "year" not in liuwan
    dv = grouped.docvars
    assert dv.loc["柳湾乡", "n_docs"] == 2
    assert dv.loc["青石街道", "county"] == "白鹭区"


def test_group_preserves_characters(corpus: Corpus) -> None:
    for sep in ("\n\n", "", "。"):
        grouped = corpus.group("town", sep=sep)
        seps = sum(len(sep) * (d.meta["n_docs"] - 1) for d in grouped)
        assert sum(len(d.text) for d in grouped) - seps == sum(len(d.text) for d in corpus)
        assert sum(d.meta["n_docs"] for d in grouped) == len(corpus)


def test_group_by_county_and_by_int_field(corpus: Corpus) -> None:
    by_county = corpus.group("county")
    assert by_county.doc_ids == ["清水县", "白鹭区"]
    assert by_county["清水县"].meta["n_docs"] == 4
    by_year = corpus.group("year")
    assert by_year.doc_ids == ["2022", "2023"]
    assert by_year["2022"].meta["year"] == 2022


def test_group_missing_values_refused(corpus: Corpus) -> None:
    with pytest.raises(ValueError, match=r"group: 4 documents have no 'kicker'") as info:
        corpus.group("kicker")
    assert "liuwan-2022-01" in str(info.value)


def test_group_unknown_field(corpus: Corpus) -> None:
    with pytest.raises(KeyError, match=r"no docvar named 'township'.*'town'"):
        corpus.group("township")


# ---------------------------------------------------------------------- sample
def test_sample_is_deterministic_for_a_seed(big_corpus: Corpus) -> None:
    assert len(big_corpus) == 36
    a = big_corpus.sample(10, seed=2023)
    b = big_corpus.sample(10, seed=2023)
    assert a == b
    assert len(a) == 10
    assert len(set(a.doc_ids)) == 10


def test_sample_differs_between_seeds(big_corpus: Corpus) -> None:
    draws = {tuple(big_corpus.sample(10, seed=seed).doc_ids) for seed in range(5)}
    assert len(draws) == 5


def test_sample_keeps_corpus_order_and_documents(big_corpus: Corpus) -> None:
    s = big_corpus.sample(12, seed=7)
    positions = [big_corpus.doc_ids.index(i) for i in s.doc_ids]
    assert positions == sorted(positions)
    for doc in s:
        assert doc == big_corpus[doc.doc_id]


def test_sample_all_and_none(big_corpus: Corpus) -> None:
    assert big_corpus.sample(36, seed=1) == big_corpus
    assert len(big_corpus.sample(0, seed=1)) == 0


def test_sample_too_many_raises(big_corpus: Corpus) -> None:
    with pytest.raises(
        ValueError, match=r"n must be <= the number of documents \(36\) without replace \(got 37\)"
    ):
        big_corpus.sample(37, seed=1)


@pytest.mark.parametrize("n", [-1, 2.5, True, "3"])
def test_sample_bad_n(big_corpus: Corpus, n: object) -> None:
    with pytest.raises(ValueError, match=r"n must be an integer >= 0"):
        big_corpus.sample(n, seed=1)  # type: ignore[arg-type]


def test_sample_with_replacement_makes_unique_ids(corpus: Corpus) -> None:
    s = corpus.sample(10, seed=3, replace=True)
    assert len(s) == 10
    assert len(set(s.doc_ids)) == 10
    for k, doc in enumerate(s):
        base, _, draw = doc.doc_id.rpartition("#")
        assert draw == str(k)
        assert doc.text == corpus[base].text
        assert doc.meta == corpus[base].meta


def test_sample_needs_a_seed(big_corpus: Corpus) -> None:
    with pytest.raises(TypeError):
        big_corpus.sample(3)  # type: ignore[call-arg]


# ---------------------------------------------------------------------- map, records, concat
def test_map_texts(corpus: Corpus) -> None:
    mapped = corpus.map_texts(lambda t: t.replace("\n", ""))
    assert mapped.doc_ids == corpus.doc_ids
    assert mapped.docvars.equals(corpus.docvars)
    assert "\n" not in "".join(mapped.texts)
    assert corpus["hetang-2022-01"].text.count("\n") == 3


def test_concat(corpus: Corpus) -> None:
    a = corpus.subset(year=2022)
    b = corpus.subset(year=2023)
    joined = a.concat(b)
    assert joined.doc_ids == a.doc_ids + b.doc_ids
    assert set(joined.doc_ids) == set(corpus.doc_ids)
    assert a.concat() == a


# ---------------------------------------------------------------------- pandas
def test_to_pandas(corpus: Corpus) -> None:
    df = corpus.to_pandas()
    assert list(df.columns[:2]) == ["doc_id", "text"]
    assert set(df.columns[2:]) == DOCVARS
    assert df["doc_id"].tolist() == IDS
    assert df["text"].tolist() == corpus.texts
    assert df.loc[2, "town"] == "青石街道"
    assert df.loc[0, "reporters"] == ["李明"]
    assert len(df) == 6


def test_to_pandas_from_pandas_round_trip(corpus: Corpus) -> None:
    # n_villages is an int docvar missing on some documents: pandas turns it into float.
    no_partial_ints = Corpus(
        Document(d.doc_id, d.text, {k: v for k, v in d.meta.items() if k != "n_villages"})
        for d in corpus
    )
    assert Corpus.from_pandas(no_partial_ints.to_pandas()) == no_partial_ints


def test_from_pandas_with_id_field() -> None:
    df = pd.DataFrame(
        {
            "id": ["hetang-2022-01", "liuwan-2022-01"],
            "body": ["河塘镇地处清水县东部。", "柳湾乡是传统农业乡。"],
            "town": ["河塘镇", "柳湾乡"],
            "year": [2022, 2022],
        }
    )
    c = Corpus.from_pandas(df, text_field="body", id_field="id")
    assert c.doc_ids == ["hetang-2022-01", "liuwan-2022-01"]
    assert c.texts == ["河塘镇地处清水县东部。", "柳湾乡是传统农业乡。"]
    assert dict(c[1].meta) == {"town": "柳湾乡", "year": 2022}
    assert type(c[1].meta["year"]) is int
    assert df.columns.tolist() == ["id", "body", "town", "year"]  # input untouched


def test_from_pandas_with_id_field_none_uses_index() -> None:
    df = pd.DataFrame(
        {
            "text": ["青石街道位于白鹭区老城区。", "柳湾乡是传统农业乡。"],
            "town": ["青石街道", "柳湾乡"],
        },
        index=pd.Index(["qingshi", "liuwan"], name="编号"),
    )
    c = Corpus.from_pandas(df, id_field=None)
    assert c.doc_ids == ["qingshi", "liuwan"]
    assert dict(c["liuwan"].meta) == {"town": "柳湾乡"}
    # A default RangeIndex becomes "0", "1", ...
    c = Corpus.from_pandas(df.reset_index(drop=True), id_field=None)
    assert c.doc_ids == ["0", "1"]
    assert list(df.index) == ["qingshi", "liuwan"]  # input untouched


def test_from_pandas_drops_missing_cells() -> None:
    df = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": ["河塘镇。", "柳湾乡。"],
            "kicker": ["乡村振兴进行时", None],
        }
    )
    c = Corpus.from_pandas(df)
    assert c["a"].meta["kicker"] == "乡村振兴进行时"
    assert "kicker" not in c["b"].meta


def test_from_pandas_refuses_other_types(records: list[dict[str, Any]]) -> None:
    with pytest.raises(TypeError, match=r"frame must be a pandas.DataFrame \(got list\)"):
        Corpus.from_pandas(records)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- sha256
def test_sha256_is_stable(corpus: Corpus, records: list[dict[str, Any]]) -> None:
    digest = corpus.sha256()
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert Corpus.from_records(records).sha256() == digest
    # Key order of the metadata does not matter.
    shuffled = [dict(reversed(list(r.items()))) for r in records]
    assert Corpus.from_records(shuffled).sha256() == digest


def test_sha256_is_pinned() -> None:
    # The hash is meant to be stable across runs, machines and versions: pin one value.
    c = Corpus.from_records(
        [
            {"doc_id": "hetang-2022-01", "text": "共建共治共享。", "town": "河塘镇", "year": 2022},
            {"doc_id": "liuwan-2022-01", "text": "一岗双责。", "reporters": ["李明"]},
        ]
    )
    # = sha256 over one sorted-key JSON line per document (checked with plain hashlib).
    assert c.sha256() == "d68b33796f43bb4e9164372f2fbff0da9936edbac9345416b8f84e6be0ba363e"


def test_sha256_sees_one_character(corpus: Corpus, records: list[dict[str, Any]]) -> None:
    digest = corpus.sha256()
    changed_text = [dict(r) for r in records]
    changed_text[3]["text"] = changed_text[3]["text"].replace("14次", "15次")
    changed_meta = [dict(r) for r in records]
    changed_meta[1]["town"] = "柳湾镇"
    changed_id = [dict(r) for r in records]
    changed_id[5]["doc_id"] = "qingshi-2023-03"
    digests = {
        digest,
        Corpus.from_records(changed_text).sha256(),
        Corpus.from_records(changed_meta).sha256(),
        Corpus.from_records(changed_id).sha256(),
        Corpus.from_records(records[::-1]).sha256(),
    }
    assert len(digests) == 5
