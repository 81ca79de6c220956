"""``tifa diffusion`` on a corpus with planted adoption dates (issue 14)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from tests.diffusion.conftest import planted_corpus
from toolkit.cli.main import main
from toolkit.diffusion import TABLE_COLUMNS


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("diffusion") / "corpus.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in planted_corpus().to_records()]
    # One record that cannot be read: reported, and the outputs are still written.
    path.write_text("\n".join([*lines, '{"doc_id": "bad"}']) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def terms_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("terms") / "terms.txt"
    path.write_text("# planted\n河长制\n六稳\n强基工程\n强基\n气质\n", encoding="utf-8")
    return path


def test_diffusion_writes_tables_and_figures_and_exits_1_on_rejects(
    corpus_file, terms_file, tmp_path
):
    out = tmp_path / "out"
    argv = [
        "diffusion", str(corpus_file), "-o", str(out), "--unit", "province", "--time", "year",
        "--reference", "level=national", "--terms", str(terms_file), "--seed", "3",
        "--adjacency", str(_ring(tmp_path)),
    ]  # fmt: skip
    code, stdout, stderr = _run(argv)
    assert "terms adopted by >= 1 units" in stdout
    assert code == 1, stderr
    assert "rejected" in stderr
    names = {p.name for p in out.iterdir()}
    assert {"diffusion.csv", "adoptions.csv", "curves.csv", "hazard.csv", "leaders.csv"} <= names
    assert {"curves.png", "lags.png", "first_use.png", "leaders.png"} <= names
    table = pd.read_csv(out / "diffusion.csv")
    assert list(table.columns) == list(TABLE_COLUMNS)
    rows = table.set_index("term")
    # 强基 counts only inside 强基工程 (乙省 2002), never inside 加强基层; 气质 never.
    assert "气质" not in rows.index
    assert rows.loc["强基", "first_time"] == 2002
    assert rows.loc["河长制", "direction"] == "bottom-up"
    # Same seed, same bytes.
    again = tmp_path / "again"
    argv[argv.index(str(out))] = str(again)
    _run(argv)
    for name in ("diffusion.csv", "adoptions.csv", "hazard.csv", "leaders.csv", "curves.csv"):
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


def _ring(tmp_path: Path) -> Path:
    path = tmp_path / "adjacency.tsv"
    path.write_text("unit\tneighbor\n甲省\t乙省\n乙省\t丙省\n丙省\t丁省\n", encoding="utf-8")
    return path


def test_reference_that_matches_nothing_is_an_error_naming_the_values(corpus_file, tmp_path):
    code, _, stderr = _run(
        ["diffusion", str(corpus_file), "-o", str(tmp_path), "--reference", "level=central"]
    )
    assert code == 2
    assert "reference {'level': 'central'} matches no document" in stderr
    assert "level: ['national', 'provincial']" in stderr


def test_malformed_reference_is_an_error(corpus_file, tmp_path):
    code, _, stderr = _run(
        ["diffusion", str(corpus_file), "-o", str(tmp_path), "--reference", "national"]
    )
    assert code == 2
    assert "--reference must be FIELD=VALUE[,FIELD=VALUE], e.g. level=national" in stderr
