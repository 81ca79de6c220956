"""Corpus model: Document, Corpus (docvars table), readers, writers and streams."""

from toolkit.corpus.corpus import Corpus
from toolkit.corpus.document import Document
from toolkit.corpus.errors import CorpusFormatError, DuplicateDocIdError, Rejection
from toolkit.corpus.io import (
    FORMATS,
    CorpusStream,
    infer_format,
    read_corpus,
    read_csv,
    read_jsonl,
    read_parquet,
    write_corpus,
    write_csv,
    write_jsonl,
    write_parquet,
)

__all__ = [
    "FORMATS",
    "Corpus",
    "CorpusFormatError",
    "CorpusStream",
    "Document",
    "DuplicateDocIdError",
    "Rejection",
    "infer_format",
    "read_corpus",
    "read_csv",
    "read_jsonl",
    "read_parquet",
    "write_corpus",
    "write_csv",
    "write_jsonl",
    "write_parquet",
]
