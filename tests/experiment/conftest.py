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


# ------------------------------------------------------------ one flagship analysis
FLAGSHIP = Path(__file__).resolve().parents[2] / "experiments" / "flagship"


def _toml(value) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


@pytest.fixture(scope="session")
def flagship_analysis():
    """``flagship_analysis(kind)``: the flagship config and its one analysis of that kind."""
    from toolkit.experiment import load_config

    def get(kind: str):
        config = load_config(FLAGSHIP)
        (analysis,) = [a for a in config.analyses if a.kind == kind]
        return config, analysis

    return get


@pytest.fixture(scope="session")
def flagship_only(flagship_analysis, tmp_path_factory):
    """``flagship_only(kind)``: a config with the flagship's corpus, seed and one analysis.

    The whole flagship runs in test_run.py and test_terms_analysis.py; running
    one analysis keeps the repeated runs of its own tests fast. Skips when the
    sample corpus is absent.
    """

    def write(kind: str) -> Path:
        config, analysis = flagship_analysis(kind)
        inputs = config.input_paths()
        missing = [p for p in inputs if not p.exists()]
        if missing:
            pytest.skip(f"sample corpus not present: {missing}")
        lines = [
            f'name = "flagship-{kind}"',
            f"seed = {config.seed}",
            "[corpus]",
            f"inputs = [{', '.join(_toml(p.as_posix()) for p in inputs)}]",
            "[[analysis]]",
            f"kind = {_toml(kind)}",
            *(f"{key} = {_toml(value)}" for key, value in analysis.options.items()),
        ]
        path = tmp_path_factory.mktemp(f"flagship-{kind}") / "config.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def flagship_runs(tmp_path_factory):
    """The whole flagship config run twice on the sample corpus, as runs "a" and "b".

    Session-wide: test_terms_analysis.py and test_report.py share it, as the
    flagship takes half a minute. Skips when the sample corpus is absent.
    """
    from toolkit.experiment import load_config, run

    missing = [p for p in load_config(FLAGSHIP).input_paths() if not p.exists()]
    if missing:
        pytest.skip(f"sample corpus not present: {missing}")
    root = tmp_path_factory.mktemp("flagship")
    return tuple(
        run(FLAGSHIP, output_root=root, run_id=name, progress=False) for name in ("a", "b")
    )


@pytest.fixture(scope="session")
def run_twice(tmp_path_factory):
    """``run_twice(config)``: the experiment run twice, as runs "a" and "b"."""
    from toolkit.experiment import run

    def twice(config: Path):
        root = tmp_path_factory.mktemp("runs")
        return tuple(
            run(config, output_root=root, run_id=name, progress=False) for name in ("a", "b")
        )

    return twice
