"""tifa-toolkit: computational analysis of Chinese policy language (提法).

Data flows one way: ingest → corpus → normalize → segment → terms → dtm →
topics / similarity → plot. The names below are the public API; the
subpackages (``toolkit.normalize``, ``toolkit.plot``, ``toolkit.experiment``)
hold the rest.
"""

from __future__ import annotations

import sys
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit._persist import ModelFileError
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
    from toolkit.diffusion import AdoptionHazard, adoptions, diffusion_table
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

# Each public name is imported on first use (PEP 562), so ``import toolkit``
# loads neither pandas nor scikit-learn: a command-line tool, a worker process
# or a notebook cell that needs one reader pays for that reader alone.
_WHERE: dict[str, str] = {
    "AdoptionHazard": "toolkit.diffusion",
    "Corpus": "toolkit.corpus",
    "CorpusFormatError": "toolkit.corpus",
    "CorpusStream": "toolkit.corpus",
    "DecodeError": "toolkit.ingest",
    "DocTermMatrix": "toolkit.dtm",
    "Document": "toolkit.corpus",
    "DuplicateDocIdError": "toolkit.corpus",
    "IngestResult": "toolkit.ingest",
    "Lexicon": "toolkit.segment",
    "ModelFileError": "toolkit._persist",
    "Rejection": "toolkit.corpus",
    "Segmenter": "toolkit.segment",
    "SimilarityIndex": "toolkit.similarity",
    "TermDetector": "toolkit.terms",
    "Tokens": "toolkit.segment",
    "TopicModel": "toolkit.topics",
    "adoptions": "toolkit.diffusion",
    "decode_bytes": "toolkit.ingest",
    "diffusion_table": "toolkit.diffusion",
    "find_reuse": "toolkit.similarity.reuse",
    "ingest": "toolkit.ingest",
    "keyness": "toolkit.terms",
    "kwic": "toolkit.terms",
    "parse_page": "toolkit.ingest",
    "prepare_topics": "toolkit.topics",
    "prevalence": "toolkit.topics",
    "read_corpus": "toolkit.corpus",
    "read_csv": "toolkit.corpus",
    "read_gov_reports": "toolkit.ingest",
    "read_jsonl": "toolkit.corpus",
    "read_parquet": "toolkit.corpus",
    "read_text_file": "toolkit.ingest",
    "read_text_folder": "toolkit.ingest",
    "select_k": "toolkit.topics",
    "write_corpus": "toolkit.corpus",
    "write_csv": "toolkit.corpus",
    "write_jsonl": "toolkit.corpus",
    "write_parquet": "toolkit.corpus",
}


def __getattr__(name: str) -> Any:
    try:
        module = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}") from None
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(ModuleType):
    """``toolkit`` itself: keeps a public function whose name is also a subpackage's.

    Importing ``toolkit.ingest`` (the subpackage) sets the attribute
    ``toolkit.ingest`` to that module, which would hide the function
    ``toolkit.ingest(...)``; an eager ``from toolkit.ingest import ingest``
    used to set it back. Here the import system's assignment is ignored for
    those names, so the attribute stays the public function.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, ModuleType) and name in _WHERE:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "AdoptionHazard",
    "Corpus",
    "CorpusFormatError",
    "CorpusStream",
    "DecodeError",
    "DocTermMatrix",
    "Document",
    "DuplicateDocIdError",
    "IngestResult",
    "Lexicon",
    "ModelFileError",
    "Rejection",
    "Segmenter",
    "SimilarityIndex",
    "TermDetector",
    "Tokens",
    "TopicModel",
    "__version__",
    "adoptions",
    "decode_bytes",
    "diffusion_table",
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
