"""Encodings: what a text file in each keeps, through the API and ``tifa`` (issue 16)."""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from toolkit.corpus import Rejection
from toolkit.ingest import DecodeError, ingest, read_text_file

Run = Callable[..., tuple[int, str, list[str]]]

SIMPLIFIED = "网格化管理推进基层治理现代化，党建引领共建共治共享。\n各乡镇街道落实一岗双责。\n"
TRADITIONAL = "網格化管理推進基層治理現代化，黨建引領共建共治共享。\n各鄉鎮街道落實一崗雙責。\n"


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _folder(tmp_path: Path, data: bytes) -> tuple[Path, Path]:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "page.txt").write_bytes(data)
    return folder, folder / "page.txt"


def _info(tifa: Run, path: Path) -> tuple[int, str, list[str]]:
    """``tifa info``: exit status, its first line (the totals), stderr lines."""
    code, stdout, err = tifa("info", path)
    return code, stdout.splitlines()[0], err


# (bytes written, encoding reported, text read)
WHOLE = {
    "utf-8": (SIMPLIFIED.encode(), "utf-8", SIMPLIFIED),
    "utf-8-bom": (codecs.BOM_UTF8 + SIMPLIFIED.encode(), "utf-8-sig", SIMPLIFIED),
    "utf-16le-bom": (codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), "utf-16", SIMPLIFIED),
    "utf-16be-bom": (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16", SIMPLIFIED),
    "gb18030": (SIMPLIFIED.encode("gb18030"), "gb18030", SIMPLIFIED),
    "gbk": (SIMPLIFIED.encode("gbk"), "gb18030", SIMPLIFIED),
    "big5": (TRADITIONAL.encode("big5"), "big5", TRADITIONAL),
}


@pytest.mark.parametrize("name", list(WHOLE))
def test_whole_file_in_each_encoding(name: str, tmp_path: Path, tifa: Run) -> None:
    data, encoding, text = WHOLE[name]
    folder, page = _folder(tmp_path, data)
    assert read_text_file(page) == (text, encoding)
    out = tmp_path / "out.jsonl"
    code, stdout, err = tifa("ingest", folder, "--format", "textdir", "-o", out, "--quiet")
    assert (code, stdout, err) == (0, f"wrote {out}: 1 documents from 1 inputs; 0 rejected\n", [])
    (row,) = _jsonl(out)
    assert (row["doc_id"], row["text"], row["encoding"]) == ("page", text, encoding)
    assert _info(tifa, out) == (0, f"1 documents, {len(text)} characters", [])
    tokens = tmp_path / "tokens.jsonl"
    assert tifa("segment", out, "-o", tokens, "--quiet")[0] == 0
    assert "".join(_jsonl(tokens)[0]["tokens"]) == text


# (bytes written, encoding, text kept, reason)
CUT = {
    "utf-8": (
        SIMPLIFIED.encode()[:-2],
        "utf-8",
        SIMPLIFIED[:-2],
        "the file ends inside a UTF-8 character (its last 2 bytes: 0xE3 0x80), as if cut off",
    ),
    "gbk": (
        SIMPLIFIED.encode("gbk")[:-2],
        "gb18030",
        SIMPLIFIED[:-2],
        "the file ends inside a GB18030 character (its last 1 byte: 0xA1), as if cut off",
    ),
    "big5": (
        TRADITIONAL.encode("big5")[:-2],
        "big5",
        TRADITIONAL[:-2],
        "the file ends inside a Big5 character (its last 1 byte: 0xA1), as if cut off",
    ),
    "utf-16": (
        SIMPLIFIED.encode("utf-16")[:-1],
        "utf-16",
        SIMPLIFIED[:-1],
        "the file ends inside a UTF-16 character (its last 1 byte: 0x0A), as if cut off",
    ),
}


@pytest.mark.parametrize("name", list(CUT))
def test_file_cut_mid_character_keeps_the_text(name: str, tmp_path: Path, tifa: Run) -> None:
    data, encoding, text, reason = CUT[name]
    folder, page = _folder(tmp_path, data)
    kept = "those bytes were dropped" if "2 bytes" in reason else "that byte was dropped"
    full = f"{reason}; {kept} and the text before kept"
    rejected: list[Rejection] = []
    assert read_text_file(page, rejected=rejected) == (text, encoding)
    assert rejected == [Rejection(str(page), full, "end")]
    with pytest.raises(DecodeError, match="pass rejected=\\[\\] to keep the rest") as info:
        read_text_file(page)
    assert info.value.reason.startswith(reason)
    out = tmp_path / "out.jsonl"
    code, stdout, err = tifa("ingest", folder, "--format", "textdir", "-o", out, "--quiet")
    assert (code, err) == (1, [f"rejected: {page}:end: {full}", "rejected: 1 in all"])
    assert stdout == f"wrote {out}: 1 documents from 1 inputs; 1 rejected\n"
    assert _jsonl(out)[0]["text"] == text
    assert _info(tifa, out) == (0, f"1 documents, {len(text)} characters", [])


def test_mixed_encodings_keep_the_utf8_lines(tmp_path: Path, tifa: Run) -> None:
    lines = ["第一行是UTF-8。", "第二行是GBK。", "第三行是UTF-8。", "第四行又是GBK。", "第五行。"]
    data = b"\n".join(
        line.encode("gbk" if "GBK" in line else "utf-8") for line in lines
    )  # pages pasted together
    folder, page = _folder(tmp_path, data)
    rejected: list[Rejection] = []
    text, encoding = read_text_file(page, rejected=rejected)
    assert (text, encoding) == ("第一行是UTF-8。\n第三行是UTF-8。\n第五行。", "utf-8")
    assert [(r.location, r.reason) for r in rejected] == [
        (
            f"line {n}",
            "not UTF-8 like the rest of the file (byte 0xB5 at byte 1 of the line); the line "
            "was dropped and the others kept; re-save the file in one encoding",
        )
        for n in (2, 4)
    ]
    out = tmp_path / "out.jsonl"
    code, _, err = tifa("ingest", folder, "--format", "textdir", "-o", out, "--quiet")
    assert code == 1
    assert err == [
        f"rejected: {page}: 2 records (line 2, line 4): not UTF-8 like the rest of the file "
        "(byte 0xB5 at byte 1 of the line); the line was dropped and the others kept; "
        "re-save the file in one encoding",
        "rejected: 2 in all",
    ]
    assert _jsonl(out)[0]["text"] == text
    assert tifa("info", out)[0] == 0


def test_a_gbk_file_with_utf8_lines_keeps_them_decoded(tmp_path: Path, tifa: Run) -> None:
    # Mostly GBK, with a line pasted in from a UTF-8 page: before, the file was rejected
    # whole (the UTF-8 line read as GB18030 is not Chinese, so no decoding scored).
    lines = ["推进河长制工作，落实乡村振兴战略。", "全面推行一线工作法。", "坚持共建共治共享。"]
    lines.append("各村开展人居环境整治。")
    data = b"\n".join(line.encode("utf-8" if i == 1 else "gbk") for i, line in enumerate(lines))
    folder, page = _folder(tmp_path, data)
    rejected: list[Rejection] = []
    text, encoding = read_text_file(page, rejected=rejected)
    assert (text, encoding) == ("\n".join(lines), "gb18030")
    reason = (
        "UTF-8, unlike the rest of the file (GB18030); the line was decoded as UTF-8; "
        "re-save the file in one encoding"
    )
    assert [(r.location, r.reason) for r in rejected] == [("line 2", reason)]
    with pytest.raises(DecodeError, match=r"line 2: UTF-8, unlike the rest of the file"):
        read_text_file(page)
    out = tmp_path / "out.jsonl"
    code, _, err = tifa("ingest", folder, "--format", "textdir", "-o", out, "--quiet")
    assert code == 1
    assert err == [f"rejected: {page}:line 2: {reason}", "rejected: 1 in all"]
    assert _jsonl(out)[0]["text"] == text


def test_jsonl_in_gbk_is_said_once(tmp_path: Path, tifa: Run) -> None:
    path = tmp_path / "gbk.jsonl"
    records = [{"doc_id": f"d{i}", "text": "共建共治共享"} for i in range(4)]
    path.write_bytes(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("gbk")
    )
    code, stdout, err = tifa("info", path)
    assert (code, stdout) == (1, "0 documents, 0 characters\n")
    assert err == [
        f"rejected: {path}: 4 records (line 1, line 2, line 3, ...): not UTF-8; JSON lines "
        "must be UTF-8: re-save the file as UTF-8",
        "rejected: 4 in all",
    ]
    result = ingest([path], progress=False)
    assert (len(result.corpus), len(result.rejected)) == (0, 4)


def test_jsonl_with_a_utf8_bom_is_read(tmp_path: Path, tifa: Run) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + b'{"doc_id": "a", "text": "\xe5\x85\xb1"}\n')
    assert tifa("info", path)[:3] == (0, "1 documents, 1 characters\n", [])
    tokens = tmp_path / "tokens.jsonl"
    assert tifa("segment", path, "-o", tokens, "--quiet")[0] == 0
