"""``tifa similarity`` and ``tifa reuse`` on the sample corpus: outputs, determinism, errors."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit import read_corpus
from toolkit.cli import main
from toolkit.cli.main import build_parser
from toolkit.similarity.reuse import NETWORK_COLUMNS, PASSAGE_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpora" / "sample" / "towns.jsonl"
REUSE = ROOT / "corpora" / "sample" / "reuse.tsv"
N_TOWNS = 13
FIGURES = ("similarity.png", "neighbors.png")


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _csv(path: Path, **kwargs) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8", keep_default_na=False, **kwargs)


def _passages(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _with_bad_record(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus.jsonl"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    bad = json.dumps({"doc_id": "broken", "body": "没有正文字段。"}, ensure_ascii=False)
    corpus.write_text("\n".join([*lines, bad]) + "\n", encoding="utf-8")
    return corpus


SIMILARITY = ["similarity", str(SAMPLE), "--by", "town", "--k", "3", "--group", "county"]


@pytest.fixture(scope="module")
def similarity_run(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("similarity") / "out"
    code, stdout, stderr = _run([*SIMILARITY, "-o", str(folder), "--no-progress"])
    return {"code": code, "stdout": stdout, "stderr": stderr, "dir": folder}


@pytest.fixture(scope="module")
def reuse_run(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("reuse") / "reuse.jsonl"
    argv = ["reuse", str(SAMPLE), "-o", str(path), "--by", "town", "--no-progress"]
    code, stdout, stderr = _run(argv)
    return {"code": code, "stdout": stdout, "stderr": stderr, "path": path, "argv": argv}


# ---------------------------------------------------------------------- tifa similarity
def test_similarity_matrix_is_labelled_units_by_units(similarity_run):
    assert similarity_run["code"] == 0 and similarity_run["stderr"] == ""
    matrix = _csv(similarity_run["dir"] / "similarity.csv", index_col=0)
    towns = sorted({doc.meta["town"] for doc in read_corpus(SAMPLE)})
    assert matrix.shape == (N_TOWNS, N_TOWNS) == (len(towns), len(towns))
    assert matrix.index.name == "town"
    assert list(matrix.index) == list(matrix.columns) == towns
    values = matrix.to_numpy(dtype=float)
    np.testing.assert_allclose(np.diag(values), 1.0)
    np.testing.assert_allclose(values, values.T)


def test_neighbors_exclude_self_are_sorted_and_explained(similarity_run):
    table = _csv(similarity_run["dir"] / "neighbors.csv")
    assert list(table.columns) == ["unit", "neighbor", "rank", "similarity", "terms"]
    assert len(table) == N_TOWNS * 3
    assert (table["unit"] != table["neighbor"]).all()
    matrix = _csv(similarity_run["dir"] / "similarity.csv", index_col=0)
    for unit, rows in table.groupby("unit", sort=False):
        assert list(rows["rank"]) == [1, 2, 3]
        assert rows["similarity"].is_monotonic_decreasing
        assert rows["neighbor"].is_unique
        # The best neighbours of the matrix's row, the unit itself left out.
        others = matrix.loc[unit].drop(unit).sort_values(ascending=False)
        np.testing.assert_allclose(rows["similarity"], others.iloc[:3], atol=1e-6)
    for terms in table["terms"]:
        assert terms and 1 <= len(terms.split("|")) <= 5 and all(terms.split("|"))


def test_every_similarity_output_is_written_and_printed(similarity_run):
    folder = similarity_run["dir"]
    stdout = similarity_run["stdout"]
    paths = [folder / "similarity.csv", folder / "neighbors.csv"]
    paths += [folder / "figures" / name for name in FIGURES]
    for path in paths:
        assert path.is_file() and path.stat().st_size > 0
        assert f"wrote {path}: " in stdout
    for name in FIGURES:
        assert (folder / "figures" / name).read_bytes()[:4] == b"\x89PNG"
    assert stdout.startswith(f"read 36 documents from {SAMPLE}; 0 rejected\n")
    assert f"\n{N_TOWNS} units by town; representation tfidf, metric cosine, " in stdout


def test_similarity_same_arguments_give_identical_files(similarity_run, tmp_path):
    again = tmp_path / "again"
    assert _run([*SIMILARITY, "-o", str(again), "--no-progress"])[0] == 0
    for name in ("similarity.csv", "neighbors.csv", *(f"figures/{f}" for f in FIGURES)):
        assert (again / name).read_bytes() == (similarity_run["dir"] / name).read_bytes()


def test_invalid_representation_metric_pair_exits_2_with_the_index_message(tmp_path):
    out = tmp_path / "out"
    argv = ["similarity", str(SAMPLE), "--by", "town", "-o", str(out)]
    code, stdout, stderr = _run([*argv, "--representation", "embedding", "--metric", "jaccard"])
    assert code == 2 and stdout == ""
    assert stderr == (
        "tifa similarity: error: metric 'jaccard' does not apply to representation "
        "'embedding'; valid: {'cosine'}\n"
    )
    assert not out.exists()


@pytest.mark.parametrize("command", ["similarity", "reuse"])
def test_unknown_by_names_the_available_docvars(command, tmp_path):
    out = tmp_path / ("out" if command == "similarity" else "reuse.jsonl")
    code, stdout, stderr = _run([command, str(SAMPLE), "-o", str(out), "--by", "township"])
    assert code == 2 and stdout == ""
    assert stderr == (
        f"tifa {command}: error: --by: no docvar named 'township'; available: "
        "['correspondents', 'county', 'date', 'kicker', 'prefecture', 'province', "
        "'reporters', 'sections', 'source', 'title', 'town', 'year']\n"
    )
    assert not out.exists()


def test_group_must_be_constant_within_units(tmp_path):
    out = tmp_path / "out"
    argv = ["similarity", str(SAMPLE), "--by", "county", "--group", "town", "-o", str(out)]
    code, _, stderr = _run([*argv, "--no-progress"])
    assert code == 2
    assert stderr.startswith(
        "tifa similarity: error: --group: docvar 'town' is not constant within units of "
        "'county'; choose a docvar at the level of the units or above (constant: ["
    )
    assert len(stderr.splitlines()) == 1 and not out.exists()


def test_similarity_bad_record_exits_1_and_still_writes_outputs(tmp_path):
    corpus = _with_bad_record(tmp_path)
    out = tmp_path / "out"
    argv = ["similarity", str(corpus), "--by", "town", "-o", str(out), "--k", "2"]
    code, stdout, stderr = _run([*argv, "--no-progress"])
    assert code == 1
    assert stderr.splitlines() == [
        f"rejected: {corpus}:line 37: missing text field 'text'; fields present: "
        "['body', 'doc_id']. Pass --text-field FIELD to name the field that holds the text",
        "rejected: 1 in all",
    ]
    assert stdout.startswith(f"read 36 documents from {corpus}; 1 rejected\n")
    assert _csv(out / "similarity.csv", index_col=0).shape == (N_TOWNS, N_TOWNS)
    assert len(_csv(out / "neighbors.csv")) == N_TOWNS * 2
    assert all((out / "figures" / name).is_file() for name in FIGURES)


# ---------------------------------------------------------------------- tifa reuse
def test_reuse_writes_one_passage_a_line_with_its_units(reuse_run):
    assert reuse_run["code"] == 0 and reuse_run["stderr"] == ""
    rows = _passages(reuse_run["path"])
    assert rows
    texts = {doc.doc_id: doc.text for doc in read_corpus(SAMPLE)}
    towns = {doc.doc_id: doc.meta["town"] for doc in read_corpus(SAMPLE)}
    for row in rows:
        assert list(row) == [*PASSAGE_COLUMNS, "town_a", "town_b"]
        assert texts[row["doc_a"]][row["start_a"] : row["end_a"]] == row["text_a"]
        assert texts[row["doc_b"]][row["start_b"] : row["end_b"]] == row["text_b"]
        assert (row["town_a"], row["town_b"]) == (towns[row["doc_a"]], towns[row["doc_b"]])
        assert isinstance(row["boilerplate"], bool) and 0.0 <= row["edit"] < 1.0
    n_boiler = sum(row["boilerplate"] for row in rows)
    assert (
        f"{len(rows)} passages: {len(rows) - n_boiler} distinctive, {n_boiler} boilerplate\n"
        in reuse_run["stdout"]
    )
    assert f"wrote {reuse_run['path']}: {len(rows)} passages" in reuse_run["stdout"]


def test_reuse_finds_the_listed_passages(reuse_run):
    found = {frozenset((r["doc_a"], r["doc_b"])) for r in _passages(reuse_run["path"])}
    assert frozenset(("shatang-2022-03", "lingjiao-2022-05")) in found
    with REUSE.open(encoding="utf-8", newline="") as f:
        listed = {
            frozenset((r["doc_id_a"], r["doc_id_b"])) for r in csv.DictReader(f, delimiter="\t")
        }
    assert len(listed & found) >= len(listed) // 2


def test_reuse_network_sums_the_passages_by_unit(reuse_run):
    path = reuse_run["path"].with_name("reuse_network.csv")
    network = _csv(path)
    assert list(network.columns) == list(NETWORK_COLUMNS)
    rows = _passages(reuse_run["path"])
    assert network["passages"].sum() == len(rows)
    assert (network["unit_a"] <= network["unit_b"]).all()
    assert f"wrote {path}: {len(network)} pairs of town sharing text" in reuse_run["stdout"]


def test_reuse_network_has_its_figure(reuse_run):
    # Issue 17: tifa reuse wrote no figure. With --by it draws the network it writes.
    figure = reuse_run["path"].with_name("reuse_network.png")
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"wrote {figure}: town linked by the distinctive passages" in reuse_run["stdout"]


def test_reuse_same_arguments_give_identical_files(reuse_run, tmp_path):
    argv = list(reuse_run["argv"])
    argv[argv.index("-o") + 1] = str(tmp_path / "reuse.jsonl")
    assert _run(argv)[0] == 0
    for name in ("reuse.jsonl", "reuse_network.csv"):
        first = reuse_run["path"].with_name(name).read_bytes()
        assert (tmp_path / name).read_bytes() == first


def test_reuse_scheduler_writes_the_bytes_of_one_process(reuse_run, tmp_path):
    # Issue 15: a 2-worker LocalCluster (worker processes) signs and aligns, same files.
    argv = list(reuse_run["argv"])
    argv[argv.index("-o") + 1] = str(tmp_path / "reuse.jsonl")
    code, stdout, _ = _run([*argv, "--scheduler", "local:2"])
    assert code == 0
    assert stdout == reuse_run["stdout"].replace(str(reuse_run["path"].parent), str(tmp_path))
    for name in ("reuse.jsonl", "reuse_network.csv"):
        first = reuse_run["path"].with_name(name).read_bytes()
        assert (tmp_path / name).read_bytes() == first, name


def test_drop_boilerplate_keeps_distinctive_passages_only(reuse_run, tmp_path):
    path = tmp_path / "distinct.jsonl"
    code, stdout, _ = _run(
        ["reuse", str(SAMPLE), "-o", str(path), "--drop-boilerplate", "--no-progress"]
    )
    assert code == 0
    rows = _passages(path)
    flagged = [r for r in _passages(reuse_run["path"]) if not r["boilerplate"]]
    assert not any(r["boilerplate"] for r in rows)
    assert len(rows) == len(flagged)
    assert f"{len(rows)} passages: {len(rows)} distinctive, 0 boilerplate" in stdout
    assert not (tmp_path / "distinct_network.csv").exists()
    assert not (tmp_path / "distinct_network.png").exists()


def test_background_flags_what_the_genre_repeats(reuse_run, tmp_path):
    # Two renamed copies of the sample as background: every passage's df triples, and
    # boilerplate means carried by more than 10% of the 72 background documents.
    background = tmp_path / "background.jsonl"
    lines = []
    for copy in ("x", "y"):
        for line in SAMPLE.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            record["doc_id"] = f"{copy}-{record['doc_id']}"
            lines.append(json.dumps(record, ensure_ascii=False))
    background.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "bg.jsonl"
    argv = ["reuse", str(SAMPLE), "-o", str(path), "--background", str(background)]
    code, stdout, _ = _run([*argv, "--no-progress"])
    assert code == 0
    assert "read 72 background documents to count how common passages are" in stdout
    plain = {(r["doc_a"], r["doc_b"], r["start_a"]): r for r in _passages(reuse_run["path"])}
    with_bg = {(r["doc_a"], r["doc_b"], r["start_a"]): r for r in _passages(path)}
    assert with_bg.keys() == plain.keys()
    for key, row in with_bg.items():
        # Each copy counts once per background copy: the df triples.
        assert row["df"] == 3 * plain[key]["df"]
        assert row["boilerplate"] == (row["df"] > 0.1 * 72)


def test_reuse_bad_record_exits_1_and_still_writes_outputs(reuse_run, tmp_path):
    corpus = _with_bad_record(tmp_path)
    path = tmp_path / "reuse.jsonl"
    code, stdout, stderr = _run(["reuse", str(corpus), "-o", str(path), "--no-progress"])
    assert code == 1 and stderr.splitlines()[1:] == ["rejected: 1 in all"]
    assert stderr.startswith(f"rejected: {corpus}:line 37: missing text field 'text'")
    assert stdout.startswith(f"read 36 documents from {corpus}; 1 rejected\n")
    assert len(_passages(path)) == len(_passages(reuse_run["path"]))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--max-edit", "1.0"], "argument --max-edit: must be a number in [0, 1) (got '1.0')"),
        (["--min-chars", "0"], "argument --min-chars: must be an integer >= 1 (got '0')"),
        (["--max-df", "0"], "argument --max-df: must be a number > 0 (got '0')"),
    ],
)
def test_bad_reuse_options_are_refused_by_argparse(extra, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["reuse", str(SAMPLE), "-o", str(tmp_path / "reuse.jsonl"), *extra])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_both_commands_are_registered():
    choices = build_parser()._subparsers._group_actions[0].choices
    assert "--representation {tfidf,terms,topics,embedding}" in choices["similarity"].format_help()
    assert "--drop-boilerplate" in choices["reuse"].format_help()
