"""The public API is a decision: renaming or removing a name must fail this test."""

from __future__ import annotations

import subprocess
import sys

import toolkit

EXPECTED = {
    "AdoptionHazard",
    "adoptions",
    "diffusion_table",
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
}


def test_all_is_pinned():
    assert set(toolkit.__all__) == EXPECTED
    assert len(toolkit.__all__) == len(set(toolkit.__all__))


def test_every_public_name_exists():
    for name in toolkit.__all__:
        assert hasattr(toolkit, name), name


def test_import_is_light_and_leaves_jieba_alone():
    # Importing the package must not load (or configure) jieba or matplotlib.
    code = "import sys, toolkit; print('jieba' in sys.modules, 'matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_py_typed_marker_ships():
    from importlib.resources import files

    assert files("toolkit").joinpath("py.typed").is_file()


def test_ingest_is_the_function_even_after_its_subpackage_is_imported():
    # toolkit.ingest names both a function and a subpackage; importing the
    # subpackage first must not hide the function (it once did).
    code = (
        "import toolkit, toolkit.ingest.newspaper\n"
        "print(callable(toolkit.ingest), toolkit.ingest.__module__)\n"
        "from toolkit import ingest\n"
        "print(ingest is toolkit.ingest)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "toolkit.ingest.batch", "True"]
