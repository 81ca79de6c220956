"""One CLI contract (issue 16 §2): existing outputs, ``-``, empty outputs, CSV BOM, --quiet.

Every command refuses an output that exists unless ``--force``, before any work;
``-`` is standard input or output where the format is JSONL; a command that
read nothing writes no file; CSV tables are UTF-8 with a byte-order mark; and
``--quiet`` is accepted everywhere.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from toolkit._atomic import PARTIAL_SUFFIX, atomic_open, atomic_path
from toolkit.cli.commands import COMMANDS
from toolkit.cli.main import build_parser
from toolkit.corpus import read_corpus

BOM = b"\xef\xbb\xbf"
SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"
RECORDS = [
    {"doc_id": "a", "text": "推进“乡村振兴”，落实河长制。", "town": "东镇", "year": 2021},
    {"doc_id": "b", "text": "深化“乡村振兴”，推行河长制。", "town": "西镇", "year": 2022},
]


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.jsonl"
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8"
    )
    return path


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


# ---------------------------------------------------------------------- atomic writes
def test_a_failed_write_leaves_the_old_file_and_no_partial(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("old\n", encoding="utf-8")
    for stop in (ValueError("bad"), KeyboardInterrupt(), SystemExit(143)):
        with pytest.raises(type(stop)), atomic_open(target) as fh:
            fh.write("half")
            raise stop
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_a_complete_write_replaces_the_file_and_a_block_may_decide_to_write_nothing(tmp_path):
    target = tmp_path / "sub" / "t.txt"
    with atomic_open(target) as fh:
        assert Path(fh.name).name.startswith(".t.txt.") and fh.name.endswith(PARTIAL_SUFFIX)
        fh.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    with atomic_path(target) as partial:
        partial.write_text("unused", encoding="utf-8")
        partial.unlink()  # nothing to write after all
    assert target.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in target.parent.iterdir()] == ["t.txt"]


# ---------------------------------------------------------------------- --force
def test_an_existing_output_is_refused_with_its_name_and_kept(tifa, small, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    code, stdout, stderr = tifa("terms", small, "-o", out, "--quiet")
    assert code == 2 and stdout == ""
    assert stderr == [f"tifa terms: error: {out} exists; pass --force to overwrite it"]
    assert out.read_text(encoding="utf-8") == "old\n"
    code, _, _ = tifa("terms", small, "-o", out, "--quiet", "--force")
    assert code == 0
    assert [json.loads(line)["doc_id"] for line in out.read_text("utf-8").splitlines()] == [
        "a",
        "b",
    ]


def test_every_existing_output_of_a_command_is_named(tifa, small, tmp_path):
    npz, vocab = tmp_path / "m.npz", tmp_path / "m.vocab.tsv"
    npz.write_bytes(b"old")
    vocab.write_bytes(b"old")
    code, _, stderr = tifa("dtm", small, "-o", npz, "--quiet")
    assert code == 2
    assert stderr == [f"tifa dtm: error: {npz}, {vocab} exist; pass --force to overwrite them"]


@pytest.mark.parametrize(
    ("command", "extra", "existing"),
    [
        ("topics", [], "doc_topics.csv"),
        ("topics", [], "figures/k_selection.png"),  # an earlier run's, removed by this one
        ("similarity", ["--by", "town"], "figures/neighbors.png"),
        ("diffusion", ["--unit", "town"], "leaders.csv"),
    ],
)
def test_an_output_folder_holding_a_file_the_command_writes_is_refused(
    tifa, small, tmp_path, command, extra, existing
):
    folder = tmp_path / "out"
    (folder / existing).parent.mkdir(parents=True, exist_ok=True)
    (folder / existing).write_bytes(b"old")
    code, _, stderr = tifa(command, small, "-o", folder, *extra, "--quiet")
    assert code == 2
    assert stderr == [
        f"tifa {command}: error: {folder} already holds {existing}; pass --force to overwrite it"
    ]
    assert (folder / existing).read_bytes() == b"old"


def test_a_folder_with_other_files_is_not_refused(tifa, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, _, _ = tifa("similarity", SAMPLE, "-o", folder, "--by", "town", "--quiet")
    assert code == 0
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert (folder / "similarity.csv").read_bytes().startswith(BOM)


def test_tifa_run_never_overwrites_a_run_folder():
    # A run gets a new folder (-2, -3 ... when the id is taken), so it needs no --force;
    # `make demo` can run again and again.
    help_text = build_parser(["run"])._subparsers._group_actions[0].choices["run"].format_help()
    assert "a run never overwrites another" in " ".join(help_text.split())


# ---------------------------------------------------------------------- standard streams
def test_dash_writes_jsonl_to_stdout_and_the_summary_to_stderr(tifa, small, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = tifa("segment", small, "-o", "-", "--quiet")
    assert code == 0
    assert [json.loads(line)["doc_id"] for line in stdout.splitlines()] == ["a", "b"]
    assert stderr[-1].startswith("wrote standard output: 2 documents")
    assert not (tmp_path / "-").exists()


def test_dash_reads_the_corpus_from_stdin(tifa, small, monkeypatch):
    _stdin(monkeypatch, small.read_text(encoding="utf-8") + "not json\n")
    code, stdout, stderr = tifa("info", "-")
    assert code == 1
    assert stdout.startswith("2 documents")
    assert stderr[0].startswith("rejected: -:line 3: not valid JSON")


def test_stdin_to_stdout(tifa, small, monkeypatch):
    _stdin(monkeypatch, small.read_text(encoding="utf-8"))
    code, stdout, _ = tifa("terms", "-", "-o", "-", "--quiet")
    assert code == 0
    rows = [json.loads(line) for line in stdout.splitlines()]
    assert [r["doc_id"] for r in rows] == ["a", "b"]
    assert "乡村振兴" in {t["term"] for t in rows[0]["terms"]}


def test_ingest_writes_a_corpus_to_stdout(tifa, small):
    code, stdout, _ = tifa("ingest", small, "-o", "-", "--quiet")
    assert code == 0
    assert [json.loads(line) for line in stdout.splitlines()] == RECORDS


# ---------------------------------------------------------------------- nothing to write
@pytest.mark.parametrize("command", ["segment", "terms", "ingest"])
def test_a_command_that_read_nothing_leaves_no_file(tifa, tmp_path, command):
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"doc_id": "x"}\n', encoding="utf-8")  # no text: rejected
    out = tmp_path / "out.jsonl"
    code, stdout, stderr = tifa(command, empty, "-o", out, "--quiet")
    assert code == 1
    assert "wrote nothing" in stdout
    assert stderr[-1] == "rejected: 1 in all"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.jsonl"]


# ---------------------------------------------------------------------- CSV for Excel
def test_csv_tables_are_utf8_with_a_bom_and_read_back(tifa, small, tmp_path):
    kwic = tmp_path / "kwic.csv"
    corpus = tmp_path / "corpus.csv"
    assert tifa("kwic", small, "河长制", "-o", kwic)[0] == 0
    assert tifa("ingest", small, "-o", corpus, "--quiet")[0] == 0
    for path in (kwic, corpus):
        assert path.read_bytes().startswith(BOM)
    assert list(pd.read_csv(kwic)["match"]) == ["河长制", "河长制"]
    assert pd.read_csv(kwic).columns[0] == "doc_id"  # the mark is not in the name
    assert [doc.text for doc in read_corpus(corpus)] == [r["text"] for r in RECORDS]


# ---------------------------------------------------------------------- --quiet
def test_every_command_takes_quiet_and_the_old_no_progress_still_works():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert set(commands) == set(COMMANDS)
    for name, sub in commands.items():
        flags = {flag for action in sub._actions for flag in action.option_strings}
        assert "--quiet" in flags, name
    args = parser.parse_args(["topics", "c.jsonl", "-o", "out", "--no-progress"])
    assert args.quiet is True
    assert "--no-progress" not in commands["topics"].format_help()
