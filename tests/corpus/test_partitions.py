"""CorpusStream over folders of JSONL or Parquet partitions and glob patterns (issue 15)."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest

from toolkit.corpus import (
    Corpus,
    CorpusStream,
    DuplicateDocIdError,
    Rejection,
    read_corpus,
    write_jsonl,
    write_parquet,
)
from toolkit.corpus.io import expand_partitions, is_partitioned

SAMPLE = Path(__file__).parents[2] / "corpora" / "sample" / "towns.jsonl"


def _partition(corpus: Corpus, folder: Path, *, size: int, fmt: str, name: str = "part") -> Path:
    """Write ``corpus`` as partitions of ``size`` documents: part.0, part.1, ... part.N."""
    folder.mkdir(parents=True, exist_ok=True)
    writer = write_jsonl if fmt == "jsonl" else write_parquet
    for n, start in enumerate(range(0, len(corpus), size)):
        writer(corpus[start : start + size], folder / f"{name}.{n}.{fmt}")
    return folder


@pytest.fixture(scope="module")
def sample() -> Corpus:
    return read_corpus(SAMPLE)


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_folder_of_partitions_reads_the_sample_in_order(
    tmp_path: Path, sample: Corpus, fmt: str
) -> None:
    # 12 partitions: lexical order would read part.10 before part.2.
    size = -(-len(sample) // 12)
    folder = _partition(sample, tmp_path / "parts", size=size, fmt=fmt)
    assert len(list(folder.iterdir())) == 12
    stream = CorpusStream(folder)
    assert [p.name for p in stream.paths] == [f"part.{n}.{fmt}" for n in range(12)]
    assert list(stream) == list(stream) == list(sample)
    assert stream.to_corpus() == sample
    assert read_corpus(folder) == sample
    assert list(read_corpus(folder, stream=True)) == list(sample)


def test_glob_pattern(tmp_path: Path, sample: Corpus) -> None:
    folder = _partition(sample, tmp_path / "parts", size=10, fmt="parquet")
    write_jsonl(sample[:3], folder / "extra.jsonl")  # not matched by the pattern
    stream = CorpusStream(str(folder / "*.parquet"))
    assert all(p.suffix == ".parquet" for p in stream.paths)
    assert list(stream) == list(sample)
    assert read_corpus(str(folder / "part.*")) == sample


def test_recursive_glob_and_relative_pattern(
    tmp_path: Path, sample: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    _partition(sample[:20], tmp_path / "year=2022", size=7, fmt="parquet")
    _partition(sample[20:], tmp_path / "year=2023", size=7, fmt="jsonl")
    monkeypatch.chdir(tmp_path)
    stream = CorpusStream("**/part.*")
    assert list(stream) == list(sample)


def test_folder_mixes_formats_and_skips_metadata_files(tmp_path: Path, sample: Corpus) -> None:
    folder = tmp_path / "parts"
    folder.mkdir()
    write_parquet(sample[:10], folder / "a.parquet")
    write_jsonl(sample[10:], folder / "b.jsonl")
    (folder / "_metadata").write_bytes(b"dask metadata")
    (folder / "_SUCCESS").write_text("")
    (folder / ".a.parquet.crc").write_text("")
    (folder / "README.md").write_text("partitions")
    (folder / "sub").mkdir()
    write_jsonl(sample[:1], folder / "sub" / "c.jsonl")  # a subfolder is not read
    stream = CorpusStream(folder)
    assert [p.name for p in stream.paths] == ["a.parquet", "b.jsonl"]
    assert stream.to_corpus() == sample


def test_files_and_folders_together(tmp_path: Path, sample: Corpus) -> None:
    first = write_jsonl(sample[:5], tmp_path / "first.jsonl")
    folder = _partition(sample[5:], tmp_path / "rest", size=8, fmt="parquet")
    assert list(CorpusStream([first, folder])) == list(sample)


def test_numbering_continues_across_partitions(tmp_path: Path, sample: Corpus) -> None:
    folder = tmp_path / "parts"
    folder.mkdir()
    for n, start in enumerate(range(0, 9, 4)):
        part = sample[:9][start : start + 4]
        lines = [json.dumps({"text": d.text}, ensure_ascii=False) for d in part]
        (folder / f"part.{n}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    stream = CorpusStream(folder, id_field=None)
    assert [d.doc_id for d in stream] == [f"doc{i:04d}" for i in range(9)]


def test_duplicate_across_partitions_names_the_file(tmp_path: Path, sample: Corpus) -> None:
    folder = _partition(sample[:6], tmp_path / "parts", size=3, fmt="jsonl")
    write_jsonl(sample[2:3], folder / "part.2.jsonl")
    dupe = sample[2].doc_id
    with pytest.raises(
        DuplicateDocIdError,
        match=re.escape(f"{folder / 'part.2.jsonl'}: doc_id must be unique; {dupe!r}"),
    ):
        list(CorpusStream(folder))


def test_file_list_is_fixed_at_creation(tmp_path: Path, sample: Corpus) -> None:
    # Two-pass algorithms must read the same files in both passes.
    folder = _partition(sample[:6], tmp_path / "parts", size=3, fmt="jsonl")
    stream = CorpusStream(folder)
    write_jsonl(sample[6:9], folder / "part.9.jsonl")
    assert stream.count() == 6
    assert CorpusStream(folder).count() == 9


def test_stream_of_partitions_pickles(tmp_path: Path, sample: Corpus) -> None:
    folder = _partition(sample, tmp_path / "parts", size=10, fmt="parquet")
    stream = pickle.loads(pickle.dumps(CorpusStream(folder)))
    assert list(stream) == list(sample)


def test_empty_folder_and_unmatched_pattern(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("nothing")
    with pytest.raises(
        FileNotFoundError,
        match=re.escape(
            f"path: the folder {str(tmp_path / 'empty')!r} holds no corpus files; "
            "expected names ending in .jsonl, .ndjson, .parquet (not starting with '_' or '.')"
        ),
    ):
        CorpusStream(tmp_path / "empty")
    pattern = str(tmp_path / "nowhere" / "*.parquet")
    with pytest.raises(FileNotFoundError, match=re.escape(f"the pattern {pattern!r} holds")):
        read_corpus(pattern, stream=True)


def test_read_corpus_on_a_folder_collects_rejected_and_refuses_other_formats(
    tmp_path: Path, sample: Corpus
) -> None:
    folder = _partition(sample[:6], tmp_path / "parts", size=3, fmt="jsonl")
    write_parquet(sample[6:8], folder / "part.9.parquet")
    broken = _partition(sample[:6], tmp_path / "broken", size=3, fmt="jsonl")
    with (broken / "part.0.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"doc_id": "cut", "text": "第三\n')
    rejected: list[Rejection] = []
    assert len(read_corpus(broken, rejected=rejected)) == 6
    assert [(Path(r.source).name, r.location) for r in rejected] == [("part.0.jsonl", "line 4")]
    with pytest.raises(ValueError, match=r"format must be one of \{'auto', 'jsonl', 'parquet'\}"):
        read_corpus(folder, format="csv")
    with pytest.raises(ValueError, match=r"format='jsonl', but .* also holds other files"):
        read_corpus(folder, format="jsonl")
    assert len(read_corpus(folder, format="auto")) == 8


def test_is_partitioned_and_expand(tmp_path: Path, sample: Corpus) -> None:
    one = write_jsonl(sample[:2], tmp_path / "one.jsonl")
    assert not is_partitioned(one)
    assert is_partitioned(tmp_path)
    assert is_partitioned(str(tmp_path / "*.jsonl"))
    assert expand_partitions(one) == [one]
    assert expand_partitions(str(tmp_path / "*.jsonl")) == [one]
