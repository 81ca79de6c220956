"""A tiny experiment in tmp_path: a JSONL table of towns, one newspaper page, a config."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

TOWNS = [
    {
        "doc_id": "qc-hetang-01",
        "text": "河塘镇坚持共建共治共享,推动基层治理走深走实。",
        "province": "四川省",
        "county": "青川县",
        "town": "河塘镇",
        "year": 2021,
    },
    {
        "doc_id": "qc-hetang-02",
        "text": "河塘镇落实一岗双责,打通服务群众最后一公里。",
        "province": "四川省",
        "county": "青川县",
        "town": "河塘镇",
        "year": 2022,
    },
    {
        "doc_id": "qc-shimen-01",
        "text": "石门乡以党建引领乡村振兴。",
        "province": "四川省",
        "county": "青川县",
        "town": "石门乡",
        "year": 2021,
    },
    {
        "doc_id": "bl-liuwan-01",
        "text": "柳湾街道探索“网格+”治理模式,让群众办事不出社区。",
        "province": "福建省",
        "county": "白鹭区",
        "town": "柳湾街道",
        "year": 2022,
    },
]

PAGE = """青川县河塘镇：党建引领聚合力

本报记者 周立 本报通讯员 田禾

河塘镇坚持“一线工作法”,推动各项工作落地见效。

强化党建引领 筑牢战斗堡垒

全镇18个村的村“两委”班子全部配齐配强,落实一岗双责。
"""

CONFIG = """\
name = "tiny"
seed = 7
description = "A tiny test experiment."

[corpus]
inputs = ["data/towns.jsonl", "data/pages"]

[[analysis]]
kind = "corpus_overview"
by = ["town", "county"]
"""


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )


@pytest.fixture()
def experiment(tmp_path: Path) -> Path:
    """A config file whose inputs sit beside it; returns the config path."""
    folder = tmp_path / "experiments" / "tiny"
    write_jsonl(folder / "data" / "towns.jsonl", TOWNS)
    pages = folder / "data" / "pages"
    pages.mkdir()
    (pages / "2021-03-05_02.txt").write_text(PAGE, encoding="utf-8")
    config = folder / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return config
