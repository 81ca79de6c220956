"""Plain-text folders with metadata from a CSV sidecar or a filename pattern."""

from __future__ import annotations

import re

import pytest

from toolkit import read_text_folder


@pytest.fixture()
def folder(tmp_path):
    root = tmp_path / "texts"
    (root / "2022").mkdir(parents=True)
    (root / "青川县_河塘镇_2022.txt").write_text("河塘镇推行一线工作法。", encoding="utf-8")
    (root / "2022" / "白鹭区_柳湾街道_2022.txt").write_bytes(
        "柳湾街道打通最后一公里。".encode("gb18030")
    )
    return root


def test_filename_pattern_fills_docvars(folder):
    docs = read_text_folder(
        folder, filename_pattern=r"(?P<county>[^_]+)_(?P<town>[^_]+)_(?P<year>\d{4})\.txt"
    )
    by_town = {d.meta["town"]: d for d in docs}
    assert by_town["柳湾街道"].meta["county"] == "白鹭区"
    assert by_town["柳湾街道"].meta["year"] == 2022
    assert by_town["柳湾街道"].meta["encoding"] == "gb18030"
    assert by_town["柳湾街道"].doc_id == "2022/白鹭区_柳湾街道_2022"


def test_unmatched_file_is_rejected_not_dropped(folder):
    (folder / "readme.txt").write_text("说明文件。", encoding="utf-8")
    rejected = []
    pattern = r"(?P<county>[^_]+)_(?P<town>[^_]+)_(?P<year>\d{4})\.txt"
    docs = read_text_folder(folder, filename_pattern=pattern, rejected=rejected)
    assert len(docs) == 2
    assert [r.source.endswith("readme.txt") for r in rejected] == [True]
    assert "does not match filename_pattern" in rejected[0].reason


def test_sidecar_csv(folder, tmp_path):
    sidecar = tmp_path / "meta.csv"
    sidecar.write_text(
        "file,county,town,year\n"
        "青川县_河塘镇_2022.txt,青川县,河塘镇,2022\n"
        "missing.txt,青川县,石门乡,2023\n",
        encoding="utf-8",
    )
    rejected = []
    docs = read_text_folder(folder, metadata_csv=sidecar, rejected=rejected)
    assert [d.meta["town"] for d in docs] == ["河塘镇"]
    reasons = sorted(r.reason for r in rejected)
    assert len(reasons) == 2
    assert any("not listed in" in r for r in reasons)
    assert any("no such file" in r for r in reasons)


def test_sidecar_needs_file_column(folder, tmp_path):
    sidecar = tmp_path / "meta.csv"
    sidecar.write_text("name,town\nx.txt,河塘镇\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs a 'file' column"):
        read_text_folder(folder, metadata_csv=sidecar)


def test_gbk_sidecar_names_the_file_and_the_fix(folder, tmp_path):
    # Excel on Chinese Windows saves the metadata table as GBK.
    sidecar = tmp_path / "meta.csv"
    sidecar.write_bytes("file,town\n青川县_河塘镇_2022.txt,河塘镇\n".encode("gbk"))
    message = (
        f"{sidecar}: metadata CSV is not UTF-8 (invalid continuation byte at byte 10); it reads as "
        "GB18030 (GBK), the encoding Excel uses on Chinese Windows; save it as UTF-8 CSV"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        read_text_folder(folder, metadata_csv=sidecar)


def test_pattern_needs_named_groups(folder):
    with pytest.raises(ValueError, match="must have named groups"):
        read_text_folder(folder, filename_pattern=r".*\.txt")
