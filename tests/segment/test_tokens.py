"""Tokens keep doc ids and docvars through every step."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from toolkit.segment import Tokens


@pytest.fixture()
def tokens() -> Tokens:
    dv = pd.DataFrame(
        {"town": ["河塘镇", "柳湾乡", "河塘镇"]}, index=pd.Index(["a", "b", "c"], name="doc_id")
    )
    return Tokens(
        [["坚持", "一线工作法", "，"], ["进一步", "扫黑除恶"], ["河长制", "。"]],
        doc_ids=["a", "b", "c"],
        docvars=dv,
        provenance={"backend": "jieba-rs"},
    )


def test_alignment_and_access(tokens):
    assert len(tokens) == 3
    assert tokens["b"] == ["进一步", "扫黑除恶"]
    assert tokens[0][1] == "一线工作法"
    assert list(tokens.n_tokens()) == [3, 2, 2]
    with pytest.raises(KeyError, match="no document with doc_id 'z'"):
        tokens["z"]


def test_remove_and_keep_record_steps(tokens):
    cleaned = tokens.remove(["，", "。", "进一步"])
    assert list(cleaned) == [["坚持", "一线工作法"], ["扫黑除恶"], ["河长制"]]
    assert cleaned.doc_ids == tokens.doc_ids
    assert cleaned.provenance["steps"] == ["remove(3 words)"]
    assert list(tokens.keep(["河长制", "扫黑除恶"])) == [[], ["扫黑除恶"], ["河长制"]]


def test_group_concatenates_in_order_and_keeps_totals(tokens):
    grouped = tokens.group("town")
    assert grouped.doc_ids == ["河塘镇", "柳湾乡"]
    assert grouped["河塘镇"] == ["坚持", "一线工作法", "，", "河长制", "。"]
    assert grouped.n_tokens().sum() == tokens.n_tokens().sum()
    with pytest.raises(KeyError, match="no docvar named 'county'"):
        tokens.group("county")


def test_write_jsonl(tokens, tmp_path):
    path = tokens.write_jsonl(tmp_path / "tokens.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == {"doc_id": "a", "tokens": ["坚持", "一线工作法", "，"]}


def test_misaligned_input_is_refused():
    with pytest.raises(ValueError, match="2 token lists, 1 ids"):
        Tokens([["a"], ["b"]], doc_ids=["x"])
