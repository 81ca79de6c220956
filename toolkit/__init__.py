"""tifa-toolkit: computational analysis of Chinese policy language (提法).

Data flows one way: ingest → corpus → normalize → segment → terms → dtm →
topics / similarity → plot. The names below are the public API; the
subpackages (``toolkit.normalize``, ``toolkit.plot``, ``toolkit.experiment``)
hold the rest.
"""

from importlib.metadata import PackageNotFoundError, version

from toolkit.corpus import (
    Corpus,
    CorpusFormatError,
    CorpusStream,
    Document,
    DuplicateDocIdError,
    Rejection,
    read_corpus,
    read_csv,
    read_jsonl,
    read_parquet,
    write_corpus,
    write_csv,
    write_jsonl,
    write_parquet,
)
from toolkit.dtm import DocTermMatrix
from toolkit.ingest import (
    DecodeError,
    IngestResult,
    decode_bytes,
    ingest,
    parse_page,
    read_gov_reports,
    read_text_file,
    read_text_folder,
)
from toolkit.segment import Lexicon, Segmenter, Tokens
from toolkit.similarity import SimilarityIndex
from toolkit.similarity.reuse import find_reuse
from toolkit.terms import TermDetector, keyness, kwic
from toolkit.topics import TopicModel, prepare_topics, prevalence, select_k

try:
    __version__ = version("tifa-toolkit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Corpus",
    "CorpusFormatError",
    "CorpusStream",
    "DecodeError",
    "DocTermMatrix",
    "Document",
    "DuplicateDocIdError",
    "IngestResult",
    "Lexicon",
    "Rejection",
    "Segmenter",
    "SimilarityIndex",
    "TermDetector",
    "Tokens",
    "TopicModel",
    "__version__",
    "decode_bytes",
    "find_reuse",
    "ingest",
    "keyness",
    "kwic",
    "parse_page",
    "prepare_topics",
    "prevalence",
    "read_corpus",
    "read_csv",
    "read_gov_reports",
    "read_jsonl",
    "read_parquet",
    "read_text_file",
    "read_text_folder",
    "select_k",
    "write_corpus",
    "write_csv",
    "write_jsonl",
    "write_parquet",
]
