"""Tests for toolkit.ingest.decode: bytes of any supported encoding to text.

Encoded fixtures are written to ``tmp_path`` at test time; no binary files are committed.
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from toolkit.corpus.errors import Rejection
from toolkit.ingest.decode import DecodeError, decode_bytes, read_text_file
from toolkit.ingest.newspaper import parse_page

FICTIONAL = Path(__file__).resolve().parent / "data" / "page_fictional.txt"

# Traditional-character text written for these tests; every character is in Big5.
BIG5_SAMPLE = (
    "縣政府工作報告\n\n"
    "過去一年，全縣經濟運行穩中有進，地區生產總值增長百分之六點五。\n"
    "我們堅持以人民為中心，辦好十件民生實事，群眾的獲得感、幸福感持續增強。\n"
    "新的一年，我們將繼續推進鄉村振興，讓城鄉面貌煥然一新。\n"
)
GB_SAMPLE = "县政府工作报告\n\n今年以来，全县经济运行稳中有进，群众的获得感持续增强。\n"

# (codec used to write the file, name read_text_file must report)
UNICODE_AND_GB = [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16"),
    ("utf-16-le-bom", "utf-16"),
    ("utf-16-be-bom", "utf-16"),
    ("gb18030", "gb18030"),
    ("gbk", "gb18030"),
]


def _encode(text: str, codec: str) -> bytes:
    # Python's "utf-16" writes the platform's byte order; pin both orders explicitly.
    if codec == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if codec == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(codec)


def _write(tmp_path: Path, text: str, codec: str, name: str = "page.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(_encode(text, codec))
    return path


@pytest.mark.parametrize(("codec", "expected"), UNICODE_AND_GB)
def test_fictional_page_round_trips(tmp_path: Path, codec: str, expected: str) -> None:
    text = FICTIONAL.read_text(encoding="utf-8")
    path = _write(tmp_path, text, codec)
    assert read_text_file(path) == (text, expected)


@pytest.mark.parametrize(("codec", "expected"), UNICODE_AND_GB)
def test_gb_sample_round_trips(codec: str, expected: str) -> None:
    assert decode_bytes(_encode(GB_SAMPLE, codec)) == (GB_SAMPLE, expected)


@pytest.mark.parametrize(
    ("codec", "expected"),
    [*[c for c in UNICODE_AND_GB if not c[0].startswith("gb")], ("big5", "big5")],
)
def test_big5_sample_round_trips(tmp_path: Path, codec: str, expected: str) -> None:
    path = _write(tmp_path, BIG5_SAMPLE, codec)
    assert read_text_file(path) == (BIG5_SAMPLE, expected)


def test_gb18030_and_big5_are_told_apart_when_both_decode() -> None:
    # The point of scoring: each byte string is valid in both codecs, so only the
    # common-character score can tell which reading is Chinese.
    big5 = BIG5_SAMPLE.encode("big5")
    gbk = "县政府工作报告".encode("gbk")
    big5.decode("gb18030")
    gbk.decode("big5")
    assert decode_bytes(big5) == (BIG5_SAMPLE, "big5")
    assert decode_bytes(gbk) == ("县政府工作报告", "gb18030")


@pytest.mark.shared
@pytest.mark.parametrize(("codec", "expected"), UNICODE_AND_GB)
def test_seed_page_round_trips(tmp_path: Path, seed_page: Path, codec: str, expected: str) -> None:
    text = seed_page.read_text(encoding="utf-8")
    path = _write(tmp_path, text, codec, name=seed_page.name)
    assert read_text_file(path) == (text, expected)


@pytest.mark.shared
def test_gb18030_seed_page_parses_to_the_same_documents(tmp_path: Path, seed_page: Path) -> None:
    text = seed_page.read_text(encoding="utf-8")
    path = _write(tmp_path, text, "gb18030", name=seed_page.name)
    decoded, encoding = read_text_file(path)
    assert encoding == "gb18030"
    from_utf8 = parse_page(text, source=str(seed_page))
    from_gb = parse_page(decoded, source=str(path))
    assert len(from_gb) == len(from_utf8) == 2

    def without_source(meta: object) -> dict[str, object]:
        return {k: v for k, v in dict(meta).items() if k != "source"}  # type: ignore[call-overload]

    for a, b in zip(from_utf8, from_gb, strict=True):
        assert (a.doc_id, a.text) == (b.doc_id, b.text)
        assert without_source(a.meta) == without_source(b.meta)


@pytest.mark.parametrize(
    ("newline", "codec"), [("\r\n", "utf-8"), ("\r", "utf-8"), ("\r\n", "utf-16"), ("\r\n", "gbk")]
)
def test_newlines_are_normalised(newline: str, codec: str) -> None:
    text = FICTIONAL.read_text(encoding="utf-8")
    decoded, _ = decode_bytes(_encode(text.replace("\n", newline), codec))
    assert decoded == text


def test_ascii_is_utf8() -> None:
    assert decode_bytes(b"plain ascii\n") == ("plain ascii\n", "utf-8")


@pytest.mark.parametrize(
    "data",
    [b"", b" \n\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n", b"\xff\xfe", "\u3000\n".encode()],
    ids=["zero-bytes", "whitespace", "utf8-bom", "utf8-bom-whitespace", "utf16-bom", "ideo-space"],
)
def test_empty_file_is_rejected(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    with pytest.raises(DecodeError, match=rf"^{re.escape(str(path))}: empty file$") as info:
        read_text_file(path)
    assert info.value.path == str(path)
    assert info.value.reason == "empty file"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        "2023年县政府工作报告".encode("utf-16-le"),  # UTF-16 without a byte-order mark
        b"text\x00with a NUL",
    ],
    ids=["png", "utf16-no-bom", "nul"],
)
def test_nul_bytes_mean_binary(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(data)
    with pytest.raises(DecodeError, match=rf"^{re.escape(str(path))}: binary file \(NUL bytes\)"):
        read_text_file(path)


def test_control_characters_mean_binary(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"abc\x01\x02\x03\x04def\x1b\x7fxyz")
    with pytest.raises(
        DecodeError, match=rf"^{re.escape(str(path))}: binary file \(control characters\)$"
    ):
        read_text_file(path)


def test_a_stray_control_character_is_tolerated() -> None:
    text = "今年以来，全县经济运行平稳。" * 10 + "\x07"
    assert decode_bytes(text.encode()) == (text, "utf-8")


@pytest.mark.parametrize(
    "data",
    [
        b"abc \x80\x80\xff def",  # invalid in every supported codec
        "Résumé naïve café crème brûlée".encode("latin-1"),  # Latin-1, not Chinese
        "カタカナとひらがなの文章です。".encode("shift_jis"),
        b"\xef\xbb\xbfok \xff",  # a UTF-8 byte-order mark, then invalid UTF-8
        "abc".encode("utf-32"),
    ],
    # Issue 16: a UTF-16 file with an odd number of bytes is cut off, not undecodable;
    # tests/robustness pins what is kept and reported.
    ids=["invalid", "latin-1", "shift-jis", "bad-utf8-after-bom", "utf-32"],
)
def test_undecodable_bytes_are_rejected(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "mystery.txt"
    path.write_bytes(data)
    message = (
        rf"^{re.escape(str(path))}: undecodable: not UTF-8, UTF-16, GB18030 or Big5; "
        r"re-save the file as UTF-8"
    )
    with pytest.raises(DecodeError, match=message) as info:
        read_text_file(path)
    assert info.value.reason.startswith("undecodable: ")


def test_undecodable_message_points_at_the_bad_byte() -> None:
    data = "今年以来，全县经济运行平稳。".encode() + b"\xff" + "下一步。".encode()
    with pytest.raises(DecodeError, match=r"invalid UTF-8 byte 0xFF at offset 42\)$"):
        decode_bytes(data, source="report.txt")


def test_decode_bytes_default_source_and_types() -> None:
    with pytest.raises(DecodeError, match=r"^<bytes>: empty file$"):
        decode_bytes(b"")
    assert decode_bytes(bytearray(b"ok")) == ("ok", "utf-8")
    assert decode_bytes(memoryview(b"ok")) == ("ok", "utf-8")
    with pytest.raises(TypeError, match=r"^x\.txt: data must be bytes \(got str\)"):
        decode_bytes("already text", source="x.txt")  # type: ignore[arg-type]


def test_decode_error_is_a_value_error_and_a_rejection() -> None:
    error = DecodeError("a/b.txt", "empty file")
    assert isinstance(error, ValueError)
    assert str(error) == "a/b.txt: empty file"
    assert error.to_rejection() == Rejection(source="a/b.txt", reason="empty file")
    restored = pickle.loads(pickle.dumps(error))
    assert (restored.path, restored.reason, str(restored)) == (error.path, error.reason, str(error))


def test_missing_file_raises_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_text_file(tmp_path / "absent.txt")
