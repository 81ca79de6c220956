"""Batch ingestion: mixed inputs, rejects reported one by one, good inputs kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit import Corpus, ingest, write_jsonl
from toolkit.ingest import INGEST_FORMATS

# Invented for the tests: a two-article page in the county-paper layout.
PAGE = """

青川县河塘镇：党建引领聚合力 乡村振兴谱新篇

本报记者 周立 本报通讯员 田禾



今年以来,河塘镇坚持“一线工作法”,推动各项工作落地见效。

强化党建引领 筑牢战斗堡垒

全镇18个村的村“两委”班子全部配齐配强,落实一岗双责,推动共建共治共享。

扎实推进“清河行动”,全面落实河长制,让群众共享治理成果。



共建 共治 共享

白鹭区柳湾街道：“三访三办”暖民心

本报记者 周立 本报通讯员 林晓

柳湾街道创新推出“三访三办”工作法,打通服务群众“最后一公里”。

聚焦民生实事 提升幸福指数

街道把群众最盼的事作为头等大事,全年完成民生项目26个,投

入资金3720万元。
"""


@pytest.fixture()
def batch(tmp_path: Path) -> dict[str, Path]:
    good_page = tmp_path / "page_2022.txt"
    good_page.write_text(PAGE, encoding="utf-8")
    good_table = tmp_path / "profiles.jsonl"
    write_jsonl(
        Corpus.from_records(
            [{"doc_id": "qs-2023-01", "text": "青石乡推行“码上办”平台。", "town": "青石乡"}]
        ),
        good_table,
    )
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    empty = tmp_path / "blank.txt"
    empty.write_bytes(b"")
    return {"page": good_page, "table": good_table, "binary": binary, "empty": empty}


def test_bad_inputs_are_rejected_and_good_ones_kept(batch):
    result = ingest(list(batch.values()), progress=False)
    assert not result.ok
    sources = {Path(r.source).name: r.reason for r in result.rejected}
    assert set(sources) == {"scan.txt", "blank.txt"}
    assert "binary" in sources["scan.txt"]
    assert "empty" in sources["blank.txt"]
    towns = sorted(result.corpus.docvars["town"])
    assert towns == ["柳湾街道", "河塘镇", "青石乡"]
    assert result.n_inputs == 4
    assert result.summary() == "3 documents from 4 inputs; 2 rejected"


def test_page_metadata_and_encoding_recorded(batch):
    corpus = ingest([batch["page"]], progress=False).corpus
    first, second = list(corpus)
    assert first.meta["county"] == "青川县"
    assert first.meta["encoding"] == "utf-8"
    assert second.meta["kicker"] == "共建 共治 共享"
    assert "投入资金3720万元" in second.text  # the column break is repaired


def test_gb18030_page_gives_same_documents(batch, tmp_path):
    gb = tmp_path / "gb" / "page_2022.txt"
    gb.parent.mkdir()
    gb.write_bytes(batch["page"].read_text(encoding="utf-8").encode("gb18030"))
    utf = ingest([batch["page"]], progress=False).corpus
    other = ingest([gb], progress=False).corpus
    assert other.doc_ids == utf.doc_ids
    assert other.texts == utf.texts
    assert [d.meta["encoding"] for d in other] == ["gb18030", "gb18030"]
    strip = ("source", "encoding")
    for a, b in zip(utf, other, strict=True):
        assert {k: v for k, v in a.meta.items() if k not in strip} == {
            k: v for k, v in b.meta.items() if k not in strip
        }


def test_missing_input_is_a_reject_not_a_crash(tmp_path, batch):
    result = ingest([tmp_path / "nope.jsonl", batch["table"]], progress=False)
    assert [Path(r.source).name for r in result.rejected] == ["nope.jsonl"]
    assert len(result.corpus) == 1


def test_bad_records_in_a_table_are_counted(tmp_path):
    path = tmp_path / "mixed.jsonl"
    rows = [
        {"doc_id": "a", "text": "河长制。"},
        {"doc_id": "b", "body": "没有正文字段"},
        {"doc_id": "c", "text": 42},
        {"doc_id": "d", "text": "扫黑除恶。"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = ingest([path], progress=False)
    assert result.corpus.doc_ids == ["a", "d"]
    assert [r.location for r in result.rejected] == ["line 2", "line 3"]
    assert "missing text field 'text'" in result.rejected[0].reason


def test_duplicate_ids_across_inputs_are_reported(tmp_path, batch):
    copy = tmp_path / "again.jsonl"
    copy.write_bytes(batch["table"].read_bytes())
    result = ingest([batch["table"], copy], progress=False)
    assert result.corpus.doc_ids == ["qs-2023-01"]
    assert len(result.rejected) == 1
    assert "already read from" in result.rejected[0].reason


def test_gov_report_schema_uses_id_field(tmp_path):
    path = tmp_path / "provincial.jsonl"
    rec = {"id": "provincial/东川省/2022", "text": "各位代表：", "province": "东川省", "year": 2022}
    path.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    corpus = ingest([path], progress=False).corpus
    assert corpus.doc_ids == ["provincial/东川省/2022"]
    assert corpus.docvars.loc["provincial/东川省/2022", "year"] == 2022


def test_t2s_converts_text_and_docvars(tmp_path):
    path = tmp_path / "trad.jsonl"
    rec = {"doc_id": "t1", "text": "縣政府推進鄉村振興。", "county": "東川縣"}
    path.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    doc = ingest([path], t2s=True, progress=False).corpus["t1"]
    assert doc.text == "县政府推进乡村振兴。"
    assert doc.meta["county"] == "东川县"


def test_format_is_validated():
    with pytest.raises(
        ValueError, match=r"format must be one of \{.*'newspaper'.*\} \(got 'pdf'\)"
    ):
        ingest(["x"], format="pdf")
    assert "textdir" in INGEST_FORMATS


def test_unparsed_text_file_is_kept_whole(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("这是一份没有标题的材料。\n\n第二段内容。", encoding="utf-8")
    result = ingest([note], progress=False)
    assert result.ok
    (doc,) = list(result.corpus)
    assert doc.meta["layout"] == "unparsed"
    assert "第二段内容" in doc.text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("page_2022-06-15.txt", {"date": "2022-06-15", "year": 2022}),
        ("20230420_03.txt", {"date": "2023-04-20", "year": 2023}),
        ("page_2022-13-01.txt", {}),
        ("scan_12022061512.txt", {}),
        ("page.txt", {}),
    ],
)
def test_page_date_from_file_name(name, expected):
    from toolkit.ingest.batch import page_date

    assert page_date(Path(name)) == expected


def test_dated_page_gets_year(tmp_path):
    page = tmp_path / "page_2022-06-15.txt"
    page.write_text(PAGE, encoding="utf-8")
    corpus = ingest([page], progress=False).corpus
    assert set(corpus.docvars["year"]) == {2022}
    assert set(corpus.docvars["date"]) == {"2022-06-15"}
