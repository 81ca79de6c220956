"""Readers and writers: round trips, field mapping, and errors that name file and line."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from toolkit.corpus import (
    FORMATS,
    Corpus,
    CorpusFormatError,
    Document,
    DuplicateDocIdError,
    Rejection,
    infer_format,
    read_corpus,
    read_csv,
    read_jsonl,
    read_parquet,
    write_corpus,
    write_csv,
    write_jsonl,
    write_parquet,
)

WRITERS = {"jsonl": write_jsonl, "parquet": write_parquet, "csv": write_csv}
READERS = {"jsonl": read_jsonl, "parquet": read_parquet, "csv": read_csv}


# ---------------------------------------------------------------------- round trips
@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_is_equal(tmp_path: Path, corpus: Corpus, fmt: str) -> None:
    path = WRITERS[fmt](corpus, tmp_path / f"towns.{fmt}")
    assert path == tmp_path / f"towns.{fmt}"
    back = READERS[fmt](path)
    assert isinstance(back, Corpus)
    assert back.to_records() == corpus.to_records()
    assert back == corpus
    assert back.sha256() == corpus.sha256()


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_keeps_types_and_absent_fields(tmp_path: Path, corpus: Corpus, fmt: str) -> None:
    back = READERS[fmt](WRITERS[fmt](corpus, tmp_path / f"towns.{fmt}"))
    doc = back["hetang-2022-01"]
    assert type(doc.meta["year"]) is int
    assert type(doc.meta["n_villages"]) is int  # an int present on only some records
    assert doc.meta["reporters"] == ["李明"]
    assert doc.meta["sections"][0]["title"] is None
    assert doc.meta["sections"][1] == {
        "title": "党建引领 夯实基层",
        "paragraphs": ["镇党委推行“网格+党员”工作法，把支部建在网格上。", "全镇共划分网格86个。"],
    }
    assert doc.meta["kicker"] == "乡村振兴进行时"
    # Fields a record never had stay absent (not None, not NaN, not "").
    for other in ("liuwan-2022-01", "hetang-2023-01", "qingshi-2023-02"):
        assert "kicker" not in back[other].meta
    assert "n_villages" not in back["liuwan-2022-01"].meta
    assert back["hetang-2023-01"].meta["n_villages"] == 12


@pytest.mark.parametrize("fmt", FORMATS)
def test_write_corpus_and_read_corpus_dispatch_on_suffix(
    tmp_path: Path, corpus: Corpus, fmt: str
) -> None:
    path = write_corpus(corpus, tmp_path / "nested" / "dir" / f"towns.{fmt}")
    assert path.is_file()
    assert read_corpus(path) == corpus
    assert read_corpus(str(path), format=fmt) == corpus


@pytest.mark.parametrize("fmt", FORMATS)
def test_explicit_format_overrides_suffix(tmp_path: Path, corpus: Corpus, fmt: str) -> None:
    path = write_corpus(corpus, tmp_path / "towns.dat", format=fmt)
    assert read_corpus(path, format=fmt) == corpus


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_of_an_empty_corpus(tmp_path: Path, fmt: str) -> None:
    back = READERS[fmt](WRITERS[fmt](Corpus(), tmp_path / f"empty.{fmt}"))
    assert back == Corpus()


@pytest.mark.parametrize("fmt", FORMATS)
def test_texts_that_look_like_json_stay_text(tmp_path: Path, fmt: str) -> None:
    # CSV decodes JSON-looking docvar cells; the text and id must never be decoded.
    c = Corpus(
        [
            Document("[1]", '["河塘镇", "柳湾乡"]', {"note": "[注] 数据来自清水县统计局"}),
            Document("{}", "{}", {"tags": ["[1]", "{}"]}),
            Document("2022", "2022", {"code": "[2]"}),
        ]
    )
    back = READERS[fmt](WRITERS[fmt](c, tmp_path / f"odd.{fmt}"))
    assert back.texts == ['["河塘镇", "柳湾乡"]', "{}", "2022"]
    assert back.doc_ids == ["[1]", "{}", "2022"]
    assert back["[1]"].meta["note"] == "[注] 数据来自清水县统计局"
    assert back["{}"].meta["tags"] == ["[1]", "{}"]


def test_jsonl_output_is_readable_utf8(tmp_path: Path, corpus: Corpus) -> None:
    path = write_jsonl(corpus, tmp_path / "towns.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6
    first = json.loads(lines[0])
    assert list(first)[:2] == ["doc_id", "text"]
    assert "河塘镇" in lines[0]  # not \\u escapes
    assert path.read_bytes().endswith(b"}\n")


def test_csv_output_has_json_cells(tmp_path: Path, corpus: Corpus) -> None:
    path = write_csv(corpus, tmp_path / "towns.csv")
    frame = pd.read_csv(path, dtype=str)
    assert list(frame.columns[:2]) == ["doc_id", "text"]
    assert json.loads(frame.loc[0, "reporters"]) == ["李明"]
    assert frame.loc[0, "year"] == "2022"
    assert frame.loc[3, "n_villages"] == "12"  # not "12.0"


def test_write_jsonl_refuses_unserialisable_docvars(tmp_path: Path) -> None:
    c = Corpus([Document("a", "河塘镇。", {"when": {1, 2}})])
    with pytest.raises(TypeError, match="cannot write a set docvar to JSON"):
        write_jsonl(c, tmp_path / "bad.jsonl")


def test_write_parquet_refuses_mixed_types(tmp_path: Path) -> None:
    c = Corpus(
        [
            Document("a", "河塘镇。", {"year": 2022}),
            Document("b", "柳湾乡。", {"year": "二〇二二年"}),
        ]
    )
    path = tmp_path / "mixed.parquet"
    with pytest.raises(CorpusFormatError, match=r"mixed types .* write JSONL instead"):
        write_parquet(c, path)
    write_jsonl(c, tmp_path / "mixed.jsonl")
    assert read_jsonl(tmp_path / "mixed.jsonl") == c


# ---------------------------------------------------------------------- field mapping
@pytest.fixture
def body_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in records:
        r = dict(r)
        out.append({"id": r.pop("doc_id"), "body": r.pop("text"), **r})
    return out


def test_jsonl_field_mapping(
    tmp_path: Path, body_records: list[dict[str, Any]], corpus: Corpus, lines_writer
) -> None:
    path = lines_writer(tmp_path / "body.jsonl", body_records)
    c = read_jsonl(path, text_field="body", id_field="id")
    assert c.doc_ids == corpus.doc_ids
    assert c.texts == corpus.texts
    assert set(c.docvars.columns) == set(corpus.docvars.columns)
    assert "id" not in c.docvars.columns and "body" not in c.docvars.columns
    assert c == corpus
    assert read_corpus(path, text_field="body", id_field="id") == corpus


def test_jsonl_without_mapping_suggests_text_field(
    tmp_path: Path, body_records: list[dict[str, Any]], lines_writer
) -> None:
    path = lines_writer(tmp_path / "body.jsonl", body_records)
    with pytest.raises(CorpusFormatError) as info:
        read_jsonl(path)
    message = str(info.value)
    assert message.startswith(f"{path}:line 1: missing text field 'text'")
    assert "fields present: ['body', 'county', 'id', 'kicker', 'n_villages'," in message
    assert "text_field=" in message


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_field_mapping_in_csv_and_parquet(
    tmp_path: Path, body_records: list[dict[str, Any]], corpus: Corpus, fmt: str
) -> None:
    # Files made by other tools: pandas writes them, with only the scalar fields for CSV.
    frame = pd.DataFrame(body_records)
    path = tmp_path / f"body.{fmt}"
    if fmt == "parquet":
        frame.to_parquet(path, index=False)
    else:
        frame[["id", "body", "county", "town", "year"]].to_csv(path, index=False)
    c = READERS[fmt](path, text_field="body", id_field="id")
    assert c.doc_ids == corpus.doc_ids
    assert c.texts == corpus.texts
    assert c["hetang-2022-01"].meta["town"] == "河塘镇"
    assert c["hetang-2022-01"].meta["year"] == 2022
    assert "id" not in c.docvars.columns and "body" not in c.docvars.columns
    if fmt == "parquet":
        assert c["qingshi-2023-01"].meta["reporters"] == ["王芳", "赵磊"]
        assert c["qingshi-2023-01"].meta["sections"] == corpus["qingshi-2023-01"].meta["sections"]
        assert "kicker" not in c["liuwan-2022-01"].meta


def test_doc_id_field_clashes_when_id_is_mapped(
    tmp_path: Path, body_records: list[dict[str, Any]], lines_writer
) -> None:
    body_records[1]["doc_id"] = "liuwan-legacy-01"
    path = lines_writer(tmp_path / "clash.jsonl", body_records)
    with pytest.raises(CorpusFormatError) as info:
        read_jsonl(path, text_field="body", id_field="id")
    message = str(info.value)
    assert message.startswith(f"{path}:line 2: field(s) ['doc_id'] would clash")
    assert "id_field=" in message


def test_text_field_clashes_when_text_is_mapped(
    tmp_path: Path, body_records: list[dict[str, Any]], lines_writer
) -> None:
    body_records[0]["text"] = "旧正文"
    path = lines_writer(tmp_path / "clash.jsonl", body_records)
    with pytest.raises(CorpusFormatError, match=r"line 1: field\(s\) \['text'\] would clash"):
        read_jsonl(path, text_field="body", id_field="id")


def test_id_field_none_numbers_documents(
    tmp_path: Path, body_records: list[dict[str, Any]], lines_writer
) -> None:
    path = lines_writer(tmp_path / "noid.jsonl", body_records)
    c = read_jsonl(path, text_field="body", id_field=None)
    assert c.doc_ids == [f"doc{i:04d}" for i in range(6)]
    assert c["doc0002"].meta["id"] == "qingshi-2023-01"  # the unmapped id is a docvar


def test_numeric_ids_become_strings(tmp_path: Path, lines_writer) -> None:
    path = lines_writer(
        tmp_path / "num.jsonl",
        [{"doc_id": 101, "text": "河塘镇。"}, {"doc_id": 102, "text": "柳湾乡。"}],
    )
    assert read_jsonl(path).doc_ids == ["101", "102"]


# ---------------------------------------------------------------------- errors
def test_invalid_json_names_file_and_line(
    tmp_path: Path, records: list[dict], lines_writer
) -> None:
    path = lines_writer(
        tmp_path / "bad.jsonl", [records[0], records[1], '{"doc_id": "x", "text": ']
    )
    with pytest.raises(CorpusFormatError, match=re.escape(f"{path}:line 3: not valid JSON")):
        read_jsonl(path)
    # Issue 16: with rejections collected, a line that is not JSON costs that line only.
    rejected: list[Rejection] = []
    assert read_jsonl(path, rejected=rejected).doc_ids == ["hetang-2022-01", "liuwan-2022-01"]
    assert [str(r) for r in rejected] == [
        f"{path}:line 3: not valid JSON: expecting value at column 25; the line ends before "
        "its JSON object does (cut short?); each line must hold one JSON object"
    ]


def test_blank_lines_are_skipped_but_counted(
    tmp_path: Path, records: list[dict], lines_writer
) -> None:
    path = lines_writer(tmp_path / "gaps.jsonl", [records[0], "", "   ", records[1], "{oops}"])
    with pytest.raises(CorpusFormatError, match=re.escape(f"{path}:line 5:")):
        read_jsonl(path)
    path = lines_writer(tmp_path / "gaps_ok.jsonl", [records[0], "", records[1], ""])
    assert read_jsonl(path).doc_ids == ["hetang-2022-01", "liuwan-2022-01"]


def test_missing_text_field_lists_fields(tmp_path: Path, lines_writer) -> None:
    path = lines_writer(
        tmp_path / "notext.jsonl",
        [
            {"doc_id": "hetang-2022-01", "text": "河塘镇。", "town": "河塘镇"},
            {"doc_id": "liuwan-2022-01", "content": "柳湾乡。", "town": "柳湾乡"},
        ],
    )
    with pytest.raises(CorpusFormatError) as info:
        read_jsonl(path)
    assert str(info.value) == (
        f"{path}:line 2: missing text field 'text'; fields present: "
        "['content', 'doc_id', 'town']. Pass text_field=<name> to map another field to the text"
    )


def test_missing_or_empty_id_names_line(tmp_path: Path, lines_writer) -> None:
    path = lines_writer(tmp_path / "noid.jsonl", [{"text": "河塘镇。", "town": "河塘镇"}])
    with pytest.raises(CorpusFormatError, match=r"line 1: missing id field 'doc_id'.*id_field=''"):
        read_jsonl(path)
    path = lines_writer(
        tmp_path / "emptyid.jsonl",
        [{"doc_id": "a", "text": "河塘镇。"}, {"doc_id": "", "text": "柳湾乡。"}],
    )
    with pytest.raises(
        CorpusFormatError, match=re.escape(f"{path}:line 2: id field 'doc_id' is empty")
    ):
        read_jsonl(path)
    path = lines_writer(tmp_path / "nullid.jsonl", [{"doc_id": None, "text": "柳湾乡。"}])
    with pytest.raises(CorpusFormatError, match="line 1: id field 'doc_id' has no value"):
        read_jsonl(path)


def test_rejected_collects_bad_records(tmp_path: Path, records: list[dict], lines_writer) -> None:
    no_text = {k: v for k, v in records[1].items() if k != "text"}
    number_text = {**records[2], "text": 2023}
    path = lines_writer(
        tmp_path / "mixed.jsonl",
        [
            records[0],
            no_text,  # line 2
            number_text,  # line 3
            records[3],
            ["河塘镇", "柳湾乡"],  # line 5: not an object
            {"doc_id": "", "text": "空编号"},  # line 6
            records[5],
        ],
    )
    with pytest.raises(CorpusFormatError, match=re.escape(f"{path}:line 2: missing text field")):
        read_jsonl(path)
    rejected: list[Rejection] = []
    c = read_jsonl(path, rejected=rejected)
    assert c.doc_ids == ["hetang-2022-01", "hetang-2023-01", "qingshi-2023-02"]
    assert [r.location for r in rejected] == ["line 2", "line 3", "line 5", "line 6"]
    assert {r.source for r in rejected} == {str(path)}
    assert rejected[0].reason.startswith("missing text field 'text'; fields present: [")
    assert rejected[1].reason == "field 'text' must be a string (got int)"
    assert rejected[2].reason.startswith("expected an object with a 'text' field (got list)")
    assert rejected[3].reason.startswith("id field 'doc_id' is empty")
    assert str(rejected[1]) == f"{path}:line 3: field 'text' must be a string (got int)"


def test_rejected_list_is_appended_to(tmp_path: Path, records: list[dict], lines_writer) -> None:
    earlier = Rejection("other.jsonl", "already there", "line 9")
    rejected = [earlier]
    path = lines_writer(tmp_path / "one_bad.jsonl", [records[0], {"doc_id": "x"}])
    assert len(read_jsonl(path, rejected=rejected)) == 1
    assert rejected[0] is earlier
    assert [r.location for r in rejected] == ["line 9", "line 2"]


def test_rejected_in_csv_uses_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "towns.csv"
    path.write_text(
        "doc_id,text,town\nhetang-2022-01,河塘镇。,河塘镇\n,柳湾乡。,柳湾乡\nqingshi-2023-01,青石街道。,青石街道\n",
        encoding="utf-8",
    )
    rejected: list[Rejection] = []
    c = read_csv(path, rejected=rejected)
    assert c.doc_ids == ["hetang-2022-01", "qingshi-2023-01"]
    # Row 1 is the header, so the second record is row 3.
    assert [(r.location, r.reason.split(";")[0]) for r in rejected] == [
        ("row 3", "id field 'doc_id' has no value")
    ]
    assert rejected[0].parameter == "id_field"
    assert str(rejected[0]).endswith(
        "Pass id_field=<name> to map another field to the id, "
        "or id_field='' to number the documents"
    )


def test_rejected_in_parquet_uses_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "towns.parquet"
    pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text": ["河塘镇。", None, "青石街道。"],
            "town": ["河塘镇", "柳湾乡", None],
        }
    ).to_parquet(path, index=False)
    rejected: list[Rejection] = []
    c = read_parquet(path, rejected=rejected)
    assert c.doc_ids == ["a", "c"]
    assert "town" not in c["c"].meta
    assert [r.location for r in rejected] == ["row 2"]
    assert rejected[0].reason == "field 'text' must be a string (got NoneType)"


def test_duplicate_ids_in_a_file_are_named(
    tmp_path: Path, records: list[dict], lines_writer
) -> None:
    path = lines_writer(tmp_path / "dupes.jsonl", [*records, records[3]])
    with pytest.raises(DuplicateDocIdError, match="1 duplicated: 'hetang-2023-01'"):
        read_jsonl(path)
    # Issue 16: collecting rejections, the first document with an id is kept and
    # every later one is rejected, naming where the first was read.
    rejected: list[Rejection] = []
    assert read_jsonl(path, rejected=rejected).doc_ids == [r["doc_id"] for r in records]
    assert [str(r) for r in rejected] == [
        f"{path}:line {len(records) + 1}: doc_id 'hetang-2023-01' appears again "
        f"(first read at {path}:line 4); the first is kept"
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_duplicate_ids_in_other_formats(tmp_path: Path, fmt: str) -> None:
    frame = pd.DataFrame(
        {
            "doc_id": ["hetang-2022-01", "liuwan-2022-01", "hetang-2022-01"],
            "text": ["河塘镇。", "柳湾乡。", "河塘镇（重复）。"],
            "town": ["河塘镇", "柳湾乡", "河塘镇"],
        }
    )
    path = tmp_path / f"dupes.{fmt}"
    if fmt == "jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    elif fmt == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    with pytest.raises(DuplicateDocIdError, match=r"1 duplicated: 'hetang-2022-01'$"):
        read_corpus(path)


@pytest.mark.parametrize(
    "reader", [read_jsonl, read_parquet, read_csv, read_corpus], ids=lambda f: f.__name__
)
def test_missing_file_is_named(tmp_path: Path, reader) -> None:
    suffix = {"read_parquet": "parquet", "read_csv": "csv"}.get(reader.__name__, "jsonl")
    path = tmp_path / f"柳湾乡_2022.{suffix}"
    with pytest.raises(FileNotFoundError, match=re.escape(f"corpus file not found: {str(path)!r}")):
        reader(path)


def test_unknown_suffix_lists_formats(tmp_path: Path) -> None:
    path = tmp_path / "towns.xml"
    path.write_text("<towns/>", encoding="utf-8")
    with pytest.raises(ValueError) as info:
        read_corpus(path)
    message = str(info.value)
    assert "cannot infer the format" in message and "'.xml'" in message
    for suffix in (".jsonl", ".ndjson", ".csv", ".parquet"):
        assert repr(suffix) in message
    for fmt in FORMATS:
        assert repr(fmt) in message
    with pytest.raises(ValueError, match="cannot infer the format"):
        write_corpus(Corpus(), tmp_path / "towns.txt")


def test_infer_format() -> None:
    assert infer_format("a/b/towns.JSONL") == "jsonl"
    assert infer_format(Path("towns.ndjson")) == "jsonl"
    assert infer_format("towns.csv") == "csv"
    assert infer_format("towns.parquet") == "parquet"
    with pytest.raises(ValueError, match="suffix ''"):
        infer_format("towns")


def test_bad_format_argument(tmp_path: Path, jsonl_file: Path) -> None:
    expected = "format must be one of {'auto', 'csv', 'jsonl', 'parquet'} (got 'xml')"
    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        read_corpus(jsonl_file, format="xml")
    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        write_corpus(Corpus(), tmp_path / "towns.jsonl", format="xml")


def test_csv_cannot_stream(tmp_path: Path, corpus: Corpus) -> None:
    path = write_csv(corpus, tmp_path / "towns.csv")
    with pytest.raises(
        ValueError, match="stream=True is supported for 'jsonl' and 'parquet', not 'csv'"
    ):
        read_corpus(path, stream=True)


def test_unreadable_parquet(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(CorpusFormatError, match=re.escape(f"{path}: not a readable Parquet file")):
        read_parquet(path)


def test_gbk_csv_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("doc_id,text\nhetang,河塘镇地处清水县东部。\n".encode("gbk"))
    with pytest.raises(
        CorpusFormatError,
        match=r"cannot be read as CSV in utf-8-sig .*; it reads as GB18030 \(GBK, as Excel "
        r"saves CSV on Chinese Windows\): pass encoding='gb18030' to read_csv, or save it as UTF-8",
    ):
        read_csv(path)
    assert read_csv(path, encoding="gbk").texts == ["河塘镇地处清水县东部。"]
    assert read_csv(path, encoding="gb18030").texts == ["河塘镇地处清水县东部。"]


def test_csv_in_another_encoding_gets_no_gb18030_advice(tmp_path: Path) -> None:
    # Latin-1 bytes that GB18030 cannot decode either: only the general advice.
    path = tmp_path / "latin1.csv"
    path.write_bytes("doc_id,text\ncafe,Caf\xe9 \xff policy\n".encode("latin-1"))
    with pytest.raises(CorpusFormatError) as error:
        read_csv(path)
    assert str(error.value).endswith("; save it as UTF-8 CSV with a header row")


def test_empty_csv_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=re.escape(f"{path}: cannot be read as CSV")):
        read_csv(path)


# ---------------------------------------------------------------------- encodings, line ends
def test_utf8_bom_jsonl(tmp_path: Path, records: list[dict], corpus: Corpus, lines_writer) -> None:
    path = lines_writer(tmp_path / "bom.jsonl", records, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    c = read_jsonl(path)
    assert c.doc_ids[0] == "hetang-2022-01"
    assert c == corpus
    assert read_jsonl(path, stream=True).to_corpus() == corpus


def test_utf8_bom_csv(tmp_path: Path, corpus: Corpus) -> None:
    path = write_csv(corpus, tmp_path / "towns.csv")
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_csv(bom) == corpus


def test_crlf_jsonl(tmp_path: Path, records: list[dict], corpus: Corpus) -> None:
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(
        b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\r\n" for r in records)
    )
    assert read_jsonl(path) == corpus


def test_unusual_line_breaks_inside_texts(tmp_path: Path) -> None:
    text = "第一段\r\n第二段\u2028第三段\x85第四段\n\n"
    c = Corpus([Document("hetang", text, {"kicker": "行\r\n首"})])
    for fmt in FORMATS:
        assert READERS[fmt](WRITERS[fmt](c, tmp_path / f"breaks.{fmt}")) == c, fmt
