"""``tifa dtm`` on the sample corpus: the API's matrix, three files, errors (issue 15)."""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from toolkit import DocTermMatrix, Segmenter, read_corpus
from toolkit.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpora" / "sample" / "towns.jsonl"


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _tsv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", encoding="utf-8", keep_default_na=False)


@pytest.fixture(scope="module")
def expected() -> DocTermMatrix:
    segmenter = Segmenter(progress=False)
    return DocTermMatrix.from_corpus(read_corpus(SAMPLE), segmenter=segmenter, min_df=2)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("dtm") / "counts.npz"
    code, stdout, stderr = _run(["dtm", str(SAMPLE), "-o", str(out), "--min-df", "2", "--quiet"])
    return {"code": code, "stdout": stdout, "stderr": stderr, "npz": out}


def test_the_matrix_is_from_corpus(written: dict, expected: DocTermMatrix) -> None:
    assert written["code"] == 0
    assert written["stderr"] == ""
    counts = sp.load_npz(written["npz"])
    assert counts.dtype == np.int64
    assert (counts != expected.counts).nnz == 0
    assert counts.shape == expected.shape == (36, 1408)


def test_vocabulary_and_rows_files_name_every_column_and_row(
    written: dict, expected: DocTermMatrix
) -> None:
    folder = written["npz"].parent
    vocab = _tsv(folder / "counts.vocab.tsv")
    assert list(vocab.columns) == ["column", "term", "doc_freq"]
    assert vocab["column"].tolist() == list(range(expected.shape[1]))
    assert vocab["term"].tolist() == expected.feature_names  # "\n" too: quoted in the TSV
    doc_freq = np.asarray((expected.counts > 0).sum(axis=0)).ravel()
    assert vocab["doc_freq"].tolist() == doc_freq.tolist()
    assert vocab["doc_freq"].min() == 2
    rows = _tsv(folder / "counts.docs.tsv")
    assert list(rows.columns) == ["row", "doc_id"]
    assert rows["doc_id"].tolist() == expected.doc_ids


def test_the_npz_holds_plain_arrays_and_fixed_time_stamps(written: dict) -> None:
    with np.load(written["npz"], allow_pickle=False) as arrays:
        assert sorted(arrays.files) == ["data", "format", "indices", "indptr", "shape"]
        assert arrays["shape"].tolist() == [36, 1408]
    with zipfile.ZipFile(written["npz"]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_it_says_what_it_wrote(written: dict) -> None:
    npz = written["npz"]
    assert written["stdout"].splitlines() == [
        f"read 36 documents from {SAMPLE}; 0 rejected",
        f"wrote {npz}: 36 documents x 1408 features, 7026 non-zero counts",
        f"wrote {npz.parent / 'counts.vocab.tsv'}: 1408 features (column, term, doc_freq)",
        f"wrote {npz.parent / 'counts.docs.tsv'}: 36 rows (row, doc_id)",
    ]


def test_by_sums_the_rows_of_each_unit(tmp_path: Path) -> None:
    out = tmp_path / "towns.npz"
    vocab, docs = tmp_path / "v.tsv", tmp_path / "d.tsv"
    argv = ["dtm", str(SAMPLE), "-o", str(out), "--by", "town", "--quiet"]
    assert _run([*argv, "--vocab", str(vocab), "--docs", str(docs)])[0] == 0
    expected = DocTermMatrix.from_corpus(read_corpus(SAMPLE), segmenter=Segmenter(progress=False))
    grouped = expected.group("town")
    assert (sp.load_npz(out) != grouped.counts).nnz == 0
    rows = _tsv(docs)
    assert list(rows.columns) == ["row", "town", "n_documents"]
    assert rows["town"].tolist() == grouped.doc_ids
    assert rows["n_documents"].sum() == 36
    # doc_freq counts documents, not towns
    doc_freq = np.asarray((expected.counts > 0).sum(axis=0)).ravel()
    assert _tsv(vocab)["doc_freq"].tolist() == doc_freq.tolist()


def test_n_features_hashes_as_from_corpus(tmp_path: Path) -> None:
    out = tmp_path / "hashed.npz"
    assert _run(["dtm", str(SAMPLE), "-o", str(out), "--n-features", "64", "--quiet"])[0] == 0
    expected = DocTermMatrix.from_corpus(
        read_corpus(SAMPLE), segmenter=Segmenter(progress=False), n_features=64
    )
    assert (sp.load_npz(out) != expected.counts).nnz == 0
    assert _tsv(tmp_path / "hashed.vocab.tsv")["term"].tolist() == [f"#{j}" for j in range(64)]


@pytest.mark.parametrize(
    "options", [["--min-df", "2"], ["--n-features", "64", "--by", "county"]], ids=["vocab", "hash"]
)
def test_scheduler_writes_the_bytes_of_one_process(tmp_path: Path, options: list[str]) -> None:
    # Issue 15: a 2-worker LocalCluster (worker processes) writes the same three files.
    one, dask = tmp_path / "one" / "m.npz", tmp_path / "dask" / "m.npz"
    argv = ["dtm", str(SAMPLE), *options, "--quiet", "-o"]
    assert _run([*argv, str(one)])[0] == 0
    assert _run([*argv, str(dask), "--scheduler", "local:2"])[0] == 0
    for name in ("m.npz", "m.vocab.tsv", "m.docs.tsv"):
        assert (dask.parent / name).read_bytes() == (one.parent / name).read_bytes(), name


def test_rejected_records_exit_1_and_the_good_ones_are_counted(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    bad = json.dumps({"doc_id": "broken", "body": "没有正文字段。"}, ensure_ascii=False)
    corpus.write_text("\n".join([*lines, bad]) + "\n", encoding="utf-8")
    code, stdout, stderr = _run(["dtm", str(corpus), "-o", str(tmp_path / "m.npz"), "--quiet"])
    assert code == 1
    assert stderr.startswith(f"rejected: {corpus}:line 37: missing text field 'text'")
    assert stdout.startswith(f"read 36 documents from {corpus}; 1 rejected\n")
    assert sp.load_npz(tmp_path / "m.npz").shape[0] == 36


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--n-features", "64", "--min-df", "2"],
            "tifa dtm: error: --min-df prunes a learned vocabulary; with --n-features there "
            "is none (got --min-df 2, --n-features 64)",
        ),
        (
            ["--by", "village"],
            "tifa dtm: error: --by: no docvar named 'village'; available: ['correspondents', "
            "'county', 'date', 'kicker', 'prefecture', 'province', 'reporters', 'sections', "
            "'source', 'title', 'town', 'year']",
        ),
        (
            ["--vocab", "{out}"],
            "tifa dtm: error: -o/--output, --vocab and --docs must be three files",
        ),
    ],
    ids=["hash-and-prune", "unknown-by", "same-file"],
)
def test_usage_errors_exit_2_and_name_the_flag(
    tmp_path: Path, options: list[str], message: str
) -> None:
    out = str(tmp_path / "m.npz")
    argv = ["dtm", str(SAMPLE), "-o", out, "--quiet", *(o.format(out=out) for o in options)]
    code, _, stderr = _run(argv)
    assert code == 2
    assert stderr.startswith(message)
    assert not (tmp_path / "m.npz").exists()


def test_output_must_be_an_npz_file(tmp_path: Path) -> None:
    code, _, stderr = _run(["dtm", str(SAMPLE), "-o", str(tmp_path / "m.csv")])
    assert code == 2
    assert stderr == f"tifa dtm: error: -o/--output must be a .npz file (got '{tmp_path}/m.csv')\n"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--scheduler", "local:0", "N in 'local:N' must be a whole number >= 1 (got '0')"),
        ("--n-features", "0", "argument --n-features: must be an integer >= 1 (got '0')"),
        ("--min-df", "1.5", "argument --min-df: must be a count of units (integer >= 0)"),
    ],
)
def test_bad_values_are_refused_while_parsing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["dtm", str(SAMPLE), "-o", str(tmp_path / "m.npz"), option, value])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err
