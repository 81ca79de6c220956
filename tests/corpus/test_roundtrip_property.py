"""Property: any corpus written as JSONL or Parquet reads back equal."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.corpus import Corpus, Document, read_corpus, write_corpus

# Chinese policy vocabulary, ASCII, punctuation that needs escaping, and every kind of line break.
_PIECES = [
    "河塘镇",
    "柳湾乡",
    "青石街道",
    "党建引领",
    "乡村振兴",
    "一岗双责",
    "，",
    "。",
    "“",
    "”",
    "【",
    "】",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\u2028",
    "\x85",
    "\x00",
    '"',
    "\\",
    "{",
    "[",
    " ",
    "2023",
    "GDP",
    "😀",
]
chinese_text = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=12).map(
    "".join
)
doc_ids = st.text(
    alphabet=st.sampled_from(list("abcxyz019-_#/ 镇乡街道河柳")), min_size=1, max_size=8
)
field_names = st.sampled_from(
    ["county", "town", "year", "reporters", "kicker", "n_villages", "版面", "tags"]
)
field_kinds = st.sampled_from(["str", "int", "list"])


def _value(kind: str) -> st.SearchStrategy[Any]:
    if kind == "str":
        return chinese_text
    if kind == "int":
        return st.integers(min_value=-(2**53), max_value=2**53)
    return st.lists(chinese_text, max_size=3)


@st.composite
def corpora(draw: st.DrawFn) -> Corpus:
    schema = draw(st.dictionaries(field_names, field_kinds, max_size=4))
    ids = draw(st.lists(doc_ids, unique=True, max_size=6))
    docs = []
    for doc_id in ids:
        meta = {}
        for name, kind in schema.items():
            if draw(st.booleans()):  # fields present on only some documents
                meta[name] = draw(_value(kind))
        docs.append(Document(doc_id, draw(chinese_text), meta))
    return Corpus(docs)


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
@settings(
    max_examples=50,
    deadline=None,
    database=None,  # write nothing into the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(corpus=corpora())
def test_round_trip(tmp_path_factory: pytest.TempPathFactory, fmt: str, corpus: Corpus) -> None:
    path = tmp_path_factory.mktemp("prop") / f"corpus.{fmt}"
    write_corpus(corpus, path)
    back = read_corpus(path)
    assert back.to_records() == corpus.to_records()
    assert back == corpus
    assert back.sha256() == corpus.sha256()
    assert list(read_corpus(path, stream=True)) == list(corpus)
