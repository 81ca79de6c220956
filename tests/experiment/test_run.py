"""run(): output layout, byte-identical reruns, rejects, manifest and failures."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.experiment import ANALYSES, RunContext, analysis_options, load_config, run


def _files(run_dir: Path, pattern: str) -> dict[str, bytes]:
    return {p.relative_to(run_dir).as_posix(): p.read_bytes() for p in run_dir.glob(pattern)}


def test_layout(experiment, tmp_path):
    result = run(experiment, output_root=tmp_path / "out", run_id="r1", progress=False)
    assert result.run_dir == tmp_path / "out" / "r1"
    names = sorted(p.relative_to(result.run_dir).as_posix() for p in result.run_dir.rglob("*"))
    assert names == [
        "figures",
        "figures/counts_by_county.png",
        "figures/counts_by_county.svg",
        "figures/counts_by_town.png",
        "figures/counts_by_town.svg",
        "manifest.json",
        "metrics.json",
        "rejected.csv",
        "report.html",
        "tables",
        "tables/counts_by_county.csv",
        "tables/counts_by_town.csv",
    ]
    assert [p.name for p in result.tables] == ["counts_by_town.csv", "counts_by_county.csv"]
    assert len(result.figures) == 4
    assert result.manifest_path == result.run_dir / "manifest.json"
    assert result.rejected == []


def test_tables_and_metrics(experiment, tmp_path):
    result = run(experiment, output_root=tmp_path, run_id="r", progress=False)
    towns = pd.read_csv(result.run_dir / "tables" / "counts_by_town.csv", index_col="town")
    assert list(towns.columns) == ["documents", "characters"]
    assert list(towns.index) == sorted(towns.index)  # sorted by label, deterministic
    assert towns.loc["河塘镇", "documents"] == 3  # two table records and one page article
    assert towns.loc["柳湾街道", "documents"] == 1
    counties = pd.read_csv(result.run_dir / "tables" / "counts_by_county.csv", index_col=0)
    assert counties["documents"].to_dict() == {"白鹭区": 1, "青川县": 4}
    assert counties["characters"].sum() == result.metrics["n_characters"]

    metrics = json.loads((result.run_dir / "metrics.json").read_text(encoding="utf-8"))
    assert metrics == result.metrics
    assert metrics["n_documents"] == 5
    assert metrics["n_rejected"] == 0
    assert metrics["n_groups_by_town"] == 3
    assert metrics["n_groups_by_county"] == 2
    assert metrics["n_missing_by_town"] == 0
    text = (result.run_dir / "metrics.json").read_text(encoding="utf-8")
    assert text == json.dumps(metrics, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_two_runs_give_identical_bytes(experiment, tmp_path):
    first = run(experiment, output_root=tmp_path, run_id="a", progress=False)
    second = run(experiment, output_root=tmp_path, run_id="b", progress=False)
    for pattern in ("tables/*.csv", "metrics.json", "rejected.csv", "figures/*", "report.html"):
        one, two = _files(first.run_dir, pattern), _files(second.run_dir, pattern)
        assert one, pattern
        assert one == two, pattern
    m1 = json.loads(first.manifest_path.read_text(encoding="utf-8"))
    m2 = json.loads(second.manifest_path.read_text(encoding="utf-8"))
    assert m1["corpus_sha256"] == m2["corpus_sha256"]
    assert m1["outputs"] == m2["outputs"]


def test_corpus_hash_does_not_depend_on_where_the_checkout_lives(experiment, tmp_path):
    moved = tmp_path / "elsewhere" / "tiny"
    shutil.copytree(experiment.parent, moved)
    here = run(experiment, output_root=tmp_path / "o1", progress=False)
    there = run(moved, output_root=tmp_path / "o2", progress=False)
    hashes = [json.loads(r.manifest_path.read_text())["corpus_sha256"] for r in (here, there)]
    assert hashes[0] == hashes[1]


def test_manifest(experiment, tmp_path):
    result = run(experiment, output_root=tmp_path, run_id="m", progress=False)
    manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
    assert manifest["run_id"] == "m"
    assert manifest["status"] == "completed"
    assert manifest["error"] is None
    assert manifest["config"] == load_config(experiment).to_dict()
    assert manifest["config_path"] == str(experiment.resolve())
    assert manifest["seed"] == 7
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["corpus_sha256"])
    assert manifest["n_documents"] == 5
    versions = manifest["packages"]
    for name in ("python", "tifa-toolkit", "matplotlib", "pandas", "numpy", "pyarrow"):
        assert isinstance(versions[name], str), name
    assert {"jieba", "spacy", "scikit-learn", "gensim"} <= set(versions)
    # Every package a run imports, read from the distribution's own requirements.
    used = {"rjieba", "tomotopy", "scipy", "rapidfuzz", "ahocorasick-rs", "charset-normalizer"}
    assert {name: versions.get(name) is not None for name in used} == dict.fromkeys(used, True)
    assert "pytest" not in versions  # test tools are not what a run uses
    apis = {library["internal_api"] for library in manifest["blas"]}
    assert apis & {"openblas", "mkl", "blis", "accelerate"}, manifest["blas"]
    assert manifest["started_at"] <= manifest["finished_at"]
    assert manifest["started_at"].endswith("+00:00")
    listed = {f["path"]: f["sha256"] for f in manifest["outputs"]}
    on_disk = sorted(
        p.relative_to(result.run_dir).as_posix()
        for p in result.run_dir.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    )
    assert sorted(listed) == on_disk
    import hashlib

    metrics_hash = hashlib.sha256((result.run_dir / "metrics.json").read_bytes()).hexdigest()
    assert listed["metrics.json"] == metrics_hash
    text = result.manifest_path.read_text(encoding="utf-8")
    assert text == json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_manifest_outside_git_has_null_commit(experiment, tmp_path):
    if (
        subprocess.run(["git", "-C", str(tmp_path), "rev-parse"], capture_output=True).returncode
        == 0
    ):
        pytest.skip("tmp_path is inside a git checkout")
    manifest = json.loads(
        run(experiment, output_root=tmp_path, progress=False).manifest_path.read_text()
    )
    assert manifest["git_commit"] is None
    assert manifest["git_dirty"] is None


def test_manifest_in_git_records_commit_and_dirty(experiment, tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    repo = experiment.parent

    def git(*args):
        return subprocess.run(
            ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "init")
    head = git("rev-parse", "HEAD")
    clean = run(experiment, output_root=tmp_path / "out", progress=False)
    manifest = json.loads(clean.manifest_path.read_text())
    assert manifest["git_commit"] == head
    assert manifest["git_dirty"] is False
    (repo / "notes.txt").write_text("x", encoding="utf-8")
    dirty = run(experiment, output_root=tmp_path / "out", progress=False)
    assert json.loads(dirty.manifest_path.read_text())["git_dirty"] is True


def test_default_location_and_run_id(experiment):
    result = run(experiment, progress=False)
    assert result.run_dir.parent == experiment.parent / "outputs"
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{8}", result.run_dir.name)


def test_existing_run_folder_is_never_reused(experiment, tmp_path):
    dirs = [
        run(experiment, output_root=tmp_path, run_id="same", progress=False).run_dir
        for _ in range(3)
    ]
    assert [d.name for d in dirs] == ["same", "same-2", "same-3"]


@pytest.mark.parametrize("bad", ["", "../up", "a/b", ".hidden", "名字"])
def test_bad_run_id_is_refused(experiment, tmp_path, bad):
    with pytest.raises(ValueError, match="run_id must be a folder name"):
        run(experiment, output_root=tmp_path, run_id=bad, progress=False)


def test_rejected_csv_has_a_header_even_when_empty(experiment, tmp_path):
    result = run(experiment, output_root=tmp_path, run_id="r", progress=False)
    # UTF-8 with a byte-order mark, as every CSV table, for Excel (issue 16 §2).
    text = (result.run_dir / "rejected.csv").read_text(encoding="utf-8")
    assert text == "\ufeffsource,location,reason\n"


def test_rejected_inputs_are_listed(experiment, tmp_path):
    pages = experiment.parent / "data" / "pages"
    (pages / "photo.txt").write_bytes(b"\x00\x01\x02\xff" * 64)
    (pages / "empty.txt").touch()
    result = run(experiment, output_root=tmp_path, run_id="r", progress=False)
    assert len(result.rejected) == 2
    with (result.run_dir / "rejected.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["source"] for r in rows) == [
        "data/pages/empty.txt",  # relative to the config's folder, like its inputs
        "data/pages/photo.txt",
    ]
    assert all(r["reason"] for r in rows)
    assert result.metrics["n_rejected"] == 2
    assert result.metrics["n_documents"] == 5


def test_missing_input_fails_before_writing(experiment, tmp_path):
    (experiment.parent / "data" / "towns.jsonl").unlink()
    with pytest.raises(FileNotFoundError, match=r"input 'data/towns\.jsonl' not found"):
        run(experiment, output_root=tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


def test_failed_analysis_leaves_a_failed_manifest(experiment, tmp_path):
    text = experiment.read_text(encoding="utf-8").replace('"county"]', '"village"]')
    experiment.write_text(text, encoding="utf-8")
    with pytest.raises(KeyError, match="by field 'village' is not a docvar"):
        run(experiment, output_root=tmp_path, run_id="f", progress=False)
    manifest = json.loads((tmp_path / "f" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "failed"
    assert "village" in manifest["error"]
    assert (tmp_path / "f" / "rejected.csv").is_file()
    # The run did not complete, and its folder says so (issue 16 §3).
    assert (tmp_path / "f" / "INCOMPLETE").is_file()
    assert "INCOMPLETE" not in {entry["path"] for entry in manifest["outputs"]}


def test_no_documents_is_an_error_with_rejects_written(tmp_path):
    folder = tmp_path / "exp"
    folder.mkdir()
    (folder / "blank.txt").touch()
    (folder / "config.toml").write_text(
        'name = "blank"\n[corpus]\ninputs = ["blank.txt"]\n', encoding="utf-8"
    )
    with pytest.raises(ValueError, match="no documents were read"):
        run(folder, output_root=tmp_path / "out", run_id="b", progress=False)
    rows = (tmp_path / "out" / "b" / "rejected.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 2


def test_repeated_output_is_refused(experiment, tmp_path):
    text = experiment.read_text(encoding="utf-8")
    experiment.write_text(text + '\n[[analysis]]\nkind = "corpus_overview"\nby = ["town"]\n')
    with pytest.raises(FileExistsError, match=r"'tables/counts_by_town\.csv' was already written"):
        run(experiment, output_root=tmp_path, progress=False)


def test_a_new_kind_is_one_function_and_one_registry_line(experiment, tmp_path, monkeypatch):
    @analysis_options(n=3)
    def draws(corpus, options, ctx: RunContext) -> None:
        values = ctx.rng.integers(0, 1_000_000, size=options["n"])
        ctx.add_metric("draws", values)
        ctx.add_metric("seed_seen", ctx.seed)

    monkeypatch.setitem(ANALYSES, "draws", draws)
    text = experiment.read_text(encoding="utf-8")
    experiment.write_text(text + '\n[[analysis]]\nkind = "draws"\nn = 4\n', encoding="utf-8")
    one = run(experiment, output_root=tmp_path, progress=False)
    two = run(experiment, output_root=tmp_path, progress=False)
    expected = np.random.default_rng(7).integers(0, 1_000_000, size=4).tolist()
    assert one.metrics["draws"] == two.metrics["draws"] == expected
    assert one.metrics["seed_seen"] == 7


def test_rng_is_fresh_for_each_analysis(tmp_path):
    ctx = RunContext(tmp_path, 11)
    first = ctx.rng.random(3)
    ctx.reset_rng()
    assert np.array_equal(ctx.rng.random(3), first)


def test_metric_conflicts_are_refused(tmp_path):
    ctx = RunContext(tmp_path, 0)
    ctx.add_metric("n_documents", np.int64(5))
    ctx.add_metric("n_documents", 5)
    assert ctx.metrics == {"n_documents": 5}
    with pytest.raises(ValueError, match="metric 'n_documents' is already 5"):
        ctx.add_metric("n_documents", 6)
    with pytest.raises(ValueError, match="finite"):
        ctx.add_metric("ratio", float("nan"))


FLAGSHIP = Path(__file__).resolve().parents[2] / "experiments" / "flagship"


def test_flagship_runs_on_the_sample_corpus(tmp_path):
    config = load_config(FLAGSHIP)
    missing = [p for p in config.input_paths() if not p.exists()]
    if missing:
        pytest.skip(f"sample corpus not present: {missing}")
    result = run(FLAGSHIP, output_root=tmp_path, run_id="flagship", progress=False)
    assert result.metrics["n_documents"] > 0
    assert {p.name for p in result.tables} == {
        "counts_by_town.csv",
        "counts_by_county.csv",
        "town_top_terms.csv",
        "terms.csv",
        "topics.csv",
        "doc_topics.csv",
        "topic_prevalence_town.csv",
        "topic_prevalence_year.csv",
        "town_similarity.csv",
        "town_neighbors.csv",
        "reuse_passages.csv",
        "reuse_network.csv",
    }
