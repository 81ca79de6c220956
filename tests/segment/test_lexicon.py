"""Lexicons: files, lists, merging, hashing and leftmost-longest matching."""

from __future__ import annotations

import pickle

import pytest

from toolkit.segment import Lexicon


def test_text_file_with_optional_categories(tmp_path):
    path = tmp_path / "terms.txt"
    path.write_text("# 本县提法\n田坎工作法\tmethod\n“1+N”\n\n清苇行动\n", encoding="utf-8")
    lex = Lexicon.from_file(path, category="county")
    assert dict(lex) == {"田坎工作法": "method", "1+N": "county", "清苇行动": "county"}
    assert lex.name == str(path)


def test_tsv_file_with_header(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text("term\tnote\tcategory\n一核两翼四联\t苇川县\tnumbered\n", encoding="utf-8")
    assert dict(Lexicon.from_file(path)) == {"一核两翼四联": "numbered"}


def test_missing_file_and_empty_term_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="lexicon file not found"):
        Lexicon.from_file(tmp_path / "none.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("河长制\n“”\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt:line 2: empty term"):
        Lexicon.from_file(bad)


def test_merge_keeps_first_category_and_hash_is_content_based():
    a = Lexicon({"河长制": "institution"}, name="a")
    b = Lexicon({"河长制": "user", "林长制": "user"}, name="b")
    merged = a.merge(b)
    assert dict(merged) == {"河长制": "institution", "林长制": "user"}
    assert merged.sha256() == Lexicon(dict(merged)).sha256()
    assert merged.sha256() != a.sha256()
    assert pickle.loads(pickle.dumps(merged)) == merged


def test_matcher_is_leftmost_longest_and_non_overlapping():
    lex = Lexicon(["工作法", "一线工作法", "线工", "共建共治共享", "共治"])
    text = "一线工作法推动共建共治共享"
    spans = lex.matcher().find(text)
    assert [text[s:e] for s, e in spans] == ["一线工作法", "共建共治共享"]


def test_empty_lexicon_matches_nothing():
    assert Lexicon([]).matcher().find("河长制") == []


def test_non_string_term_is_refused():
    with pytest.raises(TypeError, match="lexicon terms must be str"):
        Lexicon([42])
