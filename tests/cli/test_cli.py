"""The ``tifa`` command: exit codes, reject lines, and the same results as the API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import Corpus, read_corpus, write_jsonl
from toolkit.cli import main

PAGE = """青川县河塘镇：党建引领聚合力

本报记者 周立 本报通讯员 田禾

河塘镇坚持“一线工作法”,推动各项工作落地见效。

强化党建引领 筑牢战斗堡垒

全镇18个村的村“两委”班子全部配齐配强,落实一岗双责。
"""


@pytest.fixture()
def inputs(tmp_path: Path) -> dict[str, Path]:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    table = tmp_path / "towns.jsonl"
    write_jsonl(
        Corpus.from_records(
            [
                {"doc_id": "a", "text": "共建共治共享。", "county": "青川县", "town": "石门乡"},
                {"doc_id": "b", "text": "最后一公里。", "county": "白鹭区", "town": "柳湾街道"},
            ]
        ),
        table,
    )
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x00\x01\x02\xff" * 64)
    empty = tmp_path / "empty.txt"
    empty.touch()
    return {"page": page, "table": table, "binary": binary, "empty": empty}


def test_ingest_clean_batch_exits_0(inputs, tmp_path, capsys):
    out = tmp_path / "corpus.jsonl"
    code = main(["ingest", str(inputs["page"]), str(inputs["table"]), "-o", str(out), "--quiet"])
    assert code == 0
    corpus = read_corpus(out)
    assert sorted(corpus.docvars["town"]) == ["柳湾街道", "河塘镇", "石门乡"]
    assert "3 documents from 2 inputs; 0 rejected" in capsys.readouterr().out


def test_ingest_with_rejects_exits_1_and_names_each(inputs, tmp_path, capsys):
    out = tmp_path / "corpus.parquet"
    argv = ["ingest", *(str(p) for p in inputs.values()), "-o", str(out), "--quiet"]
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and err[-1] == "rejected: 2 in all"  # one line each, then the count
    assert any("photo.txt" in line and "binary" in line for line in err)
    assert any("empty.txt" in line and "empty" in line for line in err)
    assert len(read_corpus(out)) == 3  # the good documents are still written


def test_info_counts_by_docvar(inputs, capsys):
    assert main(["info", str(inputs["table"])]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 documents, 13 characters")
    assert "by county:" in out
    assert "青川县" in out


def test_info_unknown_field_is_a_clear_error(inputs, capsys):
    assert main(["info", str(inputs["table"]), "--by", "village"]) == 2
    err = capsys.readouterr().err
    assert "no docvar named 'village'" in err
    assert "available: ['county', 'town']" in err


def test_bad_format_choice_is_refused(inputs, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["ingest", str(inputs["page"]), "-o", str(tmp_path / "x.jsonl"), "--format", "pdf"])
    assert exc.value.code == 2


def test_console_entry_point_runs():
    out = subprocess.run(
        [sys.executable, "-m", "toolkit", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("ingest", "info", "run", "demo"):
        assert command in out.stdout


_HEAVY = ("pandas", "numpy", "scipy", "sklearn", "matplotlib", "jieba")


def _modules_loaded_by(argv: list[str]) -> list[str]:
    code = (
        "import sys\n"
        "from toolkit.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('loaded:', *(m for m in {_HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()[-1].split()[1:]


@pytest.mark.parametrize("argv", [["--help"], ["--version"]])
def test_help_and_version_load_no_analysis_library(argv):
    assert _modules_loaded_by(argv) == []


def test_a_command_is_built_only_when_named(capsys):
    # The check above must be able to fail: naming a command imports its module.
    assert "pandas" in _modules_loaded_by(["info", "--help"])
    with pytest.raises(SystemExit):
        main(["--help"])
    listing = capsys.readouterr().out
    for command in ("ingest", "terms", "kwic", "dtm", "topics", "similarity", "reuse", "demo"):
        assert command in listing
    with pytest.raises(SystemExit):
        main(["kwic", "--help"])
    assert "--window" in capsys.readouterr().out


def test_option_defaults_are_the_api_defaults():
    import inspect

    from toolkit import DocTermMatrix, SimilarityIndex, TopicModel, find_reuse, prepare_topics
    from toolkit.cli.main import build_parser

    def default(function, name):
        return inspect.signature(function).parameters[name].default

    parser = build_parser()
    sim = parser.parse_args(["similarity", "c.jsonl", "--by", "town", "-o", "out"])
    assert sim.k == default(SimilarityIndex.top_neighbors, "k") == 10
    for name in ("representation", "metric", "min_df", "max_df", "seed"):
        assert getattr(sim, name) == default(SimilarityIndex, name), name
    reuse = parser.parse_args(["reuse", "c.jsonl", "-o", "r.jsonl"])
    for name in ("min_chars", "max_edit", "max_df", "seed", "n_jobs"):
        assert getattr(reuse, name) == default(find_reuse, name), name
    topics = parser.parse_args(["topics", "c.jsonl", "-o", "out"])
    assert topics.n == default(TopicModel.top_terms, "n")
    for name in ("backend", "seed", "passes", "iterations"):
        assert getattr(topics, name) == default(TopicModel, name), name
    for name in ("unit", "min_df", "max_df"):
        assert getattr(topics, name) == default(prepare_topics, name), name
    dtm = parser.parse_args(["dtm", "c.jsonl", "-o", "m.npz"])
    for name in ("min_df", "max_df", "n_features"):
        assert getattr(dtm, name) == default(DocTermMatrix.from_corpus, name), name


def test_a_reader_that_closes_the_pipe_gets_no_traceback(tmp_path):
    # tifa kwic ... | head -1: head exits after one line while tifa still writes. The
    # concordance (about 1 MB) is far more than a pipe holds, so tifa is still writing.
    corpus = tmp_path / "many.jsonl"
    write_jsonl(
        Corpus.from_records(
            [
                {"doc_id": f"d{i}", "text": "推进河长制工作，落实一线工作法。" * 20}
                for i in range(300)
            ]
        ),
        corpus,
    )
    tifa = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "kwic", str(corpus), "工作"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert tifa.stdout is not None
    first = tifa.stdout.readline()
    tifa.stdout.close()
    _, err = tifa.communicate()
    assert "【工作】" in first.decode("utf-8")
    assert tifa.returncode == 0, err.decode("utf-8")
    assert b"Traceback" not in err and b"BrokenPipeError" not in err
