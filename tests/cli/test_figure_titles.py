"""Every figure the commands write says what it shows in a title (issue 17)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from tests.diffusion.conftest import planted_corpus
from toolkit.cli import common, diffusion_command
from toolkit.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpora" / "sample" / "towns.jsonl"


@pytest.fixture
def titles(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """File name → the title of the figure saved there (the figure's, else its axes')."""
    seen: dict[str, str] = {}
    real = common.save_png

    def recording(fig, path):
        seen[Path(path).name] = fig.get_suptitle() or fig.axes[0].get_title()
        return real(fig, path)

    monkeypatch.setattr(common, "save_png", recording)
    monkeypatch.setattr(diffusion_command, "save_png", recording)
    return seen


def _run(argv: list[str]) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(argv)


def test_topics_figures_have_titles(titles, tmp_path):
    argv = [
        "topics",
        str(SAMPLE),
        "-o",
        str(tmp_path / "out"),
        "--k-range",
        "2:3:1",
        "--by",
        "year",
    ]
    assert _run([*argv, "--passes", "2", "--iterations", "30", "--no-progress"]) == 0
    assert set(titles) == {"k_selection", "prevalence", "topics"}
    assert all(titles.values()), titles
    assert "year" in titles["prevalence"]


def test_similarity_figures_have_titles(titles, tmp_path):
    argv = ["similarity", str(SAMPLE), "--by", "town", "--k", "3", "--group", "county"]
    assert _run([*argv, "-o", str(tmp_path / "out"), "--no-progress"]) == 0
    assert set(titles) == {"similarity", "neighbors"}
    assert all(titles.values()), titles


def test_diffusion_figures_have_titles(titles, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    records = [json.dumps(r, ensure_ascii=False) for r in planted_corpus().to_records()]
    corpus.write_text("\n".join(records) + "\n", encoding="utf-8")
    terms = tmp_path / "terms.txt"
    terms.write_text("河长制\n六稳\n", encoding="utf-8")
    argv = [
        "diffusion", str(corpus), "-o", str(tmp_path / "out"), "--unit", "province",
        "--time", "year", "--reference", "level=national", "--terms", str(terms), "--seed", "3",
    ]  # fmt: skip
    assert _run(argv) == 0
    assert {"curves", "first_use", "lags", "leaders"} <= set(titles)
    assert all(titles.values()), titles
