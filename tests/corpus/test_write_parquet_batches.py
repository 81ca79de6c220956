"""write_parquet writes in batches with ParquetWriter (issue 15), as before for small corpora."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from toolkit.corpus import (
    Corpus,
    CorpusFormatError,
    CorpusStream,
    Document,
    read_corpus,
    read_parquet,
    write_jsonl,
    write_parquet,
)

SAMPLE = Path(__file__).parents[2] / "corpora" / "sample" / "towns.jsonl"


@pytest.fixture(scope="module")
def sample() -> Corpus:
    return read_corpus(SAMPLE)


def _unbatched(corpus: Corpus, path: Path) -> Path:
    """write_parquet as it was before issue 15: the whole corpus as one table."""
    records = corpus.to_records()
    keys = list(dict.fromkeys(k for rec in records for k in rec))
    pq.write_table(pa.table({k: [rec.get(k) for rec in records] for k in keys}), path)
    return path


def test_small_corpus_bytes_unchanged(tmp_path: Path, sample: Corpus) -> None:
    before = _unbatched(sample, tmp_path / "before.parquet")
    after = write_parquet(sample, tmp_path / "after.parquet")
    assert after.read_bytes() == before.read_bytes()
    assert pq.ParquetFile(after).schema_arrow.names[:3] == ["doc_id", "text", "province"]


def test_empty_corpus_bytes_unchanged(tmp_path: Path) -> None:
    before = _unbatched(Corpus(), tmp_path / "before.parquet")
    assert write_parquet([], tmp_path / "after.parquet").read_bytes() == before.read_bytes()


@pytest.mark.parametrize(("size", "groups"), [(5, 8), (12, 3), (36, 1), (100, 1)])
def test_batches_are_row_groups_and_read_back(
    tmp_path: Path, sample: Corpus, size: int, groups: int
) -> None:
    path = write_parquet(iter(sample), tmp_path / "towns.parquet", batch_size=size)
    assert pq.ParquetFile(path).metadata.num_row_groups == groups
    assert read_parquet(path) == sample
    assert list(read_parquet(path, stream=True, batch_size=7)) == list(sample)


def test_stream_of_partitions_to_one_file(tmp_path: Path, sample: Corpus) -> None:
    folder = tmp_path / "parts"
    for n in range(4):
        write_jsonl(sample[n * 9 : (n + 1) * 9], folder / f"part.{n}.jsonl")
    path = write_parquet(CorpusStream(folder), tmp_path / "towns.parquet", batch_size=9)
    assert read_parquet(path) == sample


def test_later_batch_fills_absent_fields_and_empty_lists(tmp_path: Path) -> None:
    # A later batch's absent field is null, and its empty list (list<null> on its
    # own) takes the first batch's type. The reverse, a type first known in a later
    # batch, is refused below.
    docs = [
        Document("a", "河塘镇。", {"year": 2022, "tags": ["河长制"], "kicker": "乡村振兴"}),
        Document("b", "柳湾乡。", {"year": 2023, "tags": []}),
    ]
    path = write_parquet(docs, tmp_path / "two.parquet", batch_size=1)
    assert list(read_parquet(path)) == docs


def test_field_first_seen_in_a_later_batch_is_refused(tmp_path: Path) -> None:
    docs = [Document(f"d{i}", "河塘镇。", {"year": 2022}) for i in range(5)]
    docs.append(Document("d5", "柳湾乡。", {"year": 2022, "kicker": "乡村振兴"}))
    path = tmp_path / "late.parquet"
    with pytest.raises(
        CorpusFormatError,
        match=re.escape(
            f"{path}: field 'kicker' first appears in document 5, after the first batch "
            "fixed the file's columns; pass a batch_size= of at least 5 (got 4), "
            "or write JSONL instead"
        ),
    ):
        write_parquet(docs, path, batch_size=4)
    assert list(tmp_path.iterdir()) == []  # nothing half-written
    assert read_parquet(write_parquet(docs, path, batch_size=6)) == Corpus(docs)


def test_type_change_in_a_later_batch_is_refused(tmp_path: Path) -> None:
    docs = [
        Document("a", "河塘镇。", {"year": 2022}),
        Document("b", "柳湾乡。", {"year": "二〇二二年"}),
    ]
    path = tmp_path / "mixed.parquet"
    with pytest.raises(
        CorpusFormatError,
        match=r"the documents from 2 on do not fit the column types the first batch fixed "
        r"\(.*\); give each field one type, pass a larger batch_size= \(got 1\)",
    ):
        write_parquet(docs, path, batch_size=1)
    assert list(tmp_path.iterdir()) == []
    # A list empty throughout the first batch has no item type that later lists could fit.
    empty_first = [
        Document("a", "河塘镇。", {"tags": []}),
        Document("b", "柳湾乡。", {"tags": ["河长制"]}),
    ]
    with pytest.raises(CorpusFormatError, match="the documents from 2 on do not fit"):
        write_parquet(empty_first, path, batch_size=1)
    assert read_parquet(write_parquet(empty_first, path)) == Corpus(empty_first)


def test_failed_write_keeps_the_old_file(tmp_path: Path, sample: Corpus) -> None:
    path = write_parquet(sample, tmp_path / "towns.parquet")
    before = path.read_bytes()

    def broken():
        yield from sample[:3]
        raise OSError("disk went away")

    with pytest.raises(OSError, match="disk went away"):
        write_parquet(broken(), path, batch_size=2)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["towns.parquet"]


@pytest.mark.parametrize("size", [0, -1, 2.5])
def test_batch_size_must_be_positive(tmp_path: Path, size: object) -> None:
    with pytest.raises(ValueError, match=rf"batch_size must be an integer >= 1 \(got {size}\)"):
        write_parquet([], tmp_path / "x.parquet", batch_size=size)  # type: ignore[arg-type]
