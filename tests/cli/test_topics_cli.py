"""``tifa topics`` on the sample corpus: topics, shares, prevalence, K selection, errors.

Every fit is tiny (K <= 4, 2 passes of 30 iterations): the tests check what the
command writes, not the quality of the topics.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit import read_corpus
from toolkit.cli import main
from toolkit.cli.main import build_parser
from toolkit.dtm import split_units

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpora" / "sample" / "towns.jsonl"
SMALL_FIT = ["--passes", "2", "--iterations", "30", "--no-progress"]


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _topics(folder: Path) -> dict:
    return json.loads((folder / "topics.json").read_text(encoding="utf-8"))


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8", keep_default_na=False)


def _share_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith("topic_")]


def _counties() -> set[str]:
    return {doc.meta["county"] for doc in read_corpus(SAMPLE)}


@pytest.fixture(scope="module")
def paragraph_run(tmp_path_factory) -> dict:
    """One gensim run by paragraph, K = 3, 8 terms, prevalence by county."""
    folder = tmp_path_factory.mktemp("topics") / "out"
    argv = ["topics", str(SAMPLE), "-o", str(folder), "--k", "3", "--n", "8", "--by", "county"]
    code, stdout, stderr = _run([*argv, *SMALL_FIT, "--seed", "7"])
    return {"code": code, "stdout": stdout, "stderr": stderr, "dir": folder, "argv": argv}


@pytest.fixture(scope="module")
def range_run(tmp_path_factory) -> dict:
    """K selection over 2..4, by document, no --by, with --force into a folder holding
    stale outputs (without --force the folder is refused: issue 16 §2)."""
    folder = tmp_path_factory.mktemp("topics") / "out"
    (folder / "figures").mkdir(parents=True)
    (folder / "prevalence.csv").write_text("stale\n", encoding="utf-8")
    (folder / "figures" / "prevalence.png").write_bytes(b"stale")
    argv = ["topics", str(SAMPLE), "-o", str(folder), "--k-range", "2:4:1", "--unit", "document"]
    argv += ["--n-jobs", "2", "--force"]
    code, stdout, stderr = _run([*argv, *SMALL_FIT, "--min-df", "2"])
    return {"code": code, "stdout": stdout, "stderr": stderr, "dir": folder}


# ---------------------------------------------------------------------- topics.json
def test_topics_json_lists_k_topics_with_their_terms(paragraph_run):
    assert paragraph_run["code"] == 0 and paragraph_run["stderr"] == ""
    report = _topics(paragraph_run["dir"])
    topics = report["topics"]
    assert [t["id"] for t in topics] == ["topic_0", "topic_1", "topic_2"]
    for n, topic in enumerate(topics):
        assert len(topic["terms"]) == 8 and len(topic["relevant_terms"]) == 8
        probs = [t["probability"] for t in topic["terms"]]
        assert probs == sorted(probs, reverse=True) and all(0 < p < 1 for p in probs)
        # The label is the topic number and its three most relevant terms, as listed.
        relevant = [t["term"] for t in topic["relevant_terms"]]
        assert topic["label"] == f"T{n} " + "·".join(relevant[:3])
        # A term's probability is the same in both rankings.
        listed = {t["term"]: t["probability"] for t in topic["terms"]}
        for term in topic["relevant_terms"]:
            assert listed.get(term["term"], term["probability"]) == term["probability"]
        assert -1.0 <= topic["coherence_npmi"] <= 1.0
    assert report["model"] == {
        "k": 3,
        "backend": "gensim",
        "seed": 7,
        "iterations": 30,
        "passes": 2,
        "alpha": "symmetric",
        "eta": None,
        "covariates": None,
    }
    assert report["seed"] == 7 and report["unit"] == "paragraph"
    assert report["k_selection"] is None
    assert report["preprocessing"]["min_df"] == 5 and report["preprocessing"]["max_df"] == 0.5


def test_every_unit_is_modelled_or_listed_as_dropped(paragraph_run):
    report = _topics(paragraph_run["dir"])
    frame = _csv(paragraph_run["dir"] / "doc_topics.csv")
    units = split_units(read_corpus(SAMPLE), "paragraph")
    dropped = report["dropped"]["ids"]
    assert report["dropped"]["count"] == len(dropped) >= 1  # gumi-2023-09#p3 has no features
    assert list(frame["doc_id"]) == [u.doc_id for u in units if u.doc_id not in dropped]
    assert report["n_units"] == len(frame) == len(units) - len(dropped)
    stdout = paragraph_run["stdout"]
    assert f"{len(units)} paragraph units: {len(frame)} modelled, {len(dropped)} dropped" in stdout
    assert f"; {report['n_features']} features" in stdout


# ---------------------------------------------------------------------- doc_topics.csv
def test_doc_topics_rows_are_shares_with_their_docvars(paragraph_run):
    frame = _csv(paragraph_run["dir"] / "doc_topics.csv")
    shares = _share_columns(frame)
    assert list(frame.columns) == ["doc_id", "document", "county", *shares]
    assert shares == ["topic_0", "topic_1", "topic_2"]
    np.testing.assert_allclose(frame[shares].sum(axis=1), 1.0, atol=1e-5)
    assert (frame[shares] >= 0).all().all()
    meta = {doc.doc_id: doc.meta for doc in read_corpus(SAMPLE)}
    for row in frame.itertuples():
        assert row.doc_id.startswith(f"{row.document}#p")
        assert row.county == meta[row.document]["county"]


# ---------------------------------------------------------------------- prevalence
def test_prevalence_has_one_row_per_group_and_topic(paragraph_run):
    table = _csv(paragraph_run["dir"] / "prevalence.csv")
    assert list(table.columns) == ["county", "topic", "share", "lower", "upper", "n_documents"]
    assert set(table["county"]) == _counties()
    assert len(table) == len(_counties()) * 3
    assert not table.duplicated(["county", "topic"]).any()
    # Each share is the mean of the units' shares in doc_topics.csv.
    shares = _csv(paragraph_run["dir"] / "doc_topics.csv")
    means = shares.groupby("county")[["topic_0", "topic_1", "topic_2"]].mean()
    for row in table.itertuples():
        assert row.share == pytest.approx(means.loc[row.county, row.topic])
        assert row.lower <= row.share <= row.upper
    assert "prevalence.csv: 12 rows: 4 county x 3 topics" in paragraph_run["stdout"]


def test_every_output_is_written_and_printed(paragraph_run):
    folder = paragraph_run["dir"]
    names = ["topics.json", "doc_topics.csv", "prevalence.csv"]
    figures = ["topics.png", "prevalence.png"]
    for path in [folder / n for n in names] + [folder / "figures" / n for n in figures]:
        assert path.is_file() and path.stat().st_size > 0
        assert f"wrote {path}: " in paragraph_run["stdout"]
    assert (folder / "figures" / "topics.png").read_bytes()[:4] == b"\x89PNG"
    assert not (folder / "k_selection.csv").exists()
    assert not (folder / "covariate_effects.csv").exists()


def test_same_seed_gives_identical_files(paragraph_run, tmp_path):
    argv = [*paragraph_run["argv"], *SMALL_FIT, "--seed", "7"]
    argv[argv.index("-o") + 1] = str(tmp_path / "again")
    assert _run(argv)[0] == 0
    for name in ("topics.json", "doc_topics.csv", "prevalence.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (
            paragraph_run["dir"] / name
        ).read_bytes()


# ---------------------------------------------------------------------- --k-range
def test_k_range_fits_the_recommended_k(range_run):
    assert range_run["code"] == 0 and range_run["stderr"] == ""
    folder = range_run["dir"]
    table = _csv(folder / "k_selection.csv")
    assert list(table["k"]) == [2, 3, 4]
    assert list(table.columns) == ["k", "coherence_npmi", "exclusivity", "perplexity", "diversity"]
    # The rule of select_k, recomputed from the table.
    diverse = table[table["diversity"] >= 0.5]
    pool = diverse if len(diverse) else table
    recommended = int(pool.loc[pool["coherence_npmi"].idxmax(), "k"])
    report = _topics(folder)
    assert report["model"]["k"] == recommended == len(report["topics"])
    assert report["k_selection"]["recommended"] == recommended
    assert report["k_selection"]["range"] == "2:4:1"
    assert report["k_selection"]["k"] == [2, 3, 4]
    rule = report["k_selection"]["rule"]
    assert f"K selection over [2, 3, 4]: {rule}: K = {recommended}\n" in range_run["stdout"]
    assert len(_share_columns(_csv(folder / "doc_topics.csv"))) == recommended
    assert (folder / "figures" / "k_selection.png").is_file()
    assert f"wrote {folder / 'k_selection.csv'}: " in range_run["stdout"]


def test_document_units_without_by_skip_prevalence(range_run):
    folder = range_run["dir"]
    frame = _csv(folder / "doc_topics.csv")
    ids = [doc.doc_id for doc in read_corpus(SAMPLE)]
    assert list(frame.columns[:2]) == ["doc_id", "document"]
    assert list(frame["doc_id"]) == ids and list(frame["document"]) == ids
    np.testing.assert_allclose(frame[_share_columns(frame)].sum(axis=1), 1.0, atol=1e-5)
    assert _topics(folder)["preprocessing"]["min_df"] == 2
    # The stale prevalence outputs of an earlier run are removed, and the run says why.
    assert not (folder / "prevalence.csv").exists()
    assert not (folder / "figures" / "prevalence.png").exists()
    stdout = range_run["stdout"]
    assert f"removed {folder / 'prevalence.csv'}: left by an earlier run" in stdout
    assert stdout.rstrip().endswith(
        "no --by: prevalence.csv and figures/prevalence.png not written "
        "(pass --by FIELD, e.g. --by year, to compare topics across groups)"
    )


# ---------------------------------------------------------------------- tomotopy
def test_tomotopy_with_covariates_writes_their_effects(tmp_path):
    folder = tmp_path / "out"
    argv = ["topics", str(SAMPLE), "-o", str(folder), "--backend", "tomotopy", "--k", "3"]
    code, stdout, stderr = _run(
        [*argv, "--by", "year", "--covariates", "county", *SMALL_FIT, "--top", "5"]
    )
    assert code == 0 and stderr == ""
    report = _topics(folder)
    assert report["model"]["backend"] == "tomotopy"
    assert report["model"]["covariates"] == ["county"]
    assert all(len(t["terms"]) == 5 for t in report["topics"])
    frame = _csv(folder / "doc_topics.csv")
    assert list(frame.columns[:4]) == ["doc_id", "document", "year", "county"]
    np.testing.assert_allclose(frame[_share_columns(frame)].sum(axis=1), 1.0, atol=1e-5)
    effects = _csv(folder / "covariate_effects.csv")
    assert list(effects.columns) == ["feature", "topic_0", "topic_1", "topic_2"]
    assert list(effects["feature"]) == ["(intercept)", *sorted(f"county={c}" for c in _counties())]
    prevalence = _csv(folder / "prevalence.csv")
    years = {doc.meta["year"] for doc in read_corpus(SAMPLE)}
    assert set(prevalence["year"]) == years and len(prevalence) == 3 * len(years)
    assert f"wrote {folder / 'covariate_effects.csv'}: " in stdout


# ---------------------------------------------------------------------- rejects and errors
def test_bad_record_exits_1_and_still_writes_outputs(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    bad = json.dumps({"doc_id": "broken", "body": "没有正文字段。"}, ensure_ascii=False)
    corpus.write_text("\n".join([*lines[:12], bad]) + "\n", encoding="utf-8")
    folder = tmp_path / "out"
    argv = ["topics", str(corpus), "-o", str(folder), "--k", "2", "--unit", "document"]
    code, stdout, stderr = _run([*argv, "--min-df", "2", *SMALL_FIT])
    assert code == 1
    assert stderr.splitlines() == [
        f"rejected: {corpus}:line 13: missing text field 'text'; fields present: "
        "['body', 'doc_id']. Pass --text-field FIELD to name the field that holds the text",
        "rejected: 1 in all",
    ]
    assert stdout.startswith(f"read 12 documents from {corpus}; 1 rejected\n")
    frame = _csv(folder / "doc_topics.csv")
    assert len(frame) == 12 and "broken" not in set(frame["doc_id"])
    assert len(_topics(folder)["topics"]) == 2
    assert (folder / "figures" / "topics.png").is_file()


@pytest.mark.parametrize("value", ["5:40", "40:5:5", "a:b:c", "0:4:1", "2:4:0"])
def test_malformed_k_range_names_the_expected_form(value, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["topics", str(SAMPLE), "-o", str(tmp_path / "out"), "--k-range", value])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert (
        "argument --k-range: expected START:STOP:STEP: three integers with "
        f"1 <= START <= STOP and STEP >= 1, e.g. 5:40:5 for K = 5, 10, ..., 40 (got '{value}')"
    ) in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--k", "3", "--k-range", "2:4:1"], "argument --k-range: not allowed with argument --k"),
        (["--k", "0"], "argument --k: must be an integer >= 1 (got '0')"),
        (["--n", "none"], "argument --n/--top: must be an integer >= 1 (got 'none')"),
        (["--seed", "x"], "argument --seed: must be an integer (got 'x')"),
        (["--min-df", "2.5"], "argument --min-df: must be a count of units (integer >= 0) or "),
        (["--covariates", "county,"], "argument --covariates: expected FIELD or FIELD,FIELD"),
        (["--backend", "mallet"], "argument --backend: invalid choice: 'mallet'"),
    ],
)
def test_bad_options_are_refused_by_argparse(extra, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["topics", str(SAMPLE), "-o", str(tmp_path / "out"), *extra])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_unknown_by_names_the_available_docvars(tmp_path):
    out = tmp_path / "out"
    code, stdout, stderr = _run(["topics", str(SAMPLE), "-o", str(out), "--by", "township"])
    assert code == 2 and stdout == ""
    assert stderr == (
        "tifa topics: error: --by: no docvar named 'township'; available: ['correspondents', "
        "'county', 'date', 'document', 'kicker', 'prefecture', 'province', 'reporters', "
        "'sections', 'source', 'title', 'town', 'unit', 'year']\n"
    )
    assert not out.exists()
    # By document there are no paragraph docvars to offer.
    code, _, stderr = _run(
        ["topics", str(SAMPLE), "-o", str(out), "--by", "x", "--unit", "document"]
    )
    assert code == 2 and "'document'" not in stderr and "'unit'" not in stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--by", "kicker"],
            "--by: docvar 'kicker' is missing for 27 of 36 documents (e.g. ['shatang-2022-03', "
            "'shatang-2023-07', 'lingjiao-2022-05']); choose a field every document has",
        ),
        (
            ["--by", "reporters"],
            "--by: docvar 'reporters' holds lists or mappings (e.g. in 'shatang-2022-03'); "
            "choose a field with one value per document",
        ),
        (
            ["--covariates", "county"],
            "--covariates needs --backend tomotopy (got --backend gensim); "
            "only tomotopy fits the covariate model (DMR)",
        ),
        (
            ["--backend", "tomotopy", "--covariates", "county,shire"],
            "--covariates: no docvar named 'shire'; available: [",
        ),
    ],
)
def test_unusable_fields_exit_2_before_fitting(extra, message, tmp_path):
    code, stdout, stderr = _run(["topics", str(SAMPLE), "-o", str(tmp_path / "out"), *extra])
    assert code == 2 and stdout == ""
    assert stderr.startswith(f"tifa topics: error: {message}")
    assert len(stderr.splitlines()) == 1


def test_output_must_be_a_folder(tmp_path):
    target = tmp_path / "topics.json"
    target.write_text("{}", encoding="utf-8")
    code, _, stderr = _run(["topics", str(SAMPLE), "-o", str(target)])
    assert code == 2
    assert stderr == (
        f"tifa topics: error: -o/--output must be a folder (got the file {str(target)!r})\n"
    )


def test_topics_is_registered():
    text = build_parser().format_help()
    assert "topics" in text
    sub = build_parser()._subparsers._group_actions[0].choices["topics"]
    assert "--k-range START:STOP:STEP" in sub.format_help()
