"""Malformed records: every one is accounted for, by line, in the API and in ``tifa``.

Issue 16: one broken line of five made ``tifa ingest`` write 0 documents and
``tifa info`` exit 2, with the message ``at at column``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from toolkit.corpus import CorpusFormatError, Rejection, read_corpus, read_jsonl
from toolkit.ingest import ingest

Run = Callable[..., tuple[int, str, list[str]]]


def jsonl_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_lines(path: Path, lines: list[Any]) -> Path:
    """One line per item: a dict as JSON, a str as it is (to write broken lines)."""
    text = "".join(
        (json.dumps(x, ensure_ascii=False) if isinstance(x, dict) else x) + "\n" for x in lines
    )
    path.write_text(text, encoding="utf-8")
    return path


FIVE: list[Any] = [
    {"doc_id": "a", "text": "第一"},
    {"doc_id": "b", "text": "第二"},
    '{"doc_id":"c","text":"第三',  # cut short
    {"doc_id": "d", "text": "第四"},
    {"doc_id": "e", "text": "第五"},
]
CUT = (
    "not valid JSON: unterminated string starting at column 22; the line ends before its "
    "JSON object does (cut short?); each line must hold one JSON object"
)


@pytest.fixture
def five(tmp_path: Path) -> Path:
    return write_lines(tmp_path / "five.jsonl", FIVE)


# ---------------------------------------------------------------------- a line cut short
def test_api_keeps_four_of_five_and_names_line_3(five: Path) -> None:
    rejected: list[Rejection] = []
    assert read_jsonl(five, rejected=rejected).doc_ids == ["a", "b", "d", "e"]
    assert rejected == [Rejection(str(five), CUT, "line 3")]
    with pytest.raises(CorpusFormatError, match=f"^{five}:line 3: not valid JSON: unterminated"):
        read_jsonl(five)


def test_api_stream_reports_the_line_once_over_passes(five: Path) -> None:
    rejected: list[Rejection] = []
    stream = read_jsonl(five, stream=True, rejected=rejected)
    assert [d.doc_id for d in stream] == [d.doc_id for d in stream] == ["a", "b", "d", "e"]
    assert rejected == [Rejection(str(five), CUT, "line 3")]


def test_ingest_writes_four_and_exits_1(five: Path, tmp_path: Path, tifa: Run) -> None:
    out = tmp_path / "out.jsonl"
    code, stdout, err = tifa("ingest", five, "-o", out, "--quiet")
    assert code == 1
    assert stdout == f"wrote {out}: 4 documents from 1 inputs; 1 rejected\n"
    assert err == [f"rejected: {five}:line 3: {CUT}", "rejected: 1 in all"]
    assert [r["doc_id"] for r in jsonl_lines(out)] == ["a", "b", "d", "e"]
    result = ingest([five], progress=False)
    assert (len(result.corpus), [str(r) for r in result.rejected]) == (4, [f"{five}:line 3: {CUT}"])


def test_info_counts_four_and_exits_1(five: Path, tifa: Run) -> None:
    code, stdout, err = tifa("info", five)
    assert (code, stdout) == (1, "4 documents, 8 characters\n")
    assert err == [f"rejected: {five}:line 3: {CUT}", "rejected: 1 in all"]


def test_segment_writes_four_and_exits_1(five: Path, tmp_path: Path, tifa: Run) -> None:
    out = tmp_path / "tokens.jsonl"
    code, stdout, err = tifa("segment", five, "-o", out, "--quiet")
    assert code == 1
    assert stdout.startswith(f"wrote {out}: 4 documents, ") and stdout.endswith("; 1 rejected\n")
    assert err == [f"rejected: {five}:line 3: {CUT}", "rejected: 1 in all"]
    assert [r["doc_id"] for r in jsonl_lines(out)] == ["a", "b", "d", "e"]


def test_one_broken_line_in_many(tmp_path: Path, tifa: Run) -> None:
    lines: list[str | dict] = [{"doc_id": f"d{i}", "text": "共建共治共享"} for i in range(20_000)]
    lines[12_345] = '{"doc_id": "d12345", "text": 共建}'
    path = write_lines(tmp_path / "many.jsonl", lines)
    rejected: list[Rejection] = []
    assert len(read_jsonl(path, rejected=rejected)) == 19_999
    assert [(r.location, r.reason.split(";")[0]) for r in rejected] == [
        ("line 12346", "not valid JSON: expecting value at column 30")
    ]
    code, stdout, err = tifa("info", path)
    assert (code, stdout.splitlines()[0], err[-1]) == (
        1,
        "19999 documents, 119,994 characters",
        "rejected: 1 in all",
    )


# ---------------------------------------------------------------------- records
def test_missing_or_non_string_text_null_and_numeric_ids(tmp_path: Path, tifa: Run) -> None:
    path = write_lines(
        tmp_path / "records.jsonl",
        [
            {"doc_id": "a", "text": "有正文"},
            {"doc_id": "b", "body": "正文在别的字段"},
            {"doc_id": "c", "text": 2023},
            {"doc_id": None, "text": "空编号"},
            {"doc_id": 7, "text": "数字编号"},
            {"doc_id": ["x"], "text": "列表编号"},
            {"doc_id": "g", "text": None},
        ],
    )
    rejected: list[Rejection] = []
    assert read_jsonl(path, rejected=rejected).doc_ids == ["a", "7"]
    assert [(r.location, r.reason, r.parameter) for r in rejected] == [
        ("line 2", "missing text field 'text'; fields present: ['body', 'doc_id']", "text_field"),
        ("line 3", "field 'text' must be a string (got int)", None),
        ("line 4", "id field 'doc_id' has no value", "id_field"),
        ("line 6", "id field 'doc_id' must be a string or a number (got list)", None),
        ("line 7", "field 'text' must be a string (got NoneType)", None),
    ]
    # The API says what to pass in Python; the command names its flags.
    assert str(rejected[0]).endswith("Pass text_field=<name> to map another field to the text")
    code, stdout, err = tifa("info", path)
    assert (code, stdout) == (1, "2 documents, 7 characters\n")
    assert err == [
        f"rejected: {path}:line 2: missing text field 'text'; fields present: ['body', 'doc_id']. "
        "Pass --text-field FIELD to name the field that holds the text",
        f"rejected: {path}:line 3: field 'text' must be a string (got int)",
        f"rejected: {path}:line 4: id field 'doc_id' has no value. Pass --id-field FIELD to name "
        "the field that holds the id, or --id-field '' to number the documents",
        f"rejected: {path}:line 6: id field 'doc_id' must be a string or a number (got list)",
        f"rejected: {path}:line 7: field 'text' must be a string (got NoneType)",
        "rejected: 5 in all",
    ]


def test_a_wrong_text_field_is_said_once_with_a_count(tmp_path: Path, tifa: Run) -> None:
    path = write_lines(
        tmp_path / "body.jsonl", [{"doc_id": f"d{i}", "body": "正文"} for i in range(15)]
    )
    expected = [
        f"rejected: {path}: 15 records (line 1, line 2, line 3, ...): missing text field "
        "'content'; fields present: ['body', 'doc_id']. Pass --text-field FIELD to name the "
        "field that holds the text",
        "rejected: 15 in all",
    ]
    for command in (["info"], ["segment", "-o", tmp_path / "t.jsonl", "--quiet"]):
        code, _, err = tifa(command[0], path, *command[1:], "--text-field", "content")
        assert (code, err) == (1, expected)
    code, stdout, err = tifa("info", path, "--text-field", "body")
    assert (code, stdout, err) == (0, "15 documents, 30 characters\n", [])


def test_records_without_ids_can_be_numbered_by_flag(tmp_path: Path, tifa: Run) -> None:
    path = write_lines(tmp_path / "noid.jsonl", [{"text": "第一"}, {"text": "第二"}])
    code, _, err = tifa("info", path)
    assert (code, err[0]) == (
        1,
        f"rejected: {path}: 2 records (line 1, line 2): missing id field 'doc_id'; fields "
        "present: ['text']. Pass --id-field FIELD to name the field that holds the id, "
        "or --id-field '' to number the documents",
    )
    assert tifa("info", path, "--id-field", "")[:2] == (0, "2 documents, 4 characters\n")
    out = tmp_path / "out.jsonl"
    code, _, err = tifa("ingest", path, path, "-o", out, "--id-field", "", "--quiet")
    assert (code, err) == (0, [])
    assert [r["doc_id"] for r in jsonl_lines(out)] == ["doc0000", "doc0001", "doc0002", "doc0003"]
    assert read_jsonl(path, id_field="").doc_ids == read_jsonl(path, id_field=None).doc_ids


def test_duplicate_ids_keep_the_first(tmp_path: Path, tifa: Run) -> None:
    path = write_lines(
        tmp_path / "dupes.jsonl",
        [
            {"doc_id": "a", "text": "第一"},
            {"doc_id": "b", "text": "第二"},
            {"doc_id": "a", "text": "又一"},
        ],
    )
    reason = f"doc_id 'a' appears again (first read at {path}:line 1); the first is kept"
    rejected: list[Rejection] = []
    corpus = read_jsonl(path, rejected=rejected)
    assert (corpus.doc_ids, corpus["a"].text) == (["a", "b"], "第一")
    assert rejected == [Rejection(str(path), reason, "line 3")]
    out = tmp_path / "out.jsonl"
    code, _, err = tifa("ingest", path, "-o", out, "--quiet")
    assert (code, err) == (1, [f"rejected: {path}:line 3: {reason}", "rejected: 1 in all"])
    assert tifa("info", path)[:2] == (1, "2 documents, 4 characters\n")


def test_lone_surrogate_in_json_is_rejected_by_name(tmp_path: Path, tifa: Run) -> None:
    path = write_lines(
        tmp_path / "surrogate.jsonl",
        [{"doc_id": "a", "text": "第一"}, '{"doc_id": "b", "text": "坏\\ud800字"}'],
    )
    reason = (
        "field 'text' holds a lone surrogate U+D800 at character 2, which no UTF-8 file can "
        "store; fix the escape in the source"
    )
    rejected: list[Rejection] = []
    assert read_jsonl(path, rejected=rejected).doc_ids == ["a"]
    assert rejected == [Rejection(str(path), reason, "line 2")]
    out = tmp_path / "out.jsonl"
    code, _, err = tifa("ingest", path, "-o", out, "--quiet")
    assert (code, err[0], len(jsonl_lines(out))) == (1, f"rejected: {path}:line 2: {reason}", 1)


# ---------------------------------------------------------------------- CSV and Parquet
def test_csv_with_embedded_newlines_and_quotes(tmp_path: Path, tifa: Run) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text(
        'doc_id,text,town\na,"第一段\n第二段，他说：""共建共治共享""。",河塘镇\nb,"逗号,在内",柳湾乡\n',
        encoding="utf-8",
    )
    corpus = read_corpus(path)
    assert corpus.texts == ['第一段\n第二段，他说："共建共治共享"。', "逗号,在内"]
    code, stdout, err = tifa("info", path)
    assert (code, stdout.splitlines()[0], err) == (0, "2 documents, 25 characters", [])
    out = tmp_path / "out.jsonl"
    assert tifa("ingest", path, "-o", out, "--quiet")[0] == 0
    assert [r["text"] for r in jsonl_lines(out)] == corpus.texts


def test_parquet_with_a_numeric_text_column(tmp_path: Path, tifa: Run) -> None:
    path = tmp_path / "numbers.parquet"
    pd.DataFrame({"doc_id": ["a", "b"], "text": [1, 2]}).to_parquet(path, index=False)
    rejected: list[Rejection] = []
    assert len(read_corpus(path, rejected=rejected)) == 0
    assert [(r.location, r.reason) for r in rejected] == [
        ("row 1", "field 'text' must be a string (got int)"),
        ("row 2", "field 'text' must be a string (got int)"),
    ]
    code, stdout, err = tifa("info", path)
    assert (code, stdout, err) == (
        1,
        "0 documents, 0 characters\n",
        [
            f"rejected: {path}: 2 records (row 1, row 2): field 'text' must be a string (got int)",
            "rejected: 2 in all",
        ],
    )
