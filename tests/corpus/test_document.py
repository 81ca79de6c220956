"""Document: a frozen id, text and read-only metadata."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from toolkit.corpus import Document

TEXT = "河塘镇地处清水县东部，辖12个行政村。\n镇党委推行“网格+党员”工作法。"


@pytest.fixture
def meta() -> dict:
    return {"county": "清水县", "town": "河塘镇", "year": 2022, "reporters": ["李明"]}


@pytest.fixture
def doc(meta: dict) -> Document:
    return Document("hetang-2022-01", TEXT, meta)


def test_fields_are_kept(doc: Document) -> None:
    assert doc.doc_id == "hetang-2022-01"
    assert doc.text == TEXT
    assert dict(doc.meta) == {
        "county": "清水县",
        "town": "河塘镇",
        "year": 2022,
        "reporters": ["李明"],
    }


def test_meta_defaults_to_empty() -> None:
    doc = Document("liuwan-2022-01", "柳湾乡是传统农业乡。")
    assert dict(doc.meta) == {}


@pytest.mark.parametrize("attr", ["doc_id", "text", "meta"])
def test_document_is_frozen(doc: Document, attr: str) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(doc, attr, "柳湾乡")


def test_meta_item_assignment_raises(doc: Document) -> None:
    with pytest.raises(TypeError, match="does not support item assignment"):
        doc.meta["town"] = "柳湾乡"  # type: ignore[index]
    with pytest.raises(TypeError):
        del doc.meta["town"]  # type: ignore[attr-defined]
    assert doc.meta["town"] == "河塘镇"


def test_meta_is_copied_from_the_input(meta: dict, doc: Document) -> None:
    meta["town"] = "柳湾乡"
    meta["kicker"] = "乡村振兴进行时"
    del meta["year"]
    assert doc.meta["town"] == "河塘镇"
    assert "kicker" not in doc.meta
    assert doc.meta["year"] == 2022


def test_equality_compares_id_text_and_meta(doc: Document, meta: dict) -> None:
    same = Document("hetang-2022-01", TEXT, dict(reversed(list(meta.items()))))
    assert doc == same
    assert hash(doc) == hash(same)
    assert doc != Document("hetang-2023-01", TEXT, meta)
    assert doc != Document("hetang-2022-01", TEXT + "。", meta)
    assert doc != Document("hetang-2022-01", TEXT, {**meta, "year": 2023})
    assert doc != Document("hetang-2022-01", TEXT, {**meta, "kicker": "乡村振兴进行时"})
    assert doc != "hetang-2022-01"
    assert len({doc, same}) == 1


def test_with_meta_merges_and_leaves_original(doc: Document) -> None:
    updated = doc.with_meta(year=2023, kicker="乡村振兴进行时")
    assert updated is not doc
    assert updated.doc_id == doc.doc_id and updated.text == doc.text
    assert updated.meta["year"] == 2023
    assert updated.meta["kicker"] == "乡村振兴进行时"
    assert updated.meta["town"] == "河塘镇"
    assert doc.meta["year"] == 2022
    assert "kicker" not in doc.meta
    with pytest.raises(TypeError):
        updated.meta["year"] = 2024  # type: ignore[index]


def test_with_text_keeps_id_and_meta(doc: Document) -> None:
    new = doc.with_text("河塘镇")
    assert new.text == "河塘镇"
    assert new.doc_id == doc.doc_id
    assert new.meta == doc.meta
    assert doc.text == TEXT


@pytest.mark.parametrize(
    ("doc_id", "shown"),
    [(1, "1"), ("", "''"), (None, "None"), (b"hetang", "b'hetang'")],
)
def test_bad_doc_id_raises_type_error(doc_id: object, shown: str) -> None:
    with pytest.raises(TypeError, match=rf"^doc_id must be a non-empty str \(got {shown}\)$"):
        Document(doc_id, TEXT)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "type_name"),
    [(None, "NoneType"), (["河塘镇"], "list"), (2022, "int"), (TEXT.encode(), "bytes")],
)
def test_bad_text_raises_type_error_naming_the_document(text: object, type_name: str) -> None:
    with pytest.raises(
        TypeError, match=rf"^text of document 'hetang-2022-01' must be a str \(got {type_name}\)$"
    ):
        Document("hetang-2022-01", text)  # type: ignore[arg-type]


def test_empty_text_is_allowed() -> None:
    assert Document("blank", "").text == ""


def test_pickle_and_deepcopy_round_trip(doc: Document) -> None:
    # Documents travel to worker processes (CorpusStream.batches is the unit of parallel work).
    back = pickle.loads(pickle.dumps(doc))
    assert back == doc
    with pytest.raises(TypeError):
        back.meta["town"] = "柳湾乡"  # type: ignore[index]
    clone = copy.deepcopy(doc)
    assert clone == doc
    assert clone.meta["reporters"] is not doc.meta["reporters"]
