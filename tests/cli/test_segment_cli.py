"""``tifa segment``: one {"doc_id", "tokens"} line per document, terms whole after --fit."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from toolkit import Corpus, read_jsonl, write_jsonl, write_parquet
from toolkit.cli import main

RECORDS = [
    {"doc_id": "a", "text": "沙棠镇推行“田坎工作法”，完成3720万元投资。", "town": "沙棠镇"},
    {"doc_id": "b", "text": "田坎工作法  让干部走进田间,APP下载2021年。", "town": "菱角乡"},
]


def _read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_segment_writes_tokens_per_document(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    write_jsonl(Corpus.from_records(RECORDS), corpus)
    out = tmp_path / "tokens.jsonl"
    assert main(["segment", str(corpus), "-o", str(out), "--no-builtin", "--quiet"]) == 0
    rows = _read(out)
    assert [r["doc_id"] for r in rows] == ["a", "b"]
    # Raw mode, no normalisation: the text comes back character for character.
    assert "".join(rows[1]["tokens"]) == RECORDS[1]["text"]
    assert "3720万元" in rows[0]["tokens"]
    assert "田坎工作法" not in rows[1]["tokens"]
    assert "2 documents" in capsys.readouterr().out


def test_fit_and_user_lexicon_and_analysis_mode(tmp_path):
    corpus = tmp_path / "c.parquet"
    write_parquet(Corpus.from_records(RECORDS), corpus)
    lexicon = tmp_path / "county.txt"
    lexicon.write_text("走进田间\n", encoding="utf-8")
    out = tmp_path / "tokens.jsonl"
    argv = [
        "segment", str(corpus), "-o", str(out), "--no-builtin", "--fit",
        "--lexicon", str(lexicon), "--mode", "analysis", "--n-jobs", "2", "--quiet",
    ]  # fmt: skip
    assert main(argv) == 0
    tokens_b = _read(out)[1]["tokens"]
    assert "田坎工作法" in tokens_b and "走进田间" in tokens_b
    assert not {" ", "  ", ",", "。"} & set(tokens_b)


def test_unknown_backend_is_refused_by_the_parser(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["segment", "x.jsonl", "-o", str(tmp_path / "t.jsonl"), "--backend", "jeiba"])
    assert exc.value.code == 2


# ---------------------------------------------------------------- --terms-from (issue 13)
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpora" / "sample" / "towns.jsonl"
# Planted terms of the sample corpus that no text quotes: only the detector learns them.
# (主题教育, also planted, is a word of jieba's dictionary that the sample marks in one
# title of its four documents; the corpus table wants such a word marked in half of them.)
UNQUOTED = ("联村、联户、联企、联心",)


def _segment_sample(tmp_path: Path, *how: str) -> tuple[dict[str, list[str]], str]:
    out = tmp_path / f"tokens{'_'.join(how)}.jsonl"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["segment", str(SAMPLE), "-o", str(out), "--quiet", *how]) == 0
    return {r["doc_id"]: r["tokens"] for r in _read(out)}, buffer.getvalue()


def _whole_share(tokens: dict[str, list[str]], terms: list[str]) -> float:
    """Share of the planted terms' occurrences in the sample that are one token."""
    texts = {d.doc_id: d.text for d in read_jsonl(SAMPLE)}
    whole = total = 0
    for doc_id, text in texts.items():
        bounds, pos = set(), 0
        for tok in tokens[doc_id]:
            bounds.add((pos, pos + len(tok)))
            pos += len(tok)
        for term in terms:
            start = text.find(term)
            while start >= 0:
                total += 1
                whole += (start, start + len(term)) in bounds
                start = text.find(term, start + len(term))
    return whole / total


@pytest.fixture(scope="module")
def sample_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("segment")
    return {
        "fit": _segment_sample(tmp, "--fit"),
        "quoted": _segment_sample(tmp, "--terms-from", "quoted"),
        "detector": _segment_sample(tmp, "--terms-from", "detector"),
    }


def test_terms_from_detector_keeps_unquoted_terms_whole(sample_runs):
    quoted, _ = sample_runs["quoted"]
    detector, printed = sample_runs["detector"]
    for term in UNQUOTED:
        assert not any(term in toks for toks in quoted.values()), term
        assert any(term in toks for toks in detector.values()), term
    assert "term detector's" in printed
    planted = pd.read_csv(ROOT / "corpora" / "sample" / "terms.tsv", sep="\t")["term"].tolist()
    # Measured on the sample: 0.719 with quoted terms, 0.753 with the detector.
    assert _whole_share(detector, planted) > _whole_share(quoted, planted)


def test_fit_flag_still_learns_the_quoted_terms_only(sample_runs):
    fit, printed = sample_runs["fit"]
    quoted, _ = sample_runs["quoted"]
    assert fit == quoted
    assert "quoted terms only" in printed


def test_terms_from_detector_matches_the_api(sample_runs):
    from toolkit.segment import Segmenter
    from toolkit.terms import TermDetector

    corpus = read_jsonl(SAMPLE)
    detector = TermDetector(progress=False).fit(corpus)
    seg = Segmenter(progress=False).fit(corpus, terms=detector)
    tokens, _ = sample_runs["detector"]
    assert tokens == {doc.doc_id: seg.segment_text(doc.text) for doc in corpus}


def test_terms_from_is_checked_and_recommended_in_the_help(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["segment", str(SAMPLE), "-o", str(tmp_path / "t.jsonl"), "--terms-from", "quotes"])
    assert exc.value.code == 2
    assert "invalid choice: 'quotes' (choose from 'detector', 'quoted')" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["segment", "--help"])
    assert "--terms-from detector" in " ".join(capsys.readouterr().out.split())


def test_scheduler_writes_the_bytes_of_one_process(tmp_path):
    # Issue 15: a 2-worker LocalCluster (worker processes) writes the same file.
    sample = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"
    one, dask = tmp_path / "one.jsonl", tmp_path / "dask.jsonl"
    argv = ["segment", str(sample), "--fit", "--quiet", "-o"]
    assert main([*argv, str(one)]) == 0
    assert main([*argv, str(dask), "--scheduler", "local:2"]) == 0
    assert dask.read_bytes() == one.read_bytes()
    assert len(_read(dask)) == 36


def test_a_folder_of_partitions_is_streamed_and_matches_the_file(tmp_path):
    # Issue 15: `tifa segment parts/` read the folder as a file and failed on its suffix.
    sample = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"
    docs = list(read_jsonl(sample))
    for i in range(0, len(docs), 10):
        write_parquet(docs[i : i + 10], tmp_path / "parts" / f"part.{i // 10}.parquet")
    one, parts = tmp_path / "one.jsonl", tmp_path / "parts.jsonl"
    assert main(["segment", str(sample), "--quiet", "-o", str(one)]) == 0
    assert main(["segment", str(tmp_path / "parts"), "--quiet", "-o", str(parts)]) == 0
    assert parts.read_bytes() == one.read_bytes()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("local:0", "N in 'local:N' must be a whole number >= 1 (got '0')"),
        ("dask://x:1", "scheduler must be one of 'local:N', 'tcp://HOST:PORT' (got 'dask://x:1')"),
    ],
)
def test_a_bad_scheduler_is_refused_while_parsing(tmp_path, capsys, value, message):
    with pytest.raises(SystemExit) as exc:
        main(["segment", "x.jsonl", "-o", str(tmp_path / "t.jsonl"), "--scheduler", value])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err
