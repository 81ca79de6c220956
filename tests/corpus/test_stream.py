"""CorpusStream: re-iterable views of JSONL and Parquet files, and ensure_reiterable."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from toolkit._validation import ensure_reiterable
from toolkit.corpus import (
    Corpus,
    CorpusFormatError,
    CorpusStream,
    DuplicateDocIdError,
    read_corpus,
    read_jsonl,
    read_parquet,
    write_jsonl,
    write_parquet,
)


@pytest.fixture(params=["jsonl", "parquet"])
def stream_path(request: pytest.FixtureRequest, tmp_path: Path, corpus: Corpus) -> Path:
    writer = write_jsonl if request.param == "jsonl" else write_parquet
    return writer(corpus, tmp_path / f"towns.{request.param}")


def _stream(path: Path, **kwargs) -> CorpusStream:
    reader = read_jsonl if path.suffix == ".jsonl" else read_parquet
    stream = reader(path, stream=True, **kwargs)
    assert isinstance(stream, CorpusStream)
    return stream


def test_stream_iterates_twice(stream_path: Path, corpus: Corpus) -> None:
    stream = _stream(stream_path)
    first = list(stream)
    second = list(stream)
    assert first == second == list(corpus)
    # Two passes may also interleave (a model comparing documents pairwise).
    pairs = [(a.doc_id, b.doc_id) for a, b in zip(stream, stream, strict=True)]
    assert pairs == [(i, i) for i in corpus.doc_ids]


def test_stream_to_corpus_equals_eager_read(stream_path: Path, corpus: Corpus) -> None:
    stream = _stream(stream_path)
    assert stream.to_corpus() == read_corpus(stream_path) == corpus
    assert read_corpus(stream_path, stream=True).to_corpus() == corpus


def test_stream_count(stream_path: Path) -> None:
    stream = _stream(stream_path)
    assert stream.count() == 6
    assert stream.count() == 6


@pytest.mark.parametrize(("size", "sizes"), [(1, [1] * 6), (4, [4, 2]), (6, [6]), (10, [6])])
def test_stream_batches(stream_path: Path, corpus: Corpus, size: int, sizes: list[int]) -> None:
    stream = _stream(stream_path)
    batches = list(stream.batches(size))
    assert [len(b) for b in batches] == sizes
    assert [d for b in batches for d in b] == list(corpus)
    assert [len(b) for b in stream.batches(size)] == sizes  # again


def test_stream_batches_pickle(stream_path: Path) -> None:
    # Batches are the unit of parallel work, so they must survive pickling.
    batch = next(_stream(stream_path).batches(3))
    assert pickle.loads(pickle.dumps(batch)) == batch


@pytest.mark.parametrize("size", [0, -2, 1.5])
def test_stream_batches_bad_size(stream_path: Path, size: object) -> None:
    with pytest.raises(ValueError, match="size must be an integer >= 1"):
        next(_stream(stream_path).batches(size))  # type: ignore[arg-type]


def test_parquet_stream_small_batches(tmp_path: Path, corpus: Corpus) -> None:
    path = write_parquet(corpus, tmp_path / "towns.parquet")
    stream = read_parquet(path, stream=True, batch_size=2)
    assert stream.batch_size == 2
    assert list(stream) == list(corpus)
    assert [d.doc_id for d in stream][-1] == "qingshi-2023-02"


def test_stream_attributes_and_repr(stream_path: Path) -> None:
    stream = _stream(stream_path)
    assert stream.path == stream_path
    assert stream.text_field == "text" and stream.id_field == "doc_id"
    assert repr(stream).startswith("CorpusStream(")
    assert repr(str(stream_path)) in repr(stream)


def test_stream_field_mapping(tmp_path: Path, records: list[dict], lines_writer) -> None:
    renamed = [{"id": r["doc_id"], "body": r["text"], "town": r["town"]} for r in records]
    path = lines_writer(tmp_path / "body.jsonl", renamed)
    stream = read_jsonl(path, stream=True, text_field="body", id_field="id")
    docs = list(stream)
    assert [d.doc_id for d in docs] == [r["doc_id"] for r in records]
    assert dict(docs[2].meta) == {"town": "青石街道"}


def test_stream_duplicate_raises_during_iteration(
    tmp_path: Path, records: list[dict], lines_writer
) -> None:
    path = lines_writer(tmp_path / "dupes.jsonl", [*records[:3], records[1], *records[3:]])
    stream = read_jsonl(path, stream=True)  # opening does not read the file
    seen = []
    with pytest.raises(
        DuplicateDocIdError,
        match=re.escape(f"{path}: doc_id must be unique; 'liuwan-2022-01' appears again"),
    ):
        for doc in stream:
            seen.append(doc.doc_id)
    assert seen == ["hetang-2022-01", "liuwan-2022-01", "qingshi-2023-01"]
    with pytest.raises(DuplicateDocIdError):
        stream.count()
    with pytest.raises(DuplicateDocIdError):
        stream.to_corpus()


def test_parquet_stream_duplicate_raises(tmp_path: Path, corpus: Corpus) -> None:
    import pandas as pd

    frame = corpus.to_pandas()[["doc_id", "text", "town"]]
    path = tmp_path / "dupes.parquet"
    pd.concat([frame, frame.iloc[[4]]]).to_parquet(path, index=False)
    with pytest.raises(DuplicateDocIdError, match="'liuwan-2023-01' appears again"):
        list(read_parquet(path, stream=True, batch_size=4))


def test_stream_bad_line_names_line(tmp_path: Path, records: list[dict], lines_writer) -> None:
    path = lines_writer(tmp_path / "bad.jsonl", [records[0], "not json", records[1]])
    stream = read_jsonl(path, stream=True)
    with pytest.raises(CorpusFormatError, match=re.escape(f"{path}:line 2: not valid JSON")):
        list(stream)


def test_stream_sees_file_changes_between_passes(
    tmp_path: Path, records: list[dict], lines_writer
) -> None:
    path = lines_writer(tmp_path / "grow.jsonl", records[:2])
    stream = read_jsonl(path, stream=True)
    assert stream.count() == 2
    lines_writer(path, records)
    assert stream.count() == 6  # each pass reopens the file


def test_stream_errors_at_creation(tmp_path: Path, corpus: Corpus) -> None:
    with pytest.raises(FileNotFoundError, match=r"missing\.jsonl"):
        read_jsonl(tmp_path / "missing.jsonl", stream=True)
    with pytest.raises(FileNotFoundError, match=r"missing\.parquet"):
        CorpusStream(tmp_path / "missing.parquet")
    csv = tmp_path / "towns.csv"
    csv.write_text("doc_id,text\na,河塘镇。\n", encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"format must be one of \{'jsonl', 'parquet'\} \(got 'csv'\)"
    ):
        CorpusStream(csv)
    path = write_jsonl(corpus, tmp_path / "towns.jsonl")
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1"):
        CorpusStream(path, batch_size=0)


def test_write_jsonl_from_a_stream(stream_path: Path, corpus: Corpus, tmp_path: Path) -> None:
    stream = _stream(stream_path)
    from_stream = write_jsonl(stream, tmp_path / "out" / "from_stream.jsonl")
    from_corpus = write_jsonl(corpus, tmp_path / "out" / "from_corpus.jsonl")
    assert from_stream.read_bytes() == from_corpus.read_bytes()
    assert read_jsonl(from_stream) == corpus


def test_write_parquet_from_a_stream(stream_path: Path, corpus: Corpus, tmp_path: Path) -> None:
    out = write_parquet(_stream(stream_path), tmp_path / "from_stream.parquet")
    assert read_parquet(out) == corpus


def test_write_jsonl_accepts_a_generator(corpus: Corpus, tmp_path: Path) -> None:
    out = write_jsonl((d for d in corpus if d.meta["year"] == 2023), tmp_path / "y2023.jsonl")
    assert read_jsonl(out) == corpus.subset(year=2023)


# ---------------------------------------------------------------------- ensure_reiterable
def test_ensure_reiterable_refuses_generators(corpus: Corpus) -> None:
    gen = (d for d in corpus)
    with pytest.raises(TypeError, match=r"documents is a one-shot iterator \(generator\)"):
        ensure_reiterable(gen, "documents")
    with pytest.raises(TypeError, match="one-shot"):
        ensure_reiterable(iter(list(corpus)), "documents")
    with pytest.raises(TypeError, match=r"one-shot iterator \(map\).*stream=True"):
        ensure_reiterable(map(str, corpus.texts), "texts")


@pytest.mark.parametrize("value", ["河塘镇地处清水县东部。", b"hetang"])
def test_ensure_reiterable_refuses_a_single_string(value: object) -> None:
    kind = type(value).__name__
    with pytest.raises(
        TypeError, match=rf"^texts must be a sequence of texts, not a single {kind}; wrap it"
    ):
        ensure_reiterable(value, "texts", what="texts")


def test_ensure_reiterable_refuses_non_iterables() -> None:
    with pytest.raises(TypeError, match=r"documents must be an iterable of documents \(got int\)"):
        ensure_reiterable(2022, "documents")


def test_ensure_reiterable_accepts_reiterables(stream_path: Path, corpus: Corpus) -> None:
    stream = _stream(stream_path)
    docs = list(corpus)
    for obj in (docs, tuple(docs), corpus, stream, corpus.texts):
        assert ensure_reiterable(obj, "documents") is obj


# ---------------------------------------------------------------------- several files
def test_stream_over_several_files(tmp_path: Path, corpus: Corpus) -> None:
    first = write_jsonl(corpus.subset(year=2022), tmp_path / "towns_2022.jsonl")
    second = write_parquet(corpus.subset(year=2023), tmp_path / "towns_2023.parquet")
    stream = CorpusStream([first, second])
    assert stream.paths == [first, second]
    assert list(stream) == list(stream) == list(corpus)
    assert stream.count() == 6
    assert [len(b) for b in stream.batches(4)] == [4, 2]  # batches cross the file boundary


def test_stream_over_several_files_numbers_on(
    tmp_path: Path, records: list[dict], lines_writer
) -> None:
    texts = [{"text": r["text"], "town": r["town"]} for r in records]
    a = lines_writer(tmp_path / "a.jsonl", texts[:4])
    b = lines_writer(tmp_path / "b.jsonl", texts[4:])
    stream = CorpusStream([a, b], id_field=None)
    assert [d.doc_id for d in stream] == [f"doc{i:04d}" for i in range(6)]
    assert read_jsonl(a, id_field=None).doc_ids == [f"doc{i:04d}" for i in range(4)]


def test_stream_duplicate_across_files_names_the_second(tmp_path: Path, corpus: Corpus) -> None:
    a = write_jsonl(corpus.subset(town="河塘镇"), tmp_path / "a.jsonl")
    b = write_jsonl(corpus.subset(year=2023), tmp_path / "b.jsonl")
    with pytest.raises(
        DuplicateDocIdError,
        match=re.escape(f"{b}: doc_id must be unique; 'hetang-2023-01' appears again"),
    ):
        list(CorpusStream([a, b]))


def test_stream_needs_a_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one"):
        CorpusStream([])
