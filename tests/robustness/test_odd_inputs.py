"""Non-text, odd sizes and awkward content, through the API and ``tifa`` (issue 16).

Timing lives in benchmarks/robustness.py; here the large inputs only have to be read
whole and give back their exact text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from toolkit.corpus import Corpus, Document, Rejection, read_jsonl
from toolkit.ingest import ingest
from toolkit.segment import Segmenter
from toolkit.terms import TermDetector

Run = Callable[..., tuple[int, str, list[str]]]


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_binary_nul_and_empty_files_are_named(tmp_path: Path, tifa: Run) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "good.txt").write_text("共建共治共享。", encoding="utf-8")
    (folder / "photo.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "nul.txt").write_bytes("共建\x00共享".encode())
    (folder / "empty.txt").write_bytes(b"")
    nul = (
        "binary file (NUL bytes); if this is UTF-16 text without a byte-order mark, "
        "re-save it as UTF-8"
    )
    expected = {"empty.txt": "empty file", "nul.txt": nul, "photo.txt": nul}
    result = ingest([folder], format="textdir", progress=False)
    assert result.corpus.doc_ids == ["good"]
    assert {Path(r.source).name: r.reason for r in result.rejected} == expected
    out = tmp_path / "out.jsonl"
    code, stdout, err = tifa("ingest", folder, "--format", "textdir", "-o", out, "--quiet")
    assert (code, stdout) == (1, f"wrote {out}: 1 documents from 4 inputs; 3 rejected\n")
    assert err == [
        f"rejected: {folder / 'empty.txt'}: empty file",
        f"rejected: {folder / 'nul.txt'}: {nul}",
        f"rejected: {folder / 'photo.txt'}: {nul}",
        "rejected: 3 in all",
    ]


def test_binary_and_empty_jsonl(tmp_path: Path, tifa: Run) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert read_jsonl(empty, rejected=[]).doc_ids == []
    code, stdout, err = tifa("info", empty)
    assert (code, stdout, err) == (0, "0 documents, 0 characters\n", [])
    nul = tmp_path / "nul.jsonl"
    nul.write_bytes(b'{"doc_id": "a", "text": "x\x00y"}\n{"doc_id": "b", "text": "ok"}\n')
    rejected: list[Rejection] = []
    assert read_jsonl(nul, rejected=rejected).doc_ids == ["b"]
    assert [(r.location, r.reason.split(";")[0]) for r in rejected] == [
        ("line 1", "not valid JSON: invalid control character at column 27")
    ]
    tokens = tmp_path / "tokens.jsonl"
    code, _, err = tifa("segment", nul, "-o", tokens, "--quiet")
    assert (code, len(err), [r["doc_id"] for r in _jsonl(tokens)]) == (1, 2, ["b"])


def test_a_50_mb_single_line(tmp_path: Path, tifa: Run) -> None:
    text = "共建共治共享网格化管理" * 1_600_000  # 17.6 M characters, 52.8 MB of UTF-8
    path = tmp_path / "huge.jsonl"
    path.write_text(json.dumps({"doc_id": "huge", "text": text}, ensure_ascii=False) + "\n")
    assert path.stat().st_size > 50_000_000
    assert read_jsonl(path)["huge"].text == text
    code, stdout, err = tifa("info", path)
    assert (code, stdout, err) == (0, f"1 documents, {len(text):,} characters\n", [])


def test_a_million_characters_without_punctuation() -> None:
    text = "网格化管理推进基层治理现代化党建引领共建共治共享各乡镇街道落实一岗双责" * 28_572
    assert len(text) > 1_000_000 and not any(ch in text for ch in "，。、；")
    tokens = Segmenter(progress=False).segment_text(text)
    assert "".join(tokens) == text
    detector = TermDetector(progress=False).fit(
        Corpus([Document("a", "“共建共治共享”。" * 2), Document("b", "推进“共建共治共享”。")])
    )
    found = detector.detect(text)
    assert set(found["term"]) >= {"共建共治共享"}


AWKWARD = {
    "html": "<p>推进&nbsp;网格化管理&amp;服务</p><br/>",
    "traditional": "網格化管理，黨建引領",
    "emoji": "共建共治共享👍🏽，真好😀",
    "private-use": "一岗\ue000双责，“共建\ue000共享”",
    "control": "一岗\x07双责\x1b和共建\u200b共享",
}


@pytest.mark.parametrize("name", list(AWKWARD))
def test_awkward_content_segments_back_to_its_text(name: str, tmp_path: Path, tifa: Run) -> None:
    text = AWKWARD[name]
    path = tmp_path / "awkward.jsonl"
    path.write_text(json.dumps({"doc_id": name, "text": text}, ensure_ascii=False) + "\n")
    corpus = read_jsonl(path)
    assert corpus[name].text == text
    # Fitted on the text, the segmenter learns its quoted terms and masks them with
    # U+E000 while it works: a text holding that character must come back whole.
    segmenter = Segmenter(progress=False).fit(corpus)
    assert "".join(segmenter.segment_text(text)) == text
    out = tmp_path / "out.jsonl"
    assert tifa("ingest", path, "-o", out, "--quiet")[:3] == (
        0,
        f"wrote {out}: 1 documents from 1 inputs; 0 rejected\n",
        [],
    )
    assert _jsonl(out)[0]["text"] == text
    tokens = tmp_path / "tokens.jsonl"
    code, _, err = tifa("segment", path, "-o", tokens, "--terms-from", "quoted", "--quiet")
    assert (code, err) == (0, [])
    assert "".join(_jsonl(tokens)[0]["tokens"]) == text
    code, stdout, err = tifa("info", path)
    assert (code, stdout, err) == (0, f"1 documents, {len(text)} characters\n", [])


def test_traditional_pages_convert_with_t2s(tmp_path: Path, tifa: Run) -> None:
    path = tmp_path / "big5.jsonl"
    path.write_text(json.dumps({"doc_id": "a", "text": "網格化管理，黨建引領"}) + "\n")
    out = tmp_path / "out.jsonl"
    assert tifa("ingest", path, "-o", out, "--t2s", "--quiet")[0] == 0
    assert _jsonl(out)[0]["text"] == "网格化管理，党建引领"
