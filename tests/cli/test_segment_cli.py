"""``tifa segment``: one {"doc_id", "tokens"} line per document, terms whole after --fit."""

from __future__ import annotations

import json

from toolkit import Corpus, write_jsonl, write_parquet
from toolkit.cli import main

RECORDS = [
    {"doc_id": "a", "text": "沙棠镇推行“田坎工作法”，完成3720万元投资。", "town": "沙棠镇"},
    {"doc_id": "b", "text": "田坎工作法  让干部走进田间,APP下载2021年。", "town": "菱角乡"},
]


def _read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_segment_writes_tokens_per_document(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    write_jsonl(Corpus.from_records(RECORDS), corpus)
    out = tmp_path / "tokens.jsonl"
    assert main(["segment", str(corpus), "-o", str(out), "--no-builtin", "--quiet"]) == 0
    rows = _read(out)
    assert [r["doc_id"] for r in rows] == ["a", "b"]
    # Raw mode, no normalisation: the text comes back character for character.
    assert "".join(rows[1]["tokens"]) == RECORDS[1]["text"]
    assert "3720万元" in rows[0]["tokens"]
    assert "田坎工作法" not in rows[1]["tokens"]
    assert "2 documents" in capsys.readouterr().out


def test_fit_and_user_lexicon_and_analysis_mode(tmp_path):
    corpus = tmp_path / "c.parquet"
    write_parquet(Corpus.from_records(RECORDS), corpus)
    lexicon = tmp_path / "county.txt"
    lexicon.write_text("走进田间\n", encoding="utf-8")
    out = tmp_path / "tokens.jsonl"
    argv = [
        "segment", str(corpus), "-o", str(out), "--no-builtin", "--fit",
        "--lexicon", str(lexicon), "--mode", "analysis", "--n-jobs", "2", "--quiet",
    ]  # fmt: skip
    assert main(argv) == 0
    tokens_b = _read(out)[1]["tokens"]
    assert "田坎工作法" in tokens_b and "走进田间" in tokens_b
    assert not {" ", "  ", ",", "。"} & set(tokens_b)


def test_unknown_backend_is_refused_by_the_parser(tmp_path):
    import pytest

    with pytest.raises(SystemExit) as exc:
        main(["segment", "x.jsonl", "-o", str(tmp_path / "t.jsonl"), "--backend", "jeiba"])
    assert exc.value.code == 2
