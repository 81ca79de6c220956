"""Shared fixtures for the corpus tests: invented town profiles as a newspaper prints them."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from toolkit.corpus import Corpus


def _profile(
    doc_id: str,
    county: str,
    town: str,
    year: int,
    reporters: list[str],
    lead: list[str],
    heading: str,
    body: list[str],
    **extra: Any,
) -> dict[str, Any]:
    """One town profile: the text is the paragraphs of every section joined by newlines."""
    sections = [
        {"title": None, "paragraphs": lead},
        {"title": heading, "paragraphs": body},
    ]
    return {
        "doc_id": doc_id,
        "text": "\n".join([*lead, *body]),
        "county": county,
        "town": town,
        "year": year,
        "reporters": reporters,
        "sections": sections,
        **extra,
    }


# Corpus order interleaves the towns so that group() has to keep members in corpus order.
TOWN_RECORDS: list[dict[str, Any]] = [
    _profile(
        "hetang-2022-01",
        "清水县",
        "河塘镇",
        2022,
        ["李明"],
        ["河塘镇地处清水县东部，辖12个行政村。", "近年来，该镇坚持党建引领基层治理。"],
        "党建引领 夯实基层",
        ["镇党委推行“网格+党员”工作法，把支部建在网格上。", "全镇共划分网格86个。"],
        kicker="乡村振兴进行时",
        n_villages=12,
    ),
    _profile(
        "liuwan-2022-01",
        "清水县",
        "柳湾乡",
        2022,
        ["张伟"],
        ["柳湾乡是传统农业乡，耕地面积3.2万亩。"],
        "产业兴旺 富民增收",
        ["乡里引进茶叶加工企业两家，带动农户增收。", "2022年农民人均可支配收入增长7.1%。"],
    ),
    _profile(
        "qingshi-2023-01",
        "白鹭区",
        "青石街道",
        2023,
        ["王芳", "赵磊"],
        ["青石街道位于白鹭区老城区，常住人口5.6万人。"],
        "共建共治 共享家园",
        ["街道成立社区议事会，居民的事居民商量着办。"],
        kicker="基层治理新观察",
    ),
    _profile(
        "hetang-2023-01",
        "清水县",
        "河塘镇",
        2023,
        ["李明", "王芳"],
        ["河塘镇持续深化“一岗双责”，压实管党治党责任。"],
        "党建引领 夯实基层",
        ["今年以来，镇纪委开展专项监督检查14次。"],
        n_villages=12,
    ),
    _profile(
        "liuwan-2023-01",
        "清水县",
        "柳湾乡",
        2023,
        ["张伟"],
        ["柳湾乡把乡村振兴作为“一号工程”。"],
        "产业兴旺 富民增收",
        ["新建高标准农田1.5万亩。", "茶叶产业综合产值突破亿元。"],
    ),
    _profile(
        "qingshi-2023-02",
        "白鹭区",
        "青石街道",
        2023,
        ["赵磊"],
        ["青石街道推进老旧小区改造，惠及居民2300户。"],
        "民生为本 服务群众",
        ["改造完成后，加装电梯18部。"],
    ),
]


@pytest.fixture
def records() -> list[dict[str, Any]]:
    """A deep copy of the town profiles, so a test may change its own copy."""
    return copy.deepcopy(TOWN_RECORDS)


@pytest.fixture
def corpus(records: list[dict[str, Any]]) -> Corpus:
    return Corpus.from_records(records)


@pytest.fixture
def big_corpus() -> Corpus:
    """36 short profiles (3 counties x 6 towns x 2 years) for sampling tests."""
    counties = {
        "清水县": ["河塘镇", "柳湾乡", "石桥镇", "杏花村镇", "东坝乡", "龙泉镇"],
        "白鹭区": ["青石街道", "白沙街道", "新港街道", "湖滨街道", "南湖街道", "西岭街道"],
        "云岭县": ["云岭镇", "松林乡", "大坪镇", "桃源乡", "望江镇", "金沙乡"],
    }
    recs = []
    for county, towns in counties.items():
        for t, town in enumerate(towns):
            for year in (2022, 2023):
                recs.append(
                    {
                        "doc_id": f"{county}-{town}-{year}",
                        "text": f"{year}年，{county}{town}坚持党建引领，推进基层治理现代化。",
                        "county": county,
                        "town": town,
                        "year": year,
                        "reporters": ["李明"] if t % 2 else ["王芳", "赵磊"],
                    }
                )
    return Corpus.from_records(recs)


def write_lines(path: Path, lines: list[Any], *, encoding: str = "utf-8") -> Path:
    """Write JSON lines; a str item is written as is (to plant a broken line)."""
    text = "".join(
        (item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)) + "\n"
        for item in lines
    )
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def lines_writer():
    """The :func:`write_lines` helper, as a fixture (test modules cannot import conftest)."""
    return write_lines


@pytest.fixture
def jsonl_file(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    return write_lines(tmp_path / "towns.jsonl", records)
