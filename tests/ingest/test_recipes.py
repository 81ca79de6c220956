"""Corpus recipes: pooch download from a local server, checksum mismatch, conversion (issue 15).

Fixture files are small markdown files written here in the upstream's layout;
they are served from 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import http.server
import io
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.cli.main import main
from toolkit.ingest.lawtext_gov import lawtext_report, split_front_matter
from toolkit.ingest.recipes import (
    ChecksumMismatchError,
    UnverifiedDownloadWarning,
    download_corpus,
    load_recipes,
)
from toolkit.ingest.reports import read_gov_reports

PROVINCIAL = """---
source: https://example.gov.cn/report.html
title: 2005年某省政府工作报告
---

——2005年2月23日在某省第十届人民代表大会第三次会议上

省长　张 三

各位代表：

**一、2004年工作回顾**

<!-- 编者注 -->
过去一年，全省经济平稳增长。
"""
NATIONAL = """**政府工作报告**
——2024年3月5日在第十四届全国人民代表大会第二次会议上

国务院总理　李四

## 一、工作回顾

过去一年，经济回升向好。
"""
CITY = """---
source:
- https://a.example/1.html
- https://b.example/2.html
title: 某市政府工作报告
---

各位代表：

现在，我代表市人民政府报告工作。
"""


def _archive() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("gov-abc/README.md", "# readme\n")
        z.writestr("gov-abc/政府工作报告-省自治区/某省/2005.md", PROVINCIAL)
        z.writestr("gov-abc/政府工作报告-国务院/2024.md", NATIONAL)
        z.writestr("gov-abc/政府工作报告-主要城市/北京市/2020.md", CITY)
        z.writestr("gov-abc/政府工作报告-其他地市/某市/2023.md", CITY)
        z.writestr("gov-abc/国家统计局年度统计/2020.md", "不是报告\n")
    return buf.getvalue()


ARCHIVE = _archive()
ARCHIVE_SHA = hashlib.sha256(ARCHIVE).hexdigest()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/gov.zip":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(ARCHIVE)))
            self.end_headers()
            self.wfile.write(ARCHIVE)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _recipes(tmp_path: Path, base: str, sha256: str) -> Path:
    path = tmp_path / "recipes.toml"
    path.write_text(
        f"""[[corpus]]
name = "gov"
url = "{base}/gov.zip"
licence = "none declared"
description = "fixture"
converter = "lawtext-gov"
sha256 = "{sha256}"
""",
        encoding="utf-8",
    )
    return path


def test_builtin_recipes_load_and_the_gov_collection_converts() -> None:
    recipes = load_recipes()
    assert {"sighan2005-icwb2", "ud-chinese-gsdsimp", "lawtext-gov-reports"} <= set(recipes)
    gov = recipes["lawtext-gov-reports"]
    assert gov.converter == "lawtext-gov"
    assert gov.extra["commit"] == "fc1a2f67a589763dc905aaa90f2b1ba356bbccde"


def test_front_matter_reads_scalars_and_lists() -> None:
    meta, body = split_front_matter(CITY)
    assert meta == {
        "source": ["https://a.example/1.html", "https://b.example/2.html"],
        "title": "某市政府工作报告",
    }
    assert body.lstrip().startswith("各位代表：")
    assert split_front_matter(NATIONAL) == ({}, NATIONAL)


def test_conversion_carries_the_report_docvars() -> None:
    doc = lawtext_report("政府工作报告-省自治区/某省/2005.md", PROVINCIAL)
    assert doc is not None
    assert doc.doc_id == "provincial/某省/2005"
    assert doc.text == (
        "——2005年2月23日在某省第十届人民代表大会第三次会议上\n省长　张 三\n各位代表：\n"
        "一、2004年工作回顾\n过去一年，全省经济平稳增长。"
    )
    assert dict(doc.meta) == {
        "level": "provincial", "gov_level": "province", "province": "某省",
        "province_adcode": None, "city": None, "city_adcode": None, "year": 2005,
        "file_tag": "2005", "title": "2005年某省政府工作报告", "delivered_date": "2005-02-23",
        "delivered_at": "某省第十届人民代表大会第三次会议上", "speaker": "张三",
        "source_url": "https://example.gov.cn/report.html",
        "repo_path": "政府工作报告-省自治区/某省/2005.md", "n_chars": len(doc.text),
    }  # fmt: skip
    national = lawtext_report("政府工作报告-国务院/2024.md", NATIONAL)
    assert national is not None
    assert national.doc_id == "national/全国/2024"
    assert national.text.split("\n")[0] == "政府工作报告"
    assert (national.meta["speaker"], national.meta["province_adcode"]) == ("李四", "000000000000")
    beijing = lawtext_report("政府工作报告-主要城市/北京市/2020.md", CITY)
    assert beijing is not None
    assert (beijing.meta["gov_level"], beijing.meta["province"]) == (
        "province (municipality)",
        "北京市",
    )
    assert beijing.meta["source_url"] == "https://a.example/1.html"
    assert lawtext_report("国家统计局年度统计/2020.md", "x") is None


def test_download_unpinned_warns_with_sha_and_converts(server: str, tmp_path: Path) -> None:
    recipes = _recipes(tmp_path, server, "")
    dest = tmp_path / "cache"
    with pytest.warns(UnverifiedDownloadWarning, match=f"UNVERIFIED.*sha256 is {ARCHIVE_SHA}"):
        result = download_corpus("gov", dest=dest, recipes=recipes, retries=0)
    assert result.path.read_bytes() == ARCHIVE
    assert (result.sha256, result.verified, result.n_documents) == (ARCHIVE_SHA, False, 4)
    rejected: list = []
    corpus = read_gov_reports(result.corpus, rejected=rejected)
    assert sorted(corpus.doc_ids) == [
        "major_city/北京市/2020", "national/全国/2024", "provincial/某省/2005",
    ]  # fmt: skip
    # Known gap: the upstream files do not name the province of a prefecture-level
    # city, and no city -> province table ships yet, so such a report has province=None.
    assert [(r.location, "province" in r.reason) for r in rejected] == [
        ("other_prefecture/某市/2023", True)
    ]
    assert sorted(p.name for p in dest.iterdir()) == ["gov-gov.zip", "gov.jsonl"]


def test_download_pinned_verifies(server: str, tmp_path: Path) -> None:
    recipes = _recipes(tmp_path, server, ARCHIVE_SHA)
    result = download_corpus("gov", dest=tmp_path / "c", recipes=recipes, retries=0)
    assert result.verified
    assert result.corpus is not None and result.corpus.exists()


def test_checksum_mismatch_is_clear_and_leaves_nothing(server: str, tmp_path: Path) -> None:
    recipes = _recipes(tmp_path, server, "0" * 64)
    dest = tmp_path / "cache"
    with pytest.raises(
        ChecksumMismatchError,
        match=r"recipe 'gov'.*does not have the recipe's sha256 0{64}; nothing was kept",
    ):
        download_corpus("gov", dest=dest, recipes=recipes, retries=0)
    assert list(dest.iterdir()) == []


def test_require_hash_refuses_an_unpinned_recipe(server: str, tmp_path: Path) -> None:
    recipes = _recipes(tmp_path, server, "")
    with pytest.raises(ValueError, match="recipe 'gov' has no pinned sha256 and require_hash=True"):
        download_corpus("gov", dest=tmp_path / "c", recipes=recipes, require_hash=True)
    assert not (tmp_path / "c").exists()


def test_unknown_name_lists_the_recipes(tmp_path: Path, server: str) -> None:
    with pytest.raises(
        KeyError, match=r"name='nope' is not a corpus recipe; choose one of \['gov'\]"
    ):
        download_corpus("nope", recipes=_recipes(tmp_path, server, ""))


def test_cli_download_and_list(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recipes = str(_recipes(tmp_path, server, ""))
    assert main(["corpora", "--recipes", recipes, "list"]) == 0
    assert "gov\tsha256 NOT PINNED\tconverts (lawtext-gov)" in capsys.readouterr().out
    dest = tmp_path / "out"
    assert main(["corpora", "--recipes", recipes, "download", "gov", "--dest", str(dest)]) == 0
    captured = capsys.readouterr()
    assert "WARNING: UNVERIFIED download" in captured.err and ARCHIVE_SHA in captured.err
    assert f"wrote 4 documents to {dest / 'gov.jsonl'}" in captured.out
    code = main(["corpora", "--recipes", recipes, "download", "gov", "--require-hash"])
    assert code == 2
    assert "has no pinned sha256 and require_hash=True" in capsys.readouterr().err
